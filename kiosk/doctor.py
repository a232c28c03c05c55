"""`kiosk doctor`: everything an IT person checks on a station, one line each.

Each check is a small function of the `Station` it looks at, returning a `Finding`: OK,
WARN (the kiosk works, but something is missing or will bite later) or FAIL (something
the kiosk or the library needs does not work), with what was found and what to do — in
the station's default language (`languages.default`, or `--lang`). The exit code is 0
when nothing fails, 1 otherwise. docs/station-setup.md explains every line.

The doctor changes nothing: the usage database is opened read-only through
`kiosk.usage.check_database`, the office is asked the harmless questions of
`kiosk.office_check`, and the only file written is a small probe in the data folder,
removed at once.

Over 500 lines because it is one flat list of independent checks, each short and each
read on its own next to its line in docs/station-setup.md; splitting them by theme would
only scatter that list.
"""

from __future__ import annotations

import errno
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TextIO

from kiosk import __version__
from kiosk.config import Config, ConfigError, data_dir, find_config, load_config, parse_config

Status = Literal["OK", "WARN", "FAIL"]
#: Below these, free space on the data folder's drive is a warning, then a failure.
WARN_FREE_BYTES = 1024**3
FAIL_FREE_BYTES = 100 * 1024**2
#: Bytes the data folder's probe writes: enough to notice a disk with no room left.
PROBE_BYTES = 64 * 1024
#: The smallest screen Telpa's layouts are made for (DESIGN: 1366×768 up to 3840×2160).
SMALLEST_SCREEN = (1366, 768)


@dataclass(frozen=True)
class Finding:
    status: Status
    label: str
    message: str
    todo: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.label}: {self.message}"
        return f"{text} — {self.todo}" if self.todo else text


@dataclass
class Station:
    """What the checks look at, and how they speak."""

    config: Config
    #: Why the config in use could not be read (then `config` is the defaults).
    config_problem: str | None
    embedded: bool
    data: Path
    gettext: Callable[[str], str]
    now: Callable[[], datetime]
    http: Any = None
    _office: Any = field(default=None, repr=False)

    def office(self) -> Any:
        """The office's answers (`kiosk.office_check.OfficeCheck`), asked once."""
        if self._office is None:
            from kiosk.office_check import check_office
            from kiosk.sync.client import SyncError, read_token, token_path

            try:
                token: str | None = read_token(token_path(self.config))
            except SyncError:
                token = None
            assert self.config.sync.office_url is not None
            self._office = check_office(
                self.config.sync.office_url,
                token,
                self.config.site.id,
                self.config.station.id,
                now=self.now,
                http=self.http,
            )
        return self._office


Check = Callable[[Station], Finding]


# ----- config and display ---------------------------------------------------------------


def check_config(station: Station) -> Finding:
    _ = station.gettext
    label = _("Config")
    if station.config_problem is not None:
        return Finding(
            "FAIL",
            label,
            station.config_problem,
            _("Fix that line (or run kiosk setup again); the checks below use the defaults."),
        )
    path = str(station.config.source)
    if station.embedded:
        return Finding(
            "WARN",
            label,
            _("this station runs the demo config; it has no config of its own"),
            _("Run kiosk setup."),
        )
    return Finding("OK", label, _("using %(path)s") % {"path": path})


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def check_display(station: Station) -> Finding:
    _ = station.gettext
    label = _("Display")
    from kiosk.system import missing_display, stderr_to_log

    if missing_display() is not None:
        return Finding(
            "WARN",
            label,
            _(
                "no screen in this session (a remote or text-only session?), "
                "so it cannot be checked"
            ),
            _("Run kiosk doctor on the station's own screen."),
        )
    import pygame

    try:
        with stderr_to_log(_log(), "display check"):
            pygame.display.init()
        sizes = pygame.display.get_desktop_sizes()
        driver = pygame.display.get_driver()
    except pygame.error as exc:
        return Finding(
            "FAIL",
            label,
            _("the screen cannot be opened (%(error)s)") % {"error": exc},
            _("Check the display cable and that the desktop session is running."),
        )
    if not sizes:
        return Finding(
            "FAIL",
            label,
            _("no screen is connected"),
            _("Check the display cable and that the desktop session is running."),
        )
    screen = tuple(sizes[0])
    wanted = station.config.window_size()
    mode = _size(wanted) if wanted else _size((screen[0], screen[1]))
    values = {"screen": _size((screen[0], screen[1])), "mode": mode, "driver": driver}
    if driver in ("dummy", "offscreen"):
        return Finding(
            "WARN",
            label,
            _("SDL's %(driver)s driver shows nothing (SDL_VIDEODRIVER is set)") % values,
            _("Unset SDL_VIDEODRIVER to check the real screen."),
        )
    if wanted and (wanted[0] > screen[0] or wanted[1] > screen[1]):
        return Finding(
            "WARN",
            label,
            _("display.size %(mode)s is larger than the screen, %(screen)s") % values,
            _("Set the size to the screen's own: kiosk setup --size auto."),
        )
    if screen[0] < SMALLEST_SCREEN[0] or screen[1] < SMALLEST_SCREEN[1]:
        return Finding(
            "WARN",
            label,
            _("the screen is %(screen)s, smaller than 1366x768; some texts will be cramped")
            % values,
            _("Choose at least 1366x768 in the system's display settings."),
        )
    return Finding("OK", label, _("screen %(screen)s; Telpa fills it at %(mode)s") % values)


