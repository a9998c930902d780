"""Load the rules folder, check it, compile it: all or nothing.

``load_ruleset(path)`` returns a :class:`Ruleset` only when every file is valid; otherwise it
raises :class:`RulesetError` listing every problem as ``file:line: message``. The service never
screens with a partly loaded ruleset.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..models.application import Application, district_key
from ..models.common import Category, LocalizedText
from ..models.verdict import Requirement, RuleResultKind, RulesetVersion, Severity
from .conditions import CategoryDefinition, Compiled, ConditionCompiler, all_of, any_of
from .facts import MAX_FACT_PROPERTIES, FactPlan
from .fields import APPLICATION_FIELDS, FieldCatalog
from .problems import CompileError, Problem, RulesetError
from .reasons import Placeholder, parse_template
from .spec import (
    ApplicantTypesFile,
    CategoriesFile,
    LabelsFile,
    RequirementsFile,
    RuleFile,
    RuleKind,
    RuleSpec,
    VulnerableAreasFile,
)
from .yamlfile import YamlDocument, YamlSyntaxError, load_yaml

DATA_FILES = {
    "requirements": "data/requirements.yaml",
    "categories": "data/categories.yaml",
    "applicant_types": "data/applicant-types.yaml",
    "vulnerable_areas": "data/vulnerable-areas.yaml",
    "labels": "data/labels.yaml",
}
BASE_APPLICATION = "examples/base-application.yaml"
APPLICATION_EXAMPLES = "examples/applications.yaml"
LANGUAGES = ("sv", "en")

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CompiledRule:
    spec: RuleSpec
    requirement: Requirement
    variants: dict[RuleResultKind, dict[str, Any]]  # result → durable expression
    reasons: dict[RuleResultKind, LocalizedText]
    placeholders: dict[tuple[RuleResultKind, str], list[Placeholder]]
    parameters: dict[str, Any]
    file: Path
    line: int
    location: tuple[Any, ...]  # ("rules", index) in its file

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    title: LocalizedText
    variants: Compiled


@dataclass(frozen=True)
class Ruleset:
    """A checked, compiled ruleset, ready for the engine."""

    root: Path
    version: RulesetVersion
    rules: tuple[CompiledRule, ...]
    categories: tuple[CategoryInfo, ...]
    plan: FactPlan
    labels: dict[str, dict[str, dict[str, str]]]
    requirements: tuple[Requirement, ...]
    base_application: dict[str, Any] = field(repr=False)
    documents: dict[str, YamlDocument] = field(repr=False)

    @property
    def engine_name(self) -> str:
        """Versioned, so one process can hold several ruleset versions side by side."""
        version = re.sub(r"[^a-z0-9]+", "_", self.version.version.lower()).strip("_")
        return f"lsh_{version}_{self.version.content_hash}"


def default_rules_dir() -> Path:
    """``$LSH_RULES_DIR``, else the repository's ``rules/`` beside ``functions/``."""
    configured = os.environ.get("LSH_RULES_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "rules"


def content_hash(root: Path) -> str:
    """sha256 over the files that decide verdicts (examples excluded), first 16 hex digits."""
    digest = hashlib.sha256()
    for path in sorted(_ruleset_files(root)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _ruleset_files(root: Path) -> Iterable[Path]:
    yield root / "VERSION"
    yield from (root / "data").glob("*.yaml")
    yield from rule_files(root)


def rule_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*.yaml") if p.is_file())


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.documents: dict[str, YamlDocument] = {}

    # ---------------------------------------------------------------- reading

    def read(self, relative: str, model: type[M]) -> tuple[M | None, YamlDocument | None]:
        path = self.root / relative
        if not path.is_file():
            self.problems.append(Problem(path, 1, f"file is missing; {relative} is required"))
            return None, None
        try:
            document = load_yaml(path)
        except YamlSyntaxError as error:
            self.problems.append(Problem(path, error.line, error.message))
            return None, None
        self.documents[relative] = document
        try:
            return model.model_validate(document.data), document
        except ValidationError as error:
            for detail in error.errors():
                self.problems.append(
                    Problem(path, document.line_of(detail["loc"]), _explain(detail, model))
                )
            return None, document

    def problem(self, document: YamlDocument, location: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(document.path, document.line_of(location), message))

    # ---------------------------------------------------------------- the whole folder

    def load(self) -> Ruleset:
        version = self._version()
        requirements, _ = self.read(DATA_FILES["requirements"], RequirementsFile)
        categories, cat_doc = self.read(DATA_FILES["categories"], CategoriesFile)
        types, types_doc = self.read(DATA_FILES["applicant_types"], ApplicantTypesFile)
        areas, _ = self.read(DATA_FILES["vulnerable_areas"], VulnerableAreasFile)
        labels_file, labels_doc = self.read(DATA_FILES["labels"], LabelsFile)

        labels = self._labels(labels_file, labels_doc, categories)
        lists = self._lists(types, types_doc, areas)
        category_defs = self._categories(categories, cat_doc)

        plan = FactPlan()
        category_infos: list[CategoryInfo] = []
        if categories is not None and not self.problems:
            compiler = ConditionCompiler(APPLICATION_FIELDS, plan, {}, lists, category_defs)
            for code, spec in categories.categories.items():
                category_infos.append(
                    CategoryInfo(code, spec.title, compiler.category_condition(code))
                )

        requirement_index = (
            {
                rid: Requirement(id=rid, title=spec.title)
                for rid, spec in requirements.requirements.items()
            }
            if requirements
            else {}
        )
        rules = self._rules(plan, lists, category_defs, requirement_index)
        base = self._base_application()

        if plan.property_count() > MAX_FACT_PROPERTIES:
            self.problems.append(
                Problem(
                    self.root / "VERSION",
                    1,
                    f"the rules read {plan.property_count()} values of an application; "
                    f"durable_rules takes at most {MAX_FACT_PROPERTIES} per message. "
                    "Merge or drop conditions.",
                )
            )
        if self.problems:
            raise RulesetError(self.problems)
        assert version is not None and requirements is not None
        return Ruleset(
            root=self.root,
            version=RulesetVersion(version=version, content_hash=content_hash(self.root)),
            rules=tuple(rules),
            categories=tuple(category_infos),
            plan=plan,
            labels=labels,
            requirements=tuple(requirement_index.values()),
            base_application=base or {},
            documents=self.documents,
        )

    def _version(self) -> str | None:
        path = self.root / "VERSION"
        if not path.is_file():
            self.problems.append(Problem(path, 1, "file is missing; write the ruleset version"))
            return None
        version = path.read_text(encoding="utf-8").strip()
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,31}", version):
            self.problems.append(
                Problem(
                    path, 1, "version must be letters, digits, dots and hyphens, e.g. 2026.11.1"
                )
            )
            return None
        return version

    def _labels(
        self,
        labels_file: LabelsFile | None,
        document: YamlDocument | None,
        categories: CategoriesFile | None,
    ) -> dict[str, dict[str, dict[str, str]]]:
        labels: dict[str, dict[str, dict[str, str]]] = {}
        if labels_file is not None and document is not None:
            for enum_name, values in labels_file.labels.items():
                labels[enum_name] = {v: t.model_dump() for v, t in values.items()}
            for enum_name, enum_values in _enums(APPLICATION_FIELDS).items():
                if enum_name == "category":
                    continue
                known = labels.get(enum_name)
                if known is None:
                    self.problem(document, ("labels",), f"labels for '{enum_name}' are missing")
                    continue
                for value in enum_values:
                    if value not in known:
                        self.problem(
                            document,
                            ("labels", enum_name),
                            f"'{enum_name}' has no label for '{value}'; add sv and en",
                        )
                for value in known:
                    if value not in enum_values:
                        self.problem(
                            document,
                            ("labels", enum_name, value),
                            f"'{value}' is not a value of '{enum_name}' "
                            f"(values: {', '.join(enum_values)})",
                        )
        if categories is not None:
            labels["category"] = {
                code: spec.title.model_dump() for code, spec in categories.categories.items()
            }
        return labels

    def _categories(
        self, categories: CategoriesFile | None, document: YamlDocument | None
    ) -> dict[str, CategoryDefinition]:
        if categories is None or document is None:
            return {}
        expected = {c.value for c in Category}
        kinds = APPLICATION_FIELDS.fields["project.investment_kind"].enum_values
        for code in categories.categories:
            if code not in expected:
                self.problem(
                    document,
                    ("categories", code),
                    f"category '{code}' is not one of the framework's categories "
                    f"({', '.join(sorted(expected))}); categories are part of the API contract",
                )
        for code in expected - set(categories.categories):
            self.problem(document, ("categories",), f"category '{code}' is not defined")
        for code, spec in categories.categories.items():
            for i, kind in enumerate(spec.investment_kinds):
                if kind not in kinds:
                    self.problem(
                        document,
                        ("categories", code, "investment_kinds", i),
                        f"'{kind}' is not an investment kind (values: {', '.join(kinds)})",
                    )
            for i, word in enumerate(spec.keywords):
                if word != word.casefold() or not all(c.isalnum() or c == " " for c in word):
                    self.problem(
                        document,
                        ("categories", code, "keywords", i),
                        f"keyword '{word}' must be lower-case letters, digits and spaces only",
                    )
        return {
            code: CategoryDefinition(code, tuple(spec.investment_kinds), tuple(spec.keywords))
            for code, spec in categories.categories.items()
        }

    def _lists(
        self,
        types: ApplicantTypesFile | None,
        document: YamlDocument | None,
        areas: VulnerableAreasFile | None,
    ) -> dict[str, list[Any]]:
        lists: dict[str, list[Any]] = {}
        if types is not None and document is not None:
            expected = set(APPLICATION_FIELDS.fields["applicant.type"].enum_values)
            for name in set(types.applicant_types) ^ expected:
                self.problem(
                    document,
                    ("applicant_types",),
                    f"applicant type '{name}' must be defined here exactly as in the API "
                    f"(types: {', '.join(sorted(expected))})",
                )
            lists["eligible_applicant_types"] = [
                t for t, spec in types.applicant_types.items() if spec.may_borrow
            ]
            lists["company_applicant_types"] = [
                t for t, spec in types.applicant_types.items() if spec.is_company
            ]
            lists["public_body_applicant_types"] = [
                t
                for t, spec in types.applicant_types.items()
                if spec.may_borrow and not spec.is_company
            ]
        if areas is not None:
            lists["vulnerable_area_keys"] = [
                district_key(a.municipality, a.area) for a in areas.areas
            ]
            lists["particularly_vulnerable_area_keys"] = [
                district_key(a.municipality, a.area)
                for a in areas.areas
                if a.level == "särskilt utsatt"
            ]
        return lists

    def _rules(
        self,
        plan: FactPlan,
        lists: dict[str, list[Any]],
        categories: dict[str, CategoryDefinition],
        requirements: dict[str, Requirement],
    ) -> list[CompiledRule]:
        compiled: list[CompiledRule] = []
        seen: dict[str, Problem] = {}
        files = rule_files(self.root)
        if not files:
            self.problems.append(Problem(self.root, 1, "no rule files (rules/*.yaml)"))
        for path in files:
            relative = path.relative_to(self.root).as_posix()
            rule_file, document = self.read(relative, RuleFile)
            if rule_file is None or document is None:
                continue
            for index, spec in enumerate(rule_file.rules):
                location = ("rules", index)
                line = document.line_of(location)
                if spec.id in seen:
                    self.problem(
                        document,
                        (*location, "id"),
                        f"rule id '{spec.id}' is already used at {seen[spec.id].file.name}:"
                        f"{seen[spec.id].line}; ids must be unique",
                    )
                    continue
                seen[spec.id] = Problem(path, line, "")
                try:
                    compiled.append(
                        self._rule(spec, location, document, plan, lists, categories, requirements)
                    )
                except CompileError as error:
                    self.problem(document, error.location, f"rule {spec.id}: {error.message}")
        return compiled

    def _rule(
        self,
        spec: RuleSpec,
        location: tuple[Any, ...],
        document: YamlDocument,
        plan: FactPlan,
        lists: dict[str, list[Any]],
        categories: dict[str, CategoryDefinition],
        requirements: dict[str, Requirement],
    ) -> CompiledRule:
        if spec.requirement not in requirements:
            known = ", ".join(requirements) or "none loaded"
            raise CompileError(
                (*location, "requirement"),
                f"requirement '{spec.requirement}' is not in data/requirements.yaml ({known})",
            )
        parameters = {name: p.value for name, p in spec.parameters.items()}
        compiler = ConditionCompiler(APPLICATION_FIELDS, plan, spec.parameters, lists, categories)
        condition = compiler.compile(spec.condition, (*location, "condition"))
        applies = (
            compiler.compile(spec.applies_when, (*location, "applies_when"))
            if spec.applies_when is not None
            else None
        )
        variants = _variants(spec, condition, applies)
        reasons = self._reasons(spec, location, applies is not None)
        placeholders: dict[tuple[RuleResultKind, str], list[Placeholder]] = {}
        for kind, text in reasons.items():
            for language in LANGUAGES:
                placeholders[(kind, language)] = parse_template(
                    getattr(text, language),
                    APPLICATION_FIELDS,
                    parameters,
                    (*location, "reasons", kind.value, language),
                )
                compiler.used_parameters.update(
                    p.path.removeprefix("param.")
                    for p in placeholders[(kind, language)]
                    if p.field is None
                )
        for name in parameters:
            if name not in compiler.used_parameters:
                raise CompileError(
                    (*location, "parameters", name),
                    f"parameter '{name}' is defined but used by no condition or reason",
                )
        return CompiledRule(
            spec=spec,
            requirement=requirements[spec.requirement],
            variants=variants,
            reasons=reasons,
            placeholders=placeholders,
            parameters=parameters,
            file=document.path,
            line=document.line_of(location),
            location=location,
        )

    def _reasons(
        self, spec: RuleSpec, location: tuple[Any, ...], has_applies_when: bool
    ) -> dict[RuleResultKind, LocalizedText]:
        where = (*location, "reasons")
        reasons = {RuleResultKind.passed: spec.reasons.passed}
        if spec.kind is RuleKind.signal:
            if spec.severity is not Severity.note:
                raise CompileError((*location, "severity"), "a signal rule has severity 'note'")
            if spec.reasons.failed is not None:
                raise CompileError(
                    (*where, "failed"),
                    "a signal rule is passed (raised) or not_applicable; remove 'failed'",
                )
            if spec.reasons.not_applicable is None:
                raise CompileError(
                    where, "a signal rule needs a 'not_applicable' reason (signal not raised)"
                )
            reasons[RuleResultKind.not_applicable] = spec.reasons.not_applicable
            return reasons
        if spec.reasons.failed is None:
            raise CompileError(where, "a 'failed' reason is required (sv and en)")
        reasons[RuleResultKind.failed] = spec.reasons.failed
        if has_applies_when:
            if spec.reasons.not_applicable is None:
                raise CompileError(
                    where, "the rule has 'applies_when', so it needs a 'not_applicable' reason"
                )
            reasons[RuleResultKind.not_applicable] = spec.reasons.not_applicable
        elif spec.reasons.not_applicable is not None:
            raise CompileError(
                (*where, "not_applicable"),
                "'not_applicable' is only used with 'applies_when'; remove it or add applies_when",
            )
        return reasons

    def _base_application(self) -> dict[str, Any] | None:
        relative = BASE_APPLICATION
        path = self.root / relative
        if not path.is_file():
            return None
        document = load_yaml(path)
        self.documents[relative] = document
        try:
            Application.model_validate(document.data)
        except ValidationError as error:
            for detail in error.errors():
                self.problem(
                    document,
                    detail["loc"],
                    f"the base application is not a valid application: {detail['msg']} "
                    f"({'.'.join(map(str, detail['loc']))})",
                )
        return document.data


def _variants(
    spec: RuleSpec, condition: Compiled, applies: Compiled | None
) -> dict[RuleResultKind, dict[str, Any]]:
    """The durable expression under which each result is the rule's result."""
    if spec.kind is RuleKind.signal:
        if applies is None:
            return {
                RuleResultKind.passed: condition.holds,
                RuleResultKind.not_applicable: condition.fails,
            }
        return {
            RuleResultKind.passed: all_of(applies.holds, condition.holds),
            RuleResultKind.not_applicable: any_of(applies.fails, condition.fails),
        }
    if applies is None:
        return {RuleResultKind.passed: condition.holds, RuleResultKind.failed: condition.fails}
    return {
        RuleResultKind.passed: all_of(applies.holds, condition.holds),
        RuleResultKind.failed: all_of(applies.holds, condition.fails),
        RuleResultKind.not_applicable: applies.fails,
    }


def _enums(catalog: FieldCatalog) -> dict[str, tuple[str, ...]]:
    enums: dict[str, tuple[str, ...]] = {}
    for info in catalog.fields.values():
        if info.enum_name:
            enums[info.enum_name] = info.enum_values
        if info.item_enum_name:
            enums[info.item_enum_name] = info.item_enum_values
        if info.item is not None:
            enums.update(_enums(info.item))
    return enums


def _explain(detail: dict[str, Any], model: type[BaseModel]) -> str:
    """A pydantic error, said for a rule author: what is wrong and how to fix it."""
    steps: list[str] = []
    for step in detail["loc"]:
        text = str(step)
        if text.startswith("function-") or (steps and steps[-1] == text):
            continue  # pydantic's union tags and validator names, not the author's words
        steps.append(text)
    where = ".".join(steps)
    if detail["type"] == "extra_forbidden":
        key = str(detail["loc"][-1])
        return f"unknown key '{key}'{_suggest_key(key)}"
    if detail["type"] == "missing":
        return f"'{detail['loc'][-1]}' is required here ({where})"
    message = str(detail["msg"]).removeprefix("Value error, ")
    return f"{message} ({where})" if where else message


def _suggest_key(key: str) -> str:
    from .spec import FIELD_TESTS, FieldCondition

    vocabulary = [
        *FIELD_TESTS,
        *RuleSpec.model_fields,
        *FieldCondition.model_fields,
        "all",
        "any",
        "not",
        "some",
        "every",
        "category_fits",
        "where",
        "param",
        "list",
        "passed",
        "failed",
        "not_applicable",
        "value",
        "description",
        "sv",
        "en",
    ]
    hint = difflib.get_close_matches(key, vocabulary, n=1)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def load_ruleset(root: Path | None = None) -> Ruleset:
    """Load, check and compile the rules folder; raises RulesetError listing every problem."""
    return _Loader(Path(root) if root else default_rules_dir()).load()
