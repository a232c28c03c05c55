"""The `kiosk` command (DESIGN §5).

Exit codes: 0 success, 1 a check found problems, 2 bad usage, config or input.
Every error a librarian can meet is one line on stderr that says what to do;
tracebacks go to the log file only.

Over 500 lines because the whole command tree is declared here in one parser, so that
`kiosk --help` and the docs' tests read every subcommand from one place; each command's
work lives in its own module and is imported only when that command runs."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from kiosk import __version__
from kiosk.errors import TelpaError

# Nothing heavier at the top: `kiosk run` goes from main() straight to kiosk.launch, which
# starts the shell before anything else is imported (and keeps the supervisor, which lives
# as long as the kiosk, small). Each command imports what it needs when it runs.

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from kiosk.config import Config
    from kiosk.first_frame import FirstFrame

log = logging.getLogger("kiosk")


class UsageError(TelpaError):
    """Bad input from the command line or environment (exit 2)."""

    code = "bad_usage"


def build_parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from kiosk.launch import add_run_arguments
    from kiosk.usage import add_stats_arguments

    parser = argparse.ArgumentParser(prog="kiosk", description="Telpa, the library kiosk.")
    parser.add_argument("--version", action="version", version=f"Telpa {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="start the kiosk (fullscreen unless --windowed)")
    add_run_arguments(run)

    monkey = commands.add_parser("monkey", help="drive the real shell headless with random input")
    monkey.add_argument("--events", type=int, required=True, help="how many random inputs")
    monkey.add_argument("--seed", type=int, default=1)
    monkey.add_argument("--config")
    monkey.add_argument(
        "--data-dir",
        type=Path,
        help="record usage here (default: a new temporary folder, so a library's real "
        "figures never get monkey sessions)",
    )
    monkey.add_argument(
        "--pads",
        type=int,
        choices=range(5),
        default=4,
        metavar="0-4",
        help="virtual game controllers to play with too (default: 4)",
    )

    content = commands.add_parser("content", help="content packs")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    check = content_commands.add_parser("check", help="check packs; one line per problem")
    check.add_argument(
        "dirs",
        nargs="*",
        type=Path,
        metavar="DIR",
        help="pack folders or folders of packs (default: the built-in packs and the "
        "library's own, DATA/packs)",
    )

    stats = commands.add_parser("stats", help="this station's usage totals")
    stats.add_argument("--config")
    add_stats_arguments(stats)

    set_pin = commands.add_parser(
        "set-pin",
        help="set the librarian PIN (4-8 digits; easy guesses like 1234 or 1111 are refused)",
    )
    set_pin.add_argument("--config", help="the PIN is stored next to this config file")
    set_pin.add_argument(
        "--stdin",
        action="store_true",
        help="read the PIN from standard input instead of asking twice",
    )

    db = commands.add_parser("db", help="the usage database")
    db.add_argument("--config")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="create or migrate the usage database")

    sync = commands.add_parser(
        "sync", help="send usage totals to the project office now and fetch packs and settings"
    )
    sync.add_argument("--config")
    sync.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the totals to FILE (e.g. on a USB stick) instead of sending them",
    )

    import_content = commands.add_parser(
        "import-content",
        help="install the packs and settings of `kiosk office export-content` (USB stick)",
    )
    import_content.add_argument("file", type=Path, metavar="FILE")
    import_content.add_argument("--config")

    where = commands.add_parser(
        "where", help="every folder and file this station uses and where each setting came from"
    )
    where.add_argument("--config")

    setup = commands.add_parser(
        "setup",
        help="set up this station: library, station, language, screen, office, token, PIN",
        description="First-run set-up for IT staff. Asks in a terminal for what is not given "
        "as a flag; with --non-interactive (or no terminal) it exits 2 naming what is missing. "
        "Only the settings given change; the config file's other keys and comments stay. A new "
        "site token is checked with the office first and not saved if the office refuses it; "
        "an office that cannot be reached only gets a warning. With both --token-stdin and "
        "--pin-stdin the token is the first line of standard input and the PIN the second. "
        "The token and the PIN are never printed.",
    )
    from kiosk.setup_arguments import add_setup_arguments

    add_setup_arguments(setup)

    doctor = commands.add_parser(
        "doctor",
        help="check this station: OK / WARN / FAIL per check, and what to do; exit 1 on a FAIL",
    )
    doctor.add_argument("--config")
    doctor.add_argument(
        "--lang",
        choices=["lv", "lt", "en"],
        help="answer in this language (default: the station's)",
    )

    office = commands.add_parser("office", help="the project office's service (coordinators)")
    from kiosk.office.cli import add_office_arguments

    add_office_arguments(office)
    return parser


def _data_dir(config: Config) -> Path:
    import contextlib

    from kiosk.config import data_dir
    from kiosk.usage import disk_trouble

    folder = data_dir(config)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        if disk_trouble(exc) == "full" and folder.is_dir():
            # Freed space heals a full disk: the kiosk runs with recording paused (the
            # usage store says so on the librarian panel) rather than not at all.
            with contextlib.suppress(OSError):
                probe.unlink(missing_ok=True)
            return folder
        raise UsageError(
            f"data folder {folder}: cannot write there ({exc.strerror}); set storage.data_dir "
            "in the config or KIOSK_DATA_DIR to a folder this user may write"
        ) from None
    return folder


def cmd_run(args: argparse.Namespace) -> int:
    """`kiosk run --child`: the shell. (`kiosk run` itself, the supervisor, is
    kiosk.launch.start, which main() calls before any of this module's parser is built.)"""
    from kiosk.system import NoDisplay, missing_display, open_display

    # pygame's greeting would be the only line in the terminal of a kiosk that is fine.
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    problem = missing_display()
    if problem is not None:
        # Without a screen SDL would draw into memory: a kiosk nobody can see or stop.
        raise UsageError(problem)
    if not args.child:
        from kiosk.launch import supervise

        return supervise(args)
    from kiosk.logs import setup_logging

    # A SIGTERM (a shutdown, the supervisor) while the shell starts is kept for the shell,
    # which then ends cleanly as soon as it can.
    early_signals: list[int] = []
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda signum, _frame: early_signals.append(signum))
    # The last attract screen at once, before the config, fonts and database are read.
    first_frame = None if args.out_of_order else _show_first_frame(args)
    from kiosk.config import load_config

    config = load_config(args.config)
    folder = _data_dir(config)
    log_path = setup_logging(folder, to_stderr=args.windowed)
    from kiosk.first_frame import release_log

    release_log()  # why a kept picture was not shown, if one was not
    from kiosk.activities import ActivityError, discover
    from kiosk.shell import create_app

    try:
        registered = discover()
    except ActivityError as exc:
        raise UsageError(str(exc)) from None
    from kiosk.system import limit_heap_growth

    limit_heap_growth()
    log.info("Telpa %s starting; data folder %s", __version__, folder)
    if first_frame is not None and first_frame.shown:
        log.info("the last attract screen is shown while the kiosk starts")
    try:
        driver = open_display()
    except NoDisplay as exc:
        log.error("%s", exc)
        raise UsageError(str(exc)) from None  # exit 2: the supervisor does not retry
    log.info("display: SDL video driver %s", driver)
    from kiosk.usage import UsageStore, UsageStoreError

    try:
        store = UsageStore.open(folder, config)
    except UsageStoreError as exc:
        raise UsageError(str(exc)) from None
    try:
        app = create_app(
            config,
            windowed=args.windowed,
            size=args.size,
            lang=args.lang,
            registered=registered,
            sink=store,
            usage=store,
            data_folder=folder,
            handle_signals=True,
            first_frame=first_frame,
        )
        if early_signals:
            app.stop(early_signals[0])
        if args.out_of_order:
            from kiosk.routes import OutOfOrder

            app.start_route = OutOfOrder()
        app.run()
    except Exception:
        log.exception("the kiosk stopped unexpectedly")
        print(f"kiosk: stopped unexpectedly; details are in {log_path}", file=sys.stderr)
        return 1
    # Status 0 is the librarian's "Exit to desktop" only. A signal's end is 128 + its
    # number, as a shell reports it: the supervisor restarts a shell stopped by a signal
    # it did not forward itself (kiosk.supervisor).
    _leave_now(128 + app.stop_signal if app.stop_signal else 0)


