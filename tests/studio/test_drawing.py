"""The drawing board, driven through the headless kiosk like a child would use it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.activities import RegisteredActivity
from kiosk.harness import Harness
from kiosk.sessions import MemoryUsageSink, RunEnded
from kiosk.studio.canvas import CANVAS_SIZE, UNDO_STEPS
from kiosk.studio.drawing import BRUSH_SIZES, DrawingBoard

RED = (229, 57, 53)
GREEN = (46, 125, 50)
YELLOW = (253, 216, 53)
WHITE = (255, 255, 255)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def kiosk(data: Path) -> Iterator[Harness]:
    harness = Harness(
        data_folder=data,
        registered=[RegisteredActivity(DrawingBoard, "tests")],
        sink=MemoryUsageSink(),
    )
    try:
        yield harness
    finally:
        harness.close()


def open_board(kiosk: Harness) -> DrawingBoard:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:draw")
    board = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(board, DrawingBoard)
    return board


def at(board: DrawingBoard, x: float, y: float) -> tuple[int, int]:
    """The screen position of canvas point (x, y)."""
    return (round(board.view.x + x * board.scale), round(board.view.y + y * board.scale))


def pixel(board: DrawingBoard, x: int, y: int) -> tuple[int, int, int]:
    return tuple(board.canvas.surface.get_at((x, y)))[:3]  # type: ignore[return-value]


def finger(kiosk: Harness, kind: int, finger_id: int, pos: tuple[int, int]) -> None:
    w, h = kiosk.app.screen.get_size()
    kiosk.post(
        kind,
        x=pos[0] / w,
        y=pos[1] / h,
        dx=0.0,
        dy=0.0,
        touch_id=1,
        finger_id=finger_id,
        pressure=1.0,
    )


def creation_folders(kiosk: Harness, data: Path) -> list[Path]:
    """The creation folders, once the kiosk's writer thread has written what it was given."""
    assert kiosk.app.creations is not None and kiosk.app.creations.flush(10)
    root = data / "creations"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.exists() else []


def test_a_mouse_stroke_paints_a_thick_line_in_the_chosen_colour(kiosk: Harness) -> None:
    board = open_board(kiosk)
    kiosk.tap_button("color:1")  # red
    kiosk.tap_button("size:2")
    kiosk.drag(at(board, 200, 300), at(board, 1000, 300), steps=8)
    for x in (200, 400, 640, 999):
        assert pixel(board, x, 300) == RED
    # Thick: the line reaches about half the brush width above and below.
    half = BRUSH_SIZES[2] // 2
    assert pixel(board, 640, 300 - half + 3) == RED
    assert pixel(board, 640, 300 - half - 4) == WHITE
    # The screen shows it too, where the canvas is drawn.
    shot = kiosk.screenshot()
    shown = tuple(shot.get_at(at(board, 640, 300)))[:3]
    assert max(abs(a - b) for a, b in zip(shown, RED, strict=True)) <= 6  # scaled smoothly
    assert kiosk.app.errors == 0


def test_two_fingers_draw_two_strokes_at_once_as_one_undo_step(kiosk: Harness) -> None:
    board = open_board(kiosk)
    kiosk.tap_button("color:5")  # green
    finger(kiosk, pygame.FINGERDOWN, 1, at(board, 100, 100))
    finger(kiosk, pygame.FINGERDOWN, 2, at(board, 100, 600))
    kiosk.step()
    for i in range(1, 9):
        finger(kiosk, pygame.FINGERMOTION, 1, at(board, 100 + i * 100, 100))
        finger(kiosk, pygame.FINGERMOTION, 2, at(board, 100 + i * 100, 600))
        kiosk.step()
    finger(kiosk, pygame.FINGERUP, 1, at(board, 900, 100))
    kiosk.step()
    assert board.strokes and len(board.canvas.undo_steps) == 0  # finger 2 still draws
    finger(kiosk, pygame.FINGERUP, 2, at(board, 900, 600))
    kiosk.step()
    for x in (150, 500, 880):
        assert pixel(board, x, 100) == GREEN
        assert pixel(board, x, 600) == GREEN
    assert pixel(board, 500, 350) == WHITE  # no line joins the two fingers
    assert len(board.canvas.undo_steps) == 1
    kiosk.tap_button("undo")
    assert pixel(board, 500, 100) == WHITE and pixel(board, 500, 600) == WHITE


