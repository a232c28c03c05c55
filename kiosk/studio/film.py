"""The stop-motion studio: take pictures one by one and play them as a film.

The stage shows the camera's live view with the last 1–3 frames faintly on top (the
"onion skin"), so the child sees how far to move the toy. The big round button takes a
picture (after 3-2-1 when the self-timer is on). Below, the frame strip: tap a frame to
pick it, drag it to a new place, or use the buttons beside the strip to move, copy,
hold (show it for 1–4 ticks) or delete it. Snail, turtle and rabbit pick 5, 8 or 12
frames a second; the play button loops the film on the stage.

The microphone beside the strip records a sound for the chosen frame, like the story
maker's narration: 3-2-1, speak (a level meter shows it hears), stop, hear it back, or
record again; the frame then shows for as long as its sound when the film plays here, in
the MP4 and in Showtime. Without a microphone the studio says so once, with a picture,
and the microphone button stays grey.

Without a camera the stage says so with a picture, and the film is made from the child's
drawings (this session only) and the content packs' pictures instead.

This module is the control: buttons, input and time. It is over 500 lines because each
of its four screens (edit, pictures, sound, saved) has its own few buttons and actions,
like the story maker's; the film and its files are `film_model`, the screen is
`film_view`, the microphone and playback of a frame's sound `film_sound`; the strip and
the picker are shared with the story maker."""

from __future__ import annotations

import math
from collections import OrderedDict
from functools import partial
from typing import Any, Literal

import pygame

from kiosk.api import ActivityInfo, Button, ButtonGroup, InputEvent, KeyEvent, PointerEvent, theme
from kiosk.studio.common import Note
from kiosk.studio.film_model import FRAME_SIZE, FULL_FRAMES_KEPT, Film, FilmFiles, Frame
from kiosk.studio.film_sound import MAX_SOUND_S, FilmSoundRecorder
from kiosk.studio.film_view import FPS_CHOICES, PICK_COLUMNS, PICK_ROWS, RECORDING_RED, FilmView
from kiosk.studio.picker import PickItem, pick_items, picked_picture, picker_leave_button
from kiosk.studio.pictures import arrow_icon, copy_icon, fit_onto, opacity_icon, play_icon
from kiosk.studio.stage import Countdown, draw_background, start_camera
from kiosk.studio.strip import StripAction
from kiosk.studio.tool import StudioTool

__all__ = ["FULL_FRAMES_KEPT", "Frame", "StopMotion"]

AUTOSAVE_S = 3.0
COUNTDOWN_S = 3
DRAG_START_UNITS = 24
PICKS_PER_PAGE = PICK_COLUMNS * PICK_ROWS

CAPTURE_COLOR = (255, 112, 67)
CHOSEN_COLOR = theme.lighten(theme.GOOD, 0.35)

#: How long "No microphone here" stays over the studio after the sound button is tapped.
NO_MICROPHONE_NOTE_S = 4.0

Mode = Literal["edit", "pick", "sound", "saved"]


TITLE = {"lv": "Animācijas studija", "lt": "Animacijos studija", "en": "Stop-motion studio"}


