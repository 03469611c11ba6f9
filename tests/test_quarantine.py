"""The quarantine commands: what a data steward sees and does with refused sources."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from legalkg.cli import main
from legalkg.iris import content_key
from legalkg.quarantine import Quarantine, QuarantineEntry, current_user
from legalkg.store import EmbeddedStore

from .conftest import DATA, REPO

BAD = DATA / "quarantine" / "partner-events.ttl"
EVENT = "https://w3id.org/legalkg/id/event/meeting-2020-01-05"
BAD_END = '"2020-01-03"^^xsd:date'
GOOD_END = '"2020-01-07"^^xsd:date'


@dataclass
class Desk:
    """A steward's working folder: a store, a partner's file, and the quarantine beside them."""

    store: Path
    original: Path
    quarantine: Quarantine

    def invoke(self, *args: str) -> Result:
        # A wide terminal, so that tables do not fold the words the tests look for.
        runner = CliRunner(env={"COLUMNS": "250"})
        return runner.invoke(
            main, ["--project-dir", str(REPO), "--store", str(self.store), *args], catch_exceptions=False
        )

    def only_entry(self) -> QuarantineEntry:
        entries = self.quarantine.entries()
        assert len(entries) == 1, entries
        return entries[0]

    def end_dates(self) -> list[str]:
        """The end dates the store holds for the partner's event, from any graph."""
        store = EmbeddedStore(self.store, read_only=True)
        try:
            result = store.select(
                f"SELECT ?end WHERE {{ <{EVENT}> <https://w3id.org/legalkg/ontology#endDate> ?end }}"
            )
        finally:
            store.close()
        return sorted(str(value) for value in result.column("end"))

    def catalogue(self) -> dict[str, str]:
        store = EmbeddedStore(self.store, read_only=True)
        try:
            return {name: str(graph) for name, graph in store.sources().items()}
        finally:
            store.close()


@pytest.fixture()
def desk(built_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Desk:
    # The quarantine folder is .legalkg/quarantine under the working folder.
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    shutil.copytree(built_store_dir, store)
    original = tmp_path / BAD.name
    shutil.copy(BAD, original)
    return Desk(store, original, Quarantine(tmp_path / ".legalkg" / "quarantine"))


@pytest.fixture()
def refused(desk: Desk) -> QuarantineEntry:
    """The partner's file, ingested and refused."""
    result = desk.invoke("ingest", str(desk.original))
    assert result.exit_code == 1, result.output
    return desk.only_entry()


def fix(path: Path, end: str = GOOD_END) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(BAD_END, end), encoding="utf-8")


def test_ingest_keeps_a_source_that_does_not_conform_in_the_quarantine(
    desk: Desk, refused: QuarantineEntry
) -> None:
    assert refused.name == BAD.name
    assert refused.input_file.read_bytes() == BAD.read_bytes()
    assert refused.report_turtle.is_file()
    assert "the end date must be on or after the start date" in refused.report_text
    assert refused.violations == 1 and refused.warnings == 0
    assert refused.original_path == str(desk.original.absolute())
    assert BAD.name not in desk.catalogue()
    assert desk.end_dates() == []


def test_list_shows_one_row_per_entry(desk: Desk, refused: QuarantineEntry) -> None:
    result = desk.invoke("quarantine", "list")
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if refused.key in line)
    assert BAD.name in row
    assert refused.refused_at[:10] in row
    assert "endDate: the end date must be on or after the start date" in row
    assert [cell.strip() for cell in row.split("│")][3:5] == ["1", "0"]


def test_list_of_an_empty_quarantine(desk: Desk) -> None:
    result = desk.invoke("quarantine", "list")
    assert result.exit_code == 0
    assert result.output.strip() == "the quarantine is empty"


@pytest.mark.parametrize("name", ["key", "prefix", "file name"])
def test_show_prints_the_report_and_where_its_files_are(
    desk: Desk, refused: QuarantineEntry, name: str
) -> None:
    reference = {"key": refused.key, "prefix": refused.key[:6], "file name": BAD.name}[name]
    result = desk.invoke("quarantine", "show", reference)
    assert result.exit_code == 0, result.stderr
    assert (
        'violation: endDate value "2020-01-03" (line 12): the end date must be on or after the start date'
        in (result.output)
    )
    assert str(refused.input_file) in result.output
    assert str(refused.report_turtle) in result.output
    assert str(desk.original.absolute()) in result.output


@pytest.mark.parametrize(
    "command",
    [["show", "0000dead"], ["retry", "0000dead"], ["drop", "--yes", "0000dead"]],
    ids=["show", "retry", "drop"],
)
def test_an_unknown_key_is_one_line_naming_what_exists(
    desk: Desk, refused: QuarantineEntry, command: list[str]
) -> None:
    result = desk.invoke("quarantine", *command)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "'0000dead'" in lines[0] and f"{refused.key} ({BAD.name})" in lines[0]
    assert "Traceback" not in result.output
    assert desk.quarantine.get(refused.key) is not None, "nothing was dropped"


def test_retry_without_a_fix_keeps_the_entry(desk: Desk, refused: QuarantineEntry) -> None:
    result = desk.invoke("quarantine", "retry", refused.key)
    assert result.exit_code == 1
    assert f"still refused {refused.key} ({BAD.name})" in result.output
    assert "the end date must be on or after the start date" in result.output
    assert desk.only_entry().key == refused.key
    assert desk.end_dates() == []


