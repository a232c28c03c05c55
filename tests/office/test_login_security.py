"""The dashboard's login over HTTP on loopback: throttling with growing back-off, server-side
sessions that logout, a new password and a removed coordinator end, CSRF tokens on every
form, and the security headers on every response. Time moves through the app's clock."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import Engine, text

from kiosk.office.app import create_app
from kiosk.office.auth import create_coordinator
from kiosk.office.sessions import FREE_FAILURES, IDLE_TIMEOUT, LIFETIME, LONGEST_BLOCK
from tests.office.conftest import OfficeClock, _ServerThread, snapshot_tables
from tests.office.test_cli import office as office_cli
from tests.office.test_dashboard import (
    LOGIN,
    PASSWORD,
    SESSION_COOKIE,
    form_token,
    log_in,
    log_out,
    login_form,
)

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ATTACKER = {"X-Forwarded-For": "203.0.113.7"}
OFFICE_PC = {"X-Forwarded-For": "198.51.100.20"}


@pytest.fixture
def office(office_engine: Engine, http: httpx.Client, office_clock: OfficeClock) -> httpx.Client:
    create_coordinator(office_engine, LOGIN, PASSWORD)
    office_clock.set(START)
    return http


def attempt(
    http: httpx.Client, password: str, login: str = LOGIN, headers: dict[str, str] | None = None
) -> httpx.Response:
    return http.post(
        "/login?lang=en", data=login_form(http, login, password), headers=headers or {}
    )


# --- throttling ---------------------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_is_refused_until_the_block_ends(
    office: httpx.Client, office_clock: OfficeClock
) -> None:
    statuses = [attempt(office, f"wrong guess {n}").status_code for n in range(30)]
    assert statuses == [401] * FREE_FAILURES + [429] * (30 - FREE_FAILURES)
    refused = attempt(office, PASSWORD)
    assert refused.status_code == 429
    assert SESSION_COOKIE not in refused.cookies
    assert refused.headers["retry-after"] == "1"
    assert "Too many failed logins. Wait 1 second, then try again." in refused.text
    office_clock.advance(seconds=1)
    assert attempt(office, PASSWORD).status_code == 303
    assert office.get("/").status_code == 200


def test_thirty_guesses_at_once_get_only_five_password_checks(
    office: httpx.Client, office_clock: OfficeClock
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    clients = [httpx.Client(base_url=str(office.base_url), timeout=60) for _ in range(30)]
    try:
        forms = [
            login_form(client, password=f"guess number {n}") for n, client in enumerate(clients)
        ]
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(
                pool.map(
                    lambda pair: pair[0].post("/login", data=pair[1]).status_code,
                    zip(clients, forms, strict=True),
                )
            )
    finally:
        for client in clients:
            client.close()
    assert sorted(statuses) == [401] * FREE_FAILURES + [429] * (30 - FREE_FAILURES)
    assert attempt(office, PASSWORD).status_code == 429


def test_the_block_doubles_with_each_failure_up_to_fifteen_minutes(
    office: httpx.Client, office_clock: OfficeClock
) -> None:
    for n in range(FREE_FAILURES - 1):
        assert attempt(office, f"wrong {n}").status_code == 401
    waits = []
    for n in range(14):
        assert attempt(office, f"still wrong {n}").status_code == 401
        blocked = attempt(office, PASSWORD)
        assert blocked.status_code == 429
        waits.append(int(blocked.headers["retry-after"]))
        office_clock.advance(seconds=waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]
    assert waits[-1] == LONGEST_BLOCK.total_seconds()
    assert attempt(office, PASSWORD).status_code == 303


def test_the_block_message_is_in_the_dashboard_language(office: httpx.Client) -> None:
    for n in range(FREE_FAILURES):
        attempt(office, f"wrong {n}")
    latvian = office.post("/login?lang=lv", data=login_form(office))
    assert latvian.status_code == 429
    assert "Pārāk daudz neveiksmīgu pieteikšanās mēģinājumu." in latvian.text


def test_one_address_guessing_many_logins_is_blocked_but_others_are_not(
    office: httpx.Client, office_engine: Engine
) -> None:
    for n in range(FREE_FAILURES):
        assert attempt(office, "wrong", login=f"guess{n}", headers=ATTACKER).status_code == 401
    assert attempt(office, PASSWORD, headers=ATTACKER).status_code == 429
    assert attempt(office, PASSWORD, headers=OFFICE_PC).status_code == 303


def test_one_login_guessed_from_many_addresses_is_blocked_everywhere(
    office: httpx.Client,
) -> None:
    for n in range(FREE_FAILURES):
        address = {"X-Forwarded-For": f"203.0.113.{n + 1}"}
        assert attempt(office, "wrong", headers=address).status_code == 401
    assert attempt(office, PASSWORD, headers=OFFICE_PC).status_code == 429


def test_a_good_login_clears_the_count_of_a_few_typos(office: httpx.Client) -> None:
    for _day in range(3):
        for n in range(FREE_FAILURES - 1):
            assert attempt(office, f"typo {n}", headers=OFFICE_PC).status_code == 401
        assert attempt(office, PASSWORD, headers=OFFICE_PC).status_code == 303


def test_blocks_live_in_the_database_so_a_restarted_office_keeps_them(
    office: httpx.Client, office_url: str, office_clock: OfficeClock
) -> None:
    for n in range(FREE_FAILURES):
        attempt(office, f"wrong {n}")
    app = create_app(office_url, clock=office_clock)
    restarted = _ServerThread(app)
    try:
        with httpx.Client(base_url=restarted.start(), timeout=60) as client:
            assert client.post("/login", data=login_form(client)).status_code == 429
    finally:
        restarted.stop()
        app.state.engine.dispose()


# --- sessions -----------------------------------------------------------------------------


def test_the_cookie_is_a_random_id_stored_only_as_its_hash(
    office: httpx.Client, office_engine: Engine
) -> None:
    response = log_in(office)
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header and "secure" not in header
    session_id = office.cookies[SESSION_COOKIE]
    assert len(session_id) >= 43 and LOGIN not in session_id
    stored = repr(snapshot_tables(office_engine))
    assert session_id not in stored
    assert hashlib.sha256(session_id.encode()).hexdigest() in stored
    with office_engine.connect() as connection:
        keys = connection.execute(text("SELECT key FROM settings")).scalars().all()
    assert keys == []  # no signing key anywhere


def test_the_cookie_is_secure_behind_the_https_proxy(office: httpx.Client) -> None:
    response = log_in(office, **{"X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


def test_a_cookie_no_longer_works_after_logout(office: httpx.Client) -> None:
    log_in(office)
    copied = office.cookies[SESSION_COOKIE]
    assert log_out(office).status_code == 303
    office.cookies.set(SESSION_COOKIE, copied)
    assert office.get("/").status_code == 303
    assert office.get("/reports/usage.csv").status_code == 401


def test_unknown_or_guessed_cookies_are_refused(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in(office)
    good = office.cookies[SESSION_COOKIE]
    stored_hash = hashlib.sha256(good.encode()).hexdigest()
    for value in (good[:-1] + ("A" if good[-1] != "A" else "B"), stored_hash, "", "x" * 5000):
        office.cookies.clear()
        office.cookies.set(SESSION_COOKIE, value)
        assert office.get("/").status_code == 303, value
    office.cookies.clear()
    office.cookies.set(SESSION_COOKIE, good)
    assert office.get("/").status_code == 200


def test_a_session_ends_after_two_idle_hours_and_twelve_hours_in_all(
    office: httpx.Client, office_clock: OfficeClock
) -> None:
    log_in(office)
    office_clock.advance(seconds=IDLE_TIMEOUT.total_seconds() - 60)
    assert office.get("/").status_code == 200
    office_clock.advance(seconds=IDLE_TIMEOUT.total_seconds())
    assert office.get("/").status_code == 303

    office_clock.set(START)
    log_in(office)
    hours = int(LIFETIME.total_seconds() // 3600)
    for _hour in range(hours - 1):
        office_clock.advance(hours=1)
        assert office.get("/").status_code == 200
    office_clock.advance(hours=1)
    assert office.get("/").status_code == 303


def test_set_password_ends_every_session_of_that_coordinator(
    office: httpx.Client, office_url: str, office_engine: Engine
) -> None:
    create_coordinator(office_engine, "maris", PASSWORD)
    log_in(office)
    anna = office.cookies[SESSION_COOKIE]
    other = httpx.Client(base_url=str(office.base_url), timeout=60)
    with other:
        other.post("/login", data=login_form(other, "maris"))
        assert other.get("/").status_code == 200
        new_password = "a brand new passphrase"
        result = office_cli(office_url, "set-password", LOGIN, stdin=new_password + "\n")
        assert result.returncode == 0, result.stderr
        assert "1 dashboard session(s)" in result.stdout
        office.cookies.set(SESSION_COOKIE, anna)
        assert office.get("/").status_code == 303
        assert other.get("/").status_code == 200  # maris is still in
    assert log_in(office).status_code == 401
    assert log_in(office, password=new_password).status_code == 303


def test_set_password_for_an_unknown_login_changes_nothing(office_url: str) -> None:
    result = office_cli(office_url, "set-password", "nobody", stdin="long enough password\n")
    assert result.returncode == 2
    assert "there is no account 'nobody'" in result.stderr
    assert "add-user nobody --role" in result.stderr


def test_remove_coordinator_ends_their_sessions_and_their_login(
    office: httpx.Client, office_url: str, office_engine: Engine
) -> None:
    create_coordinator(office_engine, "maris", PASSWORD)  # the office keeps a coordinator
    log_in(office)
    assert office.get("/").status_code == 200
    result = office_cli(office_url, "remove-coordinator", LOGIN)
    assert result.returncode == 0, result.stderr
    assert f"{LOGIN} is removed; 1 dashboard session(s)" in result.stdout
    assert office.get("/").status_code == 303
    assert log_in(office).status_code == 401
    with office_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM dashboard_sessions")).scalar() == 0
    again = office_cli(office_url, "remove-coordinator", LOGIN)
    assert again.returncode == 2 and "there is no account" in again.stderr


# --- CSRF ---------------------------------------------------------------------------------


def test_a_login_post_without_the_pages_token_is_refused(office: httpx.Client) -> None:
    bare = office.post("/login?lang=en", data={"login": LOGIN, "password": PASSWORD})
    assert bare.status_code == 403
    assert SESSION_COOKIE not in bare.cookies
    assert "This login form was out of date." in bare.text
    form = login_form(office)
    office.cookies.clear()  # a form posted from another site carries no login cookie
    assert office.post("/login", data=form).status_code == 403
    forged = {**login_form(office), "csrf_token": "x" * 43}
    assert office.post("/login", data=forged).status_code == 403
    # The refusal page carries a fresh form that works.
    page = office.post("/login?lang=en", data={"login": LOGIN, "password": PASSWORD})
    retry = {"login": LOGIN, "password": PASSWORD, "csrf_token": form_token(page.text)}
    assert office.post("/login", data=retry).status_code == 303


def test_logout_without_the_sessions_token_does_nothing(office: httpx.Client) -> None:
    log_in(office)
    for data in ({}, {"csrf_token": "not the token"}):
        refused = office.post("/logout", data=data)
        assert refused.status_code == 403
        assert "nothing was done" in refused.text
        assert office.get("/").status_code == 200
    assert log_out(office).status_code == 303


def test_every_form_that_posts_carries_a_token(office: httpx.Client) -> None:
    import re

    log_in(office)
    for path in ("/", "/stations"):
        html = office.get(path).text
        posting = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert posting and all('name="csrf_token"' in form for form in posting)


# --- headers ------------------------------------------------------------------------------


def test_every_response_carries_the_security_headers(office: httpx.Client, site_token: str) -> None:
    responses = {"login page": office.get("/login"), "health": office.get("/api/v1/health")}
    responses["missing"] = office.get("/no/such/page")
    responses["api error"] = office.post("/api/v1/totals", content=b"{}")
    log_in(office)
    responses["usage page"] = office.get("/")
    responses["stations"] = office.get("/stations")
    responses["csv"] = office.get("/reports/usage.csv")
    responses["xlsx"] = office.get("/reports/usage.xlsx")
    responses["stylesheet"] = office.get("/static/dashboard.css")
    for name, response in responses.items():
        headers = response.headers
        policy = headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy, name
        assert "unsafe-inline" not in policy, name
        assert headers.get("x-content-type-options") == "nosniff", name
        assert headers.get("referrer-policy") == "no-referrer", name
        assert headers.get("x-frame-options") == "DENY", name
        expected = "max-age=3600" if name == "stylesheet" else "no-store"
        assert headers.get("cache-control") == expected, name


def test_pages_need_no_inline_style_or_script(office: httpx.Client, office_engine: Engine) -> None:
    from tests.office.test_reports import seed_office

    seed_office(office_engine)
    log_in(office)
    for path in ("/", "/stations", "/?group_by=site,activity"):
        html = office.get(path).text
        assert "style=" not in html and "<script" not in html and "<style" not in html, path
    log_out(office)
    html = office.get("/login").text
    assert "style=" not in html and "<script" not in html
