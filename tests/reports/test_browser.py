"""The pages in a real browser: headless Chromium via selenium and the system chromedriver.

Checks what only a browser can: the page renders without console errors, the outcome and
every rule are visible, the round chart is drawn, and injected script did not run (not even
with the Content-Security-Policy removed, so the escaping alone is what is tested). The
follow-up pages likewise: every effect goal's chart drawn, the break visible where an
indicator's definition changes, the portfolio's charts, and print.
Skipped, with the reason, when Chromium and chromedriver are missing and cannot be installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from follow_up_support import (
    BASE,
    CLINIC,
    ENKOPING,
    HANINGE,
    MALMO,
    PRESCHOOL,
    VIVALLA,
    follow,
    with_indicators,
    yearly_report,
)
from report_support import EXAMPLES, HOSTILE, REPO, decide, example_documents

if str(REPO / "scripts") not in sys.path:  # scripts/chromium.py, whatever pytest's pythonpath
    sys.path.append(str(REPO / "scripts"))
from chromium import CHROMEDRIVER, CHROMIUM, headless_chromium
from workbench.impact_report import render_impact_report

from screening.follow_up.portfolio import portfolio
from screening.report import (
    render_agreement_report,
    render_application_report,
    render_follow_up_report,
    render_portfolio_report,
    render_round_report,
)
from screening.report.render import default_report_href

pytestmark = pytest.mark.browser

INSTALL = REPO / "scripts" / "install-browser.sh"
PWNED = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2">'


def _browser_missing() -> str | None:
    """None when Chromium can be driven; else why not (after trying to install it once)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return None
    try:
        done = subprocess.run(
            ["sh", str(INSTALL)], capture_output=True, text=True, timeout=600, check=False
        )
        said = (done.stdout + done.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        said = str(error)
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return None
    return f"{CHROMIUM} and {CHROMEDRIVER} are missing and could not be installed: {said}"


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    driver = headless_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def open_page(browser, path: Path) -> list[dict]:
    """Load the page; return the console errors it caused."""
    browser.get_log("browser")  # drop what the previous page logged
    browser.get(path.resolve().as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def assert_no_script_ran(browser) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert  # noqa: B018  (an open alert would mean alert(1) ran)
    assert browser.execute_script("return window.__pwned === undefined") is True


def write_report(verdict, ruleset, folder: Path, **kw) -> Path:
    target = folder / default_report_href(verdict)
    target.write_text(
        render_application_report(
            verdict,
            labels=ruleset.labels.values,
            requirements=[r["id"] for r in ruleset.requirements],
            **kw,
        ),
        encoding="utf-8",
    )
    return target


def _example_ids() -> list[str]:
    files = sorted(EXAMPLES.glob("*.json"))
    return [f.stem for f in files] or ["base-application"]


@pytest.mark.parametrize("index", range(len(_example_ids())), ids=_example_ids())
def test_example_report_renders_with_outcome_and_every_rule_visible(
    index, browser, screen, base_document, ruleset, tmp_path
):
    from selenium.webdriver.common.by import By

    verdict = screen(example_documents(base_document)[index])
    errors = open_page(browser, write_report(verdict, ruleset, tmp_path))
    assert errors == []
    outcome = browser.find_element(By.ID, "outcome")
    assert outcome.is_displayed()
    assert outcome.get_attribute("data-outcome") == verdict.outcome.value
    assert outcome.location["y"] < 200  # at the top, the first thing seen
    for rule in verdict.rules:
        row = browser.find_element(By.ID, f"rule-{rule.rule_id}")
        assert row.is_displayed(), rule.rule_id
        assert row.get_attribute("data-result") == rule.result.value
        assert row.text.strip(), rule.rule_id
    shown = browser.find_element(By.TAG_NAME, "body").text
    assert verdict.application.project_title in shown
    assert_no_script_ran(browser)


def test_round_report_renders_with_its_chart(browser, screen, mixed_documents, ruleset, tmp_path):
    from selenium.webdriver.common.by import By

    verdicts = [screen(d) for documents in mixed_documents.values() for d in documents]
    for verdict in verdicts:
        write_report(verdict, ruleset, tmp_path, round_href="index.html")
    day = verdicts[0].screened_at.date()
    index = tmp_path / "index.html"
    index.write_text(render_round_report(verdicts, day, day, labels=ruleset.labels.values), "utf-8")
    assert open_page(browser, index) == []
    chart = browser.find_element(By.CSS_SELECTOR, "#chart svg")
    assert chart.is_displayed() and chart.size["width"] > 300 and chart.size["height"] > 100
    segments = browser.find_elements(By.CSS_SELECTOR, "#chart rect.segment")
    assert sum(int(s.get_attribute("data-count")) for s in segments) == len(verdicts)
    assert all(s.size["width"] > 0 and s.size["height"] > 0 for s in segments)
    rows = browser.find_elements(By.CSS_SELECTOR, "#applications tr.application")
    assert [r.get_attribute("data-outcome") for r in rows] == [
        "needs_review",
        "ineligible",
        "ineligible",
        "eligible",
        "eligible",
    ]
    # The links lead to the application reports, which render too.
    rows[0].find_element(By.TAG_NAME, "a").click()
    assert browser.find_element(By.ID, "outcome").get_attribute("data-outcome") == "needs_review"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.mark.parametrize("keep_csp", [True, False], ids=["with-csp", "without-csp"])
def test_injected_script_is_shown_as_text_and_never_runs(
    keep_csp, browser, screen, hostile_document, ruleset, tmp_path
):
    from selenium.webdriver.common.by import By

    hostile_document["project"]["title"] = f"Titel {PWNED}"
    verdict = screen(hostile_document)
    report = write_report(verdict, ruleset, tmp_path)
    day = verdict.screened_at.date()
    index = tmp_path / "index.html"
    index.write_text(
        render_round_report([verdict], day, day, labels=ruleset.labels.values), "utf-8"
    )
    if not keep_csp:  # prove the escaping alone keeps the script inert
        for page in (report, index):
            text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text())
            page.write_text(text, "utf-8")
            assert "Content-Security-Policy" not in text
    for page in (report, index):
        assert open_page(browser, page) == []
        assert_no_script_ran(browser)
        shown = browser.find_element(By.TAG_NAME, "body").text
        assert "<script>alert(1)</script>" in shown
        assert PWNED in shown
        assert "Åsa Öberg ÄÖÅ 😀" in shown
        assert browser.find_elements(By.CSS_SELECTOR, "body script, body img") == []
    assert HOSTILE in browser.find_element(By.TAG_NAME, "body").text


def test_print_layout_is_a4_and_hides_navigation(browser, screen, base_document, ruleset, tmp_path):
    import base64

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    page = write_report(screen(base_document), ruleset, tmp_path, round_href="index.html")
    open_page(browser, page)
    nav = browser.find_element(By.CSS_SELECTOR, "nav.links")
    assert nav.is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not nav.is_displayed()
        assert browser.find_element(By.ID, "outcome").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 6
    _ = date


# ---------------------------------------------------------------- decisions, agreement, impact


def write_page(folder: Path, name: str, html: str) -> Path:
    target = folder / name
    target.write_text(html, encoding="utf-8")
    return target


def agreement_page(committee_agreement, ruleset, folder: Path) -> Path:
    html = render_agreement_report(
        committee_agreement, labels=ruleset.labels.values, language_href="agreement-en.html"
    )
    return write_page(folder, "agreement.html", html)


def impact_page(committee_impact, ruleset, folder: Path) -> Path:
    html = render_impact_report(
        committee_impact,
        labels=ruleset.labels.values,
        rule_titles={rule.id: rule.title for rule in ruleset.rules},
        language_href="impact-en.html",
    )
    return write_page(folder, "impact.html", html)


def assert_chart_drawn(browser, total_per_bar: dict[str, int], row_attr: str) -> None:
    from selenium.webdriver.common.by import By

    chart = browser.find_element(By.CSS_SELECTOR, "#chart svg")
    assert chart.is_displayed() and chart.size["width"] > 300 and chart.size["height"] > 60
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart g.bar")
    assert {
        b.get_attribute(f"data-{row_attr}"): int(b.get_attribute("data-total")) for b in bars
    } == (total_per_bar)
    for bar in bars:
        segments = bar.find_elements(By.CSS_SELECTOR, "rect.segment")
        assert sum(int(s.get_attribute("data-count")) for s in segments) == int(
            bar.get_attribute("data-total")
        )
        assert all(s.size["width"] > 0 and s.size["height"] > 0 for s in segments)


def test_agreement_report_puts_the_false_rejects_first_and_draws_its_chart(
    browser, committee_agreement, ruleset, tmp_path
):
    from selenium.webdriver.common.by import By

    assert open_page(browser, agreement_page(committee_agreement, ruleset, tmp_path)) == []
    rate = browser.find_element(By.ID, "agreement-rate")
    assert rate.is_displayed() and "67" in rate.text and "4 av 6" in rate.text
    assert rate.location["y"] < 400  # the rate is in the header, seen first
    sections = browser.find_elements(By.CSS_SELECTOR, "main > section")
    assert sections[0].get_attribute("id") == "false-rejects"
    assert [s.location["y"] for s in sections] == sorted(s.location["y"] for s in sections)
    false_rejects = browser.find_elements(By.CSS_SELECTOR, "#false-rejects li.false-reject")
    assert [f.get_attribute("data-application-id") for f in false_rejects] == ["drift-0005"]
    assert false_rejects[0].is_displayed()
    assert "Lånet finansierar en fysisk investering" in false_rejects[0].text
    chart = browser.find_element(By.ID, "chart")
    assert false_rejects[0].location["y"] < chart.location["y"]
    assert_chart_drawn(
        browser, {"eligible": 2, "needs_review": 1, "ineligible": 4}, row_attr="outcome"
    )
    outlined = browser.find_elements(By.CSS_SELECTOR, "#chart rect.segment.highlight")
    assert [o.get_attribute("data-decision") for o in outlined] == ["granted"]
    rows = browser.find_elements(By.CSS_SELECTOR, "#decided-applications tr.decided")
    assert len(rows) == 7 and rows[0].get_attribute("data-accord") == "false_reject"
    flagged = browser.find_element(
        By.CSS_SELECTOR, '#rules-by-override tr[data-rule-id="investment.physical"]'
    )
    assert "Ofta överprövad: regeln kan vara fel" in flagged.text


def test_impact_report_renders_with_its_chart(browser, committee_impact, ruleset, tmp_path):
    from selenium.webdriver.common.by import By

    assert open_page(browser, impact_page(committee_impact, ruleset, tmp_path)) == []
    shift = browser.find_element(By.ID, "shift")
    assert shift.is_displayed() and shift.location["y"] < 700
    transitions = browser.find_elements(By.CSS_SELECTOR, "#transitions li.transition")
    assert {
        t.get_attribute("data-transition"): int(t.get_attribute("data-count")) for t in transitions
    } == (committee_impact.transitions)
    assert_chart_drawn(browser, {"base": 7, "candidate": 7}, row_attr="side")
    rows = browser.find_elements(By.CSS_SELECTOR, "#changed tr.changed")
    assert sorted(r.get_attribute("data-application-id") for r in rows) == sorted(
        c.application_id for c in committee_impact.changed
    )
    assert all(r.is_displayed() and r.text.strip() for r in rows)
    assert browser.find_element(By.ID, "agreement").is_displayed()


def test_application_report_shows_the_decision_under_the_outcome(
    browser, screen, mixed_documents, ruleset, tmp_path
):
    from selenium.webdriver.common.by import By

    verdict = screen(mixed_documents["ineligible"][1])
    decisions = [
        decide(verdict.application_id, "returned", number=1, motivation="Komplettera."),
        decide(verdict.application_id, "granted", number=2, overridden=["investment.physical"]),
    ]
    page = write_report(verdict, ruleset, tmp_path, decisions=decisions)
    assert open_page(browser, page) == []
    outcome = browser.find_element(By.ID, "outcome")
    decision = browser.find_element(By.ID, "decision")
    deciding = browser.find_element(By.ID, "deciding-heading")
    assert outcome.location["y"] < decision.location["y"] < deciding.location["y"]
    assert decision.is_displayed() and "Beviljad" in decision.text
    assert decision.get_attribute("data-accord") == "false_reject"
    earlier = browser.find_elements(By.CSS_SELECTOR, "#earlier-decisions tbody tr")
    assert [e.get_attribute("data-decision") for e in earlier] == ["returned"]


@pytest.mark.parametrize("which", ["agreement", "impact"])
def test_new_pages_print_on_a4_without_navigation(
    which, browser, committee_agreement, committee_impact, ruleset, tmp_path
):
    import base64

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    if which == "agreement":
        page = agreement_page(committee_agreement, ruleset, tmp_path)
    else:
        page = impact_page(committee_impact, ruleset, tmp_path)
    assert open_page(browser, page) == []
    nav = browser.find_element(By.CSS_SELECTOR, "nav.links")
    assert nav.is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not nav.is_displayed()
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, "#chart svg").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 6


