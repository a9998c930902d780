"""The pages in a real browser: headless Chromium via selenium and the system chromedriver.

Checks what only a browser can: the page renders without console errors, the outcome and
every rule are visible, the round chart is drawn, and injected script did not run (not even
with the Content-Security-Policy removed, so the escaping alone is what is tested).
Skipped, with the reason, when Chromium and chromedriver are missing and cannot be installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from report_support import EXAMPLES, HOSTILE, REPO, decide, example_documents

if str(REPO / "scripts") not in sys.path:  # scripts/chromium.py, whatever pytest's pythonpath
    sys.path.append(str(REPO / "scripts"))
from chromium import CHROMEDRIVER, CHROMIUM, headless_chromium
from workbench.impact_report import render_impact_report

from screening.report import (
    render_agreement_report,
    render_application_report,
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
