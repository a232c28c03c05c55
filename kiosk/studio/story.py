"""The story maker: picture slides with a title, a speech bubble and the child's voice.

Each slide has a background (a camera photo, one of the child's drawings from this
session, or a content pack's picture), a title and a speech bubble typed on the on-screen
keyboard (or the PC's own), an optional narration recorded from the microphone after a
3-2-1 countdown with a live level meter, and a duration (3, 5 or 8 seconds, or as long as
the narration). The play button shows the story as it will look; Save keeps it.

Text is measured, never counted: a letter that would not fit its box on the slide is
refused (the "try again" sound), so every saved picture shows all the words.

This module is the control — the modes (edit, keys, picture, photo, voice, show,
saved), their buttons, input and time — and is over 500 lines because each of those seven
screens has its own few buttons; the story and its files are `story_model`, the screen is
`story_view`, and the strip and the picker are shared with the film."""

from __future__ import annotations

import math
from functools import partial
from typing import Any, Literal

import pygame

from kiosk.api import ActivityInfo, Button, ButtonGroup, InputEvent, KeyEvent, PointerEvent, theme
from kiosk.studio.common import Note, PictureGrid
from kiosk.studio.picker import (
    PickItem,
    drawing_preview,
    pick_items,
    picked_picture,
    picker_leave_button,
    picker_panel,
)
from kiosk.studio.pictures import arrow_icon, play_icon
from kiosk.studio.slides import DURATIONS, SLIDE_SIZE, TITLE_BOX, Field, Slide, fits_on_slide
from kiosk.studio.stage import Countdown, draw_background, start_camera
from kiosk.studio.story_model import Story, StoryFiles
from kiosk.studio.story_view import RECORD_COLOR, StoryView, plus_icon
from kiosk.studio.strip import StripAction
from kiosk.studio.tool import StudioTool

MAX_NARRATION_S = 30.0
COUNTDOWN_S = 3
AUTOSAVE_S = 3.0
#: How long "No camera here" stays over the editor after the photo button is tapped.
NO_CAMERA_NOTE_S = 4.0

CHOSEN_COLOR = theme.lighten(theme.GOOD, 0.35)

Mode = Literal["edit", "keyboard", "pick", "photo", "record", "preview", "saved"]


TITLE = {"lv": "Stāstu veidotājs", "lt": "Istorijų kūrėjas", "en": "Story maker"}


