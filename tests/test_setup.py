"""`kiosk setup`, run as IT staff run it: the real command in a subprocess (with flags and
standard input, or in a terminal through a pty) against a real office on loopback."""

from __future__ import annotations

import os
import pty
import select
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import parse_config
from kiosk.librarian.pin import PinCheck
from tests.sync.sync_helpers import OfficeServer

TOKEN_PIN = "4826"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeServer]:
    server = OfficeServer(f"sqlite:///{tmp_path_factory.mktemp('office') / 'office.db'}")
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def token(office: OfficeServer) -> str:
    return office.add_site("ludza", "Europe/Riga")


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "XDG_CONFIG_HOME": str(root / "xdg-config"),
            "XDG_DATA_HOME": str(root / "xdg-data"),
            "KIOSK_SCOPE": "user",
            "LANG": "C.UTF-8",
        }
    )
    env.pop("KIOSK_CONFIG", None)
    return env


def _config_dir(root: Path) -> Path:
    return root / "xdg-config" / "telpa"


def setup(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "setup", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(root),
        timeout=120,
    )


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port


def _first_setup(root: Path, office_url: str, token: str) -> subprocess.CompletedProcess[str]:
    return setup(
        root,
        "--site",
        "ludza",
        "--station",
        "ludza-wb-1",
        "--lang",
        "lt",
        "--size",
        "1920x1080",
        "--office",
        office_url,
        "--token-stdin",
        "--pin-stdin",
        stdin=f"{token}\n{TOKEN_PIN}\n",
    )


def test_setup_with_flags_writes_config_token_and_pin_owner_only(
    tmp_path: Path, office: OfficeServer, token: str
) -> None:
    result = _first_setup(tmp_path, office.url, token)
    assert result.returncode == 0, result.stderr
    assert "accepted the site token for ludza" in result.stdout
    folder = _config_dir(tmp_path)
    config = parse_config((folder / "config.yaml").read_text(encoding="utf-8"))
    assert (config.site.id, config.station.id) == ("ludza", "ludza-wb-1")
    assert (config.languages.default, config.display.size) == ("lt", "1920x1080")
    assert config.sync.office_url == office.url
    token_file = folder / config.sync.token_file  # type: ignore[operator]
    assert token_file.read_text(encoding="utf-8").strip() == token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "secrets.json").stat().st_mode) == 0o600
    assert PinCheck(folder / "secrets.json").is_set()
    # Only the keys set, under a header comment.
    text = (folder / "config.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Telpa station config, written by `kiosk setup`")
    assert "session:" not in text


def test_setup_never_prints_the_token_or_the_pin(
    tmp_path: Path, office: OfficeServer, token: str
) -> None:
    result = _first_setup(tmp_path, office.url, token)
    assert result.returncode == 0, result.stderr
    for secret in (token, TOKEN_PIN):
        assert secret not in result.stdout + result.stderr


def test_running_setup_again_changes_one_thing_and_keeps_the_rest_with_comments(
    tmp_path: Path, office: OfficeServer, token: str
) -> None:
    assert _first_setup(tmp_path, office.url, token).returncode == 0
    path = _config_dir(tmp_path) / "config.yaml"
    by_hand = path.read_text(encoding="utf-8") + (
        "\n# the reading corner's whiteboard\nsession:\n  idle_timeout_s: 120  # longer here\n"
    )
    path.write_text(by_hand, encoding="utf-8")
    secrets_before = (_config_dir(tmp_path) / "secrets.json").read_bytes()

    result = setup(tmp_path, "--lang", "en", "--non-interactive")

    assert result.returncode == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert after == by_hand.replace("default: lt", "default: en")
    assert "languages.default: en" in result.stdout
    assert (_config_dir(tmp_path) / "secrets.json").read_bytes() == secrets_before
    assert token not in result.stdout + result.stderr


def test_a_token_the_office_does_not_know_is_refused_and_nothing_is_saved(
    tmp_path: Path, office: OfficeServer, token: str
) -> None:
    wrong = "x" * 43
    result = _first_setup(tmp_path, office.url, wrong)
    assert result.returncode == 2
    assert "does not know this token" in result.stderr
    assert "Nothing was saved" in result.stderr
    assert wrong not in result.stdout + result.stderr
    assert not _config_dir(tmp_path).exists()


def test_a_token_of_another_library_is_refused(
    tmp_path: Path, office: OfficeServer, token: str
) -> None:
    other = office.add_site("rokiskis", "Europe/Vilnius")
    result = _first_setup(tmp_path, office.url, other)
    assert result.returncode == 2
    assert "not library 'ludza'" in result.stderr
    assert not (_config_dir(tmp_path) / "config.yaml").exists()


def test_an_office_that_cannot_be_reached_today_only_gets_a_warning(
    tmp_path: Path, token: str
) -> None:
    down = f"http://127.0.0.1:{_closed_port()}"
    result = _first_setup(tmp_path, down, token)
    assert result.returncode == 0, result.stderr
    assert f"WARNING: the office at {down} could not be reached" in result.stdout
    assert (_config_dir(tmp_path) / "site-token.txt").read_text(encoding="utf-8").strip() == token


def test_a_weak_pin_is_refused_and_nothing_is_saved(tmp_path: Path) -> None:
    result = setup(
        tmp_path,
        "--site",
        "ludza",
        "--station",
        "ludza-wb-1",
        "--pin-stdin",
        stdin="1234\n",
    )
    assert result.returncode == 2
    assert "counting up or down" in result.stderr
    assert "1234" not in result.stdout
    assert not _config_dir(tmp_path).exists()


