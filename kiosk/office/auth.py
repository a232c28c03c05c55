"""Site tokens and coordinator passwords: how they are made, stored and checked.

**Site tokens** are 256 random bits (``secrets.token_urlsafe(32)``, 43 characters), shown
once by `kiosk office add-site` and stored only as their sha256 (hex). A slow, salted hash
buys nothing for a secret that is itself 256 random bits — nobody can guess through that
space, with or without a salt — and a plain digest lets the office find the site of a token
with one indexed lookup instead of trying every site's hash. The found hash is compared
again in constant time.

**Coordinator passwords** are chosen by people, so they get a slow, salted hash:
``hashlib.scrypt`` (n=2**14, r=8, p=1, 16-byte random salt, 32-byte key), stored as
``scrypt$n$r$p$salt_hex$key_hex`` so the cost can be raised later without breaking old
hashes. At least `MIN_PASSWORD_LENGTH` characters. A new password (`set_password`) and
removing a coordinator (`remove_coordinator`) end that coordinator's dashboard sessions
(`kiosk.office.sessions`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import zoneinfo

from sqlalchemy import Connection, Engine, delete, select

from kiosk.errors import TelpaError
from kiosk.office.db import write_transaction
from kiosk.office.models import ID_PATTERN, Coordinator, Site, utc_now
from kiosk.office.sessions import clear_login_throttle, end_sessions_of

MIN_PASSWORD_LENGTH = 10
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_LOGIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"


class OfficeInputError(TelpaError, ValueError):
    """A value given to an office command is not acceptable; the message says why."""

    code = "office_input"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, key_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        key = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(key_hex) // 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key.hex(), key_hex)


def check_site_id(site_id: str) -> None:
    if not re.fullmatch(ID_PATTERN, site_id):
        raise OfficeInputError(
            f"site id {site_id!r}: use 1-40 lowercase letters, digits and '-', starting with "
            "a letter or digit (the same id as `site.id` in the kiosks' config), e.g. ludza"
        )


def check_timezone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise OfficeInputError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/Riga or Europe/Vilnius"
        ) from None


def create_site(
    engine: Engine,
    site_id: str,
    name: str,
    timezone: str = "Europe/Riga",
    *,
    new_token_for_existing: bool = False,
) -> str:
    """Register a site (or, with `new_token_for_existing`, give an existing one a new
    token, which stops the old one); return the token — the only time it exists in clear.

    Raises OfficeInputError for a bad id, name or zone, or a site that already exists."""
    check_site_id(site_id)
    check_timezone(timezone)
    name = name.strip()
    if not name or len(name) > 200 or not name.isprintable():
        raise OfficeInputError("--name: give the library's name (1-200 printable characters)")
    token = new_token()
    with write_transaction(engine) as connection:
        existing = connection.execute(select(Site.id).where(Site.id == site_id)).scalar()
        if existing is not None and not new_token_for_existing:
            raise OfficeInputError(
                f"site {site_id!r} already exists; its token is not shown again. "
                "To replace a lost token use --new-token (the old token stops working)."
            )
        if existing is None:
            connection.execute(
                Site.__table__.insert().values(  # type: ignore[attr-defined]
                    id=site_id,
                    name=name,
                    timezone=timezone,
                    token_hash=token_hash(token),
                    created_at=utc_now(),
                )
            )
        else:
            connection.execute(
                Site.__table__.update()  # type: ignore[attr-defined]
                .where(Site.id == site_id)
                .values(name=name, timezone=timezone, token_hash=token_hash(token))
            )
    return token


def site_for_token(engine: Engine, token: str) -> str | None:
    """The site whose token this is, or None."""
    if not token or len(token) > 200:
        return None
    wanted = token_hash(token)
    with engine.connect() as connection:
        found = connection.execute(
            select(Site.id, Site.token_hash).where(Site.token_hash == wanted)
        ).first()
    if found is None or not hmac.compare_digest(found.token_hash, wanted):
        return None
    return str(found.id)


def _check_login(login: str) -> None:
    if not re.fullmatch(_LOGIN_PATTERN, login):
        raise OfficeInputError(
            f"login {login!r}: use 1-64 letters, digits and . _ @ -, starting with a letter "
            "or digit"
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise OfficeInputError(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH}"
        )


def create_coordinator(engine: Engine, login: str, password: str) -> None:
    """Add a dashboard login, or set a new password for an existing one (which ends its
    sessions, as `set_password` does).

    Raises OfficeInputError for a bad login or a password shorter than
    MIN_PASSWORD_LENGTH."""
    _check_login(login)
    _check_password(password)
    hashed = hash_password(password)
    with write_transaction(engine) as connection:
        exists = connection.execute(
            select(Coordinator.login).where(Coordinator.login == login)
        ).scalar()
        table = Coordinator.__table__
        if exists is None:
            connection.execute(
                table.insert().values(  # type: ignore[attr-defined]
                    login=login, password_hash=hashed, created_at=utc_now()
                )
            )
        else:
            _replace_password(connection, login, hashed)


def _replace_password(connection: Connection, login: str, hashed: str) -> int:
    connection.execute(
        Coordinator.__table__.update()  # type: ignore[attr-defined]
        .where(Coordinator.login == login)
        .values(password_hash=hashed)
    )
    clear_login_throttle(connection, login)
    return end_sessions_of(connection, login)


def set_password(engine: Engine, login: str, password: str) -> int:
    """Give an existing coordinator a new password, end all their dashboard sessions and
    lift a login block on their name; return how many sessions ended.

    Raises OfficeInputError for an unknown login or a short password."""
    _check_password(password)
    hashed = hash_password(password)
    with write_transaction(engine) as connection:
        if not _coordinator_exists(connection, login):
            raise OfficeInputError(_unknown_login(login))
        return _replace_password(connection, login, hashed)


def remove_coordinator(engine: Engine, login: str) -> int:
    """Delete a coordinator and end their sessions; return how many sessions ended.

    Raises OfficeInputError for an unknown login."""
    with write_transaction(engine) as connection:
        if not _coordinator_exists(connection, login):
            raise OfficeInputError(_unknown_login(login))
        ended = end_sessions_of(connection, login)
        clear_login_throttle(connection, login)
        connection.execute(delete(Coordinator).where(Coordinator.login == login))
    return ended


def _coordinator_exists(connection: Connection, login: str) -> bool:
    found = connection.execute(select(Coordinator.login).where(Coordinator.login == login))
    return found.first() is not None


def _unknown_login(login: str) -> str:
    return (
        f"there is no coordinator {login[:64]!r}; `kiosk office add-coordinator {login[:64]}` "
        "adds one"
    )


def check_coordinator(engine: Engine, login: str, password: str) -> bool:
    """Whether `login` exists and `password` is its password."""
    with engine.connect() as connection:
        stored = connection.execute(
            select(Coordinator.password_hash).where(Coordinator.login == login)
        ).scalar()
    if stored is None:
        # Spend the same time as a real check, so timing does not tell which logins exist.
        hash_password(password)
        return False
    return verify_password(password, stored)
