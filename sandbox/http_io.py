"""Reading Bot API parameters from an aiohttp request, and writing Bot API responses."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from sandbox.errors import ApiError, bad_request
from sandbox.params import Params, UploadedFile

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_params(request: web.Request) -> Params:
    """Parameters from the query string and the body (JSON, url-encoded form or multipart)."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON") from None
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON")
            values.update(body)
        elif request.content_type in _FORMS:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    files[name] = UploadedFile(value.filename, content, value.content_type)
                elif isinstance(value, bytes | bytearray):
                    values[name] = bytes(value).decode("utf-8", "replace")
                else:
                    values[name] = value
    return Params(values, files)


def ok(result: Any) -> web.Response:
    """``{"ok": true, "result": ...}``."""
    return web.json_response({"ok": True, "result": result}, dumps=_dumps)


def refusal(error: ApiError) -> web.Response:
    """The error body, with the HTTP status Telegram uses (the same number as ``error_code``)."""
    return web.json_response(error.to_json(), status=error.error_code, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
