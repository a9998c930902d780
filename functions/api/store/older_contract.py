"""Items stored under an earlier contract: never rewritten, never a 500.

A stored verdict that no longer reads as the current contract's ``Verdict`` raises
``StoredUnderOlderContract``: a route about that one application answers 409
``stored_under_older_contract`` (``api.resolver``); a route over many applications leaves it
out (``api.observability.left_out``: logged, metric ``StoredUnderOlderContract``). Light on
purpose: the resolver of every function imports it.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from screening.models.verdict import Verdict

from .documents import read_text


class StoredUnderOlderContract(Exception):
    """A stored verdict no longer reads as the current contract's ``Verdict`` (it was stored
    under an earlier one). Items are never rewritten, so it stays as stored: a route about that
    application answers 409; a route over many applications leaves it out and says so."""

    def __init__(self, application_id: str, revision: int) -> None:
        super().__init__(f"revision {revision} is stored under an earlier contract")
        self.application_id = application_id
        self.revision = revision


def stored_verdict(application_id: str, revision: int, attribute: dict[str, Any]) -> Verdict:
    try:
        return Verdict.model_validate_json(read_text(attribute))
    except ValidationError:  # its text quotes stored values: never passed on
        raise StoredUnderOlderContract(application_id, revision) from None
