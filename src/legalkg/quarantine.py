"""The quarantine: sources that failed the gate wait here, as they came, beside their report.

One folder per source (its key): the input copied byte for byte under its own name in
``input/`` (so that no file name can clash with the reports), ``report.txt`` for a person, ``report.ttl`` (an ``sh:ValidationReport``) for programs, and
``entry.json`` saying what it was and when it was refused. ``dropped.log``, beside the
folders, says who dropped which entry and when.

A data steward lists the entries, reads a report, fixes the input (the copy here or the
original file) and retries it, or drops the entry; see ``legalkg quarantine``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from legalkg.errors import UsageError
from legalkg.loaders.base import Source
from legalkg.validation import ValidationReport, ValidationResult

log = logging.getLogger(__name__)

DROP_LOG = "dropped.log"
_ENTRY_FILE = "entry.json"
_GIST_LENGTH = 60


@dataclass(frozen=True)
class QuarantineEntry:
    key: str
    folder: Path
    name: str
    original_path: str
    refused_at: str
    violations: int
    warnings: int
    published: str | None = None
    first_problem: str = ""

    @property
    def input_file(self) -> Path:
        return self.folder / "input" / self.name

    @property
    def report_file(self) -> Path:
        return self.folder / "report.txt"

    @property
    def report_turtle(self) -> Path:
        return self.folder / "report.ttl"

    @property
    def report_text(self) -> str:
        return self.report_file.read_text(encoding="utf-8")

    @property
    def published_date(self) -> dt.date | None:
        """The publication date the source was ingested with, so a retry reads it the same way."""
        return dt.date.fromisoformat(self.published) if self.published else None


class EntryNotFound(UsageError):
    """A key, key prefix or file name that names no quarantine entry, or more than one."""


class Quarantine:
    """A folder of refused sources."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def drop_log(self) -> Path:
        return self.folder / DROP_LOG

    def put(self, source: Source, report: ValidationReport) -> QuarantineEntry:
        """Keep ``source`` with its report; replaces an earlier entry of the same bytes."""
        # Read before the folder is replaced: a retried copy may live in that very folder.
        original_path = self._origin_of(source.path)
        folder = self.folder / source.key
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "input").mkdir(parents=True)
        (folder / "input" / source.name).write_bytes(source.data)
        (folder / "report.txt").write_text(report.to_text(source.name) + "\n", encoding="utf-8")
        (folder / "report.ttl").write_text(report.to_turtle(), encoding="utf-8")
        entry = {
            "key": source.key,
            "name": source.name,
            "original_path": original_path,
            "refused_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "violations": len(report.violations),
            "warnings": len(report.warnings),
            "published": source.published.isoformat() if source.published else None,
            "first_problem": first_problem(report),
        }
        (folder / _ENTRY_FILE).write_text(json.dumps(entry, indent=2) + "\n", encoding="utf-8")
        return self._entry(folder)

    def _origin_of(self, path: Path) -> str:
        """Where a source first came from.

        A quarantined copy that a steward fixed and retried is refused again under its own
        path; the steward still wants to know which file outside the quarantine it stands for.
        """
        folder = path.parent.parent  # <quarantine>/<key>/input/<name>
        entry_file = folder / _ENTRY_FILE
        if folder.parent.resolve() == self.folder.resolve() and entry_file.is_file():
            data = json.loads(entry_file.read_text(encoding="utf-8"))
            return str(data["original_path"])
        # Absolute: a retry --from-original may run from another folder than the ingest did.
        return str(path.absolute())

    def _entry(self, folder: Path) -> QuarantineEntry:
        data = json.loads((folder / _ENTRY_FILE).read_text(encoding="utf-8"))
        return QuarantineEntry(
            key=data["key"],
            folder=folder,
            name=data["name"],
            original_path=data["original_path"],
            refused_at=data["refused_at"],
            violations=int(data["violations"]),
            warnings=int(data["warnings"]),
            published=data.get("published"),
            # Entries kept before the gist was recorded take it from their text report.
            first_problem=data.get("first_problem") or _gist_of_text(folder / "report.txt"),
        )

    def entries(self) -> list[QuarantineEntry]:
        if not self.folder.is_dir():
            return []
        return [self._entry(f) for f in sorted(self.folder.iterdir()) if (f / _ENTRY_FILE).is_file()]

    def get(self, key: str) -> QuarantineEntry | None:
        """The entry of exactly ``key``, if it waits here."""
        folder = self.folder / key
        return self._entry(folder) if (folder / _ENTRY_FILE).is_file() else None

    def find(self, reference: str) -> QuarantineEntry:
        """The entry ``reference`` names: its key, a unique prefix of its key, or its file name.

        Raises:
            EntryNotFound: when it names none or several, saying which entries there are.
        """
        entries = self.entries()
        for matches in (
            [e for e in entries if e.key == reference],
            [e for e in entries if e.name == reference],
            [e for e in entries if reference and e.key.startswith(reference.lower())],
        ):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise EntryNotFound(
                    f"'{reference}' names {len(matches)} quarantine entries "
                    f"({_listing(matches)}); give more of the key"
                )
        holds = f"it holds {_listing(entries)}" if entries else "the quarantine is empty"
        raise EntryNotFound(f"no quarantine entry is named '{reference}'; {holds}")

    def select(self, references: Sequence[str], *, every: bool = False) -> list[QuarantineEntry]:
        """The entries ``references`` name (see :meth:`find`), once each; all of them if ``every``.

        Raises:
            EntryNotFound: for a reference that names no entry or several.
            UsageError: when given both references and ``every``, or neither.
        """
        if every and references:
            raise UsageError("name entries or pass --all, not both")
        if every:
            return self.entries()
        if not references:
            raise UsageError("name the entries (key, key prefix or file name), or pass --all")
        chosen: dict[str, QuarantineEntry] = {}
        for reference in references:
            entry = self.find(reference)
            chosen.setdefault(entry.key, entry)
        return list(chosen.values())

    def release(self, key: str) -> None:
        """Forget an entry (after it was committed or dropped)."""
        folder = self.folder / key
        if folder.exists():
            shutil.rmtree(folder)

    def drop(self, entry: QuarantineEntry, *, user: str | None = None) -> str:
        """Forget an entry a steward gave up on, and record who did so in ``dropped.log``.

        Returns the line written to the log.
        """
        who = user or current_user()
        when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        line = "\t".join(
            (
                when,
                who,
                entry.key,
                entry.name,
                f"{entry.violations} violation(s), {entry.warnings} warning(s)",
            )
        )
        # The log line comes first: a drop that is not recorded must not happen.
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.drop_log.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        self.release(entry.key)
        log.info(
            "%s dropped quarantine entry %s (%s, %d violation(s), %d warning(s))",
            who,
            entry.key,
            entry.name,
            entry.violations,
            entry.warnings,
        )
        return line


