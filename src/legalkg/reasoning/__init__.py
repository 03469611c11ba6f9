"""Reasoning: what follows from what the sources said, kept apart in the inferred graphs.

:func:`compile_rules` turns the ontology's OWL 2 RL axioms into rules; a :class:`Reasoner`
keeps the inferred graphs of a store up to date with them, as sources come and go, and
reports the clashes that make the graph inconsistent.
"""

from legalkg.reasoning.engine import Clash, Reasoner
from legalkg.reasoning.rules import Check, Rule, RuleSet, compile_rules

__all__ = ["Check", "Clash", "Reasoner", "Rule", "RuleSet", "compile_rules"]
