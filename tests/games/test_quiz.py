"""A scripted player finishes the picture quiz at every level, by mouse, touch and keyboard;
wrong answers, team play, topics and the layout in every language are checked too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

import games.quiz.rounds as rounds
from games.quiz import PictureQuiz
from games.quiz.rounds import LEVELS, AskedQuestion, stars_for
from kiosk import routes
from kiosk.activities import RegisteredActivity
from kiosk.api import Pack
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.sessions import RunEnded
from kiosk.ui.scoreboard import verdict
from tests.games.arrows import choose, next_level_then_home, only_controller_keys

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
SHOTS = Path("/tmp/quiz-shots")


def _kiosk(
    packs: tuple[str, ...] = ("quiz-animals", "quiz-fruit"),
    size: tuple[int, int] = (1366, 768),
    lang: str | None = None,
) -> Harness:
    """A kiosk offering only the quiz, with only the fixture packs named in `packs`
    (whatever packs content/ holds today are left out, so the tests know the topics)."""
    kiosk = Harness(
        config=parse_config(f"content:\n  folders: [{FIXTURES}]\n"),
        registered=[RegisteredActivity(PictureQuiz, "tests")],
        size=size,
        lang=lang,
    )
    kiosk.app.packs.wait()
    kiosk.app.packs.packs[:] = [p for p in kiosk.app.packs.packs if p.pack in packs]
    return kiosk


@pytest.fixture
def kiosk() -> Iterator[Harness]:
    harness = _kiosk()
    try:
        yield harness
    finally:
        harness.close()


def _open_quiz(kiosk: Harness, group: bool = False) -> PictureQuiz:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    if group:
        kiosk.app.sessions.start_session("group", 23, None, kiosk.app.translator.lang)
        kiosk.app.go(routes.Launcher())
        kiosk.step(2)
    kiosk.tap_button("tile:quiz")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, PictureQuiz)
    return game


def _press(kiosk: Harness, game: PictureQuiz, button_id: str, via: str) -> None:
    """Press a button as a child would: tap it, or Tab the blue ring to it and press Enter."""
    if via != "keyboard":
        kiosk.tap_button(button_id, via=via)
        return
    for _ in range(len(game.buttons.buttons) + 1):
        focused = game.buttons.focused
        if focused is not None and focused.id == button_id:
            break
        kiosk.key(pygame.K_TAB, frames=1)
    assert game.buttons.focused is not None and game.buttons.focused.id == button_id
    kiosk.key(pygame.K_RETURN)


def _completed(kiosk: Harness) -> list[tuple[int | None, int | None]]:
    runs = [e for e in kiosk.sink.of_type(RunEnded) if e.outcome == "completed"]  # type: ignore[union-attr]
    return [(e.level, e.score) for e in runs]  # type: ignore[union-attr]


def _answer_all(kiosk: Harness, game: PictureQuiz, via: str, wrong_first: bool = False) -> None:
    assert game.round is not None
    while game.phase == "play":
        asked = game.round.current
        if wrong_first:
            wrong = next(i for i in range(len(asked.answers)) if i != asked.right_index)
            _press(kiosk, game, f"answer:{wrong}", via)
        if not asked.done:
            _press(kiosk, game, f"answer:{asked.right_index}", via)
        assert asked.done
        _press(kiosk, game, "next", via)


# ----- playing to the end --------------------------------------------------------------


@pytest.mark.parametrize("via", ["mouse", "touch", "keyboard"])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_quiz_can_be_finished_at_every_level(kiosk: Harness, level: int, via: str) -> None:
    game = _open_quiz(kiosk)
    assert game.phase == "topic"
    _press(kiosk, game, "topic:quiz-animals", via)
    assert game.phase == "level"
    _press(kiosk, game, f"level:{level}", via)
    assert game.phase == "play" and game.round is not None
    rules = LEVELS[level - 1]
    assert len(game.round.questions) == rules.questions
    assert all(2 <= len(q.answers) <= rules.max_answers for q in game.round.questions)
    _answer_all(kiosk, game, via)
    assert game.phase == "stars"
    assert game.round.stars == 3
    assert _completed(kiosk) == [(level, rules.questions)]


def test_only_first_try_answers_score(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:1")
    _answer_all(kiosk, game, "mouse", wrong_first=True)
    assert game.phase == "stars"
    assert game.round is not None and game.round.stars == 1
    assert _completed(kiosk) == [(1, 0)]


def test_a_wrong_answer_gets_a_kind_second_try_at_level_1(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:1")
    assert game.round is not None
    asked = game.round.current
    wrong = next(i for i in range(len(asked.answers)) if i != asked.right_index)
    kiosk.tap_button(f"answer:{wrong}")
    assert asked.tried == [wrong] and not asked.done
    # Another try, unless the right answer was the only one left.
    assert game.feedback == ("try-again" if len(asked.answers) > 2 else "shown")
    tried = kiosk.find_button(f"answer:{wrong}")
    assert not tried.enabled
    kiosk.tap_button(f"answer:{wrong}")  # tapping it again changes nothing
    assert asked.tried == [wrong]
    with pytest.raises(LookupError):
        kiosk.find_button("next")
    kiosk.tap_button(f"answer:{asked.right_index}")
    assert asked.done and not asked.right_first_try and game.feedback == "right"
    assert kiosk.find_button("next")


def test_level_3_shows_the_right_answer_after_one_wrong_try(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:3")
    assert game.round is not None
    asked = game.round.current
    wrong = next(i for i in range(len(asked.answers)) if i != asked.right_index)
    kiosk.tap_button(f"answer:{wrong}")
    assert asked.done and game.feedback == "shown"
    right = kiosk.find_button(f"answer:{asked.right_index}")
    assert right.state == "right" and not right.enabled  # type: ignore[attr-defined]
    assert kiosk.find_button(f"answer:{wrong}").state == "tried"  # type: ignore[attr-defined]
    assert game.buttons.focused is not None and game.buttons.focused.id == "next"


def test_the_quiz_waits_for_next_however_long_the_child_reads(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:2")
    assert game.round is not None
    kiosk.tap_button(f"answer:{game.round.current.right_index}")
    kiosk.wait(20)
    assert game.round.index == 0 and game.phase == "play"
    kiosk.tap_button("next")
    assert game.round.index == 1 and not game.round.current.done


def test_next_level_play_again_and_another_topic(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:1")
    _answer_all(kiosk, game, "mouse")
    assert game.buttons.focused is not None and game.buttons.focused.id == "next"
    kiosk.tap_button("next")
    assert game.phase == "play" and game.level == 2
    _answer_all(kiosk, game, "mouse")
    kiosk.tap_button("again")
    assert game.phase == "play" and game.level == 2
    kiosk.tap_button("home")
    outcomes = [(e.outcome, e.level) for e in kiosk.sink.of_type(RunEnded)]  # type: ignore[union-attr]
    assert outcomes == [("completed", 1), ("completed", 2), ("quit", 2)]


def test_another_topic_and_the_back_arrow_lead_to_the_topics(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    kiosk.tap_button("topic:quiz-fruit")
    kiosk.tap_button("topics")
    assert game.phase == "topic"
    kiosk.tap_button("topic:quiz-fruit")
    kiosk.tap_button("level:3")
    assert game.round is not None
    # The fruit topic has only 3 questions: the round asks them all.
    assert len(game.round.questions) == 3
    _answer_all(kiosk, game, "mouse")
    with pytest.raises(LookupError):
        kiosk.find_button("next")  # no level after the last
    kiosk.tap_button("topics")
    assert game.phase == "topic"
    assert _completed(kiosk) == [(3, 3)]


# ----- topics and languages ------------------------------------------------------------


def test_one_topic_skips_the_topic_picker() -> None:
    with _kiosk(packs=("quiz-animals",)) as kiosk:
        game = _open_quiz(kiosk)
        assert game.phase == "level"
        with pytest.raises(LookupError):
            kiosk.find_button("topics")


def test_only_topics_in_the_childs_language_are_offered() -> None:
    # The fruit pack speaks Latvian and English only: a Lithuanian child gets animals.
    with _kiosk(lang="lt") as kiosk:
        game = _open_quiz(kiosk)
        assert game.phase == "level"
        assert game.pack is not None and game.pack.pack == "quiz-animals"


def test_without_questions_in_the_language_a_friendly_message_shows() -> None:
    with _kiosk(packs=("quiz-fruit",), lang="lt") as kiosk:
        game = _open_quiz(kiosk)
        assert game.phase == "empty"
        assert kiosk.buttons() == [kiosk.find_button("home")]
        kiosk.screenshot(SHOTS / "empty.png")
        assert kiosk.app.ui.text.overflows == []


def test_changing_language_mid_question_keeps_the_question_and_its_marks(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:2")
    assert game.round is not None
    asked = game.round.current
    kiosk.tap_button(f"answer:{asked.right_index}")
    kiosk.app.set_language("lt")
    kiosk.step(2)
    assert game.round.current is asked and asked.done
    right = kiosk.find_button(f"answer:{asked.right_index}")
    assert right.state == "right"  # type: ignore[attr-defined]
    answer = asked.answers[asked.right_index]
    assert game.pack is not None
    texts = game.pack.word(answer.word).text if answer.word else answer.text
    assert texts is not None
    expected = texts["lt"]
    assert right.label == expected
    kiosk.tap_button("next")
    assert game.round.index == 1


def test_the_ring_leaves_a_tried_answer_for_one_still_to_choose(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    _press(kiosk, game, "topic:quiz-animals", "keyboard")
    _press(kiosk, game, "level:2", "keyboard")
    assert game.round is not None
    asked = game.round.current
    wrong = next(i for i in range(len(asked.answers)) if i != asked.right_index)
    _press(kiosk, game, f"answer:{wrong}", "keyboard")
    if not asked.done:
        focused = game.buttons.focused
        assert focused is not None and focused.enabled and focused.id != f"answer:{wrong}"
        _press(kiosk, game, f"answer:{asked.right_index}", "keyboard")
    assert game.buttons.focused is not None and game.buttons.focused.id == "next"
    kiosk.key(pygame.K_RETURN)
    assert game.round.index == 1


# ----- teams ---------------------------------------------------------------------------


def test_in_a_group_session_two_teams_answer_in_turn_and_the_winner_is_cheered(
    kiosk: Harness,
) -> None:
    game = _open_quiz(kiosk, group=True)
    assert game.teams
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:1")
    assert game.round is not None
    turns = []
    markers = []
    while game.phase == "play":
        asked = game.round.current
        turns.append(asked.team)
        markers.append(game.turn_text(asked.team))
        if asked.team == 1:  # the bears miss their first try every time
            wrong = next(i for i in range(len(asked.answers)) if i != asked.right_index)
            kiosk.tap_button(f"answer:{wrong}")
        if not asked.done:
            kiosk.tap_button(f"answer:{asked.right_index}")
        kiosk.tap_button("next")
    assert turns == [0, 1, 0, 1, 0]
    assert markers[:2] == ["Lapsu komandas kārta", "Lāču komandas kārta"]
    assert game.round.team_scores == [3, 0] and game.round.winner == 0
    assert _completed(kiosk) == [(1, 3)]
    # The final score screen: both teams with their points, the winner named, all praised.
    teams = game.team_scores()
    assert teams is not None
    assert [(t.name, t.picture, t.points) for t in teams] == [
        ("Lapsu komanda", "fox", 3),
        ("Lāču komanda", "bear", 0),
    ]
    assert verdict(teams, kiosk.app.translator.gettext) == (
        "Uzvar Lapsu komanda!",
        "Malači, visas komandas! Jūs lieliski spēlējāt kopā.",
    )
    kiosk.wait(2)
    board = game.view.final_score_rect()
    shot = kiosk.screenshot(SHOTS / "group-end-winner.png")
    fox_color = teams[0].color
    assert any(
        tuple(shot.get_at((x, board.centery)))[:3] == fox_color
        for x in range(board.left, board.centerx)
    )
    assert kiosk.app.ui.text.overflows == []


def test_a_group_round_can_end_in_a_tie(kiosk: Harness) -> None:
    game = _open_quiz(kiosk, group=True)
    kiosk.tap_button("topic:quiz-animals")
    kiosk.tap_button("level:2")
    _answer_all(kiosk, game, "mouse")
    assert game.round is not None and game.round.team_scores == [4, 4]
    assert game.round.winner is None
    teams = game.team_scores()
    assert teams is not None
    assert verdict(teams, kiosk.app.translator.gettext)[0] == "Neizšķirts!"
    kiosk.wait(2)
    kiosk.screenshot(SHOTS / "group-end-tie.png")


def test_stars_follow_the_share_of_right_answers() -> None:
    assert stars_for(5, 5) == 3
    assert stars_for(8, 10) == 3
    assert stars_for(4, 8) == 2
    assert stars_for(1, 5) == 1


# ----- layout --------------------------------------------------------------------------


def _every_question_in_order(
    pack: Pack, level: rounds.Level, rng: object, teams: bool
) -> list[AskedQuestion]:
    """A round of all the pack's questions in the pack's order, so the layout test sees
    picture questions, long texts and explanations."""
    return [
        AskedQuestion(q, list(q.answers)[: level.max_answers], team=n % 2 if teams else None)
        for n, q in enumerate(pack.questions)
    ]


def _assert_on_screen(kiosk: Harness) -> None:
    screen = kiosk.app.screen.get_rect()
    for button in kiosk.buttons():
        assert screen.contains(button.rect), button.id
    assert kiosk.app.ui.text.overflows == []


@pytest.mark.parametrize(
    ("size", "lang", "group"),
    [
        ((1366, 768), "lv", False),
        ((1366, 768), "lt", True),
        ((1366, 768), "en", False),
        ((1280, 1024), "lv", True),
        ((3840, 2160), "lv", True),
        ((3840, 2160), "lt", False),
        ((3840, 2160), "en", True),
    ],
)
def test_every_screen_fits_in_every_language(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], lang: str, group: bool
) -> None:
    monkeypatch.setattr(rounds, "deal", _every_question_in_order)
    name = f"{size[0]}x{size[1]}-{lang}{'-group' if group else ''}"
    with _kiosk(size=size, lang=lang, packs=("quiz-animals", "quiz-fruit")) as kiosk:
        game = _open_quiz(kiosk, group=group)
        shots = size[0] == 1366 or lang == "lv"
        if game.phase == "topic":
            kiosk.screenshot(SHOTS / f"{name}-topics.png")
            _assert_on_screen(kiosk)
            kiosk.tap_button("topic:quiz-animals")
        kiosk.screenshot(SHOTS / f"{name}-levels.png")
        _assert_on_screen(kiosk)
        kiosk.tap_button("level:3")
        assert game.round is not None
        while game.phase == "play":
            asked = game.round.current
            if shots:
                kiosk.screenshot(SHOTS / f"{name}-{asked.question.id}.png")
            _assert_on_screen(kiosk)
            wrong = next(i for i in range(len(asked.answers)) if i != asked.right_index)
            kiosk.tap_button(f"answer:{wrong}")
            _assert_on_screen(kiosk)
            if shots:
                kiosk.screenshot(SHOTS / f"{name}-{asked.question.id}-answered.png")
            kiosk.tap_button("next")
        kiosk.wait(2)
        kiosk.screenshot(SHOTS / f"{name}-end.png")
        _assert_on_screen(kiosk)


def test_the_quiz_can_be_played_with_arrows_enter_and_escape_alone(kiosk: Harness) -> None:
    game = _open_quiz(kiosk)
    only_controller_keys(kiosk)
    choose(kiosk, game.buttons, "topic:quiz-animals")
    choose(kiosk, game.buttons, "level:1")
    while game.phase == "play":
        assert game.round is not None
        choose(kiosk, game.buttons, f"answer:{game.round.current.right_index}", pygame.K_SPACE)
        assert game.buttons.focused is not None and game.buttons.focused.id == "next"
        kiosk.key(pygame.K_RETURN)
    assert game.phase == "stars"
    next_level_then_home(kiosk, 1)
