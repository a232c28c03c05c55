"""`kiosk run`'s quick start (kiosk.launch, kiosk.launch_folders): the supervisor reads its
options, config file and data folder with light code and starts the shell first — with
the same answers as the full parser and the YAML reader, and without ever loading the
libraries the shell needs."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from kiosk import launch, launch_folders, paths
from kiosk.cli import build_parser
from kiosk.config import data_dir, load_config
from kiosk.configfile import find_config, supervisor_data_dir
from kiosk.launch_folders import Unreadable, storage_data_dir
from kiosk.supervisor import Supervisor
from kiosk.yamltools import parse_with_nodes

RUN_FIELDS = ("config", "windowed", "size", "lang", "child", "out_of_order", "first_frame")

ARGUMENT_CASES = [
    [],
    ["--windowed"],
    ["--config", "site.yaml"],
    ["--config=site.yaml", "--windowed"],
    ["--config", ""],
    ["--config="],
    ["--size", "1366x768", "--lang", "lt"],
    ["--size=1920x1080", "--lang=en", "--windowed", "--config", "a b.yaml"],
    ["--config", "a.yaml", "--config", "b.yaml"],  # the last one counts, as in argparse
    ["--windowed", "--windowed"],
    ["--win"],  # argparse's abbreviations: read by argparse
    ["--conf", "x.yaml"],
    ["--config", "-x.yaml"],
    ["--config=-x.yaml"],
    ["--size", "99x99"],
    ["--size", "1366x768x2"],
    ["--lang", "de"],
    ["--lang"],
    ["--windowed=yes"],
    ["--out-of-order"],
    ["extra"],
    ["--", "--windowed"],
]


def _full(argv: list[str]) -> dict[str, object] | str:
    try:
        namespace = build_parser().parse_args(["run", *argv])
    except SystemExit as exc:
        return f"exit {exc.code}"
    return {name: getattr(namespace, name) for name in RUN_FIELDS}


def _quick(argv: list[str]) -> dict[str, object] | str | None:
    args = launch.quick_arguments(argv)
    if args is None:
        return None
    return {name: getattr(args, name) for name in RUN_FIELDS}


def _run_parser(argv: list[str]) -> dict[str, object] | str:
    try:
        namespace = launch.run_parser().parse_args(argv)
    except SystemExit as exc:
        return f"exit {exc.code}"
    return {name: getattr(namespace, name) for name in RUN_FIELDS}


@pytest.mark.parametrize("argv", ARGUMENT_CASES, ids=" ".join)
def test_kiosk_runs_options_read_quickly_are_what_the_full_parser_reads(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    full = _full(argv)
    quick = _quick(argv)
    assert quick is None or quick == full
    # What the quick reading leaves to argparse, argparse's `kiosk run` parser reads as
    # the whole command's parser does, errors included.
    assert _run_parser(argv) == full
    capsys.readouterr()


def test_an_abbreviated_child_option_still_runs_the_shell_not_a_second_supervisor() -> None:
    assert launch.start(["--chi", "--windowed"]) is None  # kiosk.cli's full path runs it


def test_the_common_command_lines_need_no_argparse() -> None:
    for argv in (
        [],
        ["--windowed"],
        ["--config", "/etc/telpa/config.yaml"],
        ["--size", "1366x768", "--lang", "lv", "--windowed"],
    ):
        assert launch.quick_arguments(argv) is not None, argv


def test_the_shells_command_line_names_the_config_file_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    args = launch.quick_arguments(["--config", "link/../link/c.yaml", "--size", "800x600"])
    assert args is not None
    command = launch.child_command(args, first_frame=("D", "C"))
    assert command[: 1 + len(launch.CHILD_OPTIONS)] == [sys.executable, *launch.CHILD_OPTIONS]
    assert command[5:] == [
        "--first-frame",
        "D",
        "C",
        "--config",
        str(Path("link/../link/c.yaml").resolve()),
        "--size",
        "800x600",
    ]


# --- the config file and the data folder -------------------------------------------------


def _config(folder: Path, data_line: str = "") -> Path:
    text = paths.DEFAULT_CONFIG.read_text(encoding="utf-8")
    if data_line:
        text = text.replace("  data_dir:", f"  data_dir: {data_line}", 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SCENARIOS = [
    "flag",
    "flag, data_dir in the config",
    "flag, quoted data_dir",
    "flag, KIOSK_DATA_DIR",
    "KIOSK_CONFIG",
    "KIOSK_CONFIG with spaces around",
    "this machine's config (user install)",
    "the embedded config (user install)",
    "the embedded config (system install)",
    "a config in a rarer YAML form",
    "a config that is not there",
    "KIOSK_SCOPE that is no kind of install",
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_config_file_and_data_folder_are_found_as_the_full_reading_finds_them(
    scenario: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_SCOPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KIOSK_SCOPE", "user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    flag: str | None = None
    valid = True
    if scenario.startswith("flag"):
        data_line = {
            "flag, data_dir in the config": str(tmp_path / "kept data"),
            "flag, quoted data_dir": f"'{tmp_path / 'quoted'}'",
        }.get(scenario, "")
        flag = str(_config(tmp_path / "site", data_line))
        if scenario == "flag, KIOSK_DATA_DIR":
            monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "from env"))
    elif scenario.startswith("KIOSK_CONFIG"):
        path = _config(tmp_path / "env", str(tmp_path / "env data"))
        monkeypatch.setenv("KIOSK_CONFIG", f"  {path} " if "spaces" in scenario else str(path))
    elif scenario == "this machine's config (user install)":
        _config(tmp_path / "xdg-config" / "telpa", str(tmp_path / "machine data"))
    elif scenario == "the embedded config (system install)":
        monkeypatch.setenv("KIOSK_SCOPE", "system")
    elif scenario == "a config in a rarer YAML form":
        flag = str(tmp_path / "anchored.yaml")
        Path(flag).write_text(
            f"site: &s {{id: x}}\nstorage:\n  data_dir: &d {tmp_path / 'anchored'}\n",
            encoding="utf-8",
        )
        valid = False  # not a valid config for the shell either; the supervisor still asks
    elif scenario == "a config that is not there":
        flag, valid = str(tmp_path / "missing.yaml"), False
    elif scenario == "KIOSK_SCOPE that is no kind of install":
        monkeypatch.setenv("KIOSK_SCOPE", "everyone")
        valid = False

    try:
        expected_config: Path | None = find_config(flag).path
    except Exception:
        expected_config = None
    expected_folder = supervisor_data_dir(flag)
    found_config = launch_folders.config_file(flag)
    assert (None if found_config is None else Path(found_config)) == expected_config
    try:
        found_folder = launch_folders.data_folder(flag)
    except Unreadable:
        assert scenario == "a config in a rarer YAML form"
    else:
        assert (None if found_folder is None else Path(found_folder)) == expected_folder
    if valid:  # and the shell, which validates the config, uses that folder too
        assert expected_folder == data_dir(load_config(flag))


def test_this_machines_folders_are_those_of_kiosk_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    for environ in ({}, {"ProgramData": r"D:\Shared"}, {"KIOSK_SCOPE": "System"}):
        for kind in ("config", "data"):
            expected = getattr(paths.machine_folders("win32", environ), kind)
            found = launch_folders._machine_folder(kind, environ, "win32")
            assert PureWindowsPath(found) == expected
    monkeypatch.setenv("KIOSK_SCOPE", "system")
    folders = paths.machine_folders()
    assert launch_folders._machine_folder("config", os.environ, sys.platform) == str(folders.config)
    assert launch_folders._machine_folder("data", os.environ, sys.platform) == str(folders.data)
    assert (launch_folders.SYSTEM_CONFIG_DIR, launch_folders.SYSTEM_DATA_DIR) == (
        str(paths.SYSTEM_CONFIG_DIR),
        str(paths.SYSTEM_DATA_DIR),
    )
    assert Path(launch_folders.embedded_config()) == paths.DEFAULT_CONFIG


# --- storage.data_dir without the YAML reader -----------------------------------------


def _yaml_answer(text: str) -> str | None:
    """What supervisor_data_dir takes from `text`: "error" when the YAML reader refuses it."""
    try:
        _root, data = parse_with_nodes(text)
    except Exception:
        return "error"
    storage = data.get("storage") if isinstance(data, dict) else None
    folder = storage.get("data_dir") if isinstance(storage, dict) else None
    return folder if isinstance(folder, str) and folder else None


READABLE = {
    "the embedded config": paths.DEFAULT_CONFIG.read_text(encoding="utf-8"),
    "a folder": "storage:\n  data_dir: /srv/telpa   # persistent\n",
    "a Windows folder": "site:\n  id: ludza\nstorage:\n    data_dir: D:\\Telpa\\data\n",
    "quoted": "storage:\n  data_dir: 'E:\\it''s data'\n",
    "double-quoted": 'storage:\n  data_dir: "/mnt/a b"\n',
    "lists": "activities:\n  order:\n  - memory\n  - quiz\n  hidden: [a, b]\nstorage:\n"
    "  data_dir: /d\n",
    "two storage sections": "storage:\n  data_dir: /a\nstorage:\n  other: 1\n",
    "a number": "storage:\n  data_dir: 2026\n",
    "null": "storage:\n  data_dir: ~\n",
    "empty": "storage:\n  data_dir: ''\n",
    "storage not a section": "storage: /d\n",
    "only comments": "# nothing here\n",
}

UNREADABLE = {
    "an anchor": "storage: &s\n  data_dir: /a\n",
    "a flow mapping": "storage: {data_dir: /a}\n",
    "an escape": 'storage:\n  data_dir: "\\x2fa"\n',
    "a block scalar": "storage:\n  data_dir: |\n    /a\n",
    "a multi-line value": "storage:\n  data_dir: /a\n    /b\n",
    "a tab": "storage:\n\tdata_dir: /a\n",
    "two documents": "storage:\n  data_dir: /a\n---\nstorage:\n  data_dir: /b\n",
    "a byte-order mark": "\ufeffstorage:\n  data_dir: /a\n",
    "a merge key": "base: {}\nstorage:\n  <<: *base\n",
}


@pytest.mark.parametrize("name", sorted(READABLE))
def test_config_files_in_the_usual_form_are_read_as_the_yaml_reader_reads_them(
    name: str,
) -> None:
    assert storage_data_dir(READABLE[name]) == _yaml_answer(READABLE[name])


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_rarer_yaml_forms_are_left_to_the_yaml_reader(name: str) -> None:
    with pytest.raises(Unreadable):
        storage_data_dir(UNREADABLE[name])


VALUES = [
    "", " /tmp/a", " D:\\T", " 'q''x'", ' "dq"', " ~", " null", " 12", " yes", " on",
    " 2026-01-01", " 1:20", " 0x1f", " .inf", " 1_000", " 07", " 1e3", " a b", " a #c",
    " a#b", " [a, b]", " []", " {}", " http://x:8", " /a b/c", " é/ü", " ''", ' ""', " rel",
    " =", " <<", " -1", " a: b", " &x y", " *x", " |", " 'open", " {a: 1}", " -",
]  # fmt: skip
KEYS = ["storage", "data_dir", "site", "x", "on", "storage", "data_dir"]


def _random_config(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 10)):
        indent = " " * rng.choice([0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 6])
        kind = rng.random()
        if kind < 0.75:
            lines.append(f"{indent}{rng.choice(KEYS)}:{rng.choice(VALUES)}")
        elif kind < 0.92:
            lines.append(f"{indent}-{rng.choice(VALUES) or ' v'}")
        else:
            lines.append(rng.choice(["", "  # c", "# c", "---", "x", "- - a"]))
    return "\n".join(lines) + rng.choice(["", "\n"])


def test_whatever_the_light_reader_reads_it_reads_as_the_yaml_reader_does() -> None:
    rng = random.Random(14)
    readable = 0
    for _ in range(10_000):
        text = _random_config(rng)
        try:
            found = storage_data_dir(text)
        except Unreadable:
            continue
        readable += 1
        assert found == _yaml_answer(text), text
    assert readable > 200  # the check saw enough files it reads


# --- the supervisor process -------------------------------------------------------------

HEAVY = ("pygame", "sqlalchemy", "alembic", "pydantic", "PIL", "babel", "yaml", "httpx")

SUPERVISOR_SCRIPT = """
import json, sys
import kiosk.launch
seen = {}
def fake_child(args, out_of_order=False, first_frame=None):
    if not out_of_order:
        seen["first_frame"] = first_frame
    return [sys.executable, "-c", "pass"]  # a shell that ends at once with status 0
