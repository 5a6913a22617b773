"""The local web chat in a real browser: what a person trying the bot without Telegram sees and does."""

from __future__ import annotations

import json
import struct
import time
import urllib.request
import zlib
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from tests.browser.live import LiveChat
from tests.browser.page import ChatPage

MARIA, DANA, FAMILY = 1001, 1002, -1001


def onboard(page: ChatPage) -> None:
    page.send("/start")
    page.expect("What should I call the patient?")
    page.send("Maria")
    page.expect("What is the diagnosis")
    page.send("Stage 2 breast cancer")
    page.expect("Why do you want a second opinion?")


def test_start_and_onboarding_to_the_menu_with_edits_in_place(page: ChatPage) -> None:
    page.open(MARIA)
    page.wait(lambda: page.driver.find_element(By.ID, "empty").is_displayed(), "the empty chat's hint")
    onboard(page)
    welcome = page.bubbles("bot")[0]
    # The bot's HTML is drawn as formatting, not shown as tags.
    assert welcome.find_element(By.TAG_NAME, "b").text == "Welcome to Second Opinion Companion."
    assert "<b>" not in welcome.text
    mine = [m.text for m in page.bubbles("me")]
    assert mine[0].startswith("/start") and mine[1].startswith("Maria")

    count = len(page.bubbles())
    reasons = page.tap("Rare or unclear diagnosis")
    page.wait(lambda: "✅ Rare or unclear diagnosis" in page.buttons_of(reasons), "the choice to be ticked")
    assert len(page.bubbles()) == count  # edited in place: the same bubble, no new one
    page.tap("Done")
    page.expect("treatment must start soon")
    page.tap("No")
    menu = page.expect("Your second opinion plan for Maria")
    assert "0/4 steps done" in menu.text
    assert page.buttons_of(menu)[:3] == ["👉 Do this now", "⚪ 1. Find a specialist", "⚪ 2. Gather records"]


def test_add_a_visit_and_download_its_calendar_file(page: ChatPage, downloads: Path) -> None:
    page.open(MARIA)
    page.send("/start")
    page.tap("Cancel")
    page.send("/appointment")
    page.expect("No visit saved yet")
    page.tap("Add the visit")
    page.expect("Which time zone?")
    page.tap("Chicago")
    page.expect("When is the visit?")
    page.send("3 Dec 2026 2:30pm")
    page.expect("Thursday 3 December 2026, 2:30 PM, Chicago time")
    page.tap("Yes, that's right")

    link = page.wait(
        lambda: next(iter(page.driver.find_elements(By.CSS_SELECTOR, "#messages a.file")), None),
        "the calendar file",
    )
    name = link.get_attribute("download") or ""
    assert name.endswith(".ics")
    link.click()
    saved = page.wait(lambda: _downloaded(downloads, name), f"{name} to download")
    calendar = saved.read_text()
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "DTSTART;TZID=America/Chicago:20261203T143000" in calendar


def _downloaded(folder: Path, name: str) -> Path | None:
    path = folder / name
    return path if path.exists() and path.stat().st_size > 0 else None


def test_send_a_pdf_and_a_photo(page: ChatPage, tmp_path: Path) -> None:
    page.open(MARIA)
    page.send("/start")
    page.tap("Cancel")
    pdf = tmp_path / "pathology.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a sandbox test file\n")
    page.attach(pdf)
    page.expect("Which record is it?")
    sent = page.bubbles("me")[-1]
    assert "pathology.pdf" in sent.text
    page.tap("Pathology report")
    reply = page.expect("Files: 1 kept here")
    assert "Saved" in reply.text

    photo = tmp_path / "scan.png"
    photo.write_bytes(tiny_png())
    page.attach(photo)
    page.expect("Which record is it?")
    image = page.bubbles("me")[-1].find_element(By.CSS_SELECTOR, "img.photo")
    page.wait(lambda: page.driver.execute_script("return arguments[0].naturalWidth", image), "the photo")


