"""Starting a group session: how many children, their ages, one activity, a timer.

Big −/+ keys and a number pad for the headcount (1–60), chips for the rest, and Start.
The timer row is the last one, under the number pad, so its ten choices (no timer, or
1 to 60 minutes) get the whole width.

With game controllers plugged in, the button says Next and leads to the Controllers
step (kiosk/scenes/controllers_step.py), where the teams join with their pads; without
any, it starts the session straight away, and a line beside it says how to plug pads in
for team games."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pygame

from kiosk import routes
from kiosk.input import InputEvent, KeyEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui.theme import FOCUS, INK, NEUTRAL_COLOR, WHITE, YES_COLOR, lighten
from kiosk.ui.widgets import Button, ButtonGroup

MAX_HEADCOUNT = 60
AGE_BANDS = (None, "6-8", "9-11", "12-14")
TIMERS = (None, 1, 2, 5, 10, 15, 20, 30, 45, 60)


class GroupSetup(Scene):
    in_session = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        # The library's defaults from the office (kiosk.fleet.settings), else 10 children.
        defaults = shell.desk.group_defaults()
        self.headcount = int(defaults.get("headcount", 10))
        self._typed = False
        self.age_band: str | None = defaults.get("age_band")
        self.minutes: int | None = defaults.get("minutes")
        self.activity: str | None = None
        self._plugged = len(shell.pads.connected)

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        x0 = m.margin
        label_w = m.px(180)
        row_h = m.px(96)
        gap = m.px(22)
        y = m.px(110)
        buttons: list[Button] = []
        self.rows: list[tuple[str, int]] = []
        # headcount: − [count] +, and a number pad on the right
        self.rows.append((self._("Children"), y))
        key = row_h
        left = x0 + label_w
        buttons.append(
            Button(
                "group:minus",
                pygame.Rect(left, y, key, key),
                NEUTRAL_COLOR,
                label="−",
                round=True,
                on_press=partial(self._step, -1),
            )
        )
        self.count_rect = pygame.Rect(left + key + gap, y, m.px(160), key)
        buttons.append(
            Button(
                "group:plus",
                pygame.Rect(self.count_rect.right + gap, y, key, key),
                NEUTRAL_COLOR,
                label="+",
                round=True,
                on_press=partial(self._step, 1),
            )
        )
        pad_key = m.px(76)
        pad_gap = m.px(10)
        pad_w = 3 * pad_key + 2 * pad_gap
        pad_left = w - m.margin - pad_w
        for i, digit in enumerate("123456789 0"):
            if digit == " ":
                continue
            row, col = divmod(i, 3)
            buttons.append(
                Button(
                    f"group:digit:{digit}",
                    pygame.Rect(
                        pad_left + col * (pad_key + pad_gap),
                        y + row * (pad_key + pad_gap),
                        pad_key,
                        pad_key,
                    ),
                    WHITE,
                    label=digit,
                    on_press=partial(self._digit, digit),
                )
            )
        self.right_edge = pad_left - m.px(30)
        y += row_h + gap
        self.rows.append((self._("Ages"), y))
        names = {None: self._("All ages"), "6-8": "6–8", "9-11": "9–11", "12-14": "12–14"}
        buttons += self._chips(
            "age", AGE_BANDS, names, self.age_band, left, y, row_h, self._set_band
        )
        y += row_h + gap
        self.rows.append((self._("Activity"), y))
        choices: list[str | None] = [None, *(a.id for a in self.services.activities)]
        icons = {a.id: a.cls.info.icon for a in self.services.activities}
        size = min(row_h, (self.right_edge - left) // len(choices) - m.px(10))
        for i, choice in enumerate(choices):
            rect = pygame.Rect(left + i * (size + m.px(10)), y, size, size)
            chosen = choice == self.activity
            buttons.append(
                Button(
                    f"group:activity:{choice or 'any'}",
                    rect,
                    YES_COLOR if chosen else WHITE,
                    icon=icons[choice] if choice is not None else "game-die",
                    on_press=partial(self._set_activity, choice),
                )
            )
        self.activity_caption_y = y + size + m.px(6)
        y = self.activity_caption_y + m.px(36) + m.px(8)
        self.rows.append((self._("Timer"), y))
        minute_names: dict[int | None, str] = {None: self._("No timer")}
        for minutes in TIMERS[1:]:
            assert minutes is not None
            minute_names[minutes] = self.services.translator.ngettext(
                "%(n)d min", "%(n)d min", minutes
            ) % {"n": minutes}
        buttons += self._chips(
            "timer",
            TIMERS,
            minute_names,
            self.minutes,
            left,
            y,
            min(row_h, m.px(88)),
            self._set_minutes,
            right=w - m.margin,
            first_share=2.0,
        )
        bw, bh = m.px(260), m.px(96)
        start = Button(
            "group:start",
            pygame.Rect(w - bw - m.margin, h - bh - m.margin, bw, bh),
            YES_COLOR,
            label=self._("Next") if self._plugged else self._("Start"),
            on_press=self._start,
        )
        buttons.append(start)
        self.pads_rect = pygame.Rect(
            m.margin, start.rect.top, start.rect.left - m.px(30) - m.margin, bh
        )
        buttons.append(
            Button(
                "group:back",
                pygame.Rect(w - bw - m.margin, m.px(16), bw, m.px(76)),
                lighten(INK, 0.75),
                label=self._("Back"),
                on_press=self._back,
            )
        )
        self.buttons.set_buttons(buttons)

    def _chips(
        self,
        kind: str,
        values: tuple[Any, ...],
        names: dict[Any, str],
        chosen: object,
        left: int,
        y: int,
        height: int,
        on_pick: Callable[[Any], None],
        right: int | None = None,
        first_share: float = 1.0,
    ) -> list[Button]:
        """A row of chips; the first is `first_share` times as wide as the others (its
        words, e.g. "No timer", need more room than a number)."""
        m = self.ui.metrics
        gap = m.px(10)
        room = (right if right is not None else self.right_edge) - left
        width = min(
            m.px(190), int((room - (len(values) - 1) * gap) / (len(values) - 1 + first_share))
        )
        chips = []
        x = left
        for i, value in enumerate(values):
            chip_w = int(width * first_share) if i == 0 else width
            chips.append(
                Button(
                    f"group:{kind}:{value or 'none'}",
                    pygame.Rect(x, y, chip_w, height),
                    YES_COLOR if value == chosen else WHITE,
                    label=names[value],
                    on_press=partial(on_pick, value),
                )
            )
            x += chip_w + gap
        return chips

    # ----- choices -------------------------------------------------------------------

    def _set_count(self, count: int) -> None:
        self.headcount = max(1, min(MAX_HEADCOUNT, count))
        self.shell.invalidate()

    def _step(self, delta: int) -> None:
        self._typed = False
        self._set_count(self.headcount + delta)

    def _digit(self, digit: str) -> None:
        typed = int(f"{self.headcount if self._typed else ''}{digit}")
        self._typed = True
        if typed > MAX_HEADCOUNT:
            typed = int(digit)
        self._set_count(typed)

    def _set_band(self, band: str | None) -> None:
        self.age_band = band
        self.layout()
        self.shell.invalidate()

    def _set_minutes(self, minutes: int | None) -> None:
        self.minutes = minutes
        self.layout()
        self.shell.invalidate()

    def _set_activity(self, activity: str | None) -> None:
        self.activity = activity
        self.layout()
        self.shell.invalidate()

    def _start(self) -> None:
        if self.shell.pads.connected:
            self.shell.push(
                routes.ControllersStep(self.headcount, self.age_band, self.activity, self.minutes)
            )
            return
        self.shell.session.start_group(self.headcount, self.age_band, self.activity, self.minutes)

    def pads_note(self) -> str:
        """The line beside Start: the pads plugged in, or how to plug them in."""
        if not self._plugged:
            return self._(
                "No game controllers are plugged in. To play in teams with them, plug them "
                "in, then press Start."
            )
        return self.services.translator.ngettext(
            "%(n)d game controller is plugged in: the teams join with it next.",
            "%(n)d game controllers are plugged in: the teams join with them next.",
            self._plugged,
        ) % {"n": self._plugged}

    def update(self, dt: float) -> None:
        plugged = len(self.shell.pads.connected)
        if plugged != self._plugged:
            self._plugged = plugged
            self.layout()  # Start or Next
            self.shell.invalidate()

    def _back(self) -> None:
        self.shell.pop(self)

    def handle_event(self, event: InputEvent) -> bool:
        if isinstance(event, KeyEvent) and event.unicode.isdigit() and len(event.unicode) == 1:
            self._digit(event.unicode)
            return True
        self.buttons.handle(event)
        return True

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, _h = self.size
        surface.fill(lighten(FOCUS, 0.88))
        title = self.ui.text.fit(
            self._("Start a group session"),
            (w - m.px(320), m.px(70)),
            m.font_size("title"),
            INK,
            weight="bold",
            align="left",
        )
        surface.blit(title, (m.margin, m.px(24)))
        for label, y in self.rows:
            rendered = self.ui.text.fit(
                label, (m.px(230), m.px(96)), m.font_size("body"), INK, weight="bold", align="left"
            )
            surface.blit(rendered, rendered.get_rect(midleft=(m.margin, y + m.px(48))))
        pygame.draw.rect(surface, WHITE, self.count_rect, border_radius=m.px(18))
        count = self.ui.text.render(str(self.headcount), m.font_size("huge"), INK, weight="bold")
        surface.blit(count, count.get_rect(center=self.count_rect.center))
        self.buttons.draw(surface)
        chosen = next((a for a in self.services.activities if a.id == self.activity), None)
        caption_text = (
            self.services.translator.pick(chosen.cls.info.title) if chosen else self._("Any")
        )
        caption = self.ui.text.fit(
            caption_text,
            (self.right_edge - m.px(180), m.px(36)),
            m.font_size("small"),
            INK,
            align="left",
        )
        surface.blit(caption, (m.margin + m.px(180), self.activity_caption_y))
        note = self.ui.text.fit(
            self.pads_note(),
            self.pads_rect.size,
            m.font_size("body"),
            INK,
            align="left",
            max_lines=2,
        )
        surface.blit(note, note.get_rect(midleft=self.pads_rect.midleft))
