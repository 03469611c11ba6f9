"""The text loader against the development set's gold annotations: precision, recall and F1.

Runs what `legalkg eval` runs on tests/data/eval and records the table, with the date, the
commit and the machine, in RESULTS.md (and as JSON).

    python benchmarks/extraction_quality.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from machine import describe, one_line
from results import record, table

from legalkg.pipeline import Pipeline
from legalkg.scoring import AgencyResolver, score
from legalkg.settings import Settings

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "tests" / "data" / "eval"
BARS = {"agencies": 0.90, "countries": 0.90, "instruments": 0.90, "sdg_targets": 0.90, "events": 0.85}


def main() -> int:
    gold = json.loads((EVAL / "dev-gold.json").read_text(encoding="utf-8"))
    pipeline = Pipeline(Settings(project_dir=REPO), None)
    predicted = pipeline.extract([EVAL / "documents" / g["file"] for g in gold])
    scores = score(gold, predicted, AgencyResolver(pipeline.agency_names(), pipeline.demonyms()))
    info = describe()
    rows = []
    for name, tally in scores.fields.items():
        bar = BARS.get(name, 0.85)
        rows.append(
            [
                name,
                f"{tally.precision:.3f}",
                f"{tally.recall:.3f}",
                f"**{tally.f1:.3f}**",
                f"{bar:.2f}",
                "yes" if tally.f1 >= bar else "NO",
                tally.tp,
                tally.fp,
                tally.fn,
            ]
        )
    markdown = (
        f"{one_line(info)}\n\n{len(gold)} development reports (tests/data/eval), scored as `legalkg eval` "
        "scores them (see src/legalkg/scoring.py).\n\n"
        + table(["field", "precision", "recall", "F1", "bar", "meets", "tp", "fp", "fn"], rows)
    )
    print(markdown)
    record(
        "extraction-quality",
        "Text extraction against the gold annotations",
        markdown,
        {"machine": info, "scores": scores.as_dict()},
    )
    return 0 if all(r[5] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
