"""The options of `kiosk setup`, apart from the set-up itself: building the command line
parser (which every `kiosk` command does, `kiosk run`'s supervisor included) then needs
none of set-up's own imports."""

from __future__ import annotations

import argparse


def add_setup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        help="the config file to write (default: $KIOSK_CONFIG, else this machine's "
        "config.yaml — see `kiosk where`)",
    )
    parser.add_argument("--site", metavar="ID", help="the library's id at the office, e.g. ludza")
    parser.add_argument("--site-name", metavar="NAME", help="the library's name")
    parser.add_argument(
        "--timezone", metavar="TZ", help="the library's time zone, e.g. Europe/Vilnius"
    )
    parser.add_argument(
        "--station",
        metavar="NAME",
        help="this station's id, unique in the library, e.g. ludza-wb-1",
    )
    parser.add_argument("--lang", choices=["lv", "lt", "en"], help="the default language")
    parser.add_argument(
        "--size", metavar="WxH|auto", help="screen size, e.g. 1366x768; auto: the screen's own"
    )
    parser.add_argument(
        "--office",
        metavar="URL",
        help="the project office's address, e.g. https://office.example.lv; none: no online sync",
    )
    parser.add_argument(
        "--token-stdin",
        action="store_true",
        help="read the site token from standard input (its first line)",
    )
    parser.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the librarian PIN from standard input (the next line)",
    )
    parser.add_argument(
        "--non-interactive",
        action="store_true",
        help="never ask; exit 2 naming what is missing (also when standard input is not "
        "a terminal)",
    )
