"""The `kiosk` command (DESIGN §5).

Exit codes: 0 success, 1 a check found problems, 2 bad usage, config or input.
Every error a librarian can meet is one line on stderr that says what to do;
tracebacks go to the log file only."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.config import Config, ConfigError, load_config

log = logging.getLogger("kiosk")


class UsageError(Exception):
    """Bad input from the command line or environment (exit 2)."""


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"([1-9][0-9]{2,4})x([1-9][0-9]{2,4})", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1366x768")
    return int(match.group(1)), int(match.group(2))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Telpa, the library kiosk.")
    parser.add_argument("--version", action="version", version=f"Telpa {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="start the kiosk (fullscreen unless --windowed)")
    run.add_argument("--config", help="config file (default: $KIOSK_CONFIG or the demo config)")
    run.add_argument(
        "--windowed", action="store_true", help="developer mode: a window that may be closed"
    )
    run.add_argument("--size", type=_size, help="window size, e.g. 1366x768")
    run.add_argument("--lang", choices=["lv", "lt", "en"], help="start in this language")

    monkey = commands.add_parser("monkey", help="drive the real shell headless with random input")
    monkey.add_argument("--events", type=int, required=True, help="how many random inputs")
    monkey.add_argument("--seed", type=int, default=1)
    monkey.add_argument("--config")
    return parser


def _data_dir(config: Config) -> Path:
    from kiosk.app import data_dir

    folder = data_dir(config)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise UsageError(
            f"data folder {folder}: cannot write there ({exc.strerror}); set storage.data_dir "
            "in the config or KIOSK_DATA_DIR to a folder this user may write"
        ) from None
    return folder


def cmd_run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    folder = _data_dir(config)
    from kiosk.logs import setup_logging

    log_path = setup_logging(folder, to_stderr=args.windowed)
    from kiosk.activities import ActivityError, discover
    from kiosk.app import create_app

    try:
        registered = discover()
    except ActivityError as exc:
        raise UsageError(str(exc)) from None
    from kiosk.system import limit_heap_growth

    limit_heap_growth()
    log.info("Telpa %s starting; data folder %s", __version__, folder)
    try:
        app = create_app(
            config, windowed=args.windowed, size=args.size, lang=args.lang, registered=registered
        )
        app.run()
    except Exception:
        log.exception("the kiosk stopped unexpectedly")
        print(f"kiosk: stopped unexpectedly; details are in {log_path}", file=sys.stderr)
        return 1
    return 0


def cmd_monkey(args: argparse.Namespace) -> int:
    if args.events < 1:
        raise UsageError("--events must be at least 1")
    config = load_config(args.config)
    from kiosk.harness import use_headless_drivers

    use_headless_drivers()
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    from kiosk import monkey

    return monkey.main(config, args.events, args.seed)


COMMANDS = {"run": cmd_run, "monkey": cmd_monkey}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
