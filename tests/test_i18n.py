from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from kiosk.harness import Harness
from kiosk.i18n import LANGUAGES, Translator
from kiosk.paths import APP_ROOT, LOCALE_DIR


def _used_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for folder in ("kiosk", "games"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            APP_ROOT / folder, keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
        ):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    # The office dashboard's Jinja2 templates call the same gettext functions.
    for _file, _line, message, _comments, _context in extract_from_dir(
        APP_ROOT / "kiosk" / "office" / "templates",
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "kiosk.po").open("rb") as po:
        return read_po(po, locale=lang)


def test_code_uses_some_translated_strings() -> None:
    assert "Touch to start" in _used_messages()
    assert "Child visits by library and month" in _used_messages()  # a dashboard template


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_every_string_the_code_uses_translated(lang: str) -> None:
    catalog = _catalog(lang)
    problems = []
    for message in sorted(_used_messages(), key=str):
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"missing: {msgid!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
        if isinstance(message, tuple) and len(strings) != get_plural(lang).num_plurals:
            problems.append(f"wrong number of plural forms: {msgid!r}")
        placeholders = set(re.findall(r"%\(\w+\)d", msgid))
        if any(set(re.findall(r"%\(\w+\)d", s)) != placeholders for s in strings):
            problems.append(f"placeholders differ: {msgid!r}")
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_rule_is_the_cldr_rule(lang: str) -> None:
    assert _catalog(lang).plural_expr == get_plural(lang).plural_expr
    assert _catalog(lang).num_plurals == get_plural(lang).num_plurals


def test_latvian_and_lithuanian_plurals_pick_the_right_form() -> None:
    translator = Translator(LANGUAGES, "lv")
    pair = [translator.ngettext("%(n)d pair", "%(n)d pairs", n) % {"n": n} for n in (1, 2, 0, 21)]
    assert pair == ["1 pāris", "2 pāri", "0 pāru", "21 pāris"]
    translator.set_language("lt")
    pair = [translator.ngettext("%(n)d pair", "%(n)d pairs", n) % {"n": n} for n in (1, 2, 10, 21)]
    assert pair == ["1 pora", "2 poros", "10 porų", "21 pora"]


def test_flag_switches_language_at_runtime(kiosk: Harness) -> None:
    assert kiosk.find_button("start").label == "Pieskaries, lai sāktu"
    kiosk.tap_button("lang:lt")
    assert kiosk.find_button("start").label == "Paliesk ir pradėk"
    kiosk.tap_button("lang:en")
    assert kiosk.find_button("start").label == "Touch to start"
    assert kiosk.app.sessions.current is None  # choosing a language does not start a session
