"""`kiosk office …` (DESIGN §5). The parser is built without importing FastAPI, uvicorn or
the database layers, so `kiosk --help` and the kiosk itself stay light.

Exit codes: 0 done; 1 `import` could not import at least one file (the others are
imported); 2 bad usage or input (unknown database, bad site id, short password…).
The database is `--db` (before or after the command), else $KIOSK_OFFICE_DB,
else SQLite in the user data folder; every command migrates it first.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.errors import TelpaError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from datetime import datetime

    from sqlalchemy import Engine

#: How many conflicts `import` lists per file before summing up the rest.
SHOWN_CONFLICTS = 50


def add_office_arguments(office: argparse.ArgumentParser) -> None:
    office.add_argument(
        "--db",
        help="office database URL (default: $KIOSK_OFFICE_DB or SQLite in the user data "
        "folder); e.g. postgresql+psycopg://telpa@localhost/telpa",
    )
    commands = office.add_subparsers(dest="office_command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="run the office service and dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument(
        "--read-timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="close a connection that does not send a whole request within S seconds (default 60)",
    )

    add_site = commands.add_parser("add-site", help="register a library; prints its token once")
    add_site.add_argument("site_id", metavar="ID")
    add_site.add_argument("--name", required=True)
    add_site.add_argument("--timezone", default="Europe/Riga")
    add_site.add_argument(
        "--new-token",
        action="store_true",
        help="give an existing site a new token (the old one stops working)",
    )

    add_user = commands.add_parser(
        "add-user",
        help="add a dashboard login: a coordinator, or the librarian of one library "
        "(password from stdin)",
    )
    add_user.add_argument("login", metavar="LOGIN")
    add_user.add_argument("--role", required=True, choices=["coordinator", "librarian"])
    add_user.add_argument("--site", metavar="ID", help="the librarian's library")

    add_coordinator = commands.add_parser(
        "add-coordinator",
        help="add a coordinator, or give an existing login a new password (from stdin)",
    )
    add_coordinator.add_argument("login", metavar="LOGIN")

    set_password = commands.add_parser(
        "set-password",
        help="give a login a new password (from stdin); ends its dashboard sessions",
    )
    set_password.add_argument("login", metavar="LOGIN")

    remove_user = commands.add_parser(
        "remove-user",
        aliases=["remove-coordinator"],
        help="delete a dashboard login and end its sessions (never the last coordinator)",
    )
    remove_user.add_argument("login", metavar="LOGIN")

    list_users = commands.add_parser("list-users", help="every dashboard login and its role")

    imp = commands.add_parser("import", help="import USB bundles written by `kiosk sync --export`")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")

    export = commands.add_parser("export", help="usage counts as CSV or XLSX")
    export.add_argument("--from", dest="date_from", metavar="D")
    export.add_argument("--to", dest="date_to", metavar="D")
    export.add_argument("--by", default="site,month,activity")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", type=Path, metavar="F")

    content_commands = add_content_arguments(commands)

    # `--db` works after the command too (`kiosk office serve --db URL`, as in DESIGN §5).
    for command in (
        *content_commands,
        serve,
        add_site,
        add_user,
        add_coordinator,
        set_password,
        remove_user,
        list_users,
        imp,
        export,
    ):
        command.add_argument("--db", dest="db_sub", metavar="URL", help="office database URL")


def add_content_arguments(commands: Any) -> list[argparse.ArgumentParser]:
    from kiosk.office.content_cli import add_arguments

    return add_arguments(commands)


def content_handlers() -> dict[str, Any]:
    from kiosk.office.content_cli import HANDLERS

    return dict(HANDLERS)


class _OfficeCommandError(TelpaError):
    """Bad usage or input: printed as "kiosk office: …", exit 2."""

    code = "office_command"


def run_office(args: argparse.Namespace) -> int:
    """Run one `kiosk office` command; return its exit code."""
    from sqlalchemy import exc as sa_exc

    from kiosk.office.auth import OfficeInputError
    from kiosk.office.db import OfficeDatabaseError, default_url

    url = getattr(args, "db_sub", None) or args.db or default_url()
    handlers = {
        "serve": _serve,
        "add-site": _add_site,
        "add-user": _add_user,
        "add-coordinator": _add_coordinator,
        "set-password": _set_password,
        "remove-user": _remove_user,
        "remove-coordinator": _remove_user,
        "list-users": _list_users,
        "import": _import_files,
        "export": _export,
        **content_handlers(),
    }
    try:
        return handlers[args.office_command](url, args)
    except (OfficeInputError, OfficeDatabaseError, _OfficeCommandError) as exc:
        print(f"kiosk office: {exc}", file=sys.stderr)
        return 2
    except sa_exc.OperationalError as exc:
        print(
            f"kiosk office: cannot use the office database {_shown(url)}: {exc.orig or exc}",
            file=sys.stderr,
        )
        return 2


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for a message; a bad URL is reported elsewhere
        return "(unreadable URL)"


def upgraded(url: str) -> AbstractContextManager[Engine]:
    """The office database at the newest schema for one command (SQLAlchemy is imported
    only when a command needs the database)."""
    from kiosk.office.db import upgraded as opened

    return opened(url)


def _serve(url: str, args: argparse.Namespace) -> int:
    import logging

    from kiosk.office.app import create_app
    from kiosk.office.server import serve

    if not args.read_timeout > 0:
        raise _OfficeCommandError("--read-timeout: give a number of seconds above 0, e.g. 60")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = create_app(url)
    print(f"Telpa office on http://{args.host}:{args.port}/ (database {_shown(url)})", flush=True)
    # uvicorn's access log shows the request line only, never headers: tokens stay out.
    serve(app, host=args.host, port=args.port, read_timeout=args.read_timeout, log_level="info")
    return 0


def _add_site(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.auth import create_site

    with upgraded(url) as engine:
        token = create_site(
            engine, args.site_id, args.name, args.timezone, new_token_for_existing=args.new_token
        )
    action = "has a new token" if args.new_token else "is registered"
    print(f"Site {args.site_id} ({args.name.strip()}, {args.timezone}) {action}.")
    print("Its token, shown only this once (the office keeps only a hash of it):")
    print()
    print(f"    {token}")
    print()
    print("On every kiosk of this library, save it as the only line of the file named by")
    print("sync.token_file in the kiosk's config.yaml, readable only by the kiosk's user.")
    return 0


def _read_password() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("Password (at least 10 characters): ")
        if getpass.getpass("The same password again: ") != first:
            raise _OfficeCommandError("the two passwords differ; nothing was changed")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _add_coordinator(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.auth import create_coordinator

    password = _read_password()
    with upgraded(url) as engine:
        create_coordinator(engine, args.login, password)
    print(f"Coordinator {args.login} can now log in to the dashboard.")
    return 0


def _add_user(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.auth import create_account

    password = _read_password()
    with upgraded(url) as engine:
        create_account(engine, args.login, password, args.role, args.site)
    if args.role == "librarian":
        print(
            f"{args.login} can now log in to the dashboard as the librarian of {args.site}: "
            f"{args.site}'s figures, stations and packs only."
        )
    else:
        print(f"{args.login} can now log in to the dashboard as a coordinator.")
    return 0


def _set_password(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.auth import set_password

    password = _read_password()
    with upgraded(url) as engine:
        ended = set_password(engine, args.login, password)
    print(f"{args.login} has a new password; {ended} dashboard session(s) of theirs ended.")
    return 0


def _remove_user(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.auth import remove_account

    with upgraded(url) as engine:
        ended = remove_account(engine, args.login)
    print(f"{args.login} is removed; {ended} dashboard session(s) of theirs ended.")
    return 0


def _list_users(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.auth import list_accounts

    with upgraded(url) as engine:
        accounts = list_accounts(engine)
    if not accounts:
        print("No login yet; add one with `kiosk office add-user LOGIN --role coordinator`.")
    for account in accounts:
        role = f"librarian of {account.site}" if account.site else "coordinator"
        print(f"{account.login}  {role}  since {account.created_at:%Y-%m-%d}")
    return 0


def _import_files(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.ingest import ingest

    failed = 0
    with upgraded(url) as engine:
        for path in args.files:
            try:
                raw = path.read_bytes()
            except OSError as exc:
                print(
                    f"{path}: not imported: cannot read it ({exc.strerror or exc})", file=sys.stderr
                )
                failed += 1
                continue
            earlier = _received_before(engine, raw)
            status, answer = ingest(engine, None, raw)
            if status == 200 and earlier is not None:
                # A replay: the office answers with the stored response (protocol v1),
                # whose counts describe the first import, not this one.
                print(
                    f"{path}: already imported on {earlier:%Y-%m-%d %H:%M} UTC; nothing changed "
                    f"(then: {_summary(raw, answer)})"
                )
                continue
            if status != 200:
                print(
                    f"{path}: not imported ({answer['error']}): {answer['message']}",
                    file=sys.stderr,
                )
                failed += 1
                continue
            print(f"{path}: {_summary(raw, answer)}")
            _print_conflicts(answer["conflicts"])
    return 1 if failed else 0


def _received_before(engine: Engine, raw: bytes) -> datetime | None:
    """When the batch in `raw` was first accepted, or None (new, or not a readable body)."""
    from sqlalchemy.orm import Session

    from kiosk.office.models import Batch

    try:
        batch_id = json.loads(raw).get("batch_id")
    except (ValueError, AttributeError):
        return None
    if not isinstance(batch_id, str):
        return None
    with Session(engine) as db:
        batch = db.get(Batch, batch_id[:36])
        return batch.received_at if batch is not None else None


def _summary(raw: bytes, answer: dict[str, Any]) -> str:
    body = json.loads(raw)
    counts = answer["counts"]
    return f"{body['site']}/{body['station']}: " + ", ".join(
        f"{counts[name]} {name}" for name in ("imported", "updated", "unchanged", "ignored")
    )


def _print_conflicts(conflicts: list[dict[str, Any]]) -> None:
    for conflict in conflicts[:SHOWN_CONFLICTS]:
        print(f"  {conflict['code']}: {conflict['message']}")
    if len(conflicts) > SHOWN_CONFLICTS:
        print(f"  … and {len(conflicts) - SHOWN_CONFLICTS} more conflicts")


def _export(url: str, args: argparse.Namespace) -> int:
    try:
        from kiosk.office.reports import run_export
    except ImportError as exc:
        if exc.name not in (None, "kiosk.office.reports"):
            raise
        print(
            "kiosk office export: the report exporter is not installed in this build "
            "(kiosk.office.reports.run_export is missing)",
            file=sys.stderr,
        )
        return 2
    with upgraded(url) as engine:
        return run_export(engine, args)
