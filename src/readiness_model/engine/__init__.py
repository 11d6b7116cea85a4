"""The scoring engine: compile a rubric to arrays, then score all agencies at once."""

from .plan import compile_rubric
from .score import score

__all__ = ["compile_rubric", "score"]
