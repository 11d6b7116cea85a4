"""Shared test configuration: hypothesis profiles.

``ci`` (default) keeps property tests quick; ``thorough`` runs many more examples::

    HYPOTHESIS_PROFILE=thorough python -m pytest tests

``mutation`` draws the same cases on every run (for mutation testing).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=20, deadline=None)
# mutation testing (docs/development.md): the same cases for every mutant, so that a
# mutant is killed by the code change and never by a newly drawn example
settings.register_profile(
    "mutation",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
