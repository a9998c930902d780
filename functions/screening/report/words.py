"""Every fixed word on the report pages, in Swedish (the committee's language) and English.

One table per language with the same keys, so a missing translation is a KeyError in the tests
rather than a blank on a printed page.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("sv", "en")

OUTCOME: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "eligible": "Uppfyller kraven",
        "needs_review": "Behöver granskning",
        "ineligible": "Uppfyller inte kraven",
    },
    "en": {
        "eligible": "Meets the requirements",
        "needs_review": "Needs review",
        "ineligible": "Does not meet the requirements",
    },
}

# A symbol beside every colour, so the mark survives black-and-white printing.
OUTCOME_ICON: Final = {"eligible": "✓", "needs_review": "!", "ineligible": "✗"}
RESULT_ICON: Final = {"passed": "✓", "failed": "✗", "not_applicable": "–"}

RESULT: Final[dict[str, dict[str, str]]] = {
    "sv": {"passed": "Uppfylld", "failed": "Ej uppfylld", "not_applicable": "Ej tillämplig"},
    "en": {"passed": "Passed", "failed": "Failed", "not_applicable": "Not applicable"},
}

SEVERITY: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "reject": "avgör: uppfyller inte kraven",
        "refer": "avgör: behöver granskning",
        "note": "notering",
    },
    "en": {
        "reject": "decides: does not meet the requirements",
        "refer": "decides: needs review",
        "note": "note",
    },
}

TEXT: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "product": "Lån för Social Hållbarhet",
        "prescreening": "Förhandsgranskning",
        "application": "Ansökan",
        "outcome": "Utfall",
        "outcome_explained_eligible": "Inga krav är underkända. Kommittén fattar beslutet.",
        "outcome_explained_needs_review": (
            "Minst ett krav behöver en persons bedömning. Kommittén fattar beslutet."
        ),
        "outcome_explained_ineligible": (
            "Minst ett krav är inte uppfyllt. Kommittén fattar beslutet."
        ),
        "deciding": "Det som avgör utfallet",
        "deciding_none": "Inga regler är underkända.",
        "applicant_project": "Sökande och projekt",
        "organisation": "Sökande",
        "organisation_number": "Organisationsnummer",
        "applicant_type": "Typ av sökande",
        "project_title": "Projekt",
        "municipality": "Kommun",
        "districts": "Områden",
        "investment_type": "Investeringstyp",
        "investment_kind": "Slag av investering",
        "total_investment": "Total investering",
        "loan_amount": "Sökt lånebelopp",
        "submitted_at": "Inlämnad",
        "none": "inga",
        "category_fit": "Projektkategori",
        "declared": "Angiven kategori",
        "matched": "Kategorier som projektet passar",
        "declared_matches_yes": "Den angivna kategorin passar projektet.",
        "declared_matches_no": "Den angivna kategorin passar inte projektet.",
        "notes": "Noteringar till kommittén",
        "notes_none": "Inga noteringar.",
        "rules": "Alla regler per krav",
        "rule": "Regel",
        "result": "Resultat",
        "reason": "Skäl",
        "reference": "Grund",
        "assumption": "antagande i förhandsgranskningen",
        "to_fix": "Att komplettera",
        "mark": "Markering",
        "effect_goals": "Effektmål",
        "goal": "Mål",
        "indicator": "Indikator",
        "baseline": "Utgångsvärde",
        "target": "Målvärde",
        "effect_goals_none": "Ansökan anger inga effektmål.",
        "history": "Tidigare granskningar",
        "history_none": "Ansökan har inte granskats tidigare.",
        "screened_at": "Granskad",
        "ruleset": "Regelverk",
        "failed_rules": "Underkända regler",
        "screening_info": "Om granskningen",
        "disclaimer": (
            "Förhandsgranskningen beviljar aldrig lån. Kommittén för Social Hållbarhet "
            "fattar beslutet; kreditprövningen görs separat."
        ),
        "missing": "saknas",
        "summary": "Sammanställning",
        "round_title": "Sammanställning av förhandsgranskningar",
        "period": "Ansökningar granskade",
        "applications_count": "Antal ansökningar",
        "by_outcome": "Per utfall",
        "by_category": "Per kategori (angiven)",
        "chart_title": "Ansökningar per kategori och utfall",
        "count": "Antal",
        "total": "Totalt",
        "category": "Kategori",
        "applications": "Ansökningar",
        "applications_order": (
            "Ordning: behöver granskning, uppfyller inte kraven, uppfyller kraven."
        ),
        "report": "Rapport",
        "open_report": "Öppna rapporten",
        "most_failed": "Regler som oftast inte uppfylls",
        "most_failed_none": "Ingen regel är underkänd i den här omgången.",
        "failed_in": "Underkänd i",
        "requirement": "Krav",
        "empty_round": "Inga ansökningar granskades under perioden.",
        "back_to_round": "Till sammanställningen",
        "language_other": "In English",
    },
    "en": {
        "product": "Loan for Social Sustainability",
        "prescreening": "Pre-screening",
        "application": "Application",
        "outcome": "Outcome",
        "outcome_explained_eligible": "No requirement failed. The committee decides.",
        "outcome_explained_needs_review": (
            "At least one requirement needs a person's judgement. The committee decides."
        ),
        "outcome_explained_ineligible": (
            "At least one requirement is not met. The committee decides."
        ),
        "deciding": "What decides the outcome",
        "deciding_none": "No rule failed.",
        "applicant_project": "Applicant and project",
        "organisation": "Applicant",
        "organisation_number": "Organisation number",
        "applicant_type": "Type of applicant",
        "project_title": "Project",
        "municipality": "Municipality",
        "districts": "Districts",
        "investment_type": "Investment type",
        "investment_kind": "Kind of investment",
        "total_investment": "Total investment",
        "loan_amount": "Loan amount applied for",
        "submitted_at": "Submitted",
        "none": "none",
        "category_fit": "Project category",
        "declared": "Declared category",
        "matched": "Categories the project fits",
        "declared_matches_yes": "The declared category fits the project.",
        "declared_matches_no": "The declared category does not fit the project.",
        "notes": "Notes for the committee",
        "notes_none": "No notes.",
        "rules": "All rules by requirement",
        "rule": "Rule",
        "result": "Result",
        "reason": "Reason",
        "reference": "Grounds",
        "assumption": "a pre-screening assumption",
        "to_fix": "To complete",
        "mark": "Mark",
        "effect_goals": "Effect goals",
        "goal": "Goal",
        "indicator": "Indicator",
        "baseline": "Baseline",
        "target": "Target",
        "effect_goals_none": "The application states no effect goals.",
        "history": "Earlier screenings",
        "history_none": "The application has not been screened before.",
        "screened_at": "Screened",
        "ruleset": "Ruleset",
        "failed_rules": "Failed rules",
        "screening_info": "About the screening",
        "disclaimer": (
            "The pre-screening never grants a loan. The Committee for Social Sustainability "
            "decides; the credit review is made separately."
        ),
        "missing": "missing",
        "summary": "Summary",
        "round_title": "Summary of pre-screenings",
        "period": "Applications screened",
        "applications_count": "Number of applications",
        "by_outcome": "By outcome",
        "by_category": "By category (declared)",
        "chart_title": "Applications by category and outcome",
        "count": "Count",
        "total": "Total",
        "category": "Category",
        "applications": "Applications",
        "applications_order": "Order: needs review, does not meet the requirements, meets them.",
        "report": "Report",
        "open_report": "Open the report",
        "most_failed": "Rules failed most often",
        "most_failed_none": "No rule failed in this round.",
        "failed_in": "Failed in",
        "requirement": "Requirement",
        "empty_round": "No applications were screened in the period.",
        "back_to_round": "Back to the summary",
        "language_other": "På svenska",
    },
}


def words(language: str) -> dict[str, object]:
    """Everything a template needs for one language, as one mapping."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return {
        "text": TEXT[language],
        "outcome": OUTCOME[language],
        "result": RESULT[language],
        "severity": SEVERITY[language],
        "outcome_icon": OUTCOME_ICON,
        "result_icon": RESULT_ICON,
    }
