"""The usage store's public surface is re-exported in one place and stays put."""

from __future__ import annotations

import inspect

import kiosk.usage

EXPECTED = {
    "DB_FILENAME",
    "DataFolderError",
    "DatabaseReport",
    "DatabaseTooNewError",
    "NoUsageDatabase",
    "Outbox",
    "PendingBatch",
    "PendingRow",
    "ProblemNote",
    "RecentUsage",
    "RecordingPaused",
    "SyncState",
    "UsageDatabaseError",
    "UsageStore",
    "UsageStoreError",
    "add_stats_arguments",
    "check_database",
    "database_path",
    "disk_trouble",
    "mark_exported",
    "purge",
    "rebuild_totals",
    "recent_usage",
    "run_db_upgrade",
    "run_stats",
    "upgrade",
}


def test_public_names_are_exactly_the_documented_ones() -> None:
    assert set(kiosk.usage.__all__) == EXPECTED
    for name in EXPECTED:
        assert getattr(kiosk.usage, name) is not None


def test_usage_store_offers_the_sink_protocol() -> None:
    for method in ("record", "close", "flush", "problems", "dismiss_problem"):
        assert callable(getattr(kiosk.usage.UsageStore, method))
    assert list(inspect.signature(kiosk.usage.UsageStore.open).parameters) == [
        "data_dir",
        "config",
        "clock",
        "monotonic",
    ]


def test_every_error_is_a_usage_store_error() -> None:
    for error in (
        kiosk.usage.DataFolderError,
        kiosk.usage.DatabaseTooNewError,
        kiosk.usage.UsageDatabaseError,
        kiosk.usage.NoUsageDatabase,
    ):
        assert issubclass(error, kiosk.usage.UsageStoreError)


def test_the_outbox_offers_what_the_sync_client_uses() -> None:
    for method in (
        "open",
        "close",
        "db_instance_id",
        "rows_waiting",
        "table_revs",
        "batches",
        "mark_synced",
        "mark_exported",
        "read_state",
        "write_state",
    ):
        assert callable(getattr(kiosk.usage.Outbox, method))
