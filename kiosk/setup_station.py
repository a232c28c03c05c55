"""`kiosk setup`: first-run set-up of a station for IT staff (docs/station-setup.md).

It asks for (in a terminal) or takes as flags: the library (site id, name, time zone), this
station's id, the default language, the screen size, the office address with the site
token, and the librarian PIN. It then

1. checks every value, and the PIN's strength, before anything is written;
2. asks the office (`kiosk.office_check`) whether it is reachable, takes a *new* token for
   this library, and agrees on the time. A refused token is never saved (nothing is, that
   run); an office that cannot be reached today only gets a warning, so a station can be
   set up before the office is online;
3. writes the config file — only the keys it was given, into the existing file when there
   is one (other keys and comments kept, `kiosk.yamledit`), atomically; the token file
   (owner-only, 0600) and the PIN hash (`kiosk.librarian.pin`, 0600) next to it.

Running it again changes only what it is given. It never prints the token or the PIN.

Over 500 lines because it asks, checks and writes in one sequence whose order is the
guarantee (nothing is written until every answer has been checked and the office asked).
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.configfile import find_config
from kiosk.errors import TelpaError
from kiosk.fileio import atomic_write
from kiosk.yamledit import Key, YamlEditError, set_keys

if TYPE_CHECKING:
    from kiosk.config import Config

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_SIZE = re.compile(r"^[1-9][0-9]{2,4}x[1-9][0-9]{2,4}$")
_URL = re.compile(r"^https?://[^\s/?#@]+(/[^\s?#]*)?$")
#: What the office's tokens look like (as `kiosk.sync.client` reads them).
_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]{8,512}$")
DEFAULT_TOKEN_FILE = "site-token.txt"
HEADER = (
    "# Telpa station config, written by `kiosk setup`. Every key is explained in\n"
    "# docs/configuration.md. Run `kiosk setup` again to change one thing: it keeps the\n"
    "# other keys and the comments in this file.\n"
)


class SetupError(TelpaError):
    """Set-up cannot go on; `str()` says what and what to do. Nothing was saved."""

    code = "setup"


@dataclass
class Answers:
    """What this run changes; None means "keep what is there"."""

    site: str | None = None
    site_name: str | None = None
    timezone: str | None = None
    station: str | None = None
    lang: str | None = None
    size: str | None = None  # "auto" or WxH
    office: str | None = None  # "none" turns online sync off
    token: str | None = None
    pin: str | None = None


# ----- checking values ------------------------------------------------------------------


def _problem(name: str, value: str) -> str | None:
    """Why `value` cannot be the setting `name`, or None."""
    if name in ("site", "station") and not _ID.match(value):
        what = "library" if name == "site" else "station"
        return (
            f"{value!r} is not a {what} id: use 1-40 small letters, digits and dashes, "
            "starting with a letter or digit (e.g. ludza, ludza-wb-1)"
        )
    if name == "site_name" and not value.strip():
        return "the library's name cannot be empty"
    if name == "timezone":
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return f"{value!r} is not a time zone; use a name like Europe/Riga or Europe/Vilnius"
    if name == "lang" and value not in ("lv", "lt", "en"):
        return f"{value!r} is not a language; use lv, lt or en"
    if name == "size" and value != "auto" and not _SIZE.match(value):
        return f"{value!r} is not a screen size; use WxH like 1920x1080, or auto"
    if name == "office" and value != "none" and not _URL.match(value):
        return (
            f"{value!r} is not an office address; use https://host or https://host/path "
            "(no user name or token in it), or none"
        )
    if name == "token" and not _TOKEN.match(value):
        return "that is not a site token (the coordinator's `kiosk office add-site` prints one)"
    if name == "pin":
        from kiosk.librarian.strength import weakness

        return weakness(value)
    return None


def _flag(name: str) -> str:
    return {
        "site": "--site",
        "site_name": "--site-name",
        "timezone": "--timezone",
        "station": "--station",
        "lang": "--lang",
        "size": "--size",
        "office": "--office",
        "token": "--token-stdin",
        "pin": "--pin-stdin",
    }[name]


# ----- the station as it is -------------------------------------------------------------


@dataclass
class Station:
    """The config file to write and what is there now."""

    path: Path
    exists: bool
    text: str
    config: Config

    @property
    def token_file(self) -> Path | None:
        return _token_file(self.config, self.path)

    def has_token(self) -> bool:
        path = self.token_file
        return path is not None and path.is_file() and path.stat().st_size > 0

    def has_pin(self) -> bool:
        from kiosk.librarian.pin import PinCheck, secrets_path

        return PinCheck(secrets_path(self.path)).is_set()


def _token_file(config: Config, config_path: Path) -> Path | None:
    if not config.sync.token_file:
        return None
    path = Path(config.sync.token_file).expanduser()
    return path if path.is_absolute() else config_path.parent / path


def find_station(config_flag: str | None) -> Station:
    """The config file `kiosk setup` writes: --config, else $KIOSK_CONFIG, else this
    machine's config.yaml (never the embedded demo, which is a program file)."""
    from kiosk.config import ConfigError, parse_config
    from kiosk.paths import is_program_file, machine_folders

    choice = find_config(config_flag)
    path = choice.path if choice.reason != "embedded" else Path(machine_folders().config_file)
    if is_program_file(path):
        raise SetupError(
            f"{path} is Telpa's own demo config, which is never changed; leave out --config "
            "(and KIOSK_CONFIG) to set up this machine's config, or name another file"
        )
    if not path.exists():
        return Station(path, False, "", parse_config("{}", str(path)))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SetupError(f"cannot read {path} ({exc}); fix or remove it, then run again") from None
    try:
        config = parse_config(text, str(path))
    except ConfigError as exc:
        raise SetupError(f"{exc} — fix this line by hand first, then run again") from None
    return Station(path, True, text, config)