def test_each_person_has_their_own_chat_and_the_family_group_is_shared(page: ChatPage) -> None:
    page.open(MARIA)
    page.send("/start")
    page.expect("What should I call the patient?")

    page.choose("who", "Dana (daughter)")
    page.wait(lambda: not page.bubbles(), "Dana's empty chat")  # Maria's chat is not Dana's
    page.send("/start")
    page.expect("What should I call the patient?")
    assert len(page.bubbles()) == 2

    page.choose("chat", "Family (group)")
    page.wait(lambda: not page.bubbles(), "the empty group")
    page.send("/start")
    page.expect("This group now follows Dana's plan")  # Dana owns a plan: the group follows it

    page.choose("who", "Maria (patient)")  # the group stays chosen: Maria sees what Dana wrote
    other = page.wait(lambda: page.bubbles("other"), "Dana's message in the group")[0]
    assert "Dana" in other.text and "/start" in other.text
    page.choose("chat", "Bot (private)")
    page.wait(lambda: len(page.bubbles()) == 2, "Maria's own chat again")
    assert page.bubbles("me")[0].text.startswith("/start")


def test_keyboard_only_labels_and_touch_sized_buttons(page: ChatPage) -> None:
    page.open(DANA)
    driver = page.driver
    unlabelled = driver.execute_script(
        "return [...document.querySelectorAll('input, select, textarea')]"
        ".filter(e => !e.labels || e.labels.length === 0).map(e => e.id)"
    )
    assert unlabelled == []
    assert driver.find_element(By.ID, "messages").get_attribute("aria-live") == "polite"

    # The command menu, by keyboard: "/" opens it, the first command is focused, Enter sends it.
    menu = driver.find_element(By.ID, "menu-button")
    menu.send_keys(Keys.ENTER)

    def focused_command() -> WebElement | None:
        focused: WebElement = driver.switch_to.active_element
        return focused if focused.text.startswith("/start") else None

    first = page.wait(focused_command, "the command list, focused")
    first.send_keys(Keys.ENTER)
    message = page.expect("What should I call the patient?")

    skip = message.find_element(By.XPATH, ".//button[normalize-space()='Skip']")
    assert skip.size["height"] >= 44 and skip.size["width"] >= 44
    skip.send_keys(Keys.ENTER)  # a focused inline button works with Enter
    page.expect("What is the diagnosis")


