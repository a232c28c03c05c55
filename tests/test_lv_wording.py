"""The Latvian catalog after a native speaker's review: one word for each recurring
concept, Latvian quotation marks, zero forms that agree, and a few reviewed wordings read
through the translator the screens use."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from kiosk.i18n import Translator
from kiosk.paths import LOCALE_DIR

#: A concept, the English word for it in a msgid, what every Latvian string with that word
#: says (a regex on the lower-cased text), and what the review replaced (none may come back).
TERMS = [
    ("pack", r"\bpacks?\b", r"pake[tš]", (r"pakotn", r"komplekt", r"\bpak(?:a|ā|as|ās)\b")),
    ("station", r"\bstations?\b", r"ierīc", (r"stacij",)),
    ("controller", r"\bcontrollers?\b", r"pult", (r"kontrolier",)),
    ("session", r"\bsessions?\b", r"sesij", ()),
    ("activity", r"\bactivit(?:y|ies)\b", r"nodarbīb", (r"aktivitāt",)),
    ("creation", r"\bcreations?\b", r"darb", ()),
    ("card", r"\bcards?\b", r"kartī[tš]", (r"\bkārt(?:s|is|ij|i)\b",)),
    # The children's result lines say "pareizajā vietā": the packs name their own bins
    # (waste-sorting's "konteiners", who-helps' rescue services).
    ("bin", r"\bbins?\b", r"groz|pareizajā vietā", (r"konteiner",)),
    ("token", r"\btoken\b", r"pieejas atslēg", (r"žeton",)),
    ("librarian", r"\blibrarians?\b", r"bibliotekār", ()),
    ("office", r"\boffice\b", r"biroj", ()),
    ("team", r"\bteams?\b", r"komand", ()),
    ("consent", r"\bconsent\b", r"piekrišan", ()),
]

#: Children's screens call a pack a topic ("tēma"): they never see the word "pack".
CHILDRENS_PACK = {"There is nothing to sort yet. Ask the librarian to add a sorting pack."}


def _entries() -> list[tuple[str, list[str]]]:
    """(the English msgid — the plural one for plural messages, its Latvian strings)."""
    with (LOCALE_DIR / "lv" / "LC_MESSAGES" / "kiosk.po").open("rb") as po:
        catalog = read_po(po, locale="lv")
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.append((msgid, [s for s in strings if s]))
    return found


def _words_of(msgid: str) -> str:
    """The msgid without what is not English prose: placeholders, options such as
    --token-stdin, backticked commands and config keys such as sound.enabled."""
    return re.sub(r"%\(\w+\)[a-z]|--[\w-]+|`[^`]*`|\b\w+\.\w+\b", " ", msgid)


@pytest.mark.parametrize(("concept", "english", "latvian", "replaced"), TERMS)
def test_one_latvian_word_for_each_recurring_concept(
    concept: str, english: str, latvian: str, replaced: tuple[str, ...]
) -> None:
    missing, stray = [], []
    for msgid, strings in _entries():
        for text in strings:
            if (
                re.search(english, _words_of(msgid), re.IGNORECASE)
                and not re.search(latvian, text.lower())
                and not (concept == "pack" and msgid in CHILDRENS_PACK)
            ):
                missing.append(text)
            stray += [text for old in replaced if re.search(old, text.lower())]
    assert (missing, stray) == ([], []), concept


def test_latvian_quotation_marks_open_low() -> None:
    texts = [t for _msgid, strings in _entries() for t in strings]
    assert [t for t in texts if "“" in t or t.count("„") != t.count("”")] == []


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator(("lv", "lt", "en"), "lv")


@pytest.mark.parametrize(
    ("message", "wording"),
    [
        ("Station", "Ierīce"),
        ("Every station of the library", "Visas bibliotēkas ierīces"),
        ("Game controllers", "Spēļu pultis"),
        ("Activities", "Nodarbības"),
        ("Group session running", "Notiek grupas sesija"),
        ("Content pack “%(pack)s” is left out: %(problem)s", "Satura pakete „%(pack)s” netiek"),
        ("First to finish!", "Pirmie finišā!"),
        ("Not this one! The other teams: press A to buzz!", "Ne tā!"),
        ("Press A to join", "Spiediet A"),
        ("The two passwords differ.", "Paroles nesakrīt."),
        ("Pack name (small letters, digits and dashes)", "defises"),
        ("%(path)s can be written", "mapē %(path)s var rakstīt"),
        ("librarian of %(site)s", "bibliotēkas %(site)s bibliotekārs"),
        (
            "Only coordinators may do this; you are signed in as the librarian of %(site)s. "
            "Nothing was changed.",
            "jūs esat pieteikušies",
        ),
    ],
)
def test_reviewed_latvian_wording(translator: Translator, message: str, wording: str) -> None:
    assert wording in translator.gettext_in("lv", message)


@pytest.mark.parametrize(
    ("n", "wording"),
    [
        (0, "Gatavas komandas: 0."),
        (1, "1 komanda ir gatava."),
        (2, "2 komandas ir gatavas."),
        (11, "11 komandas ir gatavas."),
        (21, "21 komanda ir gatava."),
    ],
)
def test_ready_teams_agree_with_their_number(translator: Translator, n: int, wording: str) -> None:
    translator.set_language("lv")
    text = translator.ngettext(
        "%(n)d team is ready. Press Start!", "%(n)d teams are ready. Press Start!", n
    ) % {"n": n}
    assert text.startswith(wording)


@pytest.mark.parametrize(
    ("n", "wording"),
    [(0, "pareizajā vietā"), (1, "1 lieta jau"), (11, "11 lietas jau"), (21, "21 lieta jau")],
)
def test_the_sorting_result_counts_things_into_their_place(
    translator: Translator, n: int, wording: str
) -> None:
    translator.set_language("lv")
    text = translator.ngettext(
        "All sorted! %(n)d thing went into the right bin at the first try.",
        "All sorted! %(n)d things went into the right bin at the first try.",
        n,
    ) % {"n": n}
    assert wording in text and "konteiner" not in text
