"""The dashboard's Settings page over HTTP on loopback (SQLite, and PostgreSQL when
$TELPA_TEST_POSTGRES_URL is set): a library's settings and one station's override, saved
from the form, reach the stations through the manifest (the override for that station
only); a bad value is shown next to its field in the page's language and nothing changes;
a librarian of Ludza cannot see or change Rokiškis; a POST without the form's token is
refused."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from kiosk.office.auth import create_site
from tests.office.conftest import snapshot_tables
from tests.office.test_accounts import COORDINATOR, LIBRARIAN, log_in_as
from tests.office.test_accounts import office as office  # noqa: F401  (the fixture)
from tests.office.test_dashboard import form_token

STATION, OTHER_STATION = "ludza-wb-1", "ludza-pc-2"


def manifest_settings(http: httpx.Client, token: str, station: str) -> dict[str, Any]:
    answer = http.get(
        "/api/v1/manifest",
        params={"station": station},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    settings: dict[str, Any] = answer.json()["settings"]
    return settings


def save(http: httpx.Client, site: str, station: str = "", **fields: Any) -> httpx.Response:
    page = http.get("/settings", params={"site": site, "station": station})
    assert page.status_code == 200, page.text
    form: dict[str, Any] = {"csrf_token": form_token(page.text), "site": site, "station": station}
    # Every activity shown unless the test says otherwise, as the page shows them.
    form["shown"] = [
        "memory",
        "quiz",
        "jigsaw",
        "sorting",
        "words",
        "numbers",
        "draw",
        "film",
        "story",
    ]
    form.update(fields)
    return http.post("/settings", data=form)


@pytest.fixture
def ludza_token(office_engine: Engine, office: httpx.Client) -> str:  # noqa: F811
    return create_site(office_engine, "ludza", "Ludza", new_token_for_existing=True)


def test_library_settings_and_a_station_override_reach_the_manifest(
    office: httpx.Client,
    ludza_token: str,  # noqa: F811
) -> None:
    log_in_as(office, LIBRARIAN)
    saved = save(
        office,
        "ludza",
        idle_timeout_s="120",
        age_picker="no",
        available=["lv", "lt"],
        default_language="lv",
        order_quiz="1",
        order_memory="2",
        shown=["memory", "quiz", "jigsaw", "sorting", "words", "numbers", "film", "story"],
        hours_mon="10:00-18:00",
        hours_sat="10:00-14:00",
        headcount="20",
        minutes="45",
    )
    assert saved.status_code == 200, saved.text
    assert "next attract screen" in saved.text
    library = {
        "session.idle_timeout_s": 120,
        "session.age_picker": False,
        "languages.available": ["lv", "lt"],
        "languages.default": "lv",
        "activities.order": ["quiz", "memory"],
        "activities.hidden": ["draw"],
        "opening_hours": {"mon": "10:00-18:00", "sat": "10:00-14:00"},
        "group.headcount": 20,
        "group.minutes": 45,
    }
    assert manifest_settings(office, ludza_token, STATION) == library

    # The station's page starts from the library's values; one change is its override.
    page = office.get("/settings", params={"site": "ludza", "station": STATION})
    assert 'value="120"' in page.text and 'value="10:00-18:00"' in page.text
    override = save(
        office,
        "ludza",
        STATION,
        idle_timeout_s="300",
        age_picker="no",
        available=["lv", "lt"],
        default_language="lv",
        order_quiz="1",
        order_memory="2",
        shown=["memory", "quiz", "jigsaw", "sorting", "words", "numbers", "film", "story"],
        hours_mon="10:00-18:00",
        hours_sat="10:00-14:00",
        headcount="20",
        minutes="45",
    )
    assert override.status_code == 200, override.text
    assert manifest_settings(office, ludza_token, STATION) == {
        **library,
        "session.idle_timeout_s": 300,
    }
    assert manifest_settings(office, ludza_token, OTHER_STATION) == library
    shown = office.get("/settings", params={"site": "ludza", "station": STATION}).text
    assert "This station&#39;s own value." in shown and 'value="session.idle_timeout_s"' in shown

    # "Use the library's" takes the override away.
    reset = save(
        office,
        "ludza",
        STATION,
        idle_timeout_s="300",
        inherit=["session.idle_timeout_s"],
        shown=["memory", "quiz", "jigsaw", "sorting", "words", "numbers", "film", "story"],
    )
    assert reset.status_code == 200, reset.text
    assert manifest_settings(office, ludza_token, STATION)["session.idle_timeout_s"] == 120


def test_bad_values_are_shown_by_their_fields_and_nothing_changes(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, COORDINATOR)
    office.headers["Accept-Language"] = "lv"
    before = snapshot_tables(office_engine)
    answer = save(
        office,
        "rokiskis",
        idle_timeout_s="5",
        headcount="many",
        hours_tue="18:00-10:00",
        available=["lt"],
        default_language="lv",
        order_quiz="first",
    )
    assert answer.status_code == 422
    problem = {
        key: _problem(answer.text, key)
        for key in (
            "session-idle_timeout_s",
            "group-headcount",
            "opening_hours-tue",
            "activities-order",
        )
    }
    assert problem["session-idle_timeout_s"] == "Ierakstiet 20 vai vairāk."
    assert problem["group-headcount"] == "Ierakstiet veselu skaitli."
    assert "10:00-18:00" in problem["opening_hours-tue"]
    assert problem["activities-order"]
    assert 'value="18:00-10:00"' in answer.text  # what she wrote stays in the form
    assert snapshot_tables(office_engine) == before

    office.headers["Accept-Language"] = "en"
    wrong_default = save(office, "rokiskis", available=["lt"], default_language="lv")
    assert wrong_default.status_code == 422
    assert _problem(wrong_default.text, "languages-default") == (
        "The default language must be one of the languages offered."
    )
    assert snapshot_tables(office_engine) == before


def _problem(html: str, key: str) -> str:
    marker = f'id="problem-{key}">'
    assert marker in html, f"no problem shown for {key}"
    return html.split(marker, 1)[1].split("</p>", 1)[0]


def test_a_librarian_cannot_see_or_change_another_library(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, LIBRARIAN)
    page = office.get("/settings")
    assert page.status_code == 200
    assert 'value="ludza"' in page.text and 'value="rokiskis"' not in page.text
    refused = office.get("/settings", params={"site": "rokiskis"})
    assert refused.status_code == 403
    assert "another library" in refused.text
    before = snapshot_tables(office_engine)
    posted = office.post(
        "/settings",
        data={"csrf_token": form_token(page.text), "site": "rokiskis", "idle_timeout_s": "60"},
    )
    assert posted.status_code == 403
    assert snapshot_tables(office_engine) == before


def test_a_post_without_the_forms_token_changes_nothing(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, COORDINATOR)
    before = snapshot_tables(office_engine)
    for token in ("", "forged"):
        answer = office.post(
            "/settings", data={"csrf_token": token, "site": "ludza", "idle_timeout_s": "60"}
        )
        assert answer.status_code == 403
    assert snapshot_tables(office_engine) == before
    office.cookies.clear()
    assert office.get("/settings", follow_redirects=False).status_code in (302, 303, 307)


def test_a_station_id_no_station_can_have_is_refused(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, COORDINATOR)
    before = snapshot_tables(office_engine)
    assert office.get("/settings", params={"site": "ludza", "station": "../x"}).status_code == 404
    assert office.get("/settings", params={"site": "nowhere"}).status_code == 404
    token = form_token(office.get("/settings").text)
    answer = office.post(
        "/settings",
        data={"csrf_token": token, "site": "ludza", "station": "no such!", "idle_timeout_s": "60"},
    )
    assert answer.status_code == 404
    assert snapshot_tables(office_engine) == before
