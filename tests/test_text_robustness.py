"""Bad or strange input never crashes the text loader (property tests with hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import RDF

from legalkg.iris import Iris
from legalkg.loaders import LoadContext
from legalkg.loaders.base import Source
from legalkg.loaders.text import TextLoader
from legalkg.namespaces import LKG, OA

# Pieces of reports, mixed at random: dates in every form, events, agencies, counts,
# instruments, SDG targets, roles, and things that look like them.
FRAGMENTS = [
    "GENEVA, May 15, 2019 —",
    "Lima, 22 October 2021.",
    "THE HAGUE –",
    "NAIROBI, Kenya, 3 June 2020 -",
    "The conference was held in Mexico City, Mexico between 30 August and 1st September 2017.",
    "The workshop runs from 1 to 4 October 2019",
    "on 20.01.2020 and 21.01.2020",
    "last Tuesday and Wednesday",
    "31 May – 1 June",
    "August 26-30, 2019",
    "29 February–2 March 2012",
    "in late November 2022",
    "the fifth session of the conference was dedicated to",
    "Session 3 – 20 October: The role of the customs.",
    "- Kathmandu, Nepal, 10–12 November 2010;",
    "Regional seminars then took place in:",
    "organized by the Ministry of Foreign Affairs of Nepal",
    "in cooperation with the Government of Panama",
    "UNODC",
    "the Global Firearms Programme (GFP) of UNODC",
    "INTERPOL and the United States Department of State",
    "the Arms Trade Treaty (ATT)",
    "UNTOC and its Firearms Protocol",
    "the Protocol",
    "the future treaty",
    "SDG 16.4",
    "target 16.4 of the 2030 Agenda",
    "indicator 16.4.2",
    "Goal 99.9.9",
    "200 LE officers from 35 countries",
    "over 40 participants",
    "some 200",
    "twenty-five officials attended",
    "The seminar",
    "the meeting",
    "A stakeholders' conference followed.",
    "The project was launched in New York on 15 July 2010",
    "funded by Germany",
    "with the Government of Saint Lucia as host",
    "Kenya hosted the 11th meeting of",
    "(of whom 10 women)",
    "Background: the EU Firearms Directive",
    '"Combatting Illicit Trafficking"',
    "Session 1.",
    "PROGRAMME NOTE",
    "Organizers: UNRCPD",
    "Café 日本語 العربية русский 🙂",
    "\u200b\u00a0\t",
    "...",
    "(",
    ")",
    "“",
    "—",
    ";",
    ":",
    "1.",
    "2019",
    "9999",
    "0",
    "-1",
    "999999999999",
]


@pytest.fixture(scope="module")
def context(reference_graph: Graph) -> LoadContext:
    context = LoadContext(Iris(), reference_graph)
    _ = context.gazetteer  # built once for every example
    return context


def load_text(text: str, context: LoadContext) -> Graph:
    source = Source(Path("generated.txt"), text.encode("utf-8"), "text/plain")
    return TextLoader().load_text(source, text, context).candidate()


def check_evidence(graph: Graph, text: str) -> None:
    """Every quote the graph keeps is the text at its offsets."""
    for sentence in graph.subjects(RDF.type, LKG.Sentence):
        selectors = list(graph.objects(sentence, OA.hasSelector))
        quote = next(str(graph.value(s, OA.exact)) for s in selectors if graph.value(s, OA.exact) is not None)
        position = next(s for s in selectors if graph.value(s, OA.start) is not None)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))  # type: ignore[arg-type]
        assert text[start:end] == quote


pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
separators = st.sampled_from([" ", ". ", ", ", "\n", "\n\n", " — ", ": ", "\n- "])
documents = st.lists(st.tuples(pieces, separators), min_size=1, max_size=40).map(
    lambda parts: "".join(p + s for p, s in parts)
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents)
def test_generated_reports_never_crash_and_quote_exactly(context: LoadContext, text: str) -> None:
    graph = load_text(text, context)
    assert (None, RDF.type, LKG.SourceDocument) in graph
    check_evidence(graph, text)


def test_a_report_that_names_no_event_keeps_its_mentions_and_says_so(context: LoadContext) -> None:
    text = "UNODC and INTERPOL discussed the Arms Trade Treaty with Mexico.\n"
    source = Source(Path("no-event.txt"), text.encode(), "text/plain")
    result = TextLoader().load_text(source, text, context)
    assert not set(result.graph.subjects(RDF.type, LKG.Event))
    assert len(set(result.graph.objects(None, LKG.mentions))) == 4
    assert result.notes == ["no-event.txt: no event found"]


def test_very_long_lines_and_mixed_scripts(context: LoadContext) -> None:
    line = " ".join(["The workshop in Nairobi, Kenya, on 3 May 2019 was organized by UNODC"] * 400)
    text = line + "\n\n" + "Семинар 研讨会 ورشة " * 500 + "\n"
    graph = load_text(text, context)
    check_evidence(graph, text)
    assert len(set(graph.subjects(RDF.type, LKG.Workshop))) >= 1