class StoryMaker(StudioTool):
    info = ActivityInfo(id="story", title=TITLE, icon="open-book", category="create", levels=1)
    saved_icon = "open-book"
    new_id = "new-story"

    def on_enter(self) -> None:
        self.story = Story()
        self.files = StoryFiles(self.ctx)
        self.view = StoryView(self.ctx)
        self.mode: Mode = "edit"
        self.editing: Field = "title"
        self.time = 0.0
        self._changed_at: float | None = None
        self._last_save = 0.0
        self._session_end: str | None = None
        self.camera: Any = None
        self.no_camera = False
        #: Says why the photo button went grey, like the film tool's stage does.
        self.note = Note(self.ctx, seconds=NO_CAMERA_NOTE_S, width=820)
        self._live: pygame.Surface | None = None
        self.microphone: Any = None
        self._mic_checked = False
        self.countdown = Countdown(self.ctx)
        self.recording = False
        self._recording_to = ""
        self.preview_index = 0
        self.preview_clock = 0.0
        self._channel: Any = None
        self.grid: PictureGrid | None = None
        self._picks: dict[str, PickItem] = {}
        self._add_slide()
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.keyboard = self.view.keyboard(
            self._key_labels(), self._text_fits, self._typed, self.close_keyboard
        )
        #: The keys, as an attribute of the tool so the harness and tests find them.
        self.keys = self.keyboard.keys
        self.layout()

    # What the harness, tests and the review read of the tool.

    @property
    def slides(self) -> list[Slide]:
        return self.story.slides

    @property
    def slide(self) -> Slide:
        return self.story.slide

    def _key_labels(self) -> dict[str, str]:
        return {"space": self.ctx.gettext("space")}

    def on_language_changed(self) -> None:
        self.keyboard.set_language(self.ctx.lang, self._key_labels())
        self.layout()

    def on_exit(self) -> None:
        self._stop_recording()
        self._stop_sound()
        self._close_camera()
        self.microphone = None
        self.keep_draft()

    # ----- slides ----------------------------------------------------------------------

    def _add_slide(self) -> None:
        self._refresh(self.story.add(), save=False)

    def add_slide(self) -> None:
        if self.story.full:
            self.ctx.play_sound("try-again")
            return
        self._add_slide()
        self.files.make()
        self.files.dirty.add(self.slide.uid)
        self._mark_changed()
        self.select(self.story.current)

    def select(self, index: int) -> None:
        self.story.choose(index)
        self.view.strip.keep_in_view(self.story.current)
        self.view.stage_image = None
        self._rebuild_buttons()

    def move_slide(self, step: int) -> None:
        if self.story.move(step):
            self._mark_changed()
            self.select(self.story.current)

    def delete_slide(self) -> None:
        if self.story.delete():
            self._mark_changed()
        else:
            self._refresh(self.slide)
        self.select(self.story.current)

    def cycle_duration(self) -> None:
        self.story.cycle_duration()
        self._refresh(self.slide)
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
        self._picks = {}
        for item in pick_items(self.ctx, "-"):
            self._picks[item.id] = item
            if item.drawing is not None:
                items.append((item.id, partial(drawing_preview, self.ctx, item.drawing)))
            else:
                assert item.pack is not None and item.picture is not None
                items.append((item.id, partial(self.ctx.picture, item.pack, item.picture)))
        self.grid = PictureGrid("pick", items, columns=4, rows=2)
        self.mode = "pick"
        self.layout()

    def pick(self, key: str) -> None:
        # A pictogram keeps clear of the title band; a photo fills the slide.
        picture = picked_picture(self.ctx, self._picks[key], SLIDE_SIZE, TITLE_BOX.bottom + 12)
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
            self.camera = start_camera(self.ctx, (640, 480))
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
        self.files.set_background(self.slide, picture)
        self._refresh(self.slide)

    # ----- narration -------------------------------------------------------------------

    def open_recorder(self) -> None:
        if not self._mic_checked:
            self.microphone = self.ctx.open_microphone()
            self._mic_checked = True
        self.mode = "record"
        self.layout()

    def start_countdown(self) -> None:
        if self.microphone is None or self.recording or self.countdown.running:
            return
        self._stop_sound()
        self.countdown.start(COUNTDOWN_S)
        self.layout()

    def _start_recording(self) -> None:
        creation = self.files.make()
        if creation is None or self.microphone is None:
            return
        rel = f"audio/{self.slide.uid:02d}.wav"
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
            self.countdown.stop()
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
        self.view.forget_preview()
        self.play_narration(self.slides[0])
        self.layout()

    def stop_preview(self) -> None:
        self._stop_sound()
        self.mode = "edit"
        self.layout()

    def save(self) -> None:
        """The child's Save: the story becomes a saved creation; the round is complete."""
        self.files.make()
        self.files.dirty.update(s.uid for s in self.slides)
        self.finish()

    def refresh(self) -> None:
        self.layout()

    def new_label(self) -> str:
        return self.ctx.gettext("New story")

    def start_new(self) -> None:
        self.story = Story(_next_uid=self.story._next_uid)
        self.view.strip.first = 0
        self.files.reset()
        self._changed_at = None
        self._add_slide()
        self.mode = "edit"
        self.ctx.start_round()
        self.layout()

    def _mark_changed(self) -> None:
        self.files.make()
        if self._changed_at is None:
            self._changed_at = self.time

    def _refresh(self, slide: Slide, save: bool = True) -> None:
        """The slide changed: a new thumbnail and stage picture, and a draft soon."""
        slide.thumb = self.files.thumb(slide)
        if slide is self.story.slide:
            self.view.stage_image = None
        if save:
            self.files.dirty.add(slide.uid)
            self._mark_changed()
        self.ctx.invalidate()

    def _save(self, state: Literal["draft", "saved"]) -> None:
        """Render what changed and queue it for the writer thread."""
        if self.creation is None:
            return
        self.files.save(self.story, state)
        self._changed_at = None
        self._last_save = self.time

    # ----- buttons ---------------------------------------------------------------------

    def layout(self) -> None:
        self.view.layout(self.mode, self.keyboard)
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
        col = self.view.column
        gap = m.px(12)
        rows = 4
        w = (col.width - gap) // 2
        h = (col.height - (rows - 1) * gap) // rows
        slide = self.slide
        seconds = round(slide.seconds)
        white = theme.WHITE
        tools: list[tuple[str, str | None, pygame.Surface | None, str, Any, theme.Color]] = [
            ("background", "framed-picture", None, _("Picture"), self.open_picker, white),
            (
                "photo",
                "camera",
                None,
                _("No camera") if self.no_camera else _("Photo"),
                self.open_photo,
                white,
            ),
            (
                "title",
                None,
                self.view.letters_icon(m.px(60)),
                _("Title"),
                partial(self.open_keyboard, "title"),
                white,
            ),
            (
                "bubble",
                "speech-balloon",
                None,
                _("Bubble"),
                partial(self.open_keyboard, "bubble"),
                white,
            ),
            (
                "narration",
                "studio-microphone",
                None,
                _("Voice"),
                self.open_recorder,
                CHOSEN_COLOR if slide.audio else white,
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

    def _strip_buttons(self) -> list[Button]:
        story = self.story
        action = self.ctx.ui.metrics.px(self.view.strip.look.action)
        last = len(story.slides) - 1
        actions = [
            StripAction(
                "slide-add",
                not story.full,
                self.add_slide,
                image=plus_icon(action),
                color=theme.YES_COLOR,
            ),
            StripAction(
                "slide-left",
                story.current > 0,
                partial(self.move_slide, -1),
                image=arrow_icon(action, -1),
            ),
            StripAction(
                "slide-right",
                story.current < last,
                partial(self.move_slide, 1),
                image=arrow_icon(action, 1),
            ),
            StripAction("slide-delete", True, self.delete_slide, icon="wastebasket"),
        ]
        return self.view.strip.buttons(
            len(story.slides), story.current, self.select, self._scroll, actions
        )

    def _scroll(self, step: int) -> None:
        self.view.strip.scroll(step)
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
        right = self.view.beside_stage(to_bottom=False)
        w = min(m.px(300), right.width)
        h = min(m.px(120), right.height // 2)
        rect = pygame.Rect(0, 0, w, h)
        rect.midbottom = (right.centerx, right.bottom)
        return [self._done_button("text-done", rect, self.close_keyboard)]

    def _pick_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        panel = picker_panel(self.ctx)
        grid_area = pygame.Rect(
            panel.left + m.px(20),
            panel.top + m.px(90),
            panel.width - m.px(40),
            panel.height - m.px(230),
        )
        assert self.grid is not None
        buttons = self.grid.buttons(self.ctx, grid_area, self.pick, self.turn_page)
        return buttons + [picker_leave_button(self.ctx, "pick-back", 110, True, self.leave_to_edit)]

    def _photo_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        side = self.view.beside_stage(to_bottom=True)
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
        side = self.view.beside_stage(to_bottom=True)
        gap = m.px(16)
        big = min(m.px(170), side.width // 2)
        has_mic = self.microphone is not None
        busy = self.recording or self.countdown.running
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
        stage = self.stage
        rect = pygame.Rect(
            stage.right - size - m.px(16), stage.bottom - size - m.px(16), size, size
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
            self.follow_camera()
        self.tick_countdown(dt, self._start_recording, self.ctx.area)
        if self.recording and self.microphone is not None:
            if self.microphone.seconds >= MAX_NARRATION_S:
                self.stop_recording()
            self.ctx.invalidate(self.view.beside_stage(to_bottom=True))
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
        view = self.view
        draw_background(self.ctx, surface)
        if self.mode == "pick":
            view.draw_picker(surface)
        elif self.mode == "saved":
            view.draw_saved(surface)
        else:
            self._draw_stage(surface)
            if self.mode == "edit":
                view.strip.draw_card(surface)
            elif self.mode == "record":
                view.draw_recorder(surface, self.microphone, self.recording, self.slide, self.time)
            elif self.mode == "keyboard":
                self.keyboard.draw(surface)
                done = self.buttons.by_id("text-done").rect
                field_bottom = done.top - self.ctx.ui.metrics.px(24)
                view.draw_typing(surface, field_bottom, self.editing, self.keyboard.text)
        self.buttons.draw(surface)
        if self.mode == "edit":
            view.strip.draw_thumbs(surface, self.buttons.buttons, lambda i: self.slides[i].thumb)
        self.note.draw(surface)

    def _draw_stage(self, surface: pygame.Surface) -> None:
        view = self.view
        view.draw_frame(surface)
        if self.mode == "photo" and self._live is not None:
            view.draw_live(surface, self._live)
            return
        if self.mode == "preview":
            slide = self.slides[min(self.preview_index, len(self.slides) - 1)]
            view.draw_preview(surface, slide, partial(self.files.render, slide))
            return
        typing = self.editing if self.mode == "keyboard" else None
        view.draw_slide(surface, partial(self.files.render, self.slide), typing, self.countdown)
