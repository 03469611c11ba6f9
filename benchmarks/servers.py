"""Starting a server on 127.0.0.1 for a benchmark, and waiting until it answers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(
    command: Callable[[int], list[str]], ready: str, *, cwd: Path | None = None, wait: float = 60.0
) -> tuple[str, subprocess.Popen[bytes]]:
    """Run ``command(port)`` on a free port; return its base URL once ``ready`` (a path) answers."""
    port = free_port()
    process = subprocess.Popen(command(port), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}{ready}", timeout=1):
                return url, process
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"{command(port)[0]} did not start")
