"""The wheel carries the ontology, shapes, queries, reference data and sample documents.

`pip install .` (not editable) into a fresh virtual environment, then `legalkg build` in an
empty folder: the same answers as from the checkout. The dependencies are installed as pinned
in constraints.txt (from pip's cache after the first run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(tmp / "dist"),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp / "dist").glob("legalkg-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True)
    subprocess.run(
        [
            str(tmp / "venv" / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(REPO / "constraints.txt"),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return tmp / "venv"


def clean_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEGALKG_", "PYTHONPATH"))}
    env["COLUMNS"] = "250"
    return env


def test_the_wheel_holds_every_asset(installed: Path) -> None:
    code = "import legalkg.assets as a; s = a.locate(); print(s.root); print(len(s.reference_files()), len(s.shapes_files()))"
    out = subprocess.run(
        [str(installed / "bin" / "python"), "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed,
        env=clean_environment(),
    ).stdout.splitlines()
    assert Path(out[0]).is_relative_to(installed), "the assets come from the installed package"
    references, shapes = map(int, out[1].split())
    assert references >= 5 and shapes >= 1


def test_build_in_an_empty_folder_gives_the_same_answers(installed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run = subprocess.run(
        [str(installed / "bin" / "legalkg"), "build"],
        capture_output=True,
        text=True,
        cwd=empty,
        env=clean_environment(),
    )
    assert run.returncode == 0, run.stderr
    assert "Validation: passed" in run.stdout
    answer = run.stdout[run.stdout.index("Which sessions covered the Arms Trade Treaty?") :]
    assert "Monitoring, Criminalization and Investigation of Firearms Trafficking" in answer
    assert "Law Enforcement Training Net conference" in answer
    assert (empty / ".legalkg" / "store").is_dir() and (empty / "dist" / "latest" / "legalkg.ttl.gz").is_file()
