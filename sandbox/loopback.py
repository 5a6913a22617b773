"""The Host check both local servers (the sandbox Bot API server and the web chat) make on every request.

Both listen on 127.0.0.1 only, and neither has a login. A web page on another site could still reach them
by DNS rebinding: its own host name is made to resolve to 127.0.0.1, so the browser sends the page's
requests here as if they went to that site and lets the page read the answers. Those requests name the
page's site in their ``Host`` header; a request from this computer names the loopback at the port the
server listens on. So a server answers only requests whose ``Host`` is ``127.0.0.1:<port>`` or
``localhost:<port>`` (the port may be left out only where it is 80, as browsers do).
"""

from __future__ import annotations

from aiohttp import hdrs, web

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost"})
_DEFAULT_HTTP_PORT = 80


def is_loopback_host(host: str | None, port: int) -> bool:
    """Whether a ``Host`` header value names this computer's loopback at ``port``."""
    if not host:
        return False
    name, colon, given = host.lower().rpartition(":")
    if not colon:
        name, given = given, str(_DEFAULT_HTTP_PORT)
    return name in LOOPBACK_NAMES and given == str(port)


def from_this_computer(request: web.Request, port: int) -> bool:
    """Whether ``request`` names the loopback at ``port`` in its ``Host`` header (not ``request.host``,
    which falls back to this machine's name when the header is missing)."""
    return is_loopback_host(request.headers.get(hdrs.HOST), port)
