"""The buzzer rules of the quiz for 2–4 teams with game controllers, without any drawing.

Every team sees the question. The first team to buzz (A on its pad) answers it alone, with
ANSWER_S seconds to choose. Right: the team gets a point and the question is over. Wrong,
or out of time: that team has had its try, and the question is open again for the teams
that have not tried yet (the wrong answer stays crossed out). The question ends without a
point when every team has tried, or when only one answer is left (that would be no
choice). Then the right answer is shown and the next question waits.

Teams level on points at the end share the win (kiosk.ui.scoreboard draws it so).
Time comes in as `now` (seconds on the game's clock), so tests drive it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from games.quiz.rounds import AskedQuestion, QuizRound, stars_for

#: Seconds a team that buzzed has to choose its answer: nobody can hold the game up.
ANSWER_S = 10.0
#: The buzzing press repeated this soon (a child pressing A twice) does not also answer.
GRACE_S = 0.5

BuzzPhase = Literal["open", "answering", "done"]
#: What happened last: a point, a wrong answer or the time running out (the question
#: passes on), or the question over without a point.
BuzzOutcome = Literal["right", "wrong", "late", "shown"]


@dataclass(eq=False)
class BuzzerRound:
    """A round of questions (`quiz`, dealt without turns) played by `teams` teams."""

    quiz: QuizRound
    teams: int
    points: list[int] = field(default_factory=list)
    phase: BuzzPhase = "open"
    #: The team answering now (its index among the teams).
    answering: int | None = None
    #: When it buzzed.
    buzzed_at: float = 0.0
    #: The teams that have had their try at the current question, in order.
    tried: list[int] = field(default_factory=list)
    #: The last thing that happened to the current question, and to which team.
    last: BuzzOutcome | None = None
    last_team: int | None = None
    #: Questions some team answered right.
    right_answers: int = 0

    def __post_init__(self) -> None:
        if not 2 <= self.teams <= 4:
            raise ValueError(f"a buzzer round needs 2 to 4 teams, not {self.teams}")
        if not self.points:
            self.points = [0] * self.teams

    @property
    def current(self) -> AskedQuestion:
        return self.quiz.current

    @property
    def stars(self) -> int:
        return stars_for(self.right_answers, len(self.quiz.questions))

    def may_buzz(self, team: int) -> bool:
        return self.phase == "open" and team not in self.tried

    def buzz(self, team: int, now: float) -> bool:
        """`team` pressed A; True when it now answers (it was first and had not tried)."""
        if not self.may_buzz(team):
            return False
        self.phase = "answering"
        self.answering = team
        self.buzzed_at = now
        return True

    def time_left(self, now: float) -> float:
        """Seconds the answering team has left (0 when nobody answers)."""
        if self.phase != "answering":
            return 0.0
        return max(0.0, ANSWER_S - (now - self.buzzed_at))

    def in_grace(self, now: float) -> bool:
        """The answering team buzzed a moment ago: its A is the buzz, not an answer."""
        return self.phase == "answering" and now - self.buzzed_at < GRACE_S

    def choose(self, team: int, choice: int) -> BuzzOutcome | None:
        """The answering team chose answer `choice`; None when it may not choose now."""
        asked = self.current
        if self.phase != "answering" or team != self.answering:
            return None
        if choice in asked.tried or not 0 <= choice < len(asked.answers):
            return None
        if choice == asked.right_index:
            asked.done = True
            self.points[team] += 1
            self.right_answers += 1
            self.tried.append(team)
            return self._after("right", team)
        asked.tried.append(choice)
        return self._pass_on("wrong", team)

    def tick(self, now: float) -> BuzzOutcome | None:
        """Call every frame: the answering team's time running out passes the question on."""
        if self.phase != "answering" or self.time_left(now) > 0:
            return None
        assert self.answering is not None
        return self._pass_on("late", self.answering)

    def _pass_on(self, why: BuzzOutcome, team: int) -> BuzzOutcome:
        self.tried.append(team)
        asked = self.current
        left = len(asked.answers) - len(asked.tried)
        if len(self.tried) >= self.teams or left <= 1:
            asked.done = True
            return self._after("shown", team)
        self.phase = "open"
        self.answering = None
        self.last, self.last_team = why, team
        return why

    def _after(self, outcome: BuzzOutcome, team: int) -> BuzzOutcome:
        self.phase = "done"
        self.answering = None
        self.last, self.last_team = outcome, team
        return outcome

    def advance(self) -> bool:
        """The next question, open to every team; False when the round is over."""
        if self.phase != "done" or not self.quiz.advance():
            return False
        self.phase = "open"
        self.answering = None
        self.tried = []
        self.last = self.last_team = None
        return True