def test_without_a_terminal_missing_values_exit_2_naming_them(tmp_path: Path) -> None:
    result = setup(tmp_path, "--lang", "lv")
    assert result.returncode == 2
    assert "--site, --station, --pin-stdin" in result.stderr
    assert not _config_dir(tmp_path).exists()


def test_a_bad_station_id_is_refused_with_what_to_use(tmp_path: Path) -> None:
    result = setup(tmp_path, "--site", "ludza", "--station", "Ludza WB 1", "--non-interactive")
    assert result.returncode == 2
    assert "--station: 'Ludza WB 1' is not a station id" in result.stderr


def test_setup_never_writes_the_demo_config_inside_the_program(tmp_path: Path) -> None:
    from kiosk.paths import DEFAULT_CONFIG

    before = DEFAULT_CONFIG.read_bytes()
    result = setup(tmp_path, "--config", str(DEFAULT_CONFIG), "--lang", "en")
    assert result.returncode == 2
    assert "demo config, which is never changed" in result.stderr
    assert DEFAULT_CONFIG.read_bytes() == before


def test_setup_help_lists_every_flag(tmp_path: Path) -> None:
    result = setup(tmp_path, "--help")
    assert result.returncode == 0
    for flag in ("--site", "--station", "--lang", "--size", "--office", "--token-stdin"):
        assert flag in result.stdout
    assert "--pin-stdin" in result.stdout and "--non-interactive" in result.stdout


# ----- in a terminal --------------------------------------------------------------------


class Terminal:
    """`kiosk setup` on a pseudo-terminal: getpass reads the hidden answers from it.
    `output` is everything the terminal showed; answers wait for their prompt, because
    getpass throws away what was typed before it asked."""

    def __init__(self, root: Path, *args: str) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes `kiosk setup` on the terminal
            os.execve(sys.executable, [sys.executable, "-m", "kiosk", "setup", *args], _env(root))
        self.pid, self.fd = pid, fd
        self.output = ""
        self._unread = ""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # the child has gone and the terminal closed
            chunk = b""
        text = chunk.decode("utf-8", "replace")
        self.output += text
        self._unread += text
        return bool(chunk)

    def answer(self, prompt: str, reply: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while prompt not in self._unread:
            left = deadline - time.monotonic()
            assert left > 0 and self._read(left), f"no {prompt!r} in {self.output!r}"
        self._unread = self._unread[self._unread.index(prompt) + len(prompt) :]
        os.write(self.fd, reply.encode("utf-8") + b"\r")

    def finish(self) -> int:
        while self._read(60):
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_interactive_setup_asks_for_everything_and_hides_the_secrets(
    tmp_path: Path, office: OfficeServer, token: str
) -> None:
    terminal = Terminal(tmp_path)
    for prompt, reply in [
        ("Library id at the office: ", "ludza"),
        ("Library name: ", "Ludzas novada bibliotēka"),
        ("Time zone [Europe/Riga]: ", ""),
        ("This station's id (e.g. ludza-wb-1): ", "ludza-pc-2"),
        ("Default language (lv, lt, en) [lv]: ", ""),
        ("Screen size (WxH, or auto) [auto]: ", "1366x768"),
        ("[none]: ", office.url),
        ("Site token (not shown): ", token),
        ("Librarian PIN, 4-8 digits (not shown): ", "1111"),
        ("Librarian PIN, 4-8 digits (not shown): ", TOKEN_PIN),
        ("The same again: ", TOKEN_PIN),
    ]:
        terminal.answer(prompt, reply)
    code = terminal.finish()
    everything = terminal.output
    assert code == 0, everything
    assert "one digit repeated" in everything  # the weak PIN was refused, then asked again
    assert "accepted the site token for ludza" in everything
    for secret in (token, TOKEN_PIN, "1111"):
        assert secret not in everything
    config = parse_config((_config_dir(tmp_path) / "config.yaml").read_text(encoding="utf-8"))
    assert config.site.name == "Ludzas novada bibliotēka"
    assert (config.station.id, config.display.size) == ("ludza-pc-2", "1366x768")
    assert PinCheck(_config_dir(tmp_path) / "secrets.json").is_set()


def test_in_a_terminal_a_flag_changes_one_thing_without_the_whole_questionnaire(
    tmp_path: Path, office: OfficeServer, token: str
) -> None:
    assert _first_setup(tmp_path, office.url, token).returncode == 0
    terminal = Terminal(tmp_path, "--size", "auto")
    code = terminal.finish()
    assert code == 0, terminal.output
    assert "Library id" not in terminal.output and "(not shown)" not in terminal.output
    config = parse_config((_config_dir(tmp_path) / "config.yaml").read_text(encoding="utf-8"))
    assert (config.display.size, config.languages.default) == (None, "lt")


def test_a_token_without_an_office_address_is_refused(tmp_path: Path, token: str) -> None:
    result = setup(
        tmp_path, "--site", "ludza", "--station", "ludza-wb-1", "--token-stdin", stdin=token
    )
    assert result.returncode == 2
    assert "needs the office's address too (--office URL)" in result.stderr
    assert token not in result.stdout + result.stderr
    assert not _config_dir(tmp_path).exists()
