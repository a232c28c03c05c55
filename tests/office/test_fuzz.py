"""Hostile input against a real office server (uvicorn on loopback), on SQLite and PostgreSQL.

Hypothesis builds malformed bodies (random JSON, wrong types, missing and unknown fields,
huge, negative and non-finite numbers, control characters and lone surrogates in ids, deep
nesting, long strings, duplicate keys), hostile headers (wrong, other-site, missing and
garbled Authorization, other content types) and oversized bodies, and sends each one over
HTTP. After every request the whole database is read back and checked:

- no answer is a 5xx;
- a refused request (anything but 200) changes no stored row in any table;
- an accepted one changes nothing that belongs to another site, and its counts add up to
  the rows it carried;
- a token that is no site's gets 401 whatever the body; a real token of another site gets 403
  for a body naming the first site.

The state is compared as one digest per table (per table and site where rows belong to a
site) over the rows in primary-key order, so a check costs a few milliseconds. Hypothesis
draws new cases on every run (no example database); a failure prints the case and a blob to
replay it with ``@reproduce_failure``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, TextClause, select, text

from kiosk.office.ingest import MAX_BODY_BYTES
from kiosk.office.models import metadata

#: Requests each backend must see, over all the phases of the test.
MIN_REQUESTS = 2_000
#: The default run's share of each phase's cases (at least MIN_EXAMPLES); the full size runs
#: with the long soaks (`pytest -m slow`, which CI runs too).
QUICK = 0.15
MIN_EXAMPLES = 10
MB = 1024 * 1024

HOME, OTHER = "ludza", "rokiskis"
STATIONS = ["ludza-wb-1", "ludza-pc-2"]
INSTANCES = [str(uuid.UUID(int=n + 1, version=4)) for n in range(2)]
TODAY = date.today()


# --- the server's state -----------------------------------------------------------------


def snapshot(engine: Engine) -> dict[tuple[str, str], str]:
    """A digest of every table's rows in primary-key order, split by site where rows have one.

    On PostgreSQL the server hashes (one round trip for all tables); SQLite is in-process, so
    the rows are simply read and hashed here."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return {(t, s): str(digest) for t, s, digest in conn.execute(_postgres_digests())}
    digests: dict[tuple[str, str], Any] = defaultdict(hashlib.sha256)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            site_column = table.c.get("site_id")
            digests[(table.name, "")].update(b"")  # an empty table still has an entry
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                site = str(row._mapping[site_column.name]) if site_column is not None else ""
                digests[(table.name, site)].update(repr(tuple(row)).encode())
    return {key: digest.hexdigest() for key, digest in digests.items()}


def _postgres_digests() -> TextClause:
    parts = []
    for table in metadata.sorted_tables:
        order = ", ".join(f"x.{column.name}" for column in table.primary_key.columns)
        digest = f"coalesce(md5(string_agg(x::text, '|' ORDER BY {order})), '')"
        if "site_id" in table.c:
            parts.append(
                f"SELECT '{table.name}', x.site_id::text, {digest} FROM {table.name} x "
                f"GROUP BY x.site_id UNION ALL SELECT '{table.name}', '', ''"
            )
        else:
            parts.append(f"SELECT '{table.name}', '', {digest} FROM {table.name} x")
    return text(" UNION ALL ".join(parts))


def changed(
    before: dict[tuple[str, str], str], after: dict[tuple[str, str], str]
) -> set[tuple[str, str]]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


