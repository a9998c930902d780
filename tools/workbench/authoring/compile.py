"""Read the rules folder, check it, compile it: all or nothing.

``compile_rules(path)`` returns an :class:`Authored` ruleset only when every file is valid;
otherwise it raises :class:`RulesetError` listing every problem as ``file:line: message`` (what
is wrong and how to fix it). What it checks beyond the file format:

* the severity policy: a ``reject`` rule (and each of its parameters) cites a published or
  legal source, never an assumption or a secondary source; a rule reading a value derived from
  the organisation-number series (``derived.member_share_percent``,
  ``derived.applicant_public_body``) is held to the series parameters' sources, and every rule
  that sets those parameters gives them the same value;
* version discipline: the hash recorded in ``VERSION`` is the rule files' hash;
* completeness: the manifest lists every rule file and rule, every requirement is covered by a
  rule, every value, field and list a rule reads has a label in sv and en;
* the examples: a check rule has passed and failed examples (and not_applicable with
  ``applies_when``), a signal has passed and not_applicable;
* reasons: placeholders name known fields; a list placeholder says what to write when empty.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from screening.engine import Decision, EngineError
from screening.engine.durable import variants
from screening.engine.durable_session import MAX_PROPERTIES
from screening.models.common import CONTRACT_VERSION, Category, ReferenceKind
from screening.models.effect_report import EFFECT_REPORT_CONTRACT_VERSION
from screening.models.verdict import RuleResultKind, Severity
from screening.ruleset.compiled import (
    CategoryDefinition,
    CompiledRuleset,
    FieldLabel,
    ItemLabel,
    Labels,
    RuleDefinition,
)
from screening.ruleset.derived import (
    SERIES_FIELDS,
    SERIES_PARAMETERS,
    Area,
    Edition,
    VulnerableAreas,
)
from screening.ruleset.reasons import FAILURES, FORMATS, PLACEHOLDER
from screening.ruleset.release import MANIFEST_FILE, VERSION_FILE, content_hash
from screening.validation import BodyInvalid, field_errors, parse_application

from .conditions import ConditionCompiler, PlanRecorder
from .fields import SUPERSEDED_FIELDS, FieldCatalog, FieldInfo
from .problems import CompileError, Problem, RulesetError
from .spec import (
    ApplicantTypesFile,
    CategoriesFile,
    IndicatorsFile,
    LabelsFile,
    ManifestFile,
    RequirementsFile,
    RuleFile,
    RuleKind,
    RuleReference,
    RuleSpec,
    SourcesFile,
    VersionFile,
    VulnerableAreasEdition,
)
from .subjects import SCREENING_SUBJECT, SUBJECTS, Subject, follow_up_input
from .yamlfile import YamlDocument, YamlSyntaxError, load_yaml

DATA_FILES = {
    "sources": "data/sources.yaml",
    "requirements": "data/requirements.yaml",
    "categories": "data/categories.yaml",
    "applicant_types": "data/applicant-types.yaml",
    "labels": "data/labels.yaml",
    "indicators": "data/indicators.yaml",
}
VULNERABLE_AREAS = "data/vulnerable-areas"
BASE_APPLICATION = SCREENING_SUBJECT.base_example
APPLICATION_EXAMPLES = "examples/applications.yaml"
LANGUAGES = ("sv", "en")
MAX_FACT_PROPERTIES = MAX_PROPERTIES - 13  # a margin below durable_rules' limit
MAY_REJECT = (ReferenceKind.published, ReferenceKind.law)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class AuthoredRule:
    spec: RuleSpec
    document: YamlDocument
    location: tuple[Any, ...]


@dataclass
class Authored:
    """A compiled ruleset and what the rule authors' tools need beside it."""

    root: Path
    ruleset: CompiledRuleset
    rules: dict[str, AuthoredRule]
    documents: dict[str, YamlDocument]
    base_example: dict[str, Any]  # the base application, or the base follow-up
    subject: Subject = SCREENING_SUBJECT
    warnings: list[Problem] = field(default_factory=list)

    @property
    def base_application(self) -> dict[str, Any]:
        return self.base_example


def rule_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*.yaml") if p.is_file() and p.name != MANIFEST_FILE)


