"""Recording benchmark figures: a section of benchmarks/RESULTS.md per benchmark, and JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RESULTS = HERE / "RESULTS.md"
JSON_DIR = HERE / "results"


def record(name: str, title: str, markdown: str, data: dict[str, Any]) -> None:
    """Replace the section ``name`` of RESULTS.md with ``markdown``, and write ``data`` as JSON."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    section = f"{begin}\n## {title}\n\n{markdown.rstrip()}\n{end}"
    text = (
        RESULTS.read_text(encoding="utf-8")
        if RESULTS.exists()
        else "# Benchmark results\n\nWritten by the scripts in this folder; each section says when, on which commit and machine.\n"
    )
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _: section, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section + "\n"
    )
    RESULTS.write_text(text, encoding="utf-8")
    JSON_DIR.mkdir(exist_ok=True)
    (JSON_DIR / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
