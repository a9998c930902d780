"""Write PNG screenshots (and A4 PDFs) of an example application report and a round report.

    .venv/bin/python scripts/report_screenshots.py [--out screenshots]

Screens the example applications in events/applications/*.json (or, while there are none, the
base application and a few variants of it), renders the pages with screening.report, and opens
them in headless Chromium: a full-page screenshot as the screen shows it, one as it prints
(print media emulated), and the A4 PDF Chromium prints. Needs /usr/bin/chromium and
/usr/bin/chromedriver (scripts/install-browser.sh installs them).
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]

from chromium import CHROMEDRIVER, CHROMIUM, headless_chromium  # noqa: E402
from workbench.authoring import compile_rules  # noqa: E402

from screening.models.verdict import Verdict  # noqa: E402
from screening.report import render_application_report, render_round_report  # noqa: E402
from screening.report.render import default_report_href  # noqa: E402
from screening.report.views import screened_on  # noqa: E402
from screening.screener import Screener  # noqa: E402
from screening.validation import parse_application  # noqa: E402

WIDTH = 1100


def _variants(base: dict[str, Any]) -> list[dict[str, Any]]:
    """Stand-ins for the example applications: one per outcome, in several categories."""

    def variant(app_id: str, **changes: dict[str, Any]) -> dict[str, Any]:
        document = copy.deepcopy(base)
        document["application_id"] = app_id
        for section, values in changes.items():
            document[section].update(values)
        return document

    return [
        base,
        variant(
            "demo-0002",
            project={
                "title": "Familjecentral i Fittja med öppen förskola",
                "declared_category": "health_education_sport_culture",
                "investment_kind": "new_build",
                "municipality": "Botkyrka",
                "districts": ["Fittja"],
                "applies_for_green_loan": True,
            },
            applicant={"declares_membership": False},
        ),
        variant(
            "demo-0003",
            project={
                "title": "Drift av fritidsgård",
                "investment_kind": "operating_cost",
                "declared_category": "health_education_sport_culture",
            },
        ),
        variant(
            "demo-0004",
            project={
                "title": "Trygg belysning och upprustad park i Hovsjö",
                "declared_category": "safety_accessibility",
                "facility_kinds": ["park", "outdoor_environment"],
                "municipality": "Södertälje",
                "districts": ["Hovsjö"],
            },
        ),
    ]


def example_documents() -> list[dict[str, Any]]:
    files = sorted((REPO / "events" / "applications").glob("*.json"))
    if files:
        return [json.loads(f.read_text("utf-8")) for f in files]
    base = yaml.safe_load((REPO / "rules/examples/base-application.yaml").read_text("utf-8"))
    return _variants(base)


def driver(profile: Path) -> Any:
    return headless_chromium(profile, WIDTH, "--hide-scrollbars")


def full_page_png(browser: Any, target: Path, media: str = "screen") -> None:
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    height = browser.execute_script("return document.documentElement.scrollHeight")
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
        },
    )
    target.write_bytes(base64.b64decode(shot["data"]))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def a4_pdf(browser: Any, target: Path) -> None:
    from selenium.webdriver.common.print_page_options import PrintOptions

    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    options.background = True
    target.write_bytes(base64.b64decode(browser.print_page(options)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--lang", choices=("sv", "en"), default="sv")
    args = parser.parse_args(argv)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print("chromium/chromedriver missing: run scripts/install-browser.sh", file=sys.stderr)
        return 1

    ruleset = compile_rules(REPO / "rules").ruleset
    screener = Screener(ruleset)
    verdicts: list[Verdict] = [screener.screen(parse_application(d)) for d in example_documents()]
    pages = args.out / "html"
    pages.mkdir(parents=True, exist_ok=True)
    for verdict in verdicts:
        (pages / default_report_href(verdict)).write_text(
            render_application_report(
                verdict,
                labels=ruleset.labels.values,
                requirements=[r["id"] for r in ruleset.requirements],
                language=args.lang,
                round_href="index.html",
            ),
            encoding="utf-8",
        )
    # A round is the screenings made in a date range: here, the days these were screened.
    screened = [screened_on(v) for v in verdicts]
    (pages / "index.html").write_text(
        render_round_report(
            verdicts, min(screened), max(screened), labels=ruleset.labels.values, language=args.lang
        ),
        encoding="utf-8",
    )
    # The example application: the first needing review (the most to read), else the first.
    example = next((v for v in verdicts if v.outcome.value == "needs_review"), verdicts[0])
    shots = {
        "application-report": pages / default_report_href(example),
        "round-report": pages / "index.html",
    }
    with tempfile.TemporaryDirectory(prefix="lsh-chromium-") as profile:
        browser = driver(Path(profile))
        try:
            for name, page in shots.items():
                browser.get(page.resolve().as_uri())
                full_page_png(browser, args.out / f"{name}.png")
                full_page_png(browser, args.out / f"{name}-print.png", media="print")
                a4_pdf(browser, args.out / f"{name}-a4.pdf")
                for suffix in (".png", "-print.png", "-a4.pdf"):
                    print(f"wrote {args.out / (name + suffix)}")
        finally:
            browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