def _log() -> Any:
    import logging

    return logging.getLogger(__name__)


# ----- input, camera and sound ----------------------------------------------------------


def check_touch(station: Station) -> Finding:
    _ = station.gettext
    label = _("Touch")
    from kiosk.system import missing_display, stderr_to_log

    try:
        if missing_display() is not None:
            raise RuntimeError("no screen")
        import pygame
        from pygame._sdl2 import touch

        with stderr_to_log(_log(), "touch check"):
            pygame.display.init()
        count = touch.get_num_devices()
    except Exception:  # noqa: BLE001 - SDL sees touch devices only through a screen
        return Finding(
            "WARN",
            label,
            _(
                "no screen in this session (a remote or text-only session?), "
                "so it cannot be checked"
            ),
            _("Run kiosk doctor on the station's own screen."),
        )
    if count:
        return Finding("OK", label, _("touch devices: %(n)d") % {"n": count})
    return Finding("OK", label, _("no touch screen (mouse and keyboard)"))


def check_controllers(station: Station) -> Finding:
    _ = station.gettext
    label = _("Game controllers")
    try:
        import pygame

        pygame.joystick.init()
        names = [pygame.joystick.Joystick(i).get_name() for i in range(pygame.joystick.get_count())]
    except Exception:  # noqa: BLE001 - no joystick support: none connected
        names = []
    if names:
        return Finding("OK", label, _("found: %(names)s") % {"names": ", ".join(names)})
    return Finding("OK", label, _("none connected (Telpa does not need one)"))


def check_camera(station: Station) -> Finding:
    _ = station.gettext
    label = _("Camera")
    try:
        import pygame.camera

        pygame.camera.init()
        names = [str(name) for name in pygame.camera.list_cameras()]
    except Exception as exc:  # noqa: BLE001 - no camera backend on this system
        return Finding(
            "WARN",
            label,
            _("the camera system did not start (%(error)s)") % {"error": exc},
            _("Stop-motion films need a camera; see the log."),
        )
    if names:
        return Finding("OK", label, _("found: %(names)s") % {"names": ", ".join(names)})
    return Finding(
        "WARN",
        label,
        _("no camera found: stop-motion films cannot be made"),
        _("Connect a USB camera if this room makes stop-motion films."),
    )


def check_microphone(station: Station) -> Finding:
    _ = station.gettext
    label = _("Microphone")
    try:
        from pygame._sdl2 import audio, sdl2

        sdl2.init_subsystem(sdl2.INIT_AUDIO)
        names = [str(name) for name in audio.get_audio_device_names(True)]
    except Exception:  # noqa: BLE001 - no audio system: no microphone
        names = []
    if names:
        return Finding("OK", label, _("found: %(names)s") % {"names": ", ".join(names)})
    return Finding(
        "WARN",
        label,
        _("no microphone found: stories cannot be recorded"),
        _("Connect a microphone (or a webcam with one) if this room records stories."),
    )


