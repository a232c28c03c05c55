"""The creations folder: atomic, self-contained, robust against broken folders."""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pygame
import pytest

from kiosk.creations import CreationError, CreationStore
from kiosk.creations.folder import ID_PATTERN

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> CreationStore:
    return CreationStore(tmp_path / "creations", "ludza-pc-1", clock)


def _picture(color: tuple[int, int, int] = (200, 30, 30)) -> pygame.Surface:
    surface = pygame.Surface((640, 360))
    surface.fill(color)
    return surface


def test_new_creation_has_an_id_a_folder_and_a_valid_creation_json(store: CreationStore) -> None:
    creation = store.new("drawing", "lv")
    assert ID_PATTERN.match(creation.id)
    assert creation.id.startswith("drawing-20261126-100000-")
    meta = json.loads((creation.folder / "creation.json").read_text(encoding="utf-8"))
    assert meta["schema"] == 1
    assert meta["state"] == "draft"
    assert meta["station"] == "ludza-pc-1"
    assert meta["language"] == "lv"
    assert meta["closed_by"] is None and meta["consent_at"] is None
    assert meta["created_at"] == "2026-11-26T10:00:00+00:00"


def test_saved_creation_round_trips_with_pictures_and_a_thumbnail(
    store: CreationStore, clock: Clock
) -> None:
    creation = store.new("drawing", "lt")
    rel = creation.write_png("render/page-01.png", _picture())
    creation.timeline = [{"image": rel, "seconds": 3.0, "audio": None}]
    creation.pages = [rel]
    creation.data = {"canvas": rel}
    clock.now = T0 + timedelta(minutes=5)
    creation.save("saved", thumbnail=_picture())
    again = store.get(creation.id)
    assert again is not None
    assert again.state == "saved"
    assert again.pages == ["render/page-01.png"]
    assert again.updated_at == "2026-11-26T10:05:00+00:00"
    assert again.seconds == 3.0
    assert pygame.image.load(str(again.thumb)).get_size() == (320, 180)
    assert pygame.image.load(str(again.path(rel))).get_at((5, 5))[:3] == (200, 30, 30)
    # Nothing but finished files are left in the folder.
    names = sorted(p.relative_to(creation.folder).as_posix() for p in creation.folder.rglob("*"))
    assert names == ["creation.json", "render", "render/page-01.png", "thumb.png"]


def test_a_saved_creation_stays_saved_when_autosaved_again(store: CreationStore) -> None:
    creation = store.new("film", "en")
    creation.save("saved")
    creation.save("draft")
    assert store.get(creation.id).state == "saved"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "rel", ["/etc/passwd", "../x.png", "render/../../x.png", "C:/x.png", "render\\x.png", "", "."]
)
def test_paths_that_would_leave_the_folder_are_refused(store: CreationStore, rel: str) -> None:
    creation = store.new("story", "lv")
    with pytest.raises(CreationError):
        creation.path(rel)
    with pytest.raises(CreationError):
        creation.write_bytes(rel, b"x")


def test_a_timeline_pointing_outside_cannot_be_saved(store: CreationStore) -> None:
    creation = store.new("film", "lv")
    creation.timeline = [{"image": "../../elsewhere.png", "seconds": 1.0, "audio": None}]
    with pytest.raises(CreationError):
        creation.save()


@pytest.mark.parametrize(
    "bad_id", ["../creations", "drawing-x", "/tmp", "film-20261126-100000-zzzzzz"]
)
def test_get_and_delete_refuse_ids_that_are_not_creation_ids(
    store: CreationStore, tmp_path: Path, bad_id: str
) -> None:
    store.new("drawing", "lv")
    assert store.get(bad_id) is None
    assert store.delete(bad_id) is False
    assert (tmp_path / "creations").exists()


def test_broken_folders_are_skipped_with_a_log_line(
    store: CreationStore, caplog: pytest.LogCaptureFixture
) -> None:
    good = store.new("drawing", "lv")
    good.save("saved")
    broken_json = store.new("drawing", "lv")
    (broken_json.folder / "creation.json").write_text("{not json", encoding="utf-8")
    wrong_id = store.new("film", "lv")
    meta = json.loads((wrong_id.folder / "creation.json").read_text(encoding="utf-8"))
    meta["state"] = "saved"
    meta["id"] = "film-20200101-000000-abcdef"
    (wrong_id.folder / "creation.json").write_text(json.dumps(meta), encoding="utf-8")
    escaping = store.new("story", "lv")
    meta = json.loads((escaping.folder / "creation.json").read_text(encoding="utf-8"))
    meta.update(state="saved", pages=["../../../etc/passwd"])
    (escaping.folder / "creation.json").write_text(json.dumps(meta), encoding="utf-8")
    empty = store.root / "drawing-20261126-090000-abcdef"
    empty.mkdir()
    (store.root / "not-a-creation").mkdir()
    with caplog.at_level(logging.WARNING):
        found = store.list(states=("saved", "draft"))
    assert [c.id for c in found] == [good.id]
    assert sum("creation skipped" in r.message for r in caplog.records) == 4
    assert store.get(escaping.id) is None