class _Loader:
    def __init__(
        self,
        root: Path,
        verify_version: bool = True,
        overrides: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        self.root = root
        self.verify_version = verify_version
        self.overrides = dict(overrides or {})
        self.applied = sorted(f"{r}.{n}={v!r}" for (r, n), v in self.overrides.items())
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.documents: dict[str, YamlDocument] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.unreadable: set[str] = set()  # rule files already reported: no echo from the manifest
        self.subject = SCREENING_SUBJECT  # until the manifest says otherwise
        # The organisation-number series: where each parameter is set, and who reads the values
        # derived from it (checked once every rule is read: _series).
        self.series_set: list[tuple[RuleSpec, str, YamlDocument, tuple[Any, ...]]] = []
        self.series_read: list[tuple[RuleSpec, YamlDocument, tuple[Any, ...]]] = []

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
                    Problem(path, document.line_of(detail["loc"]), _explain(detail))
                )
            return None, document

    def problem(self, document: YamlDocument, location: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(document.path, document.line_of(location), message))

    # ---------------------------------------------------------------- the whole folder

    def load(self) -> Authored:
        version, version_doc = self.read(VERSION_FILE, VersionFile)
        manifest, manifest_doc = self.read(MANIFEST_FILE, ManifestFile)
        if manifest is not None:
            self.subject = SUBJECTS[manifest.subject]
        sources, _ = self.read(DATA_FILES["sources"], SourcesFile)
        requirements, requirements_doc = self.read(DATA_FILES["requirements"], RequirementsFile)
        categories, categories_doc, types, types_doc = None, None, None, None
        if self.subject.screening_data:
            categories, categories_doc = self.read(DATA_FILES["categories"], CategoriesFile)
            types, types_doc = self.read(DATA_FILES["applicant_types"], ApplicantTypesFile)
        labels_file, labels_doc = self.read(DATA_FILES["labels"], LabelsFile)
        if sources is not None:
            self.sources = {sid: _source_fields(sid, s) for sid, s in sources.sources.items()}

        requirement_index = self._requirements(requirements, requirements_doc)
        lists = self._lists(types, types_doc)
        category_kinds, category_defs = self._categories(categories, categories_doc)
        areas = self._vulnerable_areas() if self.subject.screening_data else VulnerableAreas([])
        indicators = {} if self.subject.screening_data else self._indicators()

        recorder = PlanRecorder()
        compiled_categories: list[CategoryDefinition] = []
        if category_kinds:
            compiler = ConditionCompiler(self.subject.fields, recorder, {}, lists, category_kinds)
            for code, title in category_defs:
                compiled_categories.append(CategoryDefinition(code, title, compiler.fits(code)))

        rules, authored, fields_read = self._rules(
            recorder, lists, category_kinds, requirement_index
        )
        self._series()
        labels = self._labels(labels_file, labels_doc, fields_read, category_defs)
        base = self._base_example()
        self._manifest(manifest, manifest_doc, authored)
        self._coverage(requirement_index, rules, requirements_doc)
        files_hash = content_hash(self.root)
        if (
            self.verify_version
            and version is not None
            and version_doc is not None
            and version.content_hash != files_hash
        ):
            self.problem(
                version_doc,
                ("content_hash",),
                f"the rule files changed since version {version.version} (recorded hash "
                f"{version.content_hash}, files now {files_hash}): run `screening rules bump` "
                "to give the changed content a new version",
            )
        for rule_id, name in sorted(self.overrides):
            self.problems.append(
                Problem(self.root, 1, f"--set {rule_id}.{name}: no such rule parameter")
            )
        if recorder.plan.property_count() > MAX_FACT_PROPERTIES:
            self.problems.append(
                Problem(
                    self.root / MANIFEST_FILE,
                    1,
                    f"the rules read {recorder.plan.property_count()} values of an application; "
                    f"the engine takes at most {MAX_FACT_PROPERTIES}. Merge or drop conditions.",
                )
            )
        if self.problems:
            raise RulesetError(self.problems)
        assert version is not None and labels is not None and manifest is not None
        recorded = {
            "version": version.version,
            "content_hash": files_hash,
            "effective_from": version.effective_from.isoformat(),
        }
        if self.applied:  # parameters set for a study: never mistaken for the release itself
            digest = hashlib.sha256("\n".join([files_hash, *self.applied]).encode()).hexdigest()
            recorded.update(version=f"{version.version}+set", content_hash=digest[:16])
        ruleset = CompiledRuleset(
            version=recorded,
            contract_version=(
                CONTRACT_VERSION
                if self.subject is SCREENING_SUBJECT
                else EFFECT_REPORT_CONTRACT_VERSION
            ),
            rules=tuple(rules),
            categories=tuple(compiled_categories),
            facts=recorder.plan,
            labels=labels,
            requirements=tuple(requirement_index.values()),
            sources=self.sources,
            vulnerable_areas=areas,
            manifest={f: list(ids) for f, ids in manifest.files.items()},
            subject=self.subject.name,
            indicators=indicators,
        )
        return Authored(
            self.root,
            ruleset,
            authored,
            self.documents,
            base or {},
            self.subject,
            self.warnings,
        )

    # ---------------------------------------------------------------- references

    def reference(
        self,
        ref: RuleReference,
        document: YamlDocument,
        location: tuple[Any, ...],
    ) -> dict[str, Any] | None:
        source = self.sources.get(ref.source)
        if source is None:
            hint = difflib.get_close_matches(ref.source, list(self.sources), n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            self.problem(
                document,
                (*location, "source"),
                f"source '{ref.source}' is not in data/sources.yaml{suggestion}",
            )
            return None
        resolved = {**source, "section": ref.section, "note": ref.note}
        return {k: v for k, v in resolved.items() if v is not None}

    # ---------------------------------------------------------------- data files

    def _requirements(
        self, requirements: RequirementsFile | None, document: YamlDocument | None
    ) -> dict[str, dict[str, Any]]:
        if requirements is None or document is None:
            return {}
        index: dict[str, dict[str, Any]] = {}
        for rid, spec in requirements.requirements.items():
            entry: dict[str, Any] = {"id": rid, "title": spec.title.model_dump()}
            if spec.description is not None:
                entry["description"] = spec.description.model_dump()
            if spec.reference is not None:
                ref = self.reference(spec.reference, document, ("requirements", rid, "reference"))
                if ref is not None:
                    entry["reference"] = ref
            index[rid] = entry
        return index

    def _lists(
        self, types: ApplicantTypesFile | None, document: YamlDocument | None
    ) -> dict[str, list[Any]]:
        lists: dict[str, list[Any]] = {}
        if types is None or document is None:
            return lists
        fields = self.subject.fields.fields
        expected = set(fields["applicant.type"].enum_values)
        for name in sorted(set(types.applicant_types) ^ expected):
            self.problem(
                document,
                ("applicant_types",),
                f"applicant type '{name}' must be defined here exactly as in the API "
                f"(types: {', '.join(sorted(expected))})",
            )
        kinds = types.applicant_types
        groups = fields["applicant.organisation_group"].enum_values
        lists["eligible_applicant_types"] = [t for t, s in kinds.items() if s.may_borrow]
        lists["company_applicant_types"] = [t for t, s in kinds.items() if s.is_company]
        for group in groups:
            lists[f"{group}_applicant_types"] = [
                t for t, s in kinds.items() if s.may_borrow and s.organisation_group == group
            ]
        for name, spec in kinds.items():
            if spec.organisation_group is not None and spec.organisation_group not in groups:
                self.problem(
                    document,
                    ("applicant_types", name, "organisation_group"),
                    f"'{spec.organisation_group}' is not an organisation group "
                    f"({', '.join(groups)})",
                )
        return lists

    def _categories(
        self, categories: CategoriesFile | None, document: YamlDocument | None
    ) -> tuple[dict[str, tuple[str, ...]], list[tuple[str, dict[str, str]]]]:
        if categories is None or document is None:
            return {}, []
        expected = {c.value for c in Category}
        facility_kinds = self.subject.fields.fields["project.facility_kinds"].item_enum_values
        for code in categories.categories:
            if code not in expected:
                self.problem(
                    document,
                    ("categories", code),
                    f"category '{code}' is not one of the framework's categories "
                    f"({', '.join(sorted(expected))}); categories are part of the API contract",
                )
        for code in sorted(expected - set(categories.categories)):
            self.problem(document, ("categories",), f"category '{code}' is not defined")
        for code, spec in categories.categories.items():
            self.reference(spec.reference, document, ("categories", code, "reference"))
        for kind in facility_kinds:
            if kind not in categories.facility_kinds:
                self.problem(
                    document,
                    ("facility_kinds",),
                    f"facility kind '{kind}' is not in the table; add it with the categories it "
                    "fits (an empty list if none)",
                )
        by_category: dict[str, list[str]] = {code: [] for code in categories.categories}
        for kind, fit in categories.facility_kinds.items():
            if kind not in facility_kinds:
                self.problem(
                    document,
                    ("facility_kinds", kind),
                    f"'{kind}' is not a facility kind (values: {', '.join(facility_kinds)})",
                )
                continue
            for index, code in enumerate(fit.fits):
                if code not in categories.categories:
                    self.problem(
                        document,
                        ("facility_kinds", kind, "fits", index),
                        f"'{code}' is not a category ({', '.join(sorted(categories.categories))})",
                    )
                else:
                    by_category[code].append(kind)
        for code, kinds in by_category.items():
            if not kinds:
                self.problem(
                    document, ("categories", code), f"no facility kind fits category '{code}'"
                )
        titles = [(code, spec.title.model_dump()) for code, spec in categories.categories.items()]
        return {code: tuple(kinds) for code, kinds in by_category.items()}, titles

    def _vulnerable_areas(self) -> VulnerableAreas:
        folder = self.root / VULNERABLE_AREAS
        editions: list[Edition] = []
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not files:
            self.problems.append(
                Problem(folder, 1, "no edition of the police list of vulnerable areas")
            )
        for path in files:
            relative = path.relative_to(self.root).as_posix()
            spec, document = self.read(relative, VulnerableAreasEdition)
            if spec is None or document is None:
                continue
            if len(spec.areas) != spec.expected_area_count:
                self.warnings.append(
                    Problem(
                        path,
                        document.line_of(("areas",)),
                        f"edition {spec.edition} lists {len(spec.areas)} of the "
                        f"{spec.expected_area_count} areas the police state",
                    )
                )
            names = [a.name for a in spec.areas]
            for index, name in enumerate(names):
                if names.index(name) != index:
                    self.problem(document, ("areas", index), f"area '{name}' is listed twice")
            editions.append(
                Edition(
                    edition=spec.edition,
                    title=spec.title,
                    published=spec.published,
                    source_url=spec.source_url,
                    areas=tuple(
                        Area(a.name, a.municipality, a.level, tuple(a.known_as)) for a in spec.areas
                    ),
                )
            )
        return VulnerableAreas(editions)

    def _indicators(self) -> dict[str, Any]:
        """The lender's indicators and the portfolio's attribution (follow-up rulesets)."""
        spec, document = self.read(DATA_FILES["indicators"], IndicatorsFile)
        if spec is None or document is None:
            return {}
        attribution = self.reference(
            spec.attribution_reference, document, ("attribution_reference",)
        )
        indicators = {}
        for indicator_id, indicator in spec.indicators.items():
            location = ("indicators", indicator_id)
            if not re.fullmatch(r"[a-z][a-z0-9_.-]{1,63}", indicator_id):
                self.problem(
                    document,
                    location,
                    f"indicator id '{indicator_id}' must be lower case letters, digits, '_', "
                    "'.' or '-' (as applications write it)",
                )
            reference = self.reference(indicator.reference, document, (*location, "reference"))
            indicators[indicator_id] = {
                **indicator.model_dump(exclude={"reference"}),
                "id": indicator_id,
                "reference": reference,
            }
        return {
            "attribution": spec.attribution,
            "attribution_reference": attribution,
            "indicators": indicators,
        }

    def _labels(
        self,
        labels_file: LabelsFile | None,
        document: YamlDocument | None,
        fields_read: set[str],
        category_titles: list[tuple[str, dict[str, str]]],
    ) -> Labels | None:
        if labels_file is None or document is None:
            return None
        values = {
            enum: {value: text.model_dump() for value, text in texts.items()}
            for enum, texts in labels_file.values.items()
        }
        # Category titles are written once, in categories.yaml.
        if category_titles:
            values.setdefault("category", dict(category_titles))
        # A derived value's choices need labels once a rule reads it (the rules of an earlier
        # release, compiled by `rules release` or `impact`, predate it and still compile).
        unread = {
            path
            for path in self.subject.fields.paths()
            if path.startswith("derived.") and path not in fields_read
        }
        enums = _enums(
            FieldCatalog({p: i for p, i in self.subject.fields.fields.items() if p not in unread})
        )
        for enum_name, enum_values in enums.items():
            known = values.get(enum_name)
            if known is None:
                self.problem(document, ("values",), f"labels for '{enum_name}' are missing")
                continue
            for value in enum_values:
                if value not in known:
                    self.problem(
                        document,
                        ("values", enum_name),
                        f"'{enum_name}' has no label for '{value}'; add sv and en",
                    )
            for value in known:
                if value not in enum_values:
                    self.problem(
                        document,
                        ("values", enum_name, value),
                        f"'{value}' is not a value of '{enum_name}' "
                        f"(values: {', '.join(enum_values)})",
                    )
        fields: dict[str, FieldLabel] = {}
        for path, spec in labels_file.fields.items():
            info = _field_info(self.subject.fields, path)
            if info is None:
                self.problem(document, ("fields", path), f"'{path}' is not a field")
                continue
            if spec.format and spec.format not in (*FORMATS, *labels_file.units):
                self.problem(
                    document,
                    ("fields", path, "format"),
                    f"unknown format '{spec.format}' (formats: "
                    f"{', '.join((*FORMATS, *labels_file.units))})",
                )
            enum = info.enum_name or info.item_enum_name
            fields[path] = FieldLabel(spec.sv, spec.en, enum, spec.format, spec.pointer)
        for path in sorted(fields_read - set(fields)):
            self.problem(
                document,
                ("fields",),
                f"field '{path}' is read by a rule but has no label; add it under fields: "
                "with sv and en (explanations name it)",
            )
        items: dict[str, ItemLabel] = {}
        for path, item in labels_file.items.items():
            info = _field_info(self.subject.fields, path)
            if info is None or info.kind != "list" or info.item is None:
                self.problem(document, ("items", path), f"'{path}' is not a list of objects")
                continue
            if item.title and item.title not in info.item.fields:
                self.problem(
                    document,
                    ("items", path, "title"),
                    f"'{item.title}' is not a field of the items of {path}",
                )
            items[path] = ItemLabel(item.sv, item.en, item.title)
        for path in sorted(fields_read):
            info = _field_info(self.subject.fields, path)
            if (
                info is not None
                and info.kind == "list"
                and info.item is not None
                and (path not in items)
            ):
                self.problem(
                    document,
                    ("items",),
                    f"list '{path}' is read by a rule but its items have no label; add it "
                    "under items: (e.g. sv: 'effektmål {number}')",
                )
        units = {name: unit.model_dump() for name, unit in labels_file.units.items()}
        return Labels(values, fields, items, units)

    # ---------------------------------------------------------------- rules

    def _rules(
        self,
        recorder: PlanRecorder,
        lists: dict[str, list[Any]],
        category_kinds: dict[str, tuple[str, ...]],
        requirements: dict[str, dict[str, Any]],
    ) -> tuple[list[RuleDefinition], dict[str, AuthoredRule], set[str]]:
        compiled: list[RuleDefinition] = []
        authored: dict[str, AuthoredRule] = {}
        fields_read: set[str] = set()
        files = rule_files(self.root)
        if not files:
            self.problems.append(Problem(self.root, 1, "no rule files (rules/*.yaml)"))
        for path in files:
            relative = path.relative_to(self.root).as_posix()
            rule_file, document = self.read(relative, RuleFile)
            if rule_file is None or document is None:
                self.unreadable.add(relative)
                continue
            for index, spec in enumerate(rule_file.rules):
                location = ("rules", index)
                if spec.id in authored:
                    first = authored[spec.id]
                    self.problem(
                        document,
                        (*location, "id"),
                        f"rule id '{spec.id}' is already used in {first.document.path.name}:"
                        f"{first.document.line_of(first.location)}; ids must be unique",
                    )
                    continue
                authored[spec.id] = AuthoredRule(spec, document, location)
                try:
                    rule = self._rule(
                        spec,
                        relative,
                        location,
                        document,
                        recorder,
                        lists,
                        category_kinds,
                        requirements,
                        fields_read,
                    )
                except CompileError as error:
                    self.problem(document, error.location, f"rule {spec.id}: {error.message}")
                    continue
                if rule is not None:
                    compiled.append(rule)
        return compiled, authored, fields_read

    def _rule(
        self,
        spec: RuleSpec,
        relative: str,
        location: tuple[Any, ...],
        document: YamlDocument,
        recorder: PlanRecorder,
        lists: dict[str, list[Any]],
        category_kinds: dict[str, tuple[str, ...]],
        requirements: dict[str, dict[str, Any]],
        fields_read: set[str],
    ) -> RuleDefinition | None:
        if spec.requirement not in requirements:
            known = ", ".join(requirements) or "none loaded"
            raise CompileError(
                (*location, "requirement"),
                f"requirement '{spec.requirement}' is not in data/requirements.yaml ({known})",
            )
        before = len(self.problems)
        spec = self._overridden(spec)
        reference = self.reference(spec.reference, document, (*location, "reference"))
        self._severity_policy(spec, location, document, reference)
        compiler = ConditionCompiler(
            self.subject.fields, recorder, spec.parameters, lists, category_kinds
        )
        condition = compiler.compile(spec.condition, (*location, "condition"))
        applies = (
            compiler.compile(spec.applies_when, (*location, "applies_when"))
            if spec.applies_when is not None
            else None
        )
        fields_read |= compiler.fields_read
        for path in sorted(compiler.fields_read & set(SUPERSEDED_FIELDS)):
            instead, why = SUPERSEDED_FIELDS[path]
            self.warnings.append(
                Problem(
                    document.path,
                    document.line_of(location),
                    f"rule {spec.id} reads {path}: {why}; read {instead} instead",
                )
            )
        if compiler.fields_read & set(SERIES_FIELDS):
            self.series_read.append((spec, document, location))
        self.series_set += [
            (spec, name, document, location)
            for name in SERIES_PARAMETERS
            if name in spec.parameters
        ]
        try:  # the production engine must be able to decide it, not only the reference
            variants(Decision(spec.id, condition, applies, spec.kind is RuleKind.signal))
        except EngineError as error:
            raise CompileError((*location, "condition"), str(error)) from None
        reasons = self._reasons(spec, location, applies is not None)
        for result, text in reasons.items():
            for language in LANGUAGES:
                compiler.used_parameters |= self._placeholders(
                    text[language],
                    spec,
                    result,
                    (*location, "reasons", result, language),
                    document,
                )
        for name, parameter in spec.parameters.items():
            self.reference(
                parameter.reference, document, (*location, "parameters", name, "reference")
            )
            if name not in compiler.used_parameters:
                raise CompileError(
                    (*location, "parameters", name),
                    f"parameter '{name}' is defined but used by no condition or reason",
                )
        self._examples_cover(spec, location, document, applies is not None)
        if len(self.problems) > before or reference is None:
            return None
        return RuleDefinition(
            id=spec.id,
            title=spec.title.model_dump(),
            requirement={"id": spec.requirement, "title": requirements[spec.requirement]["title"]},
            kind=spec.kind.value,
            severity=spec.severity.value,
            reference=reference,
            condition=condition,
            applies=applies,
            reasons=reasons,
            parameters={name: p.value for name, p in spec.parameters.items()},
            file=relative,
            line=document.line_of(location),
        )

    def _overridden(self, spec: RuleSpec) -> RuleSpec:
        """The rule with parameters set from the command line (``screening impact --set``)."""
        changed = {
            name: parameter.model_copy(update={"value": self.overrides.pop((spec.id, name))})
            for name, parameter in spec.parameters.items()
            if (spec.id, name) in self.overrides
        }
        if not changed:
            return spec
        return spec.model_copy(update={"parameters": {**spec.parameters, **changed}})

    def _severity_policy(
        self,
        spec: RuleSpec,
        location: tuple[Any, ...],
        document: YamlDocument,
        reference: dict[str, Any] | None,
    ) -> None:
        """A reject rests on a published requirement or a law, never on an assumption."""
        if spec.severity is not Severity.reject:
            return
        if reference is not None and ReferenceKind(reference["kind"]) not in MAY_REJECT:
            self.problem(
                document,
                (*location, "reference"),
                f"rule {spec.id} rejects, but its reference '{reference['source']}' is "
                f"{reference['kind']}: a reject must cite a published requirement or a law. "
                "Cite one, or make the rule refer",
            )
        for name, parameter in spec.parameters.items():
            source = self.sources.get(parameter.reference.source)
            if source is not None and ReferenceKind(source["kind"]) not in MAY_REJECT:
                self.problem(
                    document,
                    (*location, "parameters", name, "reference"),
                    f"rule {spec.id} rejects, but its parameter '{name}' rests on "
                    f"'{parameter.reference.source}' ({source['kind']}): an assumption may "
                    "refer, never reject",
                )

    def _series(self) -> None:
        """The organisation-number series of municipalities and regions are rule parameters;
        the values derived from them (screening.ruleset.derived) read every rule's. So every
        rule that sets one must set the same value, digits only; a rule reading a derived value
        needs both set somewhere; and a reject rule reading one is held to their sources, as if
        it used them itself (an assumption may refer, never reject)."""
        values: dict[str, tuple[str, Any]] = {}
        for spec, name, document, location in self.series_set:
            where = (*location, "parameters", name, "value")
            value = spec.parameters[name].value
            items = value if isinstance(value, list) else [value]
            if not items or not all(
                isinstance(v, str | int) and not isinstance(v, bool) and str(v).isdigit()
                for v in items
            ):
                self.problem(
                    document,
                    where,
                    f"{name} lists the first digits of organisation numbers, without the "
                    f'hyphen (e.g. ["212000"]), not {value!r}',
                )
                continue
            first = values.setdefault(name, (spec.id, [str(v) for v in items]))
            if first[1] != [str(v) for v in items]:
                self.problem(
                    document,
                    where,
                    f"{name} is {items!r} here but {first[1]!r} in rule {first[0]}: the "
                    "derived membership values read one series, so set the same value in both",
                )
        for spec, document, location in self.series_read:
            missing = [name for name in SERIES_PARAMETERS if name not in values]
            if missing:
                self.problem(
                    document,
                    (*location, "condition"),
                    f"rule {spec.id} reads a value derived from the organisation-number series, "
                    f"but no rule sets {' or '.join(missing)}: add it as a parameter",
                )
            if spec.severity is not Severity.reject:
                continue
            for defining, name, _, _ in self.series_set:
                source = self.sources.get(defining.parameters[name].reference.source)
                if source is not None and ReferenceKind(source["kind"]) not in MAY_REJECT:
                    self.problem(
                        document,
                        (*location, "severity"),
                        f"rule {spec.id} rejects, but reads {', '.join(SERIES_FIELDS)}, derived "
                        f"from {name} (rule {defining.id}), which rests on "
                        f"'{defining.parameters[name].reference.source}' ({source['kind']}): "
                        "an assumption may refer, never reject",
                    )

    def _reasons(
        self, spec: RuleSpec, location: tuple[Any, ...], has_applies_when: bool
    ) -> dict[str, dict[str, str]]:
        where = (*location, "reasons")
        reasons = {"passed": spec.reasons.passed.model_dump()}
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
            reasons["not_applicable"] = spec.reasons.not_applicable.model_dump()
            return reasons
        if spec.reasons.failed is None:
            raise CompileError(where, "a 'failed' reason is required (sv and en)")
        reasons["failed"] = spec.reasons.failed.model_dump()
        if has_applies_when:
            if spec.reasons.not_applicable is None:
                raise CompileError(
                    where, "the rule has 'applies_when', so it needs a 'not_applicable' reason"
                )
            reasons["not_applicable"] = spec.reasons.not_applicable.model_dump()
        elif spec.reasons.not_applicable is not None:
            raise CompileError(
                (*where, "not_applicable"),
                "'not_applicable' is only used with 'applies_when'; remove it or add applies_when",
            )
        return reasons

    def _placeholders(
        self,
        template: str,
        spec: RuleSpec,
        result: str,
        location: tuple[Any, ...],
        document: YamlDocument,
    ) -> set[str]:
        """Checks every placeholder of a reason; returns the parameters it uses."""
        used: set[str] = set()
        units = set(self._units())
        for match in PLACEHOLDER.finditer(template):
            path, fmt, fallback = match.group(1), match.group(2), match.group(3)
            text = match.group(0)
            if fmt is not None and fmt not in FORMATS and fmt not in units:
                self.problem(
                    document,
                    location,
                    f"unknown format ':{fmt}' in '{text}'; use one of "
                    f"{', '.join((*FORMATS, *sorted(units)))}",
                )
            if path == FAILURES:
                if result != RuleResultKind.failed.value:
                    self.problem(document, location, "'{failures}' belongs in a failed reason")
                continue
            if path.startswith("param."):
                name = path.removeprefix("param.")
                if name not in spec.parameters:
                    self.problem(
                        document,
                        location,
                        f"'{text}' names parameter '{name}', which is not defined",
                    )
                used.add(name)
                continue
            if path.split(".")[0] == "contact_person":
                self.problem(
                    document, location, f"'{text}' is personal data; reasons may not cite it"
                )
                continue
            info = self.subject.context_fields.get(path) or _field_info(self.subject.fields, path)
            if info is None:
                self.problem(document, location, f"'{text}' names no known field")
                continue
            if info.kind == "object" or (info.kind == "list" and info.item is not None):
                self.problem(document, location, f"'{text}' is a group of fields, not a value")
            elif info.kind == "list" and fallback is None:
                self.problem(
                    document,
                    location,
                    f"'{text}' is a list and may be empty: say what to write then, e.g. "
                    f"'{{{path}|ingen}}'",
                )
        leftover = PLACEHOLDER.sub("", template)
        if "{" in leftover or "}" in leftover:
            self.problem(
                document, location, "a '{' or '}' is not part of a valid {field.path} placeholder"
            )
        return used

    def _units(self) -> Iterable[str]:
        document = self.documents.get(DATA_FILES["labels"])
        units = (document.data or {}).get("units", {}) if document else {}
        return units.keys() if isinstance(units, dict) else ()

    def _examples_cover(
        self,
        spec: RuleSpec,
        location: tuple[Any, ...],
        document: YamlDocument,
        has_applies_when: bool,
    ) -> None:
        expected = (
            {RuleResultKind.passed, RuleResultKind.not_applicable}
            if spec.kind is RuleKind.signal
            else {RuleResultKind.passed, RuleResultKind.failed}
        )
        if has_applies_when:
            expected.add(RuleResultKind.not_applicable)
        found = {example.expect for example in spec.examples}
        wrong = "follow_up" if self.subject is SCREENING_SUBJECT else "application"
        for index, example in enumerate(spec.examples):
            if getattr(example, wrong) is not None:
                self.problem(
                    document,
                    (*location, "examples", index, wrong),
                    f"these rules read a {self.subject.name.replace('_', '-')}: write the "
                    f"example's fragment under '{self.subject.example_key}:', not '{wrong}:'",
                )
        for kind in sorted(expected - found):
            self.problem(
                document,
                (*location, "examples"),
                f"rule {spec.id} has no example that is {kind.value}; every rule shows each "
                "result it can give",
            )

    # ---------------------------------------------------------------- the whole

    def _manifest(
        self,
        manifest: ManifestFile | None,
        document: YamlDocument | None,
        authored: dict[str, AuthoredRule],
    ) -> None:
        if manifest is None or document is None:
            return
        present = {p.relative_to(self.root).as_posix() for p in rule_files(self.root)}
        for name in sorted(set(manifest.files) - present):
            self.problem(
                document,
                ("files", name),
                f"rule file {name} is listed in the manifest with {len(manifest.files[name])} "
                "rule(s) but is missing: restore it, or remove it deliberately with "
                "`screening rules bump`",
            )
        for name in sorted(present - set(manifest.files)):
            self.problem(
                document,
                ("files",),
                f"rule file {name} is not in the manifest: run `screening rules bump`",
            )
        by_file: dict[str, list[str]] = {}
        for rule_id, rule in authored.items():
            by_file.setdefault(rule.document.path.relative_to(self.root).as_posix(), []).append(
                rule_id
            )
        for name, ids in manifest.files.items():
            if (
                name in present
                and name not in self.unreadable
                and sorted(ids) != sorted(by_file.get(name, []))
            ):
                missing = sorted(set(ids) - set(by_file.get(name, [])))
                added = sorted(set(by_file.get(name, [])) - set(ids))
                self.problem(
                    document,
                    ("files", name),
                    f"{name} differs from the manifest (missing: {', '.join(missing) or 'none'}; "
                    f"not listed: {', '.join(added) or 'none'}): run `screening rules bump`",
                )

    def _coverage(
        self,
        requirements: dict[str, dict[str, Any]],
        rules: list[RuleDefinition],
        document: YamlDocument | None,
    ) -> None:
        if document is None:
            return
        covered = {rule.requirement["id"] for rule in rules}
        for rid in requirements:
            if rid not in covered and not self.problems:
                self.problem(
                    document, ("requirements", rid), f"requirement '{rid}' is covered by no rule"
                )

    def _base_example(self) -> dict[str, Any] | None:
        relative = self.subject.base_example
        path = self.root / relative
        if not path.is_file():
            self.problems.append(Problem(path, 1, f"file is missing; {relative}"))
            return None
        document = load_yaml(path)
        self.documents[relative] = document
        try:
            if self.subject is SCREENING_SUBJECT:
                parse_application(document.data)
            else:
                follow_up_input(document.data, path.parent)
        except BodyInvalid as error:
            for problem in error.errors:
                self.problem(
                    document,
                    tuple(int(s) if s.isdigit() else s for s in problem.field.split(".")),
                    f"the base example is not valid: {problem}",
                )
        return dict(document.data)


def _source_fields(source_id: str, spec: Any) -> dict[str, Any]:
    when = spec.date or spec.accessed
    return {
        k: v
        for k, v in {
            "source": source_id,
            "kind": spec.kind.value,
            "title": spec.title,
            "publisher": spec.publisher,
            "url": spec.url,
            "date": when.isoformat() if isinstance(when, date) else None,
        }.items()
        if v is not None
    }


def _field_info(catalog: FieldCatalog, path: str) -> FieldInfo | None:
    """A field by full path, list items' fields too (``social_content.effect_goals.goal``)."""
    info = catalog.get(path)
    if info is not None:
        return info
    head, _, tail = path.rpartition(".")
    while head:
        parent = catalog.get(head)
        if parent is not None and parent.item is not None:
            return parent.item.get(tail)
        head, _, rest = head.rpartition(".")
        tail = f"{rest}.{tail}"
    return None


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


def _explain(detail: Any) -> str:
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
        "if",
        "then",
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
        "reference",
        "source",
        "section",
        "note",
        "sv",
        "en",
    ]
    hint = difflib.get_close_matches(key, vocabulary, n=1)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def compile_rules(
    root: Path,
    *,
    verify_version: bool = True,
    overrides: dict[tuple[str, str], Any] | None = None,
) -> Authored:
    """Load, check and compile the rules folder; raises RulesetError listing every problem.

    ``verify_version=False`` compiles rule files whose VERSION is not up to date (a candidate
    under study); ``overrides`` sets rule parameters ({(rule id, parameter): value}).
    """
    return _Loader(Path(root), verify_version, overrides).load()


__all__ = [
    "APPLICATION_EXAMPLES",
    "BASE_APPLICATION",
    "Authored",
    "AuthoredRule",
    "compile_rules",
    "field_errors",
    "rule_files",
]
