"""A real HTTP server in front of a real SPARQL server, for the tests of what the network does:
it forwards every request, and can first answer as a failing gateway, a slow link or a server
that wants credentials would."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REALM = "legalkg-tests"
NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093"


@dataclass
class Seen:
    method: str
    path: str
    content_type: str


@dataclass
class Proxy:
    upstream: str
    # Called with each request's method and path: a status to answer instead of forwarding.
    rule: Callable[[str, str], int | None] = lambda method, path: None
    delay: float = 0.0
    auth: tuple[str, str] | None = None  # ("basic", "user:password"), ("bearer", token), ("digest", ...)
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                proxy.handle(self)

            do_POST = do_PUT = do_DELETE = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else None
        self.seen.append(Seen(request.command, request.path, request.headers.get("Content-Type", "")))
        if self.auth is not None and not self.authorized(request):
            scheme = self.auth[0]
            challenge = (
                f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'
                if scheme == "digest"
                else f'{"Bearer" if scheme == "bearer" else "Basic"} realm="{REALM}"'
            )
            self.answer(request, 401, b"credentials wanted", {"WWW-Authenticate": challenge})
            return
        status = self.rule(request.command, request.path)
        if status is not None:
            self.answer(request, status, f"the proxy answers {status}".encode(), {})
            return
        time.sleep(self.delay)
        forwarded = urllib.request.Request(self.upstream + request.path, data=body, method=request.command)
        for header in ("Content-Type", "Accept"):
            if request.headers.get(header):
                forwarded.add_header(header, request.headers[header])
        try:
            with urllib.request.urlopen(forwarded, timeout=60) as answer:
                self.answer(request, answer.status, answer.read(), dict(answer.headers.items()))
        except urllib.error.HTTPError as exc:
            self.answer(request, exc.code, exc.read(), dict(exc.headers.items()))

    def authorized(self, request: BaseHTTPRequestHandler) -> bool:
        assert self.auth is not None
        scheme, secret = self.auth
        given = request.headers.get("Authorization", "")
        if scheme == "basic":
            return given == "Basic " + base64.b64encode(secret.encode()).decode()
        if scheme == "bearer":
            return given == f"Bearer {secret}"
        fields = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', given)}
        if not given.startswith("Digest ") or fields.get("nonce") != NONCE:
            return False
        user, password = secret.split(":", 1)

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()

        ha1 = md5(f"{user}:{REALM}:{password}")
        ha2 = md5(f"{request.command}:{fields.get('uri', '')}")
        expected = md5(f"{ha1}:{NONCE}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("username") == user and fields.get("response") == expected

    @staticmethod
    def answer(request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        # Say what the server behind is, as a proxy does: the client adapts to it.
        upstream = {k.lower(): v for k, v in headers.items()}.get("server")
        if upstream:
            request.server_version, request.sys_version = upstream, ""
        request.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