def test_fill_floods_only_the_enclosed_part(kiosk: Harness) -> None:
    board = open_board(kiosk)
    kiosk.tap_button("color:0")  # black
    kiosk.tap_button("size:1")
    kiosk.drag(at(board, 640, 0), at(board, 640, 719), steps=6)
    kiosk.tap_button("tool:fill")
    kiosk.tap_button("color:3")  # yellow
    kiosk.click(at(board, 200, 300))
    assert pixel(board, 200, 300) == YELLOW
    assert pixel(board, 5, 715) == YELLOW
    assert pixel(board, 1000, 300) == WHITE
    assert pixel(board, 640, 300) == (33, 33, 33)
    # Its speed on a busy picture: benchmarks/bench_studio.py (never a timed test).


def test_a_stamp_puts_a_pack_pictogram_on_the_picture(kiosk: Harness) -> None:
    board = open_board(kiosk)
    from_packs = [s for s in board.stamps if s.pack is not None]
    assert from_packs, "the content packs' pictograms are offered as stamps"
    kiosk.tap_button("tool:stamp")
    while f"stamp:{from_packs[0].key}" not in [b.id for b in kiosk.buttons()]:
        kiosk.tap_button("stamp:next")
    kiosk.tap_button(f"stamp:{from_packs[0].key}")
    kiosk.click(at(board, 640, 360))
    changed = board.canvas.undo_steps[-1].rect
    assert changed.collidepoint(640, 360) and changed.width > 60
    colours = {pixel(board, x, 360) for x in range(560, 720, 4)}
    assert len(colours) > 3  # a picture, not a blank square


def test_undo_and_redo_step_through_the_history_which_is_bounded(kiosk: Harness) -> None:
    board = open_board(kiosk)
    kiosk.tap_button("color:1")
    kiosk.drag(at(board, 100, 100), at(board, 300, 100))
    kiosk.tap_button("color:5")
    kiosk.drag(at(board, 100, 200), at(board, 300, 200))
    assert kiosk.find_button("redo").enabled is False
    kiosk.tap_button("undo")
    assert pixel(board, 200, 200) == WHITE and pixel(board, 200, 100) == RED
    kiosk.key(pygame.K_z, mod=pygame.KMOD_CTRL)
    assert pixel(board, 200, 100) == WHITE
    assert kiosk.find_button("undo").enabled is False
    kiosk.tap_button("redo")
    kiosk.key(pygame.K_y, mod=pygame.KMOD_CTRL)
    assert pixel(board, 200, 100) == RED and pixel(board, 200, 200) == GREEN
    for i in range(UNDO_STEPS + 5):
        kiosk.drag(at(board, 50, 300 + i * 10), at(board, 60, 300 + i * 10), steps=1)
    assert len(board.canvas.undo_steps) == UNDO_STEPS


def test_clear_asks_for_a_second_tap_and_can_be_undone(kiosk: Harness) -> None:
    board = open_board(kiosk)
    kiosk.drag(at(board, 100, 100), at(board, 600, 500))
    resting = kiosk.find_button("clear").color
    kiosk.tap_button("clear")
    assert board.question.visible  # "Sure? Tap again."
    assert kiosk.find_button("clear").color != resting
    assert pixel(board, 350, 300) != WHITE
    kiosk.wait(4)  # the question goes away by itself
    assert not board.question.visible
    assert kiosk.find_button("clear").color == resting
    kiosk.tap_button("clear")
    kiosk.tap_button("clear")
    assert pixel(board, 350, 300) == WHITE
    kiosk.tap_button("undo")
    assert pixel(board, 350, 300) != WHITE


