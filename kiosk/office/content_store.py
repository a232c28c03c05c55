"""The office's content: publishing pack versions, rolling back, station settings, the
manifest each station fetches, what stations report, and the USB export.

Every publish stores a new `PackVersion` (files content-addressed by sha256, each stored
once however many versions share it) and assigns it to the chosen sites. Rolling back
assigns an older version again. The manifest of a station is computed from those rows;
its ETag is the sha256 of its canonical JSON, so it changes exactly when what the station
should run changes (docs/protocol.md, "Content and settings").

Everything that changes what stations run takes `by`, the `kiosk.office.accounts.Actor`
asking (a signed-in account, or `COMMAND_LINE`), and checks its rules inside the same
transaction before writing: a librarian publishes, rolls back and sets settings only for
her own library and only her library's packs (`NotAllowed`, nothing changed)."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from kiosk.fleet.settings import OfficeSettings, flatten, merge_layers
from kiosk.office.accounts import Actor
from kiosk.office.auth import OfficeInputError
from kiosk.office.content_models import (
    ContentFile,
    PackAssignment,
    PackVersion,
    PackVersionFile,
    StationContent,
    StationSettings,
)
from kiosk.office.db import write_transaction
from kiosk.office.models import ID_PATTERN, Site
from kiosk.office.uploads import CheckedPack, check_upload

MANIFEST_SCHEMA = 1
#: The file a USB content export holds next to its files/ folder.
EXPORT_INDEX = "telpa-content.json"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Published:
    pack_id: str
    version: int
    sites: tuple[str, ...]
    files: int
    new_files: int
    total_bytes: int


def _sites(connection: Connection, wanted: Sequence[str] | None) -> list[str]:
    known = [row.id for row in connection.execute(select(Site.id).order_by(Site.id))]
    if wanted is None:
        if not known:
            raise OfficeInputError("there is no site yet; add one with `kiosk office add-site`")
        return known
    missing = [site for site in wanted if site not in known]
    if missing:
        raise OfficeInputError(
            f"no site {missing[0]!r} at this office (known: {', '.join(known) or 'none'}); "
            "nothing was published"
        )
    return list(wanted)


def publish_pack(
    engine: Engine,
    source: Path,
    sites: Sequence[str] | None,
    *,
    by: Actor,
    made_with: str = "upload",
    now: datetime | None = None,
) -> Published:
    """Check the pack folder or zip at `source`, store it as the pack's next version and
    assign it to `sites` (None: every site), recording `by` as who published it.
    Raises UploadError, OfficeInputError or NotAllowed, having changed nothing."""
    by.check_publishes_to(None if sites is None else list(sites))
    with tempfile.TemporaryDirectory(prefix="telpa-upload-") as work:
        checked = check_upload(source, Path(work))
        return _store(engine, checked, sites, by, made_with, now or _now())


def pack_owner(connection: Connection, pack_id: str) -> tuple[bool, str | None]:
    """(whether the pack has a version, the library that owns it — None: the
    coordinators'). The owner is that of its first version."""
    first = connection.execute(
        select(PackVersion.owner_site_id)
        .where(PackVersion.pack_id == pack_id)
        .order_by(PackVersion.version)
        .limit(1)
    ).first()
    return (first is not None, None if first is None else first.owner_site_id)


def _store(
    engine: Engine,
    checked: CheckedPack,
    wanted: Sequence[str] | None,
    by: Actor,
    made_with: str,
    now: datetime,
) -> Published:
    with write_transaction(engine) as connection:
        sites = _sites(connection, wanted)
        exists, owner = pack_owner(connection, checked.pack_id)
        by.check_changes_pack(checked.pack_id, owner, exists)
        owner_site = owner if exists else by.owner_for_new_pack()
        have = {
            row.sha256
            for row in connection.execute(
                select(ContentFile.sha256).where(
                    ContentFile.sha256.in_({f.sha256 for f in checked.files})
                )
            )
        }
        new = 0
        for file in checked.files:
            if file.sha256 in have:
                continue
            data = (checked.folder / file.path).read_bytes()
            if hashlib.sha256(data).hexdigest() != file.sha256:
                raise OfficeInputError(f"{file.path}: the file changed while it was published")
            connection.execute(
                insert(ContentFile).values(
                    sha256=file.sha256, size=file.size, data=data, created_at=now
                )
            )
            have.add(file.sha256)
            new += 1
        latest = connection.execute(
            select(func.max(PackVersion.version)).where(PackVersion.pack_id == checked.pack_id)
        ).scalar()
        version = (latest or 0) + 1
        version_id = connection.execute(
            insert(PackVersion)
            .values(
                pack_id=checked.pack_id,
                version=version,
                owner_site_id=owner_site,
                made_with=made_with,
                published_by=by.login,
                content_sha256=checked.content_sha256(),
                total_bytes=checked.total_bytes,
                created_at=now,
            )
            .returning(PackVersion.id)
        ).scalar_one()
        connection.execute(
            insert(PackVersionFile),
            [
                {"version_id": version_id, "path": f.path, "sha256": f.sha256, "size": f.size}
                for f in checked.files
            ],
        )
        _assign(connection, checked.pack_id, version_id, sites, now)
    return Published(
        checked.pack_id, version, tuple(sites), len(checked.files), new, checked.total_bytes
    )


def _assign(
    connection: Connection, pack_id: str, version_id: int, sites: list[str], now: datetime
) -> None:
    for site in sites:
        changed = connection.execute(
            update(PackAssignment)
            .where(PackAssignment.site_id == site, PackAssignment.pack_id == pack_id)
            .values(version_id=version_id, assigned_at=now)
        ).rowcount
        if not changed:
            connection.execute(
                insert(PackAssignment).values(
                    site_id=site, pack_id=pack_id, version_id=version_id, assigned_at=now
                )
            )


def rollback_pack(
    engine: Engine, pack_id: str, version: int, sites: Sequence[str] | None, *, by: Actor
) -> tuple[str, ...]:
    """Make `sites` (None: every site that has the pack; for a librarian, her library)
    run `version` of the pack again. Raises OfficeInputError or NotAllowed, having changed
    nothing."""
    if sites is None and not by.is_coordinator:
        sites = [by.site or ""]
    by.check_publishes_to(None if sites is None else list(sites))
    with write_transaction(engine) as connection:
        exists, owner = pack_owner(connection, pack_id)
        if exists:
            by.check_changes_pack(pack_id, owner, exists)
        found = connection.execute(
            select(PackVersion.id).where(
                PackVersion.pack_id == pack_id, PackVersion.version == version
            )
        ).scalar()
        if found is None:
            versions = [
                str(v)
                for v in connection.execute(
                    select(PackVersion.version)
                    .where(PackVersion.pack_id == pack_id)
                    .order_by(PackVersion.version)
                ).scalars()
            ]
            raise OfficeInputError(
                f"pack {pack_id!r} has no version {version} (it has: "
                f"{', '.join(versions) or 'none'}); see `kiosk office list-packs`"
            )
        if sites is None:
            chosen = list(
                connection.execute(
                    select(PackAssignment.site_id).where(PackAssignment.pack_id == pack_id)
                ).scalars()
            )
        else:
            chosen = _sites(connection, sites)
        _assign(connection, pack_id, found, chosen, _now())
    return tuple(chosen)


def list_packs(engine: Engine) -> list[dict[str, Any]]:
    """Every version of every pack, with the sites that run it, who published it
    (None: the command line) and the library that owns the pack (None: the coordinators)."""
    with Session(engine) as db:
        running: dict[int, list[str]] = {}
        for assignment in db.scalars(select(PackAssignment)):
            running.setdefault(assignment.version_id, []).append(assignment.site_id)
        owners: dict[str, str | None] = {}
        rows = []
        for v in db.scalars(select(PackVersion).order_by(PackVersion.pack_id, PackVersion.version)):
            owners.setdefault(v.pack_id, v.owner_site_id)
            rows.append(
                {
                    "pack": v.pack_id,
                    "version": v.version,
                    "bytes": v.total_bytes,
                    "created_at": v.created_at,
                    "sites": sorted(running.get(v.id, [])),
                    "made_with": v.made_with,
                    "published_by": v.published_by,
                    "owner": owners[v.pack_id],
                }
            )
        return rows


# ----- settings ---------------------------------------------------------------------------


def set_settings(
    engine: Engine, site: str, station: str | None, settings: OfficeSettings, *, by: Actor
) -> dict[str, Any]:
    """Store `settings` for a whole site (station None) or one station; returns them flat.
    A file with no keys removes that level's settings. Raises OfficeInputError or
    NotAllowed (a librarian's other library), having changed nothing."""
    by.check_publishes_to([site])
    if station is not None and not re.fullmatch(ID_PATTERN, station):
        raise OfficeInputError(f"station {station!r}: use the station's id, e.g. ludza-wb-1")
    flat = flatten(settings)
    key = station or ""
    with write_transaction(engine) as connection:
        _sites(connection, [site])
        where = (StationSettings.site_id == site, StationSettings.station == key)
        exists = connection.execute(select(StationSettings.id).where(*where)).scalar()
        text = json.dumps(flat, sort_keys=True)
        if exists is None:
            connection.execute(
                insert(StationSettings).values(
                    site_id=site, station=key, settings_json=text, updated_at=_now()
                )
            )
        else:
            connection.execute(
                update(StationSettings).where(*where).values(settings_json=text, updated_at=_now())
            )
    return flat


def _settings_layers(
    connection: Connection, site: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    site_level: dict[str, Any] = {}
    stations: dict[str, dict[str, Any]] = {}
    for row in connection.execute(
        select(StationSettings.station, StationSettings.settings_json).where(
            StationSettings.site_id == site
        )
    ):
        if row.station:
            stations[row.station] = json.loads(row.settings_json)
        else:
            site_level = json.loads(row.settings_json)
    return site_level, stations


# ----- the manifest -----------------------------------------------------------------------


def _site_packs(connection: Connection, site: str) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(
            PackVersion.pack_id,
            PackVersion.version,
            PackVersionFile.path,
            PackVersionFile.sha256,
            PackVersionFile.size,
        )
        .join(PackAssignment, PackAssignment.version_id == PackVersion.id)
        .join(PackVersionFile, PackVersionFile.version_id == PackVersion.id)
        .where(PackAssignment.site_id == site)
        .order_by(PackVersion.pack_id, PackVersionFile.path)
    )
    packs: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = packs.setdefault(
            row.pack_id, {"pack": row.pack_id, "version": row.version, "files": []}
        )
        entry["files"].append({"path": row.path, "sha256": row.sha256, "size": row.size})
    return list(packs.values())


def manifest(engine: Engine, site: str, station: str) -> tuple[dict[str, Any], str]:
    """(the manifest of `station` of `site`, its ETag)."""
    with engine.connect() as connection:
        packs = _site_packs(connection, site)
        site_level, stations = _settings_layers(connection, site)
    settings, sources = merge_layers(site_level, stations.get(station, {}))
    body = {
        "schema": MANIFEST_SCHEMA,
        "site": site,
        "station": station,
        "packs": packs,
        "settings": settings,
        "settings_from": sources,
    }
    return body, manifest_etag(body)


def manifest_etag(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return '"' + hashlib.sha256(canonical).hexdigest()[:40] + '"'


#: How long a file no pack version uses is kept: a photo uploaded in the editor is stored
#: at once, before its pack is published, and only a form in the browser remembers it. A
#: form cannot outlive its dashboard session (12 hours at most), so two days is plenty.
UNPUBLISHED_FILES_KEPT = timedelta(days=2)


def forget_unpublished_files(connection: Connection, now: datetime) -> int:
    """Delete the files that no pack version uses and that were stored more than
    `UNPUBLISHED_FILES_KEPT` ago (editor photos never published); how many went.
    Run when the office starts and whenever the editor stores a photo."""
    used = select(PackVersionFile.id).where(PackVersionFile.sha256 == ContentFile.sha256)
    result = connection.execute(
        delete(ContentFile).where(
            ContentFile.created_at < now - UNPUBLISHED_FILES_KEPT, ~used.exists()
        )
    )
    return int(result.rowcount or 0)


def store_unpublished_file(engine: Engine, data: bytes, now: datetime) -> str:
    """Keep a file that no version uses yet (an editor's photo); returns its sha256.
    Files stored long ago and never published are forgotten on the way; a file stored
    again counts from `now`."""
    sha = hashlib.sha256(data).hexdigest()
    with write_transaction(engine) as conn:
        forget_unpublished_files(conn, now)
        if conn.execute(select(ContentFile.sha256).where(ContentFile.sha256 == sha)).first():
            conn.execute(
                update(ContentFile).where(ContentFile.sha256 == sha).values(created_at=now)
            )
            return sha
        conn.execute(
            insert(ContentFile).values(sha256=sha, size=len(data), data=data, created_at=now)
        )
    return sha


def check_may_change_pack(engine: Engine, who: Actor, pack_id: str) -> None:
    """Raise NotAllowed when `who` may not publish versions of `pack_id` (a librarian and
    another library's or the coordinators' pack)."""
    with engine.connect() as conn:
        exists, owner = pack_owner(conn, pack_id)
    who.check_changes_pack(pack_id, owner, exists)


def read_file(engine: Engine, sha256: str) -> bytes | None:
    with engine.connect() as connection:
        return connection.execute(
            select(ContentFile.data).where(ContentFile.sha256 == sha256)
        ).scalar()


# ----- reports from stations --------------------------------------------------------------


def record_report(engine: Engine, site: str, station: str, report: dict[str, Any]) -> None:
    """Keep what `station` says it runs and which packs failed there (already validated)."""
    running = json.dumps(report["running"], sort_keys=True)
    failed = json.dumps(report["failed"], sort_keys=True)
    etag = str(report.get("manifest_etag", ""))[:80]
    now = _now()
    with write_transaction(engine) as connection:
        where = (StationContent.site_id == site, StationContent.station == station)
        changed = connection.execute(
            update(StationContent)
            .where(*where)
            .values(running_json=running, failed_json=failed, manifest_etag=etag, reported_at=now)
        ).rowcount
        if not changed:
            connection.execute(
                insert(StationContent).values(
                    site_id=site,
                    station=station,
                    running_json=running,
                    failed_json=failed,
                    manifest_etag=etag,
                    reported_at=now,
                )
            )


def station_reports(engine: Engine) -> dict[tuple[str, str], dict[str, Any]]:
    """(site, station) → {"running": {pack: version}, "failed": [...], "reported_at"}."""
    with engine.connect() as connection:
        return {
            (row.site_id, row.station): {
                "running": json.loads(row.running_json),
                "failed": json.loads(row.failed_json),
                "reported_at": row.reported_at,
            }
            for row in connection.execute(select(StationContent))
        }


# ----- USB export -------------------------------------------------------------------------


def export_content(engine: Engine, target: Path, sites: Sequence[str] | None = None) -> int:
    """Write every site's packs and settings (or those of `sites`) to the zip `target`, for
    `kiosk import-content`; returns the number of files written. Written under a temporary
    name and renamed, so a full stick leaves no half file."""
    with engine.connect() as connection:
        chosen = _sites(connection, sites)
        index: dict[str, Any] = {"schema": MANIFEST_SCHEMA, "exported_at": _now().isoformat()}
        index["sites"] = {}
        hashes: set[str] = set()
        for site in chosen:
            packs = _site_packs(connection, site)
            site_level, stations = _settings_layers(connection, site)
            index["sites"][site] = {
                "packs": packs,
                "settings": site_level,
                "stations": stations,
            }
            hashes |= {f["sha256"] for pack in packs for f in pack["files"]}
        temp = target.with_name(f".{target.name}.tmp")
        try:
            with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(EXPORT_INDEX, json.dumps(index, indent=1, sort_keys=True))
                for sha in sorted(hashes):
                    data = connection.execute(
                        select(ContentFile.data).where(ContentFile.sha256 == sha)
                    ).scalar_one()
                    archive.writestr(f"files/{sha}", data)
            temp.replace(target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    return len(hashes)