def check_sound(station: Station) -> Finding:
    _ = station.gettext
    label = _("Sound")
    if not station.config.sound.enabled:
        return Finding("OK", label, _("sound is off in the config (sound.enabled)"))
    import pygame

    from kiosk.system import stderr_to_log

    try:
        with stderr_to_log(_log(), "sound check"):
            pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=512)
        init = pygame.mixer.get_init()
        if init is None:
            raise pygame.error("mixer did not start")
        pygame.mixer.quit()
    except pygame.error as exc:
        return Finding(
            "WARN",
            label,
            _("no sound output (%(error)s): the kiosk runs silently") % {"error": exc},
            _("Connect speakers and check the system's sound settings."),
        )
    return Finding("OK", label, _("sound output works (%(rate)d Hz)") % {"rate": init[0]})


# ----- disk, data folder and database ---------------------------------------------------


def _existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


def _amount(size: float) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / 1024**2:.0f} MB"


def check_free_disk(station: Station) -> Finding:
    _ = station.gettext
    label = _("Free disk space")
    where = _existing(station.data)
    try:
        free = shutil.disk_usage(where).free
    except OSError as exc:
        return Finding(
            "FAIL",
            label,
            _("cannot tell the free space at %(path)s (%(error)s)")
            % {"path": where, "error": exc.strerror or exc},
            _("Check that the data folder's drive is connected."),
        )
    values = {"free": _amount(free), "path": where}
    if free < FAIL_FREE_BYTES:
        return Finding(
            "FAIL",
            label,
            _("only %(free)s free at %(path)s") % values,
            _("Free space on this drive now: usage records and creations may be lost."),
        )
    if free < WARN_FREE_BYTES:
        return Finding(
            "WARN",
            label,
            _("only %(free)s free at %(path)s") % values,
            _("Free some space: the database, logs and creations grow."),
        )
    return Finding("OK", label, _("%(free)s free at %(path)s") % values)


def check_data_folder(station: Station) -> Finding:
    _ = station.gettext
    label = _("Data folder")
    folder = station.data
    values: dict[str, Any] = {"path": folder}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".doctor-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(b"\0" * PROBE_BYTES)
                out.flush()
                os.fsync(out.fileno())
        finally:
            Path(probe).unlink(missing_ok=True)
    except OSError as exc:
        values["reason"] = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            todo = _("The disk is full or a size limit applies: free space on this drive.")
        elif exc.errno == errno.EROFS:
            todo = _(
                "The drive is read-only: set storage.data_dir to a writable, persistent drive."
            )
        else:
            todo = _(
                "Let the kiosk's account write this folder (docs/folders.md), or set "
                "storage.data_dir to one it may write."
            )
        return Finding("FAIL", label, _("cannot write in %(path)s (%(reason)s)") % values, todo)
    return Finding("OK", label, _("%(path)s can be written") % values)


def check_database(station: Station) -> Finding:
    _ = station.gettext
    label = _("Usage database")
    from kiosk.usage import check_database as look

    report = look(station.data)
    values = {"path": report.path, "revision": report.revision, "reason": report.detail}
    if report.state == "ok":
        return Finding("OK", label, _("%(path)s is intact") % values)
    if report.state == "missing":
        return Finding(
            "WARN",
            label,
            _("none yet in the data folder (the kiosk makes it when it first starts)"),
            _("Start the kiosk once."),
        )
    if report.state == "behind":
        return Finding(
            "WARN",
            label,
            _("%(path)s has an older layout; it is upgraded when the kiosk starts") % values,
            _("Run kiosk db upgrade, or start the kiosk."),
        )
    if report.state == "too_new":
        return Finding(
            "FAIL",
            label,
            _("%(path)s was made by a newer Telpa (schema %(revision)s)") % values,
            _("Install that newer Telpa again; do not delete the file."),
        )
    if report.state == "damaged":
        return Finding(
            "FAIL",
            label,
            _("%(path)s is damaged (%(reason)s)") % values,
            _(
                "Start the kiosk: it keeps the damaged file aside and starts a new one. Tell "
                "the coordinator, since totals not yet sent are in the kept file."
            ),
        )
    return Finding(
        "FAIL",
        label,
        _("cannot read %(path)s (%(reason)s)") % values,
        _("Check the disk, the file's permissions, and that no other program holds it."),
    )


