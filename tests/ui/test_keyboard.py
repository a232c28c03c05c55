"""The on-screen keyboard: its letters per language, shift, backspace, the PC's keyboard
typing into it, measured refusals, and keys that fit from a PC screen to a 4K board."""

from __future__ import annotations

import pygame
import pytest

from kiosk.harness import Harness
from kiosk.i18n import LANGUAGES
from kiosk.input import KeyEvent, PointerEvent
from kiosk.ui.keyboard import OnScreenKeyboard, rows_for


def make_keyboard(
    kiosk: Harness, lang: str, height: int = 360, **options: object
) -> OnScreenKeyboard:
    m = kiosk.app.ui.metrics
    keyboard = OnScreenKeyboard(
        kiosk.app.ui,
        lang,
        lambda rect: None,
        {"space": "atstarpe"},
        **options,  # type: ignore[arg-type]
    )
    keyboard.layout(
        pygame.Rect(m.margin, m.height - m.px(height + 24), m.width - 2 * m.margin, m.px(height))
    )
    return keyboard


def press(keyboard: OnScreenKeyboard, key: str) -> None:
    center = keyboard.keys.by_id(f"key:{key}").rect.center
    keyboard.handle(PointerEvent("down", center))
    keyboard.handle(PointerEvent("up", center))


@pytest.fixture
def kiosk() -> Harness:
    harness = Harness(size=(1366, 768))
    yield harness
    harness.close()


def test_each_language_has_its_own_letters(kiosk: Harness) -> None:
    ids = {lang: {b.id for b in make_keyboard(kiosk, lang).keys.buttons} for lang in LANGUAGES}
    assert {f"key:{c}" for c in "āčēģīķļņšūž"} <= ids["lv"]
    assert {f"key:{c}" for c in "ąčęėįšųūž"} <= ids["lt"]
    assert "key:ą" not in ids["lv"] and "key:ā" not in ids["lt"]
    assert {f"key:{c}" for c in "1234567890"} <= ids["en"]
    for lang in LANGUAGES:
        assert {"key:shift", "key:space", "key:backspace", "key:enter", "key:q"} <= ids[lang]
    assert rows_for("xx") == rows_for("en")


def test_shift_makes_one_capital_then_lets_go(kiosk: Harness) -> None:
    keyboard = make_keyboard(kiosk, "lv")
    press(keyboard, "shift")
    assert keyboard.keys.by_id("key:ā").label == "Ā"
    for key in ("ā", "r", "ā", "space", "ž"):
        press(keyboard, key)
    assert keyboard.text == "Ārā ž"
    assert keyboard.keys.by_id("key:ā").label == "ā"


def test_backspace_and_enter(kiosk: Harness) -> None:
    entered = []
    keyboard = make_keyboard(kiosk, "lt", on_enter=lambda: entered.append(True))
    for key in ("ų", "ž", "backspace", "ė"):
        press(keyboard, key)
    assert keyboard.text == "ųė"
    keyboard.handle(KeyEvent(pygame.K_BACKSPACE))
    assert keyboard.text == "ų"
    press(keyboard, "enter")
    keyboard.handle(KeyEvent(pygame.K_RETURN))
    assert entered == [True, True]


def test_the_pc_keyboard_types_too_and_a_letter_never_counts_twice(kiosk: Harness) -> None:
    seen: list[str] = []
    keyboard = make_keyboard(kiosk, "lv", on_text=seen.append)
    keyboard.handle(KeyEvent(pygame.K_a, unicode="ā"))
    keyboard.handle(KeyEvent(0, unicode="ā"))  # the same letter again as typed text
    keyboard.handle(KeyEvent(0, unicode="ų"))  # typed text alone (a dead key, an IME)
    keyboard.handle(KeyEvent(pygame.K_c, mod=pygame.KMOD_CTRL, unicode="c"))  # a shortcut
    keyboard.handle(KeyEvent(pygame.K_SPACE, unicode=" "))
    keyboard.handle(KeyEvent(pygame.K_a, mod=pygame.KMOD_SHIFT, unicode="Ā"))
    assert keyboard.text == "āų Ā"
    assert seen[-1] == "āų Ā"


def test_text_that_would_not_fit_is_refused(kiosk: Harness) -> None:
    keyboard = make_keyboard(kiosk, "en", accept=lambda text: len(text) <= 3)
    for key in "abcd":
        press(keyboard, key)
    assert keyboard.text == "abc" and keyboard.refused == 1


@pytest.mark.parametrize("height", [360, 460])
@pytest.mark.parametrize("size", [(1366, 768), (3840, 2160), (1280, 1024)])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_keys_fit_their_box(size: tuple[int, int], lang: str, height: int) -> None:
    with Harness(size=size, lang=lang) as kiosk:
        keyboard = make_keyboard(kiosk, lang, height=height)
        press(keyboard, "shift")
        keyboard.draw(kiosk.app.screen)
        buttons = keyboard.keys.buttons
        assert all(keyboard.rect.contains(b.rect) for b in buttons)
        assert not any(
            a.rect.colliderect(b.rect) for i, a in enumerate(buttons) for b in buttons[i + 1 :]
        )
        assert kiosk.app.ui.text.overflows == []
        # Big keys: at least 10 mm on a 65" 4K board, like the Home button.
        smallest = min(min(b.rect.size) for b in buttons)
        assert smallest >= kiosk.app.ui.metrics.px(48)
