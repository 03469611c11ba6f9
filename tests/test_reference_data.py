"""The generated reference data: up to date with its generators, and as the model expects."""

from __future__ import annotations

import csv
import difflib
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "data" / "reference"
LKG = Namespace("https://w3id.org/legalkg/ontology#")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
SDG = "http://metadata.un.org/sdg/"


@cache
def graph(name: str) -> Graph:
    return Graph().parse(REFERENCE / name, format="turtle")


def first_difference(expected: bytes, actual: bytes, context: int = 20) -> str:
    """A unified diff of the first lines that differ, short enough to read in a test report."""
    diff = difflib.unified_diff(
        expected.decode("utf-8").splitlines(),
        actual.decode("utf-8").splitlines(),
        "committed",
        "regenerated",
        lineterm="",
    )
    return "\n".join(line for _, line in zip(range(context), diff, strict=False))


@pytest.mark.parametrize(
    ("script", "output"),
    [("make_countries.py", "countries.ttl"), ("make_sdg.py", "sdg.ttl")],
)
def test_generated_file_is_up_to_date(script: str, output: str, tmp_path: Path) -> None:
    out = tmp_path / output
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / script), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    committed = (REFERENCE / output).read_bytes()
    regenerated = out.read_bytes()
    assert regenerated == committed, (
        f"data/reference/{output} is out of date; regenerate with: python scripts/{script}\n"
        + first_difference(committed, regenerated)
    )


def test_every_iso_country_once_with_unique_codes() -> None:
    g = graph("countries.ttl")
    countries = set(g.subjects(RDF.type, LKG.Country))
    assert len(countries) == 249
    for code in (LKG.alpha2, LKG.alpha3, LKG.numericCode):
        values = [g.value(country, code) for country in countries]
        assert None not in values, f"a country has no {code}"
        assert len(set(values)) == 249, f"{code} is not unique"


def test_country_iri_is_its_alpha3() -> None:
    g = graph("countries.ttl")
    for country in g.subjects(RDF.type, LKG.Country):
        alpha3 = g.value(country, LKG.alpha3)
        assert str(country) == f"https://w3id.org/legalkg/id/country/{alpha3}"


def test_every_demonym_names_one_country() -> None:
    g = graph("countries.ttl")
    counts = Counter(str(d) for d in g.objects(None, LKG.demonym))
    assert [d for d, n in counts.items() if n > 1] == []


def test_demonym_table_is_unique_and_complete() -> None:
    with (REPO / "data" / "sources" / "demonyms.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codes = [row["alpha3"] for row in rows]
    assert codes == sorted(set(codes)) and len(codes) == 249
    counts = Counter(d.strip() for row in rows for d in row["demonyms"].split(";") if d.strip())
    assert [d for d, n in counts.items() if n > 1] == []


def test_mexico_has_demonym_mexican() -> None:
    mexico = URIRef("https://w3id.org/legalkg/id/country/MEX")
    assert (mexico, LKG.demonym, Literal("Mexican", lang="en")) in graph("countries.ttl")


def test_sdg_counts() -> None:
    g = graph("sdg.ttl")
    assert len(set(g.subjects(RDF.type, SDGO.Goal))) == 17
    assert len(set(g.subjects(RDF.type, SDGO.Target))) == 169


def test_indicator_16_4_2() -> None:
    g = graph("sdg.ttl")
    indicator = URIRef(f"{SDG}C160402")
    target = URIRef(f"{SDG}16.4")
    assert (indicator, RDF.type, SDGO.Indicator) in g
    assert (indicator, SKOS.notation, Literal("16.4.2")) in g
    assert (indicator, SKOS.broader, target) in g
    assert (target, SKOS.narrower, indicator) in g


def test_sdg_narrower_is_inverse_of_broader() -> None:
    g = graph("sdg.ttl")
    broader = set(g.subject_objects(SKOS.broader))
    narrower = {(child, parent) for parent, child in g.subject_objects(SKOS.narrower)}
    assert broader == narrower
