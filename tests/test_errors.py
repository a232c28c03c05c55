"""One error root (kiosk.errors.TelpaError): every error class Telpa defines hangs from it,
every code is unique and documented in docs/errors.md."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import games
import kiosk
from kiosk.errors import TelpaError, all_error_classes, codes_of
from kiosk.paths import APP_ROOT

DOC = APP_ROOT / "docs" / "errors.md"
#: Modules that run something when imported (Alembic's migration environments, `python -m`).
_NOT_IMPORTED = re.compile(r"\.migrations\.|\.__main__$")


def _import_everything() -> list[type[TelpaError]]:
    for package in (kiosk, games):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not _NOT_IMPORTED.search(module.name):
                importlib.import_module(module.name)
    return all_error_classes()


def _exception_classes_in_source() -> list[tuple[str, str, list[str]]]:
    """(file, class, base names) of every class in kiosk/ and games/ whose name or a base's
    name says it is an exception."""
    found = []
    roots = [Path(folder) for package in (kiosk, games) for folder in package.__path__]
    for root in roots:
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ClassDef):
                    continue
                bases = [ast.unparse(base) for base in node.bases]
                if any(b.endswith(("Exception", "Error")) for b in bases):
                    found.append((str(path), node.name, bases))
    return found


def test_every_exception_class_telpa_defines_hangs_from_the_root() -> None:
    classes = {cls.__name__ for cls in _import_everything()}
    outside = [
        f"{path}: {name}({', '.join(bases)})"
        for path, name, bases in _exception_classes_in_source()
        if name not in classes
    ]
    assert outside == []


def test_there_is_one_class_of_each_name() -> None:
    names = [cls.__name__ for cls in _import_everything()]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_every_code_is_unique_and_each_class_names_its_own() -> None:
    seen: dict[str, str] = {}
    for cls in _import_everything():
        own = "code" in cls.__dict__ or "codes" in cls.__dict__
        assert own, f"{cls.__qualname__} names no code of its own"
        for code in codes_of(cls):
            assert re.fullmatch(r"[a-z][a-z0-9_]*", code), f"{cls.__qualname__}: {code!r}"
            assert code not in seen, f"{code!r}: {seen.get(code)} and {cls.__qualname__}"
            seen[code] = cls.__qualname__
    assert len(seen) >= 40


def test_every_code_is_documented_with_what_to_do() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = {
        match.group(1): match.group(2).strip()
        for match in re.finditer(r"^\| `([a-z0-9_]+)` \|[^|]*\|([^|]*)\|", text, re.M)
    }
    for cls in _import_everything():
        for code in codes_of(cls):
            assert code in rows, f"docs/errors.md has no row for {code!r} ({cls.__qualname__})"
            assert len(rows[code]) > 10, f"docs/errors.md: say what to do about {code!r}"
    known = {code for cls in _import_everything() for code in codes_of(cls)}
    assert set(rows) <= known, f"docs/errors.md documents unknown codes {set(rows) - known}"


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("kiosk.librarian.pin.PinError", ValueError),
        ("kiosk.office.reports.ReportError", ValueError),
        ("kiosk.creations.folder.CreationError", ValueError),
        ("kiosk.fleet.settings.SettingsError", ValueError),
        ("kiosk.virtual_pads.VirtualPadsUnavailable", RuntimeError),
        ("kiosk.yamledit.YamlEditError", ValueError),
        ("kiosk.office.auth.OfficeInputError", ValueError),
    ],
)
def test_errors_that_were_value_or_runtime_errors_still_are(name: str, base: type) -> None:
    module, _, attr = name.rpartition(".")
    cls = getattr(importlib.import_module(module), attr)
    assert issubclass(cls, TelpaError) and issubclass(cls, base)
