"""The kiosk's and the supervisor's log files: rotated past 1 MB keeping five older files,
with the rotating machinery loaded only when a rotation is due."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CODE = """
import logging, sys
from pathlib import Path
from kiosk import logs
path = logs.setup_logging(Path(sys.argv[1]), name="supervisor.log")
log = logging.getLogger("telpa.test")
log.info("first line")
print("logging.handlers" in sys.modules)
for n in range(int(sys.argv[2])):
    log.info("line %d %s", n, "x" * 200)
print("logging.handlers" in sys.modules)
"""


def _run(data: Path, lines: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", CODE, str(data), str(lines)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_a_log_that_stays_small_never_loads_the_rotating_handlers(tmp_path: Path) -> None:
    assert _run(tmp_path, 100) == ["False", "False"]
    text = (tmp_path / "logs" / "supervisor.log").read_text(encoding="utf-8")
    assert "INFO telpa.test: first line" in text and "line 99 " in text


def test_a_log_past_one_megabyte_rotates_and_keeps_five_older_files(tmp_path: Path) -> None:
    assert _run(tmp_path, 40_000) == ["False", "True"]  # ~9 MB of lines
    folder = tmp_path / "logs"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["supervisor.log"] + [f"supervisor.log.{n}" for n in range(1, 6)]
    for path in folder.iterdir():
        assert path.stat().st_size <= 1_000_000 + 300
    newest = (folder / "supervisor.log").read_text(encoding="utf-8").splitlines()
    assert newest[-1].endswith("line 39999 " + "x" * 200)
    older = (folder / "supervisor.log.1").read_text(encoding="utf-8").splitlines()
    number = int(older[-1].split("line ")[1].split()[0])
    assert int(newest[0].split("line ")[1].split()[0]) == number + 1  # nothing lost between
