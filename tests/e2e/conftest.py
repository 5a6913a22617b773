from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sandbox import SandboxServer


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    # A reply's messages (a screen, then a calendar file) come milliseconds apart: 0.1 s of quiet is plenty.
    server = SandboxServer(quiet_period=0.1)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
