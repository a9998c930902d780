"""``screening decisions import FILE.csv``: one round's decisions from the committee's minutes.

The committee secretary keeps the minutes (*protokoll*) in a spreadsheet; saved as CSV
(semicolon or comma, UTF-8 with or without BOM) with these columns (docs/decisions-template.csv):

    ansökan;revision;beslut;beslutsdatum;omgång;överprövade regler;bedömning;motivering

* ``beslut``: beviljat, avslag or återremiss (granted, declined, returned)
* ``beslutsdatum``: YYYY-MM-DD; ``omgång``: e.g. 2026-R3; ``revision``: the screening decided on
* ``överprövade regler``: rule ids, separated by spaces or commas (may be empty)
* ``bedömning``: ``krav=värde`` pairs (uppfyllt, ej_uppfyllt, ej_bedömt), separated by spaces
  or commas (may be empty)
* ``motivering``: a short text (no personal data)

Every row is validated first — its format, that the application and revision exist, that the
rules and requirements it names are those of that screening — and nothing is stored if any row
is wrong; each problem names its row and column. Then all rows are written in one transaction.
A row identical to the decision already recorded stores nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from api.decisions import prepare
from api.errors import ApiError
from api.store.decisions import DecisionStore, Pending
from api.store.screenings import ScreeningStore
from screening.models.decision import Decision, DecisionInput

COLUMNS = {
    "ansokan": "application_id",
    "application_id": "application_id",
    "revision": "screening_revision",
    "screening_revision": "screening_revision",
    "beslut": "decision",
    "decision": "decision",
    "beslutsdatum": "decision_date",
    "decision_date": "decision_date",
    "omgang": "round",
    "round": "round",
    "overprovade regler": "overridden_rules",
    "overridden_rules": "overridden_rules",
    "bedomning": "assessments",
    "assessments": "assessments",
    "motivering": "motivation",
    "motivation": "motivation",
}
REQUIRED = ("application_id", "screening_revision", "decision", "decision_date", "round")
DECISIONS = {
    "beviljat": "granted",
    "beviljad": "granted",
    "granted": "granted",
    "avslag": "declined",
    "avslagen": "declined",
    "avslaget": "declined",
    "declined": "declined",
    "aterremiss": "returned",
    "aterremitterad": "returned",
    "aterremitterat": "returned",
    "returned": "returned",
}
ASSESSMENTS = {
    "uppfyllt": "met",
    "met": "met",
    "ej_uppfyllt": "not_met",
    "not_met": "not_met",
    "ej_bedomt": "not_assessed",
    "not_assessed": "not_assessed",
}
MAX_ROWS = 50  # two writes a row, DynamoDB's transactions take 100


def _plain(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Överprövade  regler' → 'overprovade regler'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1 is the header; the first decision is row 2, as a spreadsheet numbers it
    column: str
    message: str

    def __str__(self) -> str:
        return f"rad {self.row}, kolumn '{self.column}': {self.message}"


@dataclass
class Outcome:
    written: list[Decision]
    unchanged: list[Decision]


class ImportRefused(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was stored")


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [RowProblem(line, "-", "filen är inte UTF-8 (spara som CSV UTF-8)")]
        ) from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [row for row in reader]
    if not rows:
        raise ImportRefused([RowProblem(1, "-", "filen är tom")])
    header = [_plain(h) for h in rows[0]]
    return header, [
        {header[i]: cell for i, cell in enumerate(row) if i < len(header)}
        for row in rows[1:]
        if any(cell.strip() for cell in row)
    ]


def _document(
    row: dict[str, str], problems: list[RowProblem], number: int, original: dict[str, str]
) -> dict[str, Any] | None:
    values = {COLUMNS[k]: v.strip() for k, v in row.items() if k in COLUMNS}
    document: dict[str, Any] = {}
    bad = False
    decision = _plain(values.get("decision", "")).replace(" ", "")
    if decision not in DECISIONS:
        problems.append(
            RowProblem(
                number,
                original["decision"],
                "inget beslut: skriv beviljat, avslag eller återremiss",
            )
        )
        bad = True
    else:
        document["decision"] = DECISIONS[decision]
    revision = values.get("screening_revision", "")
    if not revision.isdigit():
        problems.append(
            RowProblem(number, original["screening_revision"], "revisionen är ett heltal, t.ex. 1")
        )
        bad = True
    else:
        document["screening_revision"] = int(revision)
    for key in ("decision_date", "round"):
        document[key] = values.get(key, "")
    rules = [r for r in re.split(r"[\s,]+", values.get("overridden_rules", "")) if r]
    document["overridden_rules"] = rules
    assessments: dict[str, str] = {}
    for pair in (p for p in re.split(r"[\s,]+", values.get("assessments", "")) if p):
        requirement, sep, value = pair.partition("=")
        key = _plain(value).replace(" ", "_")
        if not sep or key not in ASSESSMENTS:
            problems.append(
                RowProblem(
                    number,
                    original.get("assessments", "bedömning"),
                    f"'{pair}': skriv krav=uppfyllt, krav=ej_uppfyllt eller krav=ej_bedömt",
                )
            )
            bad = True
            continue
        assessments[requirement.strip()] = ASSESSMENTS[key]
    document["assessments"] = assessments
    if values.get("motivation"):
        document["motivation"] = values["motivation"]
    return None if bad else document


def validate(
    path: Path, screenings: ScreeningStore, decisions: DecisionStore
) -> tuple[list[Pending], list[Decision]]:
    """Every row checked; raises ImportRefused with every problem, by row and column."""
    header, rows = read_rows(path)
    present = {COLUMNS[h] for h in header if h in COLUMNS}
    original = {
        COLUMNS[h]: raw for h, raw in zip(header, csv_header(path), strict=False) if h in COLUMNS
    }
    problems = [
        RowProblem(1, column, "kolumnen saknas") for column in REQUIRED if column not in present
    ]
    if problems:
        raise ImportRefused(problems)
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            [RowProblem(MAX_ROWS + 2, "-", f"högst {MAX_ROWS} beslut per fil; dela upp filen")]
        )
    pending: list[Pending] = []
    unchanged: list[Decision] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows, start=2):
        application_id = row.get(
            next((h for h in header if COLUMNS.get(h) == "application_id"), ""), ""
        ).strip()
        if application_id in seen:
            problems.append(
                RowProblem(
                    index,
                    original["application_id"],
                    f"ansökan finns redan på rad {seen[application_id]}",
                )
            )
            continue
        seen[application_id] = index
        document = _document(row, problems, index, original)
        if document is None:
            continue
        try:
            # JSON mode, as the API reads it: dates and choices arrive as text
            decided = DecisionInput.model_validate_json(json.dumps(document))
        except ValidationError as error:
            for detail in error.errors(include_input=False, include_url=False):
                field = str(detail["loc"][0]) if detail["loc"] else "-"
                problems.append(
                    RowProblem(
                        index,
                        original.get(field, field),
                        str(detail["msg"]).removeprefix("Value error, "),
                    )
                )
            continue
        try:
            prepared = prepare(screenings, decisions, application_id, decided, source="csv")
        except ApiError as error:
            if error.fields:
                for field_error in error.fields:
                    column = field_error.field.split(".")[0]
                    problems.append(
                        RowProblem(index, original.get(column, column), field_error.message)
                    )
            else:
                problems.append(RowProblem(index, original["application_id"], error.message))
            continue
        if isinstance(prepared, Decision):
            unchanged.append(prepared)
        else:
            pending.append(prepared)
    if problems:
        raise ImportRefused(problems)
    return pending, unchanged


def csv_header(path: Path) -> list[str]:
    """The header as written, for messages that name the column the way the file does."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return next(csv.reader([first], delimiter=delimiter), [])


def import_decisions(path: Path, screenings: ScreeningStore, decisions: DecisionStore) -> Outcome:
    pending, unchanged = validate(path, screenings, decisions)
    if pending:
        decisions.write(pending)
    return Outcome([p.decision for p in pending], unchanged)
