"""Site configuration: `config.yaml` → a validated, typed `Config`.

Nothing is read at import time. `load_config(path)` either returns a `Config` or raises
`ConfigError`, whose text is one line a librarian can act on:
``config.yaml:12: session.idle_timeout_s: must be greater than or equal to 20``.
"""

from __future__ import annotations

import os
import zoneinfo
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.configfile import ConfigError, find_config
from kiosk.paths import SCOPE_ENV, machine_folders
from kiosk.yamltools import describe_error, duplicate_keys, key_line, parse_with_nodes

Language = Literal["lv", "lt", "en"]
AgeBand = Literal["6-8", "9-11", "12-14"]
_ALL_LANGUAGES: tuple[Language, ...] = ("lv", "lt", "en")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SiteConfig(_Section):
    id: str = Field(
        "demo",
        pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
        description="Short id of the library, as registered at the project office (e.g. ludza).",
    )
    name: str = Field("Demo library", min_length=1, description="The library's name.")
    timezone: str = Field(
        "Europe/Riga", description="IANA time zone of the library, used for hourly totals."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Riga)"
            ) from None
        return value


class StationConfig(_Section):
    id: str = Field(
        "demo-pc-1",
        pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
        description="Id of this PC or whiteboard, unique within the library (e.g. ludza-wb-1).",
    )


class LanguagesConfig(_Section):
    default: Language = Field("lv", description="Language of the attract screen.")
    available: list[Language] = Field(
        default_factory=lambda: list(_ALL_LANGUAGES),
        min_length=1,
        description="Languages children can pick, in the order of the flags.",
    )

    @field_validator("available")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value


class SessionConfig(_Section):
    idle_timeout_s: int = Field(
        90, ge=20, le=3600, description="Seconds without input before 'Are you still there?'."
    )
    idle_prompt_s: int = Field(
        10, ge=3, le=60, description="Seconds the 'Are you still there?' countdown lasts."
    )
    age_picker: bool = Field(
        True, description="Ask for an age band (6-8, 9-11, 12-14, or skip) at the start."
    )


class DisplayConfig(_Section):
    size: str | None = Field(
        None,
        pattern=r"^[1-9][0-9]{2,4}x[1-9][0-9]{2,4}$",
        description="Screen size WxH to use; empty means the screen's own size.",
    )
    max_fps: int = Field(30, ge=10, le=120, description="Frame rate cap while animating.")


class SoundConfig(_Section):
    enabled: bool = Field(True, description="Play sounds (always off without a sound device).")
    volume: float = Field(0.6, ge=0.0, le=1.0, description="Volume from 0.0 to 1.0.")
    speech: bool = Field(
        True, description="Read texts aloud (speaker buttons; off for a silent reading room)."
    )
    speech_volume: float = Field(
        1.0, ge=0.0, le=1.0, description="Volume of the reading voice, from 0.0 to 1.0."
    )
    speech_rate: int = Field(
        140, ge=80, le=300, description="Speed of the synthetic voice in words per minute."
    )
    speech_pitch: int = Field(
        50, ge=0, le=99, description="Pitch of the synthetic voice, 0 (low) to 99 (high)."
    )
    speech_ducking: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="Volume of the other sounds while the voice speaks (1.0: not lowered).",
    )
    read_aloud: Literal["off", "youngest", "always"] = Field(
        "youngest",
        description="Read questions out by themselves: off, for the youngest age band "
        "(6-8) only, or always.",
    )
    speech_cache_mb: int = Field(
        50, ge=1, le=2000, description="Megabytes of synthesised speech kept on disk."
    )


class StorageConfig(_Section):
    data_dir: str | None = Field(
        None,
        description="Folder for the usage database, logs and creations; empty means this "
        "machine's data folder. Must be on a persistent volume on PCs restored at reboot.",
    )


class UsageConfig(_Section):
    retention_days: int = Field(
        400, ge=30, le=3650, description="Days raw session rows are kept once synced."
    )


class SyncConfig(_Section):
    office_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="Address of the project office, e.g. https://office.example.lv; "
        "empty means this station does not sync online (USB export only).",
    )
    token_file: str | None = Field(
        None,
        description="File holding this library's site token (one line); a relative path is "
        "read next to the config file. Empty means online sync stays off.",
    )
    interval_minutes: int = Field(
        15, ge=1, le=1440, description="Minutes between background syncs."
    )