class Prober:
    """Sends requests to the office and checks the invariants after each one."""

    def __init__(self, base_url: str, engine: Engine, tokens: dict[str, str]) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=60)
        self.engine = engine
        self.tokens = tokens
        self.state = snapshot(engine)
        self.sent = 0
        self.by_phase: dict[str, int] = defaultdict(int)
        self.statuses: dict[int, int] = defaultdict(int)

    def close(self) -> None:
        self.client.close()

    def send(
        self,
        phase: str,
        content: bytes | Iterator[bytes] | None = None,
        headers: list[tuple[bytes, bytes]] | None = None,
        *,
        method: str = "POST",
        path: str = "/api/v1/totals",
        params: dict[str, str] | None = None,
        token_site: str | None = HOME,
        rows: int | None = None,
    ) -> httpx.Response:
        """One request; `token_site` is the site whose rows a 200 may change, `rows` the
        number of rows the body carried (checked against the response's counts)."""
        response = self.client.request(
            method, path, content=content, headers=headers, params=params
        )
        self.sent += 1
        self.by_phase[phase] += 1
        self.statuses[response.status_code] += 1
        where = f"{phase}: {method} {path} -> {response.status_code} {response.text[:400]!r}"
        assert response.status_code < 500, where
        after = snapshot(self.engine)
        moved = changed(self.state, after)
        self.state = after  # before asserting: a failure must not spill into the next request
        if response.status_code != 200 or method == "GET":
            assert not moved, f"{where}\nchanged without a 200: {sorted(moved)}"
        else:
            foreign = {(table, site) for table, site in moved if site != token_site}
            assert not foreign, f"{where}\nchanged outside site {token_site}: {sorted(foreign)}"
            answer = response.json()
            assert answer["status"] in ("OK", "WARNING"), where
            if rows is not None:
                assert sum(answer["counts"].values()) == rows, where
        return response


def bearer(token: str) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json")]


# --- bodies -------------------------------------------------------------------------------

HUGE = [2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**100, -(2**63) - 1, -1]
NASTY_TEXT = [
    "", " ", "\x00", "ludza\x00", "LUDZA", "ludza ", " ludza", "ludza\n", "ludza\u200b",
    "lud\u017ea", "\ud800", "\udfff", "\U0001f600", "../../etc/passwd", "'; DROP TABLE sites;--",
    "%00", "a" * 41, "a" * 65, "a" * 10_000, "\u202eazdul", "null", "none", "None", "NaN",
]  # fmt: skip

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(HUGE),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(NASTY_TEXT),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def session_row(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "date": (TODAY - timedelta(days=draw(st.integers(0, 400)))).isoformat(),
        "hour": draw(st.integers(0, 23)),
        "session_kind": draw(st.sampled_from(["solo", "group"])),
        "age_band": draw(st.sampled_from(["6-8", "9-11", "12-14", "none", None])),
        "sessions": draw(st.integers(0, 50)),
        "child_visits": draw(st.integers(0, 500)),
        "seconds": draw(st.integers(0, 36_000)),
        "rev": draw(st.integers(0, 10_000)),
    }


@st.composite
def activity_row(draw: st.DrawFn) -> dict[str, Any]:
    runs = draw(st.integers(0, 100))
    return {
        "date": (TODAY - timedelta(days=draw(st.integers(0, 400)))).isoformat(),
        "hour": draw(st.integers(0, 23)),
        "activity": draw(st.sampled_from(["memory", "quiz", "jigsaw", "drawing"])),
        "session_kind": draw(st.sampled_from(["solo", "group"])),
        "runs": runs,
        "completed_runs": draw(st.integers(0, runs)),
        "seconds": draw(st.integers(0, 36_000)),
        "rev": draw(st.integers(0, 10_000)),
    }


@st.composite
def well_formed_body(draw: st.DrawFn) -> dict[str, Any]:
    """A body of the right shape; its rows may still break row rules (e.g. child visits that
    do not fit the sessions), which only gives them conflicts."""
    return {
        "schema": 1,
        "batch_id": str(draw(st.uuids(version=4))),
        "site": HOME,
        "station": draw(st.sampled_from(STATIONS)),
        "db_instance_id": draw(st.sampled_from(INSTANCES)),
        "app_version": "0.1.0",
        "sent_at": "2026-11-26T10:15:02+02:00",
        "timezone": "Europe/Riga",
        "session_totals": draw(st.lists(session_row(), max_size=4)),
        "activity_totals": draw(st.lists(activity_row(), max_size=4)),
    }


HEADER_FIELDS = [
    "schema", "batch_id", "site", "station", "db_instance_id", "app_version", "sent_at",
    "timezone", "session_totals", "activity_totals",
]  # fmt: skip
ROW_FIELDS = {
    "session_totals": [
        "date", "hour", "session_kind", "age_band", "sessions", "child_visits", "seconds", "rev"],
    "activity_totals": [
        "date", "hour", "activity", "session_kind", "runs", "completed_runs", "seconds", "rev"],
}  # fmt: skip


