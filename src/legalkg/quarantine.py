"""The quarantine: sources that failed the gate wait here, as they came, beside their report.

One folder per source (its key): the input copied byte for byte under its own name,
``report.txt`` for a person, ``report.ttl`` (an ``sh:ValidationReport``) for programs, and
``entry.json`` saying what it was and when it was refused.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from legalkg.loaders.base import Source
from legalkg.validation import ValidationReport


@dataclass(frozen=True)
class QuarantineEntry:
    key: str
    folder: Path
    name: str
    original_path: str
    refused_at: str
    violations: int
    warnings: int

    @property
    def input_file(self) -> Path:
        return self.folder / self.name

    @property
    def report_text(self) -> str:
        return (self.folder / "report.txt").read_text(encoding="utf-8")


class Quarantine:
    """A folder of refused sources."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, source: Source, report: ValidationReport) -> QuarantineEntry:
        """Keep ``source`` with its report; replaces an earlier entry of the same bytes."""
        folder = self.folder / source.key
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        (folder / source.name).write_bytes(source.data)
        (folder / "report.txt").write_text(report.to_text(source.name) + "\n", encoding="utf-8")
        (folder / "report.ttl").write_text(report.to_turtle(), encoding="utf-8")
        entry = {
            "key": source.key,
            "name": source.name,
            "original_path": str(source.path),
            "refused_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "violations": len(report.violations),
            "warnings": len(report.warnings),
        }
        (folder / "entry.json").write_text(json.dumps(entry, indent=2) + "\n", encoding="utf-8")
        return self._entry(folder)

    def _entry(self, folder: Path) -> QuarantineEntry:
        data = json.loads((folder / "entry.json").read_text(encoding="utf-8"))
        return QuarantineEntry(
            key=data["key"],
            folder=folder,
            name=data["name"],
            original_path=data["original_path"],
            refused_at=data["refused_at"],
            violations=int(data["violations"]),
            warnings=int(data["warnings"]),
        )

    def entries(self) -> list[QuarantineEntry]:
        if not self.folder.is_dir():
            return []
        return [self._entry(f) for f in sorted(self.folder.iterdir()) if (f / "entry.json").is_file()]

    def release(self, key: str) -> None:
        """Forget an entry (after it was committed or dropped)."""
        folder = self.folder / key
        if folder.exists():
            shutil.rmtree(folder)
