"""Per-machine folders, the config search order and `kiosk where` (docs/folders.md)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path, PureWindowsPath

import pytest

from kiosk.cli import main
from kiosk.harness import Harness
from kiosk.paths import (
    CONTENT,
    DEFAULT_CONFIG,
    PACKAGE_DIR,
    SYSTEM_CONFIG_DIR,
    SYSTEM_DATA_DIR,
    machine_folders,
)


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A user install whose XDG folders are in tmp_path; no config or data dir chosen."""
    for name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_OFFICE_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KIOSK_SCOPE", "user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.chdir(tmp_path)
    return {"config": tmp_path / "xdg-config" / "telpa", "data": tmp_path / "xdg-data" / "telpa"}


def _where(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, str]:
    """`kiosk where`'s folder lines as {label: text}, and its settings as {key: line}."""
    assert main(["where", *args]) == 0
    found: dict[str, str] = {}
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("  "):
            key, _, rest = line.strip().partition(" ")
            found[key] = rest.strip()
        elif "  " in line:
            label, _, rest = line.partition("  ")
            found[label.strip()] = rest.strip()
    return found


def test_windows_keeps_config_and_data_under_programdata() -> None:
    folders = machine_folders("win32", {"ProgramData": r"D:\ProgramData"})
    assert folders.scope == "system"
    assert folders.config == PureWindowsPath(r"D:\ProgramData\Telpa\config")
    assert folders.data == PureWindowsPath(r"D:\ProgramData\Telpa\data")
    assert folders.config_file == PureWindowsPath(r"D:\ProgramData\Telpa\config\config.yaml")


def test_windows_without_programdata_uses_the_usual_folder() -> None:
    folders = machine_folders("win32", {})
    assert folders.data == PureWindowsPath(r"C:\ProgramData\Telpa\data")


def test_linux_with_etc_telpa_is_a_system_install() -> None:
    folders = machine_folders("linux", {}, exists=lambda path: path == SYSTEM_CONFIG_DIR)
    assert (folders.scope, folders.config, folders.data) == (
        "system",
        Path("/etc/telpa"),
        Path("/var/lib/telpa"),
    )
    assert SYSTEM_DATA_DIR == Path("/var/lib/telpa")


