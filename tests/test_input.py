"""Typed text: KEYDOWN's unicode, and letters that arrive only as TEXTINPUT."""

from __future__ import annotations

import pygame

from kiosk.input import InputTranslator, KeyEvent


def _keydown(key: int, text: str) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=text)


def _text(text: str) -> pygame.event.Event:
    return pygame.event.Event(pygame.TEXTINPUT, text=text)


def test_a_letter_typed_with_its_own_key_arrives_once() -> None:
    translate = InputTranslator((800, 600)).translate
    events = [translate(_keydown(pygame.K_a, "a")), translate(_text("a"))]
    assert events == [KeyEvent(pygame.K_a, 0, "a"), None]


def test_a_composed_letter_arrives_from_textinput() -> None:
    translate = InputTranslator((800, 600)).translate
    # A dead key gives a KEYDOWN without text; the composed letter comes as TEXTINPUT.
    events = [translate(_keydown(pygame.K_QUOTE, "")), translate(_text("ā"))]
    assert events == [KeyEvent(pygame.K_QUOTE, 0, ""), KeyEvent(0, 0, "ā")]


def test_the_same_letter_twice_is_two_letters() -> None:
    translate = InputTranslator((800, 600)).translate
    typed = [
        translate(_keydown(pygame.K_u, "ų")),
        translate(_text("ų")),
        translate(pygame.event.Event(pygame.KEYUP, key=pygame.K_u, mod=0)),
        translate(_text("ų")),
    ]
    assert [e.unicode for e in typed if isinstance(e, KeyEvent)] == ["ų", "ų"]


def test_control_text_is_not_typed() -> None:
    assert InputTranslator((800, 600)).translate(_text("\x1b")) is None
