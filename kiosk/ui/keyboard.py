"""A big-key on-screen keyboard for children, with the Latvian and Lithuanian letters.

`OnScreenKeyboard` edits one line of text. Its keys are ordinary `Button`s in a
`ButtonGroup` (`keyboard.keys`), so they answer touch, mouse and the arrow/Tab/Enter
keyboard navigation like every other button, and tests find them as ``key:<letter>``,
``key:shift``, ``key:space``, ``key:backspace`` and ``key:enter``.

The physical keyboard types into the same text: a key press with a printable character
(`KeyEvent.unicode`), or a text event (`KeyEvent` with ``key == 0``, as typed text from
SDL's TEXTINPUT arrives) — the same character twice in a row from both is counted once.

The owner decides how much text fits: `accept(text) -> bool` is asked before every change
(measure the text with `TextRenderer`, never count characters), and a refused letter gives
the "try again" sound instead."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pygame

from kiosk.input import InputEvent, KeyEvent, PointerEvent
from kiosk.ui import draw
from kiosk.ui.theme import WHITE, Color, lighten
from kiosk.ui.widgets import UI, Button, ButtonGroup

#: The letter rows per language: the language's own letters on top, then QWERTY
#: (the layout every library PC has, so a child finds the same key in the same place).
_QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
LAYOUTS: dict[str, list[str]] = {
    "lv": ["āčēģīķļņšūž", *_QWERTY],
    "lt": ["ąčęėįšųūž", *_QWERTY],
    "en": ["1234567890", *_QWERTY],
}
#: Punctuation beside the space bar, the same in every language.
PUNCTUATION = ".,!?"

LETTER_COLOR: Color = WHITE
SPECIAL_COLOR: Color = (255, 213, 79)
SHIFT_ON_COLOR: Color = (129, 199, 132)
ENTER_COLOR: Color = (102, 187, 106)
PANEL_COLOR: Color = lighten((100, 181, 246), 0.55)


def rows_for(lang: str) -> list[str]:
    """The letter rows of `lang`'s layout (English for an unknown language)."""
    return LAYOUTS.get(lang, LAYOUTS["en"])