# ----- asking ---------------------------------------------------------------------------


class Prompter:
    """Asks in a terminal; `ask` and `secret` are input() and getpass unless tests
    replace them."""

    def __init__(
        self,
        out: TextIO,
        ask: Callable[[str], str] = input,
        secret: Callable[[str], str] = getpass.getpass,
    ) -> None:
        self.out = out
        self.ask = ask
        self.secret = secret

    def value(self, name: str, question: str, current: str | None) -> str | None:
        """A checked answer; Enter keeps `current` (None when there is none to keep)."""
        for _attempt in range(5):
            shown = f" [{current}]" if current else ""
            answer = self.ask(f"{question}{shown}: ").strip()
            if not answer:
                if current:
                    return None
                self.out.write("  This one is needed.\n")
                continue
            problem = _problem(name, answer)
            if problem is None:
                return answer
            self.out.write(f"  {problem}\n")
        raise SetupError(f"no usable answer for {_flag(name)}; nothing was saved")

    def hidden(self, name: str, question: str, have: bool, confirm: bool = False) -> str | None:
        for _attempt in range(5):
            keep = " (Enter keeps the one saved)" if have else ""
            answer = self.secret(f"{question}{keep}: ").strip()
            if not answer:
                if have:
                    return None
                self.out.write("  This one is needed.\n")
                continue
            problem = _problem(name, answer)
            if problem is not None:
                self.out.write(f"  {problem}\n")
                continue
            if confirm and self.secret("The same again: ").strip() != answer:
                self.out.write("  The two differ; once more.\n")
                continue
            return answer
        raise SetupError(f"no usable answer for {_flag(name)}; nothing was saved")


def _ask(station: Station, answers: Answers, prompt: Prompter, only: set[str] | None) -> None:
    """Ask for every setting not given as a flag, or only for those in `only`."""
    config = station.config
    new = not station.exists

    def wanted(name: str) -> bool:
        return getattr(answers, name) is None and (only is None or name in only)

    def current(value: str | None) -> str | None:
        return None if new else value

    if only is None:
        prompt.out.write(
            f"Setting up this station in {station.path}.\n"
            "Press Enter to keep a value in [brackets].\n"
        )
    if wanted("site"):
        answers.site = prompt.value("site", "Library id at the office", current(config.site.id))
    if wanted("site_name"):
        answers.site_name = prompt.value("site_name", "Library name", current(config.site.name))
    if wanted("timezone"):
        answers.timezone = prompt.value("timezone", "Time zone", config.site.timezone)
    if wanted("station"):
        answers.station = prompt.value(
            "station", "This station's id (e.g. ludza-wb-1)", current(config.station.id)
        )
    if wanted("lang"):
        answers.lang = prompt.value(
            "lang", "Default language (lv, lt, en)", config.languages.default
        )
    if wanted("size"):
        answers.size = prompt.value(
            "size", "Screen size (WxH, or auto)", config.display.size or "auto"
        )
    if wanted("office"):
        answers.office = prompt.value(
            "office", "Office address (https://…, or none)", config.sync.office_url or "none"
        )
    office = answers.office or config.sync.office_url
    if wanted("token") and office and office != "none":
        answers.token = prompt.hidden("token", "Site token (not shown)", station.has_token())
    if wanted("pin"):
        answers.pin = prompt.hidden(
            "pin", "Librarian PIN, 4-8 digits (not shown)", station.has_pin(), confirm=True
        )


