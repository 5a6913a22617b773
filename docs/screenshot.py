"""Take docs/webchat.png, the README's picture of the local web chat: a person mid-journey on a phone.

Run it with `make screenshot` (needs Chromium: `make browser`). It drives the same stack as `make run`,
with the tests' fixed clock, so the picture only changes when the page or the bot's words do.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.browser.chrome import start_chrome
from tests.browser.live import LiveChat
from tests.browser.page import ChatPage

OUT = Path(__file__).with_name("webchat.png")
MARIA = 1001


def journey(page: ChatPage) -> None:
    page.open(MARIA)
    page.send("/start")
    page.expect("What should I call the patient?")
    page.send("Maria")
    page.expect("What is the diagnosis")
    page.send("Stage 2 breast cancer")
    page.tap("Rare or unclear diagnosis")
    page.tap("Done")
    page.tap("No")
    page.expect("Your second opinion plan")
    page.send("/appointment")
    page.tap("Add the visit")
    page.tap("Chicago")
    page.expect("When is the visit?")
    page.send("3 Dec 2026 2:30pm")
    page.expect("Is that right?")
    page.tap("Yes, that's right")
    page.wait(lambda: page.driver.find_elements("css selector", "#messages a.file"), "the calendar file")


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        driver = start_chrome(folder / "profile")
        try:
            with LiveChat(folder / "data") as live:
                journey(ChatPage(driver, live.url))
                time.sleep(0.3)  # let the last bubble lay out, then show the end of the chat
                driver.execute_script("document.getElementById('scroller').scrollTop = 1e9")
                driver.save_screenshot(str(OUT))
        finally:
            driver.quit()
    print(f"{OUT}: {OUT.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
