"""The one exception tree of legalkg.

::

    LegalKGError                    anything legalkg reports to a user; never a bug
    ├── InputError                  a file that cannot be read as what it claims to be
    │   └── RDFSyntaxError          RDF that does not parse (file, line, column)
    ├── AssetNotFoundError          the ontology, shapes, queries or reference data are missing
    ├── QueryError                  a saved query that does not exist, or a bad parameter
    ├── StoreError                  the store cannot be opened, read or written
    │   └── EndpointError           a remote SPARQL endpoint refused or failed (endpoint, status)
    ├── ValidationFailed            data does not conform to the shapes (exit code 1)
    └── UsageError                  an argument that makes no sense

Every error formats itself in one sentence: what is wrong, where, and what to do next.
The CLI turns them into exit codes in one place (:func:`exit_code`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LegalKGError(Exception):
    """Root of every error legalkg reports to a user."""

    exit_code = 2

    def __str__(self) -> str:
        return self.message()

    def message(self) -> str:
        return super().__str__()


class UsageError(LegalKGError):
    """An argument that makes no sense."""


@dataclass
class InputError(LegalKGError):
    """A file that cannot be read as what it claims to be."""

    path: Path | str
    problem: str
    line: int | None = None
    column: int | None = None

    def message(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return f"{where}: {self.problem}"


class RDFSyntaxError(InputError):
    """RDF that does not parse."""


@dataclass
class AssetNotFoundError(LegalKGError):
    """The ontology, shapes, queries or reference data could not be found."""

    what: str
    searched: list[str]

    def message(self) -> str:
        places = "; ".join(self.searched) or "nowhere"
        return (
            f"cannot find the {self.what} (looked in: {places}); "
            "set LEGALKG_PROJECT_DIR to a legalkg checkout or reinstall the package"
        )


@dataclass
class QueryError(LegalKGError):
    """A saved query that does not exist, or a parameter it does not take."""

    problem: str

    def message(self) -> str:
        return self.problem


@dataclass
class StoreError(LegalKGError):
    """The store cannot be opened, read or written."""

    location: str
    problem: str

    def message(self) -> str:
        return f"store {self.location}: {self.problem}"


@dataclass
class EndpointError(StoreError):
    """A remote SPARQL endpoint refused the request or failed."""

    status: int | None = None

    def message(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        return f"endpoint {self.location}{status}: {self.problem}"


@dataclass
class ValidationFailed(LegalKGError):
    """Data does not conform to the shapes; the report says why."""

    summary: str
    exit_code = 1

    def message(self) -> str:
        return self.summary


def exit_code(error: BaseException) -> int:
    """The process exit code for an error: 1 for non-conforming data, 2 for a user error."""
    if isinstance(error, LegalKGError):
        return error.exit_code
    return 3
