"""Every fixed word on the report pages, in Swedish (the committee's language) and English.

One table per language with the same keys, so a missing translation is a KeyError in the tests
rather than a blank on a printed page.
"""

from __future__ import annotations

from typing import Final

from ..language import FOLLOW_UP_OUTCOME

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

DECISION: Final[dict[str, dict[str, str]]] = {
    "sv": {"granted": "Beviljad", "declined": "Avslagen", "returned": "Återremitterad"},
    "en": {"granted": "Granted", "declined": "Declined", "returned": "Returned"},
}
DECISION_ICON: Final = {"granted": "✓", "declined": "✗", "returned": "↩"}

ASSESSMENT: Final[dict[str, dict[str, str]]] = {
    "sv": {"met": "Uppfyllt", "not_met": "Ej uppfyllt", "not_assessed": "Ej bedömt"},
    "en": {"met": "Met", "not_met": "Not met", "not_assessed": "Not assessed"},
}
ASSESSMENT_ICON: Final = {"met": "✓", "not_met": "✗", "not_assessed": "–"}

# How a pre-screening outcome and a committee decision relate (views.accord).
ACCORD: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "agree": "överens",
        "disagree": "inte överens",
        "false_reject": "underkänd men beviljad",
        "not_comparable": "jämförs inte",
    },
    "en": {
        "agree": "agree",
        "disagree": "disagree",
        "false_reject": "failed, yet granted",
        "not_comparable": "not compared",
    },
}
ACCORD_ICON: Final = {"agree": "=", "disagree": "≠", "false_reject": "‼", "not_comparable": "–"}

# The agreement's flags on a rule's override rate (screening.agreement.RuleAgreement.flag).
FLAG: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "often_overridden": "Ofta överprövad: regeln kan vara fel",
        "rarely_overridden": "Sällan överprövad över många beslut: följer kommittén maskinen?",
    },
    "en": {
        "often_overridden": "Often overridden: the rule may be wrong",
        "rarely_overridden": (
            "Rarely overridden over many decisions: does the committee follow the machine?"
        ),
    },
}

# ---------------------------------------------------------------- the effect follow-up

# A loan's follow-up status for a year: the follow-up outcome (its one wording, shared with the
# CLI), or no report (portfolio).
STATUS: Final[dict[str, dict[str, str]]] = {
    language: {**FOLLOW_UP_OUTCOME[language], "no_report": no_report}
    for language, no_report in (("sv", "Ingen rapport"), ("en", "No report"))
}
STATUS_ICON: Final = {"on_track": "✓", "needs_attention": "!", "off_track": "✗", "no_report": "–"}

FOLLOW_UP_SEVERITY: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "reject": "avgör: följer inte planen",
        "refer": "avgör: behöver uppmärksamhet",
        "note": "notering",
    },
    "en": {
        "reject": "decides: off track",
        "refer": "decides: needs attention",
        "note": "note",
    },
}

# Whether a portfolio figure counts the project's whole effect or the share the loan finances.
ATTRIBUTION: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "whole": "Hela projektets effekt",
        "financed_share": "Finansierad andel (lånebelopp / total investering)",
    },
    "en": {
        "whole": "The project's whole effect",
        "financed_share": "The financed share (loan amount / total investment)",
    },
}

# Why a goal's value is not in the portfolio's totals (screening.follow_up.portfolio).
NOT_ADDED: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "own_indicator": "Låntagarens egen indikator: läggs aldrig ihop mellan lån",
        "not_additive": "En andel eller ett mått som inte kan summeras",
        "changed_definition": "Mäts med en ny definition sedan ansökan: serien bryts",
        "unit_differs": "Annan enhet än i långivarens indikatorlista",
        "no_value": "Inget mätt värde för året",
    },
    "en": {
        "own_indicator": "The borrower's own indicator: never added up across loans",
        "not_additive": "A share or measure that does not add up",
        "changed_definition": (
            "Measured by a new definition since the application: the series breaks"
        ),
        "unit_differs": "Another unit than in the lender's indicator list",
        "no_value": "No measured value for the year",
    },
}

