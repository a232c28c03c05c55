"""The librarian panel's office sync block, through the headless kiosk with its real sync
service and a real office: "Sync now", what it says afterwards and after a restart, a
refused token, and that every message fits at every screen size in every language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pygame
import pytest
from sync_helpers import Kiosk, MakeKiosk, OfficeServer, kiosk_totals, pending, recent

from kiosk import routes
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.i18n import LANGUAGES
from kiosk.librarian.pin import set_pin
from kiosk.scenes.panel import Panel
from kiosk.sync.service import SyncStatus

PIN = "2468"
TIMEOUT_S = 30


def _open_panel(kiosk: Harness) -> Panel:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in PIN:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    panel = kiosk.app.scene(routes.Panel)
    assert isinstance(panel, Panel)
    return panel


def _harness(station: Kiosk, lang: str = "en") -> Harness:
    set_pin(station.folder / "secrets.json", PIN)
    return Harness(station.config, sink=station.store, data_folder=station.data_dir, lang=lang)


def _settle(kiosk: Harness, panel: Panel, until: str) -> None:
    """Step frames until a sync line contains `until` (the worker is a real thread)."""
    import time

    deadline = time.monotonic() + TIMEOUT_S
    while not any(until in line for line in panel.sync_text):
        assert time.monotonic() < deadline, panel.sync_text
        assert kiosk.app.scene(routes.Panel) is panel  # not closed for idleness meanwhile
        kiosk.step(16, dt=1 / 32)  # half a second: the panel looks at the status once
        # Real time for the worker thread: a busy frame loop would also run the fake
        # clock into the panel's 2-minute idle close before the worker gets its turn.
        time.sleep(0.02)


def test_sync_now_on_the_panel_sends_the_totals_and_shows_the_result(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    station = make_kiosk()
    station.play(recent(1, 9))
    waiting = pending(station.db_path)
    kiosk = _harness(station)
    try:
        sync = kiosk.app.sync
        assert sync is not None
        panel = _open_panel(kiosk)
        _settle(kiosk, panel, f"{waiting} rows are waiting to be sent.")
        assert "Nothing has been sent to the office yet." in panel.sync_text
        kiosk.tap_button("panel:sync-now")
        assert kiosk.find_button("panel:sync-now").label in ("Syncing…", "Sync now")
        assert sync.wait_for_attempt(1, TIMEOUT_S)
        _settle(kiosk, panel, "Last sent to the office: today at")
        assert "Nothing is waiting to be sent." in panel.sync_text
        assert kiosk.find_button("panel:sync-now").label == "Sync now"
    finally:
        kiosk.close()
    assert office.totals(site_token) == kiosk_totals(station.db_path, station.station)

    # After a restart the panel still knows (kept in the usage database).
    station.store = station.open_store()
    kiosk = _harness(station, lang="lv")
    try:
        panel = _open_panel(kiosk)
        _settle(kiosk, panel, "Pēdējoreiz nosūtīts birojam:")
        assert "Nekas negaida nosūtīšanu." in panel.sync_text
    finally:
        kiosk.close()


def test_a_refused_token_is_shown_in_plain_words(
    make_kiosk: MakeKiosk, office: OfficeServer
) -> None:
    station = make_kiosk(token="not-the-right-token-at-all")
    station.play(recent(1, 9))
    kiosk = _harness(station)
    try:
        panel = _open_panel(kiosk)
        kiosk.tap_button("panel:sync-now")
        assert kiosk.app.sync is not None and kiosk.app.sync.wait_for_attempt(1, TIMEOUT_S)
        _settle(kiosk, panel, "refused the site token")
        assert (
            "The office refused the site token — ask the coordinator for a new one."
            in panel.sync_text
        )
        assert "not-the-right-token-at-all" not in " ".join(panel.sync_text)
    finally:
        kiosk.close()


def test_without_an_office_address_the_panel_says_sync_is_not_set_up(tmp_path: Path) -> None:
    config = parse_config("{}", str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    with Harness(config, lang="en") as kiosk:
        assert kiosk.app.sync is None
        panel = _open_panel(kiosk)
        assert panel.sync_text == ["Not set up: there is no office address in the config."]
        with pytest.raises(LookupError):
            kiosk.find_button("panel:sync-now")


# ----- every message fits -----------------------------------------------------------------


@dataclass
class ShownStatus:
    """A status snapshot for the panel to lay out (the layout sweep needs every state at
    every size; the states themselves come from the real service in the tests above)."""

    snapshot: SyncStatus

    def status(self) -> SyncStatus:
        return self.snapshot

    def refresh(self) -> None:
        pass

    def sync_now(self) -> int:
        return 0


LONGEST_STATES = {
    "unreachable": SyncStatus(last_error="unreachable", rows_waiting=12_345, retry_in_s=700),
    "tls": SyncStatus(last_error="tls", rows_waiting=2, retry_in_s=3000, last_conflicts=21),
    "refused": SyncStatus(last_error="token_rejected", rows_waiting=1, last_conflicts=1),
    "token-file": SyncStatus(last_error="token_file", rows_waiting=0),
    "rejected": SyncStatus(last_error="rejected", last_error_status=413, rows_waiting=5),
    "database": SyncStatus(last_error="database"),
    "bad-address": SyncStatus(last_error="bad_address"),
    "running": SyncStatus(running=True, rows_waiting=3),
}


@pytest.fixture
def sweep_config(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "token.txt").write_text("a-token-for-layout-only", encoding="utf-8")
    set_pin(tmp_path / "secrets.json", PIN)
    yield tmp_path


@pytest.mark.parametrize("size", [(1366, 768), (1280, 1024), (3840, 2160)], ids=str)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_sync_message_fits_on_the_panel(
    sweep_config: Path, size: tuple[int, int], lang: str
) -> None:
    config = parse_config(
        "sync: {office_url: 'http://127.0.0.1:9', token_file: token.txt}\n",
        str(sweep_config / "config.yaml"),
    )
    with Harness(config, size=size, lang=lang, data_folder=sweep_config / "data") as kiosk:
        panel = _open_panel(kiosk)
        screen = pygame.Rect(0, 0, *size)
        when = kiosk.clock.wall() - timedelta(days=3)
        for name, status in LONGEST_STATES.items():
            for success in (None, when):
                snapshot = SyncStatus(**{**status.__dict__, "last_success_at": success})
                panel.sync = ShownStatus(snapshot)  # type: ignore[assignment]
                kiosk.step(20, dt=1 / 30)
                kiosk.screenshot()
                assert kiosk.app.ui.text.overflows == [], f"{name}: {kiosk.app.ui.text.overflows}"
                assert len(panel.sync_text) >= 2, name
                button = kiosk.find_button("panel:sync-now")
                assert screen.contains(button.rect)
                label = "Syncing…" if status.running else "Sync now"
                assert button.label == kiosk.app.translator.gettext(label)
                others = [b for b in kiosk.buttons() if b is not button]
                assert not any(button.rect.colliderect(b.rect) for b in others)
