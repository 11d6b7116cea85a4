"""Answer scales: how a raw answer becomes a number, and that number a score in [0, 1].

A :class:`~readiness_model.ResponseSet` stores one float per answer, the *stored
value* of the scale:

============  ==============================  =====================================
scale         stored value                    score in [0, 1]
============  ==============================  =====================================
binary        0 (no) or 1 (yes)               the stored value
ordinal       level index 0 .. k-1            i / (k - 1), or ``values[i]``
numeric       the number itself               goalposts: clamp((x - lo) / (hi - lo))
checklist     bit mask of ticked items        share ticked, or sum of item values (≤ 1)
choice        option index 0 .. k-1           ``values[i]``
============  ==============================  =====================================

``direction: lower_is_better`` on the indicator turns a score ``s`` into ``1 - s``.

Every scale type is a :class:`Scale` (the protocol: parse, valid, written, engine form,
hypothesis strategies; YAML keys and schema from its fields, described with :func:`key`
and the forms ``Labels``, ``Number``, ``Str``, ``Bool``, ``Raw``, ``TEXT``) registered by
:func:`register_scale`. Each module of this package not starting with ``_`` holds one
built-in type and is imported here, so adding a type is adding one module; plug-ins
register theirs through the entry-point group ``readiness_model.scales``.
"""

from __future__ import annotations

import importlib
import pkgutil

from .._forms import TEXT, Bool, Labels, Number, Raw, Str, key
from ._base import BitSum, EngineForm, Linear, Lookup, Scale
from ._registry import (
    ENTRY_POINT_GROUP,
    register_scale,
    scale_provider,
    scale_type,
    scale_types,
)

# The built-ins register in their documented order.
# isort: off
from .binary import BinaryScale
from .ordinal import OrdinalScale
from .numeric import NumericScale
from .checklist import MAX_CHECKLIST_ITEMS, ChecklistScale
from .choice import ChoiceScale

# isort: on

for _info in pkgutil.iter_modules(__path__):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = [
    "ENTRY_POINT_GROUP",
    "MAX_CHECKLIST_ITEMS",
    "TEXT",
    "BinaryScale",
    "BitSum",
    "Bool",
    "ChecklistScale",
    "ChoiceScale",
    "EngineForm",
    "Labels",
    "Linear",
    "Lookup",
    "Number",
    "NumericScale",
    "OrdinalScale",
    "Raw",
    "Scale",
    "Str",
    "key",
    "register_scale",
    "scale_provider",
    "scale_type",
    "scale_types",
]
