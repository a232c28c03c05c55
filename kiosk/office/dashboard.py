"""The office's web dashboard (DESIGN §1, §4): login, usage totals as a chart and a table
with filters, the station list, and the CSV/XLSX downloads of exactly what is shown.

Server-rendered HTML (Jinja2) with one local stylesheet and no JavaScript, so it works
offline on the office LAN. `kiosk.office.app.create_app` calls `install` (the routes and
the handlers of what the dependencies raise); the engine is `request.app.state.engine`,
"now" comes from `request.app.state.clock`.

Sessions are server-side (`kiosk.office.sessions`): the cookie ``telpa_office_session``
holds a random id, HttpOnly, SameSite=Strict, Secure when the request came over HTTPS
(directly or through the proxy's ``X-Forwarded-Proto``). Pages depend on `require_account`
(the route parameter type `CurrentUser`), downloads on `require_account_for_download`,
pages for coordinators only on `require_coordinator_role` (`CoordinatorOnly`). The
signed-in account is an `kiosk.office.accounts.Actor`: a librarian's figures, downloads
and stations are those of her library (`may_see`); asking for another library's is a
`NotAllowed`, answered 403 with its reason on a page. Logins are throttled per name and
per address, the same for both roles. Every form that changes something is a POST carrying
a CSRF token: the session's own (`checked_form`), or for the login form, before there is
a session, a fresh signature of the nonce in the ``telpa_office_login`` cookie
(`login_form`, `kiosk.office.signing`). The usage filters are a GET form read into
`reports.ReportParams`: they change nothing, and a token would end up in URLs.

Language: ``?lang=lv|lt|en`` (the switcher in the header) is remembered in a cookie;
otherwise the browser's Accept-Language decides, otherwise Latvian.

Over 500 lines because it holds every page's route with its form handling side by side
(login, usage, stations, downloads), which is how a reviewer checks that each one carries
its authentication and CSRF check; the queries, sessions and security live elsewhere.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_skeleton, format_time, format_timedelta
from babel.numbers import format_decimal
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from kiosk.errors import TelpaError
from kiosk.i18n import LANGUAGES, NATIVE_NAMES, load_catalog
from kiosk.office import reports, sessions
from kiosk.office.accounts import COORDINATORS_ONLY, NotAllowed
from kiosk.office.models import ActivityTotal, Site, Station
from kiosk.office.sessions import SignedIn
from kiosk.office.signing import LoginFormSigner

router = APIRouter(include_in_schema=False)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

SESSION_COOKIE = "telpa_office_session"
LOGIN_CSRF_COOKIE = "telpa_office_login"
LANG_COOKIE = "telpa_office_lang"
DEFAULT_LANGUAGE = "lv"
#: A station whose clock is further off than this is flagged on the station list.
CLOCK_SKEW_WARNING_S = 300


def N_(message: str) -> str:
    """Mark a message for the catalogs; it is translated where it is shown."""
    return message


#: Column titles, shared by the table, the chart's caption and the XLSX header.
COLUMN_TITLES = {
    "site": N_("Library"),
    "station": N_("Station"),
    "year": N_("Year"),
    "month": N_("Month"),
    "day": N_("Day"),
    "hour": N_("Hour"),
    "activity": N_("Activity"),
    "session_kind": N_("Solo or group"),
    "age_band": N_("Age band"),
    "sessions": N_("Sessions"),
    "child_visits": N_("Child visits"),
    "hours_of_use": N_("Hours of use"),
    "activity_runs": N_("Activity runs"),
    "completed_runs": N_("Completed runs"),
    "activity_hours": N_("Hours in activities"),
    "sessions_with_controllers": N_("Sessions with controllers"),
    "controllers": N_("Controllers"),
}
SESSION_KIND_NAMES = {"solo": N_("Solo"), "group": N_("Group")}
#: The built-in activities' names (their launcher titles). The office does not import the
#: kiosk's games, so they are listed here; an add-on's id shows as "Other activity (id)".
ACTIVITY_NAMES = {
    "memory": N_("Memory pairs"),
    "quiz": N_("Quiz"),
    "jigsaw": N_("Jigsaw"),
    "sorting": N_("Sort it out!"),
    "words": N_("Word builder"),
    "numbers": N_("Number garden"),
    "draw": N_("Drawing board"),
    "film": N_("Stop-motion studio"),
    "story": N_("Story maker"),
}
AGE_BAND_NAMES = {
    "6-8": N_("6–8 years"),
    "9-11": N_("9–11 years"),
    "12-14": N_("12–14 years"),
    "none": N_("No age band"),
}
#: What the usage page says when its filters cannot be answered (ReportError codes).
REPORT_ERRORS = {
    "report_date_order": N_("The first date is after the last date. Showing everything instead."),
    "report_bad_date": N_(
        "A date could not be read; use the date picker. Showing everything instead."
    ),
    "report_activity_with_age_band": N_(
        "Activity and age band cannot be combined: the kiosks count activity runs without "
        "age bands. Showing everything instead."
    ),
    "report_bad_request": N_("These filters cannot be used together. Showing everything instead."),
}
#: Bar colours of the chart, one per library (dark enough on white, told apart by hue).
PALETTE = ("#2a6f97", "#c4661f", "#3a7d44", "#7b4fa0", "#a23b52", "#5c6b73")


# --- language -----------------------------------------------------------------------------


@cache
def _catalog(lang: str) -> Any:
    return load_catalog(lang)


@dataclass(frozen=True)
class Texts:
    """One request's language: translation and locale-aware formatting."""

    lang: str

    def gettext(self, message: str) -> str:
        return str(_catalog(self.lang).gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(_catalog(self.lang).ngettext(singular, plural, n))

    def number(self, value: int | float, decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return str(format_decimal(value, format=pattern, locale=self.lang))

    def measure(self, name: str, value: int | float) -> str:
        return self.number(value, 1 if name in ("hours_of_use", "activity_hours") else 0)

    def month(self, key: str) -> str:
        year, month = key.split("-")
        label = str(format_date(date(int(year), int(month), 1), "LLLL yyyy", locale=self.lang))
        return label[:1].upper() + label[1:]  # "oktobris 2026" starts a table cell

    def month_short(self, key: str) -> tuple[str, str]:
        year, month = key.split("-")
        label = format_date(date(int(year), int(month), 1), "LLL", locale=self.lang)
        return str(label), year

    def day(self, key: str) -> str:
        return str(format_date(date.fromisoformat(key), "medium", locale=self.lang))

    def moment(self, when: datetime, zone: str) -> str:
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            tz = ZoneInfo("UTC")
        local = when.astimezone(tz)
        day = format_skeleton("yMMMd", local, locale=self.lang)
        return f"{day} {format_time(local, 'short', tzinfo=tz, locale=self.lang)}"

    def ago(self, when: datetime, now: datetime) -> str:
        return str(format_timedelta(when - now, add_direction=True, locale=self.lang))

    def duration(self, seconds: int) -> str:
        return str(format_timedelta(timedelta(seconds=seconds), threshold=2, locale=self.lang))

    def activity(self, activity_id: str) -> str:
        """An activity's name in this language (never the bare id of a built-in one)."""
        known = ACTIVITY_NAMES.get(activity_id)
        if known is not None:
            return self.gettext(known)
        return self.gettext("Other activity (%(id)s)") % {"id": activity_id}


def _accepted_language(header: str) -> str | None:
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for extra in pieces[1:]:
            name, _, value = extra.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag in LANGUAGES and quality > 0:
            choices.append((-quality, index, tag))
    return min(choices)[2] if choices else None


def request_language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return _accepted_language(request.headers.get("accept-language", "")) or DEFAULT_LANGUAGE


# --- templates ----------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = request_language(request)
    texts = Texts(lang)
    here = request.url.path
    others = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    switcher = [
        (code, NATIVE_NAMES[code], here + "?" + urlencode([*others, ("lang", code)]))
        for code in LANGUAGES
    ]
    html = (
        _environment()
        .get_template(name)
        .render(
            lang=lang,
            _=texts.gettext,
            gettext=texts.gettext,
            ngettext=texts.ngettext,
            t=texts,
            switcher=switcher,
            path=here,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict"
        )
    return response


# --- sessions -----------------------------------------------------------------------------


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


class LoginRequired(TelpaError):
    """No live session: pages send the browser to the login, downloads answer 401."""

    code = "login_required"

    def __init__(self, download: bool) -> None:
        super().__init__("log in first")
        self.download = download


class FormRejected(TelpaError):
    """A POST without the right CSRF token (an old page, or a form on another site)."""

    code = "form_rejected"


def signed_in(request: Request) -> SignedIn | None:
    """The account whose live session the request's cookie names, if any."""
    return sessions.find_session(
        _engine(request), request.cookies.get(SESSION_COOKIE), _now(request)
    )


def require_account(request: Request) -> SignedIn:
    """Dependency of every dashboard page: the signed-in account (coordinator or
    librarian), or to the login."""
    found = signed_in(request)
    if found is None:
        raise LoginRequired(download=False)
    return found


def require_account_for_download(request: Request) -> SignedIn:
    """Dependency of the CSV/XLSX downloads: the signed-in account, or 401."""
    found = signed_in(request)
    if found is None:
        raise LoginRequired(download=True)
    return found


#: A route parameter for the signed-in account (a page's dependency); its `may_see`,
#: `may_publish_to` … say what it may do.
CurrentUser = Annotated[SignedIn, Depends(require_account)]
#: The name the pack pages import: any signed-in account, librarians too (what each may
#: change is checked by the content store).
Coordinator = CurrentUser


def require_coordinator_role(who: CurrentUser) -> SignedIn:
    """Dependency of the pages for coordinators only (accounts): a librarian gets 403."""
    if not who.is_coordinator:
        raise NotAllowed(COORDINATORS_ONLY, site=who.site or "")
    return who


#: A route parameter for a signed-in coordinator.
CoordinatorOnly = Annotated[SignedIn, Depends(require_coordinator_role)]


def _same_token(given: object, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(str(given or "").encode(), expected.encode())


async def checked_form(request: Request, who: CurrentUser) -> FormData:
    """Dependency of a signed-in POST: its form, after checking the session's CSRF token."""
    form = await request.form()
    if not _same_token(form.get("csrf_token"), who.csrf_token):
        raise FormRejected()
    return form


def _login_signer(request: Request) -> LoginFormSigner:
    signer: LoginFormSigner = request.app.state.login_form_signer
    return signer


async def login_form(request: Request) -> FormData:
    """Dependency of POST /login: its form, after checking that its token is a fresh
    signature of the nonce in the cookie the login page set (there is no session yet to
    hold a token; see `kiosk.office.signing`)."""
    form = await request.form()
    token = str(form.get("csrf_token") or "")
    nonce = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not _login_signer(request).matches(token, nonce):
        raise FormRejected()
    return form


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The login form, its token signing this browser's login cookie (made when missing)."""
    nonce = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    fresh = not 32 <= len(nonce) <= 64
    if fresh:
        nonce = secrets.token_urlsafe(32)
    token = _login_signer(request).token_for(nonce)
    context.setdefault("next", "/")
    response = _render(request, "login.html", status_code, csrf_token=token, **context)
    if fresh:
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/login",
        )
    return response


def install(app: FastAPI) -> None:
    """Add the dashboard to an office app: its routes and what its dependencies raise."""

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        if exc.download:
            return PlainTextResponse(
                "Log in to the dashboard first (/login).\n",
                status_code=401,
                headers={"WWW-Authenticate": 'Cookie realm="telpa-office"'},
            )
        return _to_login(request)

    @app.exception_handler(NotAllowed)
    async def _not_allowed(request: Request, exc: NotAllowed) -> Response:
        return refused_page(request, exc)

    @app.exception_handler(FormRejected)
    async def _form_rejected(request: Request, exc: FormRejected) -> Response:
        if request.url.path == "/login":
            return _login_page(
                request, 403, stale=True, next=_safe_next(request.query_params.get("next"))
            )
        return PlainTextResponse(
            "This form was out of date or came from another site, so nothing was done. "
            "Go back, reload the page and try again.\n",
            status_code=403,
        )

    app.state.login_form_signer = LoginFormSigner(app.state.clock)
    app.include_router(router)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, changed: bool = False) -> Response:
    if signed_in(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next=_safe_next(next), changed=changed)


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request, form: Annotated[FormData, Depends(login_form)]
) -> Response:
    login = str(form.get("login", "")).strip()
    password = str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "") or "/"))
    # Password hashing is slow on purpose: keep it off the event loop.
    return await run_in_threadpool(_finish_login, request, login, password, target)


