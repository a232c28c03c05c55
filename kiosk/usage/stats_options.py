"""`kiosk stats`'s command-line options, apart from the queries so that building the
`kiosk` command's parser loads no database code (`kiosk run`'s supervisor stays small)."""

from __future__ import annotations

import argparse
from datetime import date

BY_CHOICES = ("day", "month", "hour", "activity")
FORMAT_CHOICES = ("table", "csv", "json")


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-25, not {text!r}") from None


def add_stats_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `kiosk stats`'s options to an argparse (sub)parser."""
    parser.add_argument(
        "--from",
        dest="date_from",
        type=_date_arg,
        metavar="D",
        help="first local date (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--to", dest="date_to", type=_date_arg, metavar="D", help="last local date (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--by",
        choices=BY_CHOICES,
        default="day",
        help="one row per day (default), month, hour of each day, or activity",
    )
    parser.add_argument(
        "--format", dest="format", choices=FORMAT_CHOICES, default="table", help="output format"
    )
