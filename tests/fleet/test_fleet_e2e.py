"""End to end: the real office over loopback (SQLite, and PostgreSQL when
$TELPA_TEST_POSTGRES_URL is set), a Ludza kiosk and a Rokiškis kiosk in the headless
harness. A pack published for Ludza reaches Ludza's kiosk at its next attract screen (not
in the middle of a child's visit) and not Rokiškis'; an unchanged manifest costs one 304;
settings from the office apply at the attract screen, and outside the opening hours the
attract screen says the room is closed and records nothing."""

from __future__ import annotations

import io
from pathlib import Path

import httpx

from kiosk.cli import main
from kiosk.config import Config, load_config
from kiosk.fleet.client import sync_content
from kiosk.harness import Harness
from kiosk.usage.stats import run_db_upgrade
from tests.fleet.conftest import make_pack, station_config


def _office(db: str, *args: str) -> None:
    assert main(["office", "--db", db, *args]) == 0


def _station(
    tmp_path: Path, site: str, station: str, office: str, token: str
) -> tuple[Config, Path]:
    path = station_config(tmp_path, site, station, office, token)
    return load_config(path), path.parent / "data"


def _pack_ids(kiosk: Harness) -> set[str]:
    assert kiosk.app.packs.wait(30)
    return {pack.pack for pack in kiosk.app.packs.ready()}


def _start_visit(kiosk: Harness) -> None:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    assert kiosk.scene_name == "Launcher"


def test_a_pack_for_ludza_shows_at_ludzas_next_attract_screen_and_not_at_rokiskis(
    tmp_path: Path, office_server: str, office_db: str, site_token: str, other_site_token: str
) -> None:
    ludza, ludza_data = _station(tmp_path, "ludza", "ludza-pc-1", office_server, site_token)
    rokiskis, rokiskis_data = _station(
        tmp_path, "rokiskis", "rokiskis-pc-1", office_server, other_site_token
    )
    assert run_db_upgrade(ludza_data, io.StringIO()) == 0  # as `kiosk db upgrade`
    with Harness(config=ludza, data_folder=ludza_data, lang="en") as kiosk:
        assert "fire-station" not in _pack_ids(kiosk)
        _start_visit(kiosk)
        _office(
            office_db, "publish-pack", str(make_pack(tmp_path, "fire-station")), "--site", "ludza"
        )
        # The kiosk's own background sync: totals first, then packs and settings.
        assert kiosk.app.sync is not None
        assert kiosk.app.sync.wait_for_attempt(kiosk.app.sync.sync_now(), timeout=60)
        assert kiosk.app.sync.status().last_error == ""
        kiosk.step(5)
        assert "fire-station" not in _pack_ids(kiosk), "never in the middle of a visit"
        kiosk.tap_button("bye")
        assert kiosk.scene_name == "Attract"
        assert "fire-station" in _pack_ids(kiosk)
        _start_visit(kiosk)
        kiosk.tap_button("tile:quiz")
        assert kiosk.find_button("topic:fire-station").label == "Fire station"

    responses: list[int] = []
    http = httpx.Client(event_hooks={"response": [lambda r: responses.append(r.status_code)]})
    assert sync_content(ludza, ludza_data, http=http).unchanged
    assert responses == [304], "an unchanged manifest costs one request, answered 304"
    http.close()

    with Harness(config=rokiskis, data_folder=rokiskis_data) as kiosk:
        sync_content(rokiskis, rokiskis_data)
        _start_visit(kiosk)
        kiosk.tap_button("bye")
        assert "fire-station" not in _pack_ids(kiosk)


def test_office_settings_apply_at_the_next_attract_screen_never_mid_visit(
    tmp_path: Path, office_server: str, office_db: str, site_token: str
) -> None:
    config, data = _station(tmp_path, "ludza", "ludza-wb-1", office_server, site_token)
    library = tmp_path / "ludza.yaml"
    library.write_text(
        "session: {idle_timeout_s: 300}\n"
        "languages: {available: [lv, en], default: en}\n"
        "activities: {hidden: [memory]}\n"
        "group: {headcount: 25, minutes: 45}\n",
        encoding="utf-8",
    )
    _office(office_db, "set-settings", "--site", "ludza", str(library))
    with Harness(config=config, data_folder=data) as kiosk:
        _start_visit(kiosk)
        sync_content(config, data)
        kiosk.step(3)
        assert kiosk.app.config.session.idle_timeout_s == 90
        assert kiosk.find_button("tile:memory")
        kiosk.tap_button("bye")
        assert kiosk.app.config.session.idle_timeout_s == 300
        assert kiosk.app.translator.languages == ("lv", "en")
        assert kiosk.app.translator.lang == "en"
        assert [b.id for b in kiosk.buttons() if b.id.startswith("lang:")] == ["lang:lv", "lang:en"]
        assert kiosk.app.group_defaults() == {"headcount": 25, "minutes": 45}
        _start_visit(kiosk)
        assert "tile:memory" not in {b.id for b in kiosk.buttons()}
    # The station's own file still says what IT wrote.
    assert config.session.idle_timeout_s == 90


def test_outside_opening_hours_the_attract_screen_says_closed_and_records_nothing(
    tmp_path: Path, office_server: str, office_db: str, site_token: str
) -> None:
    config, data = _station(tmp_path, "ludza", "ludza-pc-1", office_server, site_token)
    hours = tmp_path / "hours.yaml"
    # The harness's clock starts on Thursday 26 November 2026, 12:00 in Riga.
    hours.write_text("opening_hours: {thu: '14:00-18:00'}\n", encoding="utf-8")
    _office(office_db, "set-settings", "--site", "ludza", str(hours))
    sync_content(config, data)
    with Harness(config=config, data_folder=data, lang="en") as kiosk:
        assert kiosk.find_button("start").label == "The room is closed now"
        kiosk.tap_button("start")
        kiosk.click((20, 700))
        assert kiosk.scene_name == "Attract"
        assert kiosk.sink.events == []
        kiosk.wait(2 * 3600 + 60, dt=10.0)  # 14:01: open
        assert kiosk.find_button("start").label == "Touch to start"
        kiosk.tap_button("start")
        assert kiosk.scene_name == "AgePicker"
        assert [type(e).__name__ for e in kiosk.sink.events][:1] == ["SessionStarted"], (
            kiosk.sink.events
        )
