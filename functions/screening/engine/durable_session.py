"""Driving durable_rules' C core: one session per evaluation. Only ``engine.durable`` uses it.

We drive durable_rules' C core (``durable_rules_engine``, shipped by the durable-rules package)
with rulesets in its JSON form. We do not use ``durable.engine.Host`` because, measured on the
LSH ruleset shape (35 rules, one fact): Host re-parses the whole fact as JSON for every fired
rule and re-serialises the session state after each action, giving ~1,200 screenings/s against
~10,700/s when the fired rule names are read straight off the core; Host also starts two
background dispatch threads per process, which is wrong inside a Lambda sandbox.

The engine's known traps, and where each is handled:

* Session state is per session id and leaks (segfault past ~1,024 live sessions): every
  evaluation uses a fresh sid and deletes its state in ``finally``. The sid is a process-wide
  counter (a session lives only while the lock is held, so it needs no more than that; a uuid
  cost 12 µs per screening).
* Exceptions inside actions are swallowed into the state by Host: our action step is the
  ``on_fired`` callback; any exception in it is raised as :class:`EngineError` once the
  session's pending actions are completed, and the session is deleted.
* Nothing matched: worse than an exception, measured here: deleting a session whose only fact
  matched no rule crashes the core (40 of 40 runs). So every ruleset gets a sentinel rule per
  fact kind that matches any fact of that kind; every fact is handled, and a fact that fired
  only the sentinel raises :class:`NothingMatchedError` (when ``must_match``) instead of
  yielding an empty trace.
* A pattern that can match the session's own state fact loops at 100 % CPU: every pattern
  this module registers must test the fact's kind (``fact_kind``), checked at registration.
* Not thread-safe: one evaluation at a time per process (a lock).
* ~255 properties per message: :data:`MAX_PROPERTIES` is checked before posting.
* A ruleset name registers once per process: handles are cached by name, and a name can
  only ever stand for one definition.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import durable_rules_engine as _core
from pydantic_core import to_json

from .errors import EngineError, NothingMatchedError

#: Measured: durable_rules' core refuses a message with 254 or more properties (error 302).
MAX_PROPERTIES = 253
FACT_KIND_KEY = "fact_kind"

_NOT_HANDLED = 1
_OBSERVED = 2
_SENTINEL = "__fact_seen__:"

_lock = threading.Lock()
_sids = itertools.count(1)
_registry: dict[str, tuple[int, str]] = {}  # ruleset name → (core handle, definition json)


class DurableRuleset:
    """A ruleset registered with durable_rules, evaluated one session at a time."""

    def __init__(self, name: str, rules: dict[str, dict[str, Any]]) -> None:
        kinds: set[str] = set()
        for rule_name, rule in rules.items():
            if rule_name.startswith(_SENTINEL):
                raise EngineError(f"rule name '{rule_name}' is reserved")
            kinds |= _tested_kinds(rule_name, rule)
        sentinels = {
            f"{_SENTINEL}{kind}": {"all": [{"m": {FACT_KIND_KEY: kind}}]} for kind in sorted(kinds)
        }
        definition = json.dumps({**rules, **sentinels}, ensure_ascii=False, sort_keys=True)
        with _lock:
            known = _registry.get(name)
            if known is not None:
                if known[1] != definition:
                    raise EngineError(
                        f"ruleset name '{name}' is already registered with another definition; "
                        "a new ruleset version needs a new name"
                    )
                handle = known[0]
            else:
                try:
                    handle = _core.create_ruleset(name, definition)
                except Exception as error:  # the core raises its own error type
                    raise EngineError(f"durable_rules refused ruleset '{name}': {error}") from error
                _registry[name] = (handle, definition)
        self.name = name
        self.fact_kinds = frozenset(kinds)
        self._handle = handle

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A fresh session (unique sid), holding the process-wide lock, deleted on exit."""
        sid = str(next(_sids))
        with _lock:
            try:
                yield Session(self, sid)
            finally:
                # A session that never asserted a fact has no state to delete.
                with suppress(Exception):
                    _core.delete_state(self._handle, sid)

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        """Assert ``fact`` in a fresh session; the names of the rules it fired (sentinels left
        out), once per action (a rule with a ``cap`` drains all its firings in one action).

        The fast path of ``session()`` + ``assert_fact`` for one fact: the same checks, every
        action completed, the session deleted; no callback per fired rule. ``fact`` gets the
        ``sid`` key. Measured: pydantic-core writes the message 3x faster than ``json.dumps``
        (same text for the values a fact holds: no exponents, see ``ruleset.facts``).
        """
        self._check(fact)
        handle = self._handle
        complete = _core.complete_and_start_action
        fired: list[str] = []
        with _lock:
            sid = str(next(_sids))
            fact["sid"] = sid
            payload = to_json(fact).decode()
            try:
                try:
                    code, state_handle = _core.assert_fact(handle, payload)
                except Exception as error:
                    message = f"durable_rules could not assert the fact: {error}"
                    raise EngineError(message) from error
                if code == _NOT_HANDLED:  # pragma: no cover - the sentinel handles every kind
                    kind = fact[FACT_KIND_KEY]
                    raise EngineError(f"'{self.name}' did not handle a '{kind}' fact")
                if code == _OBSERVED:
                    raise EngineError("durable_rules saw the same fact twice in one session")
                started = _core.start_action_for_state(handle, state_handle)
                action = started[1] if started else None
                # Nothing in this loop can raise: deleting a session with actions still pending
                # crashes the core (measured), so every action is completed first. An action is
                # {"<rule name>":…}; rule names are ours and hold no quotes.
                while action:
                    fired.append(action[2 : action.find('"', 2)])
                    action = complete(handle, state_handle)
            finally:
                with suppress(Exception):
                    _core.delete_state(handle, sid)
        try:  # the sentinel of the fact's kind fires once for every fact it handles
            fired.remove(f"{_SENTINEL}{fact[FACT_KIND_KEY]}")
        except ValueError:
            raise EngineError("unexpected action messages from durable_rules") from None
        return fired

    def _check(self, fact: dict[str, Any]) -> None:
        """Before posting (with the ``sid`` key it gets): an unhandled fact would leave a
        session that crashes the core when deleted, and the core takes at most
        ``MAX_PROPERTIES`` properties."""
        if fact.get(FACT_KIND_KEY) not in self.fact_kinds:
            raise EngineError(
                f"'{self.name}' has no rule for facts of kind '{fact.get(FACT_KIND_KEY)}'"
            )
        if len(fact) + 1 > MAX_PROPERTIES:
            raise EngineError(
                f"fact has {len(fact) + 1} properties; durable_rules takes {MAX_PROPERTIES}"
            )

    def _assert(
        self,
        sid: str,
        fact: dict[str, Any],
        must_match: bool,
        on_fired: Callable[[str], None],
    ) -> None:
        self._check(fact)
        payload = json.dumps({**fact, "sid": sid}, ensure_ascii=False)
        try:
            code, state_handle = _core.assert_fact(self._handle, payload)
        except Exception as error:
            raise EngineError(f"durable_rules could not assert the fact: {error}") from error
        if code == _NOT_HANDLED:  # pragma: no cover - the sentinel handles every known kind
            raise EngineError(f"'{self.name}' did not handle a '{fact[FACT_KIND_KEY]}' fact")
        if code == _OBSERVED:
            raise EngineError("durable_rules saw the same fact twice in one session")
        fired = self._drain(state_handle, on_fired)
        if must_match and fired == 0:
            # Never include the fact: it is application data.
            raise NothingMatchedError(
                f"no rule of '{self.name}' matched a '{fact.get(FACT_KIND_KEY)}' fact"
            )

    def _drain(self, state_handle: int, on_fired: Callable[[str], None]) -> int:
        """Take each pending action: read the fired rule's name, report it, complete it.

        Returns how many rules fired, sentinels not counted.

        If ``on_fired`` raises, the remaining actions are still completed (so the core's
        session is left consistent for ``delete_state``) and the first error is raised after.
        We avoid ``abandon_action``: measured, a process that abandoned 1,500 actions later
        crashed in ``delete_state``.
        """
        started = _core.start_action_for_state(self._handle, state_handle)
        if not started:
            return 0
        message, failure, fired = started[1], None, 0
        while message:
            # Nothing may leave this loop early: deleting a session with actions still
            # pending crashes the core (measured), so every action is completed first.
            if failure is None:
                try:
                    name = _fired_rule_name(message)
                    if not name.startswith(_SENTINEL):
                        fired += 1
                        on_fired(name)
                except BaseException as error:
                    failure = error
            message = _core.complete_and_start_action(self._handle, state_handle)
        if failure is not None:
            raise EngineError(f"an action of '{self.name}' failed: {failure!r}") from failure
        return fired


