"""Where Telpa's files are: the program's own (read-only) and this machine's (written).

The program's files — fonts, pictures, the built-in content packs, the demo config —
ship inside the `kiosk` package as `kiosk/_data/` (setup.py copies the repository's
`assets/`, `content/` and `config.yaml` there when it builds the wheel) and are found
through `importlib.resources`, so an installed or frozen Telpa never looks at a checkout.
A development checkout (``pip install -e .``) has no `_data/`: it reads those files where
they are in the repository.

What a station writes lives in per-machine folders (`machine_folders`), never in the
program folder, so an upgrade or a reinstall never touches a library's config, secrets
or data. docs/folders.md describes them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path, PurePath, PureWindowsPath
from typing import Literal

APP_NAME = "telpa"
#: Environment variable that picks the kind of install: "system" or "user".
SCOPE_ENV = "KIOSK_SCOPE"
#: A Linux/Unix system install keeps config here (made by the IT person or the installer).
SYSTEM_CONFIG_DIR = Path("/etc/telpa")
SYSTEM_DATA_DIR = Path("/var/lib/telpa")

Scope = Literal["system", "user"]


def _package_dir() -> Path:
    found = files("kiosk")
    if not isinstance(found, Path):
        # A zip import gives a Traversable that fonts, SQLite and Alembic cannot open.
        raise RuntimeError(
            f"Telpa must be installed as files on disk, not imported from {found}; "
            "reinstall it with pip or the Telpa installer"
        )
    return found


def _data_root(package: Path) -> tuple[Path, bool]:
    """The folder holding assets/, content/ and config.yaml, and whether it is a checkout."""
    bundled = package / "_data"
    if bundled.is_dir():
        return bundled, False
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "assets").is_dir():
        return checkout, True
    # Neither: a broken install. Keep the bundled path so every read names what is missing.
    return bundled, False


#: The installed `kiosk` package: the program folder (never written).
PACKAGE_DIR = _package_dir()
#: Where the program's data files are: `kiosk/_data` when installed, the checkout otherwise.
DATA_ROOT, FROM_CHECKOUT = _data_root(PACKAGE_DIR)
#: The folder the `kiosk` package sits in: the checkout in a development install (tests,
#: docs and scripts use it), site-packages when installed — Telpa itself never reads it.
APP_ROOT = PACKAGE_DIR.parent
ASSETS = DATA_ROOT / "assets"
#: The built-in content packs.
CONTENT = DATA_ROOT / "content"
#: The embedded demo config: used when no other config is given or installed.
DEFAULT_CONFIG = DATA_ROOT / "config.yaml"
LOCALE_DIR = PACKAGE_DIR / "i18n" / "locale"


def is_program_file(path: str | os.PathLike[str]) -> bool:
    """True for a path inside the program's own files (never to be written)."""
    resolved = Path(path).resolve()
    if resolved == DEFAULT_CONFIG.resolve():
        return True
    program = [PACKAGE_DIR.resolve(), ASSETS.resolve(), CONTENT.resolve()]
    return any(resolved == root or root in resolved.parents for root in program)


@dataclass(frozen=True)
class MachineFolders:
    """This machine's folders for Telpa, before the config and environment have a say.

    `config` holds config.yaml, secrets.json and the site token (administrators write
    there); `data` is the default data folder (the kiosk's account writes there)."""

    scope: Scope
    #: Why this scope: the environment variable, the platform, or the system folder found.
    scope_reason: str
    config: PurePath
    data: PurePath

    @property
    def config_file(self) -> PurePath:
        return self.config / "config.yaml"


def machine_folders(
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    exists: Callable[[Path], bool] = Path.is_dir,
) -> MachineFolders:
    """The per-machine folders (docs/folders.md). `platform`, `environ` and `exists` are
    `sys.platform`, `os.environ` and `Path.is_dir` unless a test fakes them.

    - Windows: `%ProgramData%\\Telpa\\config` and `%ProgramData%\\Telpa\\data`, shared by
      every account of the PC (the installer lets the kiosk account write `data` only).
    - Linux and other systems: `/etc/telpa` and `/var/lib/telpa` when `/etc/telpa` exists
      (a system install); otherwise the user's XDG folders (`~/.config/telpa`,
      `~/.local/share/telpa`).
    - `KIOSK_SCOPE=system` or `user` chooses between the two everywhere.
    """
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    wanted = environ.get(SCOPE_ENV, "").strip().lower()
    if wanted and wanted not in ("system", "user"):
        raise ValueError(f"{wanted!r} is not a kind of install; use system or user, or unset it")
    windows = platform.startswith("win")
    scope: Scope
    if wanted:
        scope, reason = ("system" if wanted == "system" else "user"), f"{SCOPE_ENV}={wanted}"
    elif windows:
        scope, reason = "system", "Windows: one machine-wide install"
    elif exists(SYSTEM_CONFIG_DIR):
        scope, reason = "system", f"{SYSTEM_CONFIG_DIR} exists"
    else:
        scope, reason = "user", f"no {SYSTEM_CONFIG_DIR}"
    if scope == "system":
        if windows:
            base = PureWindowsPath(environ.get("ProgramData") or r"C:\ProgramData", "Telpa")
            return MachineFolders(scope, reason, base / "config", base / "data")
        return MachineFolders(scope, reason, SYSTEM_CONFIG_DIR, SYSTEM_DATA_DIR)
    import platformdirs

    return MachineFolders(
        scope,
        reason,
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
    )


# What lives inside the data folder (DESIGN §3, §6) besides the usage database.
CREATIONS_DIR = "creations"
EXPORTS_DIR = "exports"
LOGS_DIR = "logs"
#: The library's own content packs, next to its data so an upgrade never touches them.
LIBRARY_PACKS_DIR = "packs"
SECRETS_NAME = "secrets.json"
