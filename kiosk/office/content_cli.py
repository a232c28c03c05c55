"""`kiosk office publish-pack | rollback-pack | list-packs | set-settings | export-content`.

The parser needs nothing but argparse (so `kiosk --help` stays light); each command
imports the database layers when it runs. Bad input (a pack with problems, a hostile zip,
an unknown site, a settings file with an IT-only key) is printed as ``kiosk office: …``
with exit 2 and changes nothing.

These commands act as `kiosk.office.accounts.COMMAND_LINE` (a coordinator: whoever runs
them on the office PC can read the database anyway); `list-packs` shows who published each
version ("command line" for these)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_arguments(commands: Any) -> list[argparse.ArgumentParser]:
    publish = commands.add_parser(
        "publish-pack",
        help="check a pack folder or zip and publish it as a new version to sites' stations",
    )
    publish.add_argument("source", type=Path, metavar="DIR|ZIP")
    _site_choice(publish)

    rollback = commands.add_parser(
        "rollback-pack", help="make stations run an older version of a pack again"
    )
    rollback.add_argument("pack", metavar="PACK")
    rollback.add_argument("version", type=int, metavar="VERSION")
    _site_choice(rollback, required=False)

    commands.add_parser("list-packs", help="every published pack version and its sites")

    settings = commands.add_parser(
        "set-settings", help="station settings of a library, or of one station, from a YAML file"
    )
    settings.add_argument("--site", required=True, metavar="ID")
    settings.add_argument("--station", metavar="ID", help="only this station (an override)")
    settings.add_argument("file", type=Path, metavar="FILE.yaml")

    export = commands.add_parser(
        "export-content", help="packs and settings to a file for `kiosk import-content`"
    )
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("--site", action="append", metavar="ID", help="only this site")
    return [publish, rollback, settings, export]


def _site_choice(parser: argparse.ArgumentParser, required: bool = True) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--site", action="append", metavar="ID", help="this library (repeatable)")
    group.add_argument("--all", action="store_true", help="every library")


def _input_error(exc: Exception) -> Exception:
    from kiosk.office.auth import OfficeInputError

    return OfficeInputError(str(exc))


def _publish(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.accounts import COMMAND_LINE
    from kiosk.office.content_store import publish_pack
    from kiosk.office.db import upgraded
    from kiosk.office.uploads import UploadError

    with upgraded(url) as engine:
        try:
            published = publish_pack(
                engine, args.source, None if args.all else args.site, by=COMMAND_LINE
            )
        except UploadError as exc:
            raise _input_error(exc) from None
    print(
        f"Pack {published.pack_id} version {published.version} published to "
        f"{', '.join(published.sites)}: {published.files} file(s), "
        f"{published.total_bytes:,} bytes ({published.new_files} new at the office). "
        "Stations take it at their next sync and show it at their next attract screen."
    )
    return 0


def _rollback(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.accounts import COMMAND_LINE
    from kiosk.office.content_store import rollback_pack
    from kiosk.office.db import upgraded

    with upgraded(url) as engine:
        sites = rollback_pack(
            engine,
            args.pack,
            args.version,
            None if args.all or not args.site else args.site,
            by=COMMAND_LINE,
        )
    print(
        f"Pack {args.pack} is back at version {args.version} for "
        f"{', '.join(sites) or 'no site'}; stations take it at their next sync."
    )
    return 0


def _list(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.content_store import list_packs
    from kiosk.office.db import upgraded

    with upgraded(url) as engine:
        rows = list_packs(engine)
    if not rows:
        print("No pack has been published yet.")
    for row in rows:
        sites = ", ".join(row["sites"]) or "-"
        print(
            f"{row['pack']}  v{row['version']}  {row['bytes']:,} bytes  "
            f"{row['created_at']:%Y-%m-%d %H:%M} UTC  "
            f"by: {row['published_by'] or 'command line'}  runs at: {sites}"
        )
    return 0


def _set_settings(url: str, args: argparse.Namespace) -> int:
    from kiosk.fleet.settings import SettingsError, parse_settings
    from kiosk.office.accounts import COMMAND_LINE
    from kiosk.office.content_store import set_settings
    from kiosk.office.db import upgraded

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _input_error(ValueError(f"{args.file}: cannot read it ({exc})")) from None
    try:
        settings = parse_settings(text, str(args.file))
    except SettingsError as exc:
        raise _input_error(exc) from None
    with upgraded(url) as engine:
        flat = set_settings(engine, args.site, args.station, settings, by=COMMAND_LINE)
    who = (
        f"station {args.station} of {args.site}"
        if args.station
        else f"every station of {args.site}"
    )
    keys = ", ".join(sorted(flat)) or "none (the stations' own config holds)"
    print(f"Settings for {who}: {keys}. Stations apply them at their next attract screen.")
    return 0


def _export(url: str, args: argparse.Namespace) -> int:
    from kiosk.office.content_store import export_content
    from kiosk.office.db import upgraded

    if not args.file.parent.is_dir():
        raise _input_error(
            ValueError(f"{args.file.parent}: no such folder (is the USB stick plugged in?)")
        )
    with upgraded(url) as engine:
        try:
            count = export_content(engine, args.file, args.site)
        except OSError as exc:
            raise _input_error(
                ValueError(f"{args.file}: cannot write it ({exc.strerror or exc}); nothing written")
            ) from None
    print(
        f"Wrote {count} file(s) and the settings to {args.file}. On each station: "
        f"kiosk import-content {args.file.name}"
    )
    return 0


HANDLERS = {
    "publish-pack": _publish,
    "rollback-pack": _rollback,
    "list-packs": _list,
    "set-settings": _set_settings,
    "export-content": _export,
}
