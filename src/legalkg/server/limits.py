"""Size limits on what a request may send: its query string and its body.

A request past a limit is answered 414 or 413 with the reason: a query string, or a body that
says its length, before any handler runs; a body that does not, as it arrives.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from legalkg.errors import LegalKGError


class BodyTooLarge(LegalKGError):
    """A body found, as it arrived, to be larger than the server takes (answered 413)."""


class SizeLimits:
    """ASGI middleware refusing a query string longer than ``max_query_string`` bytes (414)
    and a body larger than ``max_body`` bytes (413)."""

    def __init__(self, app: ASGIApp, max_query_string: int, max_body: int) -> None:
        self.app = app
        self.max_query_string = max_query_string
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query_string:
            reason = f"the query string is longer than {self.max_query_string:,} bytes: send a long query by POST"
            await _refuse(send, 414, "query_string_too_long", reason)
            return
        body_reason = f"the request body is larger than {self.max_body:,} bytes"
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _refuse(send, 413, "body_too_large", body_reason)
            return
        received = 0

        async def counted() -> Message:
            # Raised in the handler that reads the body, whose error handler answers 413.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(body_reason)
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, status: int, code: str, reason: str) -> None:
    body = json.dumps({"error": code, "message": reason}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
