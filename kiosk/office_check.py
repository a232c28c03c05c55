"""Is the project office reachable from this station, does it take the site token, and do
the two clocks agree? Asked by `kiosk setup` (before it saves a token) and `kiosk doctor`.

Two requests, both harmless:

- ``GET /api/v1/health`` (no token): the office answers, and its HTTP ``Date`` header gives
  its clock, compared with this station's to the second (the midpoint of the request);
- ``GET /api/v1/totals?site=…&station=…&from=today&to=today`` with the token: 200 means the
  office takes the token for this site, 401 that it does not know it, 403 that it belongs
  to another site. Nothing is written at the office.

The token goes only into the ``Authorization`` header; no result, message or exception
here ever holds it. TLS certificates are verified (httpx's default).
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx

HEALTH_PATH = "/api/v1/health"
TOTALS_PATH = "/api/v1/totals"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
#: Clocks further apart than this get a warning: the station's hourly totals would be
#: filed under the wrong hour, and the office refuses dates after tomorrow.
SKEW_WARN_S = 5 * 60

TokenVerdict = Literal["accepted", "unknown", "other_site", "not_checked", "unexpected"]


@dataclass(frozen=True)
class OfficeCheck:
    """What the office said. `problem` is a plain-English reason when it could not be
    reached; `token` says what it made of the token; `skew_s` is the office's clock minus
    this station's, in seconds, when the office sent its time."""

    url: str
    reachable: bool
    problem: str = ""
    token: TokenVerdict = "not_checked"
    #: For "unexpected": the HTTP status of the token request.
    token_status: int | None = None
    skew_s: float | None = None

    @property
    def skew_too_large(self) -> bool:
        return self.skew_s is not None and abs(self.skew_s) > SKEW_WARN_S


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _server_time(response: httpx.Response) -> datetime | None:
    header = response.headers.get("date")
    if not header:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _unreachable(url: str, exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"the office at {url} did not answer in time"
    seen: BaseException | None = exc
    while seen is not None:
        if "CERTIFICATE" in str(seen).upper() or type(seen).__name__.startswith("SSL"):
            return f"the office at {url} did not show a valid TLS certificate"
        seen = seen.__cause__ or seen.__context__
    return f"the office at {url} could not be reached ({type(exc).__name__})"


def check_office(
    url: str,
    token: str | None,
    site: str,
    station: str,
    *,
    now: Callable[[], datetime] = _utc_now,
    http: httpx.Client | None = None,
) -> OfficeCheck:
    """Ask the office at `url` (see the module doc). `now` is this station's clock (aware
    UTC); `http` replaces the client (tests). Never raises for network trouble."""
    base = url.rstrip("/")
    client = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    try:
        before = now()
        try:
            health = client.get(base + HEALTH_PATH)
        except httpx.HTTPError as exc:
            return OfficeCheck(base, reachable=False, problem=_unreachable(base, exc))
        after = now()
        if health.status_code == 404:
            return OfficeCheck(
                base,
                reachable=False,
                problem=f"{base} answered, but it is not a Telpa office (no {HEALTH_PATH})",
            )
        if health.status_code != 200:
            return OfficeCheck(
                base,
                reachable=False,
                problem=f"the office at {base} answered HTTP {health.status_code} "
                "(it may be starting, or its database is down)",
            )
        server = _server_time(health)
        skew = None
        if server is not None:
            midpoint = before + (after - before) / 2
            skew = (server - midpoint).total_seconds()
        if not token:
            return OfficeCheck(base, reachable=True, skew_s=skew)
        today = after.date().isoformat()
        try:
            answer = client.get(
                base + TOTALS_PATH,
                params={"site": site, "station": station, "from": today, "to": today},
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:
            return OfficeCheck(base, reachable=False, problem=_unreachable(base, exc), skew_s=skew)
        verdict: TokenVerdict
        if answer.status_code == 200:
            verdict = "accepted"
        elif answer.status_code == 401:
            verdict = "unknown"
        elif answer.status_code == 403:
            verdict = "other_site"
        else:
            verdict = "unexpected"
        return OfficeCheck(
            base, reachable=True, token=verdict, token_status=answer.status_code, skew_s=skew
        )
    finally:
        if http is None:
            client.close()


def describe_skew(seconds: float) -> str:
    """ "7 minutes behind the office" / "12 seconds ahead of the office" (English)."""
    ahead = seconds < 0  # the office's clock minus ours: negative means ours is ahead
    size = abs(seconds)
    if size >= 120:
        amount = f"{round(size / 60)} minutes"
    else:
        amount = f"{round(size)} seconds"
    return f"{amount} {'ahead of' if ahead else 'behind'} the office"