def bot_calls(live: LiveChat, method: str, **params: object) -> None:
    """The bot calls the sandbox's Bot API, as the real bot does."""
    assert live.server is not None
    url = f"{live.server.bot_url}{live.server.token}/{method}"
    request = urllib.request.Request(url, json.dumps(params).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.load(response)["ok"]


def test_the_bot_is_typing_until_its_next_message_or_for_five_seconds(page: ChatPage, live: LiveChat) -> None:
    page.open(MARIA)
    page.send("/start")
    page.expect("What should I call the patient?")
    action = page.driver.find_element(By.ID, "chat-action")
    subtitle = page.driver.find_element(By.ID, "chat-subtitle")
    assert not action.is_displayed() and subtitle.text == "bot @SecondOpinionSandboxBot"

    bot_calls(live, "sendChatAction", chat_id=MARIA, action="typing")
    page.wait(lambda: action.is_displayed() and action.text == "typing…", "typing… under the bot's name")
    assert not subtitle.is_displayed()  # in its place, as on Telegram
    page.send("Maria")
    page.expect("What is the diagnosis")
    page.wait(lambda: not action.is_displayed(), "the bot's message to end typing…", timeout=3)
    assert subtitle.is_displayed()

    bot_calls(live, "sendChatAction", chat_id=MARIA, action="upload_document")
    page.wait(lambda: action.text == "sending a file…", "sending a file…")
    shown = time.monotonic()
    page.wait(lambda: not action.is_displayed(), "sending a file… to end by itself", timeout=8)
    assert time.monotonic() - shown > 3.5  # about five seconds with no message

    page.choose("chat", "Family (group)")  # in a group it names the bot
    bot_calls(live, "sendChatAction", chat_id=FAMILY, action="typing")
    page.wait(lambda: action.text == "Second Opinion Companion is typing…", "the bot typing in the group")


def test_an_invite_link_opens_as_start_for_the_person_chosen_in_i_am(page: ChatPage) -> None:
    page.open(MARIA)
    onboard(page)
    page.tap("Rare or unclear diagnosis")
    page.tap("Done")
    page.tap("No")
    page.expect("Your second opinion plan for Maria")
    page.send("/share")
    page.tap("Can help")
    invite = page.expect("Your invite link is ready")
    link = invite.find_element(By.PARTIAL_LINK_TEXT, "t.me/SecondOpinionSandboxBot?start=")
    address = link.text
    assert link.get_attribute("href") == address and link.get_attribute("target") != "_blank"

    # Maria sends the link where Dana sees it: the family group (the bot there does not read plain talk).
    page.choose("chat", "Family (group)")
    page.send(f"Dana, join us: {address}")
    page.wait(lambda: page.bubbles("me"), "Maria's message in the group")
    page.choose("who", "Dana (daughter)")  # the group stays chosen
    shared = page.wait(lambda: page.bubbles("other"), "Maria's message, as Dana sees it")[-1]
    shared.find_element(By.LINK_TEXT, address).click()

    # As on Telegram: Dana's own chat with the bot opens, and it gets /start with the invite in it.
    page.expect("Maria invited you to Maria's plan.")
    assert page.driver.find_element(By.ID, "chat").get_attribute("value") == "private"
    assert page.driver.find_element(By.ID, "who").get_attribute("value") == str(DANA)
    assert page.bubbles("me")[-1].text.startswith(f"/start {address.rsplit('=', 1)[1]}")
    assert page.driver.current_url.startswith(page.url)  # the page never left for t.me
    page.tap("Join")
    page.expect("You are now in Maria's plan")


def test_links_to_other_places_stay_links_and_a_link_to_the_bot_opens_its_chat(
    page: ChatPage, live: LiveChat
) -> None:
    page.open(MARIA)
    page.choose("chat", "Family (group)")
    page.send("see t.me/SomeOtherBot?start=abc, https://example.org/a. or T.me/secondopinionsandboxbot")
    mine = page.wait(lambda: page.bubbles("me"), "the message")[-1]
    links = {a.text: a for a in mine.find_elements(By.TAG_NAME, "a")}
    assert {text: a.get_attribute("href") for text, a in links.items()} == {
        "t.me/SomeOtherBot?start=abc": "https://t.me/SomeOtherBot?start=abc",
        "https://example.org/a": "https://example.org/a",
        "T.me/secondopinionsandboxbot": "https://t.me/secondopinionsandboxbot",
    }
    assert [a.get_attribute("target") for a in links.values()] == ["_blank", "_blank", ""]
    # A link to the bot with no start parameter opens Maria's chat with it and sends nothing.
    links["T.me/secondopinionsandboxbot"].click()
    page.wait(lambda: page.driver.find_element(By.ID, "empty").is_displayed(), "Maria's empty chat")
    assert page.driver.find_element(By.ID, "chat").get_attribute("value") == "private"
    time.sleep(0.3)  # a message would have been posted at the tap
    assert live.server is not None and live.server.history(MARIA) == []


def tiny_png() -> bytes:
    """A 2x2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


LUCIA = 1004  # one of the made-up people: her phone is in Spanish (localrun.PEOPLE)


def test_lucia_reads_the_web_chat_in_spanish(page: ChatPage) -> None:
    page.open(LUCIA)
    page.send("/start")
    welcome = page.expect("¿Qué nombre uso para el paciente?")
    assert "Le doy la bienvenida a Second Opinion Companion." in welcome.text
    assert page.buttons_of(welcome) == ["Omitir", "✖ Cancelar"]
    page.send("Ana")
    page.expect("¿Cuál es el diagnóstico")
    page.tap("Omitir")
    reasons = page.tap("Diagnóstico raro o poco claro")
    page.wait(
        lambda: "✅ Diagnóstico raro o poco claro" in page.buttons_of(reasons), "the choice to be ticked"
    )
    page.tap("Listo ✓")
    page.tap("No")
    menu = page.expect("Su plan de segunda opinión para Ana")
    assert "⚪ 1. Buscar especialista" in page.buttons_of(menu)
