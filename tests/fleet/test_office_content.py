"""The office's side of content distribution, over HTTP on loopback: publishing with the
CLI (every publish a new version, checked exactly as `kiosk content check`, hostile uploads
refused with nothing changed), the manifest with its ETag and 304, immutable files with
Range, settings per library and station, and the stations' reports on the station list."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, text

from kiosk.cli import main
from tests.fleet.conftest import make_pack
from tests.office.conftest import snapshot_tables


def _office(db: str, *args: str) -> int:
    return main(["office", "--db", db, *args])


def _manifest(http: httpx.Client, token: str, station: str = "ludza-pc-1", etag: str = ""):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"}
    if etag:
        headers["If-None-Match"] = etag
    return http.get("/api/v1/manifest", params={"station": station}, headers=headers)


CONTENT_TABLES = (
    "content_files",
    "pack_versions",
    "pack_version_files",
    "pack_assignments",
    "station_settings",
    "station_content",
)


def _content_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every office table, the content tables included."""
    rows = snapshot_tables(engine)
    with engine.connect() as connection:
        for table in CONTENT_TABLES:
            rows[table] = sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))),
                key=repr,
            )
    return rows


def test_publish_for_one_site_reaches_its_manifest_only_and_an_unchanged_one_is_a_304(
    tmp_path: Path,
    http: httpx.Client,
    office_db: str,
    site_token: str,
    other_site_token: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    empty = _manifest(http, site_token)
    assert empty.status_code == 200 and empty.json()["packs"] == []
    folder = make_pack(tmp_path, "fire-station")
    assert _office(office_db, "publish-pack", str(folder), "--site", "ludza") == 0
    assert "fire-station version 1 published to ludza" in capsys.readouterr().out

    first = _manifest(http, site_token)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-cache"
    (pack,) = first.json()["packs"]
    assert (pack["pack"], pack["version"]) == ("fire-station", 1)
    on_disk = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }
    assert {f["path"]: f["sha256"] for f in pack["files"]} == on_disk
    again = _manifest(http, site_token, etag=first.headers["etag"])
    assert again.status_code == 304 and again.content == b""
    assert _manifest(http, other_site_token, "rokiskis-pc-1").json()["packs"] == []

    make_pack(tmp_path, "fire-station", title="Fire station, again")
    assert _office(office_db, "publish-pack", str(folder), "--site", "ludza") == 0
    changed = _manifest(http, site_token, etag=first.headers["etag"])
    assert changed.status_code == 200 and changed.json()["packs"][0]["version"] == 2
    # Roll back: version 1 again, a new ETag, the old files.
    assert _office(office_db, "rollback-pack", "fire-station", "1", "--site", "ludza") == 0
    back = _manifest(http, site_token, etag=changed.headers["etag"])
    assert back.status_code == 200 and back.json()["packs"] == first.json()["packs"]