INT_FIELDS = {"hour", "sessions", "child_visits", "seconds", "rev", "runs", "completed_runs"}
hostile_ints = st.integers() | st.sampled_from(HUGE) | st.integers(-3, 30)
hostile_dates = st.sampled_from(
    ["2026-02-30", "1970-01-01", "2019-12-31", "9999-12-31", "0001-01-01", "26-11-2025",
     "2025-1-1", "2025-01-01T00:00:00", (TODAY + timedelta(days=1)).isoformat(),
     (TODAY + timedelta(days=2)).isoformat()]
) | st.dates().map(date.isoformat)  # fmt: skip
hostile_text = st.sampled_from(NASTY_TEXT) | st.text(max_size=70)


def hostile_value(field: str) -> st.SearchStrategy[Any]:
    """A value of the right JSON type that may break a row rule (the row is then ignored
    with a conflict and the rest imports)."""
    if field in INT_FIELDS:
        return hostile_ints
    if field == "date":
        return hostile_dates
    return hostile_text


@st.composite
def mutated_body(draw: st.DrawFn, rows_only: bool = False) -> dict[str, Any]:
    """A well-formed body with one to three things wrong in the header or in its rows; with
    `rows_only`, only row values of the right JSON type (so the batch imports with conflicts)."""
    body = draw(well_formed_body())
    for _ in range(draw(st.integers(1, 3))):
        tables = [t for t in ROW_FIELDS if body.get(t) and isinstance(body[t], list)]
        if rows_only and not tables:
            break
        target = draw(st.sampled_from(tables if rows_only else ["header", *tables]))
        if target == "header":
            field = draw(st.sampled_from([*HEADER_FIELDS, "extra"]))
            action = draw(st.sampled_from(["drop", "set", "typed"]))
            if action == "drop":
                body.pop(field, None)
            elif action == "typed":
                body[field] = draw(hostile_ints if field == "schema" else hostile_text)
            else:
                body[field] = draw(json_values)
            continue
        rows = body[target]
        index = draw(st.integers(0, len(rows) - 1))
        if not isinstance(rows[index], dict):
            continue
        fields = ROW_FIELDS[target]
        if rows_only:
            field = draw(st.sampled_from(fields))
            rows[index][field] = draw(hostile_value(field))
            continue
        field = draw(st.sampled_from([*fields, "extra"]))
        action = draw(st.sampled_from(["drop", "set", "row"]))
        if action == "drop":
            rows[index].pop(field, None)
        elif action == "row":
            rows[index] = draw(json_values)
        else:
            rows[index][field] = draw(json_values)
    return body


SESSION_ROW = {"date": TODAY.isoformat(), "hour": 9, "session_kind": "group", "age_band": "6-8",
               "sessions": 1, "child_visits": 12, "seconds": 1800, "rev": 1}  # fmt: skip
ACTIVITY_ROW = {"date": TODAY.isoformat(), "hour": 9, "activity": "memory", "session_kind": "group",
                "runs": 2, "completed_runs": 1, "seconds": 900, "rev": 1}  # fmt: skip


def plain_body(site: str, n: int) -> dict[str, Any]:
    """A valid body with one row in each table, dated `n` days ago."""
    day = (TODAY - timedelta(days=n)).isoformat()
    return {
        "schema": 1, "batch_id": str(uuid.uuid4()), "site": site,
        "station": STATIONS[n % 2] if site == HOME else f"{site}-1",
        "db_instance_id": INSTANCES[0], "app_version": "0.1.0",
        "sent_at": "2026-11-26T10:15:02+02:00", "timezone": "Europe/Riga",
        "session_totals": [{
            "date": day, "hour": 10 + n, "session_kind": "solo", "age_band": None,
            "sessions": 2, "child_visits": 2, "seconds": 600, "rev": 1}],
        "activity_totals": [{
            "date": day, "hour": 10 + n, "activity": "quiz", "session_kind": "solo",
            "runs": 3, "completed_runs": 2, "seconds": 500, "rev": 1}],
    }  # fmt: skip


