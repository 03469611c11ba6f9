"""The saved queries: each parses, is documented, and gives its expected answer on the sample."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from legalkg.errors import QueryError
from legalkg.queries import catalogue, get, parse_header, run
from legalkg.results import cell, render
from legalkg.store import EmbeddedStore
from legalkg.store.sparql import with_values

from .conftest import REPO

QUERIES = REPO / "queries"
EXPECTED = yaml.safe_load(
    (Path(__file__).parent / "data" / "queries" / "expected.yaml").read_text(encoding="utf-8")
)
CASES = [(name, i, case) for name, cases in EXPECTED.items() for i, case in enumerate(cases)]
REQUIRED = {
    "sessions-covering-instrument": {"instrument"},
    "events-by-agency": {"agency"},
    "events-in-country": {"country", "from", "to"},
    "events-addressing-sdg": {"sdg"},
    "instruments-supplementing": {"instrument"},
    "evidence": {"subject", "property"},
    "timeline": {"from", "to"},
}


def test_at_least_eight_saved_queries_with_the_required_names() -> None:
    queries = catalogue(QUERIES)
    assert len(queries) >= 8
    for name, parameters in REQUIRED.items():
        assert name in queries
        assert {p.name for p in queries[name].parameters} == parameters


@pytest.mark.parametrize("name", sorted(catalogue(QUERIES)))
def test_each_query_is_documented_parses_and_has_an_expected_answer(name: str) -> None:
    saved = get(QUERIES, name)
    header = parse_header(saved.text)
    assert saved.summary and saved.description, "a summary and a description in the #+ header"
    for parameter in saved.parameters:
        assert parameter.description and parameter.example, f"parameter {parameter.name} is documented"
    spec = header.get("parameters") or {}
    assert set(spec) == {p.name for p in saved.parameters}, (
        "the header documents exactly the query's parameters"
    )
    ox.Store().query(with_values(saved.text, {}))  # parses (raises SyntaxError otherwise)
    assert name in EXPECTED, "every saved query has an expected answer on the sample"


@pytest.mark.parametrize(("name", "index", "case"), CASES, ids=[f"{n}-{i}" for n, i, _ in CASES])
def test_expected_answer_on_the_sample(
    sample_store: EmbeddedStore, name: str, index: int, case: dict[str, object]
) -> None:
    saved = get(QUERIES, name)
    result = run(sample_store, saved, {k: str(v) for k, v in dict(case["params"]).items()})  # type: ignore[call-overload]
    expected_rows = case["rows"]
    assert isinstance(expected_rows, list)
    columns = sorted({c for row in expected_rows for c in row}) or result.variables
    actual = sorted(tuple(cell(row.get(c)) for c in columns) for row in result.rows)
    expected = [tuple(str(row[c]) if c in row else None for c in columns) for row in expected_rows]
    # A column an expected row leaves out is not compared for that row.
    matched = [
        any(all(e is None or e == a for e, a in zip(exp, act, strict=True)) for act in actual)
        for exp in expected
    ]
    assert len(actual) == len(expected) and all(matched), f"{name} {case['params']}: got {actual}"


def test_unknown_query_lists_what_exists() -> None:
    with pytest.raises(QueryError) as caught:
        get(QUERIES, "sesions")
    assert "no saved query 'sesions'" in str(caught.value)
    assert "sessions-covering-instrument" in str(caught.value)


def test_unknown_parameter_lists_the_parameters(sample_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError) as caught:
        run(sample_store, get(QUERIES, "events-in-country"), {"contry": "MEX"})
    assert "no parameter 'contry'" in str(caught.value) and "country, from, to" in str(caught.value)


def test_a_name_nothing_has_is_a_clear_error(sample_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="nothing in the graph is named 'Atlantis'"):
        run(sample_store, get(QUERIES, "events-in-country"), {"country": "Atlantis"})


def test_parameters_are_bound_as_terms_not_pasted(sample_store: EmbeddedStore) -> None:
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    with pytest.raises(QueryError):
        run(sample_store, get(QUERIES, "events-in-country"), {"country": hostile})
    query = with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": __import__("rdflib").Literal(hostile)})
    assert "DROP ALL" in query and '\\"' in query, "the quote is escaped inside the literal"
    assert sample_store.count() > 0


def test_a_parameter_reaches_into_subqueries(sample_store: EmbeddedStore) -> None:
    """A filter on a parameter inside a subquery runs before the subquery's LIMIT."""
    from rdflib import Literal

    query = (
        "SELECT ?label WHERE { { SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "FILTER (STR(?label) = ?wanted) } LIMIT 1 } }"
    )
    rows = sample_store.select(query, {"wanted": Literal("Mexico")}).rows
    assert [str(r["label"]) for r in rows] == ["Mexico"]


def test_results_render_as_sparql_json_csv_and_markdown(sample_store: EmbeddedStore) -> None:
    import json

    result = run(sample_store, get(QUERIES, "sessions-covering-instrument"), {"instrument": "ATT"})
    data = json.loads(render(result, "json"))
    assert data["head"]["vars"] == result.variables
    binding = data["results"]["bindings"][0]
    assert binding["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert binding["sessionIri"]["type"] == "uri"
    assert render(result, "csv").splitlines()[0] == ",".join(result.variables)
    assert render(result, "markdown").startswith("| title | date |")
