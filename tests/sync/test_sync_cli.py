"""`kiosk sync` and `kiosk sync --export FILE` through the real command line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sync_helpers import Kiosk, MakeKiosk, OfficeServer, kiosk_totals, pending, recent

from kiosk.cli import main
from kiosk.sync.cli import export_names


def _kiosk_sync(kiosk: Kiosk, *args: str) -> int:
    return main(["sync", "--config", str(kiosk.folder / "config.yaml"), *args])


def _write_config(kiosk: Kiosk, sync_lines: str) -> None:
    (kiosk.folder / "config.yaml").write_text(
        f"site: {{id: ludza, timezone: Europe/Riga}}\nstation: {{id: {kiosk.station}}}\n"
        f"storage: {{data_dir: {kiosk.data_dir}}}\n{sync_lines}",
        encoding="utf-8",
    )


@pytest.fixture
def pc(make_kiosk: MakeKiosk, office: OfficeServer) -> Kiosk:
    kiosk = make_kiosk()
    _write_config(kiosk, f"sync: {{office_url: '{office.url}', token_file: site-token.txt}}\n")
    kiosk.play(recent(1, 9))
    kiosk.play(recent(2, 14), kind="group", headcount=12, runs=(("quiz", "completed", 900),))
    return kiosk


def test_kiosk_sync_sends_everything_and_prints_the_summary(
    pc: Kiosk, office: OfficeServer, site_token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    waiting = pending(pc.db_path)
    assert _kiosk_sync(pc) == 0
    out = capsys.readouterr().out
    assert f"Sending {waiting} row(s)" in out
    assert f"Batch 1: {waiting} row(s) sent; the office: {waiting} imported, 0 updated" in out
    assert f"Done: {waiting} row(s) sent in 1 batch(es)." in out
    assert pending(pc.db_path) == 0
    assert office.totals(site_token) == kiosk_totals(pc.db_path, pc.station)


@pytest.mark.parametrize(
    ("sync_lines", "message"),
    [
        ("", "sync.office_url is empty"),
        ("sync: {office_url: 'http://127.0.0.1:9'}\n", "sync.token_file is empty"),
        (
            "sync: {office_url: 'http://127.0.0.1:9', token_file: nowhere.txt}\n",
            "nowhere.txt: the file does not exist",
        ),
    ],
)
def test_kiosk_sync_not_set_up_says_which_setting_and_exits_2(
    pc: Kiosk, sync_lines: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_config(pc, sync_lines)
    assert _kiosk_sync(pc) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_kiosk_sync_with_the_office_down_says_so_in_one_line_and_exits_1(
    pc: Kiosk, office: OfficeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    waiting = pending(pc.db_path)
    office.stop()
    assert _kiosk_sync(pc) == 1
    err = capsys.readouterr().err
    assert err == f"kiosk sync: the office at {office.url} could not be reached (ConnectError)\n"
    assert pending(pc.db_path) == waiting


def test_kiosk_sync_without_a_database_says_where_it_looked(
    tmp_path: Path, office: OfficeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"storage: {{data_dir: {tmp_path / 'empty'}}}\n", encoding="utf-8")
    assert main(["sync", "--config", str(config)]) == 2
    assert "no usage database in" in capsys.readouterr().err


def test_export_writes_the_protocol_body_atomically_and_marks_it_exported(
    pc: Kiosk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "stick" / "ludza.json"
    target.parent.mkdir()
    assert _kiosk_sync(pc, "--export", str(target)) == 0
    body = json.loads(target.read_text(encoding="utf-8"))
    assert body["schema"] == 1 and body["site"] == "ludza" and body["station"] == pc.station
    assert body["timezone"] == "Europe/Riga" and body["sent_at"][-6:] in ("+02:00", "+03:00")
    rows = len(body["session_totals"]) + len(body["activity_totals"])
    assert rows == pending(pc.db_path) > 0
    assert {r["age_band"] for r in body["session_totals"]} == {None}  # 'none' goes as null
    assert sorted(p.name for p in target.parent.iterdir()) == ["ludza.json"]  # no temp files
    with sqlite3.connect(pc.db_path) as db:
        exported = dict(db.execute("SELECT key, value FROM kv WHERE key LIKE 'exported_rev.%'"))
        top = db.execute("SELECT max(rev) FROM session_totals").fetchone()[0]
    assert int(exported["exported_rev.session_totals"]) == top
    assert "kiosk office import ludza.json" in capsys.readouterr().out


def test_export_into_a_folder_names_the_file_after_the_station(pc: Kiosk, tmp_path: Path) -> None:
    assert _kiosk_sync(pc, "--export", str(tmp_path)) == 0
    (written,) = tmp_path.glob("telpa-ludza-ludza-pc-1-*.json")
    assert json.loads(written.read_text(encoding="utf-8"))["schema"] == 1


def test_export_names_continue_with_numbers() -> None:
    assert [p.name for p in export_names(Path("/s/telpa.json"), 3)] == [
        "telpa.json",
        "telpa-2.json",
        "telpa-3.json",
    ]
    assert [p.name for p in export_names(Path("/s/totals"), 2)] == ["totals.json", "totals-2.json"]


@pytest.mark.skipif(os.geteuid() == 0 and sys.platform != "win32", reason="root writes anywhere")
def test_export_to_a_read_only_folder_marks_nothing(pc: Kiosk, tmp_path: Path) -> None:
    stick = tmp_path / "ro"
    stick.mkdir()
    stick.chmod(0o500)
    try:
        assert _kiosk_sync(pc, "--export", str(stick / "t.json")) == 1
    finally:
        stick.chmod(0o700)
    assert not list(stick.iterdir())
    _assert_nothing_exported(pc)


def test_export_to_a_full_disk_leaves_no_file_and_marks_nothing(
    pc: Kiosk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("needs /dev/full")
    # The export writes a temporary file next to FILE, then renames it: a symlink from
    # that temporary name to /dev/full makes the write fail with ENOSPC, like a full stick.
    stick = tmp_path / "stick"
    stick.mkdir()
    temp = stick / f".t.json.{os.getpid()}.tmp"
    temp.symlink_to(full)
    assert _kiosk_sync(pc, "--export", str(stick / "t.json")) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Nothing was exported" in err
    assert not (stick / "t.json").exists() and not temp.exists()
    _assert_nothing_exported(pc)


def test_export_to_a_missing_folder_is_bad_input(pc: Kiosk, tmp_path: Path) -> None:
    assert _kiosk_sync(pc, "--export", str(tmp_path / "no" / "t.json")) == 2
    _assert_nothing_exported(pc)


def _assert_nothing_exported(kiosk: Kiosk) -> None:
    with sqlite3.connect(kiosk.db_path) as db:
        assert db.execute("SELECT count(*) FROM kv WHERE key LIKE 'exported_rev.%'").fetchone() == (
            0,
        )


def test_export_works_while_the_kiosk_holds_the_database(pc: Kiosk, tmp_path: Path) -> None:
    """A second process (the real `kiosk` command) while this one's store is open."""
    target = tmp_path / "live.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "sync",
            "--config",
            str(pc.folder / "config.yaml"),
            "--export",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pc.play(recent(1, 15))  # the kiosk keeps writing afterwards
    body = json.loads(target.read_text(encoding="utf-8"))
    assert len(body["session_totals"]) >= 2
