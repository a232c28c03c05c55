"""Compiled catalogs kept in the data folder's cache: a start reads them instead of parsing
the .po files with Babel; a changed .po, a damaged or foreign file, or a cache that cannot
be written never costs a right text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kiosk.i18n as i18n
from kiosk.i18n import LOCALE_DIR, Translator, load_catalog

QUESTION = "Play again"


def _refuse_compiling(lang: str, po: bytes) -> bytes:
    raise AssertionError("compiled although the cache holds this catalog")


def test_the_second_load_reads_the_kept_catalog_without_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_catalog("lv", cache=cache).gettext(QUESTION)
    assert first != QUESTION  # translated
    (kept,) = cache.glob("kiosk-lv-*.mo")
    monkeypatch.setattr(i18n, "compile_catalog", _refuse_compiling)
    assert load_catalog("lv", cache=cache).gettext(QUESTION) == first
    assert Translator(["lv", "en"], "lv", cache).gettext(QUESTION) == first
    assert list(cache.glob("kiosk-lv-*.mo")) == [kept]


def test_a_changed_po_is_compiled_afresh_and_the_old_file_goes(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR / "lv", locale / "lv")
    po = locale / "lv" / "LC_MESSAGES" / "kiosk.po"
    cache = tmp_path / "cache"
    before = load_catalog("lv", locale, cache).gettext(QUESTION)
    (old,) = cache.glob("kiosk-lv-*.mo")
    po.write_text(
        po.read_text(encoding="utf-8").replace(f'msgstr "{before}"', 'msgstr "Kas spēlē šodien?"'),
        encoding="utf-8",
    )
    assert load_catalog("lv", locale, cache).gettext(QUESTION) == "Kas spēlē šodien?"
    (new,) = cache.glob("kiosk-lv-*.mo")
    assert new != old and not old.exists()


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "garbage"])
def test_a_damaged_kept_catalog_is_compiled_again(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    right = load_catalog("lt", cache=cache).gettext(QUESTION)
    (kept,) = cache.glob("kiosk-lt-*.mo")
    data = kept.read_bytes()
    kept.write_bytes(
        {
            "truncated": data[: len(data) // 2],
            "flipped": data[:200] + bytes([data[200] ^ 0xFF]) + data[201:],
            "empty": b"",
            "garbage": os.urandom(4000),
        }[damage]
    )
    assert load_catalog("lt", cache=cache).gettext(QUESTION) == right
    assert kept.read_bytes() == data  # kept again, whole


def test_a_cache_that_cannot_be_written_still_gives_the_texts(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    assert load_catalog("lv", cache=blocked).gettext(QUESTION) != QUESTION


def test_a_start_with_the_catalog_kept_does_not_import_babels_reader(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from kiosk.i18n import Translator; "
        f"t = Translator(['lv'], 'lv', Path({str(tmp_path)!r})); "
        f"print(t.gettext({QUESTION!r})); "
        "print('babel.messages.pofile' in sys.modules)"
    )
    run = [sys.executable, "-c", code]
    first = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split("\n")
    second = subprocess.run(run, capture_output=True, text=True, check=True).stdout.split("\n")
    assert first[0] == second[0] != QUESTION
    assert (first[1], second[1]) == ("True", "False")
