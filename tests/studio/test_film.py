"""The stop-motion studio driven through the headless kiosk: films from the synthetic
camera and from pictures, edited in the strip, saved, and exported to real MP4 and GIF."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest
from PIL import Image

from kiosk import routes
from kiosk.api import ActivityContext
from kiosk.harness import Harness
from kiosk.i18n import Translator
from kiosk.media.camera import SyntheticCamera
from kiosk.media.export import export_creation
from kiosk.media.ffmpeg import probe
from kiosk.studio.common import duration_text
from kiosk.studio.film import FULL_FRAMES_KEPT, StopMotion
from kiosk.studio.pictures import arrow_icon
from kiosk.ui.theme import BAD
from tests.studio.shown import shown_texts
from tests.studio.tools import open_tool


def open_film(kiosk: Harness) -> StopMotion:
    film = open_tool(kiosk, "film")
    assert isinstance(film, StopMotion)
    return film


def tap_frame(kiosk: Harness, number: int) -> None:
    """Scroll the strip to frame `number` (1-based) and tap it."""
    for _ in range(50):
        ids = {b.id for b in kiosk.buttons()}
        if f"frame:{number}" in ids:
            kiosk.tap_button(f"frame:{number}")
            return
        shown = [int(i.split(":")[1]) for i in ids if i.startswith("frame:")]
        kiosk.tap_button("strip:prev" if number < min(shown) else "strip:next")
    raise AssertionError(f"frame {number} never came into view")


def saved_meta(film: StopMotion) -> dict:
    assert film.creation is not None and film.creation.flush(10)
    return json.loads((film.creation.folder / "creation.json").read_text(encoding="utf-8"))


@pytest.fixture
def camera(monkeypatch: pytest.MonkeyPatch) -> None:
    """`KIOSK_CAMERA=synthetic`, as on a demo PC without a webcam."""
    monkeypatch.setenv("KIOSK_CAMERA", "synthetic")


def camera_on_the_kiosk_clock(monkeypatch: pytest.MonkeyPatch, kiosk: Harness) -> None:
    """A synthetic camera running on the harness's clock: every tap sees a new picture."""

    def open_camera(self: ActivityContext, size: tuple[int, int] = (640, 480)) -> SyntheticCamera:
        return SyntheticCamera(size, fps=15, seed=5, clock=kiosk.clock.monotonic)

    monkeypatch.setattr(ActivityContext, "open_camera", open_camera)


@pytest.fixture
def no_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_CAMERA", raising=False)
    monkeypatch.setattr(ActivityContext, "open_camera", lambda self, size=(640, 480): None)