def current_user() -> str:
    """The login name, for the drop log; some containers run as a user with no name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def first_problem(report: ValidationReport) -> str:
    """The first thing ``report.txt`` lists, in a few words: the property and the gist."""
    results = report.violations or report.warnings
    if not results:
        return ""
    first = min(results, key=_report_order)
    return _gist(_local_name(str(first.path)) if first.path is not None else None, first.message)


def _report_order(result: ValidationResult) -> tuple[str, str, str]:
    return (str(result.focus), str(result.path), result.message)


def _gist(path: str | None, message: str) -> str:
    # Shape messages are sentences: the part before the first aside says what is wrong.
    gist = message
    for stop in (": ", " (", ", ", "; "):
        gist = gist.split(stop, 1)[0]
    if path:
        gist = f"{path}: {gist}"
    return gist if len(gist) <= _GIST_LENGTH else gist[: _GIST_LENGTH - 1].rstrip() + "…"


def _local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[-1] or iri
    return iri


def _gist_of_text(report_file: Path) -> str:
    """The first problem of a text report: its lines read ``    violation: path value …: message``."""
    if not report_file.is_file():
        return ""
    for line in report_file.read_text(encoding="utf-8").splitlines():
        severity, sep, rest = line.strip().partition(": ")
        if sep and severity in ("violation", "warning", "info"):
            where, _, message = rest.partition(": ")
            path = where.split(" value ", 1)[0]
            return _gist(None if path.startswith("(") else path, message or where)
    return ""


def _listing(entries: list[QuarantineEntry], most: int = 10) -> str:
    # One sentence stays readable: past a few entries, `legalkg quarantine list` says the rest.
    named = ", ".join(f"{e.key} ({e.name})" for e in entries[:most])
    return named + (f" and {len(entries) - most} more" if len(entries) > most else "")
