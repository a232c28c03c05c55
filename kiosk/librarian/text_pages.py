"""The voice clips screen's list: every text of the content packs in one language, a page
at a time (green: recorded on this kiosk), with a jump to the next pack's first page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pygame

from kiosk.scenes.common import language_name
from kiosk.ui.theme import GOOD, INK, INK_SOFT, WHITE, lighten
from kiosk.ui.widgets import UI, Button

if TYPE_CHECKING:
    from kiosk.voice.service import VoiceService

COLUMNS, ROWS = 2, 5
#: Characters of a text shown on its button in the list (the whole text shows when chosen).
LIST_CHARS = 50


class TextPages:
    def __init__(self, ui: UI, gettext: Callable[[str], str]) -> None:
        self.ui = ui
        self._ = gettext
        #: (pack id, text) of every text of the packs in the language; None while loading.
        self.texts: list[tuple[str, str]] | None = None
        self.page = 0
        self.pages = 1
        self.hint_rect = pygame.Rect(0, 0, 0, 0)
        self.nav_rect = pygame.Rect(0, 0, 0, 0)
        self.pack_button_rect = pygame.Rect(0, 0, 0, 0)
        self._next_pack_page = 0
        self._changed: Callable[[], None] = lambda: None

    def buttons(
        self,
        body: pygame.Rect,
        lang: str,
        voice: VoiceService | None,
        choose: Callable[[str], None],
        changed: Callable[[], None],
    ) -> list[Button]:
        """The hint, a page of texts (green: recorded here) and the page turns in `body`;
        `changed` lays the screen out again after a turn."""
        self._changed = changed
        m = self.ui.metrics
        gap = m.px(16)
        self.hint_rect = pygame.Rect(body.left, body.top, body.width, m.px(50))
        nav_h = m.px(72)
        grid = pygame.Rect(
            body.left,
            self.hint_rect.bottom + gap,
            body.width,
            body.bottom - self.hint_rect.bottom - 2 * gap - nav_h,
        )
        self.nav_rect = pygame.Rect(body.left, grid.bottom + gap, body.width, nav_h)
        texts = self.texts or []
        per_page = COLUMNS * ROWS
        pages = max(1, -(-len(texts) // per_page))
        self.page = min(self.page, pages - 1)
        self.pages = pages
        cell_w = (grid.width - (COLUMNS - 1) * gap) // COLUMNS
        cell_h = min(m.px(110), (grid.height - (ROWS - 1) * gap) // ROWS)
        buttons = []
        for i, (_pack, text) in enumerate(texts[self.page * per_page : (self.page + 1) * per_page]):
            col, row = divmod(i, ROWS)
            recorded = voice is not None and voice.has_recording(text, lang)
            buttons.append(
                Button(
                    id=f"clip:{self.page * per_page + i}",
                    rect=pygame.Rect(
                        grid.left + col * (cell_w + gap),
                        grid.top + row * (cell_h + gap),
                        cell_w,
                        cell_h,
                    ),
                    color=lighten(GOOD, 0.55) if recorded else WHITE,
                    label=_shorten(text, LIST_CHARS),
                    on_press=partial(choose, text),
                )
            )
        if pages > 1:
            for step, icon, x in (
                (-1, "left-arrow", self.nav_rect.left),
                (1, "right-arrow", self.nav_rect.right - nav_h),
            ):
                buttons.append(
                    Button(
                        id=f"clips:{'prev' if step < 0 else 'next'}",
                        rect=pygame.Rect(x, self.nav_rect.top, nav_h, nav_h),
                        color=WHITE,
                        icon=icon,
                        round=True,
                        on_press=partial(self._turn, step),
                    )
                )
            # Hundreds of texts: a jump to the next pack's first page saves many taps.
            next_pack, self._next_pack_page = self.next_pack()
            pack_w = min(m.px(420), (self.nav_rect.width - 2 * nav_h) * 2 // 5)
            self.pack_button_rect = pygame.Rect(
                self.nav_rect.right - nav_h - m.px(16) - pack_w, self.nav_rect.top, pack_w, nav_h
            )
            buttons.append(
                Button(
                    id="clips:next-pack",
                    rect=self.pack_button_rect,
                    color=WHITE,
                    label=self._("Next pack: %(pack)s") % {"pack": next_pack},
                    on_press=self._jump_to_next_pack,
                )
            )
        return buttons

    def draw(self, surface: pygame.Surface, lang: str) -> None:
        m = self.ui.metrics
        texts = self.texts
        if texts is None:
            hint = self._("The content packs are still being read…")
        elif not texts:
            hint = self._("The content packs have no texts in %(language)s.") % {
                "language": language_name(lang)
            }
        else:
            hint = self._(
                "Choose a text to record in %(language)s. Green ones are recorded on this kiosk."
            ) % {"language": language_name(lang)}
        text = self.ui.text.fit(
            hint, self.hint_rect.size, m.font_size("body"), INK, align="left", max_lines=2
        )
        surface.blit(text, text.get_rect(midleft=self.hint_rect.midleft))
        if texts and self.pages > 1:
            per_page = COLUMNS * ROWS
            packs = dict.fromkeys(p for p, _t in texts[self.page * per_page :][:per_page])
            page = self._("Page %(page)d of %(pages)d · %(packs)s") % {
                "page": self.page + 1,
                "pages": self.pages,
                "packs": ", ".join(packs),
            }
            left = self.nav_rect.left + self.nav_rect.height + m.px(16)
            box = pygame.Rect(
                left, self.nav_rect.top, self.pack_button_rect.left - m.px(16) - left, 0
            )
            box.height = self.nav_rect.height
            rendered = self.ui.text.fit(page, box.size, m.font_size("body"), INK_SOFT, max_lines=2)
            surface.blit(rendered, rendered.get_rect(center=box.center))

    def next_pack(self) -> tuple[str, int]:
        """The pack after those on this page (the first one after the last), and its page."""
        texts = self.texts or []
        per_page = COLUMNS * ROWS
        starts = [i for i, (p, _t) in enumerate(texts) if i == 0 or texts[i - 1][0] != p]
        after = [i for i in starts if i // per_page > self.page]
        first = after[0] if after else 0
        return texts[first][0] if texts else "", first // per_page

    def _turn(self, step: int) -> None:
        self.page = (self.page + step) % max(1, self.pages)
        self._changed()

    def _jump_to_next_pack(self) -> None:
        self.page = self._next_pack_page
        self._changed()


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