def rows_in(body: Any) -> int | None:
    if not isinstance(body, dict):
        return None
    lists = [body.get("session_totals"), body.get("activity_totals")]
    if not all(isinstance(rows, list) for rows in lists):
        return None
    return sum(len(rows) for rows in lists)  # type: ignore[arg-type]


def encode(body: Any) -> bytes:
    """JSON as a lenient client might write it: NaN and Infinity stay literal tokens."""
    return json.dumps(body, allow_nan=True).encode("utf-8", "surrogatepass")


def pairs_json(pairs: list[tuple[str, Any]]) -> str:
    """An object written from (key, value) pairs, so keys may repeat."""
    return "{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in pairs) + "}"


# --- header values h11 will send (visible ASCII, obs-text, inner spaces) ------------------

header_text = st.binary(min_size=1, max_size=80).map(
    lambda raw: bytes(b if 0x21 <= b <= 0x7E or b >= 0x80 else 0x41 for b in raw)
)


# --- the test -----------------------------------------------------------------------------


@pytest.fixture
def prober(
    office_server: str, office_engine: Engine, site_token: str, other_site_token: str
) -> Iterator[Prober]:
    probe = Prober(office_server, office_engine, {HOME: site_token, OTHER: other_site_token})
    try:
        yield probe
    finally:
        probe.close()


