"""Debian's Chromium, headless and phone-sized, driven through its own chromedriver.

Selenium is given the driver's path, so its Selenium Manager never runs and nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

PHONE = (412, 915)
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: this machine and CI have no internet, and each refused connection costs time.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
INSTALL_HINT = (
    "Chromium or chromedriver is not installed: run `make browser` as root "
    "(apt-get install chromium chromium-driver)"
)


def _find(name: str) -> str | None:
    candidates = (f"/usr/bin/{name}", f"/usr/lib/chromium/{name}")
    return shutil.which(name) or next((p for p in candidates if os.access(p, os.X_OK)), None)


def installed() -> tuple[str, str] | None:
    """Paths of chromium and chromedriver, or None."""
    chromium, driver = _find("chromium"), _find("chromedriver")
    return (chromium, driver) if chromium and driver else None


def start_chrome(profile: Path, downloads: Path | None = None, scale: float = 1.0) -> WebDriver:
    """A fresh headless Chromium with its own profile folder (and download folder)."""
    found = installed()
    if found is None:
        raise RuntimeError(INSTALL_HINT)
    chromium, driver_path = found
    os.environ.setdefault("SE_OFFLINE", "true")  # belt and braces: Selenium Manager must not fetch
    options = Options()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={PHONE[0]},{PHONE[1]}")
    options.add_argument(f"--user-data-dir={profile}")
    if downloads is not None:
        prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    # --window-size cannot go below the desktop minimum width; this makes the page itself phone-sized.
    metrics = {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": scale, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    if downloads is not None:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
    return driver
