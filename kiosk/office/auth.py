"""Site tokens and dashboard accounts: how they are made, stored and checked.

**Site tokens** are 256 random bits (``secrets.token_urlsafe(32)``, 43 characters), shown
once by `kiosk office add-site` and stored only as their sha256 (hex). A slow, salted hash
buys nothing for a secret that is itself 256 random bits — nobody can guess through that
space, with or without a salt — and a plain digest lets the office find the site of a token
with one indexed lookup instead of trying every site's hash. The found hash is compared
again in constant time.

**Account passwords** (coordinators' and librarians') are chosen by people, so they get a
slow, salted hash:
``hashlib.scrypt`` (n=2**14, r=8, p=1, 16-byte random salt, 32-byte key), stored as
``scrypt$n$r$p$salt_hex$key_hex`` so the cost can be raised later without breaking old
hashes. At least `MIN_PASSWORD_LENGTH` characters. A new password (`set_password`) and
removing an account (`remove_account`) end that account's dashboard sessions
(`kiosk.office.sessions`).

**Accounts** have a role (`kiosk.office.accounts`): a coordinator (every library, the
accounts) or a librarian of one library. `create_account` refuses an existing login, an
unknown library and a coordinator given a library; `remove_account` refuses to remove the
last coordinator, so the office can never be left without someone who manages accounts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select

from kiosk.errors import TelpaError
from kiosk.office.db import write_transaction
from kiosk.office.models import COORDINATOR, ID_PATTERN, LIBRARIAN, ROLES, Account, Site, utc_now
from kiosk.office.sessions import clear_login_throttle, end_sessions_of

MIN_PASSWORD_LENGTH = 10
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_LOGIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"


class OfficeInputError(TelpaError, ValueError):
    """A value given to an office command is not acceptable; the message says why."""

    code = "office_input"


class AccountError(OfficeInputError):
    """An account cannot be added, changed or removed as asked; `reason` says which rule
    (the dashboard shows a translated sentence for it), `values` its details."""

    code = "office_account"

    def __init__(self, reason: str, message: str, **values: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.values = values


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
        raise AccountError(
            "login_pattern",
            f"login {login[:80]!r}: use 1-64 letters, digits and . _ @ -, starting with a "
            "letter or digit",
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "short_password",
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH}",
            minimum=MIN_PASSWORD_LENGTH,
        )


def create_coordinator(engine: Engine, login: str, password: str) -> None:
    """Add a coordinator, or set a new password for an existing login (which ends its
    sessions, as `set_password` does) — `kiosk office add-coordinator`.

    Raises OfficeInputError for a bad login or a password shorter than
    MIN_PASSWORD_LENGTH."""
    _check_login(login)
    _check_password(password)
    hashed = hash_password(password)
    with write_transaction(engine) as connection:
        if _account(connection, login) is None:
            _insert_account(connection, login, hashed, COORDINATOR, None)
        else:
            _replace_password(connection, login, hashed)


def create_account(
    engine: Engine, login: str, password: str, role: str, site: str | None = None
) -> None:
    """Add a login with its role: a coordinator (no `site`) or the librarian of `site`.

    Raises OfficeInputError for a bad or existing login, an unknown role, a librarian
    without a known library, a coordinator given one, or a short password; nothing is
    stored then."""
    _check_login(login)
    if role not in ROLES:
        raise AccountError("role", f"role {role[:40]!r}: use coordinator or librarian")
    if role == COORDINATOR and site:
        raise AccountError(
            "site_for_coordinator",
            "a coordinator works with every library; leave out --site (or use "
            "--role librarian for one library)",
        )
    if role == LIBRARIAN and not site:
        raise AccountError(
            "needs_site",
            "a librarian belongs to one library: give its id with --site, e.g. --site ludza",
        )
    _check_password(password)
    hashed = hash_password(password)
    with write_transaction(engine) as connection:
        existing = _account(connection, login)
        if existing is not None:
            raise AccountError(
                "login_taken",
                f"the login {login!r} already exists ({_describe(existing.role, existing.site_id)})"
                f"; choose another login, or give it a new password with "
                f"`kiosk office set-password {login}`",
                login=login,
            )
        if site is not None:
            known = list(connection.execute(select(Site.id).order_by(Site.id)).scalars())
            if site not in known:
                raise AccountError(
                    "unknown_site",
                    f"there is no library {site[:40]!r} at this office (known: "
                    f"{', '.join(known) or 'none'}); add it first with "
                    "`kiosk office add-site`",
                )
        _insert_account(connection, login, hashed, role, site)


def _describe(role: str, site: str | None) -> str:
    return f"the librarian of {site}" if role == LIBRARIAN else "a coordinator"


def _insert_account(
    connection: Connection, login: str, hashed: str, role: str, site: str | None
) -> None:
    connection.execute(
        Account.__table__.insert().values(  # type: ignore[attr-defined]
            login=login, password_hash=hashed, role=role, site_id=site, created_at=utc_now()
        )
    )


def _replace_password(connection: Connection, login: str, hashed: str) -> int:
    connection.execute(
        Account.__table__.update()  # type: ignore[attr-defined]
        .where(Account.login == login)
        .values(password_hash=hashed)
    )
    clear_login_throttle(connection, login)
    return end_sessions_of(connection, login)


def set_password(engine: Engine, login: str, password: str) -> int:
    """Give an existing account a new password, end all its dashboard sessions and lift a
    login block on its name; return how many sessions ended.

    Raises OfficeInputError for an unknown login or a short password."""
    _check_password(password)
    hashed = hash_password(password)
    with write_transaction(engine) as connection:
        if _account(connection, login) is None:
            raise _unknown_login(login)
        return _replace_password(connection, login, hashed)


def remove_account(engine: Engine, login: str) -> int:
    """Delete an account and end its sessions; return how many sessions ended.

    Raises OfficeInputError for an unknown login and for the last coordinator (nothing is
    removed then)."""
    with write_transaction(engine) as connection:
        found = _account(connection, login)
        if found is None:
            raise _unknown_login(login)
        if found.role == COORDINATOR:
            # Counted inside the write transaction: two removals at once cannot both pass.
            coordinators = connection.execute(
                select(func.count()).select_from(Account).where(Account.role == COORDINATOR)
            ).scalar_one()
            if coordinators <= 1:
                raise AccountError(
                    "last_coordinator",
                    f"{login!r} is the last coordinator, and the office needs one to manage "
                    "the accounts: add another coordinator first (`kiosk office add-user "
                    "LOGIN --role coordinator`); nothing was removed",
                    login=login,
                )
        ended = end_sessions_of(connection, login)
        clear_login_throttle(connection, login)
        connection.execute(delete(Account).where(Account.login == login))
    return ended


@dataclass(frozen=True)
class AccountLine:
    login: str
    role: str
    site: str | None
    created_at: datetime


def list_accounts(engine: Engine) -> list[AccountLine]:
    """Every account: coordinators first, then librarians by library, each by login."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Account.login, Account.role, Account.site_id, Account.created_at).order_by(
                Account.role, Account.site_id, Account.login
            )
        ).all()
    return [AccountLine(r.login, r.role, r.site_id, r.created_at) for r in rows]


def _account(connection: Connection, login: str) -> Any:
    return connection.execute(
        select(Account.role, Account.site_id).where(Account.login == login)
    ).first()


def _unknown_login(login: str) -> AccountError:
    return AccountError(
        "unknown_login",
        f"there is no account {login[:64]!r}; `kiosk office add-user {login[:64]} --role "
        "coordinator` (or `--role librarian --site ID`) adds one",
        login=login[:64],
    )


def check_account(engine: Engine, login: str, password: str) -> bool:
    """Whether `login` exists and `password` is its password."""
    with engine.connect() as connection:
        stored = connection.execute(
            select(Account.password_hash).where(Account.login == login)
        ).scalar()
    if stored is None:
        # Spend the same time as a real check, so timing does not tell which logins exist.
        hash_password(password)
        return False
    return verify_password(password, stored)
