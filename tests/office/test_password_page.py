"""A signed-in librarian (or coordinator) changes her own password on the dashboard: the old
one must be right, tries are throttled like logins, the new one follows the account rules,
and a change ends every session of the account, this one included."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine

from kiosk.office.auth import check_account, create_account
from kiosk.office.sessions import FREE_FAILURES
from tests.office.test_dashboard import PASSWORD, form_token, login_form
from tests.office.test_dashboard import office as office  # noqa: F401  (a fixture)

LIBRARIAN = "ilze"
NEW = "a new one only ilze knows"


def _as_librarian(office: httpx.Client, office_engine: Engine) -> str:  # noqa: F811
    create_account(office_engine, LIBRARIAN, PASSWORD, "librarian", "ludza")
    assert office.post("/login", data=login_form(office, login=LIBRARIAN)).status_code == 303
    page = office.get("/password?lang=lv")
    assert page.status_code == 200
    assert 'href="/password"' in office.get("/").text  # the link beside the login name
    return form_token(page.text)


def _change(
    office: httpx.Client, token: str, current: str, new: str, again: str = ""
) -> httpx.Response:  # noqa: F811
    data = {
        "csrf_token": token,
        "current": current,
        "password": new,
        "password_again": again or new,
    }
    return office.post("/password", data=data)


def test_a_librarian_changes_her_password_and_logs_in_again_with_it(
    office: httpx.Client,  # noqa: F811
    office_engine: Engine,
) -> None:
    token = _as_librarian(office, office_engine)
    other = httpx.Client(base_url=str(office.base_url))
    assert other.post("/login", data=login_form(other, login=LIBRARIAN)).status_code == 303
    assert other.get("/").status_code == 200
    changed = _change(office, token, PASSWORD, NEW)
    assert changed.status_code == 303
    assert changed.headers["location"].startswith("/login?changed=1")
    notice = office.get(changed.headers["location"])
    assert "Jūsu parole ir nomainīta" in notice.text
    assert office.get("/", follow_redirects=False).status_code == 303  # logged out here
    assert other.get("/", follow_redirects=False).status_code == 303  # and elsewhere
    assert check_account(office_engine, LIBRARIAN, NEW)
    assert not check_account(office_engine, LIBRARIAN, PASSWORD)
    again = login_form(office, login=LIBRARIAN, password=NEW)
    assert office.post("/login", data=again).status_code == 303


def test_a_wrong_current_password_a_short_or_mistyped_new_one_change_nothing(
    office: httpx.Client,  # noqa: F811
    office_engine: Engine,
) -> None:
    token = _as_librarian(office, office_engine)
    wrong = _change(office, token, "not my password", NEW)
    assert wrong.status_code == 403 and "Pašreizējā parole nav pareiza" in wrong.text
    differ = _change(office, token, PASSWORD, NEW, again=NEW + "x")
    assert differ.status_code == 422
    short = _change(office, token, PASSWORD, "short")
    assert short.status_code == 422 and "vismaz 10" in short.text.split("password-problem")[1]
    assert check_account(office_engine, LIBRARIAN, PASSWORD)
    assert office.get("/").status_code == 200  # still logged in


def test_guessing_through_the_form_is_throttled_like_logins(
    office: httpx.Client,  # noqa: F811
    office_engine: Engine,
) -> None:
    token = _as_librarian(office, office_engine)
    for _ in range(FREE_FAILURES):
        assert _change(office, token, "guess", NEW).status_code == 403
    blocked = _change(office, token, PASSWORD, NEW)  # even the right one waits now
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert check_account(office_engine, LIBRARIAN, PASSWORD)


def test_the_form_needs_the_sessions_token_and_a_login(
    office: httpx.Client,  # noqa: F811
    office_engine: Engine,
) -> None:
    _as_librarian(office, office_engine)
    assert _change(office, "forged", PASSWORD, NEW).status_code == 403
    assert check_account(office_engine, LIBRARIAN, PASSWORD)
    stranger = httpx.Client(base_url=str(office.base_url))
    assert stranger.get("/password", follow_redirects=False).status_code == 303
