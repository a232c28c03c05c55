"""Protocol v1 written once (kiosk.protocol): the kiosk's bodies keep the v1 wire format, an
old kiosk's exact JSON still imports, and unknown fields are treated as docs/protocol.md
says — refused in a request (the kiosk keeps its rows), ignored in a response."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import httpx
import pytest
from sync_helpers import Kiosk, MakeKiosk, OfficeServer, pending, recent

from kiosk.sync.client import BatchRejected, OfficeClient, build_body, push_pending
from kiosk.usage.outbox import Outbox

HEADER = {
    "schema",
    "batch_id",
    "site",
    "station",
    "db_instance_id",
    "app_version",
    "sent_at",
    "timezone",
    "session_totals",
    "activity_totals",
}
SESSION_FIELDS = [
    "date",
    "hour",
    "session_kind",
    "age_band",
    "sessions",
    "child_visits",
    "seconds",
    "rev",
]
ACTIVITY_FIELDS = [
    "date",
    "hour",
    "activity",
    "session_kind",
    "runs",
    "completed_runs",
    "seconds",
    "rev",
]


def _now() -> datetime:
    return datetime.now(UTC)


def _play(kiosk: Kiosk) -> None:
    kiosk.play(recent(2, 9), runs=(("memory", "completed", 400),))
    kiosk.play(
        recent(2, 11), kind="group", headcount=12, age_band="9-11", runs=(("quiz", "quit", 300),)
    )


def test_the_body_a_kiosk_builds_is_protocol_v1_field_for_field(make_kiosk: MakeKiosk) -> None:
    kiosk = make_kiosk()
    _play(kiosk)
    with Outbox.open(kiosk.data_dir) as outbox:
        (batch,) = list(outbox.batches(5000))
        body = json.loads(
            json.dumps(build_body(kiosk.config, outbox.db_instance_id(), batch, _now()))
        )
    assert set(body) == HEADER
    assert body["schema"] == 1 and body["site"] == "ludza" and body["station"] == "ludza-pc-1"
    assert body["timezone"] == "Europe/Riga"
    # Local time of the site, whole seconds, with its UTC offset: as kiosks always sent it.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", body["sent_at"])
    assert [list(row) for row in body["session_totals"]] == [SESSION_FIELDS] * len(
        body["session_totals"]
    )
    assert [list(row) for row in body["activity_totals"]] == [ACTIVITY_FIELDS] * len(
        body["activity_totals"]
    )
    # The values are the database's, "no age band" as JSON null.
    with sqlite3.connect(kiosk.db_path) as db:
        stored = db.execute(
            "SELECT date, hour, session_kind, age_band, sessions, child_visits, seconds, rev "
            "FROM session_totals ORDER BY id"
        ).fetchall()
    sent = [tuple(row.values()) for row in body["session_totals"]]
    assert sent == [(*row[:3], None if row[3] == "none" else row[3], *row[4:]) for row in stored]
    assert None in {row["age_band"] for row in body["session_totals"]}
    for row in body["session_totals"] + body["activity_totals"]:
        assert all(type(row[f]) is int for f in ("hour", "seconds", "rev"))


def test_an_old_kiosks_exact_json_imports_unchanged(office: OfficeServer, site_token: str) -> None:
    # Byte for byte what a Telpa 0.1 kiosk sends: DESIGN §4's example and a row without age band.
    old = (
        b'{"schema":1,"batch_id":"0f8fad5b-d9cb-469f-a165-70867728950e","site":"ludza",'
        b'"station":"ludza-wb-1","db_instance_id":"7c9e6679-7425-40de-944b-e07fc1f90ae7",'
        b'"app_version":"0.1.0","sent_at":"2026-11-26T10:15:02+02:00","timezone":"Europe/Riga",'
        b'"session_totals":[{"date":"2026-11-25","hour":14,"session_kind":"group",'
        b'"age_band":"9-11","sessions":2,"child_visits":23,"seconds":5400,"rev":3},'
        b'{"date":"2026-11-25","hour":15,"session_kind":"solo","age_band":null,"sessions":1,'
        b'"child_visits":1,"seconds":600,"rev":4}],'
        b'"activity_totals":[{"date":"2026-11-25","hour":14,"activity":"quiz",'
        b'"session_kind":"group","runs":5,"completed_runs":4,"seconds":2700,"rev":7}]}'
    )
    office.start()
    with OfficeClient(office.url) as client:
        summary = client.post_totals(site_token, old)
        again = client.post_totals(site_token, old)
    assert (summary.status, summary.imported, summary.ignored) == ("OK", 3, 0)
    assert summary.batch_id == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert again == summary  # the same batch_id and body: the stored answer
    sessions, activities = office.totals(site_token)
    assert sum(values[1] for values in sessions.values()) == 24
    assert sum(values[0] for values in activities.values()) == 5


class _NewerKiosk(httpx.BaseTransport):
    """A kiosk from the future: every session row carries a field v1 does not have."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.read())
        for row in body["session_totals"]:
            row["noise_level"] = 2
        content = json.dumps(body).encode()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        forwarded = httpx.Request(request.method, request.url, headers=headers, content=content)
        return self.inner.handle_request(forwarded)

    def close(self) -> None:
        self.inner.close()


