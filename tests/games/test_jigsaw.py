"""A scripted player finishes the jigsaw at every level by dragging, by tapping and by
keyboard; photos from packs work, upright."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from games.jigsaw.game import LEVELS, Jigsaw
from games.jigsaw.pieces import Piece
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.sessions import RunEnded
from tests.games.arrows import choose, next_level_then_home, only_controller_keys

FIXTURES = Path(__file__).parent / "fixtures" / "jigsaw"


def _open(kiosk: Harness, picture: str | None = "scene:farm") -> Jigsaw:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:jigsaw")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, Jigsaw)
    if picture is not None:
        kiosk.tap_button(f"picture:{picture}")
    return game


def _cell_centre(game: Jigsaw, piece: Piece) -> tuple[int, int]:
    return game._cell_rect(piece.col, piece.row).center


def _solve(kiosk: Harness, game: Jigsaw, via: str) -> None:
    cols = LEVELS[game.level - 1][1]
    while not all(p.placed for p in game.pieces):
        piece = next(p for p in game.pieces if not p.placed)
        if via == "mouse":
            start = piece.rect.center
            target = piece.home.center
            kiosk.drag(start, target)
        elif via == "touch":
            kiosk.touch(piece.rect.center)  # choose the piece…
            kiosk.touch(_cell_centre(game, piece))  # …then its place
        else:
            loose = [p for p in game.pieces if not p.placed]
            for _ in range(len(loose) + 1):
                if getattr(game, "_focus", None) is piece:
                    break
                kiosk.key(pygame.K_TAB, frames=1)
            kiosk.key(pygame.K_RETURN, frames=1)
            while game.cursor[1] != piece.row:
                kiosk.key(pygame.K_DOWN, frames=1)
            while game.cursor[0] != piece.col:
                kiosk.key(pygame.K_RIGHT, frames=1)
            kiosk.key(pygame.K_RETURN)
        assert game.cursor[0] < cols


@pytest.mark.parametrize("via", ["mouse", "touch", "keyboard"])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_jigsaw_can_be_finished_at_every_level(kiosk: Harness, level: int, via: str) -> None:
    game = _open(kiosk)
    kiosk.tap_button(f"level:{level}")
    assert len(game.pieces) == LEVELS[level - 1][0]
    _solve(kiosk, game, via)
    assert game.phase == "stars" and game.stars == 3
    completed = [e for e in kiosk.sink.of_type(RunEnded) if e.outcome == "completed"]  # type: ignore[union-attr]
    assert [(e.level, e.score) for e in completed] == [(level, 3)]  # type: ignore[union-attr]


def test_a_piece_dropped_in_the_wrong_place_goes_back_to_the_tray(kiosk: Harness) -> None:
    game = _open(kiosk)
    kiosk.tap_button("level:1")
    piece, other = game.pieces[0], game.pieces[1]
    kiosk.drag(piece.rect.center, other.home.center)
    assert not piece.placed and piece.in_tray
    assert game.misses == 1


def test_a_librarians_photo_is_cut_upright(tmp_path: Path) -> None:
    config = parse_config(f"content:\n  folders: ['{FIXTURES}']\n")
    with Harness(config) as kiosk:
        kiosk.app.packs.wait(30)
        game = _open(kiosk, picture="our-photos:sunny")
        kiosk.tap_button("level:1")
        width, height = game.board.size
        assert width > height  # saved sideways with an EXIF orientation, shown landscape
        _solve(kiosk, game, "mouse")
        assert game.phase == "stars"


@pytest.mark.parametrize("lang", ["lv", "lt", "en"])
def test_no_text_overflows_on_a_whiteboard(lang: str) -> None:
    with Harness(size=(3840, 2160), lang=lang) as kiosk:
        game = _open(kiosk)
        kiosk.tap_button("level:2")
        _solve(kiosk, game, "mouse")
        kiosk.screenshot()
        assert kiosk.app.ui.text.overflows == []


def test_the_jigsaw_can_be_played_with_arrows_enter_and_escape_alone(kiosk: Harness) -> None:
    game = _open(kiosk, picture=None)
    only_controller_keys(kiosk)
    choose(kiosk, game.buttons, "picture:scene:farm")
    choose(kiosk, game.buttons, "level:1")
    while game.phase == "play":
        piece = next(p for p in game.pieces if not p.placed)
        for _ in range(len(game.pieces) + 1):  # right arrow: the next loose piece
            if getattr(game, "_focus", None) is piece:
                break
            kiosk.key(pygame.K_RIGHT, frames=1)
        kiosk.key(pygame.K_RETURN, frames=1)  # pick it up…
        while game.cursor != (piece.col, piece.row):  # …carry the frame to its place…
            kiosk.key(pygame.K_DOWN if game.cursor[1] != piece.row else pygame.K_RIGHT, frames=1)
        kiosk.key(pygame.K_SPACE)  # …and put it down
    assert game.phase == "stars" and game.stars == 3
    next_level_then_home(kiosk, 1)
