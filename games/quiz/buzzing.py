"""The quiz's buzzer mode as the teams play it: pad presses → the buzzer rules
(`games.quiz.buzzer`), and the words the screen says about it.

In play, a team's A buzzes while the question is open; the team that answers moves the
highlight over the answers with its d-pad or stick and chooses with A; the others' presses
wait. Once the question is over, A on any team's pad (after a moment, so a child still
pressing A does not skip the explanation) goes on to the next question. B on a pad does
nothing in play: one child's B must not end every team's game. Touch and the keyboard
(the librarian) reach the speakers and Next, and answer only for the team answering."""

from __future__ import annotations

from typing import Protocol

import pygame

from games.quiz.buzzer import BuzzerRound, BuzzOutcome
from kiosk.api import ActivityContext, ButtonGroup, InputEvent, KeyEvent, Team, Teams

#: After a question ends, a pad's A goes on only after this long.
NEXT_AFTER_S = 1.5


class BuzzingGame(Protocol):
    """What the control needs of the game."""

    ctx: ActivityContext
    buttons: ButtonGroup
    time: float
    feedback_at: float

    def layout_phase(self) -> None: ...
    def next_question(self) -> None: ...


class Buzzing:
    """The buzzer mode of one quiz: its teams and the round being played."""

    def __init__(self, game: BuzzingGame, teams: Teams) -> None:
        self.game = game
        self.teams = teams
        self.round: BuzzerRound | None = None

    @property
    def answering(self) -> Team | None:
        if self.round is None or self.round.answering is None:
            return None
        return self.teams[self.round.answering]

    # ----- input ---------------------------------------------------------------------

    def handle(self, event: InputEvent) -> bool:
        """An input while a question shows; True when it was taken (pad presses always)."""
        game = self.game
        quiz = self.round
        if not isinstance(event, KeyEvent) or event.pad is None:
            return game.buttons.handle(event)  # touch, mouse, keyboard: the librarian
        team = self.teams.of_pad(event.pad)
        if quiz is None or team is None:
            return True  # a pad that did not join plays no part
        enter = event.key == pygame.K_RETURN
        if quiz.phase == "open":
            if enter and quiz.buzz(team.index, game.time):
                self._buzzed()
        elif quiz.phase == "answering":
            choosing = event.key in (pygame.K_RETURN, pygame.K_SPACE)  # A, Start or X
            if team.index == quiz.answering and event.key != pygame.K_ESCAPE:
                if not (choosing and quiz.in_grace(game.time)):
                    game.buttons.handle(event)
        elif enter and game.time - game.feedback_at >= NEXT_AFTER_S:
            game.next_question()
        return True

    def _buzzed(self) -> None:
        game = self.game
        game.ctx.play_sound("flip")
        game.layout_phase()
        assert self.round is not None
        asked = self.round.current
        first = next(i for i in range(len(asked.answers)) if i not in asked.tried)
        game.buttons.focus_index = game.buttons.buttons.index(game.buttons.by_id(f"answer:{first}"))

    def choose(self, index: int) -> BuzzOutcome | None:
        """An answer pressed (by the answering team's pad, or a tap for it)."""
        quiz = self.round
        if quiz is None or quiz.answering is None:
            return None
        return quiz.choose(quiz.answering, index)

    def tick(self) -> BuzzOutcome | None:
        """Every frame: the answering team's time may run out."""
        return self.round.tick(self.game.time) if self.round is not None else None

    # ----- words ---------------------------------------------------------------------

    def status(self) -> str:
        """What the panel under the answers says while the question is not over."""
        _ = self.game.ctx.gettext
        quiz = self.round
        team = self.answering
        if quiz is not None and team is not None:
            return _("%(team)s answers! Choose with the stick, then press A.") % {
                "team": team.name(_)
            }
        if quiz is not None and quiz.last == "wrong":
            return _("Not this one! The other teams: press A to buzz!")
        if quiz is not None and quiz.last == "late":
            return _("Time is up! The other teams: press A to buzz!")
        return _("Who knows it? Press A to buzz!")

    def headline(self) -> str | None:
        """The panel's headline once a team answered right (None: the quiz's own)."""
        quiz = self.round
        if quiz is None or quiz.last != "right" or quiz.last_team is None:
            return None
        _ = self.game.ctx.gettext
        return _("%(team)s gets a point!") % {"team": self.teams[quiz.last_team].name(_)}

    def looks(self) -> list[tuple[tuple[int, int, int], str]]:
        return [(team.color, team.animal) for team in self.teams]


def sound_of(outcome: BuzzOutcome) -> str:
    return "good" if outcome == "right" else "try-again"
