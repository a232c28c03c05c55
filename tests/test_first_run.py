"""Trying Telpa on one's own PC: the demo can be left, a real station cannot without the
PIN, no screen means a clear exit 2, and the terminal stays free of the sound system's
chatter."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest

from kiosk import routes
from kiosk.config import load_config
from kiosk.harness import Harness
from kiosk.librarian.pin import secrets_path, set_pin
from kiosk.paths import DEFAULT_CONFIG
from kiosk.system import stderr_to_log

DEMO_NOTICE = "Demo: no PIN is set. A real station must have one: kiosk set-pin"


@pytest.fixture
def installed_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Telpa's embedded demo config, as installed in a program folder of its own, on a
    machine whose own folders are in tmp_path (so no PIN a developer set for the demo
    gets in the way)."""
    for name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KIOSK_SCOPE", "user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    program = tmp_path / "program"
    program.mkdir()
    config = program / "config.yaml"
    shutil.copyfile(DEFAULT_CONFIG, config)
    monkeypatch.setattr("kiosk.paths.DEFAULT_CONFIG", config)
    return config


def _librarian_key(kiosk: Harness) -> None:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)


def test_without_a_pin_the_demo_opens_the_panel_with_a_notice_and_can_be_left(
    installed_demo: Path,
) -> None:
    config = load_config(installed_demo)
    assert not secrets_path(config.source).exists()
    with Harness(config, lang="en") as kiosk:
        _librarian_key(kiosk)
        assert kiosk.scene_name == "Panel"
        panel = kiosk.app.scene(routes.Panel)
        assert panel is not None
        assert panel.warnings[0] == DEMO_NOTICE  # type: ignore[attr-defined]
        kiosk.tap_button("panel:exit")
        assert not kiosk.app.running


def test_with_a_pin_the_demo_asks_for_it(installed_demo: Path) -> None:
    config = load_config(installed_demo)
    set_pin(secrets_path(config.source), "5831")
    with Harness(config, lang="en") as kiosk:
        _librarian_key(kiosk)
        assert kiosk.scene_name == "PinPad"
        for digit in "5831":
            kiosk.tap_button(f"pin:{digit}")
        kiosk.tap_button("pin:ok")
        panel = kiosk.app.scene(routes.Panel)
        assert panel is not None
        assert DEMO_NOTICE not in panel.warnings  # type: ignore[attr-defined]


@pytest.mark.parametrize("site", ["demo", "ludza"])
def test_without_a_pin_a_station_config_stays_locked(
    installed_demo: Path, tmp_path: Path, site: str
) -> None:
    # A station's own config — even an unchanged copy of the demo file — is a real station.
    station = tmp_path / "station" / "telpa.yaml"
    station.parent.mkdir()
    text = installed_demo.read_text(encoding="utf-8").replace("id: demo\n", f"id: {site}\n")
    station.write_text(text, encoding="utf-8")
    with Harness(load_config(station), lang="en") as kiosk:
        _librarian_key(kiosk)
        assert kiosk.scene_name == "PinPad"
        assert [b.id for b in kiosk.buttons()] == ["pin:close"]
        assert kiosk.app.scene(routes.Panel) is None


def _run_kiosk(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "SDL_AUDIODRIVER")
    }
    environment.update(env, KIOSK_DATA_DIR=str(tmp_path / "data"))
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", *args],
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="DISPLAY and ALSA are Linux matters"
)


@linux_only
@pytest.mark.parametrize("windowed", [False, True])
def test_with_no_display_kiosk_run_says_so_and_exits_2(tmp_path: Path, windowed: bool) -> None:
    process = _run_kiosk(tmp_path, {}, *(["--windowed"] if windowed else []))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert out == ""
    assert err.splitlines() == [err.strip()]
    assert err.startswith("kiosk: no screen to show the kiosk on")
    assert "kiosk run --windowed" in err


@linux_only
def test_a_display_that_cannot_be_opened_ends_supervision_with_exit_2(tmp_path: Path) -> None:
    # DISPLAY names an X server that is not there: SDL falls back to drawing into memory.
    process = _run_kiosk(tmp_path, {"DISPLAY": ":4567"})
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert [line for line in err.splitlines() if line.strip()] == [err.strip()]
    assert err.startswith("kiosk: no screen to show the kiosk on")
    supervisor_log = (tmp_path / "data" / "logs" / "supervisor.log").read_text(encoding="utf-8")
    assert "refused to start (status 2)" in supervisor_log
    assert "restarting" not in supervisor_log


@linux_only
def test_kiosk_run_keeps_the_sound_systems_messages_out_of_the_terminal(tmp_path: Path) -> None:
    # The real sound drivers, as on a library PC; this machine has no sound card, which is
    # what makes libasound print "ALSA lib … Unknown PCM default".
    process = _run_kiosk(tmp_path, {"SDL_VIDEODRIVER": "dummy"}, "--size", "1280x720")
    log = tmp_path / "data" / "logs" / "kiosk.log"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and "kiosk.sound: sound is" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)  # polling a real process, not pacing a test clock
        else:
            raise AssertionError("the kiosk never started its sound")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "ALSA" not in err and "ALSA" not in out
    assert err == ""


def test_what_c_libraries_write_to_stderr_during_sound_start_goes_to_the_log(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # The same path as libasound's messages, for machines whose sound card makes none.
    caplog.set_level(logging.INFO, logger="kiosk.test")
    with stderr_to_log(logging.getLogger("kiosk.test"), "sound start-up"):
        os.write(2, b"ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
    assert [r.getMessage() for r in caplog.records] == [
        "sound start-up: ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default"
    ]