def test_a_field_the_office_does_not_know_keeps_the_rows_at_the_kiosk_until_it_does(
    office: OfficeServer, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk()
    _play(kiosk)
    office.start()
    waiting = pending(kiosk.db_path)
    assert waiting > 0
    with (
        Outbox.open(kiosk.data_dir) as outbox,
        httpx.Client(transport=_NewerKiosk()) as newer,
        OfficeClient(kiosk.office_url, http=newer) as client,
    ):
        result = push_pending(outbox, client, kiosk.config, now=_now)
    assert isinstance(result.error, BatchRejected)
    assert result.error.status == 422 and "INVALID_BODY" in str(result.error)
    assert pending(kiosk.db_path) == waiting  # nothing marked, nothing lost
    assert office.totals(kiosk.token) == ({}, {})  # and nothing half-stored
    # Once the office speaks the kiosk's protocol (here: the kiosk sends plain v1), all of it.
    with Outbox.open(kiosk.data_dir) as outbox, OfficeClient(kiosk.office_url) as client:
        assert push_pending(outbox, client, kiosk.config, now=_now).error is None
    assert pending(kiosk.db_path) == 0


def test_an_answer_with_fields_this_kiosk_does_not_know_is_read_all_the_same() -> None:
    def office(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "status": "WARNING",
                "batch_id": "b1",
                "counts": {"imported": 1, "updated": 0, "unchanged": 0, "ignored": 1, "new": 9},
                "conflicts": [
                    {
                        "table": "activity_totals",
                        "index": 0,
                        "code": "SOME_FUTURE_RULE",
                        "message": "not today",
                        "hint": "a field from a newer office",
                    }
                ],
                "server_time": "2026-11-26T08:15:02+00:00",
                "clock_skew_s": -3,
                "notices": ["a newer office says more"],
            },
        )

    with (
        httpx.Client(transport=httpx.MockTransport(office)) as http,
        OfficeClient("https://office.example", http=http) as client,
    ):
        summary = client.post_totals("t" * 43, b"{}")
    assert (summary.status, summary.imported, summary.ignored, summary.clock_skew_s) == (
        "WARNING",
        1,
        1,
        -3,
    )
    (conflict,) = summary.conflicts
    assert (conflict.code, conflict.message) == ("SOME_FUTURE_RULE", "not today")


@pytest.mark.parametrize(
    "answer",
    [{"status": "OK"}, {"status": "MAYBE", "batch_id": "b", "counts": {}}, ["OK"]],
    ids=["no-counts", "unknown-status", "not-an-object"],
)
def test_an_answer_that_is_not_a_v1_summary_is_an_office_problem(answer: object) -> None:
    def office(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answer)

    from kiosk.sync.client import OfficeUnavailable

    with (
        httpx.Client(transport=httpx.MockTransport(office)) as http,
        OfficeClient("https://office.example", http=http) as client,
        pytest.raises(OfficeUnavailable) as caught,
    ):
        client.post_totals("t" * 43, b"{}")
    assert caught.value.code == "server_error"
    assert "not a sync summary" in str(caught.value)


def test_the_kiosk_starts_without_loading_the_protocol_or_the_sync_client() -> None:
    probe = (
        "import sys, kiosk.shell.app, kiosk.supervisor;"
        "print(sorted(m for m in ('kiosk.protocol', 'kiosk.sync.client', 'httpx',"
        " 'kiosk.usage.outbox') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]", result.stdout + result.stderr