def test_the_manifest_wants_the_sites_token(http: httpx.Client, site_token: str) -> None:
    assert http.get("/api/v1/manifest", params={"station": "ludza-pc-1"}).status_code == 401
    wrong = http.get(
        "/api/v1/manifest",
        params={"station": "ludza-pc-1"},
        headers={"Authorization": "Bearer not-a-token-at-all"},
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "INVALID_TOKEN"
    bad_station = _manifest(http, site_token, station="../etc")
    assert bad_station.status_code == 422


def test_files_are_immutable_cacheable_and_resumable_with_range(
    tmp_path: Path, http: httpx.Client, office_db: str, site_token: str
) -> None:
    folder = make_pack(tmp_path, "fire-station", photo_bytes=100_000)
    assert _office(office_db, "publish-pack", str(folder), "--site", "ludza") == 0
    files = _manifest(http, site_token).json()["packs"][0]["files"]
    big = next(f for f in files if f["path"] == "notes.bin")
    data = (folder / "notes.bin").read_bytes()
    url = f"/api/v1/files/{big['sha256']}"
    whole = http.get(url)  # no token: a hash names it, any cache may serve it
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert whole.headers["etag"] == f'"{big["sha256"]}"'
    tail = http.get(url, headers={"Range": "bytes=60000-"})
    assert tail.status_code == 206 and tail.content == data[60000:]
    assert tail.headers["content-range"] == f"bytes 60000-{len(data) - 1}/{len(data)}"
    middle = http.get(url, headers={"Range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == data[10:20]
    assert http.get(url, headers={"Range": f"bytes={len(data)}-"}).status_code == 416
    assert http.get("/api/v1/files/" + "0" * 64).status_code == 404
    assert http.get("/api/v1/files/not-a-hash").status_code == 404


def _zip(path: Path, entries: dict[str, bytes], link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def _pack_entries(tmp_path: Path) -> dict[str, bytes]:
    folder = make_pack(tmp_path / "src", "fire-station")
    return {
        f"fire-station/{p.relative_to(folder).as_posix()}": p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


def _pixel_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    return out.getvalue()


HOSTILE = {
    "zip bomb": (lambda entries: {**entries, "fire-station/zeros.bin": bytes(400_000_000)}, None),
    "path leaving the folder": (lambda entries: {**entries, "../evil.txt": b"x"}, None),
    "absolute path": (lambda entries: {**entries, "/tmp/evil.txt": b"x"}, None),
    "link": (lambda entries: entries, "fire-station/images/link.jpg"),
    "yaml aliases": (
        lambda entries: {
            **entries,
            "fire-station/pack.yaml": entries["fire-station/pack.yaml"].replace(
                b"icon: bakery", b"icon: &a bakery\nextra: *a"
            ),
        },
        None,
    ),
    "pixel budget": (
        lambda entries: {**entries, "fire-station/images/oven.jpg": _pixel_bomb()},
        None,
    ),
}


#: What each refusal says (besides "nothing was published").
SAYS = {
    "zip bomb": "zip bomb",
    "path leaving the folder": "use a path inside the pack's folder",
    "absolute path": "use a path inside the pack's folder",
    "link": "is a link or a special file",
    "yaml aliases": "alias",
    "pixel budget": "pixels",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_upload_gets_a_clear_message_and_changes_nothing(
    case: str,
    tmp_path: Path,
    office_db: str,
    office_engine: Engine,
    site_token: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make, link = HOSTILE[case]
    good = make_pack(tmp_path / "good", "fire-station")
    assert _office(office_db, "publish-pack", str(good), "--site", "ludza") == 0
    capsys.readouterr()
    upload = _zip(tmp_path / "upload.zip", make(_pack_entries(tmp_path)), link)
    before = _content_rows(office_engine)
    assert before["pack_versions"] and before["content_files"]
    assert _office(office_db, "publish-pack", str(upload), "--site", "ludza") == 2
    message = capsys.readouterr().err
    assert message.startswith("kiosk office: ") and "nothing was published" in message
    assert SAYS[case] in message
    assert _content_rows(office_engine) == before


def test_a_folder_with_a_link_is_refused(
    tmp_path: Path, office_db: str, site_token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_pack(tmp_path, "fire-station")
    os.symlink("/etc/hostname", folder / "images" / "host.jpg")
    assert _office(office_db, "publish-pack", str(folder), "--site", "ludza") == 2
    assert "is a link" in capsys.readouterr().err


def test_a_pack_with_problems_is_refused_with_the_checks_own_lines(
    tmp_path: Path, office_db: str, site_token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_pack(tmp_path, "fire-station")
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(text.replace("picture: baker", "picture: nobody"), "utf-8")
    assert _office(office_db, "publish-pack", str(folder), "--site", "ludza") == 2
    assert "no picture 'nobody' in pictures:" in capsys.readouterr().err
    assert _office(office_db, "publish-pack", str(folder), "--site", "nowhere") == 2


def test_a_pack_named_like_one_that_comes_with_telpa_is_refused(
    tmp_path: Path,
    office_db: str,
    office_engine: Engine,
    site_token: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every station reads the packs that come with Telpa first and would leave this one
    out as a duplicate ("exists twice"): published, it would reach no child."""
    folder = make_pack(tmp_path, "spelling")
    upload = tmp_path / "spelling.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(tmp_path).as_posix())
    before = _content_rows(office_engine)
    for source in (folder, upload):
        assert _office(office_db, "publish-pack", str(source), "--site", "ludza") == 2
        message = capsys.readouterr().err
        assert "'spelling' comes with Telpa" in message and "nothing was published" in message
        assert "pack.yaml" in message  # where to change the name
    assert _content_rows(office_engine) == before


def test_settings_per_library_with_a_station_override_and_no_it_keys(
    tmp_path: Path,
    http: httpx.Client,
    office_db: str,
    site_token: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    library = tmp_path / "ludza.yaml"
    library.write_text(
        "session: {idle_timeout_s: 120, age_picker: false}\n"
        "languages: {available: [lv, en], default: lv}\n"
        "opening_hours: {mon: '10:00-18:00', sat: closed}\n",
        encoding="utf-8",
    )
    board = tmp_path / "board.yaml"
    board.write_text("session: {idle_timeout_s: 300}\ngroup: {headcount: 25}\n", "utf-8")
    assert _office(office_db, "set-settings", "--site", "ludza", str(library)) == 0
    args = ["set-settings", "--site", "ludza", "--station", "ludza-wb-1", str(board)]
    assert _office(office_db, *args) == 0
    pc = _manifest(http, site_token, "ludza-pc-1").json()
    wb = _manifest(http, site_token, "ludza-wb-1").json()
    assert pc["settings"]["session.idle_timeout_s"] == 120
    assert wb["settings"]["session.idle_timeout_s"] == 300
    assert wb["settings"]["session.age_picker"] is False
    assert wb["settings_from"]["session.idle_timeout_s"] == "station"
    assert wb["settings_from"]["session.age_picker"] == "site"
    assert "group.headcount" not in pc["settings"]

    capsys.readouterr()
    it_only = tmp_path / "it.yaml"
    it_only.write_text("sync: {office_url: 'http://evil.example'}\n", encoding="utf-8")
    assert _office(office_db, "set-settings", "--site", "ludza", str(it_only)) == 2
    assert "is set by IT on each station" in capsys.readouterr().err
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("opening_hours: {mon: '18:00-10:00'}\n", encoding="utf-8")
    assert _office(office_db, "set-settings", "--site", "ludza", str(wrong)) == 2
    assert "wrong.yaml:1: opening_hours" in capsys.readouterr().err


def test_a_stations_report_is_on_the_station_list(
    http: httpx.Client, site_token: str, office_engine: Engine
) -> None:
    from kiosk.office.content_store import station_reports

    auth = {"Authorization": f"Bearer {site_token}"}
    report = {
        "station": "ludza-pc-1",
        "manifest_etag": '"abc"',
        "running": {"fire-station": 2},
        "failed": [{"pack": "bakery", "version": 3, "problem": "the pack check failed"}],
    }
    assert http.post("/api/v1/content-report", json=report, headers=auth).status_code == 200
    assert (
        http.post("/api/v1/content-report", json={"station": "x"}, headers=auth).status_code == 422
    )
    assert http.post("/api/v1/content-report", json=report).status_code == 401
    stored = station_reports(office_engine)[("ludza", "ludza-pc-1")]
    assert stored["running"] == {"fire-station": 2}
    assert stored["failed"][0]["pack"] == "bakery"

    # The station list shows both, once the station has synced its totals.
    from kiosk.office.auth import create_coordinator
    from kiosk.office.ingest import ingest
    from tests.office.conftest import make_batch
    from tests.office.test_dashboard import LOGIN, PASSWORD, Page, log_in

    status, _answer = ingest(office_engine, "ludza", make_batch(station="ludza-pc-1"))
    assert status == 200
    create_coordinator(office_engine, LOGIN, PASSWORD)
    log_in(http)
    page = Page(http.get("/stations?lang=en").text).all_text
    assert "fire-station v2" in page
    assert "Failed bakery v3: the pack check failed" in " ".join(page.split())
