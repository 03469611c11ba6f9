"""The text loader on short reports, one pattern of real reports each (tests/data/reading)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from legalkg.pipeline import Pipeline
from legalkg.scoring import AgencyResolver

from .conftest import make_settings

CASES = yaml.safe_load((Path(__file__).parent / "data" / "reading" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(make_settings(tmp_path_factory.mktemp("reading")), None)


@pytest.fixture(scope="module")
def resolver(pipeline: Pipeline) -> AgencyResolver:
    return AgencyResolver(pipeline.agency_names(), pipeline.demonyms())


def _read(pipeline: Pipeline, text: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    [view] = pipeline.extract([path])
    return view


def _same_agencies(read: list[str], expected: list[str], resolver: AgencyResolver) -> bool:
    return all(any(resolver.same(a, b) for b in expected) for a in read) and all(
        any(resolver.same(a, b) for a in read) for b in expected
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_reading(case: dict[str, Any], pipeline: Pipeline, resolver: AgencyResolver, tmp_path: Path) -> None:
    view = _read(pipeline, case["text"], tmp_path)
    events = {e["label"]: e for e in view["events"]}
    if "event_count" in case:
        assert len(view["events"]) == case["event_count"], sorted(events)
    for expected in case.get("events", []):
        assert expected["label"] in events, sorted(events)
        event = events[expected["label"]]
        for field, value in expected.items():
            if field == "organizers":
                assert _same_agencies(event[field], value, resolver), event[field]
            elif field != "label":
                assert event[field] == (str(value) if field in ("start", "end") else value), (field, event)
    for field in ("countries", "instruments", "sdg_targets"):
        if field in case:
            assert sorted(view[field]) == sorted(case[field])
    if "agencies" in case:
        assert _same_agencies(view["agencies"], case["agencies"], resolver), view["agencies"]
    for name in case.get("not_agencies", []):
        assert name not in view["agencies"]
    for name in case.get("not_instruments", []):
        assert name not in view["instruments"]
