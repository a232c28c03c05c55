"""`python -m kiosk`: the kiosk command.

The supervisor starts the shell as ``python -m kiosk run --child --first-frame FOLDER
CONFIG …``; then the picture of the last attract screen is shown (kiosk.first_frame)
before the command line is parsed and the rest of the program is imported."""

import sys

if sys.argv[1:4] == ["run", "--child", "--first-frame"] and len(sys.argv) >= 6:
    from kiosk.first_frame import show_early

    show_early(sys.argv[4], sys.argv[5], sys.argv[6:])

from kiosk.cli import main  # noqa: E402

raise SystemExit(main())
