"""The controller count of a group session, from the kiosk's SQLite to the coordinators'
dashboard, over the real office on loopback (SQLite and PostgreSQL) — and the protocol
addition that carries it (docs/protocol.md, "Additions"), both ways compatible: a new
kiosk keeps delivering to an office from before the addition, the counts follow once that
office is upgraded, and an office put back to an older version still gets the totals."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pygame
import pytest
from sqlalchemy import func, select
from sync_helpers import (
    Kiosk,
    MakeKiosk,
    OfficeServer,
    kiosk_controller_totals,
    kiosk_totals,
    pending,
    recent,
)

from kiosk.cli import main
from kiosk.office.auth import create_coordinator
from kiosk.office.models import SessionTotal
from kiosk.sessions import SessionManager
from kiosk.sync.client import OfficeClient, PushResult, push_pending
from kiosk.usage.outbox import Outbox
from tests.office.test_dashboard import LOGIN, PASSWORD, Page, log_in


def _now() -> datetime:
    return datetime.now(UTC)


def _clock(start: datetime) -> Callable[[], datetime]:
    """A wall clock that moves 7 minutes each time it is read."""
    moments: Iterator[datetime] = (start + timedelta(minutes=7 * n) for n in range(10_000))
    return lambda: next(moments)


def _group_with_pads(kiosk: Kiosk, start: datetime, controllers: int, headcount: int = 12) -> None:
    """A librarian's group session whose setup's Controllers step had `controllers` teams
    join, playing a quiz; then a solo child. Through the shell's own SessionManager."""
    manager = SessionManager(kiosk.store, _clock(start))
    manager.start_session("group", headcount, "9-11", "lv", controllers=controllers)
    manager.start_run("quiz")
    manager.end_run("completed")
    manager.start_run("memory")
    manager.end_run("quit")
    manager.end_session("librarian")
    manager.start_session("solo", 1, None, "lv")
    manager.start_run("jigsaw")
    manager.end_run("completed")
    manager.end_session("home")
    assert kiosk.store.flush(30)


def _push(kiosk: Kiosk) -> PushResult:
    with Outbox.open(kiosk.data_dir) as outbox, OfficeClient(kiosk.office_url) as office:
        return push_pending(outbox, office, kiosk.config, now=_now)


def _accepts(kiosk: Kiosk) -> frozenset[str]:
    with Outbox.open(kiosk.data_dir) as outbox:
        return outbox.office_accepts()


def _write_config(kiosk: Kiosk, office: OfficeServer) -> Path:
    path = kiosk.folder / "config.yaml"
    path.write_text(
        f"site: {{id: ludza, timezone: Europe/Riga}}\nstation: {{id: {kiosk.station}}}\n"
        f"storage: {{data_dir: '{kiosk.data_dir}'}}\n"
        f"sync: {{office_url: '{office.url}', token_file: site-token.txt}}\n",
        encoding="utf-8",
    )
    return path


def _office_rows(office: OfficeServer) -> list[tuple[str, int, int, int]]:
    """(kind, sessions, sessions with controllers, controllers) summed per kind, as stored."""
    table = SessionTotal.__table__
    statement = (
        select(
            table.c.session_kind,
            func.sum(table.c.sessions),
            func.sum(table.c.sessions_with_controllers),
            func.sum(table.c.controllers),
        )
        .group_by(table.c.session_kind)
        .order_by(table.c.session_kind)
    )
    with office.engine.connect() as connection:
        return [(kind, int(a), int(b), int(c)) for kind, a, b, c in connection.execute(statement)]