# ---------------------------------------------------------------- the effect follow-up


def follow_up_page(loan, rules, folder: Path, **kw) -> Path:
    html = render_follow_up_report(
        loan, labels=rules.labels.values, language_href=f"en/{loan.application_id}.html", **kw
    )
    return write_page(folder, f"{quote(loan.application_id, safe='')}.html", html)


def portfolio_page(loans, rules, folder: Path) -> Path:
    for loan in loans:
        follow_up_page(loan, rules, folder)
    html = render_portfolio_report(
        portfolio(loans, indicators=rules.indicators, year=2029),
        labels=rules.labels.values,
        language_href="portfolio-en.html",
        loan_href=lambda application_id: quote(application_id, safe="") + ".html",
    )
    return write_page(folder, "portfolio.html", html)


def box(browser, element) -> dict:
    """The element's box on the page (SVG elements too)."""
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
        " width: r.width, height: r.height};",
        element,
    )


def _loan_ids() -> list[str]:
    return [BASE, VIVALLA, ENKOPING, MALMO, PRESCHOOL, HANINGE, CLINIC]


@pytest.mark.parametrize("application_id", _loan_ids())
def test_follow_up_report_renders_with_every_goal_chart_drawn(
    application_id, browser, loans_by_id, follow_up_rules, tmp_path
):
    from selenium.webdriver.common.by import By

    loan = loans_by_id[application_id]
    assert open_page(browser, follow_up_page(loan, follow_up_rules, tmp_path)) == []
    outcome = browser.find_element(By.ID, "outcome")
    assert outcome.is_displayed() and outcome.location["y"] < 200
    assert outcome.get_attribute("data-outcome") == loan.latest.outcome.value
    goals = {goal.number for verdict in loan.verdicts for goal in verdict.goals}
    figures = browser.find_elements(By.CSS_SELECTOR, "figure.goal-chart")
    assert len(figures) == len(goals) > 0
    for figure in figures:
        svg = figure.find_element(By.TAG_NAME, "svg")
        assert svg.is_displayed() and svg.size["width"] > 300 and svg.size["height"] > 150
        assert figure.location["y"] > outcome.location["y"]
        points = figure.find_elements(By.CSS_SELECTOR, ".point")
        assert len(points) == int(figure.get_attribute("data-points")) > 0
        assert all(box(browser, p)["width"] > 0 and box(browser, p)["height"] > 0 for p in points)
        plot = box(browser, svg)
        for point in points:  # every value inside the chart, not drawn off its edge
            spot = box(browser, point)
            assert plot["left"] <= spot["left"] and spot["right"] <= plot["right"]
            assert plot["top"] <= spot["top"] and spot["bottom"] <= plot["bottom"]
        for path in figure.find_elements(By.CSS_SELECTOR, "line.path"):
            assert box(browser, path)["width"] > 50
    for verdict in loan.verdicts:
        for rule in verdict.rules:
            row = browser.find_element(By.ID, f"rule-{verdict.reporting_year}-{rule.rule_id}")
            assert row.is_displayed() and row.get_attribute("data-result") == rule.result.value