def test_a_24_frame_film_from_the_camera_exports_to_mp4_and_gif(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Harness(data_folder=tmp_path / "data", lang="lv") as kiosk:
        camera_on_the_kiosk_clock(monkeypatch, kiosk)
        film = open_film(kiosk)
        assert isinstance(film.camera, SyntheticCamera)
        kiosk.tap_button("fps:12")
        for _ in range(24):
            kiosk.tap_button("capture", via="touch")
        kiosk.tap_button("save")
        assert film.mode == "saved"
        meta = saved_meta(film)
        assert kiosk.app.errors == 0
    folder = tmp_path / "data" / "creations" / meta["id"]
    assert meta["state"] == "saved" and meta["kind"] == "film"
    assert meta["data"]["fps"] == 12
    assert len(meta["data"]["frames"]) == 24
    assert [s["seconds"] for s in meta["timeline"]] == [pytest.approx(1 / 12)] * 24
    # Every frame is a 640×480 PNG on disk, in the order it was taken.
    numbers = []
    for shot in meta["timeline"]:
        picture = pygame.image.load(str(folder / shot["image"]))
        assert picture.get_size() == (640, 480)
        numbers.append(SyntheticCamera.decode_number(picture))
    assert numbers == sorted(numbers) and len(set(numbers)) == 24
    assert (folder / "thumb.png").exists()

    mp4 = export_creation(folder, "mp4", tmp_path / "film.mp4")
    info = probe(mp4)
    assert (info.frames, info.width, info.height) == (24, 1280, 720)
    assert info.duration_s == pytest.approx(2.0, abs=0.05)
    gif = export_creation(folder, "gif", tmp_path / "film.gif")
    with Image.open(gif) as image:
        assert image.n_frames == 24
        total = 0
        for index in range(image.n_frames):
            image.seek(index)
            total += image.info["duration"]
    assert total == pytest.approx(2000, abs=30)


def test_strip_edits_change_the_saved_frames(tmp_path: Path, camera: None) -> None:
    with Harness(data_folder=tmp_path / "data") as kiosk:
        film = open_film(kiosk)
        for _ in range(4):
            kiosk.tap_button("capture")
        files = [f["file"] for f in film.frames_data()]
        assert len(files) == 4 and film.selected == 3

        tap_frame(kiosk, 2)
        kiosk.tap_button("frame-copy")  # frame 2 twice
        kiosk.tap_button("frame-hold")  # the copy shows for 2 ticks
        kiosk.tap_button("frame-hold")  # … 3 ticks
        tap_frame(kiosk, 1)
        kiosk.tap_button("frame-delete")
        tap_frame(kiosk, 4)
        kiosk.tap_button("frame-move-left")
        expected = [(files[1], 1), (files[1], 3), (files[3], 1), (files[2], 1)]
        assert [(f["file"], f["hold"]) for f in film.frames_data()] == expected

        # Drag the first thumbnail past the third: it lands in third place.
        tap_frame(kiosk, 1)
        first = kiosk.find_button("frame:1").rect.center
        third = kiosk.find_button("frame:3").rect.center
        kiosk.drag(first, (third[0] + 10, third[1]))
        expected = [expected[1], expected[2], expected[0], expected[3]]
        assert [(f["file"], f["hold"]) for f in film.frames_data()] == expected

        kiosk.tap_button("fps:5")
        kiosk.tap_button("save")
        meta = saved_meta(film)
        folder = film.creation.folder  # type: ignore[union-attr]
    assert [(f["file"], f["hold"]) for f in meta["data"]["frames"]] == expected
    assert [s["seconds"] for s in meta["timeline"]] == [0.6, 0.2, 0.2, 0.2]
    # The deleted frame's picture left the folder; the others are there.
    assert sorted(p.name for p in (folder / "frames").glob("*.png")) == sorted(
        Path(f).name for f in {files[1], files[2], files[3]}
    )


def test_without_a_camera_the_stage_explains_and_pictures_make_the_film(
    tmp_path: Path, no_camera: None
) -> None:
    with Harness(data_folder=tmp_path / "data", lang="lt") as kiosk:
        film = open_film(kiosk)
        assert film.camera is None
        assert not kiosk.find_button("capture").enabled
        shot = kiosk.screenshot()
        stage = shot.subsurface(film.stage)
        red = sum(
            1
            for x in range(0, stage.get_width(), 3)
            for y in range(0, stage.get_height(), 3)
            if tuple(stage.get_at((x, y)))[:3] == BAD
        )
        assert red > 50, "the crossed-out camera is not on the stage"

        # A drawing the child saved in this session, as the drawing board saves it.
        store = kiosk.app.creations
        assert store is not None
        drawing = store.new("drawing", "lt")
        picture = pygame.Surface((1280, 720))
        picture.fill((30, 160, 90))
        rel = drawing.write_png("render/picture.png", picture)
        drawing.timeline = [{"image": rel, "seconds": 3.0, "audio": None}]
        drawing.pages = [rel]
        drawing.save("saved", thumbnail=picture)

        kiosk.tap_button("add-picture")
        kiosk.tap_button(f"pick:drawing:{drawing.id}")
        pack_picture = next(
            b.id
            for b in kiosk.buttons()
            if b.id.startswith("pick:") and not b.id.startswith(("pick:drawing:", "pick-"))
        )
        kiosk.tap_button(pack_picture)
        kiosk.tap_button(pack_picture)
        kiosk.tap_button("pick-done")
        assert len(film.frames) == 3
        kiosk.tap_button("save")
        meta = saved_meta(film)
        assert kiosk.app.errors == 0
    assert meta["state"] == "saved" and len(meta["timeline"]) == 3
    folder = tmp_path / "data" / "creations" / meta["id"]
    first = pygame.image.load(str(folder / meta["timeline"][0]["image"]))
    assert first.get_size() == (640, 480)
    assert tuple(first.get_at((320, 240)))[:3] == (30, 160, 90)


def test_a_hundred_frames_stay_on_disk_with_only_thumbnails_in_memory(
    tmp_path: Path, camera: None
) -> None:
    with Harness(data_folder=tmp_path / "data") as kiosk:
        film = open_film(kiosk)
        for _ in range(100):
            kiosk.key(pygame.K_c, unicode="c", frames=1)
        kiosk.tap_button("play")
        kiosk.wait(3.0)
        assert len(film.frames) == 100
        assert len(film._full) <= FULL_FRAMES_KEPT
        held = sum(f.thumb.get_width() * f.thumb.get_height() * 4 for f in film.frames)
        assert held < 8 << 20
        assert film.creation is not None and film.creation.flush(10)
        assert len(list((film.creation.folder / "frames").glob("*.png"))) == 100  # type: ignore[union-attr]


def test_an_idle_end_keeps_the_draft_for_the_librarian(tmp_path: Path, camera: None) -> None:
    with Harness(data_folder=tmp_path / "data") as kiosk:
        film = open_film(kiosk)
        kiosk.tap_button("timer")
        kiosk.tap_button("capture")
        assert film.frames == []  # the self-timer counts 3-2-1 first
        kiosk.wait(3.2)
        assert len(film.frames) == 1
        kiosk.wait(200, dt=1.0)
        assert kiosk.scene_name == "Attract"
        meta = saved_meta(film)
        store = kiosk.app.creations
        assert store is not None
        assert [c.id for c in store.drafts_for_librarian()] == [meta["id"]]
    assert meta["state"] == "draft" and meta["closed_by"] == "idle"
    assert len(meta["timeline"]) == 1


@pytest.mark.parametrize(
    "lang,half_second",
    [("lv", "0,5 sekundes"), ("lt", "0,5 sekundės"), ("en", "0.5 seconds")],
)
def test_a_four_frame_film_lasts_half_a_second_not_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, half_second: str
) -> None:
    with Harness(data_folder=tmp_path / "data", lang=lang) as kiosk:
        camera_on_the_kiosk_clock(monkeypatch, kiosk)
        film = open_film(kiosk)
        kiosk.tap_button("fps:8")
        for _ in range(4):
            kiosk.tap_button("capture")
        kiosk.tap_button("save")
        assert film.mode == "saved"
        assert half_second in shown_texts(kiosk)
        creation = film.creation
        assert creation is not None
        kiosk.app.push(routes.Creations())  # the librarian's review says the same
        kiosk.step()
        kiosk.tap_button(f"review:{creation.id}")
        assert any(text.endswith(f" · {half_second}") for text in shown_texts(kiosk))
        assert kiosk.app.ui.text.overflows == []


