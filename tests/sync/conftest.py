"""Fixtures for the sync tests: the real office (uvicorn on loopback) on SQLite and on
PostgreSQL, and real kiosks that sync to it.

The office databases come from the office tests' `office_url` fixture (an SQLite file, or a
fresh database in the PostgreSQL server named by $TELPA_TEST_POSTGRES_URL; see
tests/office/conftest.py). The server is `sync_helpers.OfficeServer`, which, unlike the
office tests' `office_server`, can be stopped and started again at the same address.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.office.conftest import office_url  # noqa: F401  (a fixture, used by `office`)
from tests.sync.sync_helpers import Kiosk, MakeKiosk, OfficeServer


@pytest.fixture
def office(office_url: str) -> Iterator[OfficeServer]:  # noqa: F811
    """The real office, running, with no site yet (see `site_token`)."""
    server = OfficeServer(office_url)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def site_token(office: OfficeServer) -> str:
    return office.add_site()


@pytest.fixture
def make_kiosk(tmp_path: Path, office: OfficeServer, site_token: str) -> Iterator[MakeKiosk]:
    """`make_kiosk(station, **options)`: a kiosk of site ludza syncing to `office`."""
    made: list[Kiosk] = []

    def _make(station: str = "ludza-pc-1", **options: object) -> Kiosk:
        options.setdefault("office_url", office.url)
        options.setdefault("token", site_token)
        kiosk = Kiosk(tmp_path / station, station, **options)  # type: ignore[arg-type]
        made.append(kiosk)
        return kiosk

    yield _make
    for kiosk in made:
        kiosk.close()
