"""Tests that kill the mutants mutation testing found alive in the scoring core (issue 12
item 15; docs/development.md says how to run mutmut)."""

from __future__ import annotations
