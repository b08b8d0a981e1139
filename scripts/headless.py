"""Headless Chromium for the browser checks (test-accessibility.py, test-phone-width.py): a
driver, or an exit 0 that says why the check is skipped (no selenium, Chromium or chromedriver)."""
import shutil, sys


def chromium(check, arguments=()):
    """A selenium Chrome driver for `check` (its name in the skip message), with `arguments`."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print(f"{check} skipped: no selenium (pip install selenium)")
        sys.exit(0)
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser or not shutil.which("chromedriver"):
        print(f"{check} skipped: no Chromium or chromedriver (apt-get install chromium chromium-driver)")
        sys.exit(0)
    options = Options()
    for argument in ["--headless", "--no-sandbox", "--disable-gpu", *arguments]:
        options.add_argument(argument)
    options.binary_location = browser
    # chromedriver named outright, so Selenium Manager does not try the network for one.
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