def refused_page(request: Request, refusal: NotAllowed) -> Response:
    """403: what the account may not do, in the page's language (plain text for a
    download link)."""
    texts = Texts(request_language(request))
    message = texts.gettext(refusal.message) % refusal.values
    if request.url.path.startswith("/reports/"):
        return PlainTextResponse(message + "\n", status_code=403)
    return _render(request, "refused.html", 403, who=signed_in(request), message=message)


def _finish_login(request: Request, login: str, password: str, target: str) -> Response:
    from kiosk.office.auth import check_account

    engine = _engine(request)
    now = _now(request)
    address = request.client.host if request.client is not None else "unknown"
    blocked_until = sessions.begin_attempt(engine, login, address, now)
    if blocked_until is not None:
        wait = max(1, math.ceil((blocked_until - now).total_seconds()))
        response = _login_page(request, 429, next=target, login_value=login, wait_seconds=wait)
        response.headers["Retry-After"] = str(wait)
        return response
    if not login or not password or not check_account(engine, login, password):
        return _login_page(request, 401, next=target, login_value=login, failed=True)
    sessions.login_succeeded(engine, login, address)
    session_id, _who = sessions.start_session(engine, login, now)
    redirect = RedirectResponse(target, status_code=303)
    redirect.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(sessions.LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    redirect.delete_cookie(LOGIN_CSRF_COOKIE, path="/login", httponly=True, samesite="strict")
    return redirect


@router.post("/logout")
def logout(request: Request, _form: Annotated[FormData, Depends(checked_form)]) -> Response:
    sessions.end_session(_engine(request), request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return response


@router.get("/static/dashboard.css")
def stylesheet() -> Response:
    return Response(
        (STATIC / "dashboard.css").read_bytes(),
        media_type="text/css",
        headers={"Cache-Control": "max-age=3600"},
    )


# --- usage page ---------------------------------------------------------------------------


#: A route parameter for the report filters of the query string.
Filters = Annotated[reports.ReportParams, Query()]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    site: str
    site_name: str
    month: str
    value: int


@dataclass(frozen=True)
class Chart:
    """Geometry of the library × month bar chart, drawn as inline SVG by the template."""

    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    measure: str
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    month_labels: list[tuple[float, str, str]]
    legend: list[tuple[str, str, str]]


def axis_step(largest: int) -> tuple[int, int]:
    """A round tick step (1, 2 or 5 × 10ⁿ) and the number of steps (at most 6) that reach
    `largest`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            if -(-max(largest, 1) // candidate) <= 6:
                return candidate, -(-max(largest, 1) // candidate)
        step *= 10


def _month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("2026-01"), so a month without use shows as a
    gap rather than silently vanishing from the axis."""
    year, month = (int(part) for part in first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def build_chart(report: reports.UsageReport, measure: str, texts: Texts) -> Chart | None:
    """Bars per library for each month; None when there is nothing to draw."""
    values: dict[tuple[str, str], int] = {
        (str(row.key[0]), str(row.key[1])): int(row.value(measure)) for row in report.rows
    }
    if not values:
        return None
    months = _month_range(min(m for _, m in values), max(m for _, m in values))
    sites = sorted({site for site, _ in values})
    width, height = 1000, 190
    left, right, top, bottom = 56, 12, 12, 150
    step, steps = axis_step(max(values.values()))
    top_value = step * steps
    plot_width = width - left - right
    group = plot_width / len(months)
    bar_width = min(36.0, group * 0.8 / len(sites))
    colours = {site: PALETTE[i % len(PALETTE)] for i, site in enumerate(sites)}
    bars = []
    for m_index, month in enumerate(months):
        start = left + m_index * group + (group - bar_width * len(sites)) / 2
        for s_index, site in enumerate(sites):
            value = values.get((site, month), 0)
            bar_height = (bottom - top) * value / top_value
            bars.append(
                Bar(
                    x=round(start + s_index * bar_width, 2),
                    y=round(bottom - bar_height, 2),
                    width=round(max(bar_width - 2, 1), 2),
                    height=round(bar_height, 2),
                    colour=colours[site],
                    site=site,
                    site_name=report.site_names.get(site, site),
                    month=month,
                    value=value,
                )
            )
    ticks = [(round(bottom - (bottom - top) * i / steps, 2), step * i) for i in range(steps + 1)]
    every = max(1, -(-len(months) // 12))
    month_labels = [
        (round(left + (i + 0.5) * group, 2), *texts.month_short(month))
        for i, month in enumerate(months)
        if i % every == 0
    ]
    legend = [(site, report.site_names.get(site, site), colours[site]) for site in sites]
    return Chart(width, height, left, top, bottom, measure, bars, ticks, month_labels, legend)


def _cell_text(dimension: str, value: Any, report: reports.UsageReport, texts: Texts) -> str:
    if dimension == "site":
        return report.site_names.get(str(value), str(value))
    if dimension == "month":
        return texts.month(str(value))
    if dimension == "day":
        return texts.day(str(value))
    if dimension == "hour":
        return f"{int(value):02d}:00"
    if dimension == "session_kind":
        return texts.gettext(SESSION_KIND_NAMES.get(str(value), str(value)))
    if dimension == "age_band":
        return texts.gettext(AGE_BAND_NAMES.get(str(value), str(value)))
    if dimension == "activity":
        return texts.activity(str(value))
    return str(value)


def scoped(query: reports.UsageQuery, who: SignedIn) -> reports.UsageQuery:
    """The report `who` may see: a librarian's is always her library's (asking for
    another library raises NotAllowed)."""
    if query.site is not None:
        who.check_sees(query.site)
    if who.is_coordinator:
        return query
    return dataclasses.replace(query, site=who.site)


@router.get("/", response_class=HTMLResponse)
def usage_page(request: Request, who: CurrentUser, filters: Filters) -> Response:
    engine = _engine(request)
    texts = Texts(request_language(request))
    error = None
    try:
        query = filters.to_query()
    except reports.ReportError as problem:
        error = texts.gettext(REPORT_ERRORS.get(problem.code, REPORT_ERRORS["report_bad_request"]))
        query = reports.UsageQuery()
    query = scoped(query, who)
    report = reports.run_report(engine, query)
    chart_query = reports.UsageQuery(
        date_from=query.date_from,
        date_to=query.date_to,
        site=query.site,
        activity=query.activity,
        session_kind=query.session_kind,
        age_band=query.age_band,
        group_by=("site", "month"),
    )
    chart_measure = "child_visits" if "child_visits" in query.measures else "activity_runs"
    chart = build_chart(reports.run_report(engine, chart_query), chart_measure, texts)
    rows = [
        (
            [
                _cell_text(d, v, report, texts)
                for d, v in zip(report.dimensions, row.key, strict=True)
            ],
            [texts.measure(m, row.value(m)) for m in report.measures],
        )
        for row in report.rows
    ]
    total = [texts.measure(m, report.total.value(m)) for m in report.measures]
    controller_figures = None
    if "controllers" in report.measures:
        controller_figures = texts.gettext(
            "Sessions with game controllers: %(sessions)s · Controllers in them: %(controllers)s"
        ) % {
            "sessions": texts.number(report.total.value("sessions_with_controllers")),
            "controllers": texts.number(report.total.value("controllers")),
        }
    params = query.params()
    with engine.connect() as conn:
        sites = [
            (r.id, r.name)
            for r in conn.execute(select(Site.id, Site.name).order_by(Site.id))
            if who.may_see(r.id)
        ]
    return _render(
        request,
        "usage.html",
        who=who,
        query=query,
        error=error,
        report=report,
        rows=rows,
        total=total,
        controller_figures=controller_figures,
        chart=chart,
        titles=COLUMN_TITLES,
        sites=sites,
        activities=[(a, texts.activity(a)) for a in _activities(engine, who)],
        session_kinds=SESSION_KIND_NAMES,
        age_bands=AGE_BAND_NAMES,
        dimensions=reports.DIMENSIONS,
        csv_url="/reports/usage.csv?" + urlencode(params),
        xlsx_url="/reports/usage.xlsx?" + urlencode({**params, "lang": texts.lang}),
    )


def _activities(engine: Engine, who: SignedIn) -> list[str]:
    """The activity filter's choices: every activity the office has seen, or for a
    librarian those her library's stations ran (another library's add-ons stay its own)."""
    if who.is_coordinator:
        return reports.activities(engine)
    statement = (
        select(ActivityTotal.activity)
        .where(ActivityTotal.site_id == who.site)
        .distinct()
        .order_by(ActivityTotal.activity)
    )
    with engine.connect() as conn:
        return [str(value) for value in conn.execute(statement).scalars()]


# --- station list -------------------------------------------------------------------------


@dataclass(frozen=True)
class StationLine:
    site_name: str
    station: str
    last_sync: str
    last_sync_ago: str
    app_version: str
    clock_skew: str
    clock_off: bool
    last_conflicts: int
    conflicts_total: int
    #: "fire-station v3, spelling v1": the pack versions the station reported it runs.
    packs: str = ""
    #: "bakery v2: the pack check failed: …" for each pack that failed there.
    failed: tuple[str, ...] = ()


def _skew_text(seconds: int, texts: Texts) -> str:
    if seconds == 0:
        return texts.gettext("in step")
    if seconds > 0:
        return texts.gettext("%(duration)s ahead") % {"duration": texts.duration(seconds)}
    return texts.gettext("%(duration)s behind") % {"duration": texts.duration(-seconds)}


@router.get("/stations", response_class=HTMLResponse)
def stations_page(request: Request, who: CurrentUser) -> Response:
    texts = Texts(request_language(request))
    now = _now(request)
    statement = (
        select(
            Station.station,
            Station.last_sync_at,
            Station.app_version,
            Station.clock_skew_s,
            Station.last_conflicts,
            Station.conflicts_total,
            Station.site_id,
            Site.name,
            Site.timezone,
        )
        .join(Site, Site.id == Station.site_id)
        .order_by(Site.name, Station.station)
    )
    lines = []
    from kiosk.office.content_store import station_reports

    reports = station_reports(_engine(request))
    with _engine(request).connect() as conn:
        for row in conn.execute(statement):
            if not who.may_see(row.site_id):
                continue
            report = reports.get((row.site_id, row.station), {})
            synced = row.last_sync_at
            if synced.tzinfo is None:
                synced = synced.replace(tzinfo=UTC)
            lines.append(
                StationLine(
                    site_name=row.name,
                    station=row.station,
                    last_sync=texts.moment(synced, row.timezone),
                    last_sync_ago=texts.ago(synced, now),
                    app_version=row.app_version,
                    clock_skew=_skew_text(row.clock_skew_s, texts),
                    clock_off=abs(row.clock_skew_s) > CLOCK_SKEW_WARNING_S,
                    last_conflicts=row.last_conflicts,
                    conflicts_total=row.conflicts_total,
                    packs=", ".join(
                        f"{pack} v{version}"
                        for pack, version in sorted(report.get("running", {}).items())
                    ),
                    failed=tuple(
                        f"{item['pack']} v{item['version']}: {item['problem']}"
                        for item in report.get("failed", [])
                    ),
                )
            )
    return _render(
        request, "stations.html", who=who, stations=lines, settings=_office_settings(request, who)
    )


def _office_settings(request: Request, who: SignedIn) -> list[tuple[str, str, str, str]]:
    """(library, station or "", key, value) of the settings the office sends, for the
    libraries `who` may see (`kiosk office set-settings` sets them)."""
    from kiosk.office.content_models import StationSettings

    statement = (
        select(Site.id, Site.name, StationSettings.station, StationSettings.settings_json)
        .join(Site, Site.id == StationSettings.site_id)
        .order_by(Site.name, StationSettings.station)
    )
    shown = []
    with _engine(request).connect() as conn:
        for row in conn.execute(statement):
            if not who.may_see(row.id):
                continue
            for key, value in sorted(json.loads(row.settings_json).items()):
                shown.append((row.name, row.station, key, json.dumps(value, ensure_ascii=False)))
    return shown


# --- downloads ----------------------------------------------------------------------------


def _download(
    request: Request,
    who: SignedIn,
    filters: reports.ReportParams,
    build: Callable[[reports.UsageReport, Texts], bytes],
    suffix: str,
) -> Response:
    try:
        query = filters.to_query()
    except reports.ReportError as problem:
        return PlainTextResponse(f"Bad report request: {problem}\n", status_code=400)
    query = scoped(query, who)
    report = reports.run_report(_engine(request), query)
    name = "telpa-usage"
    if query.date_from or query.date_to:
        name += f"-{query.date_from or 'start'}-{query.date_to or 'now'}"
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[suffix]
    return Response(
        build(report, Texts(request_language(request))),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'},
    )


#: A route parameter for the signed-in account of a download.
DownloadUser = Annotated[SignedIn, Depends(require_account_for_download)]


@router.get("/reports/usage.csv")
def usage_csv(request: Request, who: DownloadUser, filters: Filters) -> Response:
    return _download(request, who, filters, lambda report, _texts: reports.csv_bytes(report), "csv")


@router.get("/reports/usage.xlsx")
def usage_xlsx(request: Request, who: DownloadUser, filters: Filters) -> Response:
    def build(report: reports.UsageReport, texts: Texts) -> bytes:
        return reports.xlsx_bytes(report, lambda name: texts.gettext(COLUMN_TITLES[name]))

    return _download(request, who, filters, build, "xlsx")
