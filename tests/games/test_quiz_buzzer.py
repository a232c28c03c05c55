"""The quiz's buzzer mode, played by teams with game controllers only (SDL virtual pads on
the real controller path): the first team to press A answers, a wrong answer or the time
running out passes the question on, the winner is named, ties are shared, and a team
whose pad is pulled out is named while the game waits."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from games.quiz import PictureQuiz
from games.quiz.buzzer import ANSWER_S
from kiosk import routes
from kiosk.api import Answer, Question
from kiosk.sessions import RunEnded, SessionStarted
from kiosk.ui.scoreboard import card_rects, verdict
from tests.games.team_play import answer as _answer
from tests.games.team_play import buzz as _buzz
from tests.games.team_play import next_question as _next
from tests.games.team_play import to_first_question as _to_first_question
from tests.pads.team_helpers import (
    A,
    B,
    controllers_step,
    plug,
    press,
    quiz_with_teams,
    team_station,
)
from tests.shots import shots

SHOTS = shots("quiz-buzzer")


def _points(game: PictureQuiz) -> list[int]:
    assert game.buzzer is not None
    return list(game.buzzer.points)


def test_three_teams_play_a_whole_buzzer_quiz_with_pads_alone(tmp_path: Path) -> None:
    with team_station(tmp_path) as (kiosk, pads):
        fox, bear, frog = plug(kiosk, pads, 3)
        game = quiz_with_teams(kiosk, [fox, bear, frog])
        assert [e.controllers for e in kiosk.sink.of_type(SessionStarted)] == [3]  # type: ignore[union-attr]
        _to_first_question(kiosk, game, fox)
        buzzer = game.buzzer
        assert buzzer is not None and game.buzzing is not None
        assert game.buzzing.status() == "Who knows it? Press A to buzz!"
        kiosk.screenshot(SHOTS / "question.png")
        # B on a pad leaves nobody's game.
        press(kiosk, bear, B)
        assert kiosk.scene_name == "ActivityHost" and game.phase == "play"

        # 1: Team Fox is first and right.
        _buzz(kiosk, fox)
        _answer(kiosk, game, fox, right=True)
        assert _points(game) == [1, 0, 0]
        _next(kiosk, frog)

        # 2: Team Bear buzzes; Team Fox's presses wait; Bear is wrong and the question
        # passes on; Bear cannot buzz again; Team Frog gets it right.
        _buzz(kiosk, bear)
        assert buzzer.answering == 1
        press(kiosk, fox, A)
        assert buzzer.answering == 1
        assert game.buzzing.status().startswith("Team Bear answers!")
        kiosk.screenshot(SHOTS / "bear-answers.png")
        _answer(kiosk, game, bear, right=False)
        assert buzzer.phase == "open" and buzzer.tried == [1]
        assert game.buzzing.status() == "Not this one! The other teams: press A to buzz!"
        press(kiosk, bear, A)
        assert buzzer.phase == "open"
        _buzz(kiosk, frog)
        _answer(kiosk, game, frog, right=True)
        assert _points(game) == [1, 0, 1]
        assert game.buzzing.headline() == "Team Frog gets a point!"
        _next(kiosk, fox)

        # 3: Team Frog buzzes and lets its time run out; Team Fox takes over.
        _buzz(kiosk, frog)
        kiosk.wait(ANSWER_S)
        assert buzzer.phase == "open" and buzzer.tried == [2]
        assert game.buzzing.status() == "Time is up! The other teams: press A to buzz!"
        _buzz(kiosk, fox)
        _answer(kiosk, game, fox, right=True)
        assert _points(game) == [2, 0, 1]
        _next(kiosk, bear)

        # 4: two wrong answers leave one: no choice left, so the answer is shown.
        _buzz(kiosk, fox)
        _answer(kiosk, game, fox, right=False)
        _buzz(kiosk, bear)
        _answer(kiosk, game, bear, right=False)
        assert buzzer.phase == "done" and buzzer.last == "shown"
        assert _points(game) == [2, 0, 1]
        _next(kiosk, frog)

        # 5: Team Bear's point.
        _buzz(kiosk, bear)
        _answer(kiosk, game, bear, right=True)
        _next(kiosk, bear)

        assert game.phase == "stars"
        teams = game.team_scores()
        assert teams is not None
        assert [(t.name, t.picture, t.points) for t in teams] == [
            ("Team Fox", "fox", 2),
            ("Team Bear", "bear", 1),
            ("Team Frog", "frog", 1),
        ]
        assert verdict(teams, kiosk.app.translator.gettext) == (
            "Team Fox wins!",
            "Well done, every team! You played together beautifully.",
        )
        runs = kiosk.sink.of_type(RunEnded)
        assert [(e.outcome, e.level, e.score) for e in runs] == [("completed", 1, 4)]  # type: ignore[union-attr]
        kiosk.wait(2)
        board = game.view.final_score_rect()
        shot = kiosk.screenshot(SHOTS / "end.png")
        assert any(
            tuple(shot.get_at((x, board.top + board.height // 3)))[:3] == teams[0].color
            for x in range(board.left, board.centerx)
        )
        assert kiosk.app.ui.text.overflows == []


def test_teams_level_on_points_share_the_win(tmp_path: Path) -> None:
    with team_station(tmp_path, lang="lv") as (kiosk, pads):
        fox, bear, frog = plug(kiosk, pads, 3)
        game = quiz_with_teams(kiosk, [fox, bear, frog])
        _to_first_question(kiosk, game, fox)
        for pad in (fox, bear, fox, bear, frog):
            _buzz(kiosk, pad)
            _answer(kiosk, game, pad, right=True)
            _next(kiosk, pad)
        assert game.phase == "stars"
        teams = game.team_scores()
        assert teams is not None and [t.points for t in teams] == [2, 2, 1]
        assert verdict(teams, kiosk.app.translator.gettext)[0] == (
            "Lapsu komanda un Lāču komanda dala uzvaru!"
        )
        kiosk.wait(2)
        kiosk.screenshot(SHOTS / "shared-win-lv.png")
        assert kiosk.app.ui.text.overflows == []


def test_a_teams_pulled_out_pad_is_named_and_it_plays_on_when_back(tmp_path: Path) -> None:
    with team_station(tmp_path, lang="lv") as (kiosk, pads):
        fox, bear, frog = plug(kiosk, pads, 3)
        game = quiz_with_teams(kiosk, [fox, bear, frog])
        _to_first_question(kiosk, game, fox)
        _buzz(kiosk, fox)
        frog.unplug()
        kiosk.step(2)
        overlay = kiosk.app.scene(routes.PadMissing)
        assert overlay is not None and kiosk.app.top is overlay
        assert overlay.message().splitlines() == [  # type: ignore[attr-defined]
            "Varžu komandas pults ir atvienota.",
            "Pievieno to atkal, lai spēlētu tālāk.",
        ]
        kiosk.app.set_language("en")
        assert overlay.message().splitlines()[0] == "Team Frog's controller is unplugged."  # type: ignore[attr-defined]
        kiosk.screenshot(SHOTS / "frog-unplugged.png")
        assert kiosk.app.ui.text.overflows == []
        # The game waits, Team Fox's time to answer too.
        kiosk.wait(ANSWER_S + 5)
        again = pads.plug("Frog's pad again")
        kiosk.step(2)
        assert kiosk.scene_name == "ActivityHost"
        assert game.buzzer is not None and game.buzzer.answering == 0
        _answer(kiosk, game, fox, right=False)
        _buzz(kiosk, again)
        assert game.buzzer is not None and game.buzzer.answering == 2  # still Team Frog


@pytest.mark.parametrize("size", [(1280, 1024), (1366, 768), (3840, 2160)])
def test_four_teams_fit_the_bar_and_the_end_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    with team_station(tmp_path, lang="lt", size=size) as (kiosk, pads):
        plugged = plug(kiosk, pads, 4)
        game = quiz_with_teams(kiosk, plugged)
        _to_first_question(kiosk, game, plugged[0])
        screen = kiosk.app.screen.get_rect()
        for pad in (*plugged, plugged[3]):
            _buzz(kiosk, pad)
            kiosk.screenshot()
            assert all(screen.contains(b.rect) for b in kiosk.buttons())
            _answer(kiosk, game, pad, right=True)
            _next(kiosk, pad)
        assert game.phase == "stars"
        kiosk.wait(2)
        kiosk.screenshot(SHOTS / f"end-4-teams-{size[0]}x{size[1]}.png")
        assert kiosk.app.ui.text.overflows == []
        board = game.view.final_score_rect()
        assert screen.contains(board)
        cards = card_rects(kiosk.app.ui, board.size, 4)
        for i, card in enumerate(cards):
            assert pygame.Rect((0, 0), board.size).contains(card)
            assert all(not card.colliderect(other) for other in cards[i + 1 :])
        on_screen = [card.move(board.topleft) for card in cards]
        assert all(not card.colliderect(b.rect) for card in on_screen for b in kiosk.buttons())


def test_the_groups_time_running_out_mid_round_shows_every_teams_score(tmp_path: Path) -> None:
    with team_station(tmp_path) as (kiosk, pads):
        fox, bear, frog = plug(kiosk, pads, 3)
        controllers_step(kiosk)
        kiosk.tap_button("controllers:back")  # back to the setup: a 1-minute timer this time
        kiosk.tap_button("group:timer:1")
        kiosk.tap_button("group:start")
        for pad in (fox, bear, frog):
            press(kiosk, pad, A)
        kiosk.tap_button("controllers:start")
        kiosk.tap_button("tile:quiz")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        assert isinstance(game, PictureQuiz)
        _to_first_question(kiosk, game, frog)
        _buzz(kiosk, frog)
        _answer(kiosk, game, frog, right=True)
        _next(kiosk, frog)
        _buzz(kiosk, bear)  # Team Bear is still thinking when the time runs out
        kiosk.wait(70, dt=0.5)
        assert kiosk.scene_name == "TimeUp"
        time_up = kiosk.app.top
        assert [(t.name, t.points) for t in time_up.teams] == [  # type: ignore[union-attr]
            ("Team Fox", 0),
            ("Team Bear", 0),
            ("Team Frog", 1),
        ]
        kiosk.screenshot(SHOTS / "time-up.png")
        assert kiosk.app.errors == 0 and kiosk.app.ui.text.overflows == []
        assert kiosk.app.session.teams is None  # the next session starts without teams


def test_the_buzzer_rules_give_each_team_one_try_per_question() -> None:
    from games.quiz.buzzer import BuzzerRound
    from games.quiz.rounds import AskedQuestion, QuizRound

    def question() -> AskedQuestion:
        answers = [Answer(text={"en": str(i)}, correct=i == 3) for i in range(4)]
        return AskedQuestion(Question(id="q", prompt={"en": "?"}, answers=answers), answers)

    quiz = QuizRound(pack=None, level_number=2, questions=[question() for _ in range(3)])  # type: ignore[arg-type]
    buzzer = BuzzerRound(quiz, 4)
    # 1: Team 3 first; nobody else may buzz or choose meanwhile.
    assert buzzer.buzz(2, now=0.0) and not buzzer.buzz(1, now=0.1)
    assert buzzer.choose(1, 0) is None
    assert buzzer.choose(2, 0) == "wrong" and not buzzer.may_buzz(2)
    assert buzzer.buzz(0, now=1.0)
    assert buzzer.tick(now=1.0 + ANSWER_S - 0.01) is None
    assert buzzer.tick(now=1.0 + ANSWER_S) == "late"
    assert buzzer.buzz(1, now=20.0) and buzzer.choose(1, 1) == "wrong"
    assert buzzer.buzz(3, now=21.0) and buzzer.choose(3, 2) == "shown"  # every team tried
    assert buzzer.points == [0, 0, 0, 0] and buzzer.current.done
    assert buzzer.advance() and buzzer.tried == [] and buzzer.may_buzz(2)
    # 2: three wrong answers leave one: no choice, so no point, though Team 4 never tried.
    for team in (0, 1, 2):
        assert buzzer.buzz(team, now=30.0 + team)
        buzzer.choose(team, team)
    assert buzzer.phase == "done" and buzzer.last == "shown" and not buzzer.may_buzz(3)
    assert buzzer.advance()
    # 3: a point.
    assert buzzer.buzz(3, now=40.0) and buzzer.choose(3, 3) == "right"
    assert buzzer.points == [0, 0, 0, 1] and buzzer.right_answers == 1
    assert not buzzer.advance()  # that was the last question
