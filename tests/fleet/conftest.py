"""Fixtures for the content-distribution tests: the real office on loopback (SQLite, and
PostgreSQL when $TELPA_TEST_POSTGRES_URL is set; see tests/office/conftest.py), sites
ludza and rokiskis, and helpers that make pack folders and station config files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.office.conftest import (  # noqa: F401  (fixtures)
    http,
    office_app,
    office_clock,
    office_engine,
    office_server,
    office_url,
    other_site_token,
    site_token,
)

FIXTURE_PACK = Path(__file__).parent.parent / "packs" / "fixtures" / "good-visit"


def make_pack(root: Path, pack_id: str, title: str = "Fire station", photo_bytes: int = 0) -> Path:
    """A valid pack `pack_id` (the fixture pack renamed and retitled); `photo_bytes` adds a
    file of random bytes that size (a pack may carry files it does not name)."""
    folder = root / pack_id
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(FIXTURE_PACK, folder)
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    text = text.replace("pack: good-visit", f"pack: {pack_id}", 1)
    text = text.replace("en: Our visit to the bakery", f"en: {title}", 1)
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    if photo_bytes:
        (folder / "notes.bin").write_bytes(os.urandom(photo_bytes))
    return folder


def station_config(
    root: Path, site: str, station: str, office: str, token: str, *, hours: str = ""
) -> Path:
    """A station's config.yaml (and token file, data folder) under root/station."""
    folder = root / station
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "token.txt").write_text(token + "\n", encoding="utf-8")
    config = folder / "config.yaml"
    zone = "Europe/Vilnius" if site == "rokiskis" else "Europe/Riga"
    config.write_text(
        f"site: {{id: {site}, name: {site.title()}, timezone: {zone}}}\n"
        f"station: {{id: {station}}}\n"
        f"storage: {{data_dir: {folder / 'data'}}}\n"
        f"sync: {{office_url: '{office}', token_file: token.txt}}\n",
        encoding="utf-8",
    )
    return config


def kiosk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real `kiosk` CLI in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KIOSK_SCOPE": "user", **(env or {})},
    )


@pytest.fixture
def office_db(office_app):  # type: ignore[no-untyped-def]  # noqa: F811
    """The office database URL as `kiosk office --db` takes it."""
    return office_app.state.db_url
