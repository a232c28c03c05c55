"""The librarian's PIN: stored only as a salted scrypt hash, checked with a lockout.

The hash lives in a `secrets.json` file next to the config file, readable by its owner
only. Five wrong PINs in a row lock the pad for 60 seconds (time from the shell's clock,
so tests drive it)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
MAX_TRIES = 5
LOCKOUT_S = 60.0

# scrypt cost: ~50 ms on an old library PC — slow for a guesser, quick for a librarian.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class PinError(ValueError):
    """A PIN that cannot be used, or a secrets file that cannot be written."""


def secrets_path(config_source: Path | None) -> Path:
    """`secrets.json` next to the config file in use; for the embedded demo config, which
    is a program file, in this machine's config folder (never in the program folder)."""
    from kiosk.paths import SECRETS_NAME, is_program_file, machine_folders

    if config_source is None or is_program_file(config_source):
        return Path(machine_folders().config) / SECRETS_NAME
    return config_source.resolve().parent / SECRETS_NAME


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def set_pin(path: Path, pin: str) -> None:
    """Store a new PIN (4–8 digits) as a salted hash, owner-only permissions."""
    if not PIN_PATTERN.match(pin):
        raise PinError("a PIN is 4 to 8 digits")
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
        os.replace(temporary, path)
    except OSError as exc:
        raise PinError(f"cannot write {path} ({exc.strerror})") from None


@dataclass
class PinCheck:
    """Checks PINs against the stored hash and keeps the lockout state."""

    path: Path
    wrong_in_a_row: int = 0
    locked_until: float = 0.0

    def is_set(self) -> bool:
        return self._record() is not None

    def _record(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            record = data["pin"]
            if record.get("algorithm") != "scrypt":
                return None
            return dict(record)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def locked_for(self, now: float) -> float:
        """Seconds until the pad opens again (0 when it is open)."""
        return max(0.0, self.locked_until - now)

    def tries_left(self) -> int:
        return MAX_TRIES - self.wrong_in_a_row

    def check(self, pin: str, now: float) -> bool:
        """True for the right PIN. Wrong ones count toward the lockout."""
        if self.locked_for(now) > 0:
            return False
        record = self._record()
        if record is None:
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
            self.wrong_in_a_row = 0
            return True
        self.wrong_in_a_row += 1
        if self.wrong_in_a_row >= MAX_TRIES:
            self.locked_until = now + LOCKOUT_S
            self.wrong_in_a_row = 0
        return False