# ----- the run --------------------------------------------------------------------------


def _changes(station: Station, answers: Answers) -> dict[Key, Any]:
    config = station.config
    changes: dict[Key, Any] = {}

    def want(key: Key, value: Any, now: Any) -> None:
        if value != now or not station.exists:
            changes[key] = value

    if answers.site is not None:
        want(("site", "id"), answers.site, config.site.id)
    if answers.site_name is not None:
        want(("site", "name"), answers.site_name, config.site.name)
    if answers.timezone is not None:
        want(("site", "timezone"), answers.timezone, config.site.timezone)
    if answers.station is not None:
        want(("station", "id"), answers.station, config.station.id)
    if answers.lang is not None:
        want(("languages", "default"), answers.lang, config.languages.default)
    if answers.size is not None:
        size = None if answers.size == "auto" else answers.size
        want(("display", "size"), size, config.display.size)
    if answers.office is not None:
        office = None if answers.office == "none" else answers.office.rstrip("/")
        want(("sync", "office_url"), office, config.sync.office_url)
    if answers.token is not None and not config.sync.token_file:
        changes[("sync", "token_file")] = DEFAULT_TOKEN_FILE
    return changes


def _missing(station: Station, answers: Answers) -> list[str]:
    """The settings this run still needs (names of `Answers` fields)."""
    missing = []
    if not station.exists:
        missing += [n for n in ("site", "station") if getattr(answers, n) is None]
    office = answers.office if answers.office is not None else station.config.sync.office_url
    if office and office != "none" and answers.token is None and not station.has_token():
        missing.append("token")
    if answers.pin is None and not station.has_pin():
        missing.append("pin")
    return missing


