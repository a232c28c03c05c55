"""Dashboard sessions and login throttling, kept in the office database.

**Sessions.** A good login makes a random session id (256 bits) that only the browser's
cookie holds; the database keeps its sha256 (`DashboardSession`), so neither a backup nor
a look at the database opens the dashboard, and there is no signing key to steal. A session
ends when its account logs out, after `IDLE_TIMEOUT` without a request, `LIFETIME` after
the login whatever happens, when the account's password is set again and when the
account is removed (`end_sessions_of`). Coordinators and librarians have the same
sessions and the same throttling; a session carries its account's role and library
(`SignedIn`, an `kiosk.office.accounts.Actor`). Every session also has a random CSRF token
that each of its forms carries.

**Throttling.** Failed logins are counted per login name and per client address
(`LoginThrottle`), in the database so that a restart or a second worker shares them. From
the `FREE_FAILURES`-th failure on, the name or address is blocked for `FIRST_BLOCK`,
doubling with each further failure up to `LONGEST_BLOCK`. During a block every attempt is
refused without looking at the password — a right one too, so guessing cannot race the
block. An attempt is counted *before* the password is checked (`begin_attempt`), so
parallel guesses cannot slip past the count either; a good login then clears the counts of
its name and address (`login_succeeded`). Counts are forgotten `FORGET_AFTER` the last
failure; `kiosk office set-password` and `remove-user` clear the name's count.

All functions take "now" (aware UTC) from the caller: the app's clock, a test's clock.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.office.accounts import Actor
from kiosk.office.db import is_sqlite, write_transaction
from kiosk.office.models import Account, DashboardSession, LoginThrottle

LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=2)
#: last_seen_at is written at most this often (a write per click would queue behind ingests).
TOUCH_EVERY = timedelta(minutes=1)

FREE_FAILURES = 5
FIRST_BLOCK = timedelta(seconds=1)
LONGEST_BLOCK = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)

LOGIN_SCOPE = "login"
ADDRESS_SCOPE = "address"
_KEY_LENGTH = 64


@dataclass(frozen=True, kw_only=True)
class SignedIn(Actor):
    """The account behind a request's session cookie, with its role and library (read
    from the account at every request, so a removed account is out at once)."""

    login: str
    csrf_token: str
    id_hash: str


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(engine: Engine, login: str, now: datetime) -> tuple[str, SignedIn]:
    """A new session for `login` (an existing account): the id for the cookie (shown
    nowhere else) and the session. Sessions that have expired are swept away on the way."""
    session_id = secrets.token_urlsafe(32)
    with write_transaction(engine) as connection:
        _sweep(connection, now)
        account = connection.execute(
            select(Account.role, Account.site_id).where(Account.login == login)
        ).one()
        signed_in = SignedIn(
            role=account.role,
            site=account.site_id,
            login=login,
            csrf_token=secrets.token_urlsafe(32),
            id_hash=session_hash(session_id),
        )
        connection.execute(
            DashboardSession.__table__.insert().values(  # type: ignore[attr-defined]
                id_hash=signed_in.id_hash,
                login=login,
                csrf_token=signed_in.csrf_token,
                created_at=now,
                last_seen_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return session_id, signed_in


def find_session(engine: Engine, session_id: str | None, now: datetime) -> SignedIn | None:
    """The live session a cookie names, or None (unknown, ended, idle or too old)."""
    if not session_id or len(session_id) > 100:
        return None
    id_hash = session_hash(session_id)
    with engine.connect() as connection:
        row = connection.execute(
            select(
                DashboardSession.login,
                DashboardSession.csrf_token,
                DashboardSession.last_seen_at,
                DashboardSession.expires_at,
                Account.role,
                Account.site_id,
            )
            .join(Account, Account.login == DashboardSession.login)
            .where(DashboardSession.id_hash == id_hash)
        ).first()
    if row is None:
        return None
    if now >= row.expires_at or now - row.last_seen_at >= IDLE_TIMEOUT:
        end_session(engine, session_id)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with write_transaction(engine) as connection:
            connection.execute(
                update(DashboardSession)
                .where(DashboardSession.id_hash == id_hash)
                .values(last_seen_at=now)
            )
    return SignedIn(
        role=row.role, site=row.site_id, login=row.login, csrf_token=row.csrf_token, id_hash=id_hash
    )


def end_session(engine: Engine, session_id: str) -> None:
    with write_transaction(engine) as connection:
        connection.execute(
            delete(DashboardSession).where(DashboardSession.id_hash == session_hash(session_id))
        )


def end_sessions_of(connection: Connection, login: str) -> int:
    """End every session of `login` (inside the caller's transaction); how many ended."""
    result = connection.execute(delete(DashboardSession).where(DashboardSession.login == login))
    return int(result.rowcount or 0)


def _sweep(connection: Connection, now: datetime) -> None:
    connection.execute(
        delete(DashboardSession).where(
            or_(
                DashboardSession.expires_at <= now,
                DashboardSession.last_seen_at <= now - IDLE_TIMEOUT,
            )
        )
    )
    connection.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at <= now - FORGET_AFTER,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= now),
        )
    )


