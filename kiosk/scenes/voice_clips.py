"""Voice clips: the librarian records the texts of the content packs in her own voice.

Opened from the librarian panel ("Voice clips"), never by children. A list shows every
text of the content packs in one language (flags switch between lv, lt and en), a page at
a time; texts that already have a recording made here are green. Choosing a text shows it
large with what the librarian may do:

- Record: a 3-2-1 countdown, then the microphone records (with a level meter) until Stop
  or `MAX_RECORDING_S`; "Record again" records another take;
- Listen: plays the take (or, without one, the recording kept now);
- Keep: the take becomes the voice of this text on this station
  (`VoiceService.keep_recording`): from then on the kiosk plays it instead of synthesis;
- Delete: after a second tap the kept recording is removed; the pack's clip or the
  synthetic voice reads the text again.

Without a microphone the Record button stays, disabled, and the page says why; without a
sound device Listen is disabled the same way. It closes itself after two minutes without
input (never while recording)."""

from __future__ import annotations

import math
from pathlib import Path

import pygame

from kiosk.i18n import LANGUAGES
from kiosk.librarian import take_view
from kiosk.librarian.screen import LibrarianScreen
from kiosk.librarian.take_view import MAX_RECORDING_S, RECORD_COLOR, TakeShown
from kiosk.librarian.text_pages import TextPages
from kiosk.media.microphone import Microphone, open_microphone
from kiosk.packs.safety import PackFileError
from kiosk.scenes.base import Shell
from kiosk.scenes.common import (
    corner_button,
    draw_screen_title,
    language_buttons,
    language_name,
)
from kiosk.ui import draw
from kiosk.ui.theme import (
    BAD,
    FOCUS,
    GOOD,
    INK,
    INK_SOFT,
    TILE_COLORS,
    WHITE,
    YES_COLOR,
    darken,
    lighten,
)
from kiosk.ui.widgets import Button

COUNTDOWN_S = 3
#: A take shorter than this is a slip of the finger, not a recording.
MIN_RECORDING_S = 0.3
#: The take being recorded, in the data folder's voice folder until it is kept or dropped.
TAKE_FILE = "take.wav"


