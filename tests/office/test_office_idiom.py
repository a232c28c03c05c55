"""The office in FastAPI's idiom: the login form's token is a signed value (itsdangerous) that
expires and that only this office can make; query strings are read by pydantic models."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from kiosk.office.dashboard import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from kiosk.office.signing import LOGIN_FORM_MAX_AGE, LoginFormSigner
from tests.office.conftest import OfficeClock, make_batch, post_batch, session_row
from tests.office.test_dashboard import LOGIN, PASSWORD, form_token, login_form
from tests.office.test_dashboard import office as office  # noqa: F401  (a fixture)


def test_a_login_form_left_open_too_long_is_refused_with_a_fresh_one(
    office: httpx.Client,  # noqa: F811
    office_clock: OfficeClock,
) -> None:
    office_clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    form = login_form(office)
    office_clock.advance(seconds=LOGIN_FORM_MAX_AGE.total_seconds() + 60)
    stale = office.post("/login?lang=en", data=form)
    assert stale.status_code == 403
    assert SESSION_COOKIE not in stale.cookies
    assert "This login form was out of date." in stale.text
    retry = {"login": LOGIN, "password": PASSWORD, "csrf_token": form_token(stale.text)}
    assert office.post("/login", data=retry).status_code == 303


def test_a_login_token_signed_by_any_other_key_is_refused(
    office: httpx.Client,  # noqa: F811
    office_clock: OfficeClock,
) -> None:
    form = login_form(office)
    nonce = office.cookies[LOGIN_CSRF_COOKIE]
    # The right nonce, a well-formed time-stamped signature, but not this office's key.
    forged = {**form, "csrf_token": LoginFormSigner(office_clock).token_for(nonce)}
    assert office.post("/login", data=forged).status_code == 403
    # The cookie's bare nonce (what the form used to carry) no longer passes either.
    assert office.post("/login", data={**form, "csrf_token": nonce}).status_code == 403
    assert office.post("/login", data=form).status_code == 303


def test_the_totals_query_treats_empty_parameters_as_not_given_and_explains_bad_ones(
    http: httpx.Client, site_token: str
) -> None:
    assert post_batch(http, site_token, make_batch([session_row()], [])).status_code == 200
    auth = {"Authorization": f"Bearer {site_token}"}
    blank = http.get(
        "/api/v1/totals", params={"site": "", "station": "", "from": "", "to": ""}, headers=auth
    )
    assert blank.status_code == 200, blank.text
    assert (blank.json()["station"], len(blank.json()["session_totals"])) == (None, 1)
    bad = http.get("/api/v1/totals", params={"from": "2026-1-5", "to": "soon"}, headers=auth)
    assert bad.status_code == 422
    answer = bad.json()
    assert answer["error"] == "INVALID_QUERY"
    assert "from: not a date in the form YYYY-MM-DD" in answer["message"]
    assert "to: not a date" in answer["message"]


def test_the_token_is_checked_before_the_query_or_the_body(http: httpx.Client) -> None:
    for response in (
        http.get("/api/v1/totals", params={"from": "nonsense"}),
        http.post("/api/v1/totals", content=b"x" * 100),
    ):
        assert response.status_code == 401
        assert response.json()["error"] == "MISSING_TOKEN"
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_downloads_read_repeated_and_comma_separated_group_by_alike(
    office: httpx.Client,  # noqa: F811
) -> None:
    office.post("/login", data=login_form(office))
    repeated = office.get(
        "/reports/usage.csv", params=[("group_by", "site"), ("group_by", "activity")]
    )
    commas = office.get("/reports/usage.csv", params={"group_by": "site,activity"})
    assert repeated.status_code == commas.status_code == 200
    assert repeated.content == commas.content
    assert repeated.text.lstrip("\ufeff").startswith("site,activity,")


def test_the_manifest_and_content_report_say_which_field_is_wrong(
    http: httpx.Client, site_token: str
) -> None:
    auth = {"Authorization": f"Bearer {site_token}"}
    for params in ({"station": "../etc"}, {}):
        bad = http.get("/api/v1/manifest", params=params, headers=auth)
        assert bad.status_code == 422
        assert bad.json()["error"] == "INVALID_QUERY"
        assert bad.json()["message"].startswith("station: ")
    assert (
        "'../etc' is not a station id"
        in http.get("/api/v1/manifest", params={"station": "../etc"}, headers=auth).json()[
            "message"
        ]
    )
    report = {
        "station": "ludza-pc-1",
        "running": {"fire-station": "2"},
        "failed": [{"pack": "bakery", "version": 3}],
    }
    refused = http.post("/api/v1/content-report", json=report, headers=auth)
    assert refused.status_code == 422
    answer = refused.json()
    assert answer["error"] == "INVALID_REPORT"
    assert "running.fire-station: " in answer["message"]
    assert "failed[0].problem: Field required" in answer["message"]
    not_json = http.post("/api/v1/content-report", content=b"{", headers=auth)
    assert (not_json.status_code, not_json.json()["error"]) == (400, "INVALID_JSON")


def test_a_stations_long_report_is_cut_to_what_the_station_list_shows(
    http: httpx.Client, site_token: str, office_engine: object
) -> None:
    from kiosk.office.content_store import station_reports

    failed = [{"pack": "p" * 65, "version": n, "problem": "x" * 505} for n in range(101)]
    report = {"station": "ludza-pc-1", "running": {}, "failed": failed, "manifest_etag": "e" * 99}
    auth = {"Authorization": f"Bearer {site_token}"}
    assert http.post("/api/v1/content-report", json=report, headers=auth).status_code == 200
    stored = station_reports(office_engine)[("ludza", "ludza-pc-1")]  # type: ignore[arg-type]
    assert len(stored["failed"]) == 100
    assert {len(item["pack"]) for item in stored["failed"]} == {64}
    assert {len(item["problem"]) for item in stored["failed"]} == {500}


def test_the_packs_page_ignores_a_malformed_published_version(
    office: httpx.Client,  # noqa: F811
) -> None:
    office.post("/login", data=login_form(office))
    for params in ({"published": "x", "version": "two"}, {"version": "-1"}, {"pack": "a"}):
        page = office.get("/packs", params=params)
        assert page.status_code == 200, page.text
        assert "is published to" not in page.text
    assert office.get("/packs/edit", params={"pack": ""}).status_code in (200, 303)
