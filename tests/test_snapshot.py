"""Behaviour snapshot: the same inputs give bit-identical outputs across refactors.

The stored snapshot (``tests/data/snapshot.json.gz``) was written before the scoring
pipeline was restructured; see ``tests/snapshot_cases.py`` for the cases and how to
regenerate it when a change of behaviour is intended (and recorded in the CHANGELOG).
"""

from __future__ import annotations

import gzip
import json
import os
import warnings
from pathlib import Path
from typing import Any

import pytest

from snapshot_cases import cases

STORE = Path(__file__).parent / "data" / "snapshot.json.gz"
UPDATE = os.environ.get("READINESS_SNAPSHOT_UPDATE") == "1"
CASES = dict(cases())


def _stored() -> dict[str, Any]:
    if not STORE.is_file():
        return {}
    data: dict[str, Any] = json.loads(gzip.decompress(STORE.read_bytes()).decode("utf-8"))
    return data


STORED = _stored()


def _diff(a: Any, b: Any, path: str = "$") -> str | None:
    """The first place where two plain-data trees differ."""
    if type(a) is not type(b):
        return f"{path}: {a!r:.80} != {b!r:.80}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only on one side"
            d = _diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            d = _diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r:.80} != {b!r:.80}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_are_bit_identical_to_the_snapshot(name: str) -> None:
    """Scoring, roll-up, explanations, gap plans and sensitivity reproduce the snapshot."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        now = json.loads(json.dumps(CASES[name]()))
    if UPDATE:
        STORED[name] = now
        text = json.dumps(STORED, separators=(",", ":"), sort_keys=True) + "\n"
        STORE.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        return
    assert name in STORED, f"no stored snapshot for {name}; regenerate (see snapshot_cases.py)"
    diff = _diff(STORED[name], now)
    assert diff is None, f"{name} differs from the snapshot at {diff}"


def test_every_stored_case_is_still_produced() -> None:
    """A case is never dropped silently from the snapshot."""
    assert set(STORED) <= set(CASES) or UPDATE
