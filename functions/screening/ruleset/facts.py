"""The fact plan: which values of an application the compiled rules read, and how.

durable_rules matches on one JSON message per fact, so the compiler records every field the
rules need and the fact builder posts exactly those, flattened (``project.loan_amount_sek`` →
``project__loan_amount_sek``), plus derived keys: ``…__length`` of a text, ``…__count`` of a
list and ``probe_N``, whether a text contains one of a list of keywords. Values that are
missing or empty are left out,
so a rule can tell "not given" (``$nex``) from any value. Keeping the message small matters:
durable_rules refuses a message with more than about 253 properties.

Why keyword probes are computed here and not by durable_rules' ``$mt``: measured on this
machine, its regex engine never matches an alternation of more than a few words, and one
single-word pattern per keyword costs ~3.3 ms per 1,500-character text (75 ms at 15,000),
against a whole-screening budget of a third of a millisecond. So the fact carries the boolean
"this text contains one of these keywords" and the rules decide on it in the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..engine import FACT_KIND_KEY

APPLICATION_FACT = "lsh_application"

#: durable_rules refuses a message above ~253 properties (measured: 254 fails); keep a margin.
MAX_FACT_PROPERTIES = 240


def key_of(path: str) -> str:
    return path.replace(".", "__")


@dataclass
class ListPlan:
    path: str
    scalar: bool
    values: dict[str, str] = field(default_factory=dict)  # item key → item field
    lengths: dict[str, str] = field(default_factory=dict)  # item key → item text field


@dataclass
class Probe:
    """Does the text at ``path`` contain one of ``keywords``?

    A keyword matches at the start of a word, so a stem finds its forms and compounds that
    start with it ("förskol" → "förskolan", "förskolebyggnad") but not words that merely
    contain it ("arbete" does not match "samarbete"). A keyword ending in a space matches the
    whole word only ("park " matches "park", not "parkering"). Text is compared case-folded,
    with punctuation read as spaces.
    """

    key: str
    path: str
    keywords: tuple[str, ...]

    def __post_init__(self) -> None:
        alternatives = "|".join(re.escape(k) for k in self.keywords)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})")

    def hit(self, normalised_text: str | None) -> bool:
        return normalised_text is not None and self._pattern.search(normalised_text) is not None


def normalise_text(text: str) -> str:
    """Case-folded words separated by single spaces, with a space at each end."""
    return " " + " ".join(_WORD.findall(text.casefold())) + " "


_WORD = re.compile(r"\w+")


@dataclass
class FactPlan:
    values: dict[str, str] = field(default_factory=dict)  # key → path
    lengths: dict[str, str] = field(default_factory=dict)
    counts: dict[str, str] = field(default_factory=dict)
    lists: dict[str, ListPlan] = field(default_factory=dict)
    probes: dict[tuple[str, tuple[str, ...]], Probe] = field(default_factory=dict)

    # ---- recording what the rules need
    def need_value(self, path: str) -> str:
        key = key_of(path)
        self.values[key] = path
        return key

    def need_length(self, path: str) -> str:
        key = f"{key_of(path)}__length"
        self.lengths[key] = path
        return key

    def need_count(self, path: str) -> str:
        key = f"{key_of(path)}__count"
        self.counts[key] = path
        return key

    def need_list(self, path: str, scalar: bool) -> ListPlan:
        key = key_of(path)
        if key not in self.lists:
            self.lists[key] = ListPlan(path=path, scalar=scalar)
        self.need_count(path)
        return self.lists[key]

    def need_probe(self, path: str, keywords: tuple[str, ...]) -> Probe:
        identity = (path, keywords)
        if identity not in self.probes:
            self.probes[identity] = Probe(f"probe_{len(self.probes) + 1}", path, keywords)
        return self.probes[identity]

    def property_count(self) -> int:
        keys = {*self.values, *self.lengths, *self.counts, *self.lists}
        keys |= {p.key for p in self.probes.values()}
        return len(keys) + 2  # sid and fact kind

    # ---- building the messages
    def application_fact(self, document: dict[str, Any]) -> dict[str, Any]:
        fact: dict[str, Any] = {FACT_KIND_KEY: APPLICATION_FACT}
        for key, path in self.values.items():
            value = resolve(document, path)
            if _given(value):
                fact[key] = value
        for key, path in self.lengths.items():
            value = resolve(document, path)
            fact[key] = len(value) if isinstance(value, str) else 0
        for key, path in self.counts.items():
            value = resolve(document, path)
            fact[key] = len(value) if isinstance(value, list) else 0
        for key, plan in self.lists.items():
            items = resolve(document, plan.path) or []
            if plan.scalar:
                fact[key] = [item for item in items if _given(item)]
            else:
                fact[key] = [_item_fact(item, plan) for item in items]
        normalised: dict[str, str | None] = {}  # several probes often read the same text
        for probe in self.probes.values():
            if probe.path not in normalised:
                text = resolve(document, probe.path)
                normalised[probe.path] = normalise_text(text) if isinstance(text, str) else None
            fact[probe.key] = probe.hit(normalised[probe.path])
        return fact


def _item_fact(item: dict[str, Any], plan: ListPlan) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name in plan.values.items():
        if _given(item.get(name)):
            out[key] = item[name]
    for key, name in plan.lengths.items():
        value = item.get(name)
        out[key] = len(value) if isinstance(value, str) else 0
    return out


def _given(value: Any) -> bool:
    return value is not None and value != "" and value != []


@lru_cache(maxsize=1024)
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def resolve(document: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None where any step is missing."""
    node: Any = document
    for step in _steps(path):
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node