def test_linux_without_etc_telpa_uses_the_xdg_folders(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environ.items():
            patch.setenv(name, value)
        folders = machine_folders("linux", {}, exists=lambda path: False)
    assert folders.scope == "user"
    assert (folders.config, folders.data) == (tmp_path / "c" / "telpa", tmp_path / "d" / "telpa")


def test_kiosk_scope_overrides_what_the_machine_suggests() -> None:
    assert machine_folders("linux", {"KIOSK_SCOPE": "system"}, lambda p: False).scope == "system"
    windows_user = machine_folders("win32", {"KIOSK_SCOPE": "user"})
    assert windows_user.scope == "user" and "ProgramData" not in str(windows_user.data)


def test_a_wrong_kiosk_scope_is_one_line_and_exit_2(
    machine: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIOSK_SCOPE", "everyone")
    assert main(["where"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "environment: KIOSK_SCOPE: 'everyone' is not a kind of install; use system or user, "
        "or unset it\n"
    )


def test_without_any_config_file_the_embedded_demo_is_used(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    where = _where(capsys)
    assert where["config file"] == f"{DEFAULT_CONFIG}  <- the embedded demo config " + (
        "(no config file given or installed)"
    )
    assert where["machine config"].startswith(f"{machine['config']}  (user install")
    assert where["data folder"].startswith(f"{machine['data']}  <- this machine's data folder")
    assert where["program folder"].startswith(str(PACKAGE_DIR))
    assert where["built-in packs"] == str(CONTENT)


def test_the_machine_config_file_wins_over_the_embedded_one(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    machine["config"].mkdir(parents=True)
    config = machine["config"] / "config.yaml"
    config.write_text("site: {id: ludza}\nstation:\n  id: ludza-pc-2\n", encoding="utf-8")
    where = _where(capsys)
    assert where["config file"] == f"{config}  <- this machine's config file"
    assert where["station.id"].split() == ["ludza-pc-2", "config", "file,", "line", "3"]
    assert where["site.name"].split()[-1] == "default"


def test_kiosk_config_wins_over_the_machine_file_and_the_flag_over_both(
    machine: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    machine["config"].mkdir(parents=True)
    (machine["config"] / "config.yaml").write_text("station: {id: machine}\n", encoding="utf-8")
    from_env, from_flag = tmp_path / "env.yaml", tmp_path / "flag.yaml"
    from_env.write_text("station: {id: from-env}\n", encoding="utf-8")
    from_flag.write_text("station: {id: from-flag}\n", encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(from_env))
    where = _where(capsys)
    assert where["config file"] == f"{from_env}  <- KIOSK_CONFIG"
    assert where["station.id"].split()[0] == "from-env"
    where = _where(capsys, "--config", str(from_flag))
    assert where["config file"] == f"{from_flag}  <- --config"
    assert where["station.id"].split()[0] == "from-flag"


def test_kiosk_data_dir_is_shown_as_the_source_of_the_data_folder(
    machine: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "elsewhere"))
    where = _where(capsys)
    assert where["data folder"].startswith(f"{tmp_path / 'elsewhere'}  <- KIOSK_DATA_DIR")
    assert where["usage database"].startswith(str(tmp_path / "elsewhere" / "usage.db"))
    assert where["storage.data_dir"].endswith("$KIOSK_DATA_DIR (overrides the file)")


def test_the_database_goes_to_the_machine_data_folder_by_default(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (machine["data"] / "usage.db").is_file()
    assert _where(capsys)["usage database"] == str(machine["data"] / "usage.db")


def test_set_pin_on_the_embedded_config_writes_the_machine_folder_not_the_program(
    machine: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    program_secrets = DEFAULT_CONFIG.parent / "secrets.json"
    before = program_secrets.stat().st_mtime_ns if program_secrets.exists() else None
    monkeypatch.setattr(sys, "stdin", io.StringIO("2468\n"))
    assert main(["set-pin", "--stdin"]) == 0
    secrets = machine["config"] / "secrets.json"
    assert "pin" in json.loads(secrets.read_text(encoding="utf-8"))
    after = program_secrets.stat().st_mtime_ns if program_secrets.exists() else None
    assert after == before
    capsys.readouterr()
    assert _where(capsys)["secrets (PIN)"] == str(secrets)


def test_the_site_token_is_read_next_to_the_machine_config(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    machine["config"].mkdir(parents=True)
    (machine["config"] / "config.yaml").write_text(
        "sync: {office_url: 'https://office.example.lv', token_file: site-token.txt}\n",
        encoding="utf-8",
    )
    where = _where(capsys)
    token = machine["config"] / "site-token.txt"
    assert where["site token"] == f"{token}  <- sync.token_file  (not there yet)"


def test_the_librarys_own_packs_in_the_data_folder_are_checked_by_default(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["content", "check"]) == 0
    capsys.readouterr()
    broken = machine["data"] / "packs" / "our-visit"
    broken.mkdir(parents=True)
    (broken / "pack.yaml").write_text("pack: our-visit\nlanguages: [lv]\n", encoding="utf-8")
    assert main(["content", "check"]) == 1
    assert str(broken / "pack.yaml") in capsys.readouterr().out


def test_the_kiosk_offers_the_librarys_own_packs_from_the_data_folder(tmp_path: Path) -> None:
    own = tmp_path / "data" / "packs" / "our-helpers"
    own.mkdir(parents=True)
    text = (CONTENT / "who-helps" / "pack.yaml").read_text(encoding="utf-8")
    (own / "pack.yaml").write_text(
        text.replace("pack: who-helps", "pack: our-helpers"), encoding="utf-8"
    )
    with Harness(data_folder=tmp_path / "data") as kiosk:
        ids = {pack.pack for pack in kiosk.app.packs.ready()}
    assert {"our-helpers", "who-helps"} <= ids


def test_office_commands_without_the_office_libraries_say_how_to_add_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert main(["office", "serve", "--port", "9"]) == 2
    assert capsys.readouterr().err == (
        "kiosk: the office needs its extra libraries (fastapi, openpyxl missing here): "
        "pip install 'telpa[office]'\n"
    )


def test_content_check_of_named_folders_does_not_need_the_station_config(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    machine["config"].mkdir(parents=True)
    (machine["config"] / "config.yaml").write_text("sesion: {}\n", encoding="utf-8")
    assert main(["content", "check", str(CONTENT)]) == 0
    assert main(["content", "check"]) == 2
    assert "sesion: unknown key" in capsys.readouterr().err


def test_where_with_a_broken_config_still_shows_the_folders_and_the_problem(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    machine["config"].mkdir(parents=True)
    config = machine["config"] / "config.yaml"
    config.write_text("site:\n  id: Ludza!\n", encoding="utf-8")
    assert main(["where"]) == 2
    out, err = capsys.readouterr()
    assert f"config file      {config}  <- this machine's config file" in out
    assert err.startswith(f"{config}:2: site.id: ")


def test_where_names_the_folders_the_kiosk_really_writes(
    machine: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.logs import setup_logging

    log_file = setup_logging(machine["data"])
    try:
        where = _where(capsys)
    finally:
        import logging

        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_telpa", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert where["logs"] == str(log_file.parent)
    with Harness(data_folder=machine["data"]) as kiosk:
        assert kiosk.app.creations is not None
        assert where["creations"].split("  ")[0] == str(kiosk.app.creations.root)
    assert where["exports"] == f"{machine['data'] / 'exports'}  (not there yet)"
    assert where["library packs"] == f"{machine['data'] / 'packs'}  (not there yet)"
