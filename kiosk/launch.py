"""`kiosk run`: from the command line to the shell's start with as little as possible in
between, then the supervisor.

The shell shows the picture of the last attract screen as soon as its window opens
(kiosk.first_frame), so every millisecond the supervisor spends before it starts the
shell is a millisecond of black screen. `kiosk run` therefore does not build the parser of
every `kiosk` command: `start` reads `run`'s few options itself (argparse's `kiosk run`
parser only for anything unusual: --help, a mistake, an abbreviation), finds the config
file and data folder with kiosk.launch_folders, starts the shell, and only then imports
the supervisor's own machinery (logging to a file, kiosk.supervisor).

That also keeps the process that lives all day small: it never imports pygame, the
database libraries, pydantic, the YAML reader (unless the config writes
`storage.data_dir` in a rarer YAML form, see kiosk.launch_folders), or the office.
tests/test_launch.py checks both."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

LANGUAGES = ("lv", "lt", "en")
#: How the supervisor starts the shell; kiosk/__main__.py reads what follows.
CHILD_OPTIONS = ("-m", "kiosk", "run", "--child")


class RunArguments:
    """`kiosk run`'s options, as argparse's `kiosk run` parser gives them."""

    __slots__ = ("config", "windowed", "size", "lang", "child", "out_of_order", "first_frame")

    def __init__(self) -> None:
        self.config: str | None = None
        self.windowed = False
        self.size: tuple[int, int] | None = None
        self.lang: str | None = None
        self.child = False
        self.out_of_order = False
        self.first_frame: list[str] | None = None


def parse_size(text: str) -> tuple[int, int] | None:
    """A size like 1366x768, or None when `text` is not one."""
    import re

    match = re.fullmatch(r"([1-9][0-9]{2,4})x([1-9][0-9]{2,4})", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _size(text: str) -> tuple[int, int]:
    size = parse_size(text)
    if size is None:
        import argparse

        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1366x768")
    return size


def add_run_arguments(run: argparse.ArgumentParser) -> None:
    """`kiosk run`'s options (kiosk.cli's parser and `run_parser` share them)."""
    import argparse

    run.add_argument("--config", help="config file (default: $KIOSK_CONFIG or the demo config)")
    run.add_argument(
        "--windowed", action="store_true", help="developer mode: a window that may be closed"
    )
    run.add_argument("--size", type=_size, help="window size, e.g. 1366x768")
    run.add_argument("--lang", choices=list(LANGUAGES), help="start in this language")
    # The supervisor starts the shell itself with --child (and --out-of-order after
    # repeated crashes); people never need these.
    run.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    run.add_argument("--out-of-order", action="store_true", help=argparse.SUPPRESS)
    # ...and tells it the data folder and config file it found, so the shell's first
    # frame (kiosk.first_frame) needs not look for them again.
    run.add_argument("--first-frame", nargs=2, metavar=("FOLDER", "CONFIG"), help=argparse.SUPPRESS)


def run_parser() -> argparse.ArgumentParser:
    """argparse's parser of `kiosk run` alone: the same options, help and messages as the
    `run` command of kiosk.cli's parser."""
    import argparse

    parser = argparse.ArgumentParser(prog="kiosk run")
    add_run_arguments(parser)
    return parser


_VALUED = ("--config", "--size", "--lang")


def quick_arguments(argv: Sequence[str]) -> RunArguments | None:
    """`kiosk run`'s options in their plain forms (``--config FILE``, ``--config=FILE``,
    ``--windowed``, ``--size WxH``, ``--lang xx``), or None for anything else: then
    argparse reads them (`run_parser`), as it would have."""
    args = RunArguments()
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--windowed":
            args.windowed = True
            index += 1
            continue
        name, equals, value = token.partition("=")
        if name not in _VALUED:
            return None
        if equals:
            index += 1
        else:
            if index + 1 >= len(argv) or argv[index + 1].startswith("-"):
                return None
            value = argv[index + 1]
            index += 2
        if name == "--config":
            args.config = value
        elif name == "--size":
            args.size = parse_size(value)
            if args.size is None:
                return None
        elif value in LANGUAGES:
            args.lang = value
        else:
            return None
    return args


def child_command(
    args: RunArguments | argparse.Namespace,
    out_of_order: bool = False,
    first_frame: tuple[str, str] | None = None,
) -> list[str]:
    """The shell's command line: `python -m kiosk run --child`, what kiosk/__main__.py
    reads first (``--first-frame FOLDER CONFIG``), then the options the shell shares."""
    command = [sys.executable, *CHILD_OPTIONS]
    if first_frame is not None and not out_of_order:
        command += ["--first-frame", str(first_frame[0]), str(first_frame[1])]
    if args.config:
        command += ["--config", os.path.realpath(args.config)]
    if args.windowed:
        command.append("--windowed")
    if args.size:
        command += ["--size", f"{args.size[0]}x{args.size[1]}"]
    if args.lang:
        command += ["--lang", args.lang]
    if out_of_order:
        command.append("--out-of-order")
    return command


def start(argv: Sequence[str]) -> int | None:
    """`kiosk run ARGV`: check there is a screen, then supervise. None when ARGV asks for
    the shell itself (--child, perhaps abbreviated): kiosk.cli runs that."""
    args = quick_arguments(argv)
    if args is None:
        args = run_parser().parse_args(list(argv))  # type: ignore[assignment]
        assert args is not None
        if args.child:
            return None
    # pygame's greeting would be the only line in the terminal of a kiosk that is fine.
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from kiosk.system import missing_display

    problem = missing_display()
    if problem is not None:
        # Without a screen SDL would draw into memory: a kiosk nobody can see or stop.
        print(f"kiosk: {problem}", file=sys.stderr)
        return 2
    return supervise(args)


def supervise(args: RunArguments | argparse.Namespace) -> int:
    """`kiosk run`'s parent: start the shell at once and restart it when it crashes.

    It validates nothing itself — the shell reads the config, checks the data folder and
    says what is wrong (exit 2, which the supervisor passes on without retrying) — so the
    first screen is not kept waiting for a second validation."""
    from kiosk.launch_folders import Unreadable, config_file, data_folder

    try:
        folder = data_folder(args.config)
    except Unreadable:
        # storage.data_dir in a rarer YAML form: the YAML reader tells.
        from kiosk.configfile import supervisor_data_dir

        found = supervisor_data_dir(args.config)
        folder = None if found is None else str(found)
    config = config_file(args.config) if folder is not None else None
    first_frame = (folder, config) if folder is not None and config is not None else None
    command = child_command(args, first_frame=first_frame)

    import signal

    # A stop asked for while the shell starts is kept and passed on once the supervisor
    # is set up (Supervisor.run), so the shell is never left without its supervisor.
    early: list[int] = []
    previous = {
        number: signal.signal(number, lambda signum, _frame: early.append(signum))
        for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        import subprocess

        shell = subprocess.Popen(command)
        _log_to(folder, args.windowed)
        from kiosk.supervisor import Supervisor

        supervisor = Supervisor(command, child_command(args, out_of_order=True))
        return supervisor.run(started=shell, early_signals=early)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _log_to(folder: str | None, windowed: bool) -> None:
    """The supervisor's log: DATA/logs/supervisor.log, if the data folder is known."""
    import logging

    if folder is not None:
        from pathlib import Path

        from kiosk.logs import setup_logging

        try:
            setup_logging(Path(folder), to_stderr=windowed, name="supervisor.log")
            return
        except OSError:
            pass  # the shell will say why it cannot write there
    # Not Python's last-resort handler either: the shell's line is enough.
    logging.getLogger().addHandler(logging.NullHandler())
