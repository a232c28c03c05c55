"""Big friendly buttons and the group that drives them by pointer and keyboard.

A `Button` is a picture and/or a label on a rounded card (or a circle). A `ButtonGroup`
gives a set of buttons press feedback, activation on release over the same button (so a
finger sliding off cancels), a visible focus ring, and keyboard control: arrows move to
the nearest button in that direction, Tab/Shift+Tab cycle, Enter or Space activate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import pygame

from kiosk.input import InputEvent, KeyEvent, PointerEvent
from kiosk.ui import draw
from kiosk.ui.images import ImageCache
from kiosk.ui.text import TextRenderer
from kiosk.ui.theme import FOCUS, INK, WHITE, Color, Metrics

if TYPE_CHECKING:
    from kiosk.voice.service import VoiceService


class Sounds(Protocol):
    """What widgets need from the sound service (`kiosk.sound.SoundService` provides it)."""

    def play(self, name: str) -> None: ...


@dataclass
class UI:
    """The drawing kit handed to scenes and activities."""

    metrics: Metrics
    text: TextRenderer
    images: ImageCache
    sounds: Sounds
    #: Reading texts aloud (set by the shell; None in tests that build a bare UI).
    voice: VoiceService | None = None
    #: (text, lang) last asked of the voice through `speak`: a speaker button pressed
    #: again while its own text is being read stops it.
    said: tuple[str, str] | None = None


@dataclass(eq=False)
class Button:
    id: str
    rect: pygame.Rect
    color: Color
    label: str = ""
    icon: str | None = None
    #: A picture drawn by the caller, used like `icon` (scaled to fit, aspect kept).
    image: pygame.Surface | None = None
    on_press: Callable[[], None] | None = None
    round: bool = False
    #: Share of the card's height the picture takes when there is also a label.
    icon_share: float = 0.62
    label_color: Color = INK
    enabled: bool = True
    #: Whether Tab and the arrow keys stop on it (speaker buttons are for the pointer:
    #: they would sit in the way of the keys' path through a screen).
    focusable: bool = True
    #: False for the corner's Home / Bye button: the first arrow, Tab or d-pad press on a
    #: screen starts on the screen's own buttons, never on the way out of it.
    starts_focus: bool = True
    pressed: bool = field(default=False, init=False)
    #: Shadow and face composed once per state (resting, pressed): one blit a frame.
    _looks: dict[bool, pygame.Surface] = field(default_factory=dict, init=False, repr=False)

    def contains(self, pos: tuple[int, int]) -> bool:
        if not self.round:
            return self.rect.collidepoint(pos)
        cx, cy = self.rect.center
        r = self.rect.width / 2
        return (pos[0] - cx) ** 2 + (pos[1] - cy) ** 2 <= r * r

    def set_label(self, label: str) -> None:
        if label != self.label:
            self.label = label
            self._looks.clear()

    def _picture(self, ui: UI, size: int) -> pygame.Surface:
        if self.image is None:
            return ui.images.emoji(self.icon or "", size)
        w, h = self.image.get_size()
        scale = size / max(w, h, 1)
        return pygame.transform.smoothscale(
            self.image, (max(1, round(w * scale)), max(1, round(h * scale)))
        )

    def _render_face(self, ui: UI) -> pygame.Surface:
        w, h = self.rect.size
        m = ui.metrics
        radius = h // 2 if self.round else m.px(28)
        border = m.px(4)
        face = draw.rounded_card((w, h), radius, self.color, border, WHITE).copy()
        pad = m.px(12) if not self.round else max(2, h // 7)
        inner = pygame.Rect(pad, pad, w - 2 * pad, h - 2 * pad)
        has_picture = bool(self.icon) or self.image is not None
        if has_picture and self.label:
            icon_h = int(inner.height * self.icon_share)
            picture = self._picture(ui, icon_h)
            gap = m.px(8)
            label_box = (inner.width, inner.height - icon_h - gap)
            text = ui.text.fit(
                self.label,
                label_box,
                m.font_size("body"),
                self.label_color,
                weight="bold",
                max_lines=2,
            )
            # Picture and label as one block, centred: no gap opens under a short label.
            block = picture.get_height() + gap + text.get_height()
            top = inner.top + (inner.height - block) // 2
            face.blit(picture, picture.get_rect(midtop=(w // 2, top)))
            face.blit(text, text.get_rect(midtop=(w // 2, top + picture.get_height() + gap)))
        elif has_picture:
            picture = self._picture(ui, min(inner.width, inner.height))
            face.blit(picture, picture.get_rect(center=(w // 2, h // 2)))
        elif self.label:
            text = ui.text.fit(
                self.label,
                inner.size,
                m.font_size("heading"),
                self.label_color,
                weight="bold",
                max_lines=2,
            )
            face.blit(text, text.get_rect(center=(w // 2, h // 2)))
        if not self.enabled:
            face.fill((255, 255, 255, 140), special_flags=pygame.BLEND_RGBA_MULT)
        return face

    def _look(self, ui: UI, pressed: bool) -> pygame.Surface:
        """The button with its shadow, `_margin(ui)` larger than `rect` on every side."""
        look = self._looks.get(pressed)
        if look is not None:
            return look
        m = ui.metrics
        w, h = self.rect.size
        radius = h // 2 if self.round else m.px(28)
        blur = m.px(10)
        margin = self._margin(ui)
        look = pygame.Surface((w + 2 * margin, h + 2 * margin), pygame.SRCALPHA)
        shade = draw.shadow((w, h), radius, blur, alpha=60 if pressed else 85)
        look.blit(shade, (margin - blur, margin - blur + m.px(6)))
        face = self._render_face(ui)
        # A pressed button sinks onto its shadow: the child sees the touch land.
        look.blit(face, (margin, margin + (m.px(4) if pressed else 0)))
        self._looks[pressed] = look
        return look

    def _margin(self, ui: UI) -> int:
        return ui.metrics.px(10) + ui.metrics.px(6)

    def draw(self, surface: pygame.Surface, ui: UI, focused: bool = False) -> None:
        margin = self._margin(ui)
        surface.blit(self._look(ui, self.pressed), (self.rect.x - margin, self.rect.y - margin))
        m = ui.metrics
        if focused:
            ring = m.px(6)
            outline = self.rect.inflate(2 * ring + m.px(4), 2 * ring + m.px(4))
            pygame.draw.rect(
                surface,
                FOCUS,
                outline,
                width=ring,
                border_radius=outline.height // 2 if self.round else m.px(34),
            )

    def dirty_rect(self, ui: UI) -> pygame.Rect:
        """Everything this button may paint: shadow, press offset and focus ring."""
        pad = ui.metrics.px(24)
        return self.rect.inflate(2 * pad, 2 * pad)


class ButtonGroup:
    """Pointer and keyboard handling for a screen's buttons.

    `on_change` is called with the rectangles that need repainting (press, release,
    focus moves), so scenes redraw only those."""

    def __init__(self, ui: UI, on_change: Callable[[pygame.Rect], None]) -> None:
        self.ui = ui
        self.buttons: list[Button] = []
        self.focus_index: int | None = None
        self._on_change = on_change
        self._pressed: dict[int, Button] = {}

    def set_buttons(self, buttons: Sequence[Button]) -> None:
        focused = self.focused
        self.buttons = list(buttons)
        self._pressed.clear()
        self.focus_index = None
        if focused is not None:
            for i, button in enumerate(self.buttons):
                if button.id == focused.id:
                    self.focus_index = i

    @property
    def focused(self) -> Button | None:
        if self.focus_index is None or self.focus_index >= len(self.buttons):
            return None
        return self.buttons[self.focus_index]

    def by_id(self, button_id: str) -> Button:
        for button in self.buttons:
            if button.id == button_id:
                return button
        raise KeyError(button_id)

    def button_at(self, pos: tuple[int, int]) -> Button | None:
        for button in reversed(self.buttons):
            if button.enabled and button.contains(pos):
                return button
        return None

    def draw(self, surface: pygame.Surface) -> None:
        focused = self.focused
        for button in self.buttons:
            button.draw(surface, self.ui, focused=button is focused)

    def _changed(self, button: Button) -> None:
        self._on_change(button.dirty_rect(self.ui))

    def _activate(self, button: Button) -> None:
        self.ui.sounds.play("tap")
        if button.on_press is not None:
            button.on_press()

    def handle(self, event: InputEvent) -> bool:
        if isinstance(event, PointerEvent):
            return self._handle_pointer(event)
        return self._handle_key(event)

    def _handle_pointer(self, event: PointerEvent) -> bool:
        if event.kind == "down":
            button = self.button_at(event.pos)
            if button is None:
                return False
            self._pressed[event.pointer] = button
            button.pressed = True
            self._changed(button)
            return True
        if event.kind == "move":
            button = self._pressed.get(event.pointer)
            if button is not None and button.pressed != button.contains(event.pos):
                button.pressed = button.contains(event.pos)
                self._changed(button)
            return button is not None
        button = self._pressed.pop(event.pointer, None)
        if button is None:
            return False
        button.pressed = False
        self._changed(button)
        if button.contains(event.pos) and button in self.buttons:
            self._activate(button)
        return True

    def _handle_key(self, event: KeyEvent) -> bool:
        if not self._enabled_indices():
            return False
        key = event.key
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            button = self.focused
            if button is None or not button.enabled:
                return False
            self._activate(button)
            return True
        if key == pygame.K_TAB:
            step = -1 if event.mod & pygame.KMOD_SHIFT else 1
            self._move_focus_linear(step)
            return True
        directions = {
            pygame.K_LEFT: (-1, 0),
            pygame.K_RIGHT: (1, 0),
            pygame.K_UP: (0, -1),
            pygame.K_DOWN: (0, 1),
        }
        if key in directions:
            self._move_focus_spatial(directions[key])
            return True
        return False

    def _set_focus(self, index: int | None) -> None:
        old = self.focused
        self.focus_index = index
        if old is not None:
            self._changed(old)
        if self.focused is not None:
            self._changed(self.focused)

    def _enabled_indices(self) -> list[int]:
        return [i for i, b in enumerate(self.buttons) if b.enabled and b.focusable]

    def _first_focus(self, indices: list[int]) -> int:
        return next((i for i in indices if self.buttons[i].starts_focus), indices[0])

    def _move_focus_linear(self, step: int) -> None:
        indices = self._enabled_indices()
        if not indices:
            return
        if self.focus_index not in indices:
            self._set_focus(self._first_focus(indices) if step > 0 else indices[-1])
            return
        position = indices.index(self.focus_index)
        self._set_focus(indices[(position + step) % len(indices)])

    def _move_focus_spatial(self, direction: tuple[int, int]) -> None:
        indices = self._enabled_indices()
        if not indices:
            return
        current = self.focused
        if current is None:
            self._set_focus(self._first_focus(indices))
            return
        cx, cy = current.rect.center
        dx, dy = direction
        best: tuple[float, int] | None = None
        for i in indices:
            if i == self.focus_index:
                continue
            bx, by = self.buttons[i].rect.center
            along = (bx - cx) * dx + (by - cy) * dy
            if along <= 0:
                continue
            across = abs((bx - cx) * dy) + abs((by - cy) * dx)
            score = along + 2.5 * across
            if best is None or score < best[0]:
                best = (score, i)
        if best is not None:
            self._set_focus(best[1])


#: The picture on speaker buttons (assets/emoji).
SPEAKER_ICON = "speaker-high-volume"
#: A speaker button's diameter in layout units, and its gap to the text it reads.
SPEAKER_SIZE = 72
SPEAKER_GAP = 16


def speak(ui: UI, text: str, lang: str) -> None:
    """Read `text` aloud in `lang` (replacing what is being said); returns at once."""
    if ui.voice is not None and text.strip():
        ui.said = (text, lang)
        ui.voice.say(text, lang)


def toggle_speech(ui: UI, text: str, lang: str) -> None:
    """A speaker button's press: read `text`, or stop when it is the text being read."""
    voice = ui.voice
    if voice is None:
        return
    if voice.speaking and ui.said == (text, lang):
        voice.stop()
        ui.said = None
    else:
        speak(ui, text, lang)


