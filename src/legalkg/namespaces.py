"""IRIs and prefixes: constants only."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/legalkg/"

LKG = Namespace("https://w3id.org/legalkg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/legalkg/ontology"
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
GEONAMES = "https://sws.geonames.org/"
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

DCT = DCTERMS
# dct:format, spelled out: the attribute "format" reads as the builtin to type checkers.
DCT_FORMAT = URIRef("http://purl.org/dc/terms/format")

# The prefixes every serialization and every saved query may use.
PREFIXES: dict[str, str] = {
    "lkg": str(LKG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "eli": str(ELI),
    "sdg": str(SDG),
    "sdgo": str(SDGO),
}


def sparql_prologue() -> str:
    """The PREFIX lines for :data:`PREFIXES`, to prepend to a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


__all__ = [
    "DCT",
    "DEFAULT_BASE",
    "GEONAMES",
    "LKG",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SDG",
    "SDGO",
    "SKOS",
    "XSD",
]