def _write_config(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    atomic_write(path, text.encode("utf-8"))
    os.chmod(path, mode)  # the kiosk's own account reads it; it holds no secret


def _write_token(path: Path, token: str) -> None:
    """Owner-only (0600), or the group/mode an administrator gave the file before (e.g.
    0640 for the kiosk account's group), never readable by others."""
    mode, gid = 0o600, None
    if path.exists():
        info = path.stat()
        mode, gid = (info.st_mode & 0o660) | 0o600, info.st_gid
    atomic_write(path, (token + "\n").encode("utf-8"))  # mkstemp makes it 0600 at once
    if gid is not None and hasattr(os, "chown"):
        try:
            os.chown(path, -1, gid)
        except OSError:
            pass
    os.chmod(path, mode)


def run_setup(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    prompter: Prompter | None = None,
) -> int:
    """Run `kiosk setup`; returns the exit code. Raises SetupError (exit 2) when nothing
    could be saved."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    station = find_station(args.config)
    answers = Answers(
        site=args.site,
        site_name=args.site_name,
        timezone=args.timezone,
        station=args.station,
        lang=args.lang,
        size=args.size,
        office=args.office,
    )
    if args.token_stdin:
        answers.token = stdin.readline().strip() or None
        if answers.token is None:
            raise SetupError("--token-stdin: standard input held no token; nothing was saved")
    if args.pin_stdin:
        answers.pin = stdin.readline().strip() or None
        if answers.pin is None:
            raise SetupError("--pin-stdin: standard input held no PIN; nothing was saved")
    for name in ("site", "site_name", "timezone", "station", "lang", "size", "office", "token"):
        value = getattr(answers, name)
        problem = None if value is None else _problem(name, value)
        if problem is not None:
            raise SetupError(f"{_flag(name)}: {problem}. Nothing was saved.")
    if answers.pin is not None:
        problem = _problem("pin", answers.pin)
        if problem is not None:
            raise SetupError(f"{problem} Nothing was saved.")

    office = answers.office if answers.office is not None else station.config.sync.office_url
    if answers.token is not None and (not office or office == "none"):
        raise SetupError(
            "--token-stdin: a site token needs the office's address too (--office URL). "
            "Nothing was saved."
        )
    interactive = prompter is not None or (not args.non_interactive and stdin.isatty())
    given = any(value is not None for value in vars(answers).values())
    if interactive and not given:
        _ask(station, answers, prompter or Prompter(out), None)  # the whole questionnaire
    elif interactive:
        _ask(station, answers, prompter or Prompter(out), set(_missing(station, answers)))
    else:
        missing = _missing(station, answers)
        if missing:
            raise SetupError(
                f"{station.path} needs {', '.join(_flag(n) for n in missing)} (no terminal to "
                "ask in). Run `kiosk setup` in a terminal, or give them as flags. Nothing was "
                "saved."
            )

    from kiosk.config import ConfigError, parse_config

    changes = _changes(station, answers)
    text = station.text if station.exists else HEADER
    try:
        new_text = set_keys(text, changes)
        new_config = parse_config(new_text, str(station.path))
    except (YamlEditError, ConfigError) as exc:
        raise SetupError(
            f"{station.path}: {exc}. Change it by hand (docs/configuration.md); nothing was saved."
        ) from None
    except Exception as exc:  # noqa: BLE001 - a YAML error in the existing file
        raise SetupError(f"{station.path}: cannot be edited ({exc}); nothing was saved") from None

    warnings = _check_office(station, new_config, answers, now, out)
    if warnings is None:
        return 2
    token_file = _token_file(new_config, station.path)
    try:
        if changes or not station.exists:
            _write_config(station.path, new_text)
        if answers.token is not None and token_file is not None:
            _write_token(token_file, answers.token)
        if answers.pin is not None:
            from kiosk.librarian.pin import PinError, secrets_path, set_pin

            try:
                set_pin(secrets_path(station.path), answers.pin)
            except PinError as exc:
                raise SetupError(str(exc)) from None
    except OSError as exc:
        raise SetupError(
            f"cannot write {exc.filename or station.path} ({exc.strerror or exc}); run "
            "`kiosk setup` as a user who may write the config folder (an administrator, "
            "or root on a Linux system install)"
        ) from None

    _report(station, changes, answers, token_file, out)
    for line in warnings:
        out.write(f"WARNING: {line}\n")
    return 0


def _check_office(
    station: Station,
    config: Config,
    answers: Answers,
    now: Callable[[], datetime],
    out: TextIO,
) -> list[str] | None:
    """Warnings to show after saving, or None when the office refused a new token (the
    reason is printed; nothing may be saved)."""
    from kiosk.office_check import check_office, describe_skew

    office = config.sync.office_url
    token_file = _token_file(config, station.path)
    if not office:
        return []
    token = answers.token
    if token is None and token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip() or None
        except (OSError, UnicodeDecodeError):
            token = None
    out.write(f"Asking the office at {office} …\n")
    result = check_office(office, token, config.site.id, config.station.id, now=now)
    warnings = []
    if not result.reachable:
        warnings.append(
            f"{result.problem}. The settings are saved; once the office is up, run "
            "`kiosk doctor` to check the token."
        )
    elif result.token in ("unknown", "other_site", "unexpected"):
        why = {
            "unknown": f"the office at {office} does not know this token",
            "other_site": f"the office at {office} says this token is not library "
            f"{config.site.id!r}'s",
            "unexpected": f"the office at {office} answered HTTP {result.token_status} to the "
            "token check",
        }[result.token]
        if answers.token is not None:
            sys.stderr.write(
                f"kiosk setup: {why}. Check the token and the library id with the coordinator "
                "(the token is printed once by `kiosk office add-site`). Nothing was saved.\n"
            )
            return None
        warnings.append(f"{why}; ask the coordinator for a new one and run kiosk setup again")
    elif result.token == "accepted":
        out.write(f"The office at {office} accepted the site token for {config.site.id}.\n")
    if result.skew_too_large and result.skew_s is not None:
        warnings.append(
            f"this station's clock is {describe_skew(result.skew_s)}: set the time (and time "
            "zone) of this PC right, or turn on automatic time"
        )
    return warnings


def _report(
    station: Station,
    changes: dict[Key, Any],
    answers: Answers,
    token_file: Path | None,
    out: TextIO,
) -> None:
    verb = "Updated" if station.exists else "Wrote"
    if changes:
        out.write(f"{verb} {station.path}:\n")
        for (section, key), value in changes.items():
            shown = "(empty)" if value is None else value
            out.write(f"  {section}.{key}: {shown}\n")
    elif station.exists:
        out.write(f"{station.path}: no settings changed.\n")
    if answers.token is not None and token_file is not None:
        out.write(f"The site token is saved in {token_file} (readable by its owner only).\n")
    if answers.pin is not None:
        from kiosk.librarian.pin import secrets_path

        path = secrets_path(station.path)
        out.write(f"The librarian PIN is set (a salted hash in {path}).\n")
    out.write("Check the station with `kiosk doctor`.\n")