# ----- content, PIN, office, versions ---------------------------------------------------


def check_content(station: Station) -> Finding:
    _ = station.gettext
    label = _("Content packs")
    from kiosk.packs import check_packs
    from kiosk.paths import CONTENT, LIBRARY_PACKS_DIR

    library = station.data / LIBRARY_PACKS_DIR
    folders = [CONTENT, *([library] if library.is_dir() else [])]
    missing = [f for f in station.config.content.folders if not Path(f).is_dir()]
    folders += [Path(f) for f in station.config.content.folders if Path(f).is_dir()]
    count, problems = check_packs(folders)
    if missing:
        return Finding(
            "WARN",
            label,
            _("the folder %(path)s in content.folders does not exist") % {"path": missing[0]},
            _("Fix content.folders in the config, or connect that drive."),
        )
    if problems:
        return Finding(
            "WARN",
            label,
            _("problems: %(n)d (the kiosk leaves those packs out); the first: %(first)s")
            % {"n": len(problems), "first": problems[0]},
            _("Run kiosk content check for all of them and fix the files (docs/content.md)."),
        )
    return Finding("OK", label, _("packs checked: %(n)d, no problems") % {"n": count})


def check_pin(station: Station) -> Finding:
    _ = station.gettext
    label = _("Librarian PIN")
    from kiosk.librarian.pin import PinCheck, secrets_path

    path = secrets_path(station.config.source)
    if PinCheck(path).is_set():
        return Finding("OK", label, _("set (%(path)s)") % {"path": path})
    unreadable = _unreadable(path)
    if unreadable is not None:
        # The kiosk would not open the panel either, but "no PIN" would send IT staff
        # to set a new one instead of fixing the file's permissions.
        return Finding(
            "FAIL",
            label,
            _("the file %(path)s is there but this account (%(user)s) cannot read it: %(why)s")
            % {"path": path, "user": _account(), "why": unreadable},
            _(
                "Let the kiosk's account read it: on Linux sudo chgrp telpa %(path)s && "
                "sudo chmod 640 %(path)s; on Windows give that account Read on the file "
                "(docs/folders.md)."
            )
            % {"path": path},
        )
    if station.embedded:
        return Finding(
            "WARN",
            label,
            _("none: on the demo config the panel opens without one"),
            _("Run kiosk setup."),
        )
    return Finding(
        "FAIL",
        label,
        _("none is set, so the librarian cannot open the panel"),
        _("Run kiosk set-pin (or kiosk setup)."),
    )


def _unreadable(path: Path) -> str | None:
    """Why a PIN file that exists cannot be read by this process; None when it is readable
    or not there at all."""
    try:
        with open(path, "rb"):
            return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _account() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, no USERNAME on Windows
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


def _office_ready(station: Station) -> bool:
    return bool(station.config.sync.office_url and station.config.sync.token_file)


def check_office(station: Station) -> Finding:
    _ = station.gettext
    label = _("Office")
    if not _office_ready(station):
        return Finding(
            "WARN",
            label,
            _("online sync is off: the totals leave only on a USB stick"),
            _("Run kiosk setup --office URL --token-stdin, or bring USB exports to the office."),
        )
    result = station.office()
    if not result.reachable:
        return Finding(
            "FAIL",
            label,
            _("cannot reach the office: %(problem)s") % {"problem": result.problem},
            _("Check the network and the address; ask the coordinator whether the office is up."),
        )
    return Finding("OK", label, _("%(url)s answers") % {"url": result.url})


