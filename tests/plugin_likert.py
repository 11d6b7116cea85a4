"""A scale type written outside the package, as a plug-in would ship it: a 5-level
labelled Likert scale. Only public names of readiness-model are used.

``tests/test_plugin_scale.py`` registers it (directly, and through a simulated entry
point of the group ``readiness_model.scales``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import numpy as np
from hypothesis import strategies as st

from readiness_model.model.scales import Labels, Linear, Scale, key

LEVELS = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")


def _labels(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or len(value) != 5:
        raise ValueError(f"a Likert scale has 5 labels (got {value!r})")
    return tuple(str(v) for v in value)


@attrs.frozen(slots=True)
class LikertScale(Scale):
    """Five ordered labels; answer a label or its point 1-5; scores (point - 1) / 4."""

    type: ClassVar[str] = "likert"
    continuous: ClassVar[bool] = False
    labels: tuple[str, ...] = attrs.field(
        default=LEVELS,
        converter=_labels,
        metadata=key("The five labels, from worst to best.", Labels(min_items=5, max_items=5)),
    )

    def parse(self, raw: object) -> float:
        text = str(raw).strip().casefold()
        for i, label in enumerate(self.labels):
            if text in (label.casefold(), str(i + 1)):
                return float(i)
        raise ValueError(self.expected())

    def expected(self) -> str:
        return "one of " + ", ".join(self.labels) + " (or its point 1-5)"

    def written(self, stored: float) -> str | float:
        return self.labels[int(stored)]

    def valid(self, col: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.isin(col, [0.0, 1.0, 2.0, 3.0, 4.0])
        return out

    def engine_form(self) -> Linear:
        return Linear(0.0, 4.0)

    def stored_values(self) -> list[float]:
        return [0.0, 1.0, 2.0, 3.0, 4.0]

    def answers(self) -> st.SearchStrategy[Any]:
        return st.sampled_from(self.labels) | st.integers(1, 5)
