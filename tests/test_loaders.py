"""Loaders other than plain text: HTML pages, Markdown, CSV and JSON records, RDF files."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from legalkg.errors import InputError
from legalkg.gold import gold_view
from legalkg.iris import Iris
from legalkg.loaders import LoadContext, loader_for, open_source
from legalkg.namespaces import LKG

DATA = Path(__file__).parent / "data" / "loaders"
ID = "https://w3id.org/legalkg/id/"


@pytest.fixture(scope="module")
def context(reference_graph: Graph) -> LoadContext:
    return LoadContext(Iris(), reference_graph)


def load(path: Path, context: LoadContext) -> Graph:
    loader, source = open_source(path)
    return loader.load(source, context).candidate()


def view(path: Path, context: LoadContext) -> dict:  # type: ignore[type-arg]
    return gold_view(load(path, context), context.reference, file=path.name, text="")


def test_html_keeps_the_article_and_leaves_out_menus_and_footers(context: LoadContext) -> None:
    graph = load(DATA / "press-release.html", context)
    document = next(graph.subjects(RDF.type, LKG.SourceDocument))
    mentioned = set(graph.objects(document, LKG.mentions))
    assert URIRef(f"{ID}instrument/nairobi-protocol") in mentioned
    assert URIRef(f"{ID}instrument/att") not in mentioned, "the menu's link is not the article"
    assert URIRef(f"{ID}instrument/wassenaar-arrangement") not in mentioned, "nor is the sidebar"
    event = view(DATA / "press-release.html", context)["events"][0]
    assert (event["start"], event["end"], event["city"], event["country"]) == (
        "2019-05-13",
        "2019-05-15",
        "Nairobi",
        "KEN",
    )
    assert event["participants"] == 30 and event["participant_countries"] == 8
    assert set(event["instruments"]) == {"Firearms Protocol", "Nairobi Protocol"}
    assert event["sdg_targets"] == ["16.4"]


def test_markdown_is_read_without_its_markup(context: LoadContext) -> None:
    event = view(DATA / "report.md", context)["events"][0]
    assert event["start"] == "2011-02-02" and event["city"] == "Casablanca" and event["country"] == "MAR"
    assert event["organizers"] == ["UNIDIR"]
    assert event["participants"] == 40 and event["instruments"] == ["ATT"]


def test_csv_records_load_into_the_same_kind_of_triples(context: LoadContext) -> None:
    data = view(DATA / "events.csv", context)
    by_label = {e["label"]: e for e in data["events"]}
    meeting = by_label["Regional Meeting on Firearms Data"]
    assert meeting["type"] == "Meeting" and meeting["city"] == "Panama City" and meeting["country"] == "PAN"
    assert set(meeting["organizers"]) == {"Global Firearms Programme", "Government of Panama"}
    assert (meeting["participants"], meeting["participant_countries"], meeting["sdg_targets"]) == (
        36,
        14,
        ["16.4"],
    )
    session = by_label["Session on tracing"]
    assert session["part_of"] == "Regional Meeting on Firearms Data"
    assert set(session["instruments"]) == {"Firearms Protocol", "ITI"} and session["sdg_targets"] == [
        "16.4.2"
    ]
    graph = load(DATA / "events.csv", context)
    commission = URIRef(f"{ID}agency/commission-nationale-de-lutte-tgo")
    assert (commission, LKG.reviewStatus, LKG.AwaitingReview) in graph
    assert (commission, RDFS.label, Literal("Commission Nationale de Lutte")) in graph


def test_json_records_in_the_gold_form(context: LoadContext) -> None:
    event = view(DATA / "events.json", context)["events"][0]
    assert (event["label"], event["city"], event["organizers"], event["instruments"]) == (
        "Fifth Conference of States Parties",
        "Geneva",
        ["ATT Secretariat"],
        ["ATT"],
    )


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("bad-date.csv", "row 2, column 'start': '2019-02-30' is not a date as YYYY-MM-DD"),
        ("bad-country.csv", "row 2, column 'country': 'Atlantis' is not an ISO 3166-1 alpha-3 country code"),
        ("unknown-column.csv", "line 1: unknown column(s) kind"),
        ("missing-parent.csv", "row 2, column 'part_of': no event labelled 'A meeting that is not here'"),
        ("bad-count.json", "event 1, column 'participants': '-3' is not a whole number"),
        ("broken.json", "line 2, column 25: is not valid JSON"),
    ],
)
def test_a_bad_record_is_refused_with_its_row_and_column(context: LoadContext, name: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        load(DATA / name, context)
    assert says in str(caught.value)
    assert str(DATA / name) in str(caught.value)


def test_every_kind_of_file_has_its_loader() -> None:
    names = {
        suffix: loader_for(Path(f"x{suffix}")).name
        for suffix in (".txt", ".md", ".html", ".csv", ".json", ".ttl", ".jsonld", ".nq")
    }
    assert names == {
        ".txt": "text",
        ".md": "markdown",
        ".html": "html",
        ".csv": "records",
        ".json": "records",
        ".ttl": "rdf",
        ".jsonld": "rdf",
        ".nq": "rdf",
    }
    with pytest.raises(InputError, match=r"no loader reads '\.pdf' files"):
        loader_for(Path("report.pdf"))


def test_a_result_sent_to_another_process_leaves_its_graphs_behind_and_makes_them_again(
    context: LoadContext,
) -> None:
    loader, source = open_source(DATA / "report.md")
    result = loader.load(source, context)
    made = (set(result.ox_graph.triples), set(result.graph))
    received = pickle.loads(pickle.dumps(result))
    assert not {"graph", "ox_graph"} & set(vars(received))
    assert received.triples == result.triples and received.place_triples == result.place_triples
    assert (set(received.ox_graph.triples), set(received.graph)) == made
