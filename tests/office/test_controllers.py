"""The protocol addition "controllers" at the office (docs/protocol.md, "Additions"): the
answer says the office stores it, an old kiosk's body still imports (as 0), the counts obey
the conflict rules of every other number (rev, replay, stale, absurd), and the migration
adds the columns to a populated database without changing a stored value."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from kiosk.office.db import (
    MIGRATIONS_DIR,
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
    write_transaction,
)
from tests.office.conftest import make_batch, post_batch, session_row


def _stored(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT hour, sessions, sessions_with_controllers, controllers, rev "
                    "FROM session_totals ORDER BY hour"
                )
            )
        ]


def _group(**changes: Any) -> dict[str, Any]:
    return session_row(sessions=2, child_visits=23, **changes)


def test_the_answer_lists_the_addition_and_an_old_kiosks_rows_count_no_controllers(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    old = make_batch([_group(hour=10)], [])
    new = make_batch(
        [_group(hour=11, sessions_with_controllers=2, controllers=5)],
        [],
        db_instance_id=old["db_instance_id"],
    )
    for body in (old, new):
        response = post_batch(http, site_token, body)
        assert response.status_code == 200, response.text
        assert response.json()["accepts"] == ["controllers"]
        assert response.json()["counts"]["imported"] == 1
    assert _stored(office_engine) == [(10, 2, 0, 0, 3), (11, 2, 2, 5, 3)]
    rows = http.get("/api/v1/totals", headers={"Authorization": f"Bearer {site_token}"}).json()
    assert [(r["sessions_with_controllers"], r["controllers"]) for r in rows["session_totals"]] == [
        (0, 0),
        (2, 5),
    ]


def test_counts_follow_the_rev_rules_resent_replayed_stale_and_replaced(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    first = make_batch([_group(sessions_with_controllers=1, controllers=3, rev=4)], [])
    assert post_batch(http, site_token, first).json()["counts"]["imported"] == 1
    # The same rows again (a new batch_id): unchanged, nothing added up.
    again = dict(first, batch_id="6f1c2a56-8f5e-4a43-9d59-2a6f0fd1a001")
    assert post_batch(http, site_token, again).json()["counts"]["unchanged"] == 1
    # The same batch_id and body: the stored answer, word for word.
    replay = post_batch(http, site_token, first)
    assert replay.json() == post_batch(http, site_token, first).json()
    # The same batch_id with other counts: refused whole.
    changed = dict(first, session_totals=[_group(sessions_with_controllers=1, controllers=4)])
    refused = post_batch(http, site_token, changed)
    assert refused.status_code == 422 and refused.json()["error"] == "BATCH_ID_REUSED"
    # An older rev with other counts: STALE, the stored counts stay.
    older = make_batch(
        [_group(sessions_with_controllers=2, controllers=8, rev=3)],
        [],
        db_instance_id=first["db_instance_id"],
    )
    answer = post_batch(http, site_token, older).json()
    assert [c["code"] for c in answer["conflicts"]] == ["STALE"]
    assert _stored(office_engine) == [(14, 2, 1, 3, 4)]
    # The same rev carrying the counts a kiosk could not send before: replaces (updated).
    plain = make_batch([_group(rev=5)], [], db_instance_id=first["db_instance_id"])
    assert post_batch(http, site_token, plain).json()["counts"]["updated"] == 1
    assert _stored(office_engine) == [(14, 2, 0, 0, 5)]
    counted = make_batch(
        [_group(rev=5, sessions_with_controllers=2, controllers=7)],
        [],
        db_instance_id=first["db_instance_id"],
    )
    assert post_batch(http, site_token, counted).json()["counts"]["updated"] == 1
    assert _stored(office_engine) == [(14, 2, 2, 7, 5)]


@pytest.mark.parametrize(
    ("counts", "code", "words"),
    [
        ({"sessions_with_controllers": 3, "controllers": 6}, "ABSURD_COUNT", "more than the row's"),
        ({"sessions_with_controllers": 2, "controllers": 9}, "ABSURD_COUNT", "expected 2-8"),
        ({"sessions_with_controllers": 1, "controllers": 0}, "ABSURD_COUNT", "expected 1-4"),
        ({"sessions_with_controllers": 0, "controllers": 2}, "ABSURD_COUNT", "expected 0)"),
        ({"sessions_with_controllers": -1, "controllers": 0}, "NEGATIVE_COUNT", "negative"),
    ],
)
def test_counts_that_do_not_fit_the_row_are_ignored_with_a_conflict_and_the_rest_imports(
    http: httpx.Client,
    site_token: str,
    office_engine: Engine,
    counts: dict[str, int],
    code: str,
    words: str,
) -> None:
    body = make_batch([_group(hour=9, **counts), _group(hour=10)], [])
    answer = post_batch(http, site_token, body).json()
    assert answer["status"] == "WARNING"
    (conflict,) = answer["conflicts"]
    assert (conflict["table"], conflict["index"], conflict["code"]) == ("session_totals", 0, code)
    assert words in conflict["message"]
    assert _stored(office_engine) == [(10, 2, 0, 0, 3)]


@pytest.mark.parametrize("value", ["3", 3.0, True, None])
def test_counts_of_the_wrong_json_type_refuse_the_batch(
    http: httpx.Client, site_token: str, value: object
) -> None:
    response = post_batch(http, site_token, make_batch([_group(controllers=value)], []))
    assert response.status_code == 422
    assert response.json()["error"] == "INVALID_BODY"
    assert "session_totals[0].controllers" in response.json()["message"]


def _revision_before_controllers() -> str:
    """The migration before the one adding the counts, found by what that one does rather
    than by its number, which moves when other branches' migrations land first."""
    for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions():
        if "Game controllers in the session totals" in (script.doc or ""):
            assert isinstance(script.down_revision, str)
            return script.down_revision
    raise AssertionError("no office migration adds the controller counts")