class VoiceClips(LibrarianScreen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.voice = self.ui.voice
        lang = shell.services.translator.lang
        self.lang = lang if lang in LANGUAGES else LANGUAGES[0]
        #: The packs' texts in `lang`, a page at a time.
        self.list = TextPages(self.ui, self._)
        self.chosen: str | None = None
        self.microphone: Microphone | None = None
        self._mic_checked = False
        self.countdown: float | None = None
        self.recording = False
        #: The take recorded and not yet kept (its length in seconds).
        self.take_seconds: float | None = None
        self.time = 0.0

    @property
    def texts(self) -> list[tuple[str, str]] | None:
        """(pack id, text) of every text of the packs in `lang`; None while they load."""
        return self.list.texts

    @property
    def page(self) -> int:
        return self.list.page

    @property
    def frame_rate(self) -> int:
        return 15 if self.busy else (2 if self.texts is None else 0)

    @property
    def busy(self) -> bool:
        return self.recording or self.countdown is not None

    @property
    def take_path(self) -> Path | None:
        folder = self.services.data_folder
        return Path(folder) / "voice" / TAKE_FILE if folder is not None else None

    def on_enter(self) -> None:
        self._load_texts()
        self.layout()

    def on_exit(self) -> None:
        self._stop_recording()
        if self.voice is not None:
            self.voice.stop()
        take = self.take_path
        if take is not None:
            take.unlink(missing_ok=True)

    def _load_texts(self) -> None:
        # The packs are read on a worker at start; until then the page says so.
        if self.voice is None or not self.services.packs.wait(0):
            return
        self.list.texts = self.voice.texts_to_record(self.lang)
        self.list.page = 0

    # ----- layout --------------------------------------------------------------------

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        flags_w = len(LANGUAGES) * m.px(64) + (len(LANGUAGES) - 1) * m.px(14)
        # The top-right corner stays free for the librarian's press-and-hold.
        self.flags_right = w - m.bar_height - m.px(8)
        left = m.bar_height + m.px(16)
        self.title_rect = pygame.Rect(
            left, 0, self.flags_right - flags_w - m.px(24) - left, m.bar_height
        )
        self.body = pygame.Rect(m.margin, m.bar_height + m.px(8), w - 2 * m.margin, 0)
        self.body.height = h - self.body.top - m.margin
        buttons = [corner_button(m, "clips:back", "left-arrow", self.back)]
        buttons += language_buttons(
            self.ui,
            LANGUAGES,
            self.flags_right,
            (m.bar_height - m.px(64)) // 2,
            m.px(64),
            self.pick_language,
        )
        for button in buttons[1:]:
            button.enabled = not self.busy
            if button.id == f"lang:{self.lang}":
                button.color = lighten(FOCUS, 0.55)
        if self.chosen is None:
            buttons += self.list.buttons(self.body, self.lang, self.voice, self.choose, self.layout)
        else:
            buttons += self._detail_buttons()
        self.buttons.set_buttons(buttons)
        self.shell.invalidate()

    def _detail_buttons(self) -> list[Button]:
        m = self.ui.metrics
        gap = m.px(20)
        body = self.body
        self.text_rect = pygame.Rect(body.left, body.top, body.width, body.height * 36 // 100)
        controls = pygame.Rect(
            body.left,
            self.text_rect.bottom + gap,
            body.width,
            body.bottom - self.text_rect.bottom - gap,
        )
        big = min(m.px(170), controls.height - m.px(100))
        self.record_rect = pygame.Rect(controls.left, controls.top, big, big)
        self.meter_rect = pygame.Rect(
            self.record_rect.right + m.px(30), controls.top, m.px(60), big
        )
        # Beside the meter: the seconds, then what happened (or why Record is off).
        self.status_rect = pygame.Rect(
            self.meter_rect.right + m.px(24),
            controls.top,
            controls.right - self.meter_rect.right - m.px(24),
            big,
        )
        row_h = min(m.px(96), controls.bottom - self.record_rect.bottom - gap)
        row = pygame.Rect(controls.left, controls.bottom - row_h, controls.width, row_h)
        has_mic = self.microphone is not None
        text = self.chosen or ""
        voice = self.voice
        kept = voice is not None and voice.has_recording(text, self.lang)
        take = self.take_seconds is not None and not self.busy
        can_hear = voice is not None and voice.available and not self.busy
        armed = self._delete_armed()
        # One round button: Record, or Stop while the countdown or the recording runs.
        busy = self.busy
        record = Button(
            id="clips:stop" if busy else "clips:record",
            rect=self.record_rect,
            color=WHITE if busy else RECORD_COLOR,
            icon="stop-sign" if busy else "studio-microphone",
            round=True,
            on_press=self.stop_recording if busy else self.start_countdown,
            enabled=busy or has_mic,
        )
        actions = [
            (
                "clips:listen",
                self._("Listen"),
                TILE_COLORS[3],
                self.listen,
                can_hear and (take or kept),
            ),
            ("clips:keep", self._("Keep"), YES_COLOR, self.keep, take),
            (
                "clips:delete",
                self._("Delete for good?") if armed else self._("Delete"),
                BAD if armed else lighten(BAD, 0.55),
                self.delete,
                kept and not self.busy,
            ),
        ]
        width = (row.width - (len(actions) - 1) * gap) // len(actions)
        buttons = [record]
        for i, (button_id, label, color, action, enabled) in enumerate(actions):
            buttons.append(
                Button(
                    id=button_id,
                    rect=pygame.Rect(row.left + i * (width + gap), row.top, width, row_h),
                    color=color,
                    label=label,
                    label_color=WHITE if button_id == "clips:delete" and armed else INK,
                    on_press=action,
                    enabled=enabled,
                )
            )
        return buttons

    # ----- actions -------------------------------------------------------------------

    def back(self) -> None:
        if self.busy:
            return
        if self.chosen is not None:
            self._leave_text()
            self.layout()
        else:
            self.shell.pop(self)

    def pick_language(self, lang: str) -> None:
        if self.busy or lang == self.lang:
            return
        self._leave_text()
        self.lang = lang
        self._load_texts()
        self.layout()

    def choose(self, text: str) -> None:
        self.chosen = text
        self.take_seconds = None
        self.message = ""
        self._delete_armed_at = None
        if not self._mic_checked:
            # Opened once per visit: checking takes up to a second when there is none.
            self._mic_checked = True
            self.microphone = open_microphone()
        if self.microphone is None:
            self._say(
                self._(
                    "No microphone was found, so nothing can be recorded here. Plug one in "
                    "and open Voice clips again."
                ),
                ok=False,
            )
        self.layout()

    def _leave_text(self) -> None:
        if self.voice is not None:
            self.voice.stop()
        self.chosen = None
        self.take_seconds = None
        self.message = ""
        self._delete_armed_at = None

    def start_countdown(self) -> None:
        if self.microphone is None or self.busy or self.chosen is None:
            return
        if self.voice is not None:
            self.voice.stop()
        self.countdown = float(COUNTDOWN_S)
        self.message = ""
        self.layout()

    def _start_recording(self) -> None:
        take = self.take_path
        if self.microphone is None or take is None:
            self._say(self._("This kiosk has no data folder to keep recordings in."), ok=False)
            self.layout()
            return
        try:
            self.microphone.start(take)
        except Exception as exc:  # a device that vanished, a disk that takes no writes
            self.microphone = None
            self._say(
                self._("The microphone stopped working (%(error)s). Check it and try again.")
                % {"error": exc},
                ok=False,
            )
            self.layout()
            return
        self.recording = True
        self.take_seconds = None
        self.layout()

    def stop_recording(self) -> None:
        if self.countdown is not None and not self.recording:
            self.countdown = None
            self.layout()
            return
        seconds = self._stop_recording()
        if seconds is None:
            return
        microphone = self.microphone
        if microphone is not None and microphone.error:
            self._say(
                self._("The recording could not be saved: %(error)s") % {"error": microphone.error},
                ok=False,
            )
        elif seconds < MIN_RECORDING_S:
            self._say(self._("That was too short. Record the text again."), ok=False)
        else:
            self.take_seconds = seconds
            self._say(self._("Listen to it, then keep it or record it again."), ok=True)
        self.layout()

    def _stop_recording(self) -> float | None:
        self.countdown = None
        if not self.recording or self.microphone is None:
            return None
        self.recording = False
        return float(self.microphone.stop())

    def listen(self) -> None:
        voice, text = self.voice, self.chosen
        if voice is None or text is None or self.busy:
            return
        take = self.take_path
        if self.take_seconds is not None and take is not None:
            voice.listen(take)
            return
        kept = voice.recordings.path(text, self.lang)
        if kept is not None:
            voice.listen(kept)

    def keep(self) -> None:
        voice, text, take = self.voice, self.chosen, self.take_path
        if voice is None or text is None or take is None or self.take_seconds is None:
            return
        try:
            voice.keep_recording(text, self.lang, take)
        except PackFileError as exc:
            if "silent" in exc.message:
                message = self._(
                    "The recording is silent. Check the microphone and its volume, then "
                    "record it again."
                )
            else:
                message = self._("This recording cannot be used: %(reason)s") % {
                    "reason": exc.message
                }
            self._say(message, ok=False)
        except OSError as exc:
            self._say(
                self._("The recording could not be saved: %(error)s") % {"error": exc}, ok=False
            )
        else:
            self.take_seconds = None
            take.unlink(missing_ok=True)
            self._say(self._("Kept. The kiosk now plays this recording for this text."), ok=True)
        self.layout()

    def delete(self) -> None:
        voice, text = self.voice, self.chosen
        if voice is None or text is None:
            return
        if not self._confirm_delete():
            return
        voice.stop()
        try:
            voice.forget_recording(text, self.lang)
        except OSError as exc:
            self._say(
                self._("The recording could not be deleted: %(error)s") % {"error": exc},
                ok=False,
            )
        else:
            self._say(self._("Deleted. The kiosk's voice reads this text again."), ok=True)
        self.layout()

    # ----- frames --------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.time += dt
        if self.texts is None:
            self._load_texts()
            if self.texts is not None:
                self.layout()
        if self.countdown is not None:
            self.idle = 0.0
            before = math.ceil(self.countdown)
            self.countdown -= dt
            if math.ceil(self.countdown) != before:
                self.ui.sounds.play("tap")
            if self.countdown <= 0:
                self.countdown = None
                self._start_recording()
            self.shell.invalidate()
        if self.recording and self.microphone is not None:
            self.idle = 0.0
            if self.microphone.seconds >= MAX_RECORDING_S:
                self.stop_recording()
            self.shell.invalidate(self.meter_rect.union(self.status_rect))
        self._tick(dt)

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(lighten(FOCUS, 0.88))
        draw_screen_title(self.ui, surface, self._("Voice clips"), self.title_rect)
        if self.chosen is None:
            self.list.draw(surface, self.lang)
        else:
            self._draw_detail(surface)
        self.buttons.draw(surface)

    def _draw_detail(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        rect = self.text_rect
        surface.blit(draw.rounded_card(rect.size, m.px(24), WHITE), rect)
        inner = rect.inflate(-2 * m.px(28), -2 * m.px(18))
        voice = self.voice
        kept = (
            voice is not None
            and self.chosen is not None
            and voice.has_recording(self.chosen, self.lang)
        )
        label = (
            self._("%(language)s · recorded on this kiosk")
            if kept
            else self._("%(language)s · read by the kiosk's voice or the pack's clip")
        ) % {"language": language_name(self.lang)}
        tag = self.ui.text.fit(
            label,
            (inner.width, m.px(36)),
            m.font_size("small"),
            darken(GOOD, 0.35) if kept else INK_SOFT,
            weight="bold",
            align="left",
            max_lines=1,
        )
        surface.blit(tag, inner.topleft)
        words = self.ui.text.fit(
            self.chosen or "",
            (inner.width, inner.height - tag.get_height() - m.px(8)),
            m.font_size("heading"),
            INK,
            weight="bold",
            min_size=m.px(16),
            max_lines=4,
        )
        below = pygame.Rect(
            inner.left, inner.top + tag.get_height(), inner.width, inner.height - tag.get_height()
        )
        surface.blit(words, words.get_rect(center=below.center))
        shown = self._shown()
        if self.microphone is not None:
            take_view.draw_meter(surface, self.ui, self.meter_rect, shown.level)
        take_view.draw_status(surface, self.ui, self.status_rect, shown, self._)

    def _shown(self) -> TakeShown:
        mic = self.microphone
        return TakeShown(
            countdown=self.countdown,
            recording=self.recording,
            microphone_seconds=mic.seconds if mic is not None else None,
            level=float(mic.level) if self.recording and mic else 0.0,
            take_seconds=self.take_seconds,
            blink_on=int(self.time * 2) % 2 == 0,
            message=self.message,
            message_color=self.message_color,
            ready_to_record=mic is not None and not self.busy,
        )
