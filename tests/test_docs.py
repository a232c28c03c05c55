"""The guides' examples work: the activity in docs/activities.md runs in the real shell."""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from kiosk.activities import RegisteredActivity
from kiosk.api import Activity
from kiosk.harness import Harness
from kiosk.paths import APP_ROOT
from kiosk.sessions import RunEnded


def _example_activity() -> type[Activity]:
    text = (APP_ROOT / "docs" / "activities.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code is not None
    module = types.ModuleType("docs_example")
    exec(compile(code.group(1), "docs/activities.md", "exec"), module.__dict__)
    return module.TapTheStar  # type: ignore[no-any-return]


def test_the_guide_example_plays_to_completion() -> None:
    cls = _example_activity()
    with Harness(registered=[RegisteredActivity(cls, "docs")]) as kiosk:
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:tap-star")
        for _ in range(5):
            kiosk.touch((683, 450))
        ended = kiosk.sink.of_type(RunEnded)
        assert [(e.outcome, e.score) for e in ended] == [("completed", 5)]  # type: ignore[union-attr]


def test_readme_links_point_at_existing_files() -> None:
    readme = (APP_ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)\)", readme)
    assert targets
    assert [t for t in targets if not (APP_ROOT / t).exists()] == []


def test_the_content_guide_example_pack_passes_the_check(tmp_path: Path) -> None:
    from PIL import Image

    from kiosk.packs import read_pack

    text = (APP_ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(pack: bakery-visit.*?)```", text, re.S)
    assert example is not None
    folder = tmp_path / "bakery-visit"
    (folder / "images").mkdir(parents=True)
    (folder / "pack.yaml").write_text(example.group(1), encoding="utf-8")
    for name in ("oven", "baker-hands", "bread-shelf"):
        Image.new("RGB", (40, 30), (180, 120, 60)).save(folder / "images" / f"{name}.jpg")
    pack, problems = read_pack(folder)
    assert [str(p) for p in problems] == []
    assert pack is not None and len(pack.questions) == 2


# ----- docs/lockdown.md against what the installer and the bundle really install --------

# Inno Setup's constants on a 64-bit Windows in 64-bit install mode (telpa.iss sets it).
INNO_FOLDERS = {"autopf": r"C:\Program Files", "commonappdata": r"C:\ProgramData"}


@dataclass(frozen=True)
class Installed:
    """Telpa's files on a PC, as installer/telpa.iss and installer/telpa.spec make them."""

    program_folder: str  # C:\Program Files\Telpa
    programs: frozenset[str]  # kiosk.exe, telpa.exe
    windowed_program: str  # the one without a console window
    task_command: str  # what the installer's scheduled task starts
    machine_folders: frozenset[str]  # C:\ProgramData\Telpa\config, ...\data
    ffmpeg: str  # relative to the program folder
    linux_program: str  # /opt/telpa/kiosk


def _installed() -> Installed:
    from imageio_ffmpeg._definitions import FNAME_PER_PLATFORM

    iss = (APP_ROOT / "installer" / "telpa.iss").read_text(encoding="utf-8")
    spec = (APP_ROOT / "installer" / "telpa.spec").read_text(encoding="utf-8")

    def inno(path: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: INNO_FOLDERS.get(m.group(1), m.group(0)), path)

    default_dir = re.search(r"^DefaultDirName=(.+)$", iss, re.M)
    assert default_dir is not None
    program_folder = inno(default_dir.group(1).strip())
    exes = re.findall(r'EXE\(\s*pyz,.*?name="(\w+)",\s*console=(True|False)', spec, re.S)
    assert sorted(name for name, _ in exes) == ["kiosk", "telpa"], exes
    windowed = [f"{name}.exe" for name, console in exes if console == "False"]
    assert len(windowed) == 1
    task = re.search(r'/TR ""\\""\{app\}\\(\w+\.exe)\\"" ([^"]+)"""', iss)
    assert task is not None, "telpa.iss: the scheduled task's /TR command not found"
    dirs = re.findall(r'^Name: "(\{commonappdata\}\\Telpa\\\w+)"', iss, re.M)
    internal = re.search(r'^Type: filesandordirs; Name: "\{app\}\\(\w+)"', iss, re.M)
    assert internal is not None
    bundle_folder = re.search(r'COLLECT\(.*?name="(\w+)"', spec, re.S)
    assert bundle_folder is not None
    return Installed(
        program_folder=program_folder,
        programs=frozenset(f"{name}.exe" for name, _ in exes),
        windowed_program=windowed[0],
        task_command=f"{program_folder}\\{task.group(1)} {task.group(2)}",
        machine_folders=frozenset(inno(d) for d in dirs),
        ffmpeg=f"{internal.group(1)}\\imageio_ffmpeg\\binaries\\"
        + FNAME_PER_PLATFORM["windows-x86_64"],
        linux_program=f"/opt/{bundle_folder.group(1)}/kiosk",
    )


def _lockdown() -> str:
    return (APP_ROOT / "docs" / "lockdown.md").read_text(encoding="utf-8")


def _code_blocks(text: str, lang: str) -> list[str]:
    found = re.findall(r"^( *)```(\w*)\n(.*?)^\1```", text, re.S | re.M)
    return [
        "\n".join(line[len(indent) :] for line in body.splitlines())
        for indent, block_lang, body in found
        if block_lang == lang
    ]


def test_the_installers_folders_are_the_ones_telpa_uses_on_windows() -> None:
    from kiosk.paths import machine_folders

    folders = machine_folders(platform="win32", environ={"ProgramData": r"C:\ProgramData"})
    assert _installed().machine_folders == {str(folders.config), str(folders.data)}


def test_lockdown_names_only_files_the_windows_installer_installs() -> None:
    from kiosk.paths import SECRETS_NAME, machine_folders
    from kiosk.setup_station import DEFAULT_TOKEN_FILE

    installed = _installed()
    text = _lockdown()
    stop = r"[^\s`\"'<>|)]"
    program_files = re.findall(re.escape(installed.program_folder) + rf"\\({stop}+)", text)
    assert program_files, "lockdown.md names no file of the installed program"
    assert set(program_files) <= installed.programs | {installed.ffmpeg}
    config = machine_folders(platform="win32", environ={"ProgramData": r"C:\ProgramData"})
    # The doc's own Shell Launcher file lives in the config folder too (section 2.7).
    config_files = {config.config_file.name, SECRETS_NAME, DEFAULT_TOKEN_FILE}
    for folder, name in re.findall(r"C:\\ProgramData\\Telpa\\(\w+)(?:\\(" + stop + "+))?", text):
        assert f"C:\\ProgramData\\Telpa\\{folder}" in installed.machine_folders, folder
        if name and folder == "config":
            assert name in config_files | {"shell-launcher.xml"}, name
    # What a developer checkout needed, and the installed program does not have.
    stale = [r"C:\\Telpa(Config)?\\", r"\.venv", r"telpa\.yaml", r"python\.exe", "Python311"]
    assert [s for s in stale if re.search(s, text)] == []


def test_lockdown_starts_windows_kiosk_with_the_installers_command() -> None:
    installed = _installed()
    assert installed.task_command.rsplit(" ", 1)[0].endswith("\\" + installed.windowed_program)
    text = _lockdown()
    [xml] = [b for b in _code_blocks(text, "xml") if "ShellLauncherConfiguration" in b]
    namespace = "{http://schemas.microsoft.com/ShellLauncher/2018/Configuration}"
    root = ElementTree.fromstring(xml.strip().encode("utf-8"))
    shells = [p.find(f"{namespace}Shell") for p in root.iter(f"{namespace}Profile")]
    assert [s.get("Shell") for s in shells if s is not None] == [installed.task_command]
    custom_ui = re.search(r"\*Interface file name\* enter:\n\n *```\n *(.+)\n", text)
    assert custom_ui is not None
    program, arguments = installed.task_command.rsplit(" ", 1)
    assert custom_ui.group(1) == f'"{program}" {arguments}'


def test_lockdown_linux_units_start_the_bundles_program() -> None:
    from kiosk.paths import SECRETS_NAME, SYSTEM_CONFIG_DIR, SYSTEM_DATA_DIR
    from kiosk.setup_station import DEFAULT_TOKEN_FILE

    installed = _installed()
    text = _lockdown()
    [unit] = [b for b in _code_blocks(text, "ini") if "ExecStart=" in b]
    assert re.findall(r"^ExecStart=(.*)$", unit, re.M) == [f"{installed.linux_program} run"]
    assert f'command = "cage -- {installed.linux_program} run"' in text
    # /opt/telpa holds the bundle, or the wheel's virtualenv with a link named like it.
    opt = set(re.findall(r"/opt/telpa[\w./-]*", text))
    assert {p for p in opt if not p.startswith(("/opt/telpa/venv", "/opt/telpa.new"))} == {
        "/opt/telpa",
        installed.linux_program,
    }
    assert str(SYSTEM_CONFIG_DIR) in text and str(SYSTEM_DATA_DIR) in text
    named = set(re.findall(re.escape(str(SYSTEM_CONFIG_DIR)) + r"/([\w.-]+)", text))
    assert named <= {"config.yaml", SECRETS_NAME, DEFAULT_TOKEN_FILE}


def test_lockdown_kiosk_commands_are_real_commands() -> None:
    from kiosk.cli import build_parser

    text = _lockdown()
    program = (
        r'(?:"?C:\\Program Files\\Telpa\\(?:kiosk|telpa)\.exe"?|\.\\kiosk\.exe'
        r"|(?<![\w\\.])(?:kiosk|telpa)\.exe|/opt/telpa/kiosk|^kiosk)"
    )
    code = re.findall(r"`([^`\n]+)`", text)
    for block in re.findall(r"```\w*\n(.*?)```", text, re.S):
        code += [line.split(" #")[0] for line in block.splitlines() if "#" not in line[:1]]
    commands = []
    for piece in code:
        for match in re.finditer(program + r" +([^`\"|;&)]*)", piece.strip()):
            commands.append(match.group(1).split())
    assert len(commands) > 20
    parser = build_parser()
    wrong = []
    for args in commands:
        try:
            parser.parse_args(args)
        except SystemExit as exc:
            if exc.code != 0:
                wrong.append(" ".join(args))
    assert wrong == []