def test_retry_commits_a_fixed_copy_and_releases_its_entry(desk: Desk, refused: QuarantineEntry) -> None:
    fix(refused.input_file)
    result = desk.invoke("quarantine", "retry", BAD.name)
    assert result.exit_code == 0, result.output
    assert f"committed {refused.key} ({BAD.name})" in result.output
    assert desk.end_dates() == ["2020-01-07"]
    assert BAD.name in desk.catalogue()
    assert desk.quarantine.entries() == []
    assert not refused.folder.exists()


def test_retry_from_the_fixed_original(desk: Desk, refused: QuarantineEntry) -> None:
    fix(desk.original)
    result = desk.invoke("quarantine", "retry", "--from-original", refused.key)
    assert result.exit_code == 0, result.output
    assert desk.end_dates() == ["2020-01-07"]
    assert desk.quarantine.entries() == []


def test_retry_replaces_the_graph_of_an_earlier_file_of_the_same_name(desk: Desk) -> None:
    fix(desk.original, '"2020-01-06"^^xsd:date')
    assert desk.invoke("ingest", str(desk.original)).exit_code == 0
    shutil.copy(BAD, desk.original)
    assert desk.invoke("ingest", str(desk.original)).exit_code == 1
    copy = desk.only_entry().input_file
    fix(copy)
    fixed_key = content_key(copy.read_bytes())
    result = desk.invoke("quarantine", "retry", "--all")
    assert result.exit_code == 0, result.output
    assert "replaced" in result.output
    # Read from every graph: the earlier graph, with its 6 January, is gone.
    assert desk.end_dates() == ["2020-01-07"]
    assert desk.catalogue()[BAD.name].endswith(f"/graph/{fixed_key}")
    assert desk.quarantine.entries() == []


def test_a_copy_still_wrong_after_its_fix_waits_under_its_new_key(
    desk: Desk, refused: QuarantineEntry
) -> None:
    fix(refused.input_file, '"2020-01-02"^^xsd:date')
    result = desk.invoke("quarantine", "retry", refused.key)
    assert result.exit_code == 1
    entry = desk.only_entry()
    assert entry.key != refused.key and not refused.folder.exists()
    assert '"2020-01-02"' in entry.report_text
    assert entry.original_path == str(desk.original.absolute()), "it still stands for the partner's file"
    assert f"kept in the quarantine as {entry.key}" in result.output


def test_retry_of_an_unreadable_copy_is_one_line_and_exit_2(desk: Desk, refused: QuarantineEntry) -> None:
    refused.input_file.write_bytes(b"")
    result = desk.invoke("quarantine", "retry", refused.key)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{refused.key}/input/{BAD.name}: is empty" in lines[0]
    assert desk.quarantine.get(refused.key) is not None


@pytest.mark.parametrize(
    ("args", "says"),
    [([], "or pass --all"), (["--all", "0000dead"], "not both")],
    ids=["nothing named", "both"],
)
def test_retry_needs_entries_or_all(desk: Desk, refused: QuarantineEntry, args: list[str], says: str) -> None:
    result = desk.invoke("quarantine", "retry", *args)
    assert result.exit_code == 2 and says in result.stderr


def test_retry_all_of_an_empty_quarantine(desk: Desk) -> None:
    result = desk.invoke("quarantine", "retry", "--all")
    assert result.exit_code == 0 and "the quarantine is empty" in result.output


def test_drop_without_yes_in_a_script_refuses(desk: Desk, refused: QuarantineEntry) -> None:
    result = desk.invoke("quarantine", "drop", refused.key)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--yes" in lines[0] and refused.key in lines[0]
    assert desk.quarantine.get(refused.key) is not None
    assert not desk.quarantine.drop_log.exists()


def test_drop_yes_removes_the_entry_and_logs_who_dropped_it(
    desk: Desk, refused: QuarantineEntry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="legalkg.quarantine")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = desk.invoke("quarantine", "drop", "--yes", refused.key[:8])
    assert result.exit_code == 0, result.stderr
    assert f"dropped {refused.key} ({BAD.name})" in result.output
    assert desk.quarantine.entries() == [] and not refused.folder.exists()
    lines = desk.quarantine.drop_log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    when, user, key, name, counts = lines[0].split("\t")
    assert dt.datetime.fromisoformat(when) >= before
    assert dt.datetime.fromisoformat(when).utcoffset() == dt.timedelta(0)
    assert (user, key, name) == (current_user(), refused.key, BAD.name)
    assert counts == "1 violation(s), 0 warning(s)"
    assert any(refused.key in r.getMessage() and current_user() in r.getMessage() for r in caplog.records)
    assert desk.invoke("quarantine", "list").output.strip() == "the quarantine is empty"


def test_entry_json_records_what_a_retry_needs(refused: QuarantineEntry) -> None:
    data = json.loads((refused.folder / "entry.json").read_text(encoding="utf-8"))
    assert data["key"] == refused.key
    assert data["first_problem"] == "endDate: the end date must be on or after the start date"
    assert data["published"] is None
