"""Browser tests: the web chat in Debian's headless Chromium, driven through its chromedriver.

Nothing is downloaded: Selenium gets the driver's path, so its Selenium Manager never runs. Without
Chromium the tests skip with the way to install it, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.live import LiveChat
from tests.browser.page import ChatPage

PHONE = (412, 915)
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # running as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: this machine and CI have no internet, and each refused connection costs time.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _find(name: str) -> str | None:
    return shutil.which(name) or next(
        (p for p in (f"/usr/bin/{name}", f"/usr/lib/chromium/{name}") if os.access(p, os.X_OK)), None
    )


@pytest.fixture(scope="session")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(downloads: Path) -> Iterator[WebDriver]:
    chromium, driver_path = _find("chromium"), _find("chromedriver")
    if chromium is None or driver_path is None:
        reason = (
            "Chromium or chromedriver is not installed: run `make browser` as root "
            "(apt-get install chromium chromium-driver)"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    os.environ.setdefault("SE_OFFLINE", "true")  # belt and braces: Selenium Manager must not fetch
    options = Options()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={PHONE[0]},{PHONE[1]}")
    with tempfile.TemporaryDirectory(prefix="webchat-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        )
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            driver.execute_cdp_cmd(
                "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
            )
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveChat]:
    with LiveChat(tmp_path / "data") as running:
        yield running


@pytest.fixture
def page(browser: WebDriver, live: LiveChat) -> ChatPage:
    return ChatPage(browser, live.url)