@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768), (1366, 768), (3840, 2160)])
def test_the_stage_and_tools_fill_the_screen_down_to_the_strip(
    tmp_path: Path, camera: None, size: tuple[int, int]
) -> None:
    with Harness(data_folder=tmp_path / "data", size=size, lang="lv") as kiosk:
        film = open_film(kiosk)
        kiosk.tap_button("capture")
        m = kiosk.app.ui.metrics
        tools = [kiosk.find_button(i) for i in ("capture", "timer", "play", "fps:12", "save")]
        lowest = max(film.stage.bottom, *(b.rect.bottom for b in tools))
        # No wide empty band between the stage (or the tools) and the strip of frames.
        assert film.strip_rect.top - lowest <= m.px(120), (film.stage, film.strip_rect)
        screen = kiosk.app.screen.get_rect()
        for button in kiosk.buttons():
            assert screen.contains(button.rect), button.id
            if button.id in {b.id for b in tools}:
                assert not button.rect.colliderect(film.stage), button.id
                assert not button.rect.colliderect(film.strip_rect), button.id
        kiosk.screenshot(tmp_path / "stage.png")
        assert kiosk.app.ui.text.overflows == []


def test_the_film_and_story_pickers_show_whole_pictures_and_the_same_arrows(
    tmp_path: Path,
) -> None:
    with Harness(data_folder=tmp_path / "data", lang="en") as kiosk:
        open_film(kiosk)
        kiosk.tap_button("add-picture")
        film_pictures = [
            b for b in kiosk.buttons() if b.id.startswith("pick:") and b.image is not None
        ]
        film_arrow = kiosk.find_button("pick-next")
        kiosk.tap_button("pick-done")
        kiosk.tap_button("home")
        while not any(b.id == "tile:story" for b in kiosk.buttons()):
            kiosk.tap_button("page:next")
        kiosk.tap_button("tile:story")
        kiosk.tap_button("background")
        story_pictures = [
            b
            for b in kiosk.buttons()
            if b.id.startswith("pick:") and b.id not in ("pick:prev", "pick:next")
        ]
        story_arrow = kiosk.find_button("pick:next")
    for button in film_pictures + story_pictures:
        # A margin all round: art that runs to its own edges (a handshake's cuffs, a
        # cloud's sides) does not look cut off by the card.
        image = button.image
        assert image is not None
        margin = image.get_width() // 10
        inner = image.get_rect().inflate(-2 * margin, -2 * margin)
        assert inner.contains(image.get_bounding_rect()), button.id
    assert film_arrow.round and story_arrow.round
    assert film_arrow.color == story_arrow.color
    for arrow in (film_arrow, story_arrow):  # one drawing of the arrow, at each one's size
        assert arrow.image is not None
        drawn = arrow_icon(arrow.rect.width, 1)
        assert pygame.image.tobytes(arrow.image, "RGBA") == pygame.image.tobytes(drawn, "RGBA")


@pytest.mark.parametrize(
    "seconds,lang,said",
    [
        (0.5, "lv", "0,5 sekundes"),
        (1.25, "lt", "1,2 sekundės"),
        (2.0, "lv", "2 sekundes"),
        (1.0, "lt", "1 sekundė"),
        (9.96, "en", "10 seconds"),
        (12.4, "lv", "12 sekundes"),
        (12.4, "lt", "12 sekundžių"),
        (0.04, "en", "0.1 seconds"),
    ],
)
def test_durations_keep_their_tenths_under_ten_seconds(
    seconds: float, lang: str, said: str
) -> None:
    translator = Translator(("lv", "lt", "en"), lang)
    assert duration_text(seconds, lang, translator.gettext, translator.ngettext) == said