class Session:
    """One evaluation's session; only valid inside ``DurableRuleset.session()``."""

    def __init__(self, ruleset: DurableRuleset, sid: str) -> None:
        self._ruleset = ruleset
        self.sid = sid

    def assert_fact(
        self, fact: dict[str, Any], on_fired: Callable[[str], None], *, must_match: bool = True
    ) -> None:
        """Assert one fact; ``on_fired(rule_name)`` is called for every rule it fires."""
        self._ruleset._assert(self.sid, fact, must_match, on_fired)


def _fired_rule_name(message: str) -> str:
    # The core writes an action as {"<rule name>":{"m":{…}}}. Rule names are ours and contain
    # no quotes, so the name is read without parsing the whole fact again.
    if not message.startswith('{"'):
        raise EngineError("unexpected action message from durable_rules")
    return message[2 : message.index('"', 2)]


def _tested_kinds(name: str, rule: dict[str, Any]) -> set[str]:
    """The fact kinds a rule's patterns test; refuses a pattern that tests none.

    A pattern that does not test ``fact_kind`` could match durable_rules' own session state
    fact and loop at 100 % CPU.
    """
    kinds: set[str] = set()
    patterns: Iterable[Any] = rule.get("all", [])
    for pattern in patterns:
        for expression in pattern.values():
            terms = expression.get("$and", [expression])
            tested = {t[FACT_KIND_KEY] for t in terms if isinstance(t, dict) and FACT_KIND_KEY in t}
            if not tested:
                raise EngineError(
                    f"rule '{name}': every pattern must test '{FACT_KIND_KEY}', or it can match "
                    "durable_rules' own session state and loop"
                )
            kinds |= tested
    return kinds
