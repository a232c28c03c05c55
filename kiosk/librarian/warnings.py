"""The librarian panel's warnings: recording paused or losing records, no PIN, packs left
out, little disk space, voice clips that cannot be played — each says what to do."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.scenes.base import Desk
    from kiosk.services import Services

LOW_DISK_BYTES = 500 * 1024 * 1024
#: Characters of a text shown in a warning about its clip.
CLIP_TEXT_CHARS = 40
#: Damaged clips named one by one; more are counted in one line, so they never push the
#: other warnings off the card.
MAX_CLIP_WARNINGS = 2


def station_warnings(services: Services, desk: Desk) -> list[str]:
    """What the panel's warning card lists, the most urgent first."""
    _ = services.translator.gettext
    notes: list[str] = []
    # First, as it is the most urgent: the usage store (when it is the sink) says when
    # the disk takes no writes.
    store = desk.usage
    paused = store.recording_paused if store is not None else None
    if paused is not None and paused.trouble == "full":
        notes.append(
            _(
                "Recording is paused: the disk holding %(folder)s is full. "
                "Free some space; recording resumes by itself."
            )
            % {"folder": paused.folder}
        )
    elif paused is not None:
        notes.append(
            _(
                "Recording is paused: the disk holding %(folder)s cannot be written to "
                "(read-only or failing). Recording resumes by itself once it can."
            )
            % {"folder": paused.folder}
        )
    lost = store.dropped if store is not None else 0
    if lost:
        notes.append(
            services.translator.ngettext(
                "%(count)d usage record could not be saved and is lost (see the log).",
                "%(count)d usage records could not be saved and are lost (see the log).",
                lost,
            )
            % {"count": lost}
        )
    if services.pins.opens_without_pin():
        notes.append(_("Demo: no PIN is set. A real station must have one: kiosk set-pin"))
    for broken in services.packs.broken:
        first = broken.problems[0] if broken.problems else None
        notes.append(
            _("Content pack “%(pack)s” is left out: %(problem)s")
            % {"pack": broken.folder.name, "problem": first.message if first else "?"}
        )
    for problem in desk.usage_problems():
        notes.append(problem)
    folder = services.data_folder
    if folder is not None:
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            free = None
        if free is not None and free < LOW_DISK_BYTES:
            notes.append(
                _("Little disk space is left (%(mb)d MB) in %(folder)s.")
                % {"mb": free // (1024 * 1024), "folder": Path(folder)}
            )
    # Last: the voice reads a text whose clip is damaged, so nothing stops working.
    notes += voice_warnings(services)
    return notes


def voice_warnings(services: Services) -> list[str]:
    """A line for each clip the voice could not play (it reads the text instead)."""
    _ = services.translator.gettext
    voice = services.ui.voice
    if voice is None:
        return []
    notes = []
    recorded_here = voice.recordings.folder
    damaged = list(voice.damaged_clips)
    for text, lang, where, _why in damaged[:MAX_CLIP_WARNINGS]:
        shown = text if len(text) <= CLIP_TEXT_CHARS else text[: CLIP_TEXT_CHARS - 1] + "…"
        clip = Path(where)
        if recorded_here is not None and clip.is_relative_to(recorded_here):
            notes.append(
                _(
                    "The voice clip of “%(text)s” (%(lang)s) recorded on this kiosk "
                    "cannot be played; the kiosk's voice reads it instead. Record it "
                    "again under Voice clips."
                )
                % {"text": shown, "lang": lang}
            )
        else:
            notes.append(
                _(
                    "Voice clip %(clip)s of “%(text)s” (%(lang)s) cannot be played; the "
                    "kiosk's voice reads it instead. Replace the file in the pack."
                )
                % {"clip": f"{clip.parent.name}/{clip.name}", "text": shown, "lang": lang}
            )
    more = len(damaged) - MAX_CLIP_WARNINGS
    if more > 0:
        notes.append(
            services.translator.ngettext(
                "%(n)d more voice clip cannot be played (the log names it).",
                "%(n)d more voice clips cannot be played (the log names them).",
                more,
            )
            % {"n": more}
        )
    return notes
