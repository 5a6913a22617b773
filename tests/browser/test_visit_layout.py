"""The visit screen on a small phone (360 px wide): every button's label fits on one line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from tests.browser.chrome import PHONE
from tests.browser.page import ChatPage

MARIA = 1001
SMALL_PHONE = 360
ONE_LINE = 44.5  # px: a button's min-height (style.css); a label that wraps makes it taller


@pytest.fixture
def small(page: ChatPage) -> Iterator[ChatPage]:
    metrics = {"width": SMALL_PHONE, "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True}
    page.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield page
    finally:
        metrics["width"] = PHONE[0]
        page.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def wrapped(message: WebElement) -> list[str]:
    """Labels of the message's buttons that do not fit on one line."""
    buttons = message.find_elements(By.CSS_SELECTOR, ".keyboard button")
    assert buttons
    return [b.text for b in buttons if b.rect["height"] > ONE_LINE]


def with_buttons(page: ChatPage, text: str) -> WebElement | None:
    """The latest bot message with buttons, once it contains ``text`` (a file may come after it)."""
    keyed = [m for m in page.bubbles("bot") if m.find_elements(By.CSS_SELECTOR, ".keyboard button")]
    return keyed[-1] if keyed and text in keyed[-1].text else None


def test_the_visit_and_its_details_fit_a_360_px_phone(small: ChatPage) -> None:
    page = small
    page.open(MARIA)
    assert page.driver.execute_script("return window.innerWidth") == SMALL_PHONE
    page.send("/start")
    page.tap("Cancel")
    page.send("/appointment 15 Dec 2026 15:30")
    page.tap("Chicago")
    page.expect("Is that right?")
    page.tap("Yes, that's right")
    visit = page.wait(lambda: with_buttons(page, "Doctor:"), "the visit with its buttons")
    assert page.buttons_of(visit)[:3] == ["🕑 Change time", "📅 Calendar file", "✏️ Edit details"]
    assert wrapped(visit) == []
    page.tap("Edit details")
    details = page.wait(lambda: with_buttons(page, "Tap what you want to add or change."), "the details")
    assert "🎥 Video link" in page.buttons_of(details)
    assert wrapped(details) == []