kiosk.launch.child_command = fake_child
from kiosk.cli import main
status = main(sys.argv[1:])
heavy = %r
print(json.dumps({
    "status": status,
    "first_frame": seen.get("first_frame"),
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in heavy
                     or m.startswith(("kiosk.office", "kiosk.usage.", "kiosk.config"))),
}))
"""


def test_kiosk_run_supervises_without_the_shells_libraries(tmp_path: Path) -> None:
    """`kiosk run`'s parent lives as long as the kiosk: every library it loads is memory
    the library PC pays all day (it was 66 MB with SQLAlchemy and Alembic, 21 MB while
    it built the whole command parser and read the config with the YAML reader)."""
    config = _config(tmp_path / "site", str(tmp_path / "data"))
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy"}
    env.pop("KIOSK_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", SUPERVISOR_SCRIPT % (HEAVY,), "run", "--config", str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    import json

    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == 0
    assert report["first_frame"] == [str(tmp_path / "data"), str(config)]
    assert report["loaded"] == [], "the supervisor loaded the shell's libraries"
    assert "kiosk shell started" in (tmp_path / "data" / "logs" / "supervisor.log").read_text()


def test_a_stop_asked_for_while_the_first_shell_starts_reaches_it(tmp_path: Path) -> None:
    shell = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        restarted = tmp_path / "restarted"
        supervisor = Supervisor([sys.executable, "-c", f"open({str(restarted)!r}, 'w')"])
        assert supervisor.run(started=shell, early_signals=[signal.SIGTERM]) == 0
        assert shell.returncode == -signal.SIGTERM
        assert not restarted.exists()  # stopped, not restarted
    finally:
        if shell.poll() is None:
            shell.kill()
            shell.wait()
