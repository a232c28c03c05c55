"""Showtime: the films and stories the children made today, on the big screen, one after
another.

The librarian opens it from the panel. It plays the creations made in the group session
that runs now (the shell's creation store remembers them in memory); without a group, or
when the group made none, everything saved today (the site's own day). Oldest first, each
one after a title card ("A story: Our house", "A film", and when it was made), its
pictures fullscreen for their seconds, with their sound — a film frame's sound, a story's
narration (each shot's ``audio``) — played to the end before the next picture comes.

A tap, Enter or a pad's A/X pauses and shows the buttons (back, play, next, done); the
right and left arrows (d-pad) skip to the next or the previous one; Escape or B ends it.
Everything is read from the station's own creation folders: nothing leaves the PC."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pygame

from kiosk import routes
from kiosk.creations import Creation
from kiosk.creations.folder import STATES, safe_relative
from kiosk.input import InputEvent, KeyEvent, PointerEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui.theme import WHITE, YES_COLOR
from kiosk.ui.widgets import Button, ButtonGroup

log = logging.getLogger(__name__)

#: How long each creation's title card shows.
TITLE_S = 3.0
BLACK = (0, 0, 0)
CARD_COLOR = (38, 30, 60)


@dataclass(frozen=True)
class ShowShot:
    image: Path
    seconds: float
    audio: Path | None


@dataclass(frozen=True)
class ShowItem:
    """One creation as Showtime plays it."""

    creation_id: str
    kind: str
    #: The story's first title (what the child typed); "" when it has none (films).
    title: str
    made_at: str
    shots: list[ShowShot]


def programme(shell: Shell, creation_id: str | None = None) -> list[ShowItem]:
    """What Showtime plays: the creation `creation_id` alone when given, else the running
    group's films and stories, else today's; oldest first. Creations that cannot be read
    are left out (with a log line)."""
    store = shell.services.creations
    if store is None:
        return []
    # The tools' last pictures and sounds may still be on their way to the disk.
    store.flush(timeout=10)
    zone = ZoneInfo(shell.services.config.site.timezone)
    chosen: list[Creation] = []
    session = shell.sessions.current
    if creation_id is not None:
        chosen = [c for c in store.list(states=STATES) if c.id == creation_id]
    elif session is not None and session.kind == "group" and store.session == session.session_id:
        chosen = list(reversed(store.in_session(states=STATES)))  # in the order made
    if not chosen and creation_id is None:
        today = shell.wall_now().astimezone(zone).date()
        saved = [c for c in store.list() if c.created.astimezone(zone).date() == today]
        chosen = sorted(saved, key=lambda c: (c.created, c.id))
    items = []
    for creation in chosen:
        if creation.kind not in ("film", "story"):
            continue
        try:
            item = _item(creation, zone)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("showtime leaves out creation %s: %s", creation.id, exc)
            continue
        if item.shots:
            items.append(item)
    return items


def _item(creation: Creation, zone: ZoneInfo) -> ShowItem:
    shots = []
    for entry in creation.timeline:
        image = creation.folder / safe_relative(entry["image"])
        audio_rel = entry.get("audio")
        audio = creation.folder / safe_relative(audio_rel) if audio_rel else None
        seconds = float(entry["seconds"])
        if image.is_file() and 0 < seconds <= 3600:
            shots.append(ShowShot(image, seconds, audio if audio and audio.is_file() else None))
    title = ""
    slides: Any = creation.data.get("slides")
    if creation.kind == "story" and isinstance(slides, list):
        title = next(
            (str(s.get("title")) for s in slides if isinstance(s, dict) and s.get("title")), ""
        )
    made = creation.created.astimezone(zone).strftime("%H:%M")
    return ShowItem(creation.id, creation.kind, title, made, shots)


class Showtime(Scene):
    #: The show runs without anyone touching it: never "Are you still there?".
    in_session = False

    def __init__(self, shell: Shell, creation_id: str | None = None) -> None:
        super().__init__(shell)
        #: Set when the librarian's review opened the show for one creation.
        self.only = creation_id
        self.items = programme(shell, creation_id)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        #: Which creation, and which of its shots; -1 is its title card.
        self.index = 0
        self.shot = -1
        self.elapsed = 0.0
        self.paused = False
        self.finished = not self.items
        #: The ids of the creations whose pictures were shown, in order (tests, log).
        self.played: list[str] = []
        self._picture: pygame.Surface | None = None
        self._channel: Any = None

    # ----- lifecycle ---------------------------------------------------------------------

    def on_enter(self) -> None:
        super().on_enter()
        if self.ui.voice is not None:
            self.ui.voice.stop()
        log.info("showtime: %d creations", len(self.items))

    def on_exit(self) -> None:
        self._stop_sound()

    def on_pause(self) -> None:
        self._set_paused(True)

    @property
    def frame_rate(self) -> int:
        return 0 if (self.paused or self.finished) else 30

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        bw, bh, gap = m.px(220), m.px(100), m.px(24)
        specs: list[tuple[str, str, Any]] = []
        if self.finished:
            specs = [
                ("again", self._("Watch again"), self._again),
                ("done", self._("Done"), self._done),
            ]
        elif self.paused:
            specs = [
                ("previous", self._("Previous"), self._previous),
                ("play", self._("Go on"), self._resume),
                ("next", self._("Next"), self._next),
                ("done", self._("Done"), self._done),
            ]
        total = len(specs) * bw + (len(specs) - 1) * gap
        x = (w - total) // 2
        buttons = []
        for i, (key, label, action) in enumerate(specs):
            rect = pygame.Rect(x + i * (bw + gap), h - bh - m.margin, bw, bh)
            buttons.append(
                Button(
                    f"show:{key}",
                    rect,
                    YES_COLOR if key in ("play", "again") else WHITE,
                    label=label,
                    on_press=action,
                )
            )
        self.buttons.set_buttons(buttons)
        self._picture = None

    # ----- playing -----------------------------------------------------------------------

    @property
    def item(self) -> ShowItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def update(self, dt: float) -> None:
        item = self.item
        if self.paused or self.finished or item is None:
            return
        self.elapsed += dt
        if self.shot < 0:
            if self.elapsed >= TITLE_S:
                self._show_shot(0)
            return
        shot = item.shots[self.shot]
        # A picture stays until its seconds are over and its sound has been heard.
        if self.elapsed >= shot.seconds and not self._sound_playing():
            if self.shot + 1 < len(item.shots):
                self._show_shot(self.shot + 1)
            else:
                self._go_to(self.index + 1)

    def _show_shot(self, index: int) -> None:
        item = self.item
        assert item is not None
        self.shot, self.elapsed = index, 0.0
        if index == 0:
            self.played.append(item.creation_id)
        self._picture = None
        self._stop_sound()
        audio = item.shots[index].audio
        if audio is not None:
            self._play(audio)
        self.shell.invalidate()

    def _go_to(self, index: int) -> None:
        self._stop_sound()
        if index >= len(self.items):
            self.finished = True
            self.paused = False
            self.layout()
        else:
            self.index, self.shot, self.elapsed = max(0, index), -1, 0.0
            self._picture = None
        self.shell.invalidate()

    def _play(self, path: Path) -> None:
        sounds = self.ui.sounds
        if not pygame.mixer.get_init() or getattr(sounds, "muted", False):
            return
        try:
            sound = pygame.mixer.Sound(str(path))
            sound.set_volume(float(getattr(sounds, "volume", 1.0)))
            self._channel = sound.play()
        except pygame.error as exc:
            log.warning("showtime cannot play %s: %s", path, exc)
            self._channel = None

    def _sound_playing(self) -> bool:
        return self._channel is not None and bool(self._channel.get_busy())

    def _stop_sound(self) -> None:
        if self._channel is not None:
            self._channel.stop()
            self._channel = None

    def _set_paused(self, paused: bool) -> None:
        if self.finished or paused == self.paused:
            return
        self.paused = paused
        if self._channel is not None:
            if paused:
                self._channel.pause()
            else:
                self._channel.unpause()
        self.layout()
        self.shell.invalidate()

    # ----- what the buttons, keys and pads do --------------------------------------------

    def _resume(self) -> None:
        self._set_paused(False)

    def _next(self) -> None:
        self._go_to(self.index + 1)
        self._set_paused(False)

    def _previous(self) -> None:
        self._go_to(self.index - 1 if self.shot < 0 else self.index)
        self._set_paused(False)

    def _again(self) -> None:
        self.finished = False
        self.played.clear()
        self._go_to(0)
        self.layout()

    def _done(self) -> None:
        self._stop_sound()
        if self.only is not None:
            self.shell.pop(self)
            return
        session = self.shell.sessions.current
        if session is not None and session.kind == "group":
            self.shell.session.group_home()
        elif session is not None:
            self.shell.go(routes.Launcher())
        else:
            self.shell.go(routes.Attract())

    def handle_event(self, event: InputEvent) -> bool:
        # The buttons are for taps; keys and pads have their own meaning here (below).
        if isinstance(event, PointerEvent) and self.buttons.handle(event):
            return True
        if isinstance(event, PointerEvent):
            if event.kind == "up" and not self.finished:
                self._set_paused(not self.paused)
            return True
        if not isinstance(event, KeyEvent):
            return True
        key = event.key
        if key == pygame.K_ESCAPE:
            self._done()
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            if self.finished:
                self._again()
            else:
                self._set_paused(not self.paused)
        elif key == pygame.K_RIGHT and not self.finished:
            self._next()
        elif key == pygame.K_LEFT and not self.finished:
            self._previous()
        return True

    # ----- drawing -----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, h = self.size
        item = self.item
        if self.finished or item is None:
            surface.fill(CARD_COLOR)
            text = (
                self._("That's all! Well done, everyone.")
                if self.items
                else self._("No films or stories were made today.")
            )
            self._centre_text(surface, text, m.font_size("huge"), int(h * 0.4))
        elif self.shot < 0:
            surface.fill(CARD_COLOR)
            icon = self.ui.images.emoji(
                "video-camera" if item.kind == "film" else "open-book", m.px(160)
            )
            surface.blit(icon, icon.get_rect(center=(w // 2, int(h * 0.25))))
            self._centre_text(surface, self.title_of(item), m.font_size("huge"), int(h * 0.5))
            made = self._("Made at %(time)s") % {"time": item.made_at}
            self._centre_text(surface, made, m.font_size("heading"), int(h * 0.68))
        else:
            surface.fill(BLACK)
            picture = self._fitted_picture(item.shots[self.shot].image)
            if picture is not None:
                surface.blit(picture, picture.get_rect(center=(w // 2, h // 2)))
        if self.paused and item is not None and not self.finished:
            # Which one is paused, over its picture.
            band = pygame.Rect(0, 0, w, m.px(110))
            veil = pygame.Surface(band.size, pygame.SRCALPHA)
            veil.fill((*CARD_COLOR, 200))
            surface.blit(veil, band)
            self._centre_text(surface, self.title_of(item), m.font_size("heading"), band.centery)
        if self.paused or self.finished:
            self.buttons.draw(surface)

    def title_of(self, item: ShowItem) -> str:
        """The title card's headline."""
        if item.kind == "film":
            return self._("A film")
        if item.title:
            return self._("A story: %(title)s") % {"title": item.title}
        return self._("A story")

    def _centre_text(self, surface: pygame.Surface, text: str, size: int, y: int) -> None:
        m = self.ui.metrics
        rendered = self.ui.text.fit(
            text,
            (self.size[0] - 2 * m.margin, min(m.px(220), size * 3)),
            size,
            WHITE,
            weight="bold",
        )
        surface.blit(rendered, rendered.get_rect(center=(self.size[0] // 2, y)))

    def _fitted_picture(self, path: Path) -> pygame.Surface | None:
        if self._picture is None:
            try:
                picture = pygame.image.load(str(path)).convert()
            except (pygame.error, OSError) as exc:
                log.warning("showtime cannot show %s: %s", path, exc)
                return None
            w, h = self.size
            scale = min(w / picture.get_width(), h / picture.get_height())
            size = (
                max(1, round(picture.get_width() * scale)),
                max(1, round(picture.get_height() * scale)),
            )
            self._picture = pygame.transform.smoothscale(picture, size)
        return self._picture
