"""`kiosk where`: every folder and file this station uses, and where each setting came from.

For the IT person who set up a station and for whoever looks after it later: which config
file is in use and why (flag, environment, this machine's file, or the embedded demo),
where the PIN hash, the site token, the usage database, creations, exports, logs and the
library's own packs are, and for every setting whether it came from the config file (with
its line), from the environment, or is the default. docs/folders.md explains the rules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import (
    Config,
    ConfigError,
    data_dir_choice,
    find_config,
    load_config,
    settings_table,
)
from kiosk.errors import TelpaError
from kiosk.paths import (
    CONTENT,
    CREATIONS_DIR,
    EXPORTS_DIR,
    FROM_CHECKOUT,
    LIBRARY_PACKS_DIR,
    LOGS_DIR,
    PACKAGE_DIR,
    machine_folders,
)
from kiosk.yamltools import key_line, parse_with_nodes


class UnusableConfig(TelpaError):
    """The config file in use cannot be read or is wrong; `lines` is what can be shown."""

    code = "unusable_config"

    def __init__(self, lines: list[str], error: ConfigError) -> None:
        super().__init__(str(error))
        self.lines = lines
        self.error = error


#: Settings an environment variable overrides, and that variable.
ENV_OVERRIDES = {"storage.data_dir": "KIOSK_DATA_DIR"}


def _state(path: Path) -> str:
    return "" if path.exists() else "  (not there yet)"


def _yaml_value(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _setting_sources(config: Config, data: Path | None = None) -> list[tuple[str, str, str]]:
    """(key, value, where it came from) for every setting; the office's settings (kiosk.fleet)
    win over the file's and say so."""
    office: dict[str, Any] = {}
    levels: dict[str, str] = {}
    if data is not None:
        from kiosk.fleet.store import ContentStore

        current = ContentStore(data).read_current()
        office, levels = current.settings, current.settings_from
    root = None
    if config.source is not None:
        try:
            root, _ = parse_with_nodes(Path(config.source).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            root = None  # it was read a moment ago; line numbers are only a courtesy
    rows = []
    for key, _default, _help in settings_table():
        section_name, name = key.split(".")
        section = getattr(config, section_name)
        value = _yaml_value(getattr(section, name))
        if key in office:
            level = "this station" if levels.get(key) == "station" else "the library"
            rows.append((key, _yaml_value(office[key]), f"office (set for {level})"))
            continue
        variable = ENV_OVERRIDES.get(key)
        if variable and os.environ.get(variable, "").strip():
            rows.append((key, os.environ[variable].strip(), f"${variable} (overrides the file)"))
            continue
        given = section_name in config.model_fields_set and name in section.model_fields_set
        if given:
            line = key_line(root, (section_name, name)) if root is not None else None
            rows.append((key, value, f"config file, line {line}" if line else "config file"))
        else:
            rows.append((key, value, "default"))
    return rows


def _office_database() -> tuple[str, str]:
    from sqlalchemy.engine import make_url

    from kiosk.office.db import ENV_VAR, default_url

    url = default_url()
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a bad URL is reported by `kiosk office` itself
        shown = "(not a database URL)"
    why = f"${ENV_VAR}" if os.environ.get(ENV_VAR, "").strip() else "default"
    return shown, why


def _sound_settings(data: Path) -> str:
    """The librarian's volume and mute from the panel, and the file that keeps them."""
    from kiosk.librarian.sound_settings import SOUND_SETTINGS_FILE, SoundChoice

    path = data / SOUND_SETTINGS_FILE
    try:
        choice = SoundChoice.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{path}  (not there yet: the config's volume)"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{path}  (unusable, the config's volume is used: {exc})"
    muted = ", muted" if choice.muted else ""
    return f"{path}  (the panel's volume: {choice.percent} % of the config's{muted})"


def _table(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len("office database"), *(len(label) for label, _ in rows))
    return [f"{label.ljust(width)}  {text}" for label, text in rows]


def where_lines(config_path: str | None) -> list[str]:
    """The report `kiosk where` prints. A config file that cannot be used raises
    `UnusableConfig`, which carries the part of the report that does not need it."""
    choice = find_config(config_path)
    folders = machine_folders()
    install = "development checkout" if FROM_CHECKOUT else "installed"
    rows: list[tuple[str, str]] = [
        ("program folder", f"{PACKAGE_DIR}  ({install}; never written)"),
        ("built-in packs", str(CONTENT)),
        ("machine config", f"{folders.config}  ({folders.scope} install: {folders.scope_reason})"),
        ("machine data", f"{folders.data}"),
        ("config file", f"{choice.path}  <- {choice.describe()}"),
    ]
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UnusableConfig([f"Telpa {__version__}", "", *_table(rows)], exc) from None
    data, data_reason = data_dir_choice(config)
    from kiosk.librarian.pin import secrets_path
    from kiosk.usage import database_path

    database = database_path(data)

    secrets = secrets_path(config.source)
    rows.append(("secrets (PIN)", f"{secrets}{'' if secrets.exists() else '  (no PIN set yet)'}"))
    if not config.sync.token_file:
        rows.append(("site token", "(none: sync.token_file is empty)"))
    elif not config.sync.office_url:
        rows.append(("site token", "(not used: sync.office_url is empty)"))
    else:
        from kiosk.sync.client import token_path

        token = token_path(config)
        rows.append(("site token", f"{token}  <- sync.token_file{_state(token)}"))
    rows += [
        ("data folder", f"{data}  <- {data_reason}{_state(data)}"),
        ("usage database", f"{database}{_state(database)}"),
        ("creations", f"{data / CREATIONS_DIR}{_state(data / CREATIONS_DIR)}"),
        ("exports", f"{data / EXPORTS_DIR}{_state(data / EXPORTS_DIR)}"),
        ("logs", f"{data / LOGS_DIR}{_state(data / LOGS_DIR)}"),
        ("library packs", f"{data / LIBRARY_PACKS_DIR}{_state(data / LIBRARY_PACKS_DIR)}"),
    ]
    rows.append(("sound settings", _sound_settings(data)))
    for folder in config.content.folders:
        rows.append(("more packs", f"{folder}  <- content.folders{_state(Path(folder))}"))
    office, office_reason = _office_database()
    rows.append(("office database", f"{office}  <- {office_reason} (only `kiosk office`)"))

    lines = [f"Telpa {__version__}", "", *_table(rows)]
    settings = _setting_sources(config, data)
    known = {key for key, _, _ in settings}
    from kiosk.fleet.store import ContentStore

    current = ContentStore(data).read_current()
    for key, value in sorted(current.settings.items()):
        if key not in known:  # office-only settings: group defaults, opening hours
            level = "this station" if current.settings_from.get(key) == "station" else "the library"
            shown = (
                ", ".join(f"{d} {h}" for d, h in value.items())
                if isinstance(value, dict)
                else _yaml_value(value)
            )
            settings.append((key, shown, f"office (set for {level})"))
    key_width = max(len(key) for key, _, _ in settings)
    value_width = min(40, max(len(value) for _, value, _ in settings))
    lines += ["", f"Settings ({choice.path}):"]
    lines += [
        f"  {key.ljust(key_width)}  {value.ljust(value_width)}  {source}"
        for key, value, source in settings
    ]
    return lines
