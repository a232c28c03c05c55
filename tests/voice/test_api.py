"""The speech API activities use: `ctx.say`, `ctx.stop_speaking`, `ctx.warm_speech` and
`ctx.reads_aloud`, through a real headless kiosk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.activities import RegisteredActivity
from kiosk.api import Activity, ActivityInfo, Button, ButtonGroup, InputEvent
from kiosk.harness import Harness

QUESTION = "Kas strādā slimnīcā?"


class Speaker(Activity):
    info = ActivityInfo(
        id="speaker", title={"lv": "Runātājs", "lt": "Kalbėtojas", "en": "Speaker"}, icon="puzzle"
    )

    def on_enter(self) -> None:
        self.read_alone = self.ctx.reads_aloud
        self.ctx.warm_speech(["Ārsts", "Pavārs"])
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        area = self.ctx.area
        self.buttons.set_buttons(
            [
                Button(
                    id="speak",
                    rect=pygame.Rect(area.x + 50, area.y + 50, 200, 200),
                    color=(200, 200, 255),
                    icon="speaker-high-volume",
                    on_press=lambda: self.ctx.say(QUESTION),
                ),
                Button(
                    id="quiet",
                    rect=pygame.Rect(area.x + 300, area.y + 50, 200, 200),
                    color=(200, 200, 200),
                    on_press=self.ctx.stop_speaking,
                ),
            ]
        )

    def handle_event(self, event: InputEvent) -> bool:
        return self.buttons.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        self.buttons.draw(surface)


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Harness]:
    harness = Harness(
        registered=[RegisteredActivity(Speaker, "tests")], data_folder=tmp_path / "data"
    )
    try:
        yield harness
    finally:
        harness.close()


def _open(kiosk: Harness, age: str = "skip") -> Speaker:
    kiosk.tap_button("start")
    kiosk.tap_button(f"age:{age}")
    kiosk.tap_button("tile:speaker")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, Speaker)
    return game


def _tap_and_let_the_worker_finish(kiosk: Harness, button: str) -> None:
    kiosk.tap_button(button)
    assert kiosk.app.voice.wait_idle()
    kiosk.step()


def test_a_speaker_button_reads_the_question_in_the_childs_language(kiosk: Harness) -> None:
    _open(kiosk)
    voice = kiosk.app.voice
    assert voice.available
    _tap_and_let_the_worker_finish(kiosk, "speak")
    assert voice.started == 1 and voice.speaking
    cached = list((kiosk.app.data_folder / "cache" / "speech").glob("*.wav"))  # type: ignore[operator]
    assert len(cached) == 3  # the question and the two warmed words


def test_stop_speaking_and_going_home_silence_the_voice(kiosk: Harness) -> None:
    _open(kiosk)
    voice = kiosk.app.voice
    _tap_and_let_the_worker_finish(kiosk, "speak")
    kiosk.tap_button("quiet")
    assert not voice.speaking
    _tap_and_let_the_worker_finish(kiosk, "speak")
    assert voice.speaking
    kiosk.tap_button("home")
    assert not voice.speaking


@pytest.mark.parametrize(("age", "expected"), [("6-8", True), ("9-11", False), ("skip", False)])
def test_questions_read_themselves_for_the_youngest_by_default(
    kiosk: Harness, age: str, expected: bool
) -> None:
    assert _open(kiosk, age).read_alone is expected
