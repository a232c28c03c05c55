"""The librarian panel's sound row: the speaker, the volume or "Muted", and −, + and Mute
(the choice is kept by `StationSound`)."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.librarian.sound_settings import StationSound
from kiosk.ui.theme import BAD, INK, TILE_COLORS, WHITE, lighten
from kiosk.ui.widgets import UI, Button


class SoundRow:
    def __init__(
        self,
        ui: UI,
        station: StationSound | None,
        gettext: Callable[[str], str],
        changed: Callable[[], None],
    ) -> None:
        self.ui = ui
        self.station = station
        self._ = gettext
        self._changed = changed
        #: Where the row sits (the panel's layout sets it).
        self.rect: pygame.Rect | None = None

    def buttons(self) -> list[Button]:
        """Volume −, volume + and Mute, on the right of the sound row."""
        m = self.ui.metrics
        row = self.rect
        if row is None:
            return []
        pad = m.px(10)
        # −, + and Mute stay compact so the state beside the speaker keeps its room.
        side = min(row.height - 2 * pad, m.px(64))
        top = row.centery - side // 2
        muted = self.station is not None and self.station.muted
        percent = self.station.percent if self.station is not None else 100
        mute_w = min(m.px(160), row.width // 3)
        mute = pygame.Rect(row.right - pad - mute_w, row.y + pad, mute_w, row.height - 2 * pad)
        plus = pygame.Rect(mute.left - m.px(12) - side, top, side, side)
        minus = pygame.Rect(plus.left - m.px(8) - side, top, side, side)
        have = self.station is not None
        return [
            Button(
                "panel:volume-down",
                minus,
                WHITE,
                label="−",
                on_press=self._quieter,
                enabled=have and percent > 0,
            ),
            Button(
                "panel:volume-up",
                plus,
                WHITE,
                label="+",
                on_press=self._louder,
                enabled=have and percent < 100,
            ),
            Button(
                "panel:mute",
                mute,
                lighten(BAD, 0.45) if muted else lighten(TILE_COLORS[3], 0.3),
                label=self._("Turn sound on") if muted else self._("Mute"),
                on_press=self._toggle_mute,
                enabled=have,
            ),
        ]

    def lines(self) -> list[str]:
        """What the sound row says beside its speaker: the state ("60 %", "Muted (60 %)"),
        after a line saying there is no sound device when there is none."""
        station = self.station
        percent = station.percent if station is not None else 100
        level = self._("%(n)d %%") % {"n": percent}
        if station is not None and station.muted:
            state = self._("Muted (%(level)s)") % {"level": level}
        else:
            state = level
        if not getattr(self.ui.sounds, "available", False):
            # The choice is still kept: it applies once the kiosk starts with a device.
            return [self._("Sound: no sound device"), state]
        return [state]

    def draw(self, surface: pygame.Surface, minus: pygame.Rect) -> None:
        """The speaker and the state, left of the buttons (`minus` is the leftmost)."""
        m = self.ui.metrics
        row = self.rect
        if row is None:
            return
        box = pygame.Rect(row.x + m.px(14), row.y + m.px(8), 0, row.height - m.px(16))
        muted = self.station is not None and self.station.muted
        icon = self.ui.images.emoji("muted-speaker" if muted else "speaker-high-volume", m.px(44))
        surface.blit(icon, icon.get_rect(midleft=(box.x, row.centery)))
        box.x += icon.get_width() + m.px(10)
        box.width = minus.left - m.px(10) - box.x
        lines = self.lines()
        rendered = []
        if len(lines) > 1:
            rendered.append(
                self.ui.text.fit(
                    lines[0],
                    (box.width, box.height // 2),
                    m.font_size("small"),
                    BAD,
                    weight="bold",
                    align="left",
                    max_lines=2,
                )
            )
        used = sum(r.get_height() for r in rendered)
        rendered.append(
            self.ui.text.fit(
                lines[-1],
                (box.width, box.height - used),
                m.font_size("body"),
                INK,
                weight="bold",
                align="left",
                max_lines=2,
            )
        )
        y = row.centery - sum(r.get_height() for r in rendered) // 2
        for text in rendered:
            surface.blit(text, (box.x, y))
            y += text.get_height()

    def _louder(self) -> None:
        if self.station is not None:
            self.station.louder()
            self._changed()

    def _quieter(self) -> None:
        if self.station is not None:
            self.station.quieter()
            self._changed()

    def _toggle_mute(self) -> None:
        if self.station is not None:
            self.station.toggle_mute()
            self._changed()
