"""The pages in a real browser: headless Chromium via selenium and the system chromedriver.

Checks what only a browser can: the page renders without console errors, the outcome and
every rule are visible, the round chart is drawn, and injected script did not run (not even
with the Content-Security-Policy removed, so the escaping alone is what is tested).
Skipped, with the reason, when Chromium and chromedriver are missing and cannot be installed.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from chromium import CHROMEDRIVER, CHROMIUM, headless_chromium
from report_support import EXAMPLES, HOSTILE, REPO, example_documents

from screening.report import render_application_report, render_round_report
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
