"""The Activity API: the only part of Telpa that games and creative tools import.

An activity is a class with an `info` and the scene lifecycle::

    class Counting(Activity):
        info = ActivityInfo(id="counting", icon="abacus", category="play", levels=3,
                            title={"lv": "Skaitīšana", "lt": "Skaičiavimas", "en": "Counting"})

        def on_enter(self) -> None:
            self.ctx.start_round(level=1)
        def handle_event(self, event: InputEvent) -> bool: ...
        def update(self, dt: float) -> None: ...
        def draw(self, surface: pygame.Surface) -> None: ...

It is registered in its package's pyproject.toml under the entry-point group
``kiosk.activities`` and appears in the launcher at the next start.

The shell owns the top bar with the Home button (top-left, always), Escape, idle time-outs
and usage recording. The activity owns `ctx.area`, reports rounds through its context —
`start_round`, `set_score`, `complete` — and may ask to leave with `go_home()`. An
exception raised by any method is caught by the shell: the child sees a friendly
message, the run is recorded as `error` and the traceback goes to the log.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pygame

from kiosk import kit
from kiosk.creations import Creation, CreationError, VisitCreations
from kiosk.input import MOUSE_POINTER, InputEvent, KeyEvent, PointerEvent
from kiosk.packs.models import Answer, Bin, Pack, Picture, Question, Sorting, SortItem, Word
from kiosk.teams import Team, Teams
from kiosk.ui import draw, theme
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.pad_glyph import pad_button
from kiosk.ui.scoreboard import ScoreUnit, TeamScore, final_scores, verdict, winners
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets import (
    SPEAKER_SIZE,
    UI,
    Button,
    ButtonGroup,
    left_of,
    speak,
    speaker_button,
)

if TYPE_CHECKING:
    from kiosk.media.camera import CameraSource
    from kiosk.media.microphone import Microphone

__all__ = [
    # the game kit (kiosk/kit): the flow of a round, pickers, tile grid, stars banner
    "kit",
    "MOUSE_POINTER",
    "UI",
    "Activity",
    "ActivityContext",
    "ActivityInfo",
    "Answer",
    "Bin",
    "Button",
    "ButtonGroup",
    "Creation",
    "CreationError",
    "InputEvent",
    "KeyEvent",
    "Metrics",
    "OnScreenKeyboard",
    "Pack",
    "Picture",
    "PointerEvent",
    "Question",
    "SessionInfo",
    "SortItem",
    "Sorting",
    "Team",
    "TeamScore",
    "Teams",
    "Word",
    "draw",
    "final_scores",
    "ScoreUnit",
    "verdict",
    "winners",
    "pad_button",
    "round_end_buttons",
    "theme",
    "VisitCreations",
]

Category = Literal["play", "create"]


@dataclass(frozen=True)
class ActivityInfo:
    id: str
    #: The launcher title in each language the activity supports ("lv", "lt", "en").
    title: dict[str, str]
    #: A picture name from assets/emoji (e.g. "puzzle").
    icon: str
    category: Category = "play"
    #: Number of difficulty levels (1 for tools without levels).
    levels: int = 3
    #: Whether the activity shows a two-team score bar in group sessions.
    supports_teams: bool = False


@dataclass(frozen=True)
class SessionInfo:
    kind: Literal["solo", "group"]
    headcount: int
    age_band: str | None
    #: The teams playing with game controllers (kiosk.teams), when the group's librarian
    #: let them join in the setup's Controllers step; None otherwise.
    teams: Teams | None = None


@dataclass(eq=False)
class ActivityContext:
    """What the shell offers a running activity. Built by the shell, one per visit."""

    area: pygame.Rect
    ui: UI
    lang: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    pick: Callable[[Mapping[Any, str]], str]
    session: SessionInfo
    random: random.Random
    now: Callable[[], float]
    _invalidate: Callable[[pygame.Rect | None], None]
    _start_round: Callable[[int | None], None]
    _set_progress: Callable[[int | None, int | None], None]
    _complete: Callable[[int | None, int | None], None]
    _go_home: Callable[[], None]
    #: The usable content packs (broken ones are left out and shown to the librarian).
    packs: list[Pack] = field(default_factory=list)
    _picture: Callable[[Pack, str, int], pygame.Surface] | None = None
    _original_picture: Callable[[Pack, str], pygame.Surface | None] | None = None
    _picture_size: Callable[[Pack, str], tuple[int, int] | None] | None = None
    #: Where creative tools keep the children's work: make new creations, list and open
    #: this session's own. None when the kiosk has no data folder.
    creations: VisitCreations | None = None

    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        """Ask for `rect` (default: the whole area) to be redrawn at the next frame."""
        self._invalidate(rect if rect is not None else self.area)

    def start_round(self, level: int | None = None) -> None:
        """A round begins: the shell opens a run (an unfinished earlier one ends as quit)."""
        self._start_round(level)

    def set_level(self, level: int) -> None:
        self._set_progress(level, None)

    def set_score(self, score: int) -> None:
        self._set_progress(None, score)

    def complete(self, score: int | None = None, level: int | None = None) -> None:
        """The round was played to the end: its run is recorded as completed."""
        self._complete(score, level)

    def go_home(self) -> None:
        """Leave to the launcher, as the Home button does."""
        self._go_home()

    def picture(self, pack: Pack, picture_id: str, size: int) -> pygame.Surface:
        """A pack's picture (pictogram or photo) fitted into size×size, cached."""
        if self._picture is None:
            return self.ui.images.placeholder(size)
        return self._picture(pack, picture_id, size)

    def original_picture(self, pack: Pack, picture_id: str) -> pygame.Surface | None:
        """A pack's picture at its stored size (photos upright, at most 2048 px), e.g. to cut
        jigsaw pieces from; None when it cannot be shown."""
        if self._original_picture is None:
            return None
        return self._original_picture(pack, picture_id)

    def photo_size(self, pack: Pack, picture_id: str) -> tuple[int, int] | None:
        """The size of a pack's photo (a `file:` picture), upright, without loading it;
        None for pictograms."""
        if self._picture_size is None:
            return None
        return self._picture_size(pack, picture_id)

    def packs_with(self, part: str) -> list[Pack]:
        """Packs that have `part` ("words", "questions", "pairs", "sorting") and speak the
        child's language."""
        return [p for p in self.packs if getattr(p, part) and (self.lang in p.languages)]

    def play_sound(self, name: str) -> None:
        """One of: tap, flip, good, try-again, success. Silent where sound is off."""
        self.ui.sounds.play(name)

    def say(self, text: str, lang: str | None = None) -> None:
        """Read `text` aloud (in `lang`, default the child's language), replacing what is
        being said. Returns at once; silent where there is no sound device or speech is
        off. Give the text exactly as shown, so a pack's recorded clip is found."""
        speak(self.ui, text, lang or self.lang)

    def speaker(
        self, button_id: str, center: tuple[int, int], text: str, lang: str | None = None
    ) -> Button | None:
        """The kit's round speaker button, centred on `center`, for a text the child must
        understand: a press reads `text` (in `lang`, default the child's language), a
        second press while it is read stops it. None where nothing could be heard (no
        sound device, speech off): keep its room free and add it to your buttons when
        given. Its diameter is `speaker_size`."""
        return speaker_button(self.ui, button_id, center, text, lang or self.lang)

    def speaker_left_of(
        self, button_id: str, text_rect: pygame.Rect, text: str, lang: str | None = None
    ) -> Button | None:
        """`speaker`, just left of the rectangle a shown text takes (e.g. a title's)."""
        return self.speaker(button_id, left_of(self.ui, text_rect), text, lang)

    @property
    def speaker_size(self) -> int:
        """A speaker button's diameter in pixels."""
        return self.ui.metrics.px(SPEAKER_SIZE)

    def stop_speaking(self) -> None:
        """Stop reading aloud (the child moved on). The shell also stops it on leaving."""
        voice = self.ui.voice
        if voice is not None:
            voice.stop()

    def warm_speech(self, texts: Iterable[str], lang: str | None = None) -> None:
        """Prepare the voice of texts the child will soon meet (the next question and its
        answers), in the background, so `say` starts them at once."""
        voice = self.ui.voice
        if voice is not None:
            voice.warm(texts, lang or self.lang)

    @property
    def reads_aloud(self) -> bool:
        """Whether questions should be read out by themselves, without a tap (the
        youngest age band, or wherever the site turns it on: `sound.read_aloud`)."""
        voice = self.ui.voice
        return voice is not None and voice.reads_aloud(self.session.age_band)

    def open_camera(self, size: tuple[int, int] = (640, 480)) -> CameraSource | None:
        """The first camera that really delivers pictures, not yet started; None (logged)
        when there is none. The caller starts it and stops it in `on_exit`."""
        from kiosk.media.camera import open_camera

        return open_camera(size)

    def open_microphone(self) -> Microphone | None:
        """A microphone to record narration from; None (logged) when there is none."""
        from kiosk.media.microphone import open_microphone

        return open_microphone()


