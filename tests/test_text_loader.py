"""The text loader on the sample document: every fact the foundation issue names, with evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from legalkg.errors import InputError
from legalkg.iris import Iris
from legalkg.loaders import LoadContext, open_source
from legalkg.namespaces import LKG, OA, SDG

from .conftest import SAMPLE

ID = "https://w3id.org/legalkg/id/"
CONFERENCE = URIRef(f"{ID}event/law-enforcement-training-net-conference-2017-08-30")
SESSION = URIRef(f"{CONFERENCE}/session/5")


@pytest.fixture(scope="module")
def sample_graph(reference_graph: Graph) -> Graph:
    loader, source = open_source(SAMPLE)
    return loader.load(source, LoadContext(Iris(), reference_graph)).candidate()


def agency(slug: str) -> URIRef:
    return URIRef(f"{ID}agency/{slug}")


def test_the_conference(sample_graph: Graph) -> None:
    g = sample_graph
    assert (CONFERENCE, RDF.type, LKG.Conference) in g
    assert (CONFERENCE, RDFS.label, Literal("Law Enforcement Training Net conference")) in g
    assert g.value(CONFERENCE, LKG.startDate) == Literal("2017-08-30", datatype=XSD.date)
    assert g.value(CONFERENCE, LKG.endDate) == Literal("2017-09-01", datatype=XSD.date)
    assert g.value(CONFERENCE, LKG.city) == URIRef("https://sws.geonames.org/3530597/")
    assert g.value(URIRef("https://sws.geonames.org/3530597/"), RDFS.label) == Literal("Mexico City")
    assert g.value(CONFERENCE, LKG.country) == URIRef(f"{ID}country/MEX")
    assert g.value(CONFERENCE, LKG.participantCount).toPython() == 200
    assert g.value(CONFERENCE, LKG.participantCountryCount).toPython() == 35


def test_the_three_organizers_are_national_bodies_of_mexico(sample_graph: Graph) -> None:
    organizers = set(sample_graph.objects(CONFERENCE, LKG.organizer))
    expected = {
        agency("national-commission-of-security-mex"),
        agency("federal-police-mex"),
        agency("ministry-of-foreign-affairs-mex"),
    }
    assert organizers == expected
    for organizer in expected:
        assert sample_graph.value(organizer, LKG.agencyCountry) == URIRef(f"{ID}country/MEX")
        assert sample_graph.value(organizer, LKG.reviewStatus) == LKG.AwaitingReview


def test_the_fifth_session(sample_graph: Graph) -> None:
    g = sample_graph
    assert (SESSION, RDF.type, LKG.Session) in g
    assert g.value(SESSION, RDFS.label) == Literal(
        "Monitoring, Criminalization and Investigation of Firearms Trafficking"
    )
    assert g.value(SESSION, LKG.sessionNumber).toPython() == 5
    assert g.value(SESSION, LKG.partOf) == CONFERENCE
    assert g.value(SESSION, LKG.startDate) == Literal("2017-08-31", datatype=XSD.date)
    assert g.value(SESSION, LKG.endDate) == Literal("2017-08-31", datatype=XSD.date)
    assert (SESSION, LKG.presenter, agency("unodc-gfp")) in g
    assert (SESSION, LKG.organizer, agency("unodc-gfp")) not in g
    assert set(g.objects(SESSION, LKG.covers)) == {
        URIRef(f"{ID}instrument/untoc"),
        URIRef(f"{ID}instrument/firearms-protocol"),
        URIRef(f"{ID}instrument/att"),
    }
    assert set(g.objects(SESSION, LKG.addresses)) == {SDG["16.4"]}
    assert not set(g.objects(CONFERENCE, LKG.covers)), "the instruments were covered by the session"


def test_the_document_names_its_countries_and_instruments(sample_graph: Graph) -> None:
    document = next(sample_graph.subjects(RDF.type, LKG.SourceDocument))
    mentioned = set(sample_graph.objects(document, LKG.mentions))
    assert {URIRef(f"{ID}country/MEX"), URIRef(f"{ID}country/USA")} <= mentioned
    assert {URIRef(f"{ID}instrument/{s}") for s in ("untoc", "firearms-protocol", "att")} <= mentioned
    assert {agency("unodc"), agency("unodc-gfp"), agency("ameripol")} <= mentioned
    assert SDG["16.4"] in mentioned
    assert (CONFERENCE, PROV.wasDerivedFrom, document) in sample_graph


def test_every_fact_about_the_events_has_its_sentence(sample_graph: Graph) -> None:
    g = sample_graph
    text = SAMPLE.read_text(encoding="utf-8")
    facts = [
        (s, p, o)
        for s in (CONFERENCE, SESSION)
        for p, o in g.predicate_objects(s)
        if p not in (RDF.type, PROV.wasDerivedFrom, LKG.reviewStatus)
    ]
    assert len(facts) >= 15
    for s, p, o in facts:
        evidence = [
            e for e in g.subjects(RDF.subject, s) if (e, RDF.predicate, p) in g and (e, RDF.object, o) in g
        ]
        assert len(evidence) == 1, f"no evidence for {p} {o}"
        sentence = g.value(evidence[0], OA.hasTarget)
        assert g.value(evidence[0], LKG.rule) is not None
        selectors = list(g.objects(sentence, OA.hasSelector))
        quote = next(g.value(x, OA.exact) for x in selectors if (x, RDF.type, OA.TextQuoteSelector) in g)
        position = next(x for x in selectors if (x, RDF.type, OA.TextPositionSelector) in g)
        start, end = g.value(position, OA.start).toPython(), g.value(position, OA.end).toPython()
        assert text[start:end] == str(quote), "the offsets point at the quoted sentence"


def test_the_att_came_from_the_sentence_that_names_it(sample_graph: Graph) -> None:
    g = sample_graph
    evidence = next(
        e
        for e in g.subjects(RDF.subject, SESSION)
        if (e, RDF.predicate, LKG.covers) in g and (e, RDF.object, URIRef(f"{ID}instrument/att")) in g
    )
    sentence = g.value(evidence, OA.hasTarget)
    quote = next(g.value(x, OA.exact) for x in g.objects(sentence, OA.hasSelector) if g.value(x, OA.exact))
    assert "the Arms Trade Treaty" in str(quote)
    assert str(g.value(evidence, LKG.rule)) == "instrument-in-event-context"


def test_loading_is_deterministic(reference_graph: Graph) -> None:
    from rdflib.compare import isomorphic

    context = LoadContext(Iris(), reference_graph)
    loader, source = open_source(SAMPLE)
    first = loader.load(source, context).graph
    second = loader.load(source, context).graph
    assert isomorphic(first, second)
    assert first == second or set(first) == set(second)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"  \n\n ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Réunion à Genève".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_bad_input_is_refused_in_one_sentence(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        open_source(path)
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_report_without_a_date_line_takes_the_published_date(
    tmp_path: Path, reference_graph: Graph
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "The workshop on marking took place in Nairobi, Kenya, from 3 to 5 May.\n", encoding="utf-8"
    )
    loader, source = open_source(path, published=dt.date(2019, 5, 20))
    graph = loader.load(source, LoadContext(Iris(), reference_graph)).candidate()
    starts = {str(o) for o in graph.objects(None, LKG.startDate)}
    assert starts == {"2019-05-03"}


def test_two_closing_events_on_one_day_in_two_countries_are_two_events(
    tmp_path: Path, reference_graph: Graph
) -> None:
    """An event named by a common noun ("closing event") is told apart by where it was."""
    events = set()
    for city, country in (("Helsinki", "Finland"), ("Malabo", "Equatorial Guinea")):
        path = tmp_path / f"{city}.txt"
        path.write_text(
            f"Regional dialogue on the ATT\n\n{city}, {country}, 17 June 2020 — With a closing event "
            f"in {city} today, UNODC wound up its project on the Arms Trade Treaty.\n",
            encoding="utf-8",
        )
        loader, source = open_source(path)
        graph = loader.load(source, LoadContext(Iris(), reference_graph)).candidate()
        starts = set(graph.subjects(LKG.startDate, Literal("2020-06-17", datatype=XSD.date)))
        assert len(starts) == 1, graph.serialize(format="turtle")
        events |= starts
    assert len(events) == 2, events
