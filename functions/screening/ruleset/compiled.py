"""The compiled ruleset: what the service screens with, and its artifact form (JSON).

The authoring tools (``tools/workbench/authoring``) read, check and compile the YAML rule
files into a :class:`CompiledRuleset`; ``make build`` ships it as ``compiled/ruleset.json`` in
the rules layer. At container init the service reads only that JSON — no YAML, no validation of
rule files — after checking that its content hash is the hash of the rule files beside it, so
it can never be stale. Anything wrong means :class:`RulesetUnavailable`: the service answers
503 and never screens with a partial ruleset.

Texts are kept as plain ``{"sv": …, "en": …}`` dicts: the verdict is assembled as data and
validated once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..engine import Decision
from ..engine.tree import Node, from_data, to_data
from .derived import VulnerableAreas
from .facts import FactPlan
from .release import COMPILED_DIR, content_hash

ARTIFACT_NAME = "ruleset.json"
ARTIFACT_FORMAT = 3
SCREENING = "screening"  # the subjects a ruleset's rules read
FOLLOW_UP = "follow_up"
Text = dict[str, str]


class RulesetUnavailable(Exception):
    """No usable ruleset: nothing may be screened. ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class FieldLabel:
    """How a field is named in explanations ("utgångsår" / "baseline year")."""

    sv: str
    en: str
    enum: str | None = None  # labels of its values: Labels.values[enum]
    format: str | None = None  # kr, percent, or a unit
    pointer: str | None = None  # the answer to fix, when the field is derived from another


@dataclass(frozen=True, slots=True)
class ItemLabel:
    """How a list item is named ("effektmål {number}"), and which field gives its title."""

    sv: str
    en: str
    title: str | None = None