class CreationsConfig(_Section):
    retention_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days children's drafts and creations are kept before they are deleted.",
    )


class ContentConfig(_Section):
    folders: list[str] = Field(
        default_factory=list,
        description="More folders of content packs, besides the built-in ones and DATA/packs.",
    )


class ActivitiesConfig(_Section):
    hidden: list[str] = Field(
        default_factory=list, description="Activity ids not shown in the launcher."
    )
    order: list[str] = Field(
        default_factory=list, description="Activity ids shown first, in this order."
    )


class Config(_Section):
    site: SiteConfig = Field(default_factory=SiteConfig)
    station: StationConfig = Field(default_factory=StationConfig)
    languages: LanguagesConfig = Field(default_factory=LanguagesConfig)
    session: SessionConfig = Field(default_factory=SessionConfig)
    display: DisplayConfig = Field(default_factory=DisplayConfig)
    sound: SoundConfig = Field(default_factory=SoundConfig)
    storage: StorageConfig = Field(default_factory=StorageConfig)
    usage: UsageConfig = Field(default_factory=UsageConfig)
    activities: ActivitiesConfig = Field(default_factory=ActivitiesConfig)
    content: ContentConfig = Field(default_factory=ContentConfig)
    sync: SyncConfig = Field(default_factory=SyncConfig)
    creations: CreationsConfig = Field(default_factory=CreationsConfig)

    #: Where the config came from; not a YAML key.
    source: Path | None = Field(None, exclude=True)

    @field_validator("languages")
    @classmethod
    def _default_available(cls, value: LanguagesConfig) -> LanguagesConfig:
        if value.default not in value.available:
            raise ValueError(f"default language {value.default!r} is not in languages.available")
        return value

    def window_size(self) -> tuple[int, int] | None:
        if self.display.size is None:
            return None
        w, h = self.display.size.split("x")
        return int(w), int(h)


def parse_config(text: str, path: str = "config.yaml") -> Config:
    """Validate YAML text; raise ConfigError for the first problem found."""
    try:
        root, data = parse_with_nodes(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(path, line, "", f"not valid YAML: {exc.problem}") from None
    for loc, key, line in duplicate_keys(root):
        where = ".".join(str(p) for p in (*loc, key))
        raise ConfigError(path, line, where, "this key is given twice (only one counts)")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, 1, "", "the file must be a mapping of sections (site:, session:…)")
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        key = ".".join(str(p) for p in loc)
        raise ConfigError(path, key_line(root, loc), key, describe_error(first)) from None
    return config.model_copy(update={"source": Path(path)})


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load the config `find_config(path)` chooses."""
    chosen = find_config(path).path
    try:
        text = chosen.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(chosen), None, "", f"cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(str(chosen), None, "", "the file is not UTF-8 text") from None
    return parse_config(text, str(chosen))


def data_dir_choice(config: Config) -> tuple[Path, str]:
    """The data folder and why: $KIOSK_DATA_DIR, else storage.data_dir, else this machine's
    data folder. Not created here; `kiosk run` checks it can write there."""
    from_env = os.environ.get("KIOSK_DATA_DIR", "").strip()
    if from_env:
        return Path(from_env), "KIOSK_DATA_DIR"
    if config.storage.data_dir:
        return Path(config.storage.data_dir), "storage.data_dir in the config"
    try:
        folders = machine_folders()
    except ValueError as exc:
        raise ConfigError("environment", None, SCOPE_ENV, str(exc)) from None
    return Path(folders.data), f"this machine's data folder ({folders.scope} install)"


def data_dir(config: Config) -> Path:
    """The data folder (see `data_dir_choice`)."""
    return data_dir_choice(config)[0]


def settings_table() -> list[tuple[str, Any, str]]:
    """(key, default, help) for every setting, for docs and the docs meta-test."""
    rows: list[tuple[str, Any, str]] = []
    for section_name, section_field in Config.model_fields.items():
        if section_name == "source":
            continue
        section_type = section_field.default_factory
        assert section_type is not None
        section = section_type()  # type: ignore[call-arg]
        for name, field in type(section).model_fields.items():
            rows.append((f"{section_name}.{name}", getattr(section, name), field.description or ""))
    return rows
