"""The verdict as a readable table for a terminal (Swedish by default, English on request)."""

from __future__ import annotations

import shutil
import textwrap

from screening import language as lang
from screening.models.verdict import RuleResultKind, Verdict
from screening.ruleset.compiled import CompiledRuleset

_WORDS = {
    "sv": {
        "application": "Ansökan",
        "outcome": "Utfall",
        "category": "Kategori",
        "declared": "angiven",
        "matched": "passar",
        "none": "ingen",
        "rule": "Regel",
        "result": "Resultat",
        "reason": "Skäl",
        "notes": "Noteringar",
        "ruleset": "Regelverk",
        "screened": "granskad",
    },
    "en": {
        "application": "Application",
        "outcome": "Outcome",
        "category": "Category",
        "declared": "declared",
        "matched": "fits",
        "none": "none",
        "rule": "Rule",
        "result": "Result",
        "reason": "Reason",
        "notes": "Notes",
        "ruleset": "Ruleset",
        "screened": "screened",
    },
}


def format_verdict(verdict: Verdict, language: str, ruleset: CompiledRuleset) -> str:
    words = _WORDS[language]
    categories = ruleset.labels.values.get("category", {})

    def category_names(codes: list) -> str:
        names = [categories.get(c.value, {}).get(language, c.value) for c in codes]
        return ", ".join(names) or words["none"]

    summary = verdict.application
    width = max(100, min(shutil.get_terminal_size((150, 40)).columns, 160))
    lines = [
        f"{words['application']} {verdict.application_id}: {summary.organisation_name}, "
        f"{summary.project_title}",
        f"{words['outcome']}: {lang.OUTCOME[language][verdict.outcome.value].upper()}",
        f"{words['category']}: {words['declared']} {category_names(verdict.category_fit.declared)}"
        f"; {words['matched']} {category_names(verdict.category_fit.matched)}",
        "",
    ]
    id_width = max(len(r.rule_id) for r in verdict.rules)
    result_width = 28
    reason_width = max(30, width - id_width - result_width - 4)
    lines.append(f"{words['rule']:<{id_width}}  {words['result']:<{result_width}}{words['reason']}")
    lines.append("-" * min(width, id_width + result_width + reason_width + 2))
    for rule in verdict.rules:
        result = lang.RESULT[language][rule.result.value].lower()
        if rule.result is RuleResultKind.failed:
            result = f"{result} ({lang.SEVERITY[language][rule.severity.value]})"
        marker = {"passed": "✓", "failed": "✗", "not_applicable": "–"}[rule.result.value]
        reason = textwrap.wrap(getattr(rule.reason, language), reason_width) or [""]
        lines.append(
            f"{rule.rule_id:<{id_width}}  {marker} {result:<{result_width - 2}}{reason[0]}"
        )
        lines.extend(" " * (id_width + 2 + result_width) + more for more in reason[1:])
    if verdict.notes:
        lines.append("")
        lines.append(f"{words['notes']}:")
        for note in verdict.notes:
            wrapped = textwrap.wrap(getattr(note.text, language), width - 4)
            lines.append("  • " + wrapped[0])
            lines.extend("    " + more for more in wrapped[1:])
    lines.append("")
    lines.append(
        f"{words['ruleset']} {verdict.ruleset}, {words['screened']} "
        f"{verdict.screened_at.isoformat(timespec='seconds')}"
    )
    return "\n".join(lines)
