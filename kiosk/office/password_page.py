"""The dashboard's "Change password" page, for every account: a librarian given her first
password by a coordinator (or a coordinator by IT) replaces it with one only she knows.

The form asks for the current password and the new one twice, and carries the session's
CSRF token (`checked_form`). The current password is checked like a login — counted by the
same throttle (`kiosk.office.sessions.begin_attempt`), so this form is no way around the
login's limit on guessing — and the new one must follow the rules of `kiosk.office.auth`.
A change ends every session of the account, this one included (as `kiosk office
set-password` does), and the login page says the password was changed."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from kiosk.office import sessions
from kiosk.office.accounts_page import N_, PASSWORDS_DIFFER, PROBLEMS
from kiosk.office.auth import MIN_PASSWORD_LENGTH, AccountError, check_account, set_password
from kiosk.office.dashboard import (
    SESSION_COOKIE,
    CurrentUser,
    Texts,
    _now,
    _render,
    checked_form,
    request_language,
)
from kiosk.office.sessions import SignedIn

router = APIRouter(include_in_schema=False)


WRONG_CURRENT = N_("The current password is not right; nothing was changed.")
TOO_MANY = N_("Too many wrong passwords. Wait %(duration)s, then try again.")


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _page(request: Request, who: SignedIn, status_code: int = 200, problem: str = "") -> Response:
    return _render(
        request,
        "password.html",
        status_code,
        who=who,
        problem=problem,
        minimum=MIN_PASSWORD_LENGTH,
    )


@router.get("/password", response_class=HTMLResponse)
def password_page(request: Request, who: CurrentUser) -> Response:
    return _page(request, who)


@router.post("/password", response_class=HTMLResponse)
async def change_password(
    request: Request, who: CurrentUser, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    texts = Texts(request_language(request))
    current = str(form.get("current", ""))
    new = str(form.get("password", ""))
    if new != str(form.get("password_again", "")):
        return _page(request, who, 422, texts.gettext(PASSWORDS_DIFFER))
    # Password hashing is slow on purpose: keep it off the event loop.
    return await run_in_threadpool(_change, request, who, texts, current, new)


def _change(request: Request, who: SignedIn, texts: Texts, current: str, new: str) -> Response:
    engine, now = _engine(request), _now(request)
    address = request.client.host if request.client is not None else "unknown"
    blocked_until = sessions.begin_attempt(engine, who.login, address, now)
    if blocked_until is not None:
        wait = max(1, math.ceil((blocked_until - now).total_seconds()))
        message = texts.gettext(TOO_MANY) % {"duration": texts.duration(wait)}
        response = _page(request, who, 429, message)
        response.headers["Retry-After"] = str(wait)
        return response
    if not check_account(engine, who.login, current):
        return _page(request, who, 403, texts.gettext(WRONG_CURRENT))
    sessions.login_succeeded(engine, who.login, address)
    try:
        set_password(engine, who.login, new)
    except AccountError as error:
        template = PROBLEMS.get(error.reason)
        shown = texts.gettext(template) % error.values if template else str(error)
        return _page(request, who, 422, shown)
    redirect = RedirectResponse(f"/login?changed=1&lang={texts.lang}", status_code=303)
    redirect.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return redirect
