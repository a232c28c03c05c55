"""`python -m kiosk.media FOLDER FORMAT OUT`: the export child process of `ExportJob`.

It runs `export_creation()` and speaks one line at a time on stdout::

    progress 0.42
    done /media/stick/film-….mp4
    error target_full "The USB stick or folder is full: …"   (detail JSON-quoted)

It reads its stdin: a line "cancel", or the end of stdin (the kiosk went away), cancels
the export, which then removes its `.part` as any cancelled export does.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from kiosk.media.export import ExportError, export_creation


def main(argv: list[str] | None = None) -> int:
    """The child's side: export, reporting on stdout, cancelled by stdin."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m kiosk.media FOLDER FORMAT OUT", file=sys.stderr)
        return 2
    folder, fmt, out = Path(args[0]), args[1], Path(args[2])
    cancel = threading.Event()

    def listen() -> None:
        for line in sys.stdin:
            if line.strip() == "cancel":
                break
        cancel.set()  # "cancel", or stdin ended: the kiosk is gone

    threading.Thread(target=listen, daemon=True).start()
    shown = -1.0

    def report(value: float) -> None:
        nonlocal shown
        if value - shown >= 0.005:
            shown = value
            print(f"progress {value:.4f}", flush=True)

    try:
        result = export_creation(folder, fmt, out, report, cancel)
    except ExportError as exc:
        print(f"error {exc.code} {json.dumps(exc.detail)}", flush=True)
        return 1
    print(f"done {result}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