@dataclass(frozen=True)
class Labels:
    values: Mapping[str, Mapping[str, Text]]  # enum name → value → text
    fields: Mapping[str, FieldLabel]  # model path → label
    items: Mapping[str, ItemLabel]  # list path → item label
    units: Mapping[str, Mapping[str, Text]]  # unit → language → {one, other}

    def value(self, enum: str | None, value: str, language: str) -> str:
        if enum is None:
            return value
        return self.values.get(enum, {}).get(value, {}).get(language, value)

    def to_data(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "fields": {k: _fields_of(v) for k, v in self.fields.items()},
            "items": {k: _fields_of(v) for k, v in self.items.items()},
            "units": self.units,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Labels:
        return cls(
            values=data["values"],
            fields={k: FieldLabel(**v) for k, v in data["fields"].items()},
            items={k: ItemLabel(**v) for k, v in data["items"].items()},
            units=data["units"],
        )


def _fields_of(record: Any) -> dict[str, Any]:
    return {n: getattr(record, n) for n in record.__slots__ if getattr(record, n) is not None}


@dataclass(frozen=True)
class RuleDefinition:
    id: str
    title: Text
    requirement: dict[str, Any]  # {id, title}
    kind: str  # check | signal
    severity: str  # reject | refer | note
    reference: dict[str, Any]  # a Reference
    condition: Node
    applies: Node | None
    reasons: dict[str, Text]  # result → {sv, en} templates
    parameters: dict[str, Any]
    file: str  # relative to the rules folder
    line: int

    @property
    def signal(self) -> bool:
        return self.kind == "signal"

    def decision(self) -> Decision:
        return Decision(self.id, self.condition, self.applies, self.signal)


@dataclass(frozen=True)
class CategoryDefinition:
    code: str
    title: Text
    condition: Node  # what is built fits the category (the category table)

    def decision(self) -> Decision:
        return Decision(f"category:{self.code}", self.condition, None, signal=True)


@dataclass(frozen=True)
class CompiledRuleset:
    version: dict[str, Any]  # {version, content_hash, effective_from}
    contract_version: str
    rules: tuple[RuleDefinition, ...]
    categories: tuple[CategoryDefinition, ...]
    facts: FactPlan
    labels: Labels
    requirements: tuple[dict[str, Any], ...]  # {id, title, description?, reference?}
    sources: dict[str, dict[str, Any]]  # source id → Reference fields
    vulnerable_areas: VulnerableAreas
    manifest: dict[str, list[str]]  # rule file → rule ids
    subject: str = SCREENING  # what the rules read: an application, or a follow-up case
    # Follow-up rulesets: the lender's indicators and the portfolio's attribution
    # ({attribution, attribution_reference, indicators: {id: {...}}}); empty for screening.
    indicators: Mapping[str, Any] = field(default_factory=dict)

    @property
    def engine_name(self) -> str:
        """Versioned, so one process can hold several ruleset versions side by side."""
        version = re.sub(r"[^a-z0-9]+", "_", str(self.version["version"]).lower()).strip("_")
        prefix = "lsh" if self.subject == SCREENING else f"lsh_{self.subject}"
        return f"{prefix}_{version}_{self.version['content_hash']}"

    def decisions(self) -> list[Decision]:
        return [c.decision() for c in self.categories] + [r.decision() for r in self.rules]

    def rule(self, rule_id: str) -> RuleDefinition:
        return next(r for r in self.rules if r.id == rule_id)

    def verify(self) -> list[str]:
        """Problems that make it unusable: a rule missing from the manifest, or the reverse,
        or a requirement no rule covers."""
        problems = []
        listed = {rule_id for ids in self.manifest.values() for rule_id in ids}
        compiled = {rule.id for rule in self.rules}
        for rule_id in sorted(listed - compiled):
            problems.append(f"rule {rule_id} is in the manifest but was not compiled")
        for rule_id in sorted(compiled - listed):
            problems.append(f"rule {rule_id} is not in the manifest")
        covered = {rule.requirement["id"] for rule in self.rules}
        for requirement in self.requirements:
            if requirement["id"] not in covered:
                problems.append(f"requirement {requirement['id']} is covered by no rule")
        return problems

    # ---- artifact form
    def to_data(self) -> dict[str, Any]:
        return {
            "format": ARTIFACT_FORMAT,
            "subject": self.subject,
            "indicators": dict(self.indicators),
            "version": self.version,
            "contract_version": self.contract_version,
            "rules": [
                {
                    "id": r.id,
                    "title": r.title,
                    "requirement": r.requirement,
                    "kind": r.kind,
                    "severity": r.severity,
                    "reference": r.reference,
                    "condition": to_data(r.condition),
                    "applies": to_data(r.applies) if r.applies is not None else None,
                    "reasons": r.reasons,
                    "parameters": r.parameters,
                    "file": r.file,
                    "line": r.line,
                }
                for r in self.rules
            ],
            "categories": [
                {"code": c.code, "title": c.title, "condition": to_data(c.condition)}
                for c in self.categories
            ],
            "facts": self.facts.to_data(),
            "labels": self.labels.to_data(),
            "requirements": list(self.requirements),
            "sources": self.sources,
            "vulnerable_areas": self.vulnerable_areas.to_data(),
            "manifest": self.manifest,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> CompiledRuleset:
        if data.get("format") != ARTIFACT_FORMAT:
            raise RulesetUnavailable(
                [f"compiled ruleset has format {data.get('format')}; expected {ARTIFACT_FORMAT}"]
            )
        return cls(
            version=data["version"],
            contract_version=data["contract_version"],
            rules=tuple(
                RuleDefinition(
                    id=r["id"],
                    title=r["title"],
                    requirement=r["requirement"],
                    kind=r["kind"],
                    severity=r["severity"],
                    reference=r["reference"],
                    condition=from_data(r["condition"]),
                    applies=from_data(r["applies"]) if r["applies"] is not None else None,
                    reasons=r["reasons"],
                    parameters=r["parameters"],
                    file=r["file"],
                    line=r["line"],
                )
                for r in data["rules"]
            ),
            categories=tuple(
                CategoryDefinition(c["code"], c["title"], from_data(c["condition"]))
                for c in data["categories"]
            ),
            facts=FactPlan.from_data(data["facts"]),
            labels=Labels.from_data(data["labels"]),
            requirements=tuple(data["requirements"]),
            sources=data["sources"],
            vulnerable_areas=VulnerableAreas.from_data(data["vulnerable_areas"]),
            manifest=data["manifest"],
            subject=data["subject"],
            indicators=data["indicators"],
        )


def artifact_path(rules_dir: Path) -> Path:
    return rules_dir / COMPILED_DIR / ARTIFACT_NAME


def _canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def artifact_digest(data: Mapping[str, Any]) -> str:
    """sha256 over the artifact's content (all but the digest itself). A shipped release has no
    rule files beside it to check against, so this is what catches an edited or truncated copy."""
    content = {k: v for k, v in data.items() if k != "digest"}
    return hashlib.sha256(_canonical(content).encode("utf-8")).hexdigest()


def artifact_text(ruleset: CompiledRuleset) -> str:
    data = ruleset.to_data()
    data["digest"] = artifact_digest(data)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def _checked(data: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    if data.get("digest") != artifact_digest(data):
        raise RulesetUnavailable(
            [f"{path}: its content does not match its digest (edited or damaged after compiling)"]
        )
    return data


def write_artifact(ruleset: CompiledRuleset, rules_dir: Path) -> Path:
    path = artifact_path(rules_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(artifact_text(ruleset), encoding="utf-8")
    return path


def load_compiled(rules_dir: Path, subject: str = SCREENING) -> CompiledRuleset:
    """The compiled ruleset shipped in ``rules_dir``, checked against the rule files there and
    against what its rules read (``subject``)."""
    path = artifact_path(rules_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesetUnavailable([f"{path} is missing: compile the rules (make rules)"]) from None
    except (OSError, ValueError) as error:
        raise RulesetUnavailable([f"{path} is unreadable: {error}"]) from None
    try:
        ruleset = CompiledRuleset.from_data(_checked(data, path))
    except RulesetUnavailable:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise RulesetUnavailable([f"{path} is malformed: {error!r}"]) from None
    files_hash = content_hash(rules_dir)
    if files_hash != ruleset.version["content_hash"]:
        raise RulesetUnavailable(
            [
                f"{path} was compiled from rule files with hash {ruleset.version['content_hash']}, "
                f"but the rule files in {rules_dir} have hash {files_hash}: it is stale or the "
                "rule files are incomplete"
            ]
        )
    problems = ruleset.verify()
    if ruleset.subject != subject:
        problems.append(f"{path} holds {ruleset.subject} rules, not {subject} rules")
    if problems:
        raise RulesetUnavailable(problems)
    return ruleset


RELEASES_DIR = "releases"
FOLLOW_UP_DIR = "follow-up"  # the follow-up rules: a ruleset of their own, beside the screening


def load_release_file(path: Path) -> CompiledRuleset:
    """A previous release shipped as a compiled artifact (``rules/releases/VERSION.json``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ruleset = CompiledRuleset.from_data(_checked(data, path))
    except RulesetUnavailable:
        raise
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise RulesetUnavailable([f"{path} is unreadable or malformed: {error!r}"]) from None
    problems = ruleset.verify()
    if problems:
        raise RulesetUnavailable([f"{path}: {p}" for p in problems])
    return ruleset


class Releases:
    """The current release and the previous ones still needed, each in force from its date.

    An application is screened by the release in force on its submission date: the one with
    the latest ``effective_from`` on or before it (the earliest one for anything before all).
    """

    def __init__(self, rulesets: list[CompiledRuleset]) -> None:
        if not rulesets:
            raise RulesetUnavailable(["no ruleset release"])
        self.all = sorted(rulesets, key=lambda r: str(r.version["effective_from"]))
        versions = [r.version["version"] for r in self.all]
        if len(set(versions)) != len(versions):
            raise RulesetUnavailable([f"a ruleset version is shipped twice: {versions}"])

    @property
    def current(self) -> CompiledRuleset:
        return self.all[-1]

    def in_force(self, on: date) -> CompiledRuleset:
        chosen = self.all[0]
        for ruleset in self.all:
            if date.fromisoformat(str(ruleset.version["effective_from"])) <= on:
                chosen = ruleset
        return chosen

    def named(self, version: str) -> CompiledRuleset | None:
        return next((r for r in self.all if r.version["version"] == version), None)


def load_releases(rules_dir: Path) -> Releases:
    """The current release (checked against the rule files) and ``releases/*.json``."""
    current = load_compiled(rules_dir)
    return Releases([*shipped_releases(rules_dir, current), current])


def shipped_releases(rules_dir: Path, current: CompiledRuleset) -> list[CompiledRuleset]:
    """The earlier releases shipped in ``rules_dir/releases/`` (not ``current`` itself)."""
    previous = [
        load_release_file(path)
        for path in sorted((rules_dir / RELEASES_DIR).glob("*.json"))
        if path.is_file()
    ]
    return [r for r in previous if r.version["version"] != current.version["version"]]