def test_list_is_newest_first_and_filters_kind_and_state(
    store: CreationStore, clock: Clock
) -> None:
    made = []
    for minutes, kind in enumerate(["drawing", "film", "drawing"]):
        clock.now = T0 + timedelta(minutes=minutes)
        creation = store.new(kind, "lv")  # type: ignore[arg-type]
        creation.save("saved")
        made.append(creation.id)
    draft = store.new("drawing", "lv")
    assert [c.id for c in store.list()] == made[::-1]
    assert [c.id for c in store.list("drawing")] == [made[2], made[0]]
    assert draft.id not in [c.id for c in store.list()]
    assert store.drafts_for_librarian() == []
    draft.closed_by = "idle"
    draft.save()
    assert [c.id for c in store.drafts_for_librarian()] == [draft.id]
    assert draft.id in [c.id for c in store.for_review()]


def test_in_session_shows_only_this_sessions_work(store: CreationStore) -> None:
    store.session = "first"
    mine = store.new("drawing", "lv")
    assert [c.id for c in store.drawings_in_session()] == [mine.id]
    store.session = "second"
    assert store.drawings_in_session() == []
    theirs = store.new("drawing", "lv")
    store.session = "first"  # an old session never comes back, nor does its list
    assert store.drawings_in_session() == []
    store.session = "second"
    assert [c.id for c in store.in_session()] == [theirs.id]
    theirs.closed_by = "idle"
    theirs.save()
    assert store.in_session() == []


def test_purge_removes_what_was_last_changed_before_the_retention(
    store: CreationStore, clock: Clock
) -> None:
    old = store.new("drawing", "lv")
    old.save("saved")
    clock.now = T0 + timedelta(days=20)
    recent = store.new("film", "lv")
    old_but_touched = store.new("story", "lv")
    clock.now = T0 + timedelta(days=31)
    old_but_touched.save()
    broken = store.root / "film-20200101-000000-abcdef"
    broken.mkdir()
    (broken / "creation.json").write_text("garbage", encoding="utf-8")
    stamp = (T0 + timedelta(days=20)).timestamp()
    os.utime(broken, (stamp, stamp))
    removed = store.purge(30, now=T0 + timedelta(days=31))
    assert removed == 1
    assert store.get(old.id) is None
    assert store.get(recent.id) is not None and store.get(old_but_touched.id) is not None
    assert broken.exists()  # unreadable: counted by its folder's time, not old enough yet
    assert store.purge(30, now=T0 + timedelta(days=70)) == 3


def test_consent_and_exports_do_not_restart_the_retention_clock(
    store: CreationStore, clock: Clock
) -> None:
    creation = store.new("drawing", "lv")
    creation.save("saved")
    clock.now = T0 + timedelta(days=3)
    creation.record_consent(clock.now)
    creation.record_export("png", clock.now)
    again = store.get(creation.id)
    assert again is not None
    assert again.updated_at == "2026-11-26T10:00:00+00:00"
    assert again.consent_at == "2026-11-29T10:00:00+00:00"
    assert again.exports == [{"format": "png", "at": "2026-11-29T10:00:00+00:00"}]


def test_delete_removes_the_folder(store: CreationStore) -> None:
    creation = store.new("drawing", "lv")
    assert store.delete(creation.id) is True
    assert not creation.folder.exists()
    assert store.delete(creation.id) is False


def test_the_kiosk_purges_old_creations_when_it_starts(tmp_path: Path) -> None:
    from kiosk.harness import Harness

    root = tmp_path / "data" / "creations"
    old = CreationStore(root, "pc", lambda: T0 - timedelta(days=40)).new("drawing", "lv")
    old.save("saved")
    recent = CreationStore(root, "pc", lambda: T0 - timedelta(days=2)).new("film", "lv")
    with Harness(data_folder=tmp_path / "data"):  # its clock starts at T0
        for thread in threading.enumerate():
            if thread.name == "creations-purge":
                thread.join(10)
    assert not old.folder.exists()
    assert recent.folder.exists()