def round_end_buttons(
    ctx: ActivityContext,
    top: int,
    level: int,
    levels: int,
    start: Callable[[int], None],
    extra: Sequence[Button] = (),
) -> list[Button]:
    """The buttons after a finished round, in one centred row at `top`: any `extra`
    buttons first (e.g. another topic), then "Play again" and, below the last level,
    "Next level" (which gets the keyboard focus when the caller focuses the last)."""
    m = ctx.ui.metrics
    width, height, gap = m.px(330), m.px(120), m.px(40)
    buttons = list(extra)
    buttons.append(
        Button(
            id="again",
            rect=pygame.Rect(0, top, width, height),
            color=theme.NEUTRAL_COLOR,
            icon="repeat",
            label=ctx.gettext("Play again"),
            icon_share=0.5,
            on_press=partial(start, level),
        )
    )
    if level < levels:
        buttons.append(
            Button(
                id="next",
                rect=pygame.Rect(0, top, width, height),
                color=theme.YES_COLOR,
                icon="right-arrow",
                label=ctx.gettext("Next level"),
                icon_share=0.5,
                on_press=partial(start, level + 1),
            )
        )
    room = ctx.area.width - 2 * m.margin
    if len(buttons) * width + (len(buttons) - 1) * gap > room:
        width = (room - (len(buttons) - 1) * gap) // len(buttons)
    x = ctx.area.centerx - (len(buttons) * width + (len(buttons) - 1) * gap) // 2
    for button in buttons:
        button.rect.update(x, top, width, height)
        x += width + gap
    return buttons


