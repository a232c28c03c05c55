"""The story maker: picture slides with a title, a speech bubble and the child's voice.

Each slide has a background (a camera photo, one of the child's drawings from this
session, or a content pack's picture), a title and a speech bubble typed on the on-screen
keyboard (or the PC's own), an optional narration recorded from the microphone after a
3-2-1 countdown with a live level meter, and a duration (3, 5 or 8 seconds, or as long as
the narration). The play button shows the story as it will look; Save keeps it.

Text is measured, never counted: a letter that would not fit its box on the slide is
refused (the "try again" sound), so every saved picture shows all the words.

On disk (a creation of kind "story"): ``backgrounds/NN.png`` (1280×720), ``audio/NN.wav``
and the rendered slides ``render/slide-NN.png`` with the text baked in, listed in the
timeline (duration and narration) and as pages; ``data`` keeps the editable slides."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

import pygame

from kiosk.api import (
    Activity,
    ActivityInfo,
    Button,
    ButtonGroup,
    Creation,
    InputEvent,
    KeyEvent,
    OnScreenKeyboard,
    Pack,
    PointerEvent,
    draw,
    theme,
)
from kiosk.studio.common import Note, PictureGrid, creation_picture, saved_buttons
from kiosk.studio.pictures import arrow_icon, blit_thumb, fit_onto, pack_picture_frame, play_icon
from kiosk.studio.slides import (
    BUBBLE_BOX,
    DURATIONS,
    SLIDE_SIZE,
    THUMB_SIZE,
    TITLE_BOX,
    Field,
    Slide,
    fit_sizes,
    fits_on_slide,
    render_slide,
    text_fits,
)

MAX_SLIDES = 12
MAX_NARRATION_S = 30.0
COUNTDOWN_S = 3
AUTOSAVE_S = 3.0
#: How long "No camera here" stays over the editor after the photo button is tapped.
NO_CAMERA_NOTE_S = 4.0

RECORD_COLOR = (229, 57, 53)
CHOSEN_COLOR = theme.lighten(theme.GOOD, 0.35)

Mode = Literal["edit", "keyboard", "pick", "photo", "record", "preview", "saved"]


class StoryMaker(Activity):
    info = ActivityInfo(
        id="story",
        title={"lv": "Stāstu veidotājs", "lt": "Istorijų kūrėjas", "en": "Story maker"},
        icon="open-book",
        category="create",
        levels=1,
    )

    def on_enter(self) -> None:
        self.slides: list[Slide] = []
        self._next_uid = 1
        self.current = 0
        self.strip_first = 0
        self.mode: Mode = "edit"
        self.editing: Field = "title"
        self.time = 0.0
        self.creation: Creation | None = None
        self._dirty: set[int] = set()
        self._changed_at: float | None = None
        self._last_save = 0.0
        self._session_end: str | None = None
        self._backgrounds: dict[int, pygame.Surface] = {}
        self._stage_image: pygame.Surface | None = None
        self.camera: Any = None
        self.no_camera = False
        #: Says why the photo button went grey, like the film tool's stage does.
        self.note = Note(self.ctx, seconds=NO_CAMERA_NOTE_S, width=820)
        self._live: pygame.Surface | None = None
        self.microphone: Any = None
        self._mic_checked = False
        self.countdown: float | None = None
        self.recording = False
        self.preview_index = 0
        self.preview_clock = 0.0
        self._channel: Any = None
        self.grid: PictureGrid | None = None
        self._add_slide()
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.keyboard = OnScreenKeyboard(
            self.ctx.ui,
            self.ctx.lang,
            self.ctx.invalidate,
            self._key_labels(),
            accept=self._text_fits,
            on_text=self._typed,
            on_enter=self.close_keyboard,
        )
        #: The keys, as an attribute of the tool so the harness and tests find them.
        self.keys = self.keyboard.keys
        self.layout()

    def _key_labels(self) -> dict[str, str]:
        return {"space": self.ctx.gettext("space")}

    def on_language_changed(self) -> None:
        self.keyboard.set_language(self.ctx.lang, self._key_labels())
        self.layout()

    def on_session_end(self, reason: str) -> None:
        self._session_end = reason

    def on_exit(self) -> None:
        self._stop_recording()
        self._stop_sound()
        self._close_camera()
        if self.microphone is not None:
            self.microphone = None
        if self.creation is not None:
            if self._session_end == "idle":
                self.creation.closed_by = "idle"
            self._save("draft")

    # ----- slides ----------------------------------------------------------------------

    @property
    def slide(self) -> Slide:
        return self.slides[self.current]

    def _add_slide(self) -> None:
        slide = Slide(uid=self._next_uid)
        self._next_uid += 1
        at = self.current + 1 if self.slides else 0
        self.slides.insert(at, slide)
        self.current = at
        self._refresh(slide, save=False)

    def add_slide(self) -> None:
        if len(self.slides) >= MAX_SLIDES:
            self.ctx.play_sound("try-again")
            return
        self._add_slide()
        self._make_creation()
        self._dirty.add(self.slide.uid)
        self._mark_changed()
        self.select(self.current)

    def select(self, index: int) -> None:
        self.current = max(0, min(len(self.slides) - 1, index))
        fits = self._strip_fits()
        if self.current < self.strip_first:
            self.strip_first = self.current
        elif self.current >= self.strip_first + fits:
            self.strip_first = self.current - fits + 1
        self._stage_image = None
        self._rebuild_buttons()

    def move_slide(self, step: int) -> None:
        target = self.current + step
        if not 0 <= target < len(self.slides):
            return
        self.slides.insert(target, self.slides.pop(self.current))
        self._mark_changed()
        self.select(target)

    def delete_slide(self) -> None:
        if len(self.slides) <= 1:
            slide = self.slide
            slide.background, slide.title, slide.bubble = None, "", ""
            slide.audio, slide.audio_seconds, slide.duration = None, 0.0, DURATIONS[1]
            self._refresh(slide)
        else:
            self.slides.pop(self.current)
            self.current = min(self.current, len(self.slides) - 1)
            self._mark_changed()
        self.select(self.current)

    def cycle_duration(self) -> None:
        slide = self.slide
        choices: list[int | None] = list(DURATIONS)
        if slide.audio is not None:
            choices.append(None)
        i = choices.index(slide.duration) if slide.duration in choices else 0
        slide.duration = choices[(i + 1) % len(choices)]
        self._refresh(slide)
        self._rebuild_buttons()

    # ----- text ------------------------------------------------------------------------

    def open_keyboard(self, field: Field) -> None:
        self.editing = field
        self.mode = "keyboard"
        self.keyboard.set_text(self.slide.title if field == "title" else self.slide.bubble)
        self.layout()

    def close_keyboard(self) -> None:
        self.mode = "edit"
        self.layout()

    def _text_fits(self, text: str) -> bool:
        return fits_on_slide(self.ctx.ui, self.editing, text)

    def _typed(self, text: str) -> None:
        slide = self.slide
        if self.editing == "title":
            slide.title = text
        else:
            slide.bubble = text
        self._refresh(slide)

    # ----- backgrounds -----------------------------------------------------------------

    def open_picker(self) -> None:
        items: list[tuple[str, Any]] = []
        self._pick_sources: dict[str, tuple[Creation | None, Pack | None, str | None]] = {}
        store = self.ctx.creations
        if store is not None:
            for drawing in store.drawings_in_session():
                key = f"drawing-{drawing.id}"
                self._pick_sources[key] = (drawing, None, None)
                items.append((key, partial(self._drawing_preview, drawing)))
        for pack in self.ctx.packs:
            for picture_id in pack.pictures:
                key = f"{pack.pack}-{picture_id}"
                self._pick_sources[key] = (None, pack, picture_id)
                items.append((key, partial(self.ctx.picture, pack, picture_id)))
        self.grid = PictureGrid("pick", items, columns=4, rows=2)
        self.mode = "pick"
        self.layout()

    def _drawing_preview(self, drawing: Creation, size: int) -> pygame.Surface:
        picture = creation_picture(drawing, size)
        return picture if picture is not None else self.ctx.ui.images.placeholder(size)

    def pick(self, key: str) -> None:
        drawing, pack, picture_id = self._pick_sources[key]
        picture: pygame.Surface | None = None
        if drawing is not None:
            rel = drawing.pages[0] if drawing.pages else None
            if rel is None and drawing.timeline:
                rel = drawing.timeline[0]["image"]
            picture = drawing.load_png(rel) if rel else None
            if picture is not None:
                picture = fit_onto(picture, SLIDE_SIZE)
        elif pack is not None and picture_id is not None:
            # A pictogram keeps clear of the title band; a photo fills the slide.
            top = TITLE_BOX.bottom + 12
            picture = pack_picture_frame(self.ctx, pack, picture_id, SLIDE_SIZE, top)
        if picture is None:
            self.ctx.play_sound("try-again")
            return
        self._set_background(picture)
        self.mode = "edit"
        self.layout()

    def turn_page(self, step: int) -> None:
        if self.grid is not None:
            self.grid.turn(step)
            self.layout()

    def open_photo(self) -> None:
        if self.camera is None:
            self.camera = self.ctx.open_camera((640, 480))
            if self.camera is not None:
                try:
                    self.camera.start()
                except Exception:
                    self.camera = None
        if self.camera is None:
            # Said once, with a picture: the photo button stays greyed (and says "No
            # camera") for this visit.
            self.no_camera = True
            self.ctx.play_sound("try-again")
            self.note.show(
                self.ctx.gettext("No camera here. Use a picture or a drawing!"), icon="camera"
            )
            self._rebuild_buttons()
            return
        self.mode = "photo"
        self.layout()

    def take_photo(self) -> None:
        frame = self.camera.latest_frame() if self.camera is not None else None
        frame = frame if frame is not None else self._live
        if frame is None:
            self.ctx.play_sound("try-again")
            return
        # Cover the slide: a photo fills it, the middle kept.
        w, h = frame.get_size()
        scale = max(SLIDE_SIZE[0] / w, SLIDE_SIZE[1] / h)
        big = pygame.transform.smoothscale(frame, (math.ceil(w * scale), math.ceil(h * scale)))
        photo = pygame.Surface(SLIDE_SIZE)
        photo.blit(big, big.get_rect(center=(SLIDE_SIZE[0] // 2, SLIDE_SIZE[1] // 2)))
        self.ctx.play_sound("flip")
        self._set_background(photo)
        self._close_camera()
        self.mode = "edit"
        self.layout()

    def _close_camera(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.camera = None
        self._live = None

    def leave_to_edit(self) -> None:
        self._close_camera()
        self.mode = "edit"
        self.layout()

    def _set_background(self, picture: pygame.Surface) -> None:
        slide = self.slide
        creation = self._make_creation()
        rel = f"backgrounds/{slide.uid:02d}.png"
        if creation is not None:
            creation.write_png(rel, picture)
        slide.background = rel
        self._backgrounds = {slide.uid: picture}
        self._refresh(slide)

    def _background(self, slide: Slide) -> pygame.Surface | None:
        if slide.background is None:
            return None
        picture = self._backgrounds.get(slide.uid)
        if picture is None and self.creation is not None:
            picture = self.creation.load_png(slide.background)
            if picture is not None:
                if len(self._backgrounds) >= 3:
                    self._backgrounds.pop(next(iter(self._backgrounds)))
                self._backgrounds[slide.uid] = picture
        return picture

    # ----- narration -------------------------------------------------------------------

    def open_recorder(self) -> None:
        if not self._mic_checked:
            self.microphone = self.ctx.open_microphone()
            self._mic_checked = True
        self.mode = "record"
        self.layout()

    def start_countdown(self) -> None:
        if self.microphone is None or self.recording or self.countdown is not None:
            return
        self._stop_sound()
        self.countdown = float(COUNTDOWN_S)
        self.layout()

    def _start_recording(self) -> None:
        creation = self._make_creation()
        if creation is None or self.microphone is None:
            return
        slide = self.slide
        rel = f"audio/{slide.uid:02d}.wav"
        try:
            self.microphone.start(creation.path(rel))
        except Exception:
            self.ctx.play_sound("try-again")
            self.microphone = None
            self.layout()
            return
        self.recording = True
        self._recording_to = rel
        self.layout()

    def stop_recording(self) -> None:
        seconds = self._stop_recording()
        if seconds is None:
            return
        slide = self.slide
        if seconds >= 0.3:
            slide.audio = self._recording_to
            slide.audio_seconds = seconds
            slide.duration = None
        self._refresh(slide)
        self.layout()

    def _stop_recording(self) -> float | None:
        if not self.recording or self.microphone is None:
            self.countdown = None
            return None
        self.recording = False
        return float(self.microphone.stop())

    def delete_narration(self) -> None:
        slide = self.slide
        self._stop_sound()
        slide.audio, slide.audio_seconds = None, 0.0
        if slide.duration is None:
            slide.duration = DURATIONS[1]
        self._refresh(slide)
        self.layout()

    def play_narration(self, slide: Slide | None = None) -> None:
        slide = slide or self.slide
        self._stop_sound()
        sound_on = getattr(self.ctx.ui.sounds, "enabled", True)
        if slide.audio is None or self.creation is None or not sound_on:
            return
        if not pygame.mixer.get_init():
            return
        try:
            sound = pygame.mixer.Sound(str(self.creation.path(slide.audio)))
            self._channel = sound.play()
        except pygame.error:
            self._channel = None

    def _stop_sound(self) -> None:
        if self._channel is not None:
            self._channel.stop()
            self._channel = None

    # ----- preview and saving ----------------------------------------------------------

    def start_preview(self) -> None:
        self.mode = "preview"
        self.preview_index = 0
        self.preview_clock = 0.0
        self._preview_image: tuple[int, pygame.Surface] | None = None
        self.play_narration(self.slides[0])
        self.layout()

    def stop_preview(self) -> None:
        self._stop_sound()
        self.mode = "edit"
        self.layout()

    def save(self) -> None:
        """The child's Save: the story becomes a saved creation; the round is complete."""
        self._make_creation()
        self._dirty.update(s.uid for s in self.slides)
        self._save("saved")
        self.ctx.complete()
        self.ctx.play_sound("success")
        self.mode = "saved"
        self.layout()

    def keep_going(self) -> None:
        self.mode = "edit"
        self.layout()

    def new_story(self) -> None:
        self.creation = None
        self.slides = []
        self.current = 0
        self.strip_first = 0
        self._backgrounds.clear()
        self._dirty.clear()
        self._changed_at = None
        self._add_slide()
        self.mode = "edit"
        self.ctx.start_round()
        self.layout()

    def _make_creation(self) -> Creation | None:
        if self.creation is None and self.ctx.creations is not None:
            self.creation = self.ctx.creations.new("story", self.ctx.lang)
        return self.creation

    def _mark_changed(self) -> None:
        self._make_creation()
        if self._changed_at is None:
            self._changed_at = self.time

    def _refresh(self, slide: Slide, save: bool = True) -> None:
        """The slide changed: a new thumbnail and stage picture, and a draft soon."""
        picture = self._render(slide)
        slide.thumb = pygame.transform.smoothscale(picture, THUMB_SIZE)
        if slide is self.slides[self.current]:
            self._stage_image = None
        if save:
            self._dirty.add(slide.uid)
            self._mark_changed()
        self.ctx.invalidate()

    def _save(self, state: Literal["draft", "saved"]) -> None:
        creation = self.creation
        if creation is None:
            return
        thumbnail = None
        for slide in self.slides:
            rel = f"render/slide-{slide.uid:02d}.png"
            if slide.uid in self._dirty or not creation.has(rel):
                picture = self._render(slide)
                creation.write_png(rel, picture)
                if slide is self.slides[0]:
                    thumbnail = picture
        creation.data = {"slides": [s.to_json() for s in self.slides]}
        creation.timeline = [
            {"image": f"render/slide-{s.uid:02d}.png", "seconds": s.seconds, "audio": s.audio}
            for s in self.slides
        ]
        creation.pages = [f"render/slide-{s.uid:02d}.png" for s in self.slides]
        creation.save(state, thumbnail=thumbnail)
        self._dirty.clear()
        self._changed_at = None
        self._last_save = self.time

    def _render(self, slide: Slide) -> pygame.Surface:
        return render_slide(self.ctx.ui, slide, self._background(slide))

    # ----- layout ----------------------------------------------------------------------

    def layout(self) -> None:
        m = self.ctx.ui.metrics
        a = self.ctx.area
        pad = m.margin
        gap = m.px(14)
        self._stage_image = None
        if self.mode == "keyboard":
            # The keys take what the slide (as wide as the side panel lets it be) leaves,
            # between 360 and 460 units: taller keys on a 4:3 screen.
            widest = a.width - 3 * pad - m.px(460)
            spare = a.height - widest * 9 // 16 - 3 * gap
            board_h = min(max(m.px(360), min(spare, m.px(460))), a.height * 3 // 5)
            board = pygame.Rect(a.left + pad, a.bottom - gap - board_h, a.width - 2 * pad, board_h)
            stage_h = board.top - gap - (a.top + gap)
            stage_w = min(stage_h * 16 // 9, a.width - 3 * pad - m.px(460))
            stage_h = stage_w * 9 // 16
            self.stage = pygame.Rect(a.left + pad, a.top + gap, stage_w, stage_h)
            self.keyboard.visible = True
            self.keyboard.layout(board)
        else:
            self.keyboard.visible = False
            self.keyboard.keys.set_buttons([])
            self.strip_rect = pygame.Rect(
                a.left + pad, a.bottom - gap - m.px(130), a.width - 2 * pad, m.px(130)
            )
            column_w = m.px(420)
            stage_h = self.strip_rect.top - 2 * gap - a.top
            stage_w = min(stage_h * 16 // 9, a.width - 3 * pad - column_w)
            stage_h = stage_w * 9 // 16
            self.stage = pygame.Rect(a.left + pad, a.top + gap, stage_w, stage_h)
            self.column = pygame.Rect(
                self.stage.right + pad,
                self.stage.top,
                a.right - pad - self.stage.right - pad,
                self.strip_rect.top - gap - self.stage.top,
            )
            if self.mode == "preview":
                full_h = a.height - 2 * gap
                full_w = min(full_h * 16 // 9, a.width - 2 * pad)
                self.stage = pygame.Rect(0, 0, full_w, full_w * 9 // 16)
                self.stage.midtop = (a.centerx, a.top + gap)
        self._rebuild_buttons()

    def _rebuild_buttons(self) -> None:
        builders = {
            "edit": lambda: self._tool_buttons() + self._strip_buttons(),
            "keyboard": self._keyboard_buttons,
            "pick": self._pick_buttons,
            "photo": self._photo_buttons,
            "record": self._record_buttons,
            "preview": self._preview_buttons,
            "saved": self._saved_buttons,
        }
        self.buttons.set_buttons(builders[self.mode]())
        self.ctx.invalidate()

    def _tool_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        _ = self.ctx.gettext
        col = self.column
        gap = m.px(12)
        rows = 4
        w = (col.width - gap) // 2
        h = (col.height - (rows - 1) * gap) // rows
        slide = self.slide
        seconds = round(slide.seconds)
        tools: list[tuple[str, str | None, pygame.Surface | None, str, Any, theme.Color]] = [
            ("background", "framed-picture", None, _("Picture"), self.open_picker, theme.WHITE),
            (
                "photo",
                "camera",
                None,
                _("No camera") if self.no_camera else _("Photo"),
                self.open_photo,
                theme.WHITE,
            ),
            (
                "title",
                None,
                self._letters_icon(m.px(60)),
                _("Title"),
                partial(self.open_keyboard, "title"),
                theme.WHITE,
            ),
            (
                "bubble",
                "speech-balloon",
                None,
                _("Bubble"),
                partial(self.open_keyboard, "bubble"),
                theme.WHITE,
            ),
            (
                "narration",
                "studio-microphone",
                None,
                _("Voice"),
                self.open_recorder,
                CHOSEN_COLOR if slide.audio else theme.WHITE,
            ),
            (
                "duration",
                "studio-microphone" if slide.duration is None else "hourglass-not-done",
                None,
                _("%(n)d s") % {"n": seconds},
                self.cycle_duration,
                theme.TILE_COLORS[6],
            ),
            (
                "preview",
                None,
                play_icon(m.px(60), False),
                _("Show"),
                self.start_preview,
                theme.TILE_COLORS[2],
            ),
            ("save", "check-mark-button", None, _("Save"), self.save, theme.YES_COLOR),
        ]
        buttons = []
        for i, (name, icon, image, label, press, color) in enumerate(tools):
            row, column = divmod(i, 2)
            buttons.append(
                Button(
                    id=name,
                    rect=pygame.Rect(
                        col.left + column * (w + gap), col.top + row * (h + gap), w, h
                    ),
                    color=color,
                    icon=icon,
                    image=image,
                    label=label,
                    icon_share=0.5,
                    on_press=press,
                    enabled=not (name == "photo" and self.no_camera),
                )
            )
        return buttons

    def _letters_icon(self, size: int) -> pygame.Surface:
        return self.ctx.ui.text.render("Aa", int(size * 0.7), theme.FOCUS, weight="bold")

    def _strip_fits(self) -> int:
        band, thumb_w = self._strip_band()
        gap = self.ctx.ui.metrics.px(10)
        return max(1, (band.width + gap) // (thumb_w + gap))

    def _strip_band(self) -> tuple[pygame.Rect, int]:
        m = self.ctx.ui.metrics
        strip = self.strip_rect
        gap = m.px(10)
        arrow = m.px(50)
        actions_w = 4 * m.px(100) + 4 * gap
        band = pygame.Rect(
            strip.left + arrow + gap,
            strip.top,
            strip.width - actions_w - 2 * arrow - 3 * gap,
            strip.height,
        )
        return band, m.px(170)

    def _strip_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        strip = self.strip_rect
        band, thumb_w = self._strip_band()
        fits = self._strip_fits()
        gap = m.px(10)
        arrow = m.px(50)
        self.strip_first = max(0, min(self.strip_first, len(self.slides) - fits))
        buttons = [
            Button(
                id="strip:prev",
                rect=pygame.Rect(strip.left, strip.top + m.px(25), arrow, strip.height - m.px(50)),
                color=theme.WHITE,
                image=arrow_icon(arrow, -1),
                on_press=partial(self._scroll, -1),
                enabled=self.strip_first > 0,
            ),
            Button(
                id="strip:next",
                rect=pygame.Rect(band.right, strip.top + m.px(25), arrow, strip.height - m.px(50)),
                color=theme.WHITE,
                image=arrow_icon(arrow, 1),
                on_press=partial(self._scroll, 1),
                enabled=self.strip_first + fits < len(self.slides),
            ),
        ]
        for offset in range(len(self.slides[self.strip_first : self.strip_first + fits])):
            index = self.strip_first + offset
            buttons.append(
                Button(
                    id=f"slide:{index + 1}",
                    rect=pygame.Rect(
                        band.left + offset * (thumb_w + gap),
                        strip.top + m.px(8),
                        thumb_w,
                        strip.height - m.px(16),
                    ),
                    color=theme.ACCENT if index == self.current else theme.WHITE,
                    on_press=partial(self.select, index),
                )
            )
        action = m.px(100)
        x = band.right + arrow + gap
        y = strip.top + (strip.height - action) // 2
        actions: list[tuple[str, pygame.Surface | None, str | None, bool, Callable[[], None]]] = [
            ("slide-add", None, "plus", len(self.slides) < MAX_SLIDES, self.add_slide),
            (
                "slide-left",
                arrow_icon(action, -1),
                None,
                self.current > 0,
                partial(self.move_slide, -1),
            ),
            (
                "slide-right",
                arrow_icon(action, 1),
                None,
                self.current < len(self.slides) - 1,
                partial(self.move_slide, 1),
            ),
            ("slide-delete", None, "wastebasket", True, self.delete_slide),
        ]
        for name, image, icon, enabled, press in actions:
            buttons.append(
                Button(
                    id=name,
                    rect=pygame.Rect(x, y, action, action),
                    color=theme.YES_COLOR if name == "slide-add" else theme.WHITE,
                    image=image if icon != "plus" else self._plus_icon(action),
                    icon=icon if icon != "plus" else None,
                    on_press=press,
                    enabled=enabled,
                )
            )
            x += action + gap
        return buttons

    def _plus_icon(self, size: int) -> pygame.Surface:
        icon = pygame.Surface((size, size), pygame.SRCALPHA)
        bar = max(2, size // 6)
        pygame.draw.rect(
            icon,
            theme.WHITE,
            (size * 0.2, (size - bar) // 2, size * 0.6, bar),
            border_radius=bar // 2,
        )
        pygame.draw.rect(
            icon,
            theme.WHITE,
            ((size - bar) // 2, size * 0.2, bar, size * 0.6),
            border_radius=bar // 2,
        )
        return icon

    def _scroll(self, step: int) -> None:
        self.strip_first = max(0, self.strip_first + step * max(1, self._strip_fits() - 1))
        self._rebuild_buttons()

    def _done_button(self, button_id: str, rect: pygame.Rect, press: Any) -> Button:
        return Button(
            id=button_id,
            rect=rect,
            color=theme.YES_COLOR,
            icon="check-mark-button",
            label=self.ctx.gettext("Done"),
            icon_share=0.5,
            on_press=press,
        )

    def _keyboard_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        a = self.ctx.area
        right = pygame.Rect(
            self.stage.right + m.margin,
            self.stage.top,
            a.right - m.margin - self.stage.right - m.margin,
            self.stage.height,
        )
        w = min(m.px(300), right.width)
        h = min(m.px(120), right.height // 2)
        rect = pygame.Rect(0, 0, w, h)
        rect.midbottom = (right.centerx, right.bottom)
        return [self._done_button("text-done", rect, self.close_keyboard)]

    def _pick_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        panel = self._panel()
        grid_area = pygame.Rect(
            panel.left + m.px(20),
            panel.top + m.px(90),
            panel.width - m.px(40),
            panel.height - m.px(230),
        )
        assert self.grid is not None
        buttons = self.grid.buttons(self.ctx, grid_area, self.pick, self.turn_page)
        rect = pygame.Rect(0, 0, m.px(300), m.px(110))
        rect.midbottom = (panel.centerx, panel.bottom - m.px(14))
        back = self._done_button("pick-back", rect, self.leave_to_edit)
        back.icon, back.label, back.color = (
            "left-arrow",
            self.ctx.gettext("Back"),
            theme.NEUTRAL_COLOR,
        )
        return buttons + [back]

    def _panel(self) -> pygame.Rect:
        m = self.ctx.ui.metrics
        return self.ctx.area.inflate(-2 * m.margin, -2 * m.px(12))

    def _side_rect(self) -> pygame.Rect:
        """Beside the stage in the photo and voice screens."""
        m = self.ctx.ui.metrics
        a = self.ctx.area
        return pygame.Rect(
            self.stage.right + m.margin,
            self.stage.top,
            a.right - m.margin - self.stage.right - m.margin,
            a.bottom - m.margin - self.stage.top,
        )

    def _photo_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        side = self._side_rect()
        big = min(m.px(190), side.width)
        capture = pygame.Rect(0, 0, big, big)
        capture.midtop = (side.centerx, side.top + m.px(20))
        back = pygame.Rect(0, 0, min(m.px(300), side.width), m.px(110))
        back.midtop = (side.centerx, capture.bottom + m.px(40))
        return [
            Button(
                id="photo-take",
                rect=capture,
                color=RECORD_COLOR,
                icon="camera-with-flash",
                round=True,
                on_press=self.take_photo,
            ),
            Button(
                id="photo-back",
                rect=back,
                color=theme.NEUTRAL_COLOR,
                icon="left-arrow",
                label=self.ctx.gettext("Back"),
                icon_share=0.5,
                on_press=self.leave_to_edit,
            ),
        ]

    def _record_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        side = self._side_rect()
        gap = m.px(16)
        big = min(m.px(170), side.width // 2)
        has_mic = self.microphone is not None
        busy = self.recording or self.countdown is not None
        main = pygame.Rect(side.left, side.top + m.px(10), big, big)
        buttons = [
            Button(
                id="record-stop" if busy else "record-start",
                rect=main,
                color=theme.WHITE if busy else RECORD_COLOR,
                icon="stop-sign" if busy else "studio-microphone",
                round=True,
                on_press=self.stop_recording if busy else self.start_countdown,
                enabled=has_mic,
            )
        ]
        small = m.px(110)
        y = main.bottom + m.px(40)
        has_audio = self.slide.audio is not None and not busy
        buttons.append(
            Button(
                id="record-play",
                rect=pygame.Rect(side.left, y, small, small),
                color=theme.WHITE,
                image=play_icon(small, False),
                on_press=self.play_narration,
                enabled=has_audio and bool(pygame.mixer.get_init()),
            )
        )
        buttons.append(
            Button(
                id="record-delete",
                rect=pygame.Rect(side.left + small + gap, y, small, small),
                color=theme.WHITE,
                icon="wastebasket",
                on_press=self.delete_narration,
                enabled=has_audio,
            )
        )
        done = pygame.Rect(0, 0, min(m.px(280), side.width), m.px(110))
        done.bottomleft = (side.left, side.bottom)
        buttons.append(self._done_button("record-done", done, self.leave_to_edit))
        buttons[-1].enabled = not busy
        return buttons

    def _preview_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        size = m.px(100)
        rect = pygame.Rect(
            self.stage.right - size - m.px(16), self.stage.bottom - size - m.px(16), size, size
        )
        return [
            Button(
                id="preview-stop",
                rect=rect,
                color=theme.WHITE,
                image=play_icon(size, True),
                round=True,
                on_press=self.stop_preview,
            )
        ]

    def _saved_buttons(self) -> list[Button]:
        return saved_buttons(
            self.ctx,
            "open-book",
            self.keep_going,
            "new-story",
            self.ctx.gettext("New story"),
            self.new_story,
        )

    # ----- input and time --------------------------------------------------------------

    def handle_event(self, event: InputEvent) -> bool:
        if self.mode == "keyboard" and self.keyboard.handle(event):
            return True
        if self.buttons.handle(event):
            return True
        if isinstance(event, KeyEvent) and self.mode == "edit" and event.unicode.isalpha():
            # Typing on the PC's keyboard starts the title.
            self.open_keyboard("title")
            return self.keyboard.handle(event)
        if isinstance(event, PointerEvent) and event.kind == "down" and self.mode == "keyboard":
            return self.stage.collidepoint(event.pos)
        return False

    def update(self, dt: float) -> None:
        self.time += dt
        self.note.update()
        if self.mode == "photo" and self.camera is not None:
            newest = self.camera.latest_frame()
            if newest is not None and newest is not self._live:
                self._live = newest
                self.ctx.invalidate(self.stage)
        if self.countdown is not None:
            before = math.ceil(self.countdown)
            self.countdown -= dt
            if math.ceil(self.countdown) != before:
                self.ctx.play_sound("tap")
            if self.countdown <= 0:
                self.countdown = None
                self._start_recording()
            self.ctx.invalidate()
        if self.recording and self.microphone is not None:
            if self.microphone.seconds >= MAX_NARRATION_S:
                self.stop_recording()
            self.ctx.invalidate(self._side_rect())
        if self.mode == "preview":
            self.preview_clock += dt
            if self.preview_clock >= self.slides[self.preview_index].seconds:
                self.preview_clock = 0.0
                self.preview_index += 1
                if self.preview_index >= len(self.slides):
                    self.stop_preview()
                else:
                    self.play_narration(self.slides[self.preview_index])
                    self.ctx.invalidate(self.stage)
        if self._changed_at is not None and self.time - self._last_save >= AUTOSAVE_S:
            if self.time - self._changed_at >= 1.0 and self.mode != "record":
                self._save("draft")

    # ----- drawing ---------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        a = self.ctx.area
        surface.blit(draw.scene_background(surface.get_size()), a, area=a)
        if self.mode == "pick":
            self._draw_picker(surface)
        elif self.mode == "saved":
            self._draw_saved(surface)
        else:
            self._draw_stage(surface)
            if self.mode == "edit":
                m = self.ctx.ui.metrics
                surface.blit(
                    draw.rounded_card(
                        self.strip_rect.size, m.px(20), theme.lighten(theme.INK_SOFT, 0.75)
                    ),
                    self.strip_rect,
                )
            elif self.mode == "record":
                self._draw_recorder(surface)
            elif self.mode == "keyboard":
                self.keyboard.draw(surface)
                self._draw_typing_hint(surface)
        self.buttons.draw(surface)
        if self.mode == "edit":
            m = self.ctx.ui.metrics
            for button in self.buttons.buttons:
                if button.id.startswith("slide:"):
                    thumb = self.slides[int(button.id.split(":")[1]) - 1].thumb
                    if thumb is not None:
                        blit_thumb(surface, thumb, button, m.px(10), m.px(4))
        self.note.draw(surface)

    def _draw_stage(self, surface: pygame.Surface) -> None:
        m = self.ctx.ui.metrics
        stage = self.stage
        border = m.px(5)
        pygame.draw.rect(
            surface, theme.INK, stage.inflate(2 * border, 2 * border), border_radius=m.px(10)
        )
        if self.mode == "photo" and self._live is not None:
            live = self._live
            w, h = live.get_size()
            scale = max(stage.width / w, stage.height / h)
            big = pygame.transform.scale(live, (math.ceil(w * scale), math.ceil(h * scale)))
            clip = surface.get_clip()
            surface.set_clip(clip.clip(stage))
            surface.blit(big, big.get_rect(center=stage.center))
            surface.set_clip(clip)
            return
        if self.mode == "preview":
            slide = self.slides[min(self.preview_index, len(self.slides) - 1)]
            cached = getattr(self, "_preview_image", None)
            if cached is None or cached[0] != slide.uid:
                cached = (slide.uid, pygame.transform.smoothscale(self._render(slide), stage.size))
                self._preview_image = cached
            surface.blit(cached[1], stage)
            return
        if self._stage_image is None or self._stage_image.get_size() != stage.size:
            self._stage_image = pygame.transform.smoothscale(self._render(self.slide), stage.size)
        surface.blit(self._stage_image, stage)
        if self.mode == "keyboard":
            # Show where the letters go: a blinking caret after the text being typed.
            box = TITLE_BOX if self.editing == "title" else BUBBLE_BOX
            scale = stage.width / SLIDE_SIZE[0]
            rect = pygame.Rect(
                stage.left + int(box.left * scale),
                stage.top + int(box.top * scale),
                int(box.width * scale),
                int(box.height * scale),
            )
            pygame.draw.rect(
                surface, theme.FOCUS, rect, width=max(2, m.px(4)), border_radius=m.px(8)
            )
        if self.countdown is not None:
            number = str(max(1, math.ceil(self.countdown)))
            text = self.ctx.ui.text.render(number, m.px(200), theme.WHITE, weight="bold")
            shade = self.ctx.ui.text.render(number, m.px(200), theme.INK, weight="bold")
            surface.blit(
                shade, shade.get_rect(center=(stage.centerx + m.px(5), stage.centery + m.px(5)))
            )
            surface.blit(text, text.get_rect(center=stage.center))

    def _draw_typing_hint(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        a = self.ctx.area
        right = pygame.Rect(
            self.stage.right + m.margin,
            self.stage.top,
            a.right - m.margin - self.stage.right - m.margin,
            self.stage.height,
        )
        # The words being typed, big: the slide beside them is small while the keys show.
        done = self.buttons.by_id("text-done").rect
        field = pygame.Rect(right.left, right.top, right.width, done.top - m.px(24) - right.top)
        surface.blit(
            draw.rounded_card(field.size, m.px(20), theme.WHITE, m.px(4), theme.FOCUS), field
        )
        size = min(m.px(70), field.height - m.px(24))
        if self.editing == "bubble":
            icon = ui.images.emoji("speech-balloon", size)
        else:
            icon = self._letters_icon(size)
        surface.blit(icon, icon.get_rect(midleft=(field.left + m.px(14), field.centery)))
        box = (field.width - icon.get_width() - m.px(44), field.height - m.px(20))
        shown = self._field_text(box)
        if shown:
            text = ui.text.fit(
                shown,
                box,
                m.font_size("heading"),
                theme.INK,
                weight="bold",
                min_size=m.px(14),
                align="left",
                max_lines=3,
            )
            surface.blit(
                text,
                text.get_rect(midleft=(field.left + icon.get_width() + m.px(30), field.centery)),
            )

    def _field_text(self, box: tuple[int, int]) -> str:
        """The typed text as the big field shows it: all of it, or "…" and its end when a
        long word would not fit the field (the slide itself always shows all of it)."""
        ui = self.ctx.ui
        sizes = fit_sizes(ui.metrics.font_size("heading"), ui.metrics.px(14))
        text = self.keyboard.text
        for cut in range(len(text)):
            shown = f"…{text[cut:]}" if cut else text
            if any(text_fits(ui.text.font(size, "bold"), shown, box, 3) for size in sizes):
                return shown
        return ""

    def _draw_recorder(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        side = self._side_rect()
        big = min(m.px(170), side.width // 2)
        meter = pygame.Rect(side.left + big + m.px(30), side.top + m.px(10), m.px(60), big)
        if self.microphone is None:
            text = ui.text.fit(
                self.ctx.gettext("No microphone here. Your story can still have words!"),
                (side.width - big - m.px(30), big),
                m.font_size("body"),
                theme.INK,
                weight="bold",
            )
            surface.blit(text, text.get_rect(midleft=(meter.left, meter.centery)))
            return
        pygame.draw.rect(surface, theme.WHITE, meter, border_radius=m.px(12))
        level = float(self.microphone.level) if self.recording else 0.0
        filled = meter.inflate(-m.px(10), -m.px(10))
        height = int(filled.height * min(1.0, level))
        if height > 0:
            bar = pygame.Rect(filled.left, filled.bottom - height, filled.width, height)
            color = theme.GOOD if level < 0.8 else theme.ACCENT
            pygame.draw.rect(surface, color, bar, border_radius=m.px(8))
        pygame.draw.rect(surface, theme.INK_SOFT, meter, width=m.px(3), border_radius=m.px(12))
        seconds = self.microphone.seconds if self.recording else self.slide.audio_seconds
        if self.recording or self.slide.audio is not None:
            label = self.ctx.gettext("%(n)d s") % {"n": int(seconds)}
            text = ui.text.fit(
                label, (m.px(160), m.px(70)), m.font_size("title"), theme.INK, weight="bold"
            )
            surface.blit(text, text.get_rect(midleft=(meter.right + m.px(20), meter.centery)))
        if self.recording:
            dot = m.px(16)
            on = int(self.time * 2) % 2 == 0
            if on:
                pygame.draw.circle(
                    surface, RECORD_COLOR, (meter.right + m.px(20) + dot, meter.top + dot), dot
                )

    def _draw_picker(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        panel = self._panel()
        surface.blit(
            draw.rounded_card(panel.size, m.px(28), theme.lighten(theme.TILE_COLORS[2], 0.7)), panel
        )
        text = ui.text.fit(
            self.ctx.gettext("Pick a picture for this page"),
            (panel.width - 2 * m.px(40), m.px(70)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(center=(panel.centerx, panel.top + m.px(45))))

    def _draw_saved(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        a = self.ctx.area
        party = ui.images.emoji("party-popper", m.px(130))
        surface.blit(party, party.get_rect(midbottom=(a.centerx, a.top + a.height * 3 // 10)))
        text = ui.text.fit(
            self.ctx.gettext("Your story is saved! The librarian can show it to everyone."),
            (min(a.width - 2 * m.margin, m.px(1000)), m.px(130)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(midtop=(a.centerx, a.top + a.height * 3 // 10 + m.px(16))))
