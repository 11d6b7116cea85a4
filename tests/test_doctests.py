"""Every docstring example runs, and every public name has one (issue 7).

The doctests of the *installed* package are run from here, so the README's
``python -m pytest`` (which CI runs against the built wheel) runs them too; the
examples are executed from an empty temporary directory, so none may depend on
the current directory.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import inspect
import io
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import readiness_model as rm

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

# Top-level packages a module may need only through an optional extra; a module
# that cannot be imported without one is skipped (with the reason), never dropped.
OPTIONAL_DEPENDENCIES = frozenset({"pandas", "dask", "distributed"})

# Examples of the pandas extra run only where pandas is installed (docs, dev); elsewhere
# the rest of their module still runs and the module reports what it left out.
HAVE_PANDAS = importlib.util.find_spec("pandas") is not None
USES_PANDAS = re.compile(r"\bimport pandas\b|\bpd\.|_dataframe\(")

_WALK_ERRORS: list[str] = []


def _module_names() -> list[str]:
    """Every module of the installed package, including ones that fail to import."""
    names = {"readiness_model"}
    for info in pkgutil.walk_packages(rm.__path__, "readiness_model.", onerror=_WALK_ERRORS.append):
        names.add(info.name)
    names.update(_WALK_ERRORS)
    return sorted(names)


MODULES = _module_names()


def _import(name: str) -> ModuleType:
    """Import a module, skipping it only when an optional dependency is absent."""
    try:
        return importlib.import_module(name)
    except rm.MissingExtraError as exc:  # a module of an extra says so itself
        pytest.skip(f"{name}: {exc.problems[0].message} ({exc.problems[0].hint})")
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing in OPTIONAL_DEPENDENCIES:
            pytest.skip(f"{name} needs the optional dependency {missing!r}")
        raise


def test_walk_finds_the_package_modules() -> None:
    """The walk sees the whole tree (so a packaging slip cannot hide doctests)."""
    for expected in (
        "readiness_model.model.rubric",
        "readiness_model.engine.score",
        "readiness_model.io.rubric_yaml",
        "readiness_model.analysis.explain",
        "readiness_model.cli",
        "readiness_model.testing",
    ):
        assert expected in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_pass(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``>>>`` example in the module runs and shows what it says it shows."""
    module = _import(name)
    monkeypatch.chdir(tmp_path)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    out = io.StringIO()
    left_out: list[str] = []
    for test in finder.find(module, name):
        if not HAVE_PANDAS and any(USES_PANDAS.search(ex.source) for ex in test.examples):
            left_out.append(test.name)
            continue
        runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, out.getvalue()
    if left_out:
        pytest.skip(f"{result.attempted} examples passed; without pandas, not run: {left_out}")


def _has_example(obj: object) -> bool:
    return ">>>" in (inspect.getdoc(obj) or "")


def _shown_in(doc: str, name: str) -> bool:
    """Whether a ``>>>`` (or continuation) line of ``doc`` uses ``name``."""
    pattern = rf"^\s*(>>>|\.\.\.) .*\b{re.escape(name)}\b"
    return re.search(pattern, doc, flags=re.MULTILINE) is not None


def _public_names() -> list[tuple[str, ModuleType, str]]:
    import readiness_model.testing as testing

    out: list[tuple[str, ModuleType, str]] = []
    for label, module in (("readiness_model", rm), ("readiness_model.testing", testing)):
        for name in module.__all__:
            if name != "__version__":
                out.append((f"{label}.{name}", module, name))
    return out


def _undocumented(module: ModuleType, name: str) -> list[str]:
    """The name and its own public members whose docstrings lack a ``>>>`` example."""
    obj = getattr(module, name)
    missing: list[str] = []
    if inspect.isclass(obj) or callable(obj):
        if not _has_example(obj):
            missing.append(name)
    elif not _shown_in(inspect.getdoc(module) or "", name):
        # A constant cannot carry a docstring: its module's docstring shows it instead.
        missing.append(f"{name} (a constant: show it in a >>> line of the module docstring)")
    if inspect.isclass(obj):
        for member, value in vars(obj).items():
            if member.startswith("_"):
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, property):
                value = value.fget
            if callable(value) and not _has_example(value):
                missing.append(f"{name}.{member}")
    return missing


@pytest.mark.parametrize(
    ("module", "name"),
    [pytest.param(module, name, id=qualified) for qualified, module, name in _public_names()],
)
def test_public_name_has_an_example(module: ModuleType, name: str) -> None:
    """Each public name, and each public method/property of a public class, shows a ``>>>`` use."""
    assert _undocumented(module, name) == []
