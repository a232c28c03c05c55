"""The librarian's PIN: stored only as a salted scrypt hash, checked with a lockout.

The hash lives in a `secrets.json` file next to the config file, readable by its owner
only. `kiosk set-pin` refuses PINs that are easy to guess (`kiosk.librarian.strength`).
Wrong PINs lock the pad for longer and longer, also across restarts
(`kiosk.librarian.lockout`); time comes from the shell's wall clock, so tests drive it.

The embedded demo config is the one exception to "no PIN, no way in": someone trying
Telpa on their own PC must be able to leave it, so there the librarian's way in opens the
panel (which says that a real station needs a PIN). Any other config — a station's own,
even a copy of the demo file — stays locked until a PIN is set."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from datetime import datetime
from pathlib import Path

from kiosk.config import Config
from kiosk.errors import TelpaError
from kiosk.librarian.lockout import LOCKOUT_FILE, Lockout
from kiosk.librarian.strength import weakness

# scrypt cost: ~50 ms on an old library PC — slow for a guesser, quick for a librarian.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class PinError(TelpaError, ValueError):
    """A PIN that cannot be used, or a secrets file that cannot be written."""

    code = "pin"


def secrets_path(config_source: Path | None) -> Path:
    """`secrets.json` next to the config file in use; for the embedded demo config, which
    is a program file, in this machine's config folder (never in the program folder)."""
    from kiosk.paths import SECRETS_NAME, is_program_file, machine_folders

    if config_source is None or is_program_file(config_source):
        return Path(machine_folders().config) / SECRETS_NAME
    return config_source.resolve().parent / SECRETS_NAME


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def is_embedded_demo(config: Config) -> bool:
    """True only for the demo config that ships inside Telpa itself."""
    from kiosk.paths import DEFAULT_CONFIG

    if config.source is None:
        return False
    try:
        return config.source.resolve() == DEFAULT_CONFIG.resolve()
    except OSError:
        return False


def set_pin(path: Path, pin: str) -> None:
    """Store a new PIN (4–8 digits, not an easy guess) as a salted hash: owner-only
    permissions for a new file, the old file's owner, group and mode when it replaces one.
    Raises PinError with a sentence that says why and what to choose."""
    problem = weakness(pin)
    if problem is not None:
        raise PinError(problem)
    salt = secrets.token_bytes(16)
    record = {
        "pin": {
            "algorithm": "scrypt",
            **_SCRYPT,
            "salt": salt.hex(),
            "hash": _hash(pin, salt, **_SCRYPT).hex(),
        }
    }
    temporary = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(record, file)
        os.chmod(temporary, 0o600)
        _keep_access(path, temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise PinError(
            f"Cannot write {path} ({exc.strerror}). Run this as a user who may write the "
            "config file's folder."
        ) from None


def _keep_access(existing: Path, replacement: Path) -> None:
    """Give `replacement` the owner, group and mode of the `existing` secrets file, so a new
    PIN keeps the `chgrp telpa` / `chmod 640` IT staff gave the old one (docs/folders.md).
    The owner is kept only where this account may (root); the group where it belongs to
    it. Never readable by others, as `kiosk setup` treats the token file. Nothing to keep
    on Windows, where the folder's ACL applies."""
    if os.name != "posix":
        return
    try:
        old = existing.stat()
    except FileNotFoundError:
        return
    try:
        os.chown(replacement, old.st_uid, old.st_gid)
    except PermissionError:
        try:
            os.chown(replacement, -1, old.st_gid)
        except PermissionError:
            pass  # not this account's group: the file stays owner-only
    os.chmod(replacement, (stat.S_IMODE(old.st_mode) & 0o660) | 0o600)


class PinCheck:
    """Checks PINs against the stored hash and keeps the lockout."""

    def __init__(self, path: Path, lockout: Path | None = None, *, demo: bool = False) -> None:
        self.path = path
        self.lockout = Lockout(lockout)
        self.demo = demo

    @classmethod
    def for_station(cls, config: Config, data_folder: Path | None) -> PinCheck:
        """The PIN next to the config; the lockout in the data folder (memory only
        without one)."""
        return cls(
            secrets_path(config.source),
            data_folder / LOCKOUT_FILE if data_folder is not None else None,
            demo=is_embedded_demo(config),
        )

    def is_set(self) -> bool:
        return self._record() is not None

    def opens_without_pin(self) -> bool:
        """True on the embedded demo config while no PIN is set (see the module doc)."""
        return self.demo and not self.is_set()

    def _record(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            record = data["pin"]
            if record.get("algorithm") != "scrypt":
                return None
            return dict(record)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    @staticmethod
    def _pin_id(record: dict[str, object] | None) -> str:
        # The salt changes with every `kiosk set-pin`; a digest of it names the PIN
        # without keeping anything that helps a guesser.
        if record is None:
            return ""
        return hashlib.sha256(str(record.get("salt", "")).encode()).hexdigest()[:16]

    def locked_for(self, now: datetime) -> float:
        """Seconds until the pad opens again (0 when it is open); `now` in UTC."""
        record = self._record()
        if record is None:
            return 0.0  # no PIN, nothing to unlock: the lockout is left as it is
        return self.lockout.locked_for(now, self._pin_id(record))

    def tries_left(self) -> int:
        return self.lockout.tries_left()

    def check(self, pin: str, now: datetime) -> bool:
        """True for the right PIN. Wrong ones count toward the lockout."""
        record = self._record()
        if record is None:
            return False
        pin_id = self._pin_id(record)
        if self.lockout.locked_for(now, pin_id) > 0:
            return False
        try:
            expected = bytes.fromhex(str(record["hash"]))
            actual = _hash(
                pin,
                bytes.fromhex(str(record["salt"])),
                int(str(record["n"])),
                int(str(record["r"])),
                int(str(record["p"])),
            )
        except (ValueError, KeyError):
            return False
        if hmac.compare_digest(expected, actual):
            self.lockout.right_pin(pin_id)
            return True
        self.lockout.wrong_pin(now, pin_id)
        return False
