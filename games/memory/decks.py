"""What the memory cards show: topics, and the pairs dealt from them.

A topic is either one of the built-in picture sets (the same picture twice) or comes from a
content pack: its `pairs` (profession ↔ tool: both cards show a picture and a word), or the
modes a pack opts into with `memory:` — `picture-word` (a picture ↔ its word in the child's
language) and `lv-lt` (a Latvian word ↔ the same word in Lithuanian)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from kiosk.api import ActivityContext, Pack

TopicKind = Literal["pictures", "pairs", "picture-word", "lv-lt"]

#: Built-in sets of bundled pictograms: (id, English msgid for the title, pictures)
PICTURE_SETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "animals",
        "Animals",
        (
            "dog",
            "cat",
            "rabbit",
            "fox",
            "bear",
            "panda",
            "frog",
            "owl",
            "lion",
            "cow",
            "pig",
            "hedgehog",
        ),
    ),
    (
        "food",
        "Food",
        (
            "red-apple",
            "pear",
            "cherries",
            "strawberry",
            "banana",
            "grapes",
            "carrot",
            "mushroom",
            "bread",
            "cheese",
        ),
    ),
    (
        "vehicles",
        "On the move",
        (
            "bus",
            "tractor",
            "fire-engine",
            "ambulance",
            "sailboat",
            "airplane",
            "locomotive",
            "kick-scooter",
            "bicycle",
            "rocket",
        ),
    ),
)


def _(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


_("Animals")
_("Food")
_("On the move")


@dataclass(frozen=True, eq=False)
class Face:
    """One card's face: a picture, a word, or both; `flag` marks a text-only word card."""

    emoji: str | None = None  # a bundled pictogram
    pack: Pack | None = None  # with `picture`: a pack's picture
    picture: str | None = None
    text: str | None = None
    flag: str | None = None  # "lv"/"lt": the word is in that language


@dataclass(frozen=True)
class Topic:
    id: str
    kind: TopicKind
    size: int  # how many pairs it can give
    pack: Pack | None = None
    set_index: int = 0

    def title(self, ctx: ActivityContext) -> str:
        if self.pack is None:
            return ctx.gettext(PICTURE_SETS[self.set_index][1])
        return ctx.pick(self.pack.title)

    def icon(self) -> Face:
        if self.pack is None:
            return Face(emoji=PICTURE_SETS[self.set_index][2][0])
        return Face(pack=self.pack, picture=self.pack.icon)


def topics(ctx: ActivityContext, needed: int) -> list[Topic]:
    """Every topic with at least `needed` pairs, built-in ones first."""
    found = [
        Topic(set_id, "pictures", len(pictures), set_index=i)
        for i, (set_id, _title, pictures) in enumerate(PICTURE_SETS)
    ]
    for pack in ctx.packs:
        if ctx.lang not in pack.languages:
            continue
        if pack.pairs:
            found.append(Topic(f"{pack.pack}:pairs", "pairs", len(pack.pairs), pack))
        if "picture-word" in pack.memory:
            found.append(Topic(f"{pack.pack}:picture-word", "picture-word", len(pack.words), pack))
        if "lv-lt" in pack.memory:
            found.append(Topic(f"{pack.pack}:lv-lt", "lv-lt", len(pack.words), pack))
    return [t for t in found if t.size >= needed]


def deal(
    topic: Topic, pairs: int, ctx: ActivityContext, rng: random.Random
) -> list[tuple[str, Face]]:
    """2 × `pairs` cards as (match key, face), shuffled."""
    cards: list[tuple[str, Face]] = []
    pack = topic.pack
    if topic.kind == "pictures":
        chosen = rng.sample(PICTURE_SETS[topic.set_index][2], pairs)
        cards = [(name, Face(emoji=name)) for name in chosen for _ in range(2)]
    elif pack is not None and topic.kind == "pairs":
        for first_id, second_id in rng.sample(pack.pairs, pairs):
            for word_id in (first_id, second_id):
                word = pack.word(word_id)
                face = Face(pack=pack, picture=word.picture, text=ctx.pick(word.text))
                cards.append((f"{first_id}+{second_id}", face))
    elif pack is not None and topic.kind == "picture-word":
        for word in rng.sample(pack.words, pairs):
            cards.append((word.id, Face(pack=pack, picture=word.picture)))
            cards.append((word.id, Face(text=ctx.pick(word.text))))
    elif pack is not None:
        # lv-lt: the child's own language (if it is one of the two) carries the picture.
        first: Literal["lv", "lt"] = "lt" if ctx.lang == "lt" else "lv"
        second: Literal["lv", "lt"] = "lt" if first == "lv" else "lv"
        for word in rng.sample(pack.words, pairs):
            cards.append(
                (word.id, Face(pack=pack, picture=word.picture, text=word.text[first], flag=first))
            )
            cards.append((word.id, Face(text=word.text[second], flag=second)))
    rng.shuffle(cards)
    return cards
