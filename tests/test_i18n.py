from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from kiosk.harness import Harness
from kiosk.i18n import LANGUAGES, Translator, load_catalog
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


#: The plural rule each catalog carries: GNU gettext's traditional rules, the order
#: translators' tools (Poedit, Weblate) expect for lv and lt. Babel's CLDR-derived rule is
#: *not* used: Babel 2.19 moved Latvian's "zero" form to index 0, and CLDR's "zero" category
#: (0, 10-20, 30, ...) is not a grammatical form of Latvian nouns after a numeral.
CATALOG_RULES = {
    "lv": (3, "(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"),
    "lt": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "en": (2, "(n != 1)"),
}

#: Which catalog form each CLDR category must land on, for every whole number. In Latvian
#: CLDR's "zero" and "other" both read as the nominative plural (form 1), except 0 itself,
#: which has its own form (2: "0 pāru").
CLDR_TO_FORM = {
    "lv": {"one": 0, "other": 1, "zero": 1},
    "lt": {"one": 0, "few": 1, "other": 2, "many": 2},
    "en": {"one": 0, "other": 1},
}

SAMPLE_NUMBERS = (0, 1, 2, 10, 11, 19, 20, 21, 100, 111)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_carries_the_chosen_plural_rule(lang: str) -> None:
    catalog = _catalog(lang)
    num_plurals, expr = CATALOG_RULES[lang]
    assert catalog.num_plurals == num_plurals
    assert catalog.plural_expr.replace(" ", "") == expr.replace(" ", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_agree_with_cldr_categories(lang: str) -> None:
    """Whatever order a Babel release gives CLDR's rule, each whole number's catalog form
    must be the one its CLDR category calls for."""
    from babel import Locale

    category_of = Locale.parse(lang).plural_form
    translations = load_catalog(lang)
    # The catalog's own compiled rule (gettext's `plural`), not Babel's.
    form_of = translations.plural  # type: ignore[attr-defined]
    wrong = []
    for n in (*range(0, 1000), 1001, 1011, 1021, 10_000, 100_001):
        expected = CLDR_TO_FORM[lang][category_of(n)]
        if lang == "lv" and n == 0:
            expected = 2
        if form_of(n) != expected:
            wrong.append((n, category_of(n), form_of(n), expected))
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_plural_message_uses_the_singular_only_where_the_grammar_does(lang: str) -> None:
    """Every plural msgstr at the sample numbers: 2, 10, 11 and 111 never get the
    singular, and in lv and lt 21 gets the same singular as 1 ("21 pāris", "21 pora")."""
    translations = load_catalog(lang)
    problems = []
    for message in _catalog(lang):
        if not message.pluralizable or not message.id or _is_invariable(message.string[0]):
            continue
        singular, plural = message.id[0], message.id[1]
        form = {n: translations.ngettext(singular, plural, n) for n in SAMPLE_NUMBERS}
        problems += [(singular, n) for n in (2, 10, 11, 111) if form[n] == form[1]]
        if lang in ("lv", "lt") and form[21] != form[1]:
            problems.append((singular, 21))
    assert problems == []


def _is_invariable(text: str) -> bool:
    # Abbreviations such as "%(n)d min" do not change with the number.
    return text.rstrip(".").endswith("min")


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
