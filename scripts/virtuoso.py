"""A private Virtuoso for legalkg, on 127.0.0.1 only: install, configure, start, stop.

    python scripts/virtuoso.py start [--dir .virtuoso] [--http-port 8895] [--sql-port 1115]
    python scripts/virtuoso.py stop  [--dir .virtuoso]

`start` installs Debian's virtuoso-opensource when it is missing (with sudo unless run as root),
writes a virtuoso.ini into --dir from the package's own (its database files there, both ports
bound to 127.0.0.1), starts the server and lets anonymous SPARQL clients update the store and use
the Graph Store Protocol: right for a machine's loopback and tests, wrong for anything reachable
from elsewhere (there, use /sparql-auth with a password: see README.md). `make virtuoso` runs it;
the test suite imports it to start its own instance when Virtuoso is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PACKAGE_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
PACKAGE_DB = "/var/lib/virtuoso-opensource-7/db/"
GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL";'
    " DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"  # read and write every graph, for the GSP
)


def installed() -> bool:
    return shutil.which("virtuoso-t") is not None and PACKAGE_INI.is_file()


def install() -> None:
    """Install Debian's virtuoso-opensource, without questions, unless it is there."""
    if installed():
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", "virtuoso-opensource"]
    subprocess.run(command, check=True, env=env)


def configure(folder: Path, http_port: int, sql_port: int) -> Path:
    """Write ``folder/virtuoso.ini``: the package's settings, the database in ``folder``, the
    ports on 127.0.0.1, and no server-side time limit (legalkg asks for one per query)."""
    folder.mkdir(parents=True, exist_ok=True)
    ini = PACKAGE_INI.read_text(encoding="utf-8").replace(PACKAGE_DB, f"{folder.resolve()}/")

    def set_in(section: str, key: str, value: str, text: str) -> str:
        pattern = re.compile(rf"(\[{section}\][^\[]*?^)(\s*{key}\s*=)[^\n]*", re.M | re.S)
        if pattern.search(text):
            return pattern.sub(lambda m: f"{m.group(1)}{key} = {value}", text, count=1)
        return re.sub(rf"(\[{section}\]\n)", lambda m: f"{m.group(1)}{key} = {value}\n", text, count=1)

    ini = set_in("Parameters", "ServerPort", f"127.0.0.1:{sql_port}", ini)
    ini = set_in("HTTPServer", "ServerPort", f"127.0.0.1:{http_port}", ini)
    ini = set_in("SPARQL", "MaxQueryExecutionTime", "0", ini)
    path = folder / "virtuoso.ini"
    path.write_text(ini, encoding="utf-8")
    return path


def wait_until_it_answers(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def grant(sql_port: int) -> None:
    """Let anonymous SPARQL clients update the store (loopback only: see the module's docstring)."""
    subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={GRANTS}"],
        check=True,
        capture_output=True,
    )


def start(
    folder: Path, http_port: int, sql_port: int, *, foreground: bool = False
) -> subprocess.Popen[bytes]:
    """Start Virtuoso on ``folder``; with ``foreground``, the returned process is the server itself
    (stop it by its id), else a launcher that has finished once the server runs on its own."""
    folder = folder.resolve()  # the server runs in it, and reads its paths from there
    ini = configure(folder, http_port, sql_port)
    command = ["virtuoso-t", "+configfile", str(ini), "+foreground" if foreground else "+wait"]
    log = (folder / "launcher.log").open("wb")
    process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_until_it_answers(url)
        grant(sql_port)
    except BaseException:
        process.terminate()
        raise
    return process


def stop(folder: Path) -> None:
    """Stop the server that runs on ``folder`` (its process id is in its lock file)."""
    lock = folder / "virtuoso.lck"
    match = re.search(r"VIRT_PID=(\d+)", lock.read_text()) if lock.is_file() else None
    if match is None:
        print(f"no Virtuoso runs on {folder}")
        return
    os.kill(int(match.group(1)), 15)
    print(f"stopped Virtuoso (process {match.group(1)})")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, default=Path(".virtuoso"))
    parser.add_argument("--http-port", type=int, default=8895)
    parser.add_argument("--sql-port", type=int, default=1115)
    args = parser.parse_args()
    if args.action == "stop":
        stop(args.dir)
        return 0
    install()
    start(args.dir, args.http_port, args.sql_port)
    url = f"http://127.0.0.1:{args.http_port}/sparql"
    print(f"Virtuoso answers at {url}; try: legalkg --store {url} build")
    print(f"stop it with: python scripts/virtuoso.py stop --dir {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
