"""The group setup's Controllers step: the teams join with their game controllers.

Each team presses A on its pad and its card appears — its colour, its animal and its name,
in joining order Team Fox, Team Bear, Team Frog, Team Owl. A again (or B) on a pad that
joined leaves; a team that leaves frees its animal for the next team to join, and the
others keep theirs. Two to four teams play a team game: Start is offered from two on.
"Play without controllers" starts the session as before; Back returns to the setup.

The pads belong to the children here: their buttons only join and leave (no pad reaches
the librarian's buttons). The librarian uses touch, the mouse or the keyboard. A pad
pulled out takes its team off; when no pad is plugged in the screen says so, and how to
plug them in."""

from __future__ import annotations

from functools import partial

import pygame

from kiosk.input import InputEvent, KeyEvent
from kiosk.scenes.base import Scene, Shell, is_back_key
from kiosk.scenes.common import draw_screen_title
from kiosk.teams import MAX_TEAMS, Team, Teams
from kiosk.ui import draw
from kiosk.ui.pad_glyph import pad_button
from kiosk.ui.theme import FOCUS, INK, INK_SOFT, NEUTRAL_COLOR, WHITE, YES_COLOR, lighten
from kiosk.ui.widgets import Button, ButtonGroup

#: At least this many teams make a team game.
MIN_TEAMS = 2