def test_a_group_with_three_controllers_reaches_the_office_dashboard_and_export(
    make_kiosk: MakeKiosk,
    office: OfficeServer,
    site_token: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pc = make_kiosk()
    config = _write_config(pc, office)
    _group_with_pads(pc, recent(1, 9), controllers=3)

    # The kiosk's SQLite: the session keeps its count, the hour's totals count it.
    with sqlite3.connect(pc.db_path) as db:
        assert sorted(db.execute("SELECT kind, controllers FROM sessions"), key=str) == [
            ("group", 3),
            ("solo", None),
        ]
    assert list(kiosk_controller_totals(pc.db_path, pc.station).values()) == [(1, 3)]

    # `kiosk sync`: the kiosk has never heard from this office, so it checks in first and
    # then sends every row once, the count included.
    waiting = pending(pc.db_path)
    assert main(["sync", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert f"Batch 1: {waiting} row(s) sent; the office: {waiting} imported, 0 updated" in out
    assert f"Done: {waiting} row(s) sent in 1 batch(es)." in out
    assert "sent again" not in out
    assert pending(pc.db_path) == 0 and _accepts(pc) == {"controllers"}

    # The office's database, and its API, hold exactly the kiosk's numbers.
    assert _office_rows(office) == [("group", 1, 1, 3), ("solo", 1, 0, 0)]
    assert office.controller_totals(site_token) == kiosk_controller_totals(pc.db_path, pc.station)
    assert office.totals(site_token) == kiosk_totals(pc.db_path, pc.station)

    # The coordinators' dashboard shows the group figures; the CSV carries the columns.
    create_coordinator(office.engine, LOGIN, PASSWORD)
    with httpx.Client(base_url=office.url, timeout=30) as browser:
        assert log_in(browser).status_code == 303
        page = Page(browser.get("/?lang=en&group_by=site,session_kind").text)
        assert page.columns[-2:] == ["sessions_with_controllers", "controllers"]
        assert [row[-2:] for row in page.rows] == [["1", "3"], ["0", "0"]]  # group, solo
        assert "Sessions with game controllers: 1 · Controllers in them: 3" in page.all_text
        lithuanian = Page(browser.get("/?lang=lt").text)
        assert "Sesijos su žaidimų valdikliais: 1 · Valdiklių jose: 3" in lithuanian.all_text
        download = browser.get(page.links["download-csv"])
        lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines[0][-2:] == ["sessions_with_controllers", "controllers"]
    assert [line[1:2] + line[-2:] for line in lines[1:]] == [
        ["group", "1", "3"],
        ["solo", "0", "0"],
    ]

    # Nothing is sent twice: the next sync has nothing to do.
    assert main(["sync", "--config", str(config)]) == 0
    assert "Done: 0 row(s) sent in 1 batch(es)." in capsys.readouterr().out


def test_a_new_kiosk_delivers_to_an_office_from_before_the_addition_and_counts_follow_its_upgrade(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    office.stop()
    office.before_additions = True
    office.start()
    pc = make_kiosk()
    _group_with_pads(pc, recent(2, 10), controllers=3)

    first = _push(pc)
    assert first.error is None and pending(pc.db_path) == 0
    assert office.old_office is not None and office.old_office.refused == 0
    assert office.totals(site_token) == kiosk_totals(pc.db_path, pc.station)
    assert _office_rows(office) == [("group", 1, 0, 0), ("solo", 1, 0, 0)]
    assert _accepts(pc) == frozenset()

    # Another group with pads while the office is still old: delivered the same way.
    _group_with_pads(pc, recent(1, 15), controllers=2)
    assert _push(pc).error is None and office.old_office.refused == 0
    assert office.totals(site_token) == kiosk_totals(pc.db_path, pc.station)

    # The office is upgraded (office first, then kiosks — here the kiosk was first).
    office.stop()
    office.before_additions = False
    office.start()
    upgraded = _push(pc)
    assert upgraded.error is None
    assert upgraded.requeued == 2  # the two group rows, sent again with their counts
    assert [(s.updated, s.unchanged) for _b, s in upgraded.batches] == [(0, 0), (2, 0)]
    assert pending(pc.db_path) == 0 and _accepts(pc) == {"controllers"}
    assert office.controller_totals(site_token) == kiosk_controller_totals(pc.db_path, pc.station)
    assert sorted(office.controller_totals(site_token).values()) == [(1, 2), (1, 3)]
    assert office.totals(site_token) == kiosk_totals(pc.db_path, pc.station)
    assert _push(pc).rows_sent == 0


def test_an_office_put_back_to_an_older_version_still_gets_the_totals(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    _group_with_pads(pc, recent(2, 10), controllers=4, headcount=20)
    assert _push(pc).error is None and _accepts(pc) == {"controllers"}

    # The office is restored from an older installation; the kiosk still thinks it takes
    # the counts, sends them once, is refused, and sends the same rows again without.
    office.stop()
    office.before_additions = True
    office.start()
    _group_with_pads(pc, recent(1, 11), controllers=2)
    result = _push(pc)
    assert result.error is None
    assert office.old_office is not None and office.old_office.refused == 1
    assert pending(pc.db_path) == 0 and _accepts(pc) == frozenset()
    assert office.totals(site_token) == kiosk_totals(pc.db_path, pc.station)
    assert _push(pc).error is None and office.old_office.refused == 1


def test_a_usb_file_carries_the_counts_and_the_online_sync_after_it_changes_nothing(
    make_kiosk: MakeKiosk,
    office: OfficeServer,
    site_token: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pc = make_kiosk()
    config = _write_config(pc, office)
    _group_with_pads(pc, recent(3, 12), controllers=3)
    stick = tmp_path / "usb"
    stick.mkdir()
    assert main(["sync", "--config", str(config), "--export", str(stick / "telpa.json")]) == 0
    body = json.loads((stick / "telpa.json").read_text(encoding="utf-8"))
    group = [row for row in body["session_totals"] if row["session_kind"] == "group"]
    solo = [row for row in body["session_totals"] if row["session_kind"] == "solo"]
    assert [(r["sessions_with_controllers"], r["controllers"]) for r in group] == [(1, 3)]
    assert "controllers" not in solo[0]  # 0 is left out: the row is plain v1
    capsys.readouterr()
    assert main(["office", "--db", office.db_url, "import", str(stick / "telpa.json")]) == 0
    assert "0 ignored" in capsys.readouterr().out
    assert office.controller_totals(site_token) == kiosk_controller_totals(pc.db_path, pc.station)

    result = _push(pc)
    assert result.error is None
    sent = sum(len(batch) for batch, _s in result.batches)
    assert [(s.imported, s.updated, s.unchanged) for _b, s in result.batches] == [(0, 0, sent)]
    assert office.controller_totals(site_token) == kiosk_controller_totals(pc.db_path, pc.station)


def test_three_pads_join_in_the_librarians_setup_and_the_count_reaches_the_office(
    tmp_path: Path, office: OfficeServer, site_token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole way through the real kiosk: three SDL virtual pads press A in the group
    setup's Controllers step, the librarian ends the group from the panel, the session is
    read back from SQLite with its count, and `kiosk sync` brings it to the office."""
    from games.quiz import PictureQuiz
    from kiosk.activities import RegisteredActivity
    from kiosk.config import parse_config
    from kiosk.harness import Harness
    from kiosk.librarian.pin import set_pin
    from kiosk.usage import UsageStore
    from tests.conftest import RecordedSink
    from tests.pads.team_helpers import (
        PIN,
        QUIZ_PACKS,
        A,
        controllers_step,
        joined,
        plug,
        press,
    )

    folder = tmp_path / "station"
    folder.mkdir()
    (folder / "site-token.txt").write_text(site_token + "\n", encoding="utf-8")
    data = folder / "data"
    config_file = folder / "config.yaml"
    config_file.write_text(
        "site: {id: ludza, timezone: Europe/Riga}\nstation: {id: ludza-wb-1}\n"
        f"storage: {{data_dir: '{data}'}}\ncontent:\n  folders: ['{QUIZ_PACKS}']\n"
        f"sync: {{office_url: '{office.url}', token_file: site-token.txt}}\n",
        encoding="utf-8",
    )
    config = parse_config(config_file.read_text(encoding="utf-8"), path=str(config_file))
    set_pin(folder / "secrets.json", PIN)
    store = UsageStore.open(data, config)
    with Harness(
        config,
        sink=RecordedSink(store),
        usage=store,
        data_folder=data,
        registered=[RegisteredActivity(PictureQuiz, "tests")],
    ) as kiosk:
        kiosk.app.packs.wait()
        from kiosk.virtual_pads import VirtualPads

        with VirtualPads() as pads:
            fox, bear, frog = plug(kiosk, pads, 3)
            step = controllers_step(kiosk)
            for pad in (fox, bear, frog):
                press(kiosk, pad, A)
            assert len(joined(step)) == 3
            kiosk.tap_button("controllers:start")
            assert kiosk.scene_name == "Launcher"
            kiosk.wait(90, dt=1.0)
            kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
            for digit in PIN:
                kiosk.tap_button(f"pin:{digit}")
            kiosk.tap_button("pin:ok")
            kiosk.tap_button("panel:group-end")
            assert kiosk.scene_name == "Attract"
    assert store.flush(30)
    store.close()

    db_path = data / "usage.db"
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT kind, controllers, end_reason FROM sessions").fetchall() == [
            ("group", 3, "librarian")
        ]
    assert list(kiosk_controller_totals(db_path, "ludza-wb-1").values()) == [(1, 3)]

    assert main(["sync", "--config", str(config_file)]) == 0
    assert "Done: 1 row(s) sent in 1 batch(es)." in capsys.readouterr().out
    assert _office_rows(office) == [("group", 1, 1, 3)]
    assert office.controller_totals(site_token) == kiosk_controller_totals(db_path, "ludza-wb-1")
