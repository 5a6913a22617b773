"""A person whose phone is in Spanish (es-MX) walks the journey in Spanish; their helper reads English."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar

from sandbox import SandboxServer, SandboxUser
from tests.e2e.harness import Clock, running_bot
from tests.e2e.test_caregivers import eventually, invite, saw
from tests.e2e.test_journey import onboard
from tests.e2e.test_paper import pdfs
from tests.e2e.test_reminders import arrives

# Typed the way a Spanish speaker types it: Thursday 3 December, 2:30 in the afternoon (Chicago time).
VISIT = "el jueves 3 de diciembre a las 2:30 de la tarde"
WEEK_BEFORE = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # Thu 26 Nov, 10:00 Chicago


async def onboard_in_spanish(lucia: SandboxUser) -> None:
    reply = await lucia.send("/start")
    assert "Le doy la bienvenida a Second Opinion Companion." in reply.text
    assert "No doy consejos médicos." in reply.text
    assert "¿Qué nombre uso para el paciente?" in reply.text
    assert reply.buttons == ["Omitir", "✖ Cancelar"]
    reply = await lucia.send("Ana")
    assert "¿Cuál es el diagnóstico, en sus propias palabras?" in reply.text
    await lucia.tap("Omitir")
    reply = await lucia.tap("Diagnóstico raro o poco claro")
    assert "✅ Diagnóstico raro o poco claro" in reply.buttons
    await lucia.tap("Listo ✓")
    reply = await lucia.tap("No")
    assert "1. Buscar especialista" in " ".join(reply.buttons), reply.buttons


async def test_the_whole_journey_in_spanish_with_a_helper_who_reads_english(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    clock = Clock()
    async with running_bot(sandbox, data_dir, clock):
        lucia = sandbox.user(301, "Lucía", "es-MX")
        dana = sandbox.user(302, "Dana", "en-US")
        await onboard_in_spanish(lucia)

        # The four steps speak Spanish, content included.
        reply = await lucia.send("/specialist")
        assert "Paso 1" in reply.text
        reply = await lucia.send("/records")
        assert "Paso 2. Reúna sus expedientes" in reply.text
        assert "Informe de patología" in " ".join(reply.buttons)
        reply = await lucia.send("/insurance")
        assert "Paso 3" in reply.text
        reply = await lucia.send("/questions")
        assert "Paso 4" in reply.text

        # A helper whose phone is in English joins and reads English.
        await lucia.send("/share")
        reply = await lucia.tap("🤝 Puede ayudar")
        token = re.search(r"start=([A-Za-z0-9_-]+)", reply.text)
        assert token is not None, reply.text
        reply = await dana.send(f"/start {token.group(1)}")
        assert "Lucía invited you to" in reply.text
        reply = await dana.tap("✅ Join")
        assert "You are now in Ana's plan" in reply.text

        # A visit typed in Spanish, read back in Spanish with the zone's city.
        await lucia.send("/settings")
        await lucia.tap("🌐 Zona horaria")
        await lucia.tap("Chicago")
        reply = await lucia.send(f"/appointment {VISIT}")
        assert "jueves, 3 de diciembre de 2026, 14:30, hora de Chicago" in reply.text
        assert "¿Es correcto?" in reply.text
        reply = await lucia.tap("✅ Sí, es correcto")

        # Her calendar file speaks Spanish; Dana's news and calendar file speak English.
        mine = [f for f in lucia.documents() if (f.file_name or "").endswith(".ics")]
        assert mine, "no calendar file was sent"
        event = next(iter(Calendar.from_ical(mine[-1].data).walk("VEVENT")))
        assert "Segunda opinión" in str(event["SUMMARY"]), event["SUMMARY"]
        await eventually(saw(dana, "Lucía"), "Dana hears of the visit", user=dana)
        await eventually(
            lambda: any((f.file_name or "").endswith(".ics") for f in dana.documents()),
            "Dana's calendar file",
        )
        news = [m.text for m in dana.bot_messages() if "Lucía" in m.text]
        assert any("Thursday 3 December 2026, 2:30 PM, Chicago time" in t for t in news), news
        theirs = [f for f in dana.documents() if (f.file_name or "").endswith(".ics")]
        event = next(iter(Calendar.from_ical(theirs[-1].data).walk("VEVENT")))
        assert "Second opinion" in str(event["SUMMARY"]), event["SUMMARY"]

        # The week-before reminder comes in Spanish, with the date in Spanish words.
        clock.set(WEEK_BEFORE)
        text = await arrives(lucia, "Su cita es en una semana.")
        assert "jueves, 3 de diciembre de 2026, 14:30, hora de Chicago" in text

        # She can switch to English in /settings, and back: each language by its own name.
        reply = await lucia.send("/settings")
        assert "✅ Español" in reply.buttons and "▫️ English" in reply.buttons
        reply = await lucia.tap("▫️ English")
        assert "<b>Settings</b>" in reply.html and "✅ English" in reply.buttons
        reply = await lucia.tap("▫️ Español")
        assert "Ajustes" in reply.text


async def test_telegram_shows_spanish_commands_before_start(sandbox: SandboxServer, data_dir: Path) -> None:
    async with running_bot(sandbox, data_dir):
        spanish = {c["command"]: c["description"] for c in sandbox.commands(language_code="es")}
        english = {c["command"]: c["description"] for c in sandbox.commands()}
        assert spanish.keys() == english.keys()
        assert spanish["menu"] == "Ver los cuatro pasos" and spanish["menu"] != english["menu"]
        assert "nunca doy consejos médicos" in sandbox.description(language_code="es")
        assert "never give medical advice" in sandbox.description()


async def test_a_family_group_reads_the_language_of_whoever_linked_it(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        lucia = sandbox.user(301, "Lucía", "es-MX")
        dana = sandbox.user(302, "Dana", "en-US")
        await onboard_in_spanish(lucia)
        await lucia.send("/share")
        reply = await lucia.tap("🤝 Puede ayudar")
        token = re.search(r"start=([A-Za-z0-9_-]+)", reply.text)
        assert token is not None
        await dana.send(f"/start {token.group(1)}")
        await dana.tap("✅ Join")
        sandbox.group(-4100, "Familia")
        reply = await lucia.in_group(-4100).send("/start")
        assert "Este grupo ahora sigue el plan de Ana." in reply.text

        # Dana's /menu in the group is answered in the group's Spanish; in her own chat, in English.
        reply = await dana.in_group(-4100).send("/menu")
        assert "1. Buscar especialista" in " ".join(reply.buttons), reply.buttons
        reply = await dana.send("/menu")
        assert "1. Find a specialist" in " ".join(reply.buttons)

        # The owner switches the group to English in /members; the group's next menu is English.
        reply = await lucia.send("/members")
        assert "🗣️ Español" in reply.buttons
        reply = await lucia.tap("🗣️ Español")
        assert "🗣️ English" in reply.buttons
        reply = await dana.in_group(-4100).send("/menu")
        assert "1. Find a specialist" in " ".join(reply.buttons)


async def test_paper_in_spanish_and_the_records_letter_in_english_for_the_office(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    async with running_bot(sandbox, data_dir):
        lucia = sandbox.user(301, "Lucía", "es-MX")
        await onboard_in_spanish(lucia)
        await lucia.send("/records")
        await lucia.tap("⬜ Informe de patología")
        await lucia.tap("Pedido")
        await lucia.send("City Hospital")
        await lucia.send("/records")
        reply = await lucia.tap("📄 Cartas de solicitud (PDF)")
        letters = pdfs(lucia)
        # The office reads English; Lucía gets her own copy in Spanish, to know what she sends.
        assert [name for name, _ in letters] == ["records-request-1.pdf", "records-request-1-es.pdf"]
        office, hers = (text for _, text in letters)
        assert "medical records office at City Hospital" in office and "HIPAA" in office
        assert "Informe de patología" in hers and "City Hospital" in hers
        assert "inglés" in "\n".join(reply.texts)

        await lucia.send("/summary")
        ((_, sheet),) = [p for p in pdfs(lucia) if p[0].startswith("prep-sheet")]
        assert "Ana" in sheet and "Informe de patología" in sheet


async def test_in_an_english_group_a_spanish_speaker_types_the_time_in_spanish(
    sandbox: SandboxServer, data_dir: Path
) -> None:
    """The group reads English; Lucía types in her own language, and the bot reads it."""
    async with running_bot(sandbox, data_dir):
        maria = sandbox.user(1001, "Maria")
        lucia = sandbox.user(301, "Lucía", "es-MX")
        await onboard(maria, "Ann")
        await lucia.send(f"/start {await invite(maria, 'Can help')}")
        reply = await lucia.tap("✅ Unirme")
        assert "el plan de Ann" in reply.text
        sandbox.group(-100778, "Ann's family", privacy_mode=True)
        await maria.in_group(-100778).send("/start")
        group = lucia.in_group(-100778)
        await group.send("/appointment")
        await group.tap("Add the visit")
        asking = group.last_message()
        await group.send("Houston", reply_to=asking.message_id)
        asking = group.last_message()
        reply = await group.send(VISIT, reply_to=asking.message_id)
        assert "Thursday 3 December 2026, 2:30 PM, Chicago time" in reply.text