def test_the_break_is_visible_where_the_indicator_changes(
    browser, loans_by_id, follow_up_rules, tmp_path
):
    from selenium.webdriver.common.by import By

    page = follow_up_page(loans_by_id[MALMO], follow_up_rules, tmp_path)
    assert open_page(browser, page) == []
    figure = browser.find_element(By.ID, "goal-1-chart")
    cut = figure.find_element(By.CSS_SELECTOR, "g.version-break")
    line = box(browser, cut.find_element(By.TAG_NAME, "line"))
    assert line["height"] > 150  # across the whole plot
    label = cut.find_element(By.TAG_NAME, "text")
    assert "ny definition" in label.text and box(browser, label)["width"] > 0
    before = box(browser, figure.find_element(By.CSS_SELECTOR, '.point[data-year="2028"]'))
    after_point = figure.find_element(By.CSS_SELECTOR, '.point[data-year="2029"]')
    after = box(browser, after_point)
    assert after_point.tag_name == "rect"  # a hollow square: another definition
    assert before["right"] < line["left"] <= line["right"] < after["left"]
    # The approved series' line ends before the break; nothing crosses it.
    runs = figure.find_elements(By.CSS_SELECTOR, "polyline.run")
    assert [r.get_attribute("data-version") for r in runs] == ["1"]
    assert box(browser, runs[0])["right"] < line["left"]
    legend = figure.find_element(By.CSS_SELECTOR, 'g.legend[data-kind="break"]')
    assert legend.is_displayed() and "Brott i serien" in legend.text
    # The unbroken goal has no break.
    assert (
        browser.find_element(By.ID, "goal-2-chart").find_elements(
            By.CSS_SELECTOR, "g.version-break"
        )
        == []
    )


