"""The kiosk's side of the content protocol: ask for the manifest, fetch missing files
(resuming a cut download with ``Range``), install (`kiosk.fleet.store.install`), report.

`sync_content(config, data_dir)` is called by the background sync after the totals upload
and by `kiosk sync`; it runs on the caller's thread (never the render thread) and raises
only `SyncError`s (`kiosk.sync.client`'s tree: ``OfficeUnavailable`` when the office cannot
be reached, ``TokenRejected`` …). Offline, the station keeps what it has."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

import httpx

from kiosk.config import Config
from kiosk.fleet.store import (
    ContentError,
    ContentStore,
    InstallResult,
    ManifestFile,
    install,
    parse_manifest,
)
from kiosk.sync.client import (
    TIMEOUT,
    BatchRejected,
    OfficeUnavailable,
    TokenRejected,
    is_retryable,
    read_token,
    token_path,
)

log = logging.getLogger(__name__)

MANIFEST_PATH = "/api/v1/manifest"
FILES_PATH = "/api/v1/files/"
REPORT_PATH = "/api/v1/content-report"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ContentSyncResult:
    #: The office answered 304: nothing changed since the last sync.
    unchanged: bool
    install: InstallResult | None = None


def _unavailable(base: str, exc: httpx.HTTPError) -> OfficeUnavailable:
    if isinstance(exc, httpx.TimeoutException):
        return OfficeUnavailable(f"the office at {base} did not answer in time")
    return OfficeUnavailable(f"the office at {base} could not be reached ({type(exc).__name__})")


def _check_status(base: str, response: httpx.Response, what: str) -> None:
    status = response.status_code
    if status in (401, 403):
        raise TokenRejected(status)
    if is_retryable(status):
        raise OfficeUnavailable(
            f"the office at {base} answered HTTP {status} to {what}; will try again",
            code="server_error",
            status=status,
        )
    if status >= 400:
        raise BatchRejected(status, f"{what} refused")


class ContentClient:
    def __init__(self, office_url: str, token: str, http: httpx.Client | None = None) -> None:
        self.base = office_url.rstrip("/")
        self._token = token
        self._own = http is None
        self.http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)

    def close(self) -> None:
        if self._own:
            self.http.close()

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def manifest(self, station: str, etag: str) -> tuple[object, str] | None:
        """(the manifest's JSON, its ETag), or None for 304."""
        headers = self._auth()
        if etag:
            headers["If-None-Match"] = etag
        try:
            response = self.http.get(
                self.base + MANIFEST_PATH, params={"station": station}, headers=headers
            )
        except httpx.HTTPError as exc:
            raise _unavailable(self.base, exc) from None
        if response.status_code == 304:
            return None
        _check_status(self.base, response, "the manifest")
        try:
            return response.json(), response.headers.get("etag", "")
        except ValueError:
            raise OfficeUnavailable(
                f"the office at {self.base} sent a manifest that is not JSON",
                code="server_error",
            ) from None

    def fetch(self, file: ManifestFile, part: Path) -> None:
        """Download `file` into `part`, continuing where an earlier download stopped."""
        have = part.stat().st_size if part.exists() else 0
        if have > file.size:
            part.unlink()
            have = 0
        if have == file.size:
            return
        headers = {"Range": f"bytes={have}-"} if have else {}
        url = self.base + FILES_PATH + quote(file.sha256)
        try:
            with self.http.stream("GET", url, headers=headers) as response:
                if response.status_code == 416:
                    part.unlink(missing_ok=True)
                    raise OfficeUnavailable(f"{file.path}: the download must start again")
                _check_status(self.base, response, f"the file {file.path}")
                mode = "ab" if response.status_code == 206 and have else "wb"
                written = have if mode == "ab" else 0
                with open(part, mode) as out:
                    for chunk in response.iter_bytes(_CHUNK):
                        written += len(chunk)
                        if written > file.size:
                            break  # more than the manifest says: the hash check refuses it
                        out.write(chunk)
        except httpx.HTTPError as exc:
            raise _unavailable(self.base, exc) from None

    def report(self, station: str, etag: str, running: dict[str, int], failed: list) -> None:
        body = {"station": station, "manifest_etag": etag, "running": running, "failed": failed}
        try:
            response = self.http.post(self.base + REPORT_PATH, json=body, headers=self._auth())
        except httpx.HTTPError as exc:
            raise _unavailable(self.base, exc) from None
        _check_status(self.base, response, "the content report")


def sync_content(
    config: Config, data_dir: Path, *, http: httpx.Client | None = None
) -> ContentSyncResult:
    """Ask the office for this station's manifest and bring the station to it."""
    assert config.sync.office_url is not None
    token = read_token(token_path(config))
    store = ContentStore(data_dir)
    client = ContentClient(config.sync.office_url, token, http)
    try:
        before = store.read_current()
        answer = client.manifest(
            config.station.id, before.etag if before.source == "office" else ""
        )
        if answer is None:
            if not before.reported:
                _report(client, store, config.station.id)
            return ContentSyncResult(unchanged=True)
        data, etag = answer
        try:
            manifest = parse_manifest(data)
        except ContentError as exc:
            raise BatchRejected(200, str(exc)) from None
        result = install(store, manifest, client.fetch, etag, network_errors=(OfficeUnavailable,))
        _report(client, store, config.station.id)
        log.info(
            "office content: %d pack(s) installed, %d failed, %d bytes fetched",
            len(result.installed),
            len(result.failed),
            result.downloaded_bytes,
        )
        return ContentSyncResult(unchanged=False, install=result)
    finally:
        client.close()


def _report(client: ContentClient, store: ContentStore, station: str) -> None:
    from dataclasses import replace

    current = store.read_current()
    client.report(station, current.etag, current.running(), current.failed)
    store.write_current(replace(current, reported=True))


def content_after_totals(config: Config, data_dir: Path) -> None:
    """The background sync's content step: never raises (the next sync tries again)."""
    try:
        sync_content(config, data_dir)
    except Exception as exc:  # noqa: BLE001 - offline or refused: keep what the station has
        log.warning("office content: %s", exc)


def run_content_sync(config: Config, data_dir: Path, out: TextIO, err: TextIO) -> int:
    """`kiosk sync`'s content step, in words; 0 done, 1 not reached or a pack failed."""
    from kiosk.sync.client import SyncError

    if not config.sync.office_url or not config.sync.token_file:
        return 0
    try:
        result = sync_content(config, data_dir)
    except SyncError as exc:
        err.write(f"kiosk sync: packs and settings: {exc}; the station keeps what it has\n")
        return 1
    if result.unchanged or result.install is None:
        out.write("Packs and settings: nothing new at the office.\n")
        return 0
    for pack, version in result.install.installed:
        out.write(f"Pack {pack}: version {version} installed (shown at the next attract screen)\n")
    for failed in result.install.failed:
        err.write(
            f"kiosk sync: pack {failed['pack']} version {failed['version']}: {failed['problem']}"
            "; the station keeps its last good version\n"
        )
    out.write(
        f"Packs and settings: up to date ({result.install.downloaded_bytes:,} bytes fetched).\n"
    )
    return 1 if result.install.failed else 0
