"""Who can reach the sandbox Bot API server: only this computer, by its loopback name and port, with the
token of this run. A web page elsewhere (DNS rebinding, or guessing the token) reads and changes nothing."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from telegram import Bot as PtbBot
from telegram.error import InvalidToken

from sandbox import SandboxServer
from sandbox.loopback import LOOPBACK_NAMES, is_loopback_host

ALICE = 111
SECRET = "My biopsy result came back"
# The token every sandbox had before each run got its own.
OLD_FIXED_TOKEN = "123456:sandbox-token-for-local-use-only"


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer() as running:
        alice = running.user(ALICE, "Alice")
        alice.send_nowait(SECRET)  # waits in getUpdates, and is in Alice's chat
        yield running


async def fetch(url: str, host: str | None = None) -> tuple[int, str]:
    headers = {"Host": host} if host is not None else {}
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as response:
        return response.status, await response.text()


def refusal(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


async def test_a_page_that_rebound_its_name_to_127_0_0_1_is_refused_and_learns_nothing(
    server: SandboxServer,
) -> None:
    # Even with the right token (which such a page does not have), another host name gets a bare 403.
    for path in ("getUpdates", "getMe", f"sendMessage?chat_id={ALICE}&text=hi"):
        for host in (
            "evil.example:8081",
            f"evil.example:{server.port}",
            f"127.0.0.1.evil.example:{server.port}",
        ):
            status, body = await fetch(f"{server.bot_url}{server.token}/{path}", host)
            assert status == 403
            assert json.loads(body) == refusal(403, f"Forbidden: use http://127.0.0.1:{server.port}")
            assert SECRET not in body and server.token not in body
    # Nothing was taken or sent: the update still waits for the bot, Alice's chat holds only her message.
    assert server.state.updates.pending_count == 1
    assert [message["text"] for message in server.history(ALICE)] == [SECRET]


async def test_files_are_refused_to_other_host_names_too(server: SandboxServer) -> None:
    async with PtbBot(server.token, base_url=server.bot_url) as bot:
        sent = await bot.send_document(ALICE, b"%PDF-1.4 scan", filename="scan.pdf")
    assert sent.document is not None
    _, answer = await fetch(f"{server.bot_url}{server.token}/getFile?file_id={sent.document.file_id}")
    url = f"{server.file_url}{server.token}/{json.loads(answer)['result']['file_path']}"
    assert await fetch(url) == (200, "%PDF-1.4 scan")  # from this computer: the file
    status, body = await fetch(url, f"evil.example:{server.port}")
    assert status == 403 and "PDF" not in body


async def test_the_loopback_at_another_port_is_not_this_server(server: SandboxServer) -> None:
    other_port = server.port + 1 if server.port < 65535 else server.port - 1
    status, _ = await fetch(f"{server.bot_url}{server.token}/getMe", f"127.0.0.1:{other_port}")
    assert status == 403
    status, _ = await fetch(f"{server.bot_url}{server.token}/getMe", f"localhost:{server.port}")
    assert status == 200


async def test_the_old_fixed_token_no_longer_opens_the_sandbox(server: SandboxServer) -> None:
    assert server.token != OLD_FIXED_TOKEN
    status, body = await fetch(f"{server.bot_url}{OLD_FIXED_TOKEN}/getUpdates")
    # Telegram's answer to a well-formed token that is not a bot's, and to one that is not even shaped like one
    assert (status, json.loads(body)) == (401, refusal(401, "Unauthorized"))
    status, body = await fetch(f"{server.bot_url}sandbox/getUpdates")
    assert (status, json.loads(body)) == (404, refusal(404, "Not Found"))
    with pytest.raises(InvalidToken):
        async with PtbBot(OLD_FIXED_TOKEN, base_url=server.bot_url) as intruder:
            await intruder.get_updates()
    assert server.state.updates.pending_count == 1


async def test_a_token_that_differs_only_in_its_secret_is_refused(server: SandboxServer) -> None:
    bot_id, secret = server.token.split(":")
    near_miss = f"{bot_id}:{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"
    status, body = await fetch(f"{server.bot_url}{near_miss}/getUpdates")
    assert status == 401 and SECRET not in body


async def test_the_right_token_works(server: SandboxServer) -> None:
    async with PtbBot(server.token, base_url=server.bot_url) as bot:
        (update,) = await bot.get_updates()
    assert update.message is not None and update.message.text == SECRET


async def test_every_server_has_its_own_random_token_in_telegrams_shape() -> None:
    first, second = SandboxServer(), SandboxServer()
    assert first.token != second.token
    for token in (first.token, second.token):
        assert re.fullmatch(r"\d+:[A-Za-z0-9_-]{35}", token)


async def test_a_test_may_choose_the_token() -> None:
    async with (
        SandboxServer(token="42:chosen-by-the-test") as server,
        PtbBot("42:chosen-by-the-test", base_url=server.bot_url) as bot,
    ):
        assert (await bot.get_me()).id == 42


@given(st.sampled_from(sorted(LOOPBACK_NAMES)), st.integers(1, 65535), st.booleans())
def test_the_loopback_names_at_the_right_port_are_this_computer(name: str, port: int, upper: bool) -> None:
    host = f"{name.upper() if upper else name}:{port}"
    assert is_loopback_host(host, port)
    assert not is_loopback_host(host, port % 65535 + 1)


@given(st.text(min_size=0, max_size=40), st.integers(1, 65535))
def test_any_other_host_name_is_refused(name: str, port: int) -> None:
    assume(name.lower() not in LOOPBACK_NAMES)
    assert not is_loopback_host(f"{name}:{port}", port)


def test_a_missing_host_or_port_is_refused_except_the_default_port() -> None:
    assert not is_loopback_host(None, 8081)
    assert not is_loopback_host("", 8081)
    assert not is_loopback_host("127.0.0.1", 8081)
    assert is_loopback_host("127.0.0.1", 80)  # browsers leave out :80
    assert not is_loopback_host("[::1]:8081", 8081)  # the servers listen on IPv4 only