def test_portfolio_report_renders_with_its_charts(
    browser, follow_up_loans, follow_up_rules, tmp_path
):
    from selenium.webdriver.common.by import By

    assert open_page(browser, portfolio_page(follow_up_loans, follow_up_rules, tmp_path)) == []
    tiles = browser.find_elements(By.CSS_SELECTOR, "#counts-by-status li")
    assert {t.get_attribute("data-status"): int(t.text.split()[0]) for t in tiles} == {
        "on_track": 3,
        "needs_attention": 2,
        "off_track": 1,
        "no_report": 1,
    }
    for chart_id, attr, expected in (
        (
            "chart-category",
            "category",
            ["housing", "safety_accessibility", "health_education_sport_culture"],
        ),
        ("chart-round", "round", ["2026-R1", "2026-R2", "2026-R3", "-"]),
    ):
        svg = browser.find_element(By.CSS_SELECTOR, f"#{chart_id} svg")
        assert svg.is_displayed() and svg.size["width"] > 300 and svg.size["height"] > 100
        bars = browser.find_elements(By.CSS_SELECTOR, f"#{chart_id} g.bar")
        assert [b.get_attribute(f"data-{attr}") for b in bars] == expected
        assert sum(int(b.get_attribute("data-total")) for b in bars) == len(follow_up_loans)
        for bar in bars:
            segments = bar.find_elements(By.CSS_SELECTOR, "rect.segment")
            assert sum(int(s.get_attribute("data-count")) for s in segments) == int(
                bar.get_attribute("data-total")
            )
            assert all(s.size["width"] > 0 and s.size["height"] > 0 for s in segments)
        legend = browser.find_elements(By.CSS_SELECTOR, f"#{chart_id} g.legend")
        assert len(legend) == 4
        right = box(browser, svg)["right"]
        assert all(box(browser, item)["right"] <= right for item in legend)  # none cut off
    totals = browser.find_element(By.ID, "indicator-totals")
    assert totals.is_displayed() and "Hela projektets effekt" in totals.text
    # The first loan (off track) links to its follow-up report, which renders too.
    first = browser.find_element(By.CSS_SELECTOR, "#loans tr.loan")
    assert first.get_attribute("data-status") == "off_track"
    first.find_element(By.TAG_NAME, "a").click()
    assert browser.find_element(By.ID, "outcome").get_attribute("data-outcome") == "off_track"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.mark.parametrize("which", ["follow-up", "portfolio"])
