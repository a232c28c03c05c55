"""The Lithuanian catalog after a native speaker's review: one word for each recurring
concept, the Lithuanian dash, every placeholder and command kept, and a few reviewed
wordings read through the translator the screens use."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from kiosk.i18n import Translator
from kiosk.paths import LOCALE_DIR

#: A concept, the English word for it in a msgid, the stem every Lithuanian string with
#: that word uses, and the stems the review replaced (none may come back).
TERMS = [
    ("station", r"\bstations?\b", "įrengin", ("stotel", "stoti", "stotys", "stoty")),
    ("creation", r"\bcreations?\b", "darb", ("kūrin",)),
    ("bin", r"\bbins?\b", "dėž", ("konteiner",)),
    ("controller", r"\bcontrollers?\b", "valdikl", ("pultel",)),
    ("session", r"\bsessions?\b", "sesij", ("užsiėm",)),
    ("sync", r"\bsync\b", "sinchroniz", ("sinchronizacij",)),
]

#: Any placeholder, format escape or backticked command a translation must keep.
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%%|%[sdr]|\{\w*\}|`[^`]*`")


def _entries() -> list[tuple[str, list[str]]]:
    """(the English msgid — the plural one for plural messages, its Lithuanian strings)."""
    with (LOCALE_DIR / "lt" / "LC_MESSAGES" / "kiosk.po").open("rb") as po:
        catalog = read_po(po, locale="lt")
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.append((msgid, [s for s in strings if s]))
    return found


@pytest.mark.parametrize(("concept", "english", "stem", "replaced"), TERMS)
def test_one_lithuanian_word_for_each_recurring_concept(
    concept: str, english: str, stem: str, replaced: tuple[str, ...]
) -> None:
    missing, stray = [], []
    for msgid, strings in _entries():
        for text in strings:
            if re.search(english, msgid, re.IGNORECASE) and stem not in text.lower():
                missing.append(text)
            stray += [text for old in replaced if old in text.lower()]
    assert (missing, stray) == ([], []), concept


def test_lithuanian_sentences_use_the_lithuanian_dash_and_nėra_ko() -> None:
    texts = [t for _msgid, strings in _entries() for t in strings]
    assert not [t for t in texts if "—" in t]
    assert not [t for t in texts if re.search(r"\bnėra ką\b", t)]


def test_every_placeholder_and_command_is_kept() -> None:
    changed = [
        (msgid, text)
        for msgid, strings in _entries()
        for text in strings
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(msgid))
        # A singular form may say "it" where the English plural says "%(n)d of them".
        and not set(PLACEHOLDER.findall(text)) < set(PLACEHOLDER.findall(msgid))
    ]
    assert changed == []


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator(("lv", "lt", "en"), "lt")


@pytest.mark.parametrize(
    ("message", "wording"),
    [
        ("Station", "Įrenginys"),
        ("Every station of the library", "Visi bibliotekos įrenginiai"),
        ("Group session running", "Vyksta grupės sesija"),
        ("A film", "Filmukas"),
        ("Content pack “%(pack)s” is left out: %(problem)s", "Turinio paketas"),
        ("There is nothing to sort yet. Ask the librarian to add a sorting pack.", "nėra ko"),
        ("The two passwords differ.", "Slaptažodžiai nesutampa."),
        ("Press A to join", "Spauskite A ir prisijunkite"),
    ],
)
def test_reviewed_lithuanian_wording(translator: Translator, message: str, wording: str) -> None:
    assert wording in translator.gettext_in("lt", message)


@pytest.mark.parametrize(
    ("n", "wording"),
    [(1, "1 daiktas"), (2, "2 daiktai"), (10, "10 daiktų"), (21, "21 daiktas"), (12, "12 daiktų")],
)
def test_the_sorting_result_counts_things_into_a_box(
    translator: Translator, n: int, wording: str
) -> None:
    translator.set_language("lt")
    text = translator.ngettext(
        "All sorted! %(n)d thing went into the right bin at the first try.",
        "All sorted! %(n)d things went into the right bin at the first try.",
        n,
    ) % {"n": n}
    assert wording in text and "į tinkamą dėžę" in text
