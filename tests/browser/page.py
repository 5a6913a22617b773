"""The web chat as a person uses it, for tests: type, tap, switch person or chat, read the bubbles."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

T = TypeVar("T")
WAIT = 8.0  # seconds; a reply normally shows within 0.1 s


class ChatPage:
    def __init__(self, driver: WebDriver, url: str) -> None:
        self.driver = driver
        self.url = url

    def open(self, who: int, chat: str = "private") -> ChatPage:
        self.driver.get(f"{self.url}/?who={who}&chat={chat}")
        self.wait(lambda: self.driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready"), "page")
        return self

    # Waiting

    def wait(self, condition: Callable[[], T | None], what: str, timeout: float = WAIT) -> T:
        """Poll ``condition`` until it returns something truthy; fail with what the chat shows."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = condition()
                if result:
                    return result
            except (StaleElementReferenceException, IndexError):
                pass  # the page redrew meanwhile: look again
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:g} s for {what}; the chat shows:\n{self.transcript()}")
            time.sleep(0.03)

    def expect(self, text: str) -> WebElement:
        """The latest bot message, once it contains ``text``."""
        return self.wait(lambda: self._last_bot_containing(text), f"a bot message with {text!r}")

    def _last_bot_containing(self, text: str) -> WebElement | None:
        bots = self.bubbles("bot")
        return bots[-1] if bots and text in bots[-1].text else None

    # Acting

    def send(self, text: str) -> None:
        box = self.driver.find_element(By.ID, "text")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def tap(self, label: str) -> WebElement:
        """Press the button labelled ``label`` on the latest message with buttons; returns that message."""

        def find() -> tuple[WebElement, WebElement] | None:
            with_buttons = [m for m in self.bubbles() if m.find_elements(By.CSS_SELECTOR, ".keyboard button")]
            if not with_buttons:
                return None
            message = with_buttons[-1]
            buttons = message.find_elements(By.CSS_SELECTOR, ".keyboard button")
            exact = [b for b in buttons if b.text == label and b.is_enabled()]
            loose = [b for b in buttons if label.lower() in b.text.lower() and b.is_enabled()]
            chosen = exact or (loose if len(loose) == 1 else [])
            return (message, chosen[0]) if chosen else None

        message, button = self.wait(find, f"a button {label!r}")
        button.click()
        return message

    def attach(self, path: Path) -> None:
        self.driver.find_element(By.ID, "attach").send_keys(str(path))

    def choose(self, select_id: str, visible_text: str) -> None:
        Select(self.driver.find_element(By.ID, select_id)).select_by_visible_text(visible_text)

    # Reading

    def bubbles(self, kind: str = "") -> list[WebElement]:
        """Messages on screen, oldest first; ``kind``: "bot", "me" or "other" to filter."""
        selector = f"#messages > li.msg.{kind}" if kind else "#messages > li.msg"
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def buttons_of(self, message: WebElement) -> list[str]:
        return [b.text for b in message.find_elements(By.CSS_SELECTOR, ".keyboard button")]

    def transcript(self) -> str:
        try:
            lines = [f"[{m.get_attribute('class')}] {m.text}" for m in self.bubbles()]
        except StaleElementReferenceException:
            return "(redrawing)"
        return "\n".join(lines[-8:]) or "(no messages)"
