"""Browser tests: the web chat in Debian's headless Chromium (see chrome.py).

Without Chromium the tests skip with the way to install it, unless REQUIRE_BROWSER=1 (CI): then they fail.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.chrome import INSTALL_HINT, installed, start_chrome
from tests.browser.live import LiveChat
from tests.browser.page import ChatPage


@pytest.fixture(scope="session")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(downloads: Path) -> Iterator[WebDriver]:
    if installed() is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="webchat-chromium-") as profile:
        driver = start_chrome(Path(profile), downloads)
        try:
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
