"""'Out of order': shown until a librarian unlocks the kiosk and puts it back in service."""

from __future__ import annotations

import pygame

from kiosk.input import InputEvent
from kiosk.scenes.base import Scene
from kiosk.ui.theme import INK


def N_(message: str) -> str:
    """Marks a msgid for extraction; it is shown in every language at once."""
    return message


MESSAGE = N_("Out of order. Please ask the librarian.")


class OutOfOrder(Scene):
    in_session = False

    def handle_event(self, event: InputEvent) -> bool:
        return True  # children's input goes nowhere; the librarian's gesture still works

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, h = self.size
        surface.fill((236, 232, 226))
        sign = self.ui.images.emoji("construction", m.px(180))
        surface.blit(sign, sign.get_rect(center=(w // 2, int(h * 0.32))))
        for i, lang in enumerate(self.services.translator.languages):
            text = self.services.translator.gettext_in(lang, MESSAGE)
            rendered = self.ui.text.fit(
                text,
                (w - 2 * m.margin, m.px(70)),
                m.font_size("heading"),
                INK if i == 0 else (110, 96, 88),
                weight="bold" if i == 0 else "regular",
            )
            surface.blit(rendered, rendered.get_rect(center=(w // 2, int(h * 0.56) + i * m.px(76))))
