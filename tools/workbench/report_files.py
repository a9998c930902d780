"""The committee's pages as files, for offline reading (``screening report FILE... --out DIR``).

Writes ``<application_id>.html`` per application plus ``index.html``, the round report that
links them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from screening.models.verdict import Verdict
from screening.report import default_report_href, render_application_report, render_round_report
from screening.report.views import screened_on
from screening.ruleset.compiled import CompiledRuleset


def write_reports(
    verdicts: Sequence[Verdict], ruleset: CompiledRuleset, out: Path, language: str = "sv"
) -> list[Path]:
    """Write the pages; a file given twice under one application_id becomes its history."""
    out.mkdir(parents=True, exist_ok=True)
    by_id: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        by_id.setdefault(verdict.application_id, []).append(verdict)
    written = []
    for screenings in by_id.values():
        latest = max(screenings, key=lambda v: v.screened_at)
        target = out / default_report_href(latest)
        target.write_text(
            render_application_report(
                latest,
                labels=ruleset.labels.values,
                requirements=[r["id"] for r in ruleset.requirements],
                history=screenings,
                language=language,
                round_href="index.html",
            ),
            encoding="utf-8",
        )
        written.append(target)
    days = [screened_on(v) for v in verdicts]
    index = out / "index.html"
    index.write_text(
        render_round_report(
            verdicts, min(days), max(days), labels=ruleset.labels.values, language=language
        ),
        encoding="utf-8",
    )
    written.append(index)
    return written