class OnScreenKeyboard:
    def __init__(
        self,
        ui: UI,
        lang: str,
        on_change: Callable[[pygame.Rect], None],
        labels: dict[str, str],
        accept: Callable[[str], bool] | None = None,
        on_text: Callable[[str], None] | None = None,
        on_enter: Callable[[], None] | None = None,
    ) -> None:
        """`labels` holds the translated words for the special keys: "space", "enter"
        (the caller passes them through gettext). `on_text` hears every accepted change."""
        self.ui = ui
        self.lang = lang
        self.labels = labels
        self.accept = accept
        self.on_text = on_text
        self.on_enter = on_enter
        self.text = ""
        self.shift = False
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.visible = True
        self._on_change = on_change
        self.keys = ButtonGroup(ui, on_change)
        #: The last character typed through a key press, to drop its TEXTINPUT twin.
        self._last_typed: str | None = None
        self.refused = 0

    # ----- layout --------------------------------------------------------------------

    def set_language(self, lang: str, labels: dict[str, str]) -> None:
        self.lang = lang
        self.labels = labels
        if self.rect.width:
            self.layout(self.rect)

    def layout(self, rect: pygame.Rect) -> None:
        """Lay the keys out inside `rect`: five rows, square-ish letter keys as large as
        the box allows, rows centred."""
        self.rect = pygame.Rect(rect)
        m = self.ui.metrics
        rows = rows_for(self.lang)
        widest = max(len(r) for r in rows)
        pad = m.px(12)
        gap = m.px(10)
        inner = rect.inflate(-2 * pad, -2 * pad)
        n_rows = len(rows) + 1
        key_h = (inner.height - (n_rows - 1) * gap) // n_rows
        # The bottom row (3 wide keys of 1.6, 4 marks, a space bar of at least 3) must fit too.
        bottom_w = int(
            (inner.width - (len(PUNCTUATION) + 4) * gap) / (3 * 1.6 + len(PUNCTUATION) + 3)
        )
        key_w = min((inner.width - (widest - 1) * gap) // widest, int(key_h * 1.5), bottom_w)
        buttons: list[Button] = []
        top = inner.top + (inner.height - (n_rows * key_h + (n_rows - 1) * gap)) // 2
        for r, letters in enumerate(rows):
            width = len(letters) * key_w + (len(letters) - 1) * gap
            x = inner.centerx - width // 2
            y = top + r * (key_h + gap)
            for letter in letters:
                buttons.append(
                    Button(
                        id=f"key:{letter}",
                        rect=pygame.Rect(x, y, key_w, key_h),
                        color=LETTER_COLOR,
                        label=self._shown(letter),
                        on_press=partial(self._tap, letter),
                    )
                )
                x += key_w + gap
        # The bottom row: shift, punctuation, a wide space bar, backspace, enter.
        y = top + len(rows) * (key_h + gap)
        special_w = int(key_w * 1.6)
        specials_w = 3 * special_w + len(PUNCTUATION) * key_w
        space_w = max(key_w * 3, inner.width - specials_w - (len(PUNCTUATION) + 4) * gap)
        space_w = min(space_w, key_w * 5)
        row_w = specials_w + space_w + (len(PUNCTUATION) + 4) * gap
        x = inner.centerx - row_w // 2
        shift = Button(
            id="key:shift",
            rect=pygame.Rect(x, y, special_w, key_h),
            color=SHIFT_ON_COLOR if self.shift else SPECIAL_COLOR,
            label="↑",
            on_press=self.toggle_shift,
        )
        buttons.append(shift)
        x += special_w + gap
        for mark in PUNCTUATION[:2]:
            buttons.append(self._char_key(mark, x, y, key_w, key_h))
            x += key_w + gap
        buttons.append(
            Button(
                id="key:space",
                rect=pygame.Rect(x, y, space_w, key_h),
                color=LETTER_COLOR,
                label=self.labels.get("space", ""),
                on_press=partial(self._tap, " "),
            )
        )
        x += space_w + gap
        for mark in PUNCTUATION[2:]:
            buttons.append(self._char_key(mark, x, y, key_w, key_h))
            x += key_w + gap
        buttons.append(
            Button(
                id="key:backspace",
                rect=pygame.Rect(x, y, special_w, key_h),
                color=SPECIAL_COLOR,
                label="←",
                on_press=self.backspace,
            )
        )
        x += special_w + gap
        buttons.append(
            Button(
                id="key:enter",
                rect=pygame.Rect(x, y, special_w, key_h),
                color=ENTER_COLOR,
                icon="check-mark-button",
                on_press=self.enter,
            )
        )
        self.keys.set_buttons(buttons)
        self._on_change(self.rect)

    def _char_key(self, mark: str, x: int, y: int, w: int, h: int) -> Button:
        return Button(
            id=f"key:{mark}",
            rect=pygame.Rect(x, y, w, h),
            color=LETTER_COLOR,
            label=mark,
            on_press=partial(self._tap, mark),
        )

    def _shown(self, letter: str) -> str:
        return letter.upper() if self.shift else letter

    # ----- editing -------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        self.text = text
        self._last_typed = None

    def type(self, chars: str) -> bool:
        """Add `chars` (shift applies to one letter, then lets go); False when the owner
        refuses it (it would not fit)."""
        if self.shift and chars.isalpha():
            chars = chars.upper()
            self.toggle_shift()
        candidate = self.text + chars
        if self.accept is not None and not self.accept(candidate):
            self.refused += 1
            self.ui.sounds.play("try-again")
            return False
        self._set(candidate)
        return True

    def _tap(self, chars: str) -> None:
        self.type(chars)

    def backspace(self) -> None:
        if self.text:
            self._set(self.text[:-1])

    def enter(self) -> None:
        if self.on_enter is not None:
            self.on_enter()

    def toggle_shift(self) -> None:
        self.shift = not self.shift
        for button in self.keys.buttons:
            letter = button.id.removeprefix("key:")
            if len(letter) == 1 and letter.isalpha():
                button.set_label(self._shown(letter))
            elif button.id == "key:shift":
                button.color = SHIFT_ON_COLOR if self.shift else SPECIAL_COLOR
                button._looks.clear()
        self._on_change(self.rect)

    def _set(self, text: str) -> None:
        self.text = text
        if self.on_text is not None:
            self.on_text(text)

    # ----- input ---------------------------------------------------------------------

    def handle(self, event: InputEvent) -> bool:
        if isinstance(event, PointerEvent):
            if not self.visible:
                return False
            return self.keys.handle(event) or (
                event.kind == "down" and self.rect.collidepoint(event.pos)
            )
        return self._handle_key(event)

    def _handle_key(self, event: KeyEvent) -> bool:
        if event.key == 0:
            # Typed text (TEXTINPUT): skip the twin of the character just typed.
            text, twin = event.unicode, self._last_typed
            self._last_typed = None
            if text and text != twin:
                for char in text:
                    if char.isprintable():
                        self._type_exact(char)
            return bool(text)
        self._last_typed = None
        if event.key == pygame.K_BACKSPACE:
            self.backspace()
            return True
        focused = self.keys.focused if self.visible else None
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if focused is not None:
                return self.keys.handle(event)
            self.enter()
            return True
        if event.key == pygame.K_SPACE and focused is not None:
            return self.keys.handle(event)
        char = event.unicode
        control = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if len(char) == 1 and char.isprintable() and not control:
            self._type_exact(char)
            self._last_typed = char
            return True
        if self.visible and event.key in (
            pygame.K_TAB,
            pygame.K_LEFT,
            pygame.K_RIGHT,
            pygame.K_UP,
            pygame.K_DOWN,
        ):
            return self.keys.handle(event)
        return False

    def _type_exact(self, char: str) -> None:
        """A character from the physical keyboard: shift was the child's own."""
        candidate = self.text + char
        if self.accept is not None and not self.accept(candidate):
            self.refused += 1
            self.ui.sounds.play("try-again")
            return
        self._set(candidate)

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        if not self.visible or not self.rect.width:
            return
        m = self.ui.metrics
        panel = draw.rounded_card(self.rect.size, m.px(24), PANEL_COLOR, m.px(3), WHITE)
        surface.blit(panel, self.rect)
        self.keys.draw(surface)
