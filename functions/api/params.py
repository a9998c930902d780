"""Path and query parameter types shared by the routes: one definition each, strict forms."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import AfterValidator, BeforeValidator

from screening.models.common import APPLICATION_ID_PATTERN, within_service_years


def _iso_date_text(value: object) -> object:
    # Pydantic reads a date from digits as a Unix time (to=0 → 1970-01-01); a query date is
    # written YYYY-MM-DD, as the OpenAPI document says, or it is refused.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text), AfterValidator(within_service_years)]
"""A query date: written YYYY-MM-DD, within the years the service knows (1990–2100)."""
DateFrom = Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD, UTC")]
DateTo = Annotated[IsoDate | None, Query(alias="to", description="YYYY-MM-DD, inclusive")]
RoundQuery = Annotated[
    str | None, Query(pattern=r"^[0-9]{4}-R[0-9]{1,2}$", description="e.g. 2026-R3")
]
ApplicationIdPath = Annotated[
    str, Path(min_length=3, max_length=64, pattern=APPLICATION_ID_PATTERN)
]
"""The application id in a path: the contract's one definition (screening.models.common)."""