def test_follow_up_pages_print_on_a4_without_navigation(
    which, browser, follow_up_loans, loans_by_id, follow_up_rules, tmp_path
):
    import base64

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    if which == "follow-up":
        page = follow_up_page(loans_by_id[MALMO], follow_up_rules, tmp_path)
    else:
        page = portfolio_page(follow_up_loans, follow_up_rules, tmp_path)
    assert open_page(browser, page) == []
    nav = browser.find_element(By.CSS_SELECTOR, "nav.links")
    assert nav.is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not nav.is_displayed()
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
        charts = browser.find_elements(By.CSS_SELECTOR, "figure svg")
        assert charts and all(c.is_displayed() and c.size["width"] > 200 for c in charts)
        # Charts shrink to the page; none is wider than the text.
        body = box(browser, browser.find_element(By.TAG_NAME, "main"))
        assert all(box(browser, c)["right"] <= body["right"] + 1 for c in charts)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 8


@pytest.mark.parametrize("keep_csp", [True, False], ids=["with-csp", "without-csp"])
def test_injected_script_never_runs_on_the_follow_up_pages(
    keep_csp, browser, follow_up_checker, follow_up_rules, base_document, tmp_path
):
    from selenium.webdriver.common.by import By

    document = with_indicators(base_document, "hostile-0002", goal_1={"goal": f"Mål {PWNED}"})
    document["project"]["title"] = f"Titel {PWNED}"
    changed = {"indicator": f"Indikator {PWNED}", "unit": "procent", "value": 80}
    loan = follow(
        follow_up_checker,
        document,
        {
            2028: yearly_report(document, 2028, {1: 78, 2: 53}),
            2029: yearly_report(document, 2029, {1: changed, 2: 58}),
        },
        round=f"R {HOSTILE}",
    )
    pages = [follow_up_page(loan, follow_up_rules, tmp_path)]
    pages.append(portfolio_page([loan], follow_up_rules, tmp_path))
    if not keep_csp:
        for page in pages:
            text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text())
            page.write_text(text, "utf-8")
    for page in pages:
        assert open_page(browser, page) == []
        assert_no_script_ran(browser)
        shown = browser.find_element(By.TAG_NAME, "body").text
        assert PWNED in shown
        assert browser.find_elements(By.CSS_SELECTOR, "body script, body img") == []