def test_save_writes_the_picture_as_a_creation_and_completes_the_run(
    kiosk: Harness, data: Path
) -> None:
    board = open_board(kiosk)
    kiosk.tap_button("color:1")
    kiosk.tap_button("size:2")
    kiosk.drag(at(board, 100, 360), at(board, 1180, 360), steps=10)
    kiosk.tap_button("save")
    [folder] = creation_folders(kiosk, data)
    meta = json.loads((folder / "creation.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "drawing" and meta["state"] == "saved"
    assert meta["closed_by"] is None and meta["language"] == "lv"
    assert meta["pages"] == ["render/page-01.png"]
    assert meta["timeline"] == [{"image": "render/page-01.png", "seconds": 3.0, "audio": None}]
    picture = pygame.image.load(str(folder / "render" / "page-01.png"))
    assert picture.get_size() == CANVAS_SIZE
    assert tuple(picture.get_at((640, 360)))[:3] == RED
    assert tuple(picture.get_at((640, 100)))[:3] == WHITE
    thumb = pygame.image.load(str(folder / "thumb.png"))
    assert thumb.get_size() == (320, 180)
    ended = kiosk.sink.of_type(RunEnded)  # type: ignore[attr-defined]
    assert [e.outcome for e in ended] == ["completed"]
    # Drawing on and saving again updates the same picture, as a new completed run.
    kiosk.drag(at(board, 640, 100), at(board, 640, 600))
    kiosk.tap_button("save")
    assert len(creation_folders(kiosk, data)) == 1
    picture = pygame.image.load(str(folder / "render" / "page-01.png"))
    assert tuple(picture.get_at((640, 200)))[:3] == RED
    assert [e.outcome for e in kiosk.sink.of_type(RunEnded)] == ["completed"] * 2  # type: ignore[attr-defined]


def test_a_saved_picture_reopens_from_my_pictures_and_is_offered_to_other_tools(
    kiosk: Harness,
) -> None:
    board = open_board(kiosk)
    kiosk.tap_button("color:1")
    kiosk.drag(at(board, 100, 100), at(board, 400, 100))
    kiosk.tap_button("save")
    saved_id = board.creation.id  # type: ignore[union-attr]
    kiosk.tap_button("pictures")
    kiosk.tap_button("mine:new")
    assert pixel(board, 200, 100) == WHITE and board.creation is None
    kiosk.tap_button("color:5")
    kiosk.drag(at(board, 100, 500), at(board, 400, 500))
    kiosk.tap_button("save")
    second_id = board.creation.id  # type: ignore[union-attr]
    kiosk.tap_button("pictures")
    assert {f"mine:{saved_id}", f"mine:{second_id}"} <= {b.id for b in kiosk.buttons()}
    kiosk.tap_button(f"mine:{saved_id}")
    assert board.panel == "draw" and board.creation.id == saved_id  # type: ignore[union-attr]
    assert pixel(board, 200, 100) == RED and pixel(board, 200, 500) == WHITE
    # The film and story tools get the same list through ctx.creations.
    store = board.ctx.creations
    assert store is not None
    reused = store.drawings_in_session()
    assert [c.id for c in reused] == [second_id, saved_id]
    page = pygame.image.load(str(reused[1].path(reused[1].pages[0])))
    assert tuple(page.get_at((200, 100)))[:3] == RED


def test_work_is_autosaved_as_a_draft_a_few_seconds_after_a_change(
    kiosk: Harness, data: Path
) -> None:
    board = open_board(kiosk)
    kiosk.drag(at(board, 100, 100), at(board, 400, 100))
    assert creation_folders(kiosk, data) == []  # no write on every stroke
    kiosk.wait(4)
    [folder] = creation_folders(kiosk, data)
    meta = json.loads((folder / "creation.json").read_text(encoding="utf-8"))
    assert meta["state"] == "draft"
    assert not board.unsaved


def test_an_idle_end_keeps_the_draft_for_the_librarian_not_for_the_next_child(
    kiosk: Harness, data: Path
) -> None:
    board = open_board(kiosk)
    kiosk.drag(at(board, 100, 100), at(board, 400, 100))
    kiosk.wait(4)  # autosaved
    kiosk.drag(at(board, 100, 300), at(board, 400, 300))  # and a little more, unsaved
    kiosk.wait(kiosk.app.config.session.idle_timeout_s + 12, dt=0.5)
    assert kiosk.scene_name == "Attract"
    [folder] = creation_folders(kiosk, data)
    meta = json.loads((folder / "creation.json").read_text(encoding="utf-8"))
    assert meta["state"] == "draft" and meta["closed_by"] == "idle"
    picture = pygame.image.load(str(folder / "render" / "page-01.png"))
    assert tuple(picture.get_at((200, 300)))[:3] != WHITE  # the last strokes are kept
    store = kiosk.app.creations
    assert store is not None
    assert [c.id for c in store.drafts_for_librarian()] == [folder.name]

    board = open_board(kiosk)  # the next child
    assert pixel(board, 200, 100) == WHITE
    kiosk.tap_button("pictures")
    assert [b.id for b in kiosk.buttons() if b.id.startswith("mine:") and "-" in b.id] == []


def test_leaving_with_unsaved_changes_keeps_the_picture(kiosk: Harness, data: Path) -> None:
    board = open_board(kiosk)
    kiosk.drag(at(board, 100, 100), at(board, 400, 100))
    kiosk.tap_button("home")
    [folder] = creation_folders(kiosk, data)
    meta = json.loads((folder / "creation.json").read_text(encoding="utf-8"))
    assert meta["state"] == "saved" and meta["closed_by"] is None
    # A visit without drawing leaves nothing behind.
    kiosk.tap_button("tile:draw")
    kiosk.tap_button("home")
    assert len(creation_folders(kiosk, data)) == 1


def test_without_a_data_folder_the_board_still_draws_but_cannot_save() -> None:
    with Harness(registered=[RegisteredActivity(DrawingBoard, "tests")]) as kiosk:
        board = open_board(kiosk)
        kiosk.drag(at(board, 100, 100), at(board, 400, 100))
        assert kiosk.find_button("save").enabled is False
        kiosk.tap_button("home")
        assert kiosk.app.errors == 0