def can_speak(ui: UI) -> bool:
    """Whether anything would be heard: a sound device, with sound and speech on."""
    return ui.voice is not None and ui.voice.available


def speaker_button(
    ui: UI, button_id: str, center: tuple[int, int], text: str, lang: str, size: int = 0
) -> Button | None:
    """The small round speaker button placed next to a text a child must understand: a
    press reads `text` in `lang`, a second press while it is being read stops it. None
    where nothing could be heard (no sound device, sound or speech off), so no silent
    button is shown; the caller keeps the room free either way."""
    if not can_speak(ui) or not text.strip():
        return None
    d = size or ui.metrics.px(SPEAKER_SIZE)
    rect = pygame.Rect(0, 0, d, d)
    rect.center = center
    return Button(
        id=button_id,
        rect=rect,
        color=WHITE,
        icon=SPEAKER_ICON,
        round=True,
        on_press=lambda: toggle_speech(ui, text, lang),
        focusable=False,
    )


def left_of(ui: UI, text_rect: pygame.Rect) -> tuple[int, int]:
    """Where a speaker button's centre goes to sit just left of a shown text."""
    m = ui.metrics
    return (text_rect.left - m.px(SPEAKER_GAP) - m.px(SPEAKER_SIZE) // 2, text_rect.centery)
