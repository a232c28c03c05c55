"""A scripted player builds every word of Word builder at every level, by mouse, touch,
keyboard (Tab/Enter) and typing; plus wrong words, dragging, taking letters back, the
choice of words and letters, the message without words, and the layout everywhere."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from games.words import WordBuilder
from games.words.game import CELEBRATE_S, Tile, stars_for
from games.words.letters import (
    LEVELS,
    SpellWord,
    choose_words,
    spellable_words,
    tile_letters,
    twins_of,
)
from kiosk.activities import RegisteredActivity
from kiosk.api import Pack
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.packs.library import PackLibrary, PackPictures
from kiosk.sessions import RunEnded

FIXTURES = Path(__file__).parent / "fixtures" / "words"
SHOTS = Path("/tmp/words-shots")


def _harness(size: tuple[int, int] = (1366, 768), lang: str = "lv") -> Harness:
    """A kiosk whose packs are only the fixtures: packs being written in content/ cannot
    change what these tests see (and a content/spelling would hide the fixture's)."""
    config = parse_config(f"content:\n  folders: [{FIXTURES.resolve()}]\n")
    harness = Harness(
        config=config,
        size=size,
        lang=lang,
        registered=[RegisteredActivity(WordBuilder, "tests")],
    )
    harness.app.packs.wait()
    harness.app.packs = PackLibrary([FIXTURES.resolve()])
    harness.app.pictures = PackPictures(harness.app.packs, harness.app.ui.images)
    return harness


@pytest.fixture
def kiosk() -> Iterator[Harness]:
    harness = _harness()
    try:
        yield harness
    finally:
        harness.close()


def _open_words(kiosk: Harness) -> WordBuilder:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:words")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, WordBuilder)
    return game


def _next_tile(game: WordBuilder) -> Tile:
    """The loose tile a child who can spell takes next."""
    slot = next(i for i, t in enumerate(game.slots) if t is None)
    letter = game.word.text[slot]
    return next(t for t in game.tiles if t.slot is None and t.letter == letter)


def _spell_word(kiosk: Harness, game: WordBuilder, via: str) -> None:
    while any(t is None for t in game.slots):
        tile = _next_tile(game)
        if via == "keyboard":
            index = game.tiles.index(tile)
            for _ in range(len(game.tiles)):
                if game.controls.focus == index:
                    break
                kiosk.key(pygame.K_TAB, frames=1)
            assert game.controls.focus == index
            kiosk.key(pygame.K_RETURN)
        elif via == "typing":
            kiosk.key(0, unicode=tile.letter)
        elif via == "touch":
            kiosk.touch(tile.home.center)
        else:
            kiosk.click(tile.home.center)
    kiosk.wait(CELEBRATE_S + 0.2)


def _play_round(kiosk: Harness, game: WordBuilder, via: str) -> None:
    for _ in range(len(game.round_words)):
        assert game.phase == "play"
        _spell_word(kiosk, game, via)


def _completed(kiosk: Harness) -> list[tuple[int | None, int | None]]:
    ended = kiosk.sink.of_type(RunEnded)
    return [(e.level, e.score) for e in ended if e.outcome == "completed"]  # type: ignore[union-attr]


@pytest.mark.parametrize("via", ["mouse", "touch", "keyboard", "typing"])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_words_can_be_finished_at_every_level(kiosk: Harness, level: int, via: str) -> None:
    game = _open_words(kiosk)
    if via in ("keyboard", "typing"):
        for _ in range(level):
            kiosk.key(pygame.K_TAB)
        kiosk.key(pygame.K_RETURN)
    else:
        kiosk.tap_button(f"level:{level}", via="touch" if via == "touch" else "mouse")
    assert game.phase == "play" and game.level == level
    assert len(game.round_words) >= 5
    _play_round(kiosk, game, via)
    assert game.phase == "won"
    assert game.stars == 3
    assert _completed(kiosk) == [(level, len(game.round_words))]


def test_a_wrong_word_sends_only_the_wrong_letters_back(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:2")
    text = game.word.text
    # The right first letter, then the letters in an order that is surely wrong.
    first = _next_tile(game)
    kiosk.click(first.home.center)
    rest = [t for t in game.tiles if t.slot is None]
    rest.sort(key=lambda t: t.letter == text[1])  # the right second letter goes last
    for tile in rest[: len(text) - 1]:
        kiosk.click(tile.home.center)
    assert game.mistake and game.busy
    assert first.slot == 0
    kiosk.wait(1.2)
    assert not game.busy
    placed = [t for t in game.slots if t is not None]
    assert placed and all(t.letter == text[t.slot] for t in placed)  # type: ignore[index]
    assert game.slots[1] is None
    _spell_word(kiosk, game, "mouse")
    assert game.score == 0 and game.index == 1
    for _ in range(len(game.round_words) - 1):
        _spell_word(kiosk, game, "mouse")
    words = len(game.round_words)
    assert game.phase == "won" and game.stars == stars_for(words - 1, words)
    assert _completed(kiosk) == [(2, words - 1)]


def test_tapping_a_filled_slot_or_backspace_takes_the_letter_back(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:1")
    given = game.slots[0]
    assert given is not None and given.given and given.letter == game.word.text[0]
    tile = game.tiles[0]
    kiosk.click(tile.home.center)
    assert tile.slot == 1
    kiosk.click(game.slot_rects[1].center)
    assert tile.slot is None and game.slots[1] is None
    kiosk.click(tile.home.center)
    kiosk.key(pygame.K_BACKSPACE)
    kiosk.key(pygame.K_BACKSPACE)  # the given first letter stays
    kiosk.click(game.slot_rects[0].center)
    assert tile.slot is None and game.slots[0] is given


def test_a_tile_can_be_dragged_onto_any_slot_or_back_home(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:3")
    tile = game.tiles[0]
    last = len(game.slots) - 1
    kiosk.drag(tile.home.center, game.slot_rects[last].center)
    assert tile.slot == last and game.slots[last] is tile
    other = game.tiles[1]
    kiosk.drag(other.home.center, (other.home.centerx, game.ctx.area.bottom - 5))
    kiosk.wait(0.5)
    assert other.slot is None and game.rect_of(other) == other.home
    kiosk.drag(other.home.center, game.slot_rects[last].center)  # swaps the first one out
    assert game.slots[last] is other and tile.slot is None


def test_typing_a_letter_that_is_not_there_changes_nothing(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:2")
    missing = next(c for c in "qwxyzž" if all(t.letter != c for t in game.tiles))
    kiosk.key(0, unicode=missing)
    assert all(t is None for t in game.slots)
    upper = game.tiles[0].letter.upper()
    kiosk.key(0, unicode=upper)  # Shift or Caps Lock: the same letter
    assert game.slots[0] is not None


def test_words_come_from_the_spelling_pack_and_fit_the_level(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    assert {w.pack.pack for w in game.words} == {"spelling"}
    assert "ugunsdzēsēju mašīna" not in {w.text for w in game.words}  # spell: false
    for level, longest in ((1, 5), (2, 7)):
        game.start(level)
        assert all(len(w.text) <= longest for w in game.round_words)
    game.start(3)
    assert all(len(w.text) >= 6 for w in game.round_words)
    assert len(game.tiles) == len(game.word.text) + LEVELS[2].distractors


def test_without_words_in_the_language_a_kind_message_shows(kiosk: Harness) -> None:
    kiosk.app.packs.wait()
    kiosk.app.packs.packs.clear()
    game = _open_words(kiosk)
    assert game.phase == "empty"
    assert kiosk.buttons()[0].id == "home"  # only the shell's Home remains
    kiosk.key(pygame.K_RETURN)
    kiosk.click(game.ctx.area.center)
    assert game.phase == "empty"


def test_a_new_language_deals_its_own_words(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:1")
    assert "suns" in {w.text for w in game.words}
    kiosk.app.set_language("lt")
    kiosk.step(2)
    assert "šuo" in {w.text for w in game.words} and "suns" not in {w.text for w in game.words}
    assert game.phase == "play" and game.word.text in {w.text for w in game.words}
    outcomes = [e.outcome for e in kiosk.sink.of_type(RunEnded)]  # type: ignore[union-attr]
    assert outcomes == ["quit"]  # the Latvian round was left; a Lithuanian one runs


def _pack() -> Pack:
    return Pack.model_validate(
        {
            "pack": "p",
            "languages": ["lv"],
            "title": {"lv": "p"},
            "icon": "a",
            "pictures": {"a": {"emoji": "dog"}},
            "words": [
                {"id": "a", "picture": "a", "text": {"lv": "Suns"}},
                {"id": "b", "picture": "a", "text": {"lv": "ugunsdzēsēju mašīna"}},
                {"id": "c", "picture": "a", "text": {"lv": "kaķis"}, "spell": False},
                {"id": "d", "picture": "a", "text": {"lv": "sa\u0304rts"}},  # ā decomposed
            ],
        }
    )


def test_spellable_words_are_lowercase_single_words() -> None:
    words = spellable_words([_pack()], lambda texts: texts["lv"])
    assert [w.text for w in words] == ["suns", "sārts"]


def test_twins_are_the_letters_children_confuse() -> None:
    assert twins_of("s", "lv") == ["š"]
    assert twins_of("ā", "lv") == ["a"]
    assert twins_of("e", "lt") == ["ę", "ė"]
    assert twins_of("b", "en") == ["d"]
    rng = random.Random(3)
    tiles = tile_letters("suns", LEVELS[1], "lv", rng)
    assert sorted(tiles) != sorted("suns") and len(tiles) == 6
    assert "š" in tiles or "ū" in tiles
    helped = tile_letters("suns", LEVELS[0], "lv", rng)
    assert sorted(helped) == sorted("uns")


def test_a_short_pack_lends_the_nearest_lengths() -> None:
    pack = _pack()
    words = [SpellWord(t, pack, "a") for t in ("ab", "abcdef", "abcdefgh", "abcdefghijk")]
    chosen = choose_words(words, LEVELS[0], random.Random(1), count=3)
    assert [w.text for w in chosen] == ["ab", "abcdef", "abcdefgh"]


def test_stars_reward_words_right_at_the_first_try() -> None:
    assert stars_for(5, 5) == 3
    assert stars_for(3, 5) == 2
    assert stars_for(0, 5) == 1


def _check_screen(kiosk: Harness, name: str) -> None:
    kiosk.screenshot(SHOTS / f"{name}.png")
    assert kiosk.app.ui.text.overflows == []
    screen = kiosk.app.screen.get_rect()
    for button in kiosk.buttons():
        assert screen.contains(button.rect), button.id


def _finish_quickly(kiosk: Harness, game: WordBuilder) -> None:
    for _ in range(len(game.round_words)):
        while any(t is None for t in game.slots):
            game.place(_next_tile(game))
        kiosk.wait(CELEBRATE_S + 0.1, dt=0.2)


@pytest.mark.parametrize(
    "size,lang",
    [((1366, 768), "lv"), ((1366, 768), "lt"), ((1366, 768), "en"), ((3840, 2160), "lt")],
)
def test_every_screen_fits(size: tuple[int, int], lang: str) -> None:
    with _harness(size, lang) as kiosk:
        game = _open_words(kiosk)
        tag = f"{size[0]}-{lang}"
        _check_screen(kiosk, f"choose-{tag}")
        for level in (1, 2, 3):
            kiosk.tap_button(f"level:{level}")
            kiosk.click(game.tiles[0].home.center, frames=10)
            _check_screen(kiosk, f"play{level}-{tag}")
            if level < 3:
                kiosk.key(pygame.K_ESCAPE)
                kiosk.tap_button("tile:words")
                game = kiosk.app.top.activity  # type: ignore[assignment]
        # The longest word there may be, with its extra letters: two rows of tiles.
        game.round_words[game.index] = replace(game.word, text="m" * 14)
        game.start_word()
        _check_screen(kiosk, f"longest-{tag}")
        for tile in game.tiles:
            assert kiosk.app.screen.get_rect().contains(tile.home)
        for rect in game.slot_rects:
            assert rect.width >= game.ctx.ui.metrics.px(72)
        game.start(2)
        _finish_quickly(kiosk, game)
        kiosk.wait(1.5, dt=0.25)  # the stars appear
        _check_screen(kiosk, f"won-{tag}")
        game.score = 0  # the kind message for a round with mistakes
        _check_screen(kiosk, f"won-mistakes-{tag}")
        kiosk.app.packs.packs.clear()
        kiosk.key(pygame.K_ESCAPE)
        kiosk.tap_button("tile:words")
        _check_screen(kiosk, f"empty-{tag}")