def fuzz_settings(max_examples: int) -> Any:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(QUICK, id="quick"),
        pytest.param(1.0, id="full", marks=pytest.mark.slow),  # run by `pytest -m slow` (CI)
    ],
)
def test_hostile_requests_never_5xx_and_refused_ones_change_nothing(
    prober: Prober, size: float
) -> None:
    def fuzz(max_examples: int) -> Any:
        """Hypothesis's settings for a phase of `max_examples` cases at full size."""
        return fuzz_settings(max(MIN_EXAMPLES, round(max_examples * size)))

    tokens = prober.tokens
    home, other = bearer(tokens[HOME]), bearer(tokens[OTHER])

    # Rows of both sites to begin with, so there is something a bad request could spoil.
    # They also show that the snapshot sees a change.
    for site, headers in ((HOME, home), (OTHER, other)):
        for n in range(3):
            before = prober.state
            body = plain_body(site, n)
            response = prober.send("seed", encode(body), headers, token_site=site, rows=2)
            assert response.json()["counts"]["imported"] == 2
            assert {("session_totals", site), ("activity_totals", site)} <= changed(
                before, prober.state
            )
    accepted_ids: list[str] = []

    @fuzz(520)
    @given(mutated_body(rows_only=True), st.integers(0, 9))
    @example(dict(plain_body(HOME, 1), activity_totals=[dict(ACTIVITY_ROW, activity="a" * 65)]), 1)
    @example(dict(plain_body(HOME, 1), session_totals=[dict(SESSION_ROW, rev=2**63)]), 1)
    @example(dict(plain_body(HOME, 1), session_totals=[dict(SESSION_ROW, seconds=2**31)]), 1)
    def row_rules(body: dict[str, Any], reuse: int) -> None:
        if reuse == 0 and accepted_ids:  # now and then an old batch_id with a new body
            body["batch_id"] = accepted_ids[-1]
        response = prober.send("row rules", encode(body), home, rows=rows_in(body))
        if response.status_code == 200:
            accepted_ids.append(body["batch_id"])

    @fuzz(380)
    @given(mutated_body())
    def broken_bodies(body: dict[str, Any]) -> None:
        prober.send("broken body", encode(body), home, rows=rows_in(body))

    @fuzz(220)
    @given(json_values)
    def random_json(body: Any) -> None:
        prober.send("random JSON", encode(body), home, rows=rows_in(body))

    @fuzz(80)
    @given(st.binary(max_size=300))
    def random_bytes(raw: bytes) -> None:
        prober.send("random bytes", raw, home)

    @fuzz(120)
    @given(well_formed_body(), st.sampled_from(HEADER_FIELDS), json_values, st.booleans())
    def duplicate_keys(body: dict[str, Any], key: str, value: Any, first: bool) -> None:
        pairs = list(body.items())
        pairs.insert(0 if first else len(pairs), (key, value))
        raw = pairs_json(pairs).encode()
        prober.send("duplicate keys", raw, home, token_site=HOME)

    @fuzz(40)
    @given(
        well_formed_body(),
        st.sampled_from(["station", "site", "app_version", "timezone", "batch_id"]),
        st.integers(1_000, 4_000_000),
        st.sampled_from(["a", "ļ", "\x01", "[", "\U0001f600"]),
    )
    def long_strings(body: dict[str, Any], key: str, length: int, char: str) -> None:
        body[key] = char * length
        prober.send("long string", encode(body), home)

    @fuzz(40)
    @given(st.integers(100, 200_000), st.sampled_from(["[", '{"a":']), st.booleans())
    def deep_nesting(depth: int, opener: str, inside: bool) -> None:
        closer = "]" if opener == "[" else "}"
        nested = opener * depth + "1" + closer * depth
        text = nested if not inside else '{"schema": 1, "session_totals": ' + nested + "}"
        prober.send("deep nesting", text.encode(), home)

    @fuzz(320)
    @given(
        well_formed_body(),
        st.sampled_from(["none", "empty", "garbage", "truncated", "longer", "flipped",
                         "scheme", "basic", "bare", "other", "other-dup", "garbage-dup"]),
        header_text,
    )  # fmt: skip
    def wrong_tokens(body: dict[str, Any], kind: str, junk: bytes) -> None:
        token = tokens[HOME]
        auth: list[bytes] = {
            "none": [],
            "empty": [b"Bearer"],
            "garbage": [b"Bearer " + junk],
            "truncated": [f"Bearer {token[:-1]}".encode()],
            "longer": [f"Bearer {token}x".encode()],
            "flipped": [f"Bearer {token[:-1]}{'A' if token[-1] != 'A' else 'B'}".encode()],
            "scheme": [b"Token " + token.encode()],
            "basic": [b"Basic " + base64.b64encode(f"{HOME}:{token}".encode())],
            "bare": [token.encode()],
            "other": [f"Bearer {tokens[OTHER]}".encode()],
            "other-dup": [f"Bearer {tokens[OTHER]}".encode(), b"Bearer " + junk],
            "garbage-dup": [b"Bearer " + junk, b"Bearer " + junk[::-1]],
        }[kind]
        headers = [(b"content-type", b"application/json")] + [(b"authorization", a) for a in auth]
        response = prober.send("wrong token", encode(body), headers, token_site=None)
        expected = 403 if kind.startswith("other") else 401
        assert response.status_code == expected, (kind, response.status_code, response.text)

    @fuzz(130)
    @given(mutated_body() | json_values, header_text, st.booleans())
    def wrong_tokens_bad_bodies(body: Any, junk: bytes, other_site: bool) -> None:
        headers = other if other_site else [(b"authorization", b"Bearer " + junk)]
        response = prober.send("wrong token, bad body", encode(body), headers, token_site=None)
        if not other_site:
            assert response.status_code == 401, (response.status_code, response.text)
        else:
            assert response.status_code != 200

    @fuzz(100)
    @given(
        st.sampled_from([
            None, b"text/plain", b"application/x-www-form-urlencoded",
            b"multipart/form-data; boundary=xyz", b"application/json; charset=utf-16",
            b"application/json; charset=latin-1", b"application/xml", b"*/*", b"json",
        ]),
        well_formed_body(), st.sampled_from(["utf-8", "utf-16", "latin-1", "form"]),
    )  # fmt: skip
    def content_types(ctype: bytes | None, body: dict[str, Any], encoding: str) -> None:
        text = json.dumps(body)
        raw = b"a=1&b=2" if encoding == "form" else text.encode(encoding)
        headers = [(b"authorization", f"Bearer {tokens[HOME]}".encode())]
        if ctype is not None:
            headers.append((b"content-type", ctype))
        prober.send("content type", raw, headers, rows=rows_in(body))

    @fuzz(150)
    @given(
        st.sampled_from(["own", "other", "garbage", "none"]),
        st.dictionaries(
            st.sampled_from(["site", "station", "from", "to", "x"]),
            st.sampled_from(["ludza", "rokiskis", "2026-13-45", "0000-01-01", "9999-12-31", "",
                             "ludza-wb-1", "\x00", "a" * 5000, "-1", "1e400"])
            | st.text(max_size=20),
        ),
    )  # fmt: skip
    @example("own", {"station": "\x00"})
    @example("own", {"from": "\x00", "to": "2026-02-30"})
    @example("other", {"site": HOME})
    @example("own", {"site": OTHER})
    def totals_queries(who: str, params: dict[str, str]) -> None:
        headers = {
            "own": bearer(tokens[HOME]),
            "other": bearer(tokens[OTHER]),
            "garbage": [(b"authorization", b"Bearer nope")],
            "none": [],
        }[who]
        response = prober.send("GET totals", None, headers, method="GET", params=params)
        if who in ("garbage", "none"):
            assert response.status_code == 401
        elif who == "other" and params.get("site") == HOME:
            assert response.status_code == 403
        elif response.status_code == 200:
            answer = response.json()
            assert answer["site"] in (HOME, OTHER)
            owner = HOME if who == "own" else OTHER
            assert answer["site"] == owner

    @fuzz(60)
    @given(
        st.sampled_from(["PUT", "PATCH", "DELETE", "POST", "GET", "OPTIONS"]),
        st.sampled_from(["/api/v1/totals", "/api/v1/totals/", "/api/v1/totals%00",
                         "/api/v2/totals", "/api/v1/health", "/api/v1/totals/../totals",
                         "/api/v1/TOTALS", "/api/", "/api/v1/totals?site=rokiskis"]),
        well_formed_body(),
    )  # fmt: skip
    def other_routes(method: str, path: str, body: dict[str, Any]) -> None:
        if method == "POST" and path in ("/api/v1/totals", "/api/v1/totals?site=rokiskis"):
            return  # an ordinary import, sent plenty above
        prober.send("other routes", encode(body), home, method=method, path=path)

    for phase in (
        row_rules, broken_bodies, random_json, random_bytes, duplicate_keys, long_strings,
        deep_nesting, wrong_tokens, wrong_tokens_bad_bodies, content_types, totals_queries,
        other_routes,
    ):  # fmt: skip
        phase()

    # Oversized bodies and row counts: refused with 413 (or 401 without a token), nothing read.
    body = encode(plain_body(HOME, 0))
    padding = b" " * (6 * MB)
    row = {"date": TODAY.isoformat(), "hour": 10, "session_kind": "solo", "runs": 1,
           "completed_runs": 1, "seconds": 1, "rev": 1}  # fmt: skip
    many_rows = [dict(row, activity=f"a{n}") for n in range(20_001)]
    too_many = dict(plain_body(HOME, 0), session_totals=[], activity_totals=many_rows)
    over_by_one = body + b" " * (MAX_BODY_BYTES + 1 - len(body))
    cases: list[tuple[str, bytes | Iterator[bytes], list[tuple[bytes, bytes]], set[int]]] = [
        ("6 MB of spaces", body[:-1] + padding + b"}", home, {413}),
        ("6 MB, no token", body[:-1] + padding + b"}", [], {401, 413}),
        ("one byte over the limit", over_by_one, home, {413}),
        ("20,001 rows", encode(too_many), home, {413}),
        ("6 MB chunked, no Content-Length", (b" " * MB for _ in range(6)), home, {413}),
        ("6 MB of junk", b"\xff" * (6 * MB), home, {413}),
    ]
    for label, content, headers, allowed in cases:
        response = prober.send(f"oversized: {label}", content, headers, token_site=None)
        assert response.status_code in allowed, (label, response.status_code, response.text)

    # ... while a body of exactly the limit, and exactly 20,000 rows, still import.
    at_limit = body + b" " * (MAX_BODY_BYTES - len(body))
    response = prober.send("at the limits: bytes", at_limit, home, rows=2)
    assert response.status_code == 200, response.text
    at_rows = dict(too_many, batch_id=str(uuid.uuid4()), activity_totals=many_rows[:20_000])
    response = prober.send("at the limits: rows", encode(at_rows), home, rows=20_000)
    assert response.json()["counts"]["imported"] == 20_000, response.text

    summary = ", ".join(f"{phase} {count}" for phase, count in prober.by_phase.items())
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(prober.statuses.items()))
    print(f"\nfuzz: {prober.sent} requests ({summary}); answers {statuses}")
    assert prober.sent >= MIN_REQUESTS * size
