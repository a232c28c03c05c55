"""The `kiosk` CLI run in the test's own process, answering as `subprocess.run` does.

A `kiosk office …` process costs about 0.6 s of CPU (Python, FastAPI and SQLAlchemy
imported again each time); most tests want the command's behaviour, not the start of a
process, so they call the CLI's real `main(argv)` here: same parser, same handlers, same
exit codes, the same text on stdout and stderr. A few tests per command family still run
the real processes (the installed console script, `python -m kiosk`), so the entry points
stay covered (tests/office/test_cli.py)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path


@contextlib.contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_kiosk(
    argv: Sequence[str],
    *,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`kiosk ARGV` through `kiosk.cli.main`, with `stdin` as its input (not a terminal),
    `env` added to the environment and `cwd` as the working folder for the call. Like a
    process, an uncaught exception ends it with code 1 and its traceback on stderr."""
    from kiosk.cli import main

    out, err = io.StringIO(), io.StringIO()
    stdin_before = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with (
            _environment(env or {}),
            contextlib.chdir(cwd or Path.cwd()),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse's usage errors, an explicit exit
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
            except Exception:
                traceback.print_exc()
                code = 1
    finally:
        sys.stdin = stdin_before
    return subprocess.CompletedProcess(["kiosk", *argv], code, out.getvalue(), err.getvalue())


def console_script() -> Path:
    """The `kiosk` console script installed beside this Python (`pip install -e .`)."""
    script = Path(sys.executable).with_name("kiosk")
    assert script.is_file(), f"{script} is missing: install Telpa into this environment first"
    return script
