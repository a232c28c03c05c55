"""The dashboard's Accounts page, for coordinators only: every login with its role and
library, a form that adds a coordinator or a library's librarian, and a Remove button
per login — what `kiosk office add-user` / `remove-user` / `list-users` do.

Every route depends on `CoordinatorOnly`, so a librarian gets the 403 page saying that
only coordinators manage accounts (the form handlers included: a librarian's direct POST
changes nothing). Every POST carries the session's CSRF token (`checked_form`). The rules
(an existing login, an unknown library, a short password, the last coordinator) are those
of `kiosk.office.auth`; the page shows each in its own language next to the form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from kiosk.office.auth import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    create_account,
    list_accounts,
    remove_account,
)
from kiosk.office.dashboard import (
    CoordinatorOnly,
    Texts,
    _render,
    checked_form,
    request_language,
)
from kiosk.office.models import ROLES, Site

router = APIRouter(include_in_schema=False)


def N_(message: str) -> str:
    return message


ROLE_NAMES = {"coordinator": N_("Coordinator"), "librarian": N_("Librarian")}
#: What the page says for each rule of `kiosk.office.auth` (AccountError.reason).
PROBLEMS = {
    "login_pattern": N_(
        "Use 1 to 64 letters, digits and . _ @ - for the login, starting with a letter or digit."
    ),
    "login_taken": N_("The login %(login)s already exists; choose another one."),
    "role": N_("Choose coordinator or librarian."),
    "needs_site": N_("A librarian belongs to one library: choose it."),
    "site_for_coordinator": N_(
        "A coordinator works with every library: leave the library empty, or make a librarian."
    ),
    "unknown_site": N_("Choose the librarian's library from the list."),
    "short_password": N_("The password is too short: use at least %(minimum)d characters."),
    "unknown_login": N_("There is no account %(login)s (it may have been removed already)."),
    "last_coordinator": N_(
        "%(login)s is the last coordinator, and the office needs one to manage the accounts: "
        "add another coordinator first."
    ),
}
PASSWORDS_DIFFER = N_("The two passwords differ.")


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _page(request: Request, who: Any, status_code: int = 200, **context: Any) -> HTMLResponse:
    engine = _engine(request)
    texts = Texts(request_language(request))
    with engine.connect() as conn:
        sites = [(r.id, r.name) for r in conn.execute(select(Site.id, Site.name).order_by(Site.id))]
    names = dict(sites)
    accounts = [
        (
            account.login,
            texts.gettext(ROLE_NAMES[account.role]),
            names.get(account.site, account.site) if account.site else "",
            texts.moment(account.created_at, "UTC"),
        )
        for account in list_accounts(engine)
    ]
    context.setdefault("values", {})
    return _render(
        request,
        "accounts.html",
        status_code,
        who=who,
        accounts=accounts,
        sites=sites,
        roles=[(role, ROLE_NAMES[role]) for role in ROLES],
        minimum=MIN_PASSWORD_LENGTH,
        **context,
    )


def _problem(texts: Texts, error: AccountError) -> str:
    template = PROBLEMS.get(error.reason)
    if template is None:
        return str(error)
    return texts.gettext(template) % error.values


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, who: CoordinatorOnly) -> Response:
    return _page(request, who)


@router.post("/accounts", response_class=HTMLResponse)
async def add_account(
    request: Request, who: CoordinatorOnly, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    texts = Texts(request_language(request))
    login = str(form.get("login", "")).strip()
    role = str(form.get("role", ""))
    site = str(form.get("site", "")) or None
    password = str(form.get("password", ""))
    values = {"login": login, "role": role, "site": site or ""}
    if password != str(form.get("password_again", "")):
        return _page(request, who, 422, problem=texts.gettext(PASSWORDS_DIFFER), values=values)
    try:
        # Password hashing is slow on purpose: keep it off the event loop.
        await run_in_threadpool(create_account, _engine(request), login, password, role, site)
    except AccountError as error:
        return _page(request, who, 422, problem=_problem(texts, error), values=values)
    if role == "librarian":
        done = texts.gettext(
            "%(login)s can now log in as the librarian of %(site)s. Give them the password "
            "in person, not by e-mail."
        ) % {"login": login, "site": site}
    else:
        done = texts.gettext(
            "%(login)s can now log in as a coordinator. Give them the password in person, "
            "not by e-mail."
        ) % {"login": login}
    return _page(request, who, done=done)


@router.post("/accounts/remove", response_class=HTMLResponse)
def remove(
    request: Request, who: CoordinatorOnly, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    texts = Texts(request_language(request))
    login = str(form.get("login", ""))
    try:
        ended = remove_account(_engine(request), login)
    except AccountError as error:
        return _page(request, who, 422, problem=_problem(texts, error))
    done = texts.gettext("%(login)s is removed; open sessions ended: %(count)d.") % {
        "login": login,
        "count": ended,
    }
    return _page(request, who, done=done)
