"""The office sync client (DESIGN §4): batches, retry with backoff, USB export.

- `kiosk.sync.client` — protocol v1 bodies (built from `kiosk.protocol`, the models the
  office validates with), one POST (`OfficeClient`), the retry rule
  (`Backoff`, `is_retryable`), `push_pending` and the error tree (`SyncError` …);
- `kiosk.sync.service` — `SyncService`, the kiosk's background sync thread, and its
  `SyncStatus` snapshot for the librarian panel;
- `kiosk.sync.words` — that status in the librarian's words (lv, lt, en);
- `kiosk.sync.cli` — `kiosk sync [--export FILE]`.

The usage database is reached only through `kiosk.usage.Outbox` (DESIGN §2: one store
owner). Nothing here is imported when the kiosk starts except the small service module;
httpx is loaded by the sync thread itself.
"""