class Activity:
    """Base class for mini-games and creative tools. Override what you need."""

    info: ClassVar[ActivityInfo]

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx

    def on_enter(self) -> None:
        """The child opened the activity; `ctx.area` is ready."""

    def on_exit(self) -> None:
        """The activity is closing (Home, idle time-out, or session end)."""

    def on_session_end(self, reason: str) -> None:
        """The child's session ended while the activity was open ("idle", "librarian",
        "timer", …); called just before `on_exit`. A creative tool marks its draft here:
        after an idle end it is kept for the librarian and never reopened for the next
        child."""

    def team_scores(self) -> Sequence[TeamScore] | None:
        """The teams' points now, when the activity plays in teams (group sessions); None
        otherwise. When a group's time runs out the shell shows them as the final score."""
        return None

    def on_pause(self) -> None:
        """Something covers the activity (e.g. "Are you still there?")."""

    def on_resume(self) -> None:
        """It is uncovered again."""

    def on_language_changed(self) -> None:
        """`ctx.gettext` and `ctx.pick` now answer in `ctx.lang`: rebuild labels."""

    def handle_event(self, event: InputEvent) -> bool:
        """Return True when the event was used."""
        return False

    def update(self, dt: float) -> None:
        """Advance animations and timers by `dt` seconds (from the shell's clock)."""

    def waiting_for_input(self) -> bool:
        """True while nothing the activity shows or times changes until the child acts (a
        topic or level picker): the shell then leaves `update` out until the next input,
        so a still screen costs only its input poll (the time left out is in the next
        `dt`). The default, False, is an update at every turn."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Paint `ctx.area` of `surface`. Called when something was invalidated."""
