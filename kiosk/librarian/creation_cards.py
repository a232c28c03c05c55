"""How the creations review names and pictures a creation: the grid's card face (thumbnail,
"Draft", date, what it holds), its date in the site's time zone, its kind."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pygame

from kiosk.config import Config
from kiosk.creations import Creation
from kiosk.i18n import Translator
from kiosk.ui import draw
from kiosk.ui.theme import INK, INK_SOFT, NEUTRAL_COLOR, lighten
from kiosk.ui.widgets import UI

KIND_ICONS = {"drawing": "crayon", "film": "video-camera", "story": "open-book"}


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


KIND_NAMES = {"drawing": N_("Drawing"), "film": N_("Film"), "story": N_("Story")}


class CreationCards:
    def __init__(self, ui: UI, translator: Translator, config: Config) -> None:
        self.ui = ui
        self.translator = translator
        self.config = config

    def picture(self, creation: Creation, side: int) -> pygame.Surface:
        """A square card face: the thumbnail, the kind, the date and what it holds."""
        m = self.ui.metrics
        card = pygame.Surface((side, side), pygame.SRCALPHA)
        thumb_h = side * 9 // 16
        box = pygame.Rect(0, 0, side, thumb_h)
        pygame.draw.rect(card, lighten(INK_SOFT, 0.85), box)
        thumb = creation.load_png("thumb.png")
        if thumb is not None:
            scale = min(side / thumb.get_width(), thumb_h / thumb.get_height())
            size = (
                max(1, round(thumb.get_width() * scale)),
                max(1, round(thumb.get_height() * scale)),
            )
            picture = pygame.transform.smoothscale(thumb, size)
            card.blit(picture, picture.get_rect(center=box.center))
        if creation.state == "draft":
            badge = pygame.Rect(0, 0, side * 2 // 5, side // 7)
            badge.topright = (side - m.px(4), m.px(6))
            card.blit(draw.rounded_card(badge.size, badge.height // 2, NEUTRAL_COLOR), badge)
            text = self.ui.text.fit(
                self.translator.gettext("Draft"),
                badge.inflate(-m.px(10), -m.px(4)).size,
                m.font_size("small"),
                INK,
                weight="bold",
            )
            card.blit(text, text.get_rect(center=badge.center))
        line_h = (side - thumb_h) // 2
        when = self.ui.text.fit(
            self.when(creation),
            (side, line_h - m.px(4)),
            m.font_size("body"),
            INK,
            weight="bold",
            max_lines=1,
        )
        card.blit(when, when.get_rect(center=(side // 2, thumb_h + line_h // 2)))
        icon = self.ui.images.emoji(KIND_ICONS.get(creation.kind, "star"), line_h - m.px(8))
        what = self.ui.text.fit(
            self.contents(creation),
            (side - icon.get_width() - m.px(8), line_h - m.px(4)),
            m.font_size("body"),
            INK_SOFT,
            max_lines=1,
        )
        row = icon.get_width() + m.px(8) + what.get_width()
        x = (side - row) // 2
        cy = thumb_h + line_h + line_h // 2
        card.blit(icon, icon.get_rect(midleft=(x, cy)))
        card.blit(what, what.get_rect(midleft=(x + icon.get_width() + m.px(8), cy)))
        return card

    def when(self, creation: Creation) -> str:
        zone = ZoneInfo(self.config.site.timezone)
        return creation.created.astimezone(zone).strftime("%d.%m.%Y %H:%M")

    def contents(self, creation: Creation) -> str:
        ngettext = self.translator.ngettext
        if creation.kind == "film":
            n = len(creation.data.get("frames") or creation.timeline)
            return ngettext("%(n)d frame", "%(n)d frames", n) % {"n": n}
        if creation.kind == "story":
            n = len(creation.pages or creation.timeline)
            return ngettext("%(n)d slide", "%(n)d slides", n) % {"n": n}
        return self.kind_name(creation.kind)

    def kind_name(self, kind: str) -> str:
        name = KIND_NAMES.get(kind) or KIND_NAMES["drawing"]
        return self.translator.gettext(name)
