"""Which config file a command reads, and where `kiosk run`'s supervisor keeps its log.

Lean on purpose: `kiosk run`'s supervisor lives as long as the kiosk and imports this,
not kiosk.config, so it never holds pydantic and the validated config models (about
20 MB). Validation — and every message about a bad config — is the shell's job."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.errors import TelpaError
from kiosk.paths import DEFAULT_CONFIG, SCOPE_ENV, machine_folders

#: Why a config file was chosen, in the order they are tried (docs/folders.md).
CONFIG_REASONS = {
    "flag": "--config",
    "env": "KIOSK_CONFIG",
    "machine": "this machine's config file",
    "embedded": "the embedded demo config (no config file given or installed)",
}


@dataclass(frozen=True)
class ConfigChoice:
    """The config file to read and why: "flag", "env", "machine" or "embedded"."""

    path: Path
    reason: Literal["flag", "env", "machine", "embedded"]

    def describe(self) -> str:
        return CONFIG_REASONS[self.reason]


@dataclass
class ConfigError(TelpaError):
    """A config file that cannot be used; `str()` is the one line to show."""

    code = "config"

    path: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


def find_config(path: str | os.PathLike[str] | None = None) -> ConfigChoice:
    """`--config PATH`, else $KIOSK_CONFIG, else this machine's config.yaml if it exists,
    else the embedded demo config (a program file: read, never written)."""
    try:
        machine = Path(machine_folders().config_file)  # also checks $KIOSK_SCOPE
    except ValueError as exc:
        raise ConfigError("environment", None, SCOPE_ENV, str(exc)) from None
    if path:
        return ConfigChoice(Path(path), "flag")
    from_env = os.environ.get("KIOSK_CONFIG", "").strip()
    if from_env:
        return ConfigChoice(Path(from_env), "env")
    if machine.is_file():
        return ConfigChoice(machine, "machine")
    return ConfigChoice(DEFAULT_CONFIG, "embedded")


def supervisor_data_dir(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The data folder the shell will use, read without validating the config: the same
    order as `kiosk.config.data_dir_choice` ($KIOSK_DATA_DIR, storage.data_dir, this
    machine's data folder). None when it cannot be told — then the shell, which validates
    the config, says what is wrong and refuses to start."""
    from_env = os.environ.get("KIOSK_DATA_DIR", "").strip()
    if from_env:
        return Path(from_env)
    try:
        chosen = find_config(path).path
        from kiosk.yamltools import parse_with_nodes

        _root, data = parse_with_nodes(chosen.read_text(encoding="utf-8"))
        storage = data.get("storage") if isinstance(data, dict) else None
        folder = storage.get("data_dir") if isinstance(storage, dict) else None
        if isinstance(folder, str) and folder:
            return Path(folder)
        return Path(machine_folders().data)
    except Exception:  # any problem here is the shell's to report, with its line number
        return None
