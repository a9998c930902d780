"""JSON Schemas generated from the pydantic models into ``schemas/`` (never edited by hand).

``screening schemas --out schemas`` writes them; ``--check`` fails when a checked-in file is
stale, and a test runs that check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from screening.models.application import Application
from screening.models.decision import Decision, DecisionInput
from screening.models.effect_report import EffectReport
from screening.models.follow_up import FollowUpVerdict
from screening.models.verdict import Verdict

from .authoring.spec import (
    ApplicantTypesFile,
    ApplicationExamplesFile,
    CategoriesFile,
    IndicatorsFile,
    LabelsFile,
    ManifestFile,
    RequirementsFile,
    RuleFile,
    SourcesFile,
    VulnerableAreasEdition,
)

# file name → (model, mode): requests are read (validation), verdicts are written.
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "application.schema.json": (Application, "validation"),
    "verdict.schema.json": (Verdict, "serialization"),
    "decision-input.schema.json": (DecisionInput, "validation"),
    "decision.schema.json": (Decision, "serialization"),
    "effect-report.schema.json": (EffectReport, "validation"),
    "follow-up-verdict.schema.json": (FollowUpVerdict, "serialization"),
    "rule-file.schema.json": (RuleFile, "validation"),
    "requirements-file.schema.json": (RequirementsFile, "validation"),
    "categories-file.schema.json": (CategoriesFile, "validation"),
    "applicant-types-file.schema.json": (ApplicantTypesFile, "validation"),
    "vulnerable-areas-edition.schema.json": (VulnerableAreasEdition, "validation"),
    "sources-file.schema.json": (SourcesFile, "validation"),
    "manifest-file.schema.json": (ManifestFile, "validation"),
    "labels-file.schema.json": (LabelsFile, "validation"),
    "indicators-file.schema.json": (IndicatorsFile, "validation"),
    "application-examples-file.schema.json": (ApplicationExamplesFile, "validation"),
}


def schema_documents() -> dict[str, str]:
    documents = {}
    for name, (model, mode) in SCHEMAS.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": name,
            **model.model_json_schema(by_alias=True, mode=mode),  # type: ignore[arg-type]
        }
        documents[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return documents


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(out: Path) -> list[str]:
    """Names of schema files that are missing or differ from what the models generate."""
    stale = []
    for name, text in schema_documents().items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
