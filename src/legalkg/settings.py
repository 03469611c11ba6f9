"""Settings: built once at the edge (the CLI, the app factory) and passed down, never global."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from legalkg.iris import Iris
from legalkg.namespaces import DEFAULT_BASE

DEFAULT_STORE = ".legalkg/store"


@dataclass(frozen=True)
class Settings:
    """Where the store is, what the IRIs are under, and where outputs go."""

    store: str = DEFAULT_STORE
    base: str = DEFAULT_BASE
    project_dir: Path | None = None
    dist_dir: Path = Path("dist")
    quarantine_dir: Path = Path(".legalkg/quarantine")
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def iris(self) -> Iris:
        return Iris(self.base)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``LEGALKG_*`` variables, then ``overrides`` (None values are ignored)."""
        env = os.environ if environ is None else environ
        settings = cls()
        values: dict[str, object] = {}
        if env.get("LEGALKG_STORE"):
            values["store"] = env["LEGALKG_STORE"]
        if env.get("LEGALKG_BASE"):
            values["base"] = env["LEGALKG_BASE"]
        if env.get("LEGALKG_PROJECT_DIR"):
            values["project_dir"] = Path(env["LEGALKG_PROJECT_DIR"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "base" in values and not str(values["base"]).endswith("/"):
            values["base"] = f"{values['base']}/"
        return replace(settings, **values)  # type: ignore[arg-type]