def _show_first_frame(args: argparse.Namespace) -> FirstFrame | None:
    """Show the picture of the last attract screen if it still holds (kiosk.first_frame)."""
    from kiosk import first_frame

    if args.first_frame:  # shown by kiosk/__main__.py with what the supervisor found
        return first_frame.taken_early()
    from kiosk.configfile import ConfigError, find_config, supervisor_data_dir
    from kiosk.launch import CHILD_OPTIONS, child_command

    # The same command line as the supervisor's child gets, after its --first-frame.
    command_line = child_command(args)[1 + len(CHILD_OPTIONS) :]

    try:
        config_file = find_config(args.config).path
    except ConfigError:
        return None  # load_config says what is wrong
    first_frame.hold_log()
    return first_frame.show(supervisor_data_dir(args.config), config_file, command_line)


def _leave_now(status: int) -> NoReturn:
    """End the shell's process once it has shut down (records written, creations saved,
    logs flushed) without Python's interpreter teardown. A worker still inside a native
    library then — eSpeak NG finishing a text under a heavy load, SDL's own threads — would
    otherwise be ended by a forced unwind through that library's frames, which glibc
    answers with "FATAL: exception not rethrown" and an abort on the terminal."""
    import pygame

    pygame.quit()  # SDL gives the screen and the sound device back
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def cmd_monkey(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from kiosk.config import load_config

    if args.events < 1:
        raise UsageError("--events must be at least 1")
    config = load_config(args.config)
    from kiosk.harness import use_headless_drivers

    use_headless_drivers()
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    from kiosk import monkey

    if args.data_dir is None:
        with tempfile.TemporaryDirectory(prefix="telpa-monkey-") as throwaway:
            return _monkey_into(config, args, Path(throwaway), monkey.main)
    return _monkey_into(config, args, args.data_dir, monkey.main)


def _monkey_into(
    config: Config, args: argparse.Namespace, folder: Path, run: Callable[..., int]
) -> int:
    from kiosk.usage import UsageStore, UsageStoreError

    try:
        store = UsageStore.open(folder, config)
    except UsageStoreError as exc:
        raise UsageError(str(exc)) from None
    print(f"monkey: recording usage in {folder}", file=sys.stderr)
    return run(config, args.events, args.seed, store, pads=args.pads)


def cmd_content(args: argparse.Namespace) -> int:
    from kiosk.config import data_dir, load_config
    from kiosk.packs import check_packs
    from kiosk.paths import CONTENT, LIBRARY_PACKS_DIR

    folders = args.dirs
    if not folders:  # the built-in packs and, once the library has any, its own
        library = data_dir(load_config(None)) / LIBRARY_PACKS_DIR
        folders = [CONTENT, *([library] if library.is_dir() else [])]
    count, problems = check_packs(folders)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {count} pack(s)", file=sys.stderr)
        return 1
    print(f"{count} pack(s) checked, no problems")
    return 0


def cmd_set_pin(args: argparse.Namespace) -> int:
    import getpass

    from kiosk.config import load_config
    from kiosk.librarian.pin import PinError, secrets_path, set_pin
    from kiosk.librarian.strength import weakness

    config = load_config(args.config)
    path = secrets_path(config.source)
    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New librarian PIN (4-8 digits): ")
        # Said before the second question, so nobody types a refused PIN twice.
        problem = weakness(pin)
        if problem is not None:
            raise UsageError(f"{problem} Nothing was changed.")
        if getpass.getpass("The same PIN again: ") != pin:
            raise UsageError("the two PINs differ; nothing was changed")
    try:
        set_pin(path, pin)
    except PinError as exc:
        raise UsageError(f"{exc} Nothing was changed.") from None
    print(f"The librarian PIN is set (stored as a salted hash in {path}).")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kiosk.config import data_dir, load_config
    from kiosk.usage import run_stats

    return run_stats(args, data_dir(load_config(args.config)))


def cmd_db(args: argparse.Namespace) -> int:
    from kiosk.config import data_dir, load_config
    from kiosk.usage import run_db_upgrade

    return run_db_upgrade(data_dir(load_config(args.config)))


def cmd_sync(args: argparse.Namespace) -> int:
    from kiosk.config import data_dir, load_config
    from kiosk.sync.cli import run_sync

    config = load_config(args.config)
    code = run_sync(config, data_dir(config), export=args.export)
    if args.export is not None or code != 0:
        return code  # not set up, or the office not reached: the packs step cannot do better
    from kiosk.fleet.client import run_content_sync

    return max(code, run_content_sync(config, data_dir(config), sys.stdout, sys.stderr))


def cmd_import_content(args: argparse.Namespace) -> int:
    from kiosk.config import data_dir, load_config
    from kiosk.fleet.usb import import_content

    config = load_config(args.config)
    return import_content(config, data_dir(config), args.file)


def cmd_where(args: argparse.Namespace) -> int:
    from kiosk.where import UnusableConfig, where_lines

    try:
        print("\n".join(where_lines(args.config)))
    except UnusableConfig as exc:
        print("\n".join(exc.lines))  # the folders help to find and fix the file
        raise exc.error from None
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    from kiosk.setup_station import SetupError, run_setup

    try:
        return run_setup(args)
    except SetupError as exc:
        raise UsageError(str(exc)) from None


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.doctor import run_doctor, station_for

    return run_doctor(station_for(args.config, args.lang))


#: What `pip install 'telpa[office]'` brings: import name → package name.
OFFICE_LIBRARIES = {
    "fastapi": "fastapi",
    "uvicorn": "uvicorn",
    "jinja2": "Jinja2",
    "multipart": "python-multipart",
    "openpyxl": "openpyxl",
    "psycopg": "psycopg",
    "itsdangerous": "itsdangerous",
}


def cmd_office(args: argparse.Namespace) -> int:
    import importlib.util

    missing = [
        package
        for name, package in OFFICE_LIBRARIES.items()
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise UsageError(
            f"the office needs its extra libraries ({', '.join(missing)} missing here): "
            "pip install 'telpa[office]'"
        )
    from kiosk.office.cli import run_office

    return run_office(args)


COMMANDS = {
    "run": cmd_run,
    "monkey": cmd_monkey,
    "content": cmd_content,
    "stats": cmd_stats,
    "set-pin": cmd_set_pin,
    "db": cmd_db,
    "sync": cmd_sync,
    "import-content": cmd_import_content,
    "where": cmd_where,
    "setup": cmd_setup,
    "doctor": cmd_doctor,
    "office": cmd_office,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["run"] and "--child" not in arguments:
        from kiosk.launch import start

        status = start(arguments[1:])
        if status is not None:
            return status
    if arguments[:3] == ["run", "--child", "--first-frame"] and len(arguments) >= 5:
        from kiosk import first_frame

        if first_frame.taken_early() is None:
            # Not started through kiosk/__main__.py (the bundle's program calls main()
            # itself): the picture of the attract screen first, all the same.
            first_frame.show_early(arguments[3], arguments[4], arguments[5:])
    from kiosk.configfile import ConfigError

    parser = build_parser()
    args = parser.parse_args(arguments)
    try:
        status = COMMANDS[args.command](args)
        sys.stdout.flush()  # here, where a closed pipe can still be answered quietly
        return status
    except BrokenPipeError:
        # `kiosk where | head`: the reader has what it wanted. Nothing more can be
        # written, and Python would complain about it again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except UsageError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
