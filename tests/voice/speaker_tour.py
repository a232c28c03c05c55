"""A child's tour of every speaker in Telpa, shared by the speaker tests: in-process (what
was asked of the voice) and in a subprocess on SDL's disk audio driver (what was heard).

`tour` walks a headless kiosk through the attract screen, the age question, the launcher,
"Are you still there?" and the six games, and at each place presses what a child who
cannot read presses (a speaker button, or the card, thing or letter tile itself). For each
it calls `press(what, action, text, lang)`: `action` does the press, `text` and `lang` are
what the child must then hear, worked out from the screen's state."""

from __future__ import annotations

from collections.abc import Callable

from games.memory import MemoryPairs
from games.numbers import NumberGarden
from games.quiz import PictureQuiz
from games.sorting import SortItOut
from games.words import WordBuilder
from games.words.letters import letter_name
from kiosk import routes
from kiosk.api import Activity
from kiosk.harness import Harness

Press = Callable[[str, Callable[[], None], str, str], None]


def open_tile(kiosk: Harness, activity: str) -> Activity:
    """Open an activity from the launcher's first page, turning pages to find its tile."""
    kiosk.app.go(routes.Launcher())
    kiosk.step(2)
    while not any(b.id == f"tile:{activity}" for b in kiosk.buttons()):
        kiosk.tap_button("page:next")
    kiosk.tap_button(f"tile:{activity}")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, Activity)
    return game


def _first(kiosk: Harness, prefix: str) -> None:
    """Tap the first button whose id starts with `prefix`, when there is one."""
    for button in kiosk.buttons():
        if button.id.startswith(prefix):
            kiosk.tap_button(button.id)
            return


def tour(kiosk: Harness, press: Press) -> None:
    app = kiosk.app
    lang = app.translator.lang
    _ = app.translator.gettext

    def tap(button_id: str) -> Callable[[], None]:
        return lambda: kiosk.tap_button(button_id)

    press("attract", tap("speak"), _("Touch to start"), lang)
    kiosk.tap_button("start")
    press("age", tap("speak"), _("How old are you?"), lang)
    kiosk.tap_button("age:skip")
    tiles = [b.label for b in kiosk.buttons() if b.id.startswith("tile:")]
    names = " ".join([_("What would you like to do?"), *(f"{name}." for name in tiles)])
    press("launcher", tap("speak"), names, lang)

    def idle() -> None:
        app.push(routes.IdlePrompt())
        kiosk.step()

    press("idle", idle, _("Are you still there?"), lang)  # by itself, no tap
    kiosk.tap_button("still-here")

    quiz = open_tile(kiosk, "quiz")
    assert isinstance(quiz, PictureQuiz)
    _first(kiosk, "topic:")
    kiosk.tap_button("level:1")
    assert quiz.round is not None
    asked = quiz.round.current
    press("quiz question", tap("speak"), quiz.ctx.pick(asked.question.prompt), lang)
    answer = asked.answers[1]
    press("quiz answer", tap("speak:1"), quiz.answer_text(answer), quiz.answer_lang(answer))

    memory = open_tile(kiosk, "memory")
    assert isinstance(memory, MemoryPairs)
    # Latvian and Lithuanian word cards (each read in its own language), else word pairs.
    kiosk.tap_button(
        "topic:neighbours:lv-lt" if lang in ("lv", "lt") else "topic:professions:pairs"
    )
    kiosk.tap_button("level:1")
    first = memory.cards[0]
    # A second card from the other language where there is one.
    second = next((c for c in memory.cards if c.face.flag != first.face.flag), memory.cards[1])
    for card in (first, second):
        assert card.face.text
        press(
            "memory card",
            lambda c=card: kiosk.tap(c.rect.center),
            card.face.text,
            card.face.flag or lang,
        )

    sorting = open_tile(kiosk, "sorting")
    assert isinstance(sorting, SortItOut)
    _first(kiosk, "topic:")
    kiosk.tap_button("level:1")
    kiosk.wait(1.0)  # the first thing pops up
    word = sorting.item_word()
    assert word is not None and sorting.round is not None
    press(
        "sorting thing", lambda: kiosk.tap(sorting.home.center), sorting.ctx.pick(word.text), lang
    )
    bin_ = sorting.round.bins[0]
    press("sorting bin", tap(f"speak:{bin_.id}"), sorting.ctx.pick(bin_.text), lang)

    words = open_tile(kiosk, "words")
    assert isinstance(words, WordBuilder)
    kiosk.tap_button("level:1")
    press("words word", tap("speak"), words.word.text, lang)
    tile = next(t for t in words.tiles if t.slot is None)
    press("words letter", lambda: kiosk.tap(tile.home.center), letter_name(tile.letter, lang), lang)

    numbers = open_tile(kiosk, "numbers")
    assert isinstance(numbers, NumberGarden)
    kiosk.tap_button("level:2")
    press("numbers question", tap("speak"), numbers.spoken_question(), lang)

    jigsaw = open_tile(kiosk, "jigsaw")
    press("jigsaw", tap("speak"), _("Which picture shall we put together?"), lang)
    assert jigsaw is not None
