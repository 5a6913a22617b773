"""Bot API methods about the bot itself: identity, webhook, updates, commands and descriptions."""

from __future__ import annotations

import json
import re
from typing import Any

from sandbox.errors import bad_request
from sandbox.params import Params
from sandbox.state import SandboxState
from sandbox.webhook import WebhookDelivery, check_url

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MAX_COMMANDS = 100
_DESCRIPTION_LIMITS = {"description": 512, "short_description": 120}


async def get_me(state: SandboxState, params: Params) -> Any:
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def log_out(state: SandboxState, params: Params) -> Any:
    return True


async def close(state: SandboxState, params: Params) -> Any:
    return True


async def set_webhook(state: SandboxState, params: Params) -> Any:
    """Deliver updates by webhook (sandbox/webhook.py); an empty url means deleteWebhook, as on Telegram."""
    url = params.str_("url") or ""
    if not url:
        return await delete_webhook(state, params)
    secret = params.str_("secret_token") or None
    if secret is not None and not _SECRET_RE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    allowed = _allowed_updates(params)
    if params.bool_("drop_pending_updates"):
        state.updates.drop_pending()
    delivery = WebhookDelivery(
        check_url(url), secret, state.updates.delivered, state.now, state.updates.webhook_backoff
    )
    await state.updates.set_webhook(delivery, allowed)
    return True


async def delete_webhook(state: SandboxState, params: Params) -> Any:
    await state.updates.delete_webhook()
    if params.bool_("drop_pending_updates"):
        state.updates.drop_pending()
    return True


async def get_webhook_info(state: SandboxState, params: Params) -> Any:
    info: dict[str, Any] = {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": state.updates.pending_count,
    }
    delivery = state.updates.webhook
    if delivery is not None:
        info.update(url=delivery.url, max_connections=40)
        if delivery.last_error is not None:
            info.update(last_error_date=delivery.last_error[0], last_error_message=delivery.last_error[1])
    return info


def _allowed_updates(params: Params) -> list[str] | None:
    allowed = params.json_("allowed_updates")
    if allowed is not None and not isinstance(allowed, list):
        raise bad_request("can't parse allowed_updates JSON object")
    return [str(kind) for kind in allowed] if allowed is not None else None


async def get_updates(state: SandboxState, params: Params) -> Any:
    return await state.updates.poll(
        offset=params.int_("offset"),
        limit=params.int_("limit"),
        wait_seconds=params.float_("timeout", 0.0),
        allowed_updates=_allowed_updates(params),
    )


def _scope_key(params: Params) -> tuple[str, str]:
    scope = params.json_("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return json.dumps(scope, sort_keys=True), params.str_("language_code") or ""


def scope_key(scope: dict[str, Any] | None, language_code: str = "") -> tuple[str, str]:
    """The key commands are stored under, for readers outside the HTTP layer."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


async def set_my_commands(state: SandboxState, params: Params) -> Any:
    commands = params.json_("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND_RE.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": name, "description": description})
    state.commands[_scope_key(params)] = checked
    return True


async def get_my_commands(state: SandboxState, params: Params) -> Any:
    return [dict(command) for command in state.commands.get(_scope_key(params), [])]


async def delete_my_commands(state: SandboxState, params: Params) -> Any:
    state.commands.pop(_scope_key(params), None)
    return True


def _set_description(state: SandboxState, params: Params, kind: str) -> bool:
    text = params.str_(kind) or ""
    if len(text) > _DESCRIPTION_LIMITS[kind]:
        raise bad_request(f"{kind.upper()}_INVALID")
    key = (kind, params.str_("language_code") or "")
    if text:
        state.descriptions[key] = text
    else:
        state.descriptions.pop(key, None)
    return True


async def set_my_description(state: SandboxState, params: Params) -> Any:
    return _set_description(state, params, "description")


async def set_my_short_description(state: SandboxState, params: Params) -> Any:
    return _set_description(state, params, "short_description")


async def get_my_description(state: SandboxState, params: Params) -> Any:
    return {"description": state.descriptions.get(("description", params.str_("language_code") or ""), "")}


async def get_my_short_description(state: SandboxState, params: Params) -> Any:
    key = ("short_description", params.str_("language_code") or "")
    return {"short_description": state.descriptions.get(key, "")}
