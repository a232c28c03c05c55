"""The librarian's review of creations: consent first, then real exports; delete."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from kiosk import routes
from kiosk.activities import RegisteredActivity
from kiosk.harness import Harness
from kiosk.librarian.exports import EXPORT_ERRORS
from kiosk.scenes import creations as review_module
from kiosk.scenes.creations import CreationsReview, removable_drives
from kiosk.studio.drawing import DrawingBoard
from tests.studio.shown import shown_texts


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def kiosk(data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    # Whatever is plugged into the test machine is not a target here.
    monkeypatch.setattr(review_module, "removable_drives", lambda: [])
    harness = Harness(data_folder=data, registered=[RegisteredActivity(DrawingBoard, "tests")])
    try:
        yield harness
    finally:
        harness.close()


def draw_and_save(kiosk: Harness, leave: bool = True) -> str:
    if kiosk.scene_name == "Attract":
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:draw")
    board = kiosk.app.top.activity  # type: ignore[union-attr]
    view = board.view
    kiosk.tap_button("color:1")
    kiosk.tap_button("size:2")
    kiosk.drag((view.left + 20, view.centery), (view.right - 20, view.centery), steps=8)
    kiosk.tap_button("save")
    creation_id = board.creation.id
    if leave:
        kiosk.tap_button("home")
    return str(creation_id)


def open_review(kiosk: Harness) -> CreationsReview:
    kiosk.app.push(routes.Creations())  # what the librarian panel's button does
    kiosk.step()
    scene = kiosk.app.top
    assert isinstance(scene, CreationsReview)
    return scene


def finish_export(kiosk: Harness, scene: CreationsReview) -> None:
    """Wait for the export thread (it may have finished within the tap's frames)."""
    if scene.job is not None:
        assert scene.job.wait(60)
    kiosk.step(2)
    assert scene.job is None
    assert scene.message


def exported(data: Path, fmt: str) -> Path:
    """The one file of format `fmt` the review exported to this computer's folder."""
    (found,) = (data / "exports").glob(f"*.{fmt}")
    return found


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def test_the_review_shows_saved_creations_and_idle_drafts_newest_first(kiosk: Harness) -> None:
    first = draw_and_save(kiosk)
    kiosk.clock.advance(60)
    second = draw_and_save(kiosk)
    store = kiosk.app.creations
    assert store is not None
    open_draft = store.new("drawing", "lv")  # a draft still being drawn: not for review
    kept = store.new("film", "lv")
    kept.closed_by = "idle"
    kept.save()
    open_review(kiosk)
    cards = [b.id for b in kiosk.buttons() if b.id.startswith("review:") and "-" in b.id]
    assert cards == [f"review:{kept.id}", f"review:{second}", f"review:{first}"]
    assert f"review:{open_draft.id}" not in cards
    assert kiosk.app.ui.text.overflows == []


def test_export_waits_for_consent_then_writes_a_png_and_a_pdf(kiosk: Harness, data: Path) -> None:
    creation_id = draw_and_save(kiosk)
    scene = open_review(kiosk)
    kiosk.tap_button(f"review:{creation_id}")
    assert kiosk.find_button("review:export:png").enabled is False
    assert kiosk.find_button("review:export:pdf").enabled is False
    kiosk.tap_button("review:export:png")
    assert scene.job is None and not (data / "exports").exists()

    kiosk.tap_button("review:consent")
    kiosk.tap_button("review:target:0")  # this computer's exports folder
    assert kiosk.find_button("review:export:png").enabled is True
    kiosk.tap_button("review:export:png")
    finish_export(kiosk, scene)
    png = exported(data, "png")
    with Image.open(png) as picture:
        assert picture.size == (1280, 720)
        assert picture.convert("RGB").getpixel((640, 360)) == (229, 57, 53)
    kiosk.tap_button("review:export:pdf")
    finish_export(kiosk, scene)
    pdf = exported(data, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf_pages(pdf) == 1
    assert scene.message_ok is True
    assert [p.name for p in (data / "exports").iterdir() if p.suffix == ".part"] == []

    assert kiosk.app.creations is not None and kiosk.app.creations.flush(10)
    meta = json.loads((data / "creations" / creation_id / "creation.json").read_text("utf-8"))
    assert meta["consent_at"] is not None
    assert [e["format"] for e in meta["exports"]] == ["png", "pdf"]
    # Consent can be taken back, and then nothing more is exported.
    kiosk.tap_button("review:consent")
    assert kiosk.find_button("review:export:png").enabled is False
    assert kiosk.app.errors == 0


def test_a_target_that_cannot_be_written_gives_a_clear_message_and_keeps_the_creation(
    kiosk: Harness, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "stick"
    not_a_folder.write_text("a file where a drive was", encoding="utf-8")
    monkeypatch.setattr(review_module, "removable_drives", lambda: [not_a_folder])
    creation_id = draw_and_save(kiosk)
    scene = open_review(kiosk)
    kiosk.tap_button(f"review:{creation_id}")
    kiosk.tap_button("review:consent")
    kiosk.tap_button("review:target:0")  # the "stick"
    assert scene.target == not_a_folder
    kiosk.tap_button("review:export:pdf")
    finish_export(kiosk, scene)
    assert scene.message_ok is False
    assert scene.message == kiosk.app.translator.gettext(EXPORT_ERRORS["target_readonly"])
    assert (data / "creations" / creation_id / "creation.json").exists()


def test_delete_needs_a_second_tap(kiosk: Harness, data: Path) -> None:
    creation_id = draw_and_save(kiosk)
    open_review(kiosk)
    kiosk.tap_button(f"review:{creation_id}")
    kiosk.tap_button("review:delete")
    assert (data / "creations" / creation_id).exists()
    kiosk.wait(4)
    kiosk.tap_button("review:delete")
    assert (data / "creations" / creation_id).exists()
    kiosk.tap_button("review:delete")
    assert not (data / "creations" / creation_id).exists()
    assert [b.id for b in kiosk.buttons() if b.id.startswith("review:") and "-" in b.id] == []


def test_the_review_closes_itself_when_left_alone(kiosk: Harness) -> None:
    creation_id = draw_and_save(kiosk)
    open_review(kiosk)
    kiosk.tap_button(f"review:{creation_id}")
    kiosk.wait(125, dt=1.0)
    assert kiosk.app.scene(routes.Creations) is None


def test_removable_drives_are_the_mounts_under_media(tmp_path: Path) -> None:
    (tmp_path / "media" / "librarian" / "KINGSTON").mkdir(parents=True)
    (tmp_path / "run-media" / "user" / "USB").mkdir(parents=True)
    (tmp_path / "media" / "librarian" / "notes.txt").write_text("x", encoding="utf-8")
    found = removable_drives((tmp_path / "media", tmp_path / "run-media", tmp_path / "none"))
    assert [p.name for p in found] == ["KINGSTON", "USB"]


def test_a_film_exports_to_mp4_while_the_screen_keeps_drawing_frames(
    kiosk: Harness, data: Path
) -> None:
    import pygame

    from kiosk.media.ffmpeg import probe

    store = kiosk.app.creations
    assert store is not None
    film = store.new("film", "lv")
    for i in range(24):
        frame = pygame.Surface((640, 480))
        frame.fill((10 * i, 100, 255 - 10 * i))
        rel = film.write_png(f"render/{i + 1:04d}.png", frame)
        film.timeline.append({"image": rel, "seconds": 1 / 8, "audio": None})
    film.data = {"fps": 8}
    film.save("saved", thumbnail=frame)
    scene = open_review(kiosk)
    kiosk.tap_button(f"review:{film.id}")
    assert [b.id for b in kiosk.buttons() if b.id.startswith("review:export:")] == [
        "review:export:mp4",
        "review:export:gif",
    ]
    kiosk.tap_button("review:consent")
    kiosk.tap_button("review:target:0")
    kiosk.tap_button("review:export:mp4")
    frames_before = kiosk.app.frames
    while scene.job is not None:
        kiosk.step()  # the render thread keeps going while ffmpeg works
        if scene.job is not None:
            scene.job.wait(0.05)
    assert kiosk.app.frames > frames_before
    assert scene.message_ok is True, scene.message
    info = probe(exported(data, "mp4"))
    assert (info.width, info.height, info.frames) == (1280, 720, 24)
    assert abs(info.duration_s - 3.0) < 0.15


def test_many_creations_are_shown_page_by_page(kiosk: Harness) -> None:
    store = kiosk.app.creations
    assert store is not None
    made = []
    for _ in range(10):
        kiosk.clock.advance(60)
        creation = store.new("drawing", "lv")
        creation.save("saved")
        made.append(creation.id)

    def cards() -> list[str]:
        return [b.id[len("review:") :] for b in kiosk.buttons() if b.id.startswith("review:dr")]

    open_review(kiosk)
    assert cards() == made[::-1][:8]
    kiosk.tap_button("review:next")
    assert cards() == made[::-1][8:]
    kiosk.tap_button("review:next")
    assert cards() == made[::-1][:8]


def test_an_export_is_named_in_local_time_and_the_message_names_its_folder(
    kiosk: Harness, data: Path
) -> None:
    # 22:30 UTC on the last day of the year is already 00:30 next year in Riga.
    kiosk.clock.advance(
        (datetime(2026, 12, 31, 22, 30, 5, tzinfo=UTC) - kiosk.clock.wall()).total_seconds()
    )
    creation_id = draw_and_save(kiosk)
    scene = open_review(kiosk)
    kiosk.tap_button(f"review:{creation_id}")
    kiosk.tap_button("review:consent")
    kiosk.tap_button("review:target:0")
    kiosk.tap_button("review:export:png")
    finish_export(kiosk, scene)
    png = exported(data, "png")
    assert kiosk.app.config.site.timezone == "Europe/Riga"
    assert png.name.startswith("drawing-20270101-003005-"), png.name
    assert png.name[len("drawing-20270101-003005-") : -4] == creation_id.rsplit("-", 1)[-1]
    folder = str(data / "exports")
    assert scene.message_ok and scene.message == (f"Eksportēts kā {png.name} mapē {folder}")
    assert f"Eksportēts kā {png.name} mapē {folder}" in shown_texts(kiosk)
    assert kiosk.app.ui.text.overflows == []


def test_the_librarian_watches_and_hears_a_film_before_sharing_it_and_comes_back(
    kiosk: Harness,
) -> None:
    import pygame

    from kiosk.scenes.showtime import Showtime
    from tests.pads.showtime_helpers import make_creation

    store = kiosk.app.creations
    assert store is not None
    film = make_creation(store, "film", [(200, 30, 30), (30, 200, 30)], seconds=40, tone=440)
    make_creation(store, "story", [(30, 30, 200)], title="Another one")
    drawing_id = draw_and_save(kiosk)
    review = open_review(kiosk)
    kiosk.tap_button(f"review:{drawing_id}")
    assert "review:watch" not in [b.id for b in kiosk.buttons()]  # a drawing has no sound
    kiosk.tap_button("review:back")
    kiosk.tap_button(f"review:{film.id}")
    kiosk.tap_button("review:watch")
    show = kiosk.app.top
    assert isinstance(show, Showtime)
    assert [item.creation_id for item in show.items] == [film.id]  # this one only
    assert show.items[0].shots[0].audio is not None
    kiosk.wait(130, dt=0.5)  # longer than the review waits for its librarian
    assert show.played == [film.id] and kiosk.app.top is show
    assert kiosk.app.scene(routes.Creations) is review
    kiosk.key(pygame.K_ESCAPE)
    assert kiosk.app.top is review
    assert review.chosen is not None and review.chosen.id == film.id
    kiosk.wait(110, dt=1.0)
    assert kiosk.app.scene(routes.Creations) is review  # its two minutes start again
    kiosk.wait(15, dt=1.0)
    assert kiosk.app.scene(routes.Creations) is None
