"""Settings: built once at the edge (the CLI, the app factory) and passed down, never global.

Each value comes from the first of: a command-line option, a ``LEGALKG_*`` environment
variable, the config file (``--config``, ``$LEGALKG_CONFIG`` or ``./legalkg.toml``), the default.
Secrets (a password, a token) come only from the environment or the config file: never from an
option, where they would stand in the shell's history and the process list, and never in a repr.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from legalkg.errors import UsageError
from legalkg.iris import Iris
from legalkg.namespaces import DEFAULT_BASE

DEFAULT_STORE = ".legalkg/store"
CONFIG_FILE = "legalkg.toml"
DEFAULT_GRAPH_MODES = ("auto", "union", "list")


@dataclass(frozen=True)
class RemoteOptions:
    """How to reach a SPARQL server: its endpoints, credentials and patience.

    An endpoint left None is derived from the store's URL (see ``legalkg.store.endpoint``).
    """

    query: str | None = None
    update: str | None = None
    graph_store: str | None = None
    auth: str = "basic"  # or "digest"; a token always goes as a bearer token
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 300.0  # seconds, for one request; the server is asked for the same
    retries: int = 3  # after the first attempt, for connection refused and 502/503/504
    default_graph: str = "auto"  # union: the server's default graph is the union; list: name them
    chunk: int = 50_000  # triples per request when a graph travels in pieces

    def __post_init__(self) -> None:
        if self.auth not in ("basic", "digest"):
            raise UsageError(f"auth is basic or digest, not '{self.auth}'")
        if self.default_graph not in DEFAULT_GRAPH_MODES:
            raise UsageError(
                f"default-graph is one of {', '.join(DEFAULT_GRAPH_MODES)}, not '{self.default_graph}'"
            )
        if self.timeout <= 0 or self.retries < 0 or self.chunk < 1:
            raise UsageError("timeout and chunk must be positive, and retries not negative")


@dataclass(frozen=True)
class Settings:
    """Where the store is, what the IRIs are under, and where outputs go."""

    store: str = DEFAULT_STORE
    base: str = DEFAULT_BASE
    project_dir: Path | None = None
    dist_dir: Path = Path("dist")
    quarantine_dir: Path = Path(".legalkg/quarantine")
    remote: RemoteOptions = field(default_factory=RemoteOptions)
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def iris(self) -> Iris:
        return Iris(self.base)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, *, config: Path | None = None, **overrides: object
    ) -> Settings:
        """Settings from the config file, then ``LEGALKG_*`` variables, then ``overrides``
        (None values are ignored; ``remote_*`` overrides set the remote options).

        Raises:
            UsageError: when the config file cannot be read or holds a value of the wrong kind.
        """
        env = os.environ if environ is None else environ
        path = config or (Path(env["LEGALKG_CONFIG"]) if env.get("LEGALKG_CONFIG") else None)
        values, remote = _read_config(path or Path(CONFIG_FILE), required=path is not None)
        for name, variable in (("store", "STORE"), ("base", "BASE"), ("project_dir", "PROJECT_DIR")):
            if env.get(f"LEGALKG_{variable}"):
                values[name] = env[f"LEGALKG_{variable}"]
        for name, variable in _REMOTE_VARIABLES.items():
            if env.get(variable):
                remote[name] = env[variable]
        for key, value in overrides.items():
            if value is None:
                continue
            if key.startswith("remote_"):
                remote[key[len("remote_") :]] = value
            else:
                values[key] = value
        if values.get("project_dir") is not None:
            values["project_dir"] = Path(str(values["project_dir"]))
        if "base" in values and not str(values["base"]).endswith("/"):
            values["base"] = f"{values['base']}/"
        return replace(cls(), remote=_remote_options(remote), **values)


# The environment variables of the remote options; README.md lists them.
_REMOTE_VARIABLES = {
    "query": "LEGALKG_QUERY_ENDPOINT",
    "update": "LEGALKG_UPDATE_ENDPOINT",
    "graph_store": "LEGALKG_GRAPH_STORE_ENDPOINT",
    "auth": "LEGALKG_AUTH",
    "user": "LEGALKG_USER",
    "password": "LEGALKG_PASSWORD",
    "token": "LEGALKG_TOKEN",
    "timeout": "LEGALKG_TIMEOUT",
    "retries": "LEGALKG_RETRIES",
    "default_graph": "LEGALKG_DEFAULT_GRAPH",
    "chunk": "LEGALKG_CHUNK",
}


def _read_config(path: Path, *, required: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The top-level settings and the ``[remote]`` table of a config file (none when absent)."""
    if not path.is_file():
        if required:
            raise UsageError(f"no config file {path}")
        return {}, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: not a readable TOML config file ({exc})") from exc
    top = {"store", "base", "project_dir", "dist_dir", "quarantine_dir"}
    values = {k.replace("-", "_"): v for k, v in data.items() if k != "remote"}
    unknown = sorted(set(values) - top)
    table = data.get("remote", {})
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [remote] must be a table")
    remote = {k.replace("-", "_"): v for k, v in table.items()}
    unknown += [f"remote.{k}" for k in sorted(set(remote) - {f.name for f in fields(RemoteOptions)})]
    if unknown:
        raise UsageError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    for key in ("dist_dir", "quarantine_dir"):
        if key in values:
            values[key] = Path(str(values[key]))
    return values, remote


def _remote_options(values: Mapping[str, Any]) -> RemoteOptions:
    """RemoteOptions from strings (the environment) or TOML values, each checked for its kind."""
    converted: dict[str, Any] = {}
    for name, value in values.items():
        kind = {"timeout": float, "retries": int, "chunk": int}.get(name, str)
        try:
            converted[name] = kind(value)
        except (TypeError, ValueError) as exc:
            # The value itself stays out of the message: it may be a secret in the wrong place.
            raise UsageError(f"the remote setting {name} must be a {kind.__name__}") from exc
    return RemoteOptions(**converted)