class StopMotion(StudioTool):
    saved_icon = "video-camera"
    new_id = "new-film"
    info = ActivityInfo(id="film", title=TITLE, icon="video-camera", category="create", levels=1)

    def on_enter(self) -> None:
        self.camera = start_camera(self.ctx, FRAME_SIZE)
        self.film = Film()
        self.files = FilmFiles(self.ctx)
        self.view = FilmView(self.ctx)
        self.self_timer = False
        self.countdown = Countdown(self.ctx)
        self.flash = 0.0
        self.mode: Mode = "edit"
        self.pick_page = 0
        self.time = 0.0
        self._dirty = False
        self._last_save = 0.0
        self._drag: dict[str, Any] | None = None
        self._live: pygame.Surface | None = None
        self._session_end: str | None = None
        self._items: list[PickItem] = []
        self.recorder = FilmSoundRecorder(self.ctx)
        self.no_microphone = False
        self.note = Note(self.ctx, seconds=NO_MICROPHONE_NOTE_S, width=820)
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.layout()

    # What the harness, tests and the review read of the tool.

    @property
    def frames(self) -> list[Frame]:
        return self.film.frames

    @property
    def selected(self) -> int | None:
        return self.film.selected

    @property
    def strip_rect(self) -> pygame.Rect:
        return self.view.strip.rect

    @property
    def _full(self) -> OrderedDict[str, pygame.Surface]:
        return self.files.full

    def frames_data(self) -> list[dict[str, Any]]:
        return self.film.frames_data()

    def on_language_changed(self) -> None:
        self.layout()

    def on_exit(self) -> None:
        # A recording cut by the end of the visit is dropped, never half kept.
        self.recorder.drop()
        self.countdown.stop()
        self.recorder.stop_playing()
        if self.camera is not None:
            self.camera.stop()
            self.camera = None
        self.keep_draft()

    # ----- buttons ---------------------------------------------------------------------

    def layout(self) -> None:
        self.view.layout()
        self.refresh()

    def refresh(self) -> None:
        if self.mode == "pick":
            self.buttons.set_buttons(self._pick_buttons())
        elif self.mode == "saved":
            self.buttons.set_buttons(self._saved_buttons())
        elif self.mode == "sound":
            self.buttons.set_buttons(self._sound_buttons())
        else:
            self.buttons.set_buttons(self._tool_buttons() + self._strip_buttons())
        self.ctx.invalidate()

    def _tool_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        _ = self.ctx.gettext
        film = self.film
        rects = self.view.tool_rects()
        has_camera = self.camera is not None

        def tool(button_id: str, color: theme.Color, **looks: Any) -> Button:
            return Button(id=button_id, rect=rects[button_id], color=color, **looks)

        buttons = [
            tool(
                "capture",
                CAPTURE_COLOR,
                icon="camera-with-flash",
                round=True,
                on_press=self.press_capture,
                enabled=has_camera and not film.full,
            ),
            tool(
                "timer",
                CHOSEN_COLOR if self.self_timer else theme.WHITE,
                icon="alarm-clock",
                label="3-2-1",
                icon_share=0.5,
                on_press=self.toggle_timer,
                enabled=has_camera,
            ),
            tool(
                "play",
                CHOSEN_COLOR if film.playing else theme.WHITE,
                image=play_icon(min(rects["play"].size), film.playing),
                on_press=self.toggle_play,
                enabled=bool(film.frames),
            ),
            tool(
                "onion",
                CHOSEN_COLOR if film.onion else theme.WHITE,
                icon="onion",
                label=str(film.onion) if film.onion else "",
                icon_share=0.55,
                on_press=self.cycle_onion,
            ),
            tool(
                "opacity",
                theme.WHITE,
                image=opacity_icon(m.px(60), film.onion_alpha),
                label=f"{round(film.onion_alpha * 100 / 255)} %",
                icon_share=0.55,
                on_press=self.cycle_opacity,
                enabled=film.onion > 0,
            ),
        ]
        for fps, icon in FPS_CHOICES:
            buttons.append(
                tool(
                    f"fps:{fps}",
                    CHOSEN_COLOR if fps == film.fps else theme.WHITE,
                    icon=icon,
                    label=str(fps),
                    icon_share=0.55,
                    on_press=partial(self.set_fps, fps),
                )
            )
        buttons.append(
            tool(
                "add-picture",
                theme.TILE_COLORS[4],
                icon="artist-palette",
                label=_("Pictures"),
                icon_share=0.5,
                on_press=self.open_picker,
                enabled=not film.full,
            )
        )
        buttons.append(
            tool(
                "save",
                theme.YES_COLOR,
                icon="check-mark-button",
                label=_("Save"),
                icon_share=0.5,
                on_press=self.save,
                enabled=bool(film.frames),
            )
        )
        return buttons

    def _strip_buttons(self) -> list[Button]:
        film = self.film
        action = self.ctx.ui.metrics.px(self.view.strip.look.action)
        has = film.selected is not None
        sel = film.selected if film.selected is not None else 0
        hold = film.frames[sel].hold if has else 1
        actions = [
            StripAction(
                "frame-move-left",
                has and sel > 0,
                partial(self.move, -1),
                image=arrow_icon(action, -1),
            ),
            StripAction(
                "frame-move-right",
                has and sel < len(film.frames) - 1,
                partial(self.move, 1),
                image=arrow_icon(action, 1),
            ),
            StripAction("frame-copy", has and not film.full, self.copy, image=copy_icon(action)),
            StripAction(
                "frame-hold",
                has,
                self.cycle_hold,
                icon="hourglass-not-done",
                color=theme.TILE_COLORS[6],
                label=f"×{hold}",
            ),
            StripAction(
                "frame-sound",
                has and not self.no_microphone,
                self.open_sound,
                icon="studio-microphone",
                color=CHOSEN_COLOR if has and film.frames[sel].sound else theme.WHITE,
            ),
            StripAction("frame-delete", has, self.delete, icon="wastebasket"),
        ]
        for item in actions:
            item.icon_share = 0.5
        return self.view.strip.buttons(
            len(film.frames), film.selected, self.select, self.scroll_strip, actions
        )

    # ----- a frame's sound -------------------------------------------------------------

    def open_sound(self) -> None:
        """The sound recorder for the chosen frame (the microphone is looked for once)."""
        if self.film.selected is None:
            return
        self.film.playing = False
        self.countdown.stop()
        self.recorder.stop_playing()
        if not self.recorder.find_microphone():
            # Said once, with a picture: the button then stays grey for this visit.
            self.no_microphone = True
            self.ctx.play_sound("try-again")
            self.note.show(
                self.ctx.gettext("No microphone here. Your film can still move!"),
                icon="studio-microphone",
            )
            self.refresh()
            return
        self.mode = "sound"
        self.refresh()

    def start_sound_countdown(self) -> None:
        if self.recorder.recording or self.countdown.running:
            return
        self.recorder.stop_playing()
        self.countdown.start(COUNTDOWN_S)
        self.refresh()

    def _start_sound(self) -> None:
        if self.mode != "sound" or self.film.selected is None:
            return
        if self.creation is None:
            # A film made without a creation store (never in the kiosk) has nowhere to keep it.
            self.ctx.play_sound("try-again")
            return
        if not self.recorder.start(self.creation, self.files.new_sound()):
            self.ctx.play_sound("try-again")
        self.refresh()

    def stop_sound(self) -> None:
        """The child's stop (or the longest sound reached): the frame gets the sound."""
        if not self.recorder.recording:
            self.countdown.stop()
            self.refresh()
            return
        kept = self.recorder.stop()
        if kept is None:
            self.ctx.play_sound("try-again")
        elif self.film.set_sound(*kept):
            self._changed()
        self.refresh()

    def play_sound(self) -> None:
        frame = self._chosen()
        self.recorder.play(self.creation, frame.sound if frame is not None else None)

    def delete_sound(self) -> None:
        self.recorder.stop_playing()
        if self.film.set_sound(None):
            self._changed()
        self.refresh()

    def close_sound(self) -> None:
        self.recorder.stop_playing()
        self.mode = "edit"
        self.refresh()

    def _chosen(self) -> Frame | None:
        film = self.film
        return film.frames[film.selected] if film.selected is not None else None

    def _sound_buttons(self) -> list[Button]:
        rects = self.view.sound_rects()
        busy = self.recorder.recording or self.countdown.running
        frame = self._chosen()
        has_sound = frame is not None and frame.sound is not None and not busy
        size = rects["play"].width
        return [
            Button(
                id="sound-stop" if busy else "sound-record",
                rect=rects["record"],
                color=theme.WHITE if busy else RECORDING_RED,
                icon="stop-sign" if busy else "studio-microphone",
                round=True,
                on_press=self.stop_sound if busy else self.start_sound_countdown,
            ),
            Button(
                id="sound-play",
                rect=rects["play"],
                color=theme.WHITE,
                image=play_icon(size, False),
                on_press=self.play_sound,
                enabled=has_sound and bool(pygame.mixer.get_init()),
            ),
            Button(
                id="sound-delete",
                rect=rects["delete"],
                color=theme.WHITE,
                icon="wastebasket",
                on_press=self.delete_sound,
                enabled=has_sound,
            ),
            Button(
                id="sound-done",
                rect=rects["done"],
                color=theme.YES_COLOR,
                icon="check-mark-button",
                label=self.ctx.gettext("Done"),
                icon_share=0.5,
                on_press=self.close_sound,
                enabled=not busy,
            ),
        ]

    # ----- picking pictures ------------------------------------------------------------

    def open_picker(self) -> None:
        self.film.playing = False
        self.mode = "pick"
        self.pick_page = 0
        self._items = pick_items(self.ctx, ":")
        self.refresh()

    def close_picker(self) -> None:
        self.mode = "edit"
        self.refresh()

    def turn_pick_page(self, step: int) -> None:
        pages = max(1, math.ceil(len(self._items) / PICKS_PER_PAGE))
        self.pick_page = (self.pick_page + step) % pages
        self.refresh()

    def _pick_buttons(self) -> list[Button]:
        start = self.pick_page * PICKS_PER_PAGE
        shown = self._items[start : start + PICKS_PER_PAGE]
        buttons = self.view.pick_buttons(shown, self.add_picture, enabled=not self.film.full)
        many = len(self._items) > PICKS_PER_PAGE
        buttons += self.view.pick_arrows(self.turn_pick_page, many)
        buttons.append(picker_leave_button(self.ctx, "pick-done", 100, False, self.close_picker))
        return buttons

    def add_picture(self, item: PickItem) -> None:
        frame = picked_picture(self.ctx, item, FRAME_SIZE)
        if frame is None:
            self.ctx.play_sound("try-again")
            return
        self._add_frame(frame)
        self.ctx.play_sound("good")
        self.refresh()

    # ----- actions ---------------------------------------------------------------------

    def press_capture(self) -> None:
        if self.camera is None or self.countdown.running:
            return
        self.film.playing = False
        if self.self_timer:
            self.countdown.start(COUNTDOWN_S)
            self.ctx.invalidate(self.stage)
        else:
            self.capture()

    def capture(self) -> None:
        """Take the camera's newest picture as a frame after the selected one."""
        picture = self._live
        if self.camera is not None:
            newest = self.camera.latest_frame()
            if newest is not None:
                picture = newest
        if picture is None or self.film.full:
            self.ctx.play_sound("try-again")
            return
        if picture.get_size() != FRAME_SIZE:
            picture = fit_onto(picture, FRAME_SIZE, (0, 0, 0))
        else:
            picture = picture.copy()
        self._add_frame(picture)
        self.flash = 1.0
        self.ctx.play_sound("flip")
        self.refresh()

    def _add_frame(self, picture: pygame.Surface) -> None:
        at = self.film.insert(self.files.add(picture))
        self.view.strip.keep_in_view(at)
        self._changed()

    def select(self, index: int) -> None:
        self.film.selected = index
        self.view.strip.keep_in_view(index)
        self.refresh()

    def scroll_strip(self, step: int) -> None:
        self.view.strip.scroll(step)
        self.refresh()

    def move(self, step: int) -> None:
        self.move_to(self.film.selected, (self.film.selected or 0) + step)

    def move_to(self, index: int | None, target: int) -> None:
        if self.film.move_to(index, target):
            self._edited()

    def copy(self) -> None:
        if self.film.copy():
            self._edited()

    def cycle_hold(self) -> None:
        if self.film.cycle_hold():
            self._changed()
            self.refresh()

    def delete(self) -> None:
        if self.film.delete():
            self._changed()
            self.refresh()

    def _edited(self) -> None:
        """The selection moved with an edit: keep it in view, then save soon."""
        assert self.film.selected is not None
        self.view.strip.keep_in_view(self.film.selected)
        self._changed()
        self.refresh()

    def toggle_timer(self) -> None:
        self.self_timer = not self.self_timer
        self.refresh()

    def toggle_play(self) -> None:
        self.film.toggle_play()
        self._play_frame_sound()
        self.refresh()

    def _play_frame_sound(self) -> None:
        """While the film plays, each frame's sound starts as the frame shows."""
        frame = self.film.playing_frame if self.film.playing else None
        if frame is not None and frame.sound:
            self.recorder.play(self.creation, frame.sound)
        elif not self.film.playing:
            self.recorder.stop_playing()

    def cycle_onion(self) -> None:
        self.film.cycle_onion()
        self.refresh()

    def cycle_opacity(self) -> None:
        self.film.cycle_opacity()
        self.view.forget_onion()
        self.refresh()

    def set_fps(self, fps: int) -> None:
        self.film.fps = fps
        self._changed()
        self.refresh()

    def save(self) -> None:
        """The child's Save: the film becomes a saved creation and the round is complete."""
        if not self.film.frames:
            return
        self.film.playing = False
        self.finish()

    def new_label(self) -> str:
        return self.ctx.gettext("New film")

    def start_new(self) -> None:
        fps, onion, alpha = self.film.fps, self.film.onion, self.film.onion_alpha
        self.film = Film(fps=fps, onion=onion, onion_alpha=alpha)
        self.files.reset()
        self.view.strip.first = 0
        self.view.forget_onion()
        self._dirty = False
        self.mode = "edit"
        self.ctx.start_round()
        self.refresh()

    # ----- storage ---------------------------------------------------------------------

    def _changed(self) -> None:
        self._dirty = True
        self.view.forget_onion()

    def _save(self, state: Literal["draft", "saved"]) -> None:
        """Queue the film for the writer thread: nothing here waits on the disk."""
        if self.creation is None:
            return
        self.files.save(
            self.film,
            state,
            new_thumb=state == "saved" or self._dirty,
            recording=self.recorder.recording_to,
        )
        self._dirty = False
        self._last_save = self.time

    # ----- input and time --------------------------------------------------------------

    def handle_event(self, event: InputEvent) -> bool:
        if self.mode == "edit" and isinstance(event, PointerEvent) and self._drag_event(event):
            return True
        if self.buttons.handle(event):
            return True
        if isinstance(event, KeyEvent) and self.mode == "edit":
            if event.key == pygame.K_c and self.camera is not None:
                self.press_capture()
                return True
            if event.key == pygame.K_DELETE:
                self.delete()
                return True
        return False

    def _drag_event(self, event: PointerEvent) -> bool:
        """Dragging a thumbnail along the strip moves that frame; a tap still selects."""
        m = self.ctx.ui.metrics
        if event.kind == "down":
            for button in self.buttons.buttons:
                if button.id.startswith("frame:") and button.contains(event.pos):
                    self._drag = {
                        "index": int(button.id.split(":")[1]) - 1,
                        "pointer": event.pointer,
                        "start": event.pos,
                        "pos": event.pos,
                        "active": False,
                    }
            return False
        drag = self._drag
        if drag is None or drag["pointer"] != event.pointer:
            return False
        if event.kind == "move":
            dx = event.pos[0] - drag["start"][0]
            dy = event.pos[1] - drag["start"][1]
            if not drag["active"] and math.hypot(dx, dy) >= m.px(DRAG_START_UNITS):
                drag["active"] = True
                # Cancel the thumbnail's press: letting go elsewhere must not select it.
                self.buttons.handle(PointerEvent("up", (-(10**6), -(10**6)), event.pointer))
            drag["pos"] = event.pos
            if drag["active"]:
                self.ctx.invalidate(self.strip_rect.inflate(0, m.px(120)))
            return bool(drag["active"])
        self._drag = None
        if not drag["active"]:
            return False
        self.ctx.invalidate(self.strip_rect.inflate(0, m.px(120)))
        self.move_to(drag["index"], self.view.strip.drop_index(event.pos[0], len(self.frames)))
        return True

    def update(self, dt: float) -> None:
        self.time += dt
        if self.camera is not None and self.mode == "edit" and not self.film.playing:
            self.follow_camera()
        self.note.update()
        if self.mode == "sound":
            self.tick_countdown(dt, self._start_sound, self.ctx.area)
            if self.recorder.recording:
                if self.recorder.seconds >= MAX_SOUND_S:
                    self.stop_sound()
                self.ctx.invalidate(self.view.column)
        else:
            self.tick_countdown(dt, self.capture, self.stage)
        if self.flash > 0:
            self.flash = max(0.0, self.flash - dt / 0.25)
            self.ctx.invalidate(self.stage)
        if self.film.advance_play(dt):
            self._play_frame_sound()
            self.ctx.invalidate(self.stage)
        if self._dirty and self.time - self._last_save >= AUTOSAVE_S:
            self._save("draft")

    # ----- drawing ---------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        draw_background(self.ctx, surface)
        view = self.view
        if self.mode == "pick":
            view.draw_picker(surface, self.film)
        elif self.mode == "saved":
            view.draw_saved(surface, self.film)
        else:
            # Recording a sound, the stage shows the chosen frame, not the camera.
            camera, live = (None, None) if self.mode == "sound" else (self.camera, self._live)
            view.draw_stage(
                surface, self.film, self.files, camera, live, self.countdown, self.flash
            )
            view.draw_strip(surface, self.film)
        if self.mode == "sound":
            recorder = self.recorder
            frame = self._chosen()
            seconds = recorder.seconds if recorder.recording else 0.0
            if not recorder.recording and frame is not None and frame.sound:
                seconds = frame.sound_seconds
            blink = recorder.recording and int(self.time * 2) % 2 == 0
            view.draw_sound_panel(surface, recorder.level, seconds, blink)
        self.buttons.draw(surface)
        if self.mode == "edit":
            view.draw_strip_marks(surface, self.film, self.buttons.buttons, self._drag)
        self.note.draw(surface)
