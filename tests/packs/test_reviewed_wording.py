"""What a native-speaker review of every string asked for, checked where the kiosk reads
it: the shipped packs through `kiosk content check` and the pack reader, the catalogs
through the translator the screens use."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from kiosk.i18n import Translator
from kiosk.packs import read_pack
from kiosk.packs.models import Pack
from kiosk.paths import CONTENT

PACKS = ("neighbours", "professions", "safe-internet", "spelling", "waste-sorting", "who-helps")


def _pack(name: str) -> Pack:
    pack, problems = read_pack(CONTENT / name)
    assert pack is not None and problems == [], problems
    return pack


def _texts(pack: Pack, lang: str) -> list[str]:
    """Every text of `pack` a child can read in `lang`: words, questions, answers."""
    found = [w.text[lang] for w in pack.words if lang in w.text]
    for question in pack.questions:
        found.append(question.prompt.get(lang, ""))
        if question.explain:
            found.append(question.explain.get(lang, ""))
        found += [a.text.get(lang, "") for a in question.answers if a.text is not None]
    return found


def test_the_changed_packs_pass_the_content_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "check", *(str(CONTENT / p) for p in PACKS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems" in done.stdout


def test_latvian_quotes_in_the_safe_internet_pack_are_latvian() -> None:
    latvian = _texts(_pack("safe-internet"), "lv")
    assert not [t for t in latvian if '"' in t]
    quoted = [t for t in latvian if "„" in t]
    assert len(quoted) >= 7 and all(t.count("„") == t.count("”") for t in quoted)


def test_pictures_show_what_the_word_says() -> None:
    neighbours = _pack("neighbours")
    spruce = neighbours.word("spruce")
    assert (spruce.text["lv"], spruce.text["lt"], spruce.text["en"]) == ("egle", "eglė", "spruce")
    # There is no squirrel among the pictures (the one there is a chipmunk): the animal
    # is one whose picture there is.
    for pack in (neighbours, _pack("spelling")):
        assert "chipmunk" not in pack.pictures
        assert all(w.text["en"] != "squirrel" for w in pack.words)
    otter = neighbours.word("otter")
    assert otter.picture == "otter" and otter.text["lv"] == "ūdrs"
    # The orange picture is a tangerine: the peel is a tangerine's.
    peel = _pack("waste-sorting").word("tangerine-peel")
    assert peel.picture == "tangerine"
    assert (peel.text["lv"], peel.text["lt"], peel.text["en"]) == (
        "mandarīna miza",
        "mandarino žievelė",
        "tangerine peel",
    )


def test_lithuanian_spelling_words_practise_the_rare_letters() -> None:
    from games.words.letters import spellable_words

    pack = _pack("spelling")
    words = {w.text for w in spellable_words([pack], lambda texts: texts["lt"])}
    assert "įrankis" in words and "gęstuvas" in words
    letters = set("".join(words))
    assert {"ą", "č", "ę", "ė", "į", "š", "ū", "ž"} <= letters
    latvian = {w.text for w in spellable_words([pack], lambda texts: texts["lv"])}
    assert {"instruments", "ugunsdzēšamais"} <= latvian


def test_the_school_and_everyday_words_a_child_knows() -> None:
    professions = _pack("professions")
    assert professions.word("dentist").text["lt"] == "dantų gydytojas"
    assert not [t for t in _texts(professions, "lt") if "odontolog" in t.lower()]
    who_helps = _texts(_pack("who-helps"), "lv")
    assert "Veikalā tu vairs neredzi savus vecākus. Ko darīt?" in who_helps
    assert not [t for t in who_helps if "pazaudēji" in t]


def test_english_says_grown_up_and_asks_plainly() -> None:
    english = [t for p in PACKS for t in _texts(_pack(p), "en")]
    assert not [t for t in english if re.search(r"\badults?\b", t, re.IGNORECASE)]
    assert "Is it OK to call 112 for fun?" in english
    assert "When can you hang up?" in english
    assert "Don't join in; stand up for your classmate and tell a grown-up." in english


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator(("lv", "lt", "en"), "lv")


@pytest.mark.parametrize(
    "lang,message,wording",
    [
        ("lv", "Start a group session", "Sākt grupas sesiju"),
        ("lt", "Start a group session", "Pradėti grupės sesiją"),
        ("lv", "Plus and minus", "Saskaitīšana un atņemšana"),
        ("lt", "Plus and minus", "Sudėtis ir atimtis"),
        ("lt", "Well done! The picture is whole again.", "Šaunu! Paveikslėlis sudėliotas!"),
        ("lt", "Done", "Baigti"),
        ("lt", "No drawings, films or stories are waiting here.", "filmukų"),
        ("lt", "Good try! The right answer is in green.", "Gerai pabandei!"),
        ("lv", "Little disk space is left (%(mb)d MB) in %(folder)s.", "Mapē %(folder)s"),
        ("lt", "Little disk space is left (%(mb)d MB) in %(folder)s.", "Aplanke %(folder)s"),
        ("en", "Wonderful! Every word was right the first time.", "on the first try"),
        ("en", "Well done! %(n)d of %(total)d right at the first try.", "on the first try"),
    ],
)
def test_reviewed_wording_in_the_catalogs(
    translator: Translator, lang: str, message: str, wording: str
) -> None:
    assert wording in translator.gettext_in(lang, message)


@pytest.mark.parametrize(
    "lang,first_try",
    [("lv", "jau pirmajā reizē"), ("lt", "iš pirmo karto"), ("en", "on the first try")],
)
def test_first_try_is_said_the_same_way_everywhere(
    translator: Translator, lang: str, first_try: str
) -> None:
    translator.set_language(lang)
    messages = [
        translator.gettext("Wonderful! Every word was right the first time."),
        translator.gettext("Well done! %(n)d of %(total)d right at the first try."),
    ] + [
        translator.ngettext(
            "All sorted! %(n)d thing went into the right bin at the first try.",
            "All sorted! %(n)d things went into the right bin at the first try.",
            n,
        )
        for n in (1, 2, 10)
    ]
    assert all(first_try in m for m in messages), messages