# --- throttling ---------------------------------------------------------------------------


def block_after(failures: int) -> timedelta | None:
    """How long a name or address is blocked after its `failures`-th failure in a row."""
    if failures < FREE_FAILURES:
        return None
    doublings = min(failures - FREE_FAILURES, 30)
    return min(FIRST_BLOCK * 2**doublings, LONGEST_BLOCK)


def _keys(login: str, address: str) -> list[tuple[str, str]]:
    keys = [(ADDRESS_SCOPE, address[:_KEY_LENGTH] or "unknown")]
    if login and len(login) <= _KEY_LENGTH:
        keys.insert(0, (LOGIN_SCOPE, login))
    return keys


def begin_attempt(engine: Engine, login: str, address: str, now: datetime) -> datetime | None:
    """Count a login attempt of `login` from `address` as failed until `login_succeeded`
    says otherwise. Returns None when the password may be checked, or the time until
    which this name or address is blocked (nothing is counted then)."""
    keys = _keys(login, address)
    insert: Callable[[Any], Any] = sqlite.insert if is_sqlite(engine) else postgresql.insert
    table = LoginThrottle.__table__
    with write_transaction(engine) as connection:
        _sweep(connection, now)
        for scope, key in keys:
            connection.execute(
                insert(table)
                .values(scope=scope, key=key, failures=0, last_failure_at=now, blocked_until=None)
                .on_conflict_do_nothing(index_elements=["scope", "key"])
            )
        matches = or_(*(and_(table.c.scope == s, table.c.key == k) for s, k in keys))
        rows = connection.execute(
            select(table.c.scope, table.c.key, table.c.failures, table.c.last_failure_at)
            .add_columns(table.c.blocked_until)
            .where(matches)
            .with_for_update()
        ).all()
        blocks = [row.blocked_until for row in rows if row.blocked_until is not None]
        latest = max(blocks, default=None)
        if latest is not None and latest > now:
            return latest
        for row in rows:
            stale = now - row.last_failure_at >= FORGET_AFTER
            failures = 1 if stale else row.failures + 1
            block = block_after(failures)
            connection.execute(
                update(LoginThrottle)
                .where(LoginThrottle.scope == row.scope, LoginThrottle.key == row.key)
                .values(
                    failures=failures,
                    last_failure_at=now,
                    blocked_until=None if block is None else now + block,
                )
            )
    return None


def login_succeeded(engine: Engine, login: str, address: str) -> None:
    """The attempt `begin_attempt` counted was right: forget the failures of the name and
    of the address (a coordinator's own typos never add up over a day; guessing someone
    else's password is still counted on that name)."""
    with write_transaction(engine) as connection:
        clear_login_throttle(connection, login)
        connection.execute(
            delete(LoginThrottle).where(
                LoginThrottle.scope == ADDRESS_SCOPE,
                LoginThrottle.key == _keys("", address)[0][1],
            )
        )


def clear_login_throttle(connection: Connection, login: str) -> None:
    connection.execute(
        delete(LoginThrottle).where(LoginThrottle.scope == LOGIN_SCOPE, LoginThrottle.key == login)
    )
