"""The scoring engine: compile a rubric to arrays, then score all agencies at once.

``plan`` (rubric → arrays) → ``normalize`` (indicator scores, with the registered
``normalizations``) → ``walk`` (combine up the tree with the registered
``aggregations``, optionally for a stack of weight draws) → ``classify`` (round, bands,
trend, groups, ranks). ``score`` runs them once; analyses run the same steps.
"""

from . import aggregations, normalizations  # noqa: F401  (register the built-in methods)
from .plan import compile_rubric
from .score import score

__all__ = ["compile_rubric", "score"]
