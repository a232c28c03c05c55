"""A row of a draft pack drawn by the kiosk itself, for the editors' preview: a quiz
question, a memory pair, a sorting item with its bins, a word, a jigsaw photo.

`render_preview` runs kiosk/preview.py as a separate process (``python -m kiosk.preview
FOLDER TARGET LANG OUT``) with SDL's dummy drivers — the office never imports the
kiosk's shell itself: the real kiosk app in the headless harness loads the draft pack
folder exactly as a station would, opens the game on that one row and saves the screen as
a PNG. A process, not
a thread: pygame's display is one per process, the office's event loop must not wait on
it, and a pack that hangs or crashes the renderer costs only that process, which is
killed after `PREVIEW_TIMEOUT_S`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from kiosk.errors import TelpaError

#: Seconds a preview may take (the kiosk starts, loads the pack and draws ~20 frames).
PREVIEW_TIMEOUT_S = 60.0
#: Previews drawn at once: each is a kiosk starting up, and the office PC is often small.
MAX_AT_ONCE = 2
_slots = threading.BoundedSemaphore(MAX_AT_ONCE)


class PreviewError(TelpaError):
    """The preview could not be drawn; `str()` says why."""

    code = "editor_preview"


def render_preview(
    folder: Path, target: str, lang: str, timeout: float = PREVIEW_TIMEOUT_S
) -> bytes:
    """The PNG of `target` of the pack in `folder` ("q3", "memory:p1a+p1b", "sorting:i2",
    "words:w1", "jigsaw:j1"; see kiosk/preview.py), in `lang`, as the kiosk draws it.
    Waits for a free slot (at most `MAX_AT_ONCE` run together). Raises PreviewError."""
    if not _slots.acquire(timeout=timeout):
        raise PreviewError("the office is drawing other previews; try again in a minute")
    try:
        return _run(folder, target, lang, timeout)
    finally:
        _slots.release()


def _run(folder: Path, target: str, lang: str, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="telpa-preview-") as work:
        out = Path(work) / "preview.png"
        env = {
            **os.environ,
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
        }
        command = [sys.executable, "-m", "kiosk.preview", str(folder), target, lang, str(out)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, env=env, cwd=work
            )
        except subprocess.TimeoutExpired:
            raise PreviewError(f"drawing the preview took over {timeout:.0f} s") from None
        if done.returncode != 0 or not out.exists():
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise PreviewError(f"the kiosk could not draw the preview ({last[:300]})")
        return out.read_bytes()