# The framework's categories, for pages given labels without them (the follow-up ruleset's).
CATEGORY: Final[dict[str, dict[str, str]]] = {
    "sv": {
        "housing": "Boende och boendemiljöer",
        "safety_accessibility": "Trygghet, säkerhet och tillgänglighet",
        "health_education_sport_culture": "Hälsa, utbildning, idrott och kultur",
    },
    "en": {
        "housing": "Housing and residential environments",
        "safety_accessibility": "Safety, security and accessibility",
        "health_education_sport_culture": "Health, education, sport and culture",
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
        # The committee's decision on the application report.
        "committee_decision": "Kommitténs beslut",
        "decision": "Beslut",
        "decision_date": "Beslutsdatum",
        "round": "Omgång",
        "motivation": "Motivering",
        "motivation_none": "Ingen motivering angiven.",
        "overridden_rules": "Regler som kommittén inte följde",
        "assessments": "Kommitténs bedömning per krav",
        "assessment": "Bedömning",
        "decision_number": "Beslut nr",
        "screening_revision": "avser granskning nr",
        "recorded_at": "registrerat",
        "decision_source": "källa",
        "earlier_decisions": "Tidigare beslut",
        "decision_agree": "Beslutet stämmer med förhandsgranskningens utfall.",
        "decision_disagree": "Beslutet går emot förhandsgranskningens utfall.",
        "decision_false_reject": (
            "Beviljad trots att förhandsgranskningen bedömde att ansökan inte uppfyller kraven."
        ),
        "decision_not_comparable": "Förhandsgranskningen lämnade bedömningen till kommittén.",
        # The agreement report.
        "agreement_title": "Förhandsgranskningen och kommitténs beslut",
        "decisions_period": "Beslut fattade",
        "all_decisions": "alla beslut",
        "decided_count": "Beslutade ansökningar",
        "agreement_rate": "Överensstämmelse",
        "agreement_of": "{agreeing} av {comparable} jämförbara beslut",
        "agreement_none": "Inga jämförbara beslut ännu.",
        "agreement_explained": (
            "Förhandsgranskningen och kommittén är överens när en ansökan som uppfyller kraven "
            "beviljas och en som inte uppfyller dem avslås eller återremitteras. Ansökningar "
            "som behöver granskning lämnas till kommittén och jämförs inte."
        ),
        "false_rejects": "Underkända men beviljade",
        "false_rejects_explained": (
            "Förhandsgranskningen bedömde att ansökan inte uppfyller kraven, men kommittén "
            "beviljade den. Det är det allvarligaste felet: en regel som underkänner en "
            "ansökan som kommittén beviljar kan vara fel eller för sträng."
        ),
        "false_rejects_none": "Ingen ansökan som förhandsgranskningen underkände har beviljats.",
        "deciding_rules": "Regler som avgjorde utfallet",
        "matrix_title": "Utfall i förhandsgranskningen och kommitténs beslut",
        "matrix_chart_title": "Kommitténs beslut per utfall i förhandsgranskningen",
        "prescreening_outcome": "Förhandsgranskningens utfall",
        "accord_legend": "Markeringar",
        "rules_by_override": "Regler efter hur ofta kommittén beviljar ändå",
        "rules_by_override_explained": (
            "Av de beslutade ansökningar som regeln underkände: hur många kommittén ändå "
            "beviljade (andel överprövade). Flest överprövade först."
        ),
        "band_explained": (
            "En regel flaggas när den har underkänt minst {min_failed} beslutade ansökningar "
            "och andelen som ändå beviljades är över {high} eller under {low}."
        ),
        "failed_count": "Underkänd",
        "granted_anyway": "Beviljad ändå",
        "override_rate": "Andel överprövade",
        "named_as_overridden": "Angiven som ej följd",
        "flag": "Signal",
        "granted_applications": "Beviljade ändå",
        "rules_quiet": "Övriga {count} regler underkände ingen av de beslutade ansökningarna.",
        "rules_by_override_none": "Ingen regel underkände någon av de beslutade ansökningarna.",
        "decided_applications": "Beslutade ansökningar",
        "decided_order": "Ordning: underkända men beviljade först, sedan efter beslutsdatum.",
        "decided_none": "Inga beslut under perioden.",
        "agrees": "Överens?",
        # The impact report (tools/workbench/impact_report.py).
        "impact_title": "Vad regeländringen gör med granskade ansökningar",
        "base": "Nuvarande regler",
        "candidate": "Förslaget",
        "source": "Källa",
        "parameters_set": "Ändrade parametrar",
        "rescreened": "Ansökningar granskade på nytt",
        "changed_count": "Ansökningar som får ett annat utfall",
        "transitions": "Ändrade utfall",
        "transitions_none": "Inget utfall ändras.",
        "impact_chart_title": "Utfall med nuvarande regler och med förslaget",
        "outcomes_matrix": "Utfall före och efter",
        "before_after": "Nuvarande regler ↓ / förslaget →",
        "changed_applications": "Ansökningar vars utfall ändras",
        "responsible_rules": "Regler som ger ändringen",
        "no_single_rule": "ingen enskild regel",
        "no_decision": "inget beslut",
        "agreement_before_after": "Mot kommitténs beslut",
        "rule_changes": "Regler vars resultat ändras",
        "rule_changes_none": "Ingen regels resultat ändras.",
        "changed_results": "Ändrade resultat",
        "directions": "Från → till",
        "absent": "finns inte",
        "agreement_both": "Överensstämmelse med kommitténs beslut",
        "shift_closer": (
            "Förslaget för förhandsgranskningen närmare kommitténs beslut: fler beslut som "
            "den är överens med, färre som den går emot."
        ),
        "shift_further": (
            "Förslaget för förhandsgranskningen längre från kommitténs beslut: färre beslut "
            "som den är överens med, fler som den går emot."
        ),
        "shift_same": ("Förslaget ändrar inte vilka beslut förhandsgranskningen är överens med."),
        "shift_mixed": ("Förslaget ändrar överensstämmelsen åt båda hållen: jämför antalen nedan."),
        "shift_unknown": "Det finns inga beslut att pröva förslaget mot.",
        "disagreeing": "Inte överens",
        "not_comparable": "Jämförs inte (behöver granskning)",
        "comparable": "Jämförbara beslut",
        "agreeing": "Överens",
        "change": "Förändring",
        "timing": (
            "{applications} ansökningar granskade på {seconds} s; arbetsprocesser: "
            "{workers}; {rate} ansökningar per sekund och kärna."
        ),
        "impact_disclaimer": (
            "Ändringen gäller först när regelverket har godkänts och publicerats. Beslut som "
            "redan fattats ändras inte; kommittén fattar besluten."
        ),
        # The follow-up report and the portfolio.
        "follow_up": "Återrapportering",
        "loan": "Lån",
        "reporting_year": "Rapportår",
        "status_explained_on_track": (
            "Rapporten för {year} följer planen: ingen regel för återrapporteringen är underkänd."
        ),
        "status_explained_needs_attention": (
            "Något i uppföljningen av {year} behöver långivarens uppmärksamhet."
        ),
        "status_explained_off_track": (
            "Uppföljningen av {year} följer inte planen: ett godkänt åtagande uppfylls inte."
        ),
        "status_explained_none": "Lånet har ännu ingen kontrollerad effektrapport.",
        "no_report_for": "Ingen rapport för {year} har kommit in.",
        "report_received": "Rapport inkom",
        "checked_at": "Kontrollerad",
        "follow_up_info": "Om uppföljningen",
        "round_none": "ingen omgång angiven",
        "financed_share": "Finansierad andel",
        "years_reported": "Rapportår",
        "people_reached": "Nådda i målgruppen",
        "goal_progress": "Effektmålen år för år",
        "goal_progress_explained": (
            "Den streckade linjen är den raka vägen från utgångsvärdet till målvärdet, som "
            "uppföljningen mäter mot; varje punkt är ett rapporterat värde. När indikatorns "
            "definition ändras bryts serien: värden med olika definitioner binds aldrig ihop."
        ),
        "goals_none": "Lånet har inga effektmål att följa upp.",
        "chart_none": "Inget utgångsvärde, målvärde eller mätt värde att visa.",
        "unit": "Enhet",
        "value": "Värde",
        "path_value": "Enligt vägen",
        "shortfall": "Efter vägen",
        "shortfall_explained": (
            "Efter vägen: hur långt värdet ligger efter den raka vägen, i procent av hela den "
            "planerade förändringen (negativt: före vägen)."
        ),
        "target_met": "Målvärdet nått",
        "definition": "Definition",
        "definition_version": "version",
        "measured_year": "mätår",
        "new_definition": "ny definition",
        "definitions_changed": "Indikatorn har mätts med olika definitioner:",
        "definition_from": "från {year}",
        "break_at": "Serien bryts {year}: ny definition.",
        "legend_path": "Planerad väg",
        "legend_value": "Rapporterat",
        "legend_changed": "Ny definition",
        "legend_target": "Målvärde",
        "legend_break": "Brott i serien",
        "target_short": "Mål",
        "version_short": "v",
        "goal_chart_title": "Effektmål {number}: {indicator}",
        "yes": "ja",
        "no": "nej",
        "rules_by_year": "Reglerna år för år",
        "rules_by_year_explained": "Senaste året först; underkända regler överst.",
        "follow_up_disclaimer": (
            "Uppföljningen fattar inga beslut om lånet. Långivaren och Kommittén för Social "
            "Hållbarhet bedömer vad ett utfall innebär."
        ),
        # The portfolio.
        "portfolio_title": "Lånens effekter: portföljen",
        "portfolio_year": "Rapportår {year}",
        "portfolio_latest": "Senaste rapporten per lån",
        "loans_count": "Antal lån",
        "by_status": "Per status",
        "by_category_follow_up": "Per kategori",
        "by_round": "Per beslutsomgång",
        "status_chart_category": "Lån per kategori och status",
        "status_chart_round": "Lån per beslutsomgång och status",
        "goals_met": "Effektmål nådda",
        "goals_met_of": "{met} av {reported} rapporterade",
        "people_reached_of": "i {loans} rapporter",
        "indicator_totals": "Indikatorer summerade över lånen",
        "indicator_totals_explained": (
            "Bara samma indikator ur långivarens lista, med samma definition och enhet, läggs "
            "ihop, och bara där listan säger att den kan summeras (personer, jobb, lägenheter "
            "– aldrig andelar). Låntagarens egna indikatorer läggs aldrig ihop."
        ),
        "attribution": "Räknas som",
        "attribution_explained": "Siffrorna räknar: {attribution}.",
        "indicator_totals_none": "Inga rapporterade värden kan läggas ihop.",
        "total_value": "Summa",
        "loans": "Lån",
        "not_added": "Inte summerat",
        "not_added_explained": "Rapporterade effektmål som inte ingår i summorna, och varför.",
        "own_indicators": "Låntagarnas egna indikatorer",
        "goals_count": "Effektmål",
        "why": "Varför",
        "loans_heading": "Lånen",
        "loans_order": (
            "Ordning: följer inte planen, behöver uppmärksamhet, ingen rapport, enligt plan."
        ),
        "loans_none": "Inga lån följs upp.",
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
        # The committee's decision on the application report.
        "committee_decision": "The committee's decision",
        "decision": "Decision",
        "decision_date": "Decision date",
        "round": "Round",
        "motivation": "Motivation",
        "motivation_none": "No motivation given.",
        "overridden_rules": "Rules the committee did not follow",
        "assessments": "The committee's assessment by requirement",
        "assessment": "Assessment",
        "decision_number": "Decision no.",
        "screening_revision": "on screening no.",
        "recorded_at": "recorded",
        "decision_source": "source",
        "earlier_decisions": "Earlier decisions",
        "decision_agree": "The decision agrees with the pre-screening outcome.",
        "decision_disagree": "The decision goes against the pre-screening outcome.",
        "decision_false_reject": (
            "Granted although the pre-screening found that the application does not meet the "
            "requirements."
        ),
        "decision_not_comparable": "The pre-screening left the judgement to the committee.",
        # The agreement report.
        "agreement_title": "The pre-screening and the committee's decisions",
        "decisions_period": "Decisions made",
        "all_decisions": "all decisions",
        "decided_count": "Decided applications",
        "agreement_rate": "Agreement",
        "agreement_of": "{agreeing} of {comparable} comparable decisions",
        "agreement_none": "No comparable decisions yet.",
        "agreement_explained": (
            "The pre-screening and the committee agree when an application that meets the "
            "requirements is granted and one that does not is declined or returned. "
            "Applications that need review are left to the committee and not compared."
        ),
        "false_rejects": "Failed, yet granted",
        "false_rejects_explained": (
            "The pre-screening found that the application does not meet the requirements, but "
            "the committee granted it. This is the worst error: a rule that fails an "
            "application the committee grants may be wrong or too strict."
        ),
        "false_rejects_none": "No application the pre-screening failed has been granted.",
        "deciding_rules": "Rules that decided the outcome",
        "matrix_title": "Pre-screening outcome and the committee's decision",
        "matrix_chart_title": "The committee's decisions by pre-screening outcome",
        "prescreening_outcome": "Pre-screening outcome",
        "accord_legend": "Marks",
        "rules_by_override": "Rules by how often the committee grants anyway",
        "rules_by_override_explained": (
            "Of the decided applications the rule failed: how many the committee granted "
            "anyway (the override rate). Most overridden first."
        ),
        "band_explained": (
            "A rule is flagged once it has failed at least {min_failed} decided applications "
            "and the share granted anyway is above {high} or below {low}."
        ),
        "failed_count": "Failed",
        "granted_anyway": "Granted anyway",
        "override_rate": "Override rate",
        "named_as_overridden": "Named as not followed",
        "flag": "Flag",
        "granted_applications": "Granted anyway",
        "rules_quiet": "The other {count} rules failed none of the decided applications.",
        "rules_by_override_none": "No rule failed any of the decided applications.",
        "decided_applications": "Decided applications",
        "decided_order": "Order: failed yet granted first, then by decision date.",
        "decided_none": "No decisions in the period.",
        "agrees": "Agree?",
        # The impact report (tools/workbench/impact_report.py).
        "impact_title": "What the rule change does to screened applications",
        "base": "Current rules",
        "candidate": "The proposal",
        "source": "Source",
        "parameters_set": "Parameters set",
        "rescreened": "Applications screened again",
        "changed_count": "Applications whose outcome changes",
        "transitions": "Outcome changes",
        "transitions_none": "No outcome changes.",
        "impact_chart_title": "Outcomes under the current rules and under the proposal",
        "outcomes_matrix": "Outcomes before and after",
        "before_after": "Current rules ↓ / proposal →",
        "changed_applications": "Applications whose outcome changes",
        "responsible_rules": "Rules behind the change",
        "no_single_rule": "no single rule",
        "no_decision": "no decision",
        "agreement_before_after": "Against the committee's decision",
        "rule_changes": "Rules whose results change",
        "rule_changes_none": "No rule's result changes.",
        "changed_results": "Changed results",
        "directions": "From → to",
        "absent": "not in the ruleset",
        "agreement_both": "Agreement with the committee's decisions",
        "shift_closer": (
            "The proposal brings the pre-screening closer to the committee's decisions: more "
            "decisions it agrees with, fewer it goes against."
        ),
        "shift_further": (
            "The proposal takes the pre-screening further from the committee's decisions: "
            "fewer decisions it agrees with, more it goes against."
        ),
        "shift_same": (
            "The proposal does not change which decisions the pre-screening agrees with."
        ),
        "shift_mixed": "The proposal moves the agreement both ways: compare the counts below.",
        "shift_unknown": "There are no decisions to test the proposal against.",
        "disagreeing": "Disagreeing",
        "not_comparable": "Not compared (needs review)",
        "comparable": "Comparable decisions",
        "agreeing": "Agreeing",
        "change": "Change",
        "timing": (
            "{applications} applications screened in {seconds} s; worker processes: "
            "{workers}; {rate} applications per second and core."
        ),
        "impact_disclaimer": (
            "The change applies only once the ruleset has been approved and published. "
            "Decisions already made do not change; the committee decides."
        ),
        # The follow-up report and the portfolio.
        "follow_up": "Effect follow-up",
        "loan": "Loan",
        "reporting_year": "Reporting year",
        "status_explained_on_track": (
            "The report for {year} is on track: no follow-up rule failed."
        ),
        "status_explained_needs_attention": (
            "Something in the follow-up of {year} needs the lender's attention."
        ),
        "status_explained_off_track": (
            "The follow-up of {year} is off track: an approved commitment is not met."
        ),
        "status_explained_none": "The loan has no checked effect report yet.",
        "no_report_for": "No report for {year} has been received.",
        "report_received": "Report received",
        "checked_at": "Checked",
        "follow_up_info": "About the follow-up",
        "round_none": "no round recorded",
        "financed_share": "Financed share",
        "years_reported": "Reporting years",
        "people_reached": "Reached in the target group",
        "goal_progress": "The effect goals year by year",
        "goal_progress_explained": (
            "The dashed line is the straight path from the baseline to the target that the "
            "follow-up measures against; each point is a reported value. Where the indicator's "
            "definition changes the series breaks: values of different definitions are never "
            "joined."
        ),
        "goals_none": "The loan has no effect goals to follow up.",
        "chart_none": "No baseline, target or measured value to show.",
        "unit": "Unit",
        "value": "Value",
        "path_value": "On the path",
        "shortfall": "Behind the path",
        "shortfall_explained": (
            "Behind the path: how far the value is behind the straight path, in percent of the "
            "whole planned change (negative: ahead of it)."
        ),
        "target_met": "Target reached",
        "definition": "Definition",
        "definition_version": "version",
        "measured_year": "measured",
        "new_definition": "new definition",
        "definitions_changed": "The indicator has been measured by different definitions:",
        "definition_from": "from {year}",
        "break_at": "The series breaks in {year}: a new definition.",
        "legend_path": "Planned path",
        "legend_value": "Reported",
        "legend_changed": "New definition",
        "legend_target": "Target",
        "legend_break": "Break in series",
        "target_short": "Target",
        "version_short": "v",
        "goal_chart_title": "Effect goal {number}: {indicator}",
        "yes": "yes",
        "no": "no",
        "rules_by_year": "The rules year by year",
        "rules_by_year_explained": "Latest year first; failed rules at the top.",
        "follow_up_disclaimer": (
            "The follow-up decides nothing about the loan. The lender and the Committee for "
            "Social Sustainability judge what an outcome means."
        ),
        # The portfolio.
        "portfolio_title": "The loans' effects: the portfolio",
        "portfolio_year": "Reporting year {year}",
        "portfolio_latest": "Each loan's latest report",
        "loans_count": "Number of loans",
        "by_status": "By status",
        "by_category_follow_up": "By category",
        "by_round": "By decision round",
        "status_chart_category": "Loans by category and status",
        "status_chart_round": "Loans by decision round and status",
        "goals_met": "Effect goals reached",
        "goals_met_of": "{met} of {reported} reported",
        "people_reached_of": "in {loans} reports",
        "indicator_totals": "Indicators added up over the loans",
        "indicator_totals_explained": (
            "Only the same indicator from the lender's list, with the same definition and unit, "
            "is added up, and only where the list says it adds up (people, jobs, flats – never "
            "shares). The borrowers' own indicators are never added up."
        ),
        "attribution": "Counts",
        "attribution_explained": "The figures count: {attribution}.",
        "indicator_totals_none": "No reported values can be added up.",
        "total_value": "Total",
        "loans": "Loans",
        "not_added": "Not added up",
        "not_added_explained": "Reported effect goals left out of the totals, and why.",
        "own_indicators": "The borrowers' own indicators",
        "goals_count": "Effect goals",
        "why": "Why",
        "loans_heading": "The loans",
        "loans_order": "Order: off track, needs attention, no report, on track.",
        "loans_none": "No loans are followed up.",
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
        "decision_kind": DECISION[language],
        "decision_icon": DECISION_ICON,
        "assessment": ASSESSMENT[language],
        "assessment_icon": ASSESSMENT_ICON,
        "accord": ACCORD[language],
        "accord_icon": ACCORD_ICON,
        "flag_text": FLAG[language],
        "status": STATUS[language],
        "status_icon": STATUS_ICON,
        "follow_up_severity": FOLLOW_UP_SEVERITY[language],
        "attribution_text": ATTRIBUTION[language],
        "not_added_reason": NOT_ADDED[language],
        "category_text": CATEGORY[language],
    }
