"""The gate in the pipeline: a source is validated with what the store knows of the entities it
points to, and what fails is not committed."""

from __future__ import annotations

from pathlib import Path

from legalkg.pipeline import Pipeline
from legalkg.store import EmbeddedStore

from .conftest import make_settings

DATA = Path(__file__).parent / "data" / "gate"


def test_a_session_is_checked_against_the_dates_of_its_stored_event(
    writable_sample_store: EmbeddedStore, tmp_path: Path
) -> None:
    pipeline = Pipeline(make_settings(tmp_path), writable_sample_store)
    before = writable_sample_store.count()
    outcome = pipeline.ingest([DATA / "session-of-a-stored-event.ttl"]).outcomes[0]
    assert outcome.status == "quarantined"
    assert outcome.report is not None
    outside = [r for r in outcome.report.violations if "within the dates" in r.message]
    assert len(outside) == 2, "its start and its end are after the event ended"
    assert all("2017-09-08" in r.message for r in outside)
    assert writable_sample_store.count() == before, "nothing of the source was committed"