def check_token(station: Station) -> Finding:
    _ = station.gettext
    label = _("Site token")
    if not _office_ready(station):
        return Finding("OK", label, _("not needed without online sync"))
    from kiosk.sync.client import SyncError, read_token, token_path

    site = {"site": station.config.site.id}
    todo = _("Ask the coordinator for the token of %(site)s and run kiosk setup --token-stdin.")
    try:
        read_token(token_path(station.config))
    except SyncError as exc:
        return Finding("FAIL", label, str(exc), todo % site)
    result = station.office()
    if not result.reachable:
        return Finding(
            "WARN", label, _("not checked: the office cannot be reached"), _("See the Office line.")
        )
    if result.token == "accepted":
        return Finding("OK", label, _("the office accepts it for %(site)s") % site)
    if result.token == "unknown":
        return Finding("FAIL", label, _("the office does not know this token"), todo % site)
    if result.token == "other_site":
        return Finding(
            "FAIL",
            label,
            _("the token belongs to another library, not %(site)s") % site,
            todo % site,
        )
    return Finding(
        "FAIL",
        label,
        _("the office answered HTTP %(status)d to the token check")
        % {"status": result.token_status or 0},
        _("Tell the coordinator."),
    )


def check_clock(station: Station) -> Finding:
    _ = station.gettext
    label = _("Clock")
    if not _office_ready(station):
        return Finding("OK", label, _("not compared: no office"))
    result = station.office()
    if not result.reachable or result.skew_s is None:
        return Finding(
            "WARN",
            label,
            _("not compared: the office cannot be reached or sent no time"),
            _("See the Office line."),
        )
    seconds = round(abs(result.skew_s))
    if result.skew_too_large:
        return Finding(
            "WARN",
            label,
            _("this PC's clock is %(minutes)d min off the office's") % {"minutes": seconds // 60},
            _("Set this PC's time and time zone right, or turn on automatic time."),
        )
    return Finding("OK", label, _("within %(seconds)d s of the office's") % {"seconds": seconds})


def check_versions(station: Station) -> Finding:
    _ = station.gettext
    import pygame

    sdl = ".".join(str(part) for part in pygame.get_sdl_version())
    values = {
        "telpa": __version__,
        "python": platform.python_version(),
        "pygame": pygame.version.ver,
        "sdl": sdl,
        "sqlite": sqlite3.sqlite_version,
    }
    return Finding(
        "OK",
        _("Versions"),
        _(
            "Telpa %(telpa)s, Python %(python)s, pygame-ce %(pygame)s (SDL %(sdl)s), "
            "SQLite %(sqlite)s"
        )
        % values,
    )


CHECKS: tuple[Check, ...] = (
    check_config,
    check_display,
    check_touch,
    check_controllers,
    check_camera,
    check_sound,  # before the microphone: SDL's mixer wants to start the audio system itself
    check_microphone,
    check_free_disk,
    check_data_folder,
    check_database,
    check_content,
    check_pin,
    check_office,
    check_token,
    check_clock,
    check_versions,
)


# ----- the command ----------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


def station_for(
    config_path: str | None,
    lang: str | None = None,
    *,
    now: Callable[[], datetime] = _utc_now,
    http: Any = None,
) -> Station:
    """The station the config in use describes (the defaults when it cannot be read)."""
    from kiosk.i18n import load_catalog

    problem = None
    try:
        config = load_config(config_path)
        embedded = find_config(config_path).reason == "embedded"
    except ConfigError as exc:
        problem, config, embedded = str(exc), parse_config("{}", "(defaults)"), False
    language = lang or config.languages.default
    return Station(
        config=config,
        config_problem=problem,
        embedded=embedded,
        data=data_dir(config),
        gettext=load_catalog(language).gettext,
        now=now,
        http=http,
    )


def run_doctor(station: Station, out: TextIO | None = None) -> int:
    """Run every check, print one line each; 0 when none failed, else 1."""
    out = out or sys.stdout
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    failed = False
    for check in CHECKS:
        try:
            finding = check(station)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            _log().exception("doctor: %s failed", check.__name__)
            finding = Finding("FAIL", check.__name__.removeprefix("check_"), repr(exc))
        failed = failed or finding.status == "FAIL"
        out.write(finding.line() + "\n")
        out.flush()
    return 1 if failed else 0
