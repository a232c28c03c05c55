from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, load_config, parse_config, settings_table
from kiosk.paths import APP_ROOT


def test_embedded_default_config_loads() -> None:
    config = load_config()
    assert config.site.id == "demo"
    assert config.languages.default in config.languages.available


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "session:\n  idle_timeout_s: 5\n",
            "config.yaml:2: session.idle_timeout_s: input should be greater than or equal to 20",
        ),
        ("site:\n  id: demo\nsesion:\n  age_picker: true\n", "config.yaml:3: sesion: unknown key"),
        ("site:\n  timezone: Mars/Olympus\n", "config.yaml:2: site.timezone: unknown time zone"),
        ("languages:\n  default: de\n", "config.yaml:2: languages.default: input should be"),
        ("display:\n  size: big\n", "config.yaml:2: display.size: string should match"),
        ("session: [\n", "config.yaml:2: not valid YAML"),
        ("- just\n- a list\n", "config.yaml:1: the file must be a mapping"),
        (
            "content:\n  folders: [a]\n  folders: [b]\n",
            "config.yaml:3: content.folders: this key is given twice",
        ),
    ],
)
def test_bad_config_names_file_line_and_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert str(caught.value).startswith(expected)


def test_bad_config_stops_kiosk_run_with_one_line_and_exit_2(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "config.yaml"
    bad.write_text("site:\n  id: ludza\nsession:\n  idle_timeout_s: lots\n", encoding="utf-8")
    assert main(["run", "--config", str(bad)]) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert re.match(rf"{re.escape(str(bad))}:4: session.idle_timeout_s: ", err[0])


def test_missing_config_file_is_a_clear_error(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--config", "no/such/config.yaml"]) == 2
    assert "no/such/config.yaml: cannot read the file" in capfd.readouterr().err


def test_unwritable_data_folder_is_a_clear_startup_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(blocker / "data"))
    assert main(["run", "--windowed"]) == 2
    err = capfd.readouterr().err
    assert "data folder" in err and "KIOSK_DATA_DIR" in err


def test_every_setting_is_documented() -> None:
    docs = (APP_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [key for key, _default, _help in settings_table() if f"`{key}`" not in docs]
    assert missing == []


def test_every_setting_has_help_text() -> None:
    assert [key for key, _d, help_text in settings_table() if not help_text] == []