@pytest.mark.fresh_databases
def test_the_migration_adds_the_counts_to_a_populated_office_and_changes_no_stored_value(
    office_url: str,
) -> None:
    before = _revision_before_controllers()
    engine = make_engine(office_url)
    try:
        with write_transaction(engine) as connection:
            command.upgrade(_alembic_config(connection), before)
            connection.execute(
                text(
                    "INSERT INTO sites (id, name, timezone, token_hash, created_at) VALUES "
                    "('ludza', 'Ludza', 'Europe/Riga', :hash, '2026-11-01 08:00:00')"
                ),
                {"hash": "a" * 64},
            )
            for hour in range(24):
                connection.execute(
                    text(
                        "INSERT INTO session_totals (site_id, station, db_instance_id, date, "
                        "hour, session_kind, age_band, sessions, child_visits, seconds, rev, "
                        "updated_at) VALUES ('ludza', 'ludza-pc-1', "
                        "'7c9e6679-7425-40de-944b-e07fc1f90ae7', '2026-11-25', :hour, 'group', "
                        "'9-11', 2, 23, 5400, :rev, '2026-11-26 08:00:00')"
                    ),
                    {"hour": hour, "rev": hour + 1},
                )
        old_columns = (
            "site_id, station, db_instance_id, date, hour, session_kind, age_band, sessions, "
            "child_visits, seconds, rev"
        )
        with engine.connect() as connection:
            stored = connection.execute(
                text(f"SELECT id, {old_columns} FROM session_totals ORDER BY id")
            ).all()
        assert len(stored) == 24

        assert upgrade(office_url) == head_revision()
        with engine.connect() as connection:
            assert (
                connection.execute(
                    text(f"SELECT id, {old_columns} FROM session_totals ORDER BY id")
                ).all()
                == stored
            )
            assert connection.execute(
                text("SELECT sum(sessions_with_controllers), sum(controllers) FROM session_totals")
            ).one() == (0, 0)
            assert current_revision(connection) == head_revision()
        # The database itself refuses counts that do not fit the row.
        with pytest.raises(Exception, match="ck_session_totals_controllers"):
            with write_transaction(engine) as connection:
                connection.execute(
                    text("UPDATE session_totals SET sessions_with_controllers = 3 WHERE hour = 0")
                )
    finally:
        engine.dispose()
