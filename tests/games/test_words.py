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
from games.words.game import CELEBRATE_S, MESSAGE_S, RETURN_S, WIGGLE_S, Tile, stars_for
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
from tests.games.arrows import choose, next_level_then_home, only_controller_keys

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
    packs = PackLibrary([FIXTURES.resolve()])
    harness.app.services = replace(
        harness.app.services,
        packs=packs,
        pictures=PackPictures(packs, harness.app.ui.images),
    )
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
    assert game.phase == "stars"
    assert game.stars == 3
    assert _completed(kiosk) == [(level, len(game.round_words))]


def _wrong_tile(game: WordBuilder) -> Tile:
    """A loose tile whose letter does not belong in the next empty slot."""
    slot = next(i for i, t in enumerate(game.slots) if t is None)
    return next(t for t in game.tiles if t.slot is None and t.letter != game.word.text[slot])


def test_a_wrong_letter_shakes_and_goes_back_with_a_message_as_it_lands(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:2")
    first = _next_tile(game)
    kiosk.click(first.home.center)
    assert first.slot == 0 and game.wrong_at is None and not game.mistake
    wrong = _wrong_tile(game)
    kiosk.click(wrong.home.center)
    # Found at once, not when the word is full: it shakes in its slot, a message says so.
    assert wrong.slot == 1 and wrong.style == "wrong" and game.busy
    assert game.mistake and game.wrong_at is not None
    kiosk.wait(WIGGLE_S + RETURN_S + 0.1)
    assert wrong.slot is None and game.rect_of(wrong) == wrong.home and not game.busy
    assert first.slot == 0 and game.slots[1] is None
    assert game.wrong_at is not None  # the message stays a little longer than the shake
    kiosk.wait(MESSAGE_S)
    assert game.wrong_at is None
    _spell_word(kiosk, game, "mouse")
    assert game.score == 0 and game.index == 1
    for _ in range(len(game.round_words) - 1):
        _spell_word(kiosk, game, "mouse")
    words = len(game.round_words)
    assert game.phase == "stars" and game.stars == stars_for(words - 1, words)
    assert _completed(kiosk) == [(2, words - 1)]


@pytest.mark.parametrize("lang", ["lv", "lt", "en"])
def test_the_wrong_letter_message_is_shown_in_the_childs_language(lang: str) -> None:
    with _harness((1280, 1024), lang) as kiosk:
        game = _open_words(kiosk)
        kiosk.tap_button("level:2")
        before = kiosk.screenshot().subsurface(game.screens.message_rect()).copy()
        kiosk.click(_wrong_tile(game).home.center)
        shot = kiosk.screenshot(SHOTS / f"wrong-letter-1280-{lang}.png")
        after = shot.subsurface(game.screens.message_rect())
        assert _differing_pixels(before, after) > 500  # the message replaced the dots
        assert kiosk.app.ui.text.overflows == []
        assert kiosk.app.screen.get_rect().contains(game.screens.message_rect())
        message = {"lv": "Ne šis burts", "lt": "Ne ta raidė", "en": "Not this letter"}[lang]
        assert game.ctx.gettext("Not this letter. Try another one!").startswith(message)


def _differing_pixels(a: pygame.Surface, b: pygame.Surface, tolerance: int = 24) -> int:
    """How many pixels of two same-sized pictures differ by more than `tolerance`."""
    x = a.copy()
    x.blit(b, (0, 0), special_flags=pygame.BLEND_RGB_SUB)
    y = b.copy()
    y.blit(a, (0, 0), special_flags=pygame.BLEND_RGB_SUB)
    x.blit(y, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    same = pygame.mask.from_threshold(x, (0, 0, 0, 255), (tolerance, tolerance, tolerance, 255))
    return x.get_width() * x.get_height() - same.count()


def _assert_no_trail(kiosk: Harness, frames: int) -> None:
    """Frame by frame, what was repainted piecemeal equals a full repaint: no tile,
    shadow or dot is left behind where something moved away."""
    for frame in range(frames):
        kiosk.step()
        painted = kiosk.app.screen.copy()
        full = kiosk.screenshot()
        # A few pixels of anti-aliased corners may round differently, a trail cannot.
        assert _differing_pixels(painted, full) < 300, f"a trail after frame {frame}"


@pytest.mark.parametrize("size", [(1366, 768), (1280, 1024)])
def test_moving_letters_leave_no_trail(size: tuple[int, int]) -> None:
    with _harness(size, "lv") as kiosk:
        game = _open_words(kiosk)
        kiosk.tap_button("level:2")
        kiosk.click(_next_tile(game).home.center, frames=0)
        for _ in range(3):  # wrong letters shake in the slot and glide back
            kiosk.click(_wrong_tile(game).home.center, frames=0)
            _assert_no_trail(kiosk, round((WIGGLE_S + RETURN_S) * 60) + 2)
        # The last letter, with a mark below the line, lands as the word is celebrated.
        game.round_words[game.index] = replace(game.word, text="gaļa")
        game.start_word()
        for slot, letter in ((0, "g"), (1, "a"), (3, "a")):
            game.place(next(t for t in game.tiles if t.slot is None and t.letter == letter), slot)
        kiosk.wait(0.5)
        cedilla = next(t for t in game.tiles if t.letter == "ļ")
        kiosk.click(cedilla.home.center, frames=1)
        assert cedilla.slot == 2 and game.solved_at is not None
        _assert_no_trail(kiosk, 40)


def test_the_mark_below_a_letter_fits_on_its_tile(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:2")
    side = game.side
    reach = game.looks.shadow_reach()
    for letter in "ļģķņųįęg":
        look = game.looks.tile(letter, side, "good")
        # The middle of the face: its rounded corners show the shadow beneath.
        face = look.subsurface(pygame.Rect(reach + side // 5, reach, side * 3 // 5, side)).copy()
        ink = pygame.mask.from_threshold(face, (58, 42, 34, 255), (40, 40, 40, 255))
        bottom = max(r.bottom for r in ink.get_bounding_rects())
        assert bottom < side - game.ctx.ui.metrics.px(6), letter  # above the tile's edge


def test_the_easiest_level_hints_only_the_next_letter(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:1")
    assert game.hint_slot() == 1  # the first letter is given, the second is hinted
    game.round_words[game.index] = replace(game.word, text="kaķis")
    game.start_word()
    kiosk.step(2)

    def faint_letters() -> list[int]:
        shot = kiosk.screenshot()
        inset = game.side // 4
        blank = game.looks.slot(game.side, None)

        def inner(surface: pygame.Surface, rect: pygame.Rect) -> pygame.Surface:
            return surface.subsurface(rect.inflate(-2 * inset, -2 * inset))

        blank_inner = inner(blank, blank.get_rect())
        return [
            i
            for i, rect in enumerate(game.slot_rects)
            if game.slots[i] is None and _differing_pixels(inner(shot, rect), blank_inner, 8) > 20
        ]

    assert faint_letters() == [1]
    kiosk.click(_next_tile(game).home.center, frames=15)
    assert game.hint_slot() == 2 and faint_letters() == [2]
    kiosk.click(_wrong_tile(game).home.center)
    assert game.slots[2] is not None and game.hint_slot() == 2  # a wrong letter: same hint
    kiosk.wait(1.0)
    assert game.slots[2] is None and faint_letters() == [2]
    game.start(2)
    assert game.hint_slot() is None


def test_tapping_a_filled_slot_or_backspace_takes_the_letter_back(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:1")
    given = game.slots[0]
    assert given is not None and given.given and given.letter == game.word.text[0]
    tile = _next_tile(game)
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
    last = len(game.slots) - 1
    tile = next(t for t in game.tiles if t.letter == game.word.text[last])
    kiosk.drag(tile.home.center, game.slot_rects[last].center)
    assert tile.slot == last and game.slots[last] is tile
    other = next(t for t in game.tiles if t.slot is None)
    kiosk.drag(other.home.center, (other.home.centerx, game.ctx.area.bottom - 5))
    kiosk.wait(0.5)
    assert other.slot is None and game.rect_of(other) == other.home
    kiosk.drag(other.home.center, game.slot_rects[last].center)  # the right letter stays
    kiosk.wait(0.5)
    assert game.slots[last] is tile and other.slot is None
    assert game.rect_of(other) == other.home


def test_typing_a_letter_that_is_not_there_changes_nothing(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    kiosk.tap_button("level:2")
    missing = next(c for c in "qwxyzž" if all(t.letter != c for t in game.tiles))
    kiosk.key(0, unicode=missing)
    assert all(t is None for t in game.slots)
    upper = game.word.text[0].upper()
    kiosk.key(0, unicode=upper)  # Shift or Caps Lock: the same letter
    assert game.slots[0] is not None and game.slots[0].style != "wrong"


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


def test_words_can_be_played_with_arrows_enter_and_escape_alone(kiosk: Harness) -> None:
    game = _open_words(kiosk)
    only_controller_keys(kiosk)
    choose(kiosk, game.buttons, "level:2")
    while game.phase == "play":
        while any(t is None for t in game.slots):
            index = game.tiles.index(_next_tile(game))
            for _ in range(len(game.tiles)):
                if game.controls.focus == index:
                    break
                kiosk.key(pygame.K_RIGHT, frames=1)
            kiosk.key(pygame.K_SPACE)
        kiosk.wait(CELEBRATE_S + 0.2)
    assert game.phase == "stars" and game.stars == 3
    next_level_then_home(kiosk, 2)
