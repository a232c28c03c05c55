"""`kiosk import-content FILE`: the office's content from a USB stick.

The file is what `kiosk office export-content` writes: a zip of ``telpa-content.json``
(each site's packs and settings) and ``files/<sha256>``. The station takes its own site's
part, lays its own station's settings over the library's, and installs it exactly as an
online sync does (`kiosk.fleet.store.install`): hashes checked, packs checked, switched
atomically. Exit codes: 0 installed, 1 a pack failed (the others are installed), 2 the
file cannot be used."""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any, TextIO

from kiosk.config import Config
from kiosk.fleet.settings import merge_layers
from kiosk.fleet.store import ContentError, ContentStore, ManifestFile, install, parse_manifest

EXPORT_INDEX = "telpa-content.json"
MAX_INDEX_BYTES = 20_000_000


def _read_index(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = archive.getinfo(EXPORT_INDEX)
    except KeyError:
        raise ContentError(f"there is no {EXPORT_INDEX} in it") from None
    if info.file_size > MAX_INDEX_BYTES:
        raise ContentError(f"its {EXPORT_INDEX} is too large")
    try:
        data = json.loads(archive.read(info))
    except ValueError:
        raise ContentError(f"its {EXPORT_INDEX} is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("sites"), dict):
        raise ContentError(f"its {EXPORT_INDEX} lists no sites")
    return data


def import_content(config: Config, data_dir: Path, source: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = sys.stderr
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        err.write(
            f"kiosk import-content: {source}: not a content export that can be read ({exc}); "
            "make it with `kiosk office export-content FILE`\n"
        )
        return 2
    with archive:
        try:
            index = _read_index(archive)
            site = index["sites"].get(config.site.id)
            if not isinstance(site, dict):
                known = ", ".join(sorted(index["sites"])) or "none"
                raise ContentError(
                    f"it holds nothing for site {config.site.id!r} (it has: {known}); export "
                    "again at the office with this library's site"
                )
            stations = site.get("stations") or {}
            settings, sources = merge_layers(
                dict(site.get("settings") or {}), dict(stations.get(config.station.id) or {})
            )
            manifest = parse_manifest(
                {
                    "schema": index.get("schema", 1),
                    "site": config.site.id,
                    "station": config.station.id,
                    "packs": site.get("packs") or [],
                    "settings": settings,
                    "settings_from": sources,
                }
            )
        except ContentError as exc:
            err.write(f"kiosk import-content: {source}: {exc}\n")
            return 2

        def fetch(file: ManifestFile, part: Path) -> None:
            try:
                with archive.open(f"files/{file.sha256}") as src, open(part, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            except KeyError:
                raise ContentError(f"{file.path}: the file is missing from {source}") from None

        result = install(ContentStore(data_dir), manifest, fetch, "", source="usb")
    for pack, version in result.installed:
        out.write(f"{pack}: version {version} installed\n")
    for failed in result.failed:
        err.write(
            f"kiosk import-content: {failed['pack']} version {failed['version']}: "
            f"{failed['problem']}\n"
        )
    out.write(
        f"{len(manifest.packs)} pack(s) from the office, {len(settings)} setting(s); "
        "the kiosk shows them at its next attract screen.\n"
    )
    return 1 if result.failed else 0
