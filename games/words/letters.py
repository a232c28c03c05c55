"""The letters of Word builder: alphabets, confusable twins, which words fit a level and
which tiles a word is built from. Plain data and functions, no drawing.

A "twin" is the letter a child mixes up with another: in Latvian and Lithuanian mostly the
same letter with or without its mark (s/š, a/ā, e/ę/ė), in English the mirror letters
(b/d, p/q). Offering the twin as an extra tile is the lesson of levels 2 and 3."""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.api import Pack, Word

ALPHABETS: dict[str, str] = {
    "lv": "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž",
    "lt": "aąbcčdeęėfghiįyjklmnoprsštuųūvzž",
    "en": "abcdefghijklmnopqrstuvwxyz",
}

#: What a letter is called, as a child hears it at school: what a letter tile says. eSpeak
#: NG reads a lone English letter by its name ("b" is "bee"), so English needs no table;
#: a lone Latvian or Lithuanian letter it reads its own way (not "garais a", "a nosinė").
LETTER_NAMES: dict[str, dict[str, str]] = {
    "lv": {
        "a": "a", "ā": "garais a", "b": "bē", "c": "cē", "č": "čē", "d": "dē", "e": "e",
        "ē": "garais e", "f": "ef", "g": "gā", "ģ": "ģē", "h": "hā", "i": "i",
        "ī": "garais i", "j": "jē", "k": "kā", "ķ": "ķē", "l": "el", "ļ": "eļ", "m": "em",
        "n": "en", "ņ": "eņ", "o": "o", "p": "pē", "r": "er", "s": "es", "š": "eš",
        "t": "tē", "u": "u", "ū": "garais u", "v": "vē", "z": "zē", "ž": "žē",
    },
    "lt": {
        "a": "a", "ą": "a nosinė", "b": "bė", "c": "cė", "č": "čė", "d": "dė", "e": "e",
        "ę": "e nosinė", "ė": "ė", "f": "ef", "g": "gė", "h": "ha", "i": "i trumpoji",
        "į": "i nosinė", "y": "i ilgoji", "j": "jot", "k": "ka", "l": "el", "m": "em",
        "n": "en", "o": "o", "p": "pė", "r": "er", "s": "es", "š": "eš", "t": "tė",
        "u": "u trumpoji", "ų": "u nosinė", "ū": "u ilgoji", "v": "vė", "z": "zė", "ž": "žė",
    },
}  # fmt: skip


def stars_for(score: int, words: int) -> int:
    """3 stars when every word was right at the first try, 1 for finishing at all."""
    if score >= words:
        return 3
    if score >= math.ceil(words * 0.6):
        return 2
    return 1


def letter_name(letter: str, lang: str) -> str:
    """The name of `letter` in `lang` (the letter itself where the voice names it)."""
    return LETTER_NAMES.get(lang, {}).get(letter.lower(), letter)


#: Groups of letters children confuse, per language.
TWIN_GROUPS: dict[str, tuple[str, ...]] = {
    "lv": ("aā", "cč", "eē", "gģ", "iī", "kķ", "lļ", "nņ", "sš", "uū", "zž"),
    "lt": ("aą", "cč", "eęė", "iįy", "sš", "uųū", "zž"),
    "en": ("bd", "pq", "mn", "nu", "mw", "ij"),
}


@dataclass(frozen=True)
class Level:
    #: The word lengths this level prefers (letters, inclusive).
    shortest: int
    longest: int
    #: How many extra letters (not in the word) lie among the tiles.
    distractors: int
    #: The first letter is already in its slot and every slot shows a faint hint.
    helped: bool


LEVELS: tuple[Level, ...] = (
    Level(shortest=2, longest=5, distractors=0, helped=True),
    Level(shortest=3, longest=7, distractors=2, helped=False),
    Level(shortest=6, longest=14, distractors=4, helped=False),
)

WORDS_PER_ROUND = 5
#: How the context picks the child's language from a {lv: …, lt: …, en: …} text.
Pick = Callable[[Mapping[Any, str]], str]
#: Longer words would need slots smaller than a child's finger.
LONGEST_WORD = 14


@dataclass(frozen=True)
class SpellWord:
    """A word to spell: its letters in the child's language and where its picture is."""

    text: str
    pack: Pack
    picture: str


def normalize(text: str) -> str:
    """Lowercase, with composed letters (ā as one character, as keyboards send it)."""
    return unicodedata.normalize("NFC", text.strip()).lower()


def twins_of(letter: str, lang: str) -> list[str]:
    """The letters a child may confuse with `letter`, in a stable order."""
    found: list[str] = []
    for group in TWIN_GROUPS.get(lang, ()):
        if letter in group:
            found.extend(other for other in group if other != letter and other not in found)
    return found


def spellable_words(packs: list[Pack], pick: Pick) -> list[SpellWord]:
    """Every word of `packs` that can be spelt letter by letter, each text once."""
    words: list[SpellWord] = []
    seen: set[str] = set()
    for pack in packs:
        for word in pack.words:
            text = _spelling(word, pick)
            if text is not None and text not in seen:
                seen.add(text)
                words.append(SpellWord(text, pack, word.picture))
    return words


def _spelling(word: Word, pick: Pick) -> str | None:
    if not word.spell:
        return None
    text = normalize(pick(word.text))
    if not (2 <= len(text) <= LONGEST_WORD) or not text.isalpha():
        return None
    return text


def choose_words(
    words: list[SpellWord],
    level: Level,
    rng: random.Random,
    recent: set[str] | frozenset[str] = frozenset(),
    count: int = WORDS_PER_ROUND,
) -> list[SpellWord]:
    """`count` words for a round: of the level's lengths when there are enough, else the
    nearest lengths; words not played recently first. Shortest words come first."""

    def distance(word: SpellWord) -> int:
        n = len(word.text)
        return max(0, level.shortest - n, n - level.longest)

    shuffled = list(words)
    rng.shuffle(shuffled)
    shuffled.sort(key=lambda w: (distance(w), w.text in recent))
    chosen = shuffled[:count]
    chosen.sort(key=lambda w: len(w.text))
    return chosen


def tile_letters(word: str, level: Level, lang: str, rng: random.Random) -> list[str]:
    """The shuffled letters on the tiles: the word's (without the given first letter on a
    helped level) plus the level's distractors, twins of the word's letters first."""
    letters = list(word[1:] if level.helped else word)
    in_word = set(word)
    twins: list[str] = []
    for letter in word:
        twins.extend(t for t in twins_of(letter, lang) if t not in in_word and t not in twins)
    rng.shuffle(twins)
    extra = twins[: level.distractors]
    others = [c for c in ALPHABETS.get(lang, ALPHABETS["en"]) if c not in in_word]
    others = [c for c in others if c not in extra]
    rng.shuffle(others)
    extra += others[: level.distractors - len(extra)]
    tiles = letters + extra
    for _ in range(10):
        rng.shuffle(tiles)
        if len(tiles) < 2 or "".join(tiles[: len(letters)]) != "".join(letters):
            break  # never hand the word over already in order
    return tiles
