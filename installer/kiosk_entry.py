"""The bundle's `kiosk` program (installer/telpa.spec): `kiosk.cli.main`.

Telpa starts two kinds of child process as `sys.executable -m MODULE ...`: the supervised
shell (`-m kiosk run --child`, kiosk/cli.py) and a media export (`-m kiosk.media ...`,
kiosk/media/export.py). In the bundle `sys.executable` is this program, not a Python, so
it answers those two module names itself, and no others."""

import sys


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "-m":
        module, rest = argv[1], argv[2:]
        if module == "kiosk":
            from kiosk.cli import main as kiosk_main

            return kiosk_main(rest)
        if module == "kiosk.media":
            from kiosk.media.__main__ import main as export_main

            return export_main(rest)
        print(f"kiosk: -m {module}: this program runs only Telpa's own modules", file=sys.stderr)
        return 2
    from kiosk.cli import main as kiosk_main

    return kiosk_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
