"""Sync protocol v1 (DESIGN §4), rule by rule, over HTTP to a real uvicorn server, on
SQLite and PostgreSQL (the `office_url` fixture)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc

from kiosk import __version__
from kiosk.office.app import create_app
from kiosk.office.auth import token_hash
from kiosk.office.ingest import MAX_BODY_BYTES, MAX_REV, MAX_ROWS, MAX_SECONDS, MAX_STARTS
from tests.office.conftest import (
    OTHER_SITE,
    SITE,
    STATION,
    _ServerThread,
    activity_row,
    make_batch,
    post_batch,
    session_row,
    snapshot_tables,
)

RESPONSE_KEYS = {
    "status",
    "batch_id",
    "counts",
    "conflicts",
    "server_time",
    "clock_skew_s",
    "accepts",
}


def stored(engine: Engine, table: str) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
        return [dict(row._mapping) for row in rows]


def counts(imported: int = 0, updated: int = 0, unchanged: int = 0, ignored: int = 0) -> dict:
    return {"imported": imported, "updated": updated, "unchanged": unchanged, "ignored": ignored}


def assert_rejected(
    engine: Engine, http: httpx.Client, token: str | None, body: Any, status: int, code: str
) -> dict[str, Any]:
    """Send `body`; it must be refused whole with `status`/`code` and change no table."""
    before = snapshot_tables(engine)
    if isinstance(body, bytes):
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = http.post("/api/v1/totals", content=body, headers=headers)
    else:
        response = post_batch(http, token, body)
    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["error"] == code, answer
    assert answer["message"]
    assert snapshot_tables(engine) == before
    return answer


# --- health and the response ---------------------------------------------------------------


def test_health_answers_without_a_token(http: httpx.Client) -> None:
    response = http.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def test_first_batch_imports_every_row_and_answers_as_designed(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    body = make_batch(
        [session_row(), session_row(age_band=None, session_kind="solo", child_visits=2)],
        [activity_row(), activity_row(activity="memory", hour=15)],
    )
    response = post_batch(http, site_token, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == RESPONSE_KEYS
    assert answer["status"] == "OK"
    assert answer["batch_id"] == body["batch_id"]
    assert answer["counts"] == counts(imported=4)
    assert answer["conflicts"] == []
    assert datetime.fromisoformat(answer["server_time"]).tzinfo is not None
    assert answer["accepts"] == ["controllers"]  # the additions to v1 it stores
    sessions = stored(office_engine, "session_totals")
    assert [(r["age_band"], r["child_visits"], r["rev"]) for r in sessions] == [
        ("9-11", 23, 3),
        ("none", 2, 3),
    ]
    assert all(r["db_instance_id"] == body["db_instance_id"] for r in sessions)
    activities = stored(office_engine, "activity_totals")
    assert sorted((r["activity"], r["runs"], r["completed_runs"]) for r in activities) == [
        ("memory", 5, 4),
        ("quiz", 5, 4),
    ]


def test_resent_rows_are_unchanged_and_change_nothing(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    first = make_batch()
    assert post_batch(http, site_token, first).json()["counts"] == counts(imported=2)
    rows_before = snapshot_tables(office_engine)["session_totals"]
    again = {**first, "batch_id": str(uuid.uuid4())}
    answer = post_batch(http, site_token, again).json()
    assert answer["counts"] == counts(unchanged=2)
    assert answer["status"] == "OK"
    assert snapshot_tables(office_engine)["session_totals"] == rows_before


def test_replayed_batch_id_gets_the_stored_response_verbatim(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    body = make_batch()
    first = post_batch(http, site_token, body)
    before = snapshot_tables(office_engine)
    # The same body with its keys in another order is the same body.
    shuffled = dict(reversed(list(body.items())))
    replay = post_batch(http, site_token, shuffled)
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert snapshot_tables(office_engine) == before


def test_reused_batch_id_with_another_body_is_rejected_and_changes_nothing(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    body = make_batch()
    post_batch(http, site_token, body)
    other = {**body, "session_totals": [session_row(sessions=3, child_visits=30, rev=4)]}
    answer = assert_rejected(office_engine, http, site_token, other, 422, "BATCH_ID_REUSED")
    assert body["batch_id"] in answer["message"]


# --- rev ----------------------------------------------------------------------------------


def test_older_rev_after_newer_is_stale_and_the_stored_value_is_kept(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    newer = make_batch([session_row(sessions=3, child_visits=40, rev=9)], [])
    post_batch(http, site_token, newer)
    older = make_batch(
        [
            session_row(sessions=2, child_visits=23, rev=8),
            session_row(hour=15, rev=8),
            session_row(hour=24, rev=8),
        ],
        [],
        db_instance_id=newer["db_instance_id"],
    )
    answer = post_batch(http, site_token, older).json()
    assert answer["status"] == "WARNING"
    assert answer["counts"] == counts(imported=1, ignored=2)
    # Conflicts come in the order of the body, whatever rule found them.
    assert [(c["table"], c["index"], c["code"]) for c in answer["conflicts"]] == [
        ("session_totals", 0, "STALE"),
        ("session_totals", 2, "BAD_HOUR"),
    ]
    assert "session_totals[0].rev" in answer["conflicts"][0]["message"]
    kept = [r for r in stored(office_engine, "session_totals") if r["hour"] == 14]
    assert [(r["sessions"], r["child_visits"], r["rev"]) for r in kept] == [(3, 40, 9)]


def test_equal_or_newer_rev_replaces_and_is_counted_updated_or_unchanged(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    first = make_batch([session_row(rev=3)], [activity_row(rev=3)])
    post_batch(http, site_token, first)
    same_rev_new_values = make_batch(
        [session_row(rev=3, seconds=6000)],
        [activity_row(rev=10)],
        db_instance_id=first["db_instance_id"],
    )
    answer = post_batch(http, site_token, same_rev_new_values).json()
    assert answer["counts"] == counts(updated=1, unchanged=1)
    (session,) = stored(office_engine, "session_totals")
    assert (session["seconds"], session["rev"]) == (6000, 3)
    (activity,) = stored(office_engine, "activity_totals")
    # Same values with a newer rev: unchanged, but the rev moves on, so rev 5 is stale now.
    assert activity["rev"] == 10
    stale = make_batch([], [activity_row(rev=5)], db_instance_id=first["db_instance_id"])
    assert post_batch(http, site_token, stale).json()["conflicts"][0]["code"] == "STALE"


def test_two_db_instances_of_one_station_are_kept_apart_and_summed(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    before_wipe = make_batch([session_row(sessions=2, child_visits=23, rev=50)], [])
    after_wipe = make_batch([session_row(sessions=1, child_visits=12, rev=1)], [])
    assert post_batch(http, site_token, before_wipe).json()["counts"] == counts(imported=1)
    assert post_batch(http, site_token, after_wipe).json()["counts"] == counts(imported=1)
    with office_engine.connect() as connection:
        total = connection.execute(
            text("SELECT sum(sessions), sum(child_visits), count(*) FROM session_totals")
        ).one()
    assert tuple(total) == (3, 35, 2)
    listed = http.get("/api/v1/totals", headers={"Authorization": f"Bearer {site_token}"}).json()
    assert sorted((r["db_instance_id"], r["rev"]) for r in listed["session_totals"]) == sorted(
        [(before_wipe["db_instance_id"], 50), (after_wipe["db_instance_id"], 1)]
    )


# --- authentication and size --------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Basic bHVkemE6eA==", "Bearer not-a-real-token", "bearer  x y"],
)
def test_missing_or_unknown_token_is_401_with_www_authenticate(
    http: httpx.Client, site_token: str, office_engine: Engine, authorization: str | None
) -> None:
    before = snapshot_tables(office_engine)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = http.post("/api/v1/totals", json=make_batch(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] in {"MISSING_TOKEN", "INVALID_TOKEN"}
    assert snapshot_tables(office_engine) == before
    assert http.get("/api/v1/totals", headers=headers).status_code == 401


def test_token_of_another_site_is_403(
    http: httpx.Client, site_token: str, other_site_token: str, office_engine: Engine
) -> None:
    answer = assert_rejected(
        office_engine, http, other_site_token, make_batch(), 403, "SITE_MISMATCH"
    )
    assert "site" in answer["message"]
    response = http.get(
        "/api/v1/totals",
        params={"site": SITE},
        headers={"Authorization": f"Bearer {other_site_token}"},
    )
    assert response.status_code == 403


def test_body_over_5_mb_is_413_by_header(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    padding = " " * (MAX_BODY_BYTES + 10)
    body = json.dumps(make_batch()).encode() + padding.encode()
    assert_rejected(office_engine, http, site_token, body, 413, "BODY_TOO_LARGE")


def test_body_over_5_mb_is_413_by_bytes_read_when_no_length_is_sent(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    def chunks() -> Iterator[bytes]:
        yield json.dumps(make_batch()).encode()
        for _ in range(6):
            yield b" " * 1024 * 1024

    before = snapshot_tables(office_engine)
    response = http.post(
        "/api/v1/totals",
        content=chunks(),
        headers={"Authorization": f"Bearer {site_token}", "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["error"] == "BODY_TOO_LARGE"
    assert snapshot_tables(office_engine) == before


def test_more_than_20000_rows_is_413(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    rows = [session_row(hour=i % 24) for i in range(MAX_ROWS // 2 + 1)]
    activities = [activity_row(hour=i % 24) for i in range(MAX_ROWS // 2)]
    assert_rejected(
        office_engine, http, site_token, make_batch(rows, activities), 413, "TOO_MANY_ROWS"
    )


# --- whole-batch rejection ----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"schema": 1,', b"\xff\xfe{}", b'{"schema": NaN}', b""],
    ids=["garbage", "truncated", "not-utf8", "nan", "empty"],
)
def test_unparsable_body_is_400(
    http: httpx.Client, site_token: str, office_engine: Engine, raw: bytes
) -> None:
    assert_rejected(office_engine, http, site_token, raw, 400, "INVALID_JSON")


def _without(key: str) -> dict[str, Any]:
    body = make_batch()
    del body[key]
    return body


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (_without("station"), "station"),
        (_without("session_totals"), "session_totals"),
        (make_batch([session_row(), session_row(hour="14")]), "session_totals[1].hour"),
        (make_batch([session_row(sessions=2.0)]), "session_totals[0].sessions"),
        (make_batch([session_row(sessions=True)]), "session_totals[0].sessions"),
        (make_batch([], [activity_row(date="2026-02-30")]), "activity_totals[0].date"),
        (make_batch([], [activity_row(date="25.11.2026")]), "activity_totals[0].date"),
        (make_batch([], [{**activity_row(), "child": "Anna"}]), "activity_totals[0].child"),
        (make_batch([{k: v for k, v in session_row().items() if k != "rev"}]), "[0].rev"),
        (make_batch(batch_id="not-a-uuid"), "batch_id"),
        (make_batch(sent_at="2026-11-26T10:15:02"), "sent_at"),
        (make_batch(station="Ludza WB 1"), "station"),
        (make_batch(session_totals={"0": session_row()}), "session_totals"),
        ([make_batch()], "body"),
        (make_batch(extra_field=1), "extra_field"),
    ],
    ids=[
        "no-station",
        "no-session-list",
        "hour-as-text",
        "count-as-float",
        "count-as-bool",
        "impossible-date",
        "wrong-date-format",
        "unknown-row-field",
        "row-without-rev",
        "bad-batch-id",
        "sent-at-without-offset",
        "bad-station-id",
        "rows-not-a-list",
        "body-not-an-object",
        "unknown-top-field",
    ],
)
def test_missing_or_ill_typed_fields_reject_the_whole_batch_with_422(
    http: httpx.Client, site_token: str, office_engine: Engine, body: Any, where: str
) -> None:
    answer = assert_rejected(office_engine, http, site_token, body, 422, "INVALID_BODY")
    assert where in answer["message"]


def test_other_schema_versions_are_422(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    answer = assert_rejected(
        office_engine, http, site_token, make_batch(schema=2), 422, "UNSUPPORTED_SCHEMA"
    )
    assert "schema" in answer["message"]


# --- row rules ----------------------------------------------------------------------------

_LATE = (date.today() + timedelta(days=3)).isoformat()


@pytest.mark.parametrize(
    ("table", "bad_row", "code", "where"),
    [
        ("session_totals", session_row(date=_LATE), "FUTURE_DATE", "date"),
        ("session_totals", session_row(date="1970-01-01"), "DATE_TOO_OLD", "date"),
        ("session_totals", session_row(hour=24), "BAD_HOUR", "hour"),
        ("session_totals", session_row(hour=-1), "BAD_HOUR", "hour"),
        ("session_totals", session_row(session_kind="party"), "UNKNOWN_SESSION_KIND", "kind"),
        ("session_totals", session_row(age_band="15-18"), "UNKNOWN_AGE_BAND", "age_band"),
        ("session_totals", session_row(age_band=""), "UNKNOWN_AGE_BAND", "age_band"),
        ("session_totals", session_row(sessions=-1), "NEGATIVE_COUNT", "sessions"),
        ("session_totals", session_row(rev=-5), "NEGATIVE_COUNT", "rev"),
        ("session_totals", session_row(seconds=MAX_SECONDS + 1), "ABSURD_COUNT", "seconds"),
        ("session_totals", session_row(seconds=2**70), "ABSURD_COUNT", "seconds"),
        ("session_totals", session_row(sessions=MAX_STARTS + 1), "ABSURD_COUNT", "sessions"),
        ("session_totals", session_row(rev=2**63), "ABSURD_COUNT", "rev"),
        ("session_totals", session_row(child_visits=121), "ABSURD_COUNT", "child_visits"),
        ("session_totals", session_row(child_visits=1), "ABSURD_COUNT", "child_visits"),
        (
            "session_totals",
            session_row(session_kind="solo", child_visits=3),
            "ABSURD_COUNT",
            "child_visits",
        ),
        ("activity_totals", activity_row(completed_runs=6), "COMPLETED_OVER_RUNS", "completed"),
        ("activity_totals", activity_row(runs=-2, completed_runs=0), "NEGATIVE_COUNT", "runs"),
        ("activity_totals", activity_row(activity=""), "BAD_ACTIVITY", "activity"),
        ("activity_totals", activity_row(activity="x" * 65), "BAD_ACTIVITY", "activity"),
        ("activity_totals", activity_row(activity="quiz\x00"), "BAD_ACTIVITY", "activity"),
        ("activity_totals", activity_row(hour=99), "BAD_HOUR", "hour"),
        ("activity_totals", activity_row(date=_LATE), "FUTURE_DATE", "date"),
    ],
)
def test_a_row_breaking_a_rule_is_ignored_with_a_conflict_and_the_rest_imports(
    http: httpx.Client,
    site_token: str,
    office_engine: Engine,
    table: str,
    bad_row: dict[str, Any],
    code: str,
    where: str,
) -> None:
    good_sessions = [session_row(hour=9), session_row(hour=10)]
    good_activities = [activity_row(hour=9)]
    if table == "session_totals":
        body = make_batch([good_sessions[0], bad_row, good_sessions[1]], good_activities)
    else:
        body = make_batch(good_sessions, [good_activities[0], bad_row])
    response = post_batch(http, site_token, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "WARNING"
    assert answer["counts"] == counts(imported=3, ignored=1)
    (conflict,) = answer["conflicts"]
    assert (conflict["table"], conflict["index"], conflict["code"]) == (table, 1, code)
    assert conflict["message"].startswith(f"{table}[1]")
    assert where in conflict["message"]
    assert len(stored(office_engine, "session_totals")) == 2
    assert len(stored(office_engine, "activity_totals")) == 1
    (station,) = stored(office_engine, "stations")
    assert (station["last_conflicts"], station["conflicts_total"]) == (1, 1)


def test_rows_right_at_the_bounds_import(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    body = make_batch(
        [
            session_row(sessions=MAX_STARTS, child_visits=MAX_STARTS * 60, seconds=MAX_SECONDS),
            session_row(hour=3, seconds=7200, rev=MAX_REV),  # the hour repeated in autumn
            session_row(hour=0, sessions=0, child_visits=0, seconds=0, rev=0),
            session_row(date="2020-01-01"),
        ],
        [activity_row(runs=MAX_STARTS, completed_runs=MAX_STARTS, date=tomorrow)],
    )
    answer = post_batch(http, site_token, body).json()
    assert answer["conflicts"] == []
    assert answer["counts"] == counts(imported=5)


def test_null_and_none_age_band_are_one_key(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    first = make_batch([session_row(age_band=None, rev=1)], [])
    post_batch(http, site_token, first)
    second = make_batch(
        [session_row(age_band="none", sessions=3, child_visits=30, rev=2)],
        [],
        db_instance_id=first["db_instance_id"],
    )
    assert post_batch(http, site_token, second).json()["counts"] == counts(updated=1)
    rows = stored(office_engine, "session_totals")
    assert [(r["age_band"], r["sessions"]) for r in rows] == [("none", 3)]
    both = make_batch(
        [session_row(age_band=None), session_row(age_band="none")],
        [],
        db_instance_id=first["db_instance_id"],
    )
    answer = post_batch(http, site_token, both).json()
    assert [c["code"] for c in answer["conflicts"]] == ["DUPLICATE_KEY"]


def test_the_database_itself_refuses_a_second_row_for_one_key(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    post_batch(http, site_token, make_batch([session_row(age_band=None)], []))
    (row,) = stored(office_engine, "session_totals")
    del row["id"]
    columns = ", ".join(row)
    with pytest.raises(sa_exc.IntegrityError), office_engine.begin() as connection:
        connection.execute(
            text(f"INSERT INTO session_totals ({columns}) VALUES (:{', :'.join(row)})"), row
        )


# --- time: the site's zone and clock skew -------------------------------------------------


@pytest.fixture
def midnight_server(office_url: str, office_app: FastAPI) -> Iterator[httpx.Client]:
    """A second server on the same database whose clock reads 2026-11-26 22:30 UTC —
    already 00:30 on the 27th in Riga and Vilnius (UTC+2)."""
    now = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    server = _ServerThread(create_app(office_url, clock=lambda: now))
    try:
        with httpx.Client(base_url=server.start(), timeout=60) as client:
            yield client
    finally:
        server.stop()


def test_after_tomorrow_is_judged_in_the_sites_zone_near_midnight(
    midnight_server: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    # In UTC tomorrow is the 27th; in Riga it is already the 28th.
    body = make_batch(
        [session_row(date="2026-11-28"), session_row(date="2026-11-29")],
        [],
        sent_at="2026-11-27T00:30:00+02:00",
    )
    answer = post_batch(midnight_server, site_token, body).json()
    assert answer["counts"] == counts(imported=1, ignored=1)
    assert [(c["index"], c["code"]) for c in answer["conflicts"]] == [(1, "FUTURE_DATE")]
    assert [str(r["date"]) for r in stored(office_engine, "session_totals")] == ["2026-11-28"]


def test_clock_skew_is_sent_at_minus_server_time_and_stored_on_the_station(
    midnight_server: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    body = make_batch(sent_at="2026-11-27T00:23:08+02:00", app_version="0.1.0")
    answer = post_batch(midnight_server, site_token, body).json()
    assert answer["clock_skew_s"] == -412
    assert answer["server_time"] == "2026-11-26T22:30:00+00:00"
    (station,) = stored(office_engine, "stations")
    assert station["clock_skew_s"] == -412


def test_station_is_created_on_first_sync_and_updated_after(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    assert stored(office_engine, "stations") == []
    post_batch(http, site_token, make_batch(app_version="0.1.0"))
    (first,) = stored(office_engine, "stations")
    assert (first["site_id"], first["station"], first["app_version"]) == (SITE, STATION, "0.1.0")
    post_batch(http, site_token, make_batch([session_row(hour=25)], [], app_version="0.2.0"))
    (second,) = stored(office_engine, "stations")
    assert second["app_version"] == "0.2.0"
    assert second["first_seen_at"] == first["first_seen_at"]
    assert second["last_sync_at"] >= first["last_sync_at"]
    assert (second["last_conflicts"], second["conflicts_total"]) == (1, 1)


def test_site_tokens_are_stored_only_hashed(site_token: str, office_engine: Engine) -> None:
    (site,) = stored(office_engine, "sites")
    assert site["token_hash"] == token_hash(site_token)
    assert site_token not in repr(snapshot_tables(office_engine))


# --- reading back -------------------------------------------------------------------------


def test_a_site_reads_its_own_rows_filtered_by_station_and_dates(
    http: httpx.Client, site_token: str, other_site_token: str
) -> None:
    post_batch(
        http,
        site_token,
        make_batch([session_row(date="2026-11-20"), session_row(date="2026-11-25")], []),
    )
    post_batch(http, site_token, make_batch(station="ludza-pc-2"))
    other = make_batch(site=OTHER_SITE, station="rokiskis-pc-1")
    assert post_batch(http, other_site_token, other).status_code == 200
    auth = {"Authorization": f"Bearer {site_token}"}
    everything = http.get("/api/v1/totals", headers=auth).json()
    assert everything["site"] == SITE
    assert len(everything["session_totals"]) == 3
    assert {r["station"] for r in everything["session_totals"]} == {STATION, "ludza-pc-2"}
    one = http.get(
        "/api/v1/totals",
        params={"site": SITE, "station": STATION, "from": "2026-11-21", "to": "2026-11-30"},
        headers=auth,
    ).json()
    assert one["station"] == STATION
    assert [(r["date"], r["age_band"]) for r in one["session_totals"]] == [("2026-11-25", "9-11")]
    assert one["activity_totals"] == []
    (row,) = one["session_totals"]
    assert set(row) >= {"db_instance_id", "hour", "session_kind", "sessions", "rev"}
    for params in ({"from": "yesterday"}, {"station": "wb\x00"}):
        bad = http.get("/api/v1/totals", params=params, headers=auth)
        assert bad.status_code == 422
        assert bad.json()["error"] == "INVALID_QUERY"


def test_unknown_api_paths_answer_json_errors(http: httpx.Client) -> None:
    response = http.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "NOT_FOUND"


# --- concurrency --------------------------------------------------------------------------


def test_concurrent_batches_of_one_key_end_with_the_highest_rev(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    instance = str(uuid.uuid4())
    bodies = [
        make_batch(
            [session_row(sessions=rev, child_visits=rev * 10, rev=rev)],
            [activity_row(runs=rev, completed_runs=0, rev=rev)],
            db_instance_id=instance,
        )
        for rev in range(1, 13)
    ]
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def send(body: dict[str, Any]) -> None:
        response = post_batch(http, site_token, body)
        with lock:
            results.append(response)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results] == [200] * len(bodies)
    (session,) = stored(office_engine, "session_totals")
    assert (session["sessions"], session["rev"]) == (12, 12)
    (activity,) = stored(office_engine, "activity_totals")
    assert (activity["runs"], activity["rev"]) == (12, 12)
    tallied = counts()
    for response in results:
        for name, value in response.json()["counts"].items():
            tallied[name] += value
    assert tallied["imported"] == 2
    assert sum(tallied.values()) == 2 * len(bodies)


def test_one_batch_sent_twice_at_once_is_imported_once_and_answered_alike(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    body = make_batch()
    answers: list[httpx.Response] = []

    def send() -> None:
        answers.append(post_batch(http, site_token, body))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * 4
    assert all(a.json() == answers[0].json() for a in answers)
    assert answers[0].json()["counts"] == counts(imported=2)
    assert len(snapshot_tables(office_engine)["batches"]) == 1