class ControllersStep(Scene):
    in_session = False

    def __init__(
        self,
        shell: Shell,
        headcount: int,
        age_band: str | None,
        activity: str | None,
        minutes: int | None,
    ) -> None:
        super().__init__(shell)
        self.headcount = headcount
        self.age_band = age_band
        self.activity = activity
        self.minutes = minutes
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        #: The pad slot holding each team's place (Fox, Bear, Frog, Owl), None while free.
        self.places: list[int | None] = [None] * MAX_TEAMS
        self._plugged: list[int] = list(shell.pads.connected)

    # ----- what the step knows -------------------------------------------------------

    @property
    def teams(self) -> Teams:
        """The teams that joined so far."""
        return Teams.from_places(self.places)

    def status(self) -> str:
        """The line under the title: what is missing, or that all is ready."""
        _, ngettext = self._, self.services.translator.ngettext
        joined = len(self.teams)
        if not self._plugged:
            return _(
                "No game controllers are plugged in. Plug each one into a USB port, or "
                "switch a wireless one on with its Xbox button."
            )
        if joined == 0:
            return ngettext(
                "%(n)d controller is plugged in. Each team: press A to join!",
                "%(n)d controllers are plugged in. Each team: press A to join!",
                len(self._plugged),
            ) % {"n": len(self._plugged)}
        if joined < MIN_TEAMS:
            if len(self._plugged) < MIN_TEAMS:
                return _("A team game needs two teams: plug in another controller.")
            return _("A team game needs two teams. Another team: press A!")
        if joined < MAX_TEAMS and len(self._plugged) > joined:
            return ngettext(
                "%(n)d team is ready. More may join, or press Start.",
                "%(n)d teams are ready. More may join, or press Start.",
                joined,
            ) % {"n": joined}
        return ngettext(
            "%(n)d team is ready. Press Start!", "%(n)d teams are ready. Press Start!", joined
        ) % {"n": joined}

    # ----- layout --------------------------------------------------------------------

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        self.title_rect = pygame.Rect(m.margin, m.px(24), w - 2 * m.margin - m.px(280), m.px(76))
        self.status_rect = pygame.Rect(m.margin, m.px(112), w - 2 * m.margin, m.px(96))
        bh = m.px(96)
        bottom = h - m.margin - bh
        gap = m.px(28)
        top = self.status_rect.bottom + m.px(20)
        card_w = min(m.px(300), (w - 2 * m.margin - (MAX_TEAMS - 1) * gap) // MAX_TEAMS)
        card_h = min(m.px(420), bottom - m.px(28) - top)
        left = (w - (MAX_TEAMS * card_w + (MAX_TEAMS - 1) * gap)) // 2
        top += (bottom - m.px(28) - top - card_h) // 2
        self.cards = [
            pygame.Rect(left + i * (card_w + gap), top, card_w, card_h) for i in range(MAX_TEAMS)
        ]
        start_w = m.px(260)
        skip_w = min(m.px(560), w - 2 * m.margin - start_w - gap)
        start = Button(
            "controllers:start",
            pygame.Rect(w - m.margin - start_w, bottom, start_w, bh),
            YES_COLOR,
            label=self._("Start"),
            on_press=self._start,
        )
        start.enabled = len(self.teams) >= MIN_TEAMS
        self.buttons.set_buttons(
            [
                Button(
                    "controllers:skip",
                    pygame.Rect(m.margin, bottom, skip_w, bh),
                    NEUTRAL_COLOR,
                    label=self._("Play without controllers"),
                    on_press=partial(self._begin, None),
                ),
                start,
                Button(
                    "controllers:back",
                    pygame.Rect(w - m.margin - m.px(260), m.px(16), m.px(260), m.px(76)),
                    lighten(INK, 0.75),
                    label=self._("Back"),
                    on_press=self._back,
                ),
            ]
        )

    # ----- what happens --------------------------------------------------------------

    def _begin(self, teams: Teams | None) -> None:
        self.shell.session.start_group(
            self.headcount, self.age_band, self.activity, self.minutes, teams
        )

    def _start(self) -> None:
        if len(self.teams) >= MIN_TEAMS:
            self._begin(self.teams)

    def _back(self) -> None:
        self.shell.pop(self)

    def _changed(self) -> None:
        self.layout()  # Start is offered from two teams on
        self.shell.invalidate()

    def _pad_press(self, event: KeyEvent) -> None:
        pad = event.pad
        joined = pad in self.places
        if event.key == pygame.K_RETURN:  # A (or Start): join, or leave again
            if joined:
                self.places[self.places.index(pad)] = None
                self.ui.sounds.play("tap")
            elif None in self.places:
                self.places[self.places.index(None)] = pad
                self.ui.sounds.play("good")
            else:
                return  # four teams already
        elif event.key == pygame.K_ESCAPE and joined:  # B (or Back): leave
            self.places[self.places.index(pad)] = None
            self.ui.sounds.play("tap")
        else:
            return  # the d-pad, X, the shoulders: nothing here
        self._changed()

    def handle_event(self, event: InputEvent) -> bool:
        if isinstance(event, KeyEvent) and event.pad is not None:
            self._pad_press(event)
            return True
        if is_back_key(event):
            self._back()
            return True
        self.buttons.handle(event)
        return True

    def update(self, dt: float) -> None:
        plugged = list(self.shell.pads.connected)
        if plugged == self._plugged:
            return
        self._plugged = plugged
        # A pad pulled out takes its team off (plugged in again, it joins with A again).
        self.places = [pad if pad in plugged else None for pad in self.places]
        self._changed()

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        surface.fill(lighten(FOCUS, 0.88))
        draw_screen_title(
            self.ui, surface, self._("Controllers: each team presses A"), self.title_rect
        )
        status = self.ui.text.fit(
            self.status(), self.status_rect.size, m.font_size("heading"), INK, max_lines=2
        )
        surface.blit(status, status.get_rect(center=self.status_rect.center))
        teams = self.teams
        for place, rect in enumerate(self.cards):
            pad = self.places[place]
            team = teams.of_pad(pad) if pad is not None else None
            if team is None:
                self._draw_free_place(surface, rect)
            else:
                self._draw_team(surface, rect, team)
        self.buttons.draw(surface)

    def _draw_team(self, surface: pygame.Surface, rect: pygame.Rect, team: Team) -> None:
        m = self.ui.metrics
        surface.blit(draw.rounded_card(rect.size, m.px(30), team.color, m.px(8), WHITE), rect)
        pad_h = m.px(14)
        inner = rect.inflate(-2 * pad_h, -2 * pad_h)
        name_h = int(inner.height * 0.2)
        small_h = int(inner.height * 0.13)
        side = min(inner.width, inner.height - name_h - 2 * small_h - m.px(12))
        picture = self.ui.images.emoji(team.animal, side)
        surface.blit(picture, picture.get_rect(midtop=(rect.centerx, inner.top)))
        name = self.ui.text.fit(
            team.name(self._),
            (inner.width, name_h),
            m.font_size("heading"),
            INK,
            weight="bold",
            max_lines=2,
        )
        surface.blit(name, name.get_rect(midtop=(rect.centerx, inner.top + side + m.px(6))))
        which = self.ui.text.fit(
            self._("Controller %(n)d") % {"n": team.pad + 1},
            (inner.width, small_h),
            m.font_size("body"),
            INK,
            max_lines=1,
        )
        surface.blit(which, which.get_rect(midbottom=(rect.centerx, inner.bottom - small_h)))
        leave = self.ui.text.fit(
            self._("B: leave"), (inner.width, small_h), m.font_size("small"), INK, max_lines=1
        )
        surface.blit(leave, leave.get_rect(midbottom=(rect.centerx, inner.bottom)))

    def _draw_free_place(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        m = self.ui.metrics
        surface.blit(
            draw.rounded_card(rect.size, m.px(30), lighten(INK_SOFT, 0.8), m.px(3), WHITE), rect
        )
        side = min(rect.width // 2, rect.height // 3)
        center = (rect.centerx, rect.top + rect.height * 2 // 5)
        button = pad_button(self.ui, side)
        surface.blit(button, button.get_rect(center=center))
        hint = self.ui.text.fit(
            self._("Press A to join"),
            (rect.width - 2 * m.px(14), rect.height // 4),
            m.font_size("heading"),
            INK,
            weight="bold",
            max_lines=2,
        )
        surface.blit(hint, hint.get_rect(midtop=(rect.centerx, center[1] + side // 2 + m.px(16))))
