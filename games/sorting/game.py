"""Sort it out: carry each thing into the bin where it belongs.

The child picks a topic (when several packs have sorting), then a level (2 bins and 6
things, 3 and 10, or all bins and 14), and sorts one thing at a time: drag it into a bin,
tap it and then a bin, or choose a bin with arrows/Tab and press Enter. A right bin takes
the thing in and counts it; a wrong one sends it gently back, and from level 2 a hand
points at the right bin after the second wrong try. The score is the number of things
sorted right at the first try; stars at the end.

In a group session where 2–4 teams joined with game controllers, a round is a race
instead (race.py, race_play.py): one lane per team, the same things for all, each team
sorting with its own pad; the end screen names the winning team."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pygame

import games.sorting.layout as layout
import games.sorting.painting as painting
from games.sorting.motion import Carry, Motion
from games.sorting.race import SortingRace
from games.sorting.race_play import RacePlay
from games.sorting.rules import LEVELS, SortingRound, deal
from kiosk.api import (
    Activity,
    ActivityInfo,
    ButtonGroup,
    InputEvent,
    KeyEvent,
    Pack,
    PointerEvent,
    Teams,
    TeamScore,
    Word,
    kit,
    verdict,
)

#: A press that moves less than this many units is a tap, not a drag.
TAP_SLOP = 14


#: The game's name on its launcher tile.
TITLE = {"lv": "Šķiro!", "lt": "Rūšiuok!", "en": "Sort it out!"}


class SortItOut(kit.RoundGame, Activity):
    info = ActivityInfo(
        id="sorting", title=TITLE, icon="recycling", levels=len(LEVELS), supports_teams=True
    )

    def on_enter(self) -> None:
        self.flow: kit.RoundFlow[Pack] = kit.RoundFlow(self.ctx, len(LEVELS), self.layout_phase)
        self.banner = kit.StarsBanner()
        self.round: SortingRound | None = None
        #: The race being played (or just finished) when teams play with pads.
        self.race: RacePlay | None = None
        #: Covered (a pad pulled out, "Are you still there?"): the race and its clock wait.
        self.paused = False
        self.time = 0.0
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        #: Speaker buttons of the play screen (the prompt, each bin).
        self.speakers = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        #: The thing being carried by a finger or the mouse, if any.
        self.carry: Carry | None = None
        #: A running animation of a thing (into a bin, back home, popping up).
        self.motion: Motion | None = None
        #: Whether the thing was tapped and waits for a bin to be tapped.
        self.selected = False
        self.hover: int | None = None
        self.hint: int | None = None
        self.hint_at = 0.0
        self.popped: tuple[int, float] | None = None
        # Set by the layout of each screen:
        self.title_rect = self.prompt_rect = self.home = pygame.Rect(0, 0, 0, 0)
        #: The race's end screen: the teams' score cards and the line on how they count.
        self.race_board = self.race_rule = pygame.Rect(0, 0, 0, 0)
        #: Composed pictures of this round (cards, badges), see painting.py.
        self.looks: dict[tuple[object, ...], pygame.Surface] = {}
        self._drawn_item: pygame.Rect | None = None
        self.show_topics()

    def show_topics(self) -> None:
        """Start over: the topic picker, or the level picker when there is one topic."""
        self.round = self.race = None
        self.flow.offer(self.ctx.packs_with("sorting"))

    @property
    def pack(self) -> Pack | None:
        return self.flow.topic

    def on_language_changed(self) -> None:
        self.looks.clear()
        if self.pack is not None and self.pack not in self.ctx.packs_with("sorting"):
            self.show_topics()  # the topic does not speak the new language
        else:
            self.layout_phase()

    # ----- layout --------------------------------------------------------------------

    def layout_phase(self) -> None:
        self.buttons.set_buttons([])
        self.speakers.set_buttons([])
        super().layout_phase()

    def layout_topics(self) -> None:
        layout.topics(self)

    def layout_levels(self) -> None:
        layout.levels(self)

    def layout_play(self) -> None:
        if self.race is not None:
            self.race.layout()
        else:
            layout.play(self)

    def layout_stars(self) -> None:
        if self.race is not None:
            layout.race_won(self)
        else:
            layout.won(self)

    # ----- the round -----------------------------------------------------------------

    def start(self, level: int) -> None:
        """Deal a new round of the chosen topic at `level` (1-based)."""
        assert self.pack is not None
        bins, items = deal(self.pack, level, self.ctx.random)
        teams = self.racing_teams()
        if teams is not None:
            self._start_race(level, SortingRace.deal(self.pack, level, bins, items, len(teams)))
            return
        self.race = None
        self.round = SortingRound(self.pack, level, bins, items)
        self.carry = self.motion = None
        self.selected = False
        self.hover = self.hint = self.popped = None
        self.looks.clear()
        self._drawn_item = None
        self.flow.begin(level)
        self.ctx.set_score(0)
        self.flow.show()
        self.buttons.focus_index = None  # the ring shows once the keyboard is used
        self._appear()

    def racing_teams(self) -> Teams | None:
        """The teams that race, when 2–4 joined with pads; None for the solo game."""
        teams = self.ctx.session.teams
        return teams if teams is not None and 2 <= len(teams) <= 4 else None

    def _start_race(self, level: int, race: SortingRace) -> None:
        assert self.pack is not None
        teams = self.racing_teams()
        assert teams is not None
        self.round = None
        self.looks.clear()
        self.race = RacePlay(self.ctx, self.pack, race, teams, self._race_over)
        self.flow.begin(level)
        self.ctx.set_score(0)
        self.flow.show()
        self.race.start()

    def _race_over(self) -> None:
        assert self.race is not None
        best = max(score.points for score in self.race.team_scores())
        self.flow.finish(0, best, self.time)
        self.ctx.say(self.race_message())

    def race_message(self) -> str:
        """Who won the race (or that it is a tie), read out at its end."""
        assert self.race is not None
        return verdict(self.race.team_scores(), self.ctx.gettext)[0]

    def team_scores(self) -> Sequence[TeamScore] | None:
        return self.race.team_scores() if self.race is not None else None

    def _appear(self) -> None:
        word = self.round.current_word if self.round else None
        if word is not None:
            self.motion = Motion("appear", word, self.home.center, self.home.center, self.time)
            if self.ctx.reads_aloud:
                self.say_item()
                assert self.round is not None and self.pack is not None
                coming = self.round.items[self.round.index + 1 :][:1]
                self.ctx.warm_speech(
                    [self.ctx.pick(self.pack.word(item.word).text) for item in coming]
                )

    def say_item(self) -> None:
        """The thing on the table reads its name (a tap on it, or by itself)."""
        word = self.round.current_word if self.round else None
        if word is not None:
            self.ctx.say(self.ctx.pick(word.text))

    def won_message(self) -> str:
        assert self.round is not None
        n = self.round.first_try
        return self.ctx.ngettext(
            "All sorted! %(n)d thing went into the right bin at the first try.",
            "All sorted! %(n)d things went into the right bin at the first try.",
            n,
        ) % {"n": n}

    def sort_into(self, index: int, start: tuple[int, int] | None = None) -> None:
        """Put the current thing into bin `index` (from `start`, where it was let go)."""
        round_ = self.round
        if self.carry is not None or round_ is None or round_.done or self.phase != "play":
            return
        self._finish_motion()
        word = round_.current_word
        assert word is not None
        bin_rect = self.buttons.buttons[index].rect
        start = start or self.home.center
        self.selected = False
        self._set_hover(None)
        if round_.drop(round_.bins[index].id) == "right":
            self.ctx.play_sound("good")
            self.ctx.set_score(round_.first_try)
            self._set_hint(None)
            self.motion = Motion("in", word, start, bin_rect.center, self.time, bin=index)
        else:
            self.ctx.play_sound("try-again")
            kind: Literal["back", "nudge"] = "back" if start != self.home.center else "nudge"
            end = self.home.center if kind == "back" else bin_rect.center
            self.motion = Motion(kind, word, start, end, self.time)
            if round_.hint is not None:
                self._set_hint(round_.bin_index(round_.hint))

    def _finish_motion(self) -> None:
        motion, self.motion = self.motion, None
        if motion is None:
            return
        self._invalidate_item()
        if motion.kind == "in" and self.round is not None:
            index = motion.bin if motion.bin is not None else 0
            self.popped = (index, self.time)
            self.ctx.invalidate(self._bin_dirty(index))
            if self.round.done:
                self._win()
            else:
                self._appear()

    def _win(self) -> None:
        assert self.round is not None
        self.hover = self.hint = self.popped = None
        self.flow.finish(self.round.stars, self.round.first_try, self.time)
        self.ctx.say(self.won_message())  # the praise, read out by itself

    # ----- input ---------------------------------------------------------------------

    def handle_event(self, event: InputEvent) -> bool:
        if self.race is not None and self.phase == "play":
            return self.race.handle_event(event)
        if self.phase == "play":
            if isinstance(event, PointerEvent) and self._handle_carry(event):
                return True
            if isinstance(event, KeyEvent) and self.carry is not None:
                return True
            if isinstance(event, PointerEvent) and self.speakers.handle(event):
                return True
        if self.buttons.handle(event):
            return True
        if self.phase == "play" and kit.is_choose_key(event):
            self.buttons.focus_index = 0  # Enter before any arrow: start at the first bin
            self.ctx.invalidate(self.buttons.buttons[0].dirty_rect(self.ctx.ui))
            return True
        return False

    def _handle_carry(self, event: PointerEvent) -> bool:
        carry = self.carry
        if carry is not None:
            if event.pointer != carry.pointer:
                # Another finger on the board while a thing is carried: it must not start
                # a second carry; its moves and lifts may still end a bin press.
                return event.kind == "down"
            if event.kind == "move":
                carry.pos = event.pos
                self._invalidate_item()
                self._set_hover(self._bin_under(event.pos, carry.center))
                return True
            self.carry = None
            self._let_go(carry, event.pos)
            if event.kind == "up":
                return True
        if event.kind != "down" or self.round is None or self.round.done:
            return False
        if not self._item_rect().collidepoint(event.pos):
            return False
        self._finish_motion()
        if self.round is None or self.round.done or self.phase != "play":
            return True
        self.carry = Carry(event.pointer, event.pos, self.home.center)
        self._invalidate_item()
        return True

    def _let_go(self, carry: Carry, pos: tuple[int, int]) -> None:
        m = self.ctx.ui.metrics
        carry.pos = pos
        self._set_hover(None)
        if carry.travelled() < m.px(TAP_SLOP):
            self.selected = not self.selected  # a tap: now tap a bin
            self.say_item()
            self._invalidate_item()
            return
        target = self._bin_under(pos, carry.center)
        if target is not None:
            self.sort_into(target, carry.center)
        else:
            assert self.round is not None and self.round.current_word is not None
            self.motion = Motion(
                "back", self.round.current_word, carry.center, self.home.center, self.time
            )

    def _bin_under(self, pos: tuple[int, int], center: tuple[int, int]) -> int | None:
        reach = self.ctx.ui.metrics.px(20)
        for point in (pos, center):
            for i, button in enumerate(self.buttons.buttons):
                if button.rect.inflate(reach, reach).collidepoint(point):
                    return i
        return None

    # ----- time ----------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.time += dt
        if self.race is not None:
            if self.phase == "play" and not self.paused:
                self.race.update(dt)
            return
        if self.motion is not None:
            self._invalidate_item()
            if self.motion.finished(self.time):
                self._finish_motion()
        if self.popped is not None and self.time - self.popped[1] < 0.5:
            self.ctx.invalidate(self._bin_dirty(self.popped[0]))
        if self.hint is not None and self.time - self.hint_at < painting.HINT_BOUNCE_S + 0.1:
            self.ctx.invalidate(self._hint_rect(self.hint))
        if self.flow.celebrating(self.time):
            self.ctx.invalidate(self.banner.stars_rect(self.ctx.ui, self.ctx.area))

    def on_pause(self) -> None:
        self.paused = True

    def on_resume(self) -> None:
        self.paused = False

    # ----- invalidation helpers ------------------------------------------------------

    def _set_hover(self, index: int | None) -> None:
        if index != self.hover:
            for old in (self.hover, index):
                if old is not None:
                    self.ctx.invalidate(self._bin_dirty(old))
            self.hover = index

    def _set_hint(self, index: int | None) -> None:
        if self.hint is not None:
            self.ctx.invalidate(self._hint_rect(self.hint))
        self.hint, self.hint_at = index, self.time
        if index is not None:
            self.ctx.invalidate(self._hint_rect(index))

    def _bin_dirty(self, index: int) -> pygame.Rect:
        return self.buttons.buttons[index].dirty_rect(self.ctx.ui)

    def _hint_rect(self, index: int) -> pygame.Rect:
        m = self.ctx.ui.metrics
        rect = self._bin_dirty(index)
        return rect.union(rect.move(0, -m.px(90)))

    def _item_rect(self) -> pygame.Rect:
        """Where the current thing is drawn now (without its shadow)."""
        placement = painting.item_placement(self)
        return placement[1] if placement is not None else pygame.Rect(0, 0, 0, 0)

    def _invalidate_item(self) -> None:
        rect = painting.item_dirty(self)
        if self._drawn_item is not None:
            self.ctx.invalidate(self._drawn_item)
        if rect is not None:
            self.ctx.invalidate(rect)
        self._drawn_item = rect

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        if self.race is not None and self.phase == "play":
            self.race.draw(surface)
        elif self.race is not None and self.phase == "stars":
            painting.paint_race_won(self, surface)
        else:
            painting.paint(self, surface)

    def item_word(self) -> Word | None:
        """The thing on the table now (or flying), for tests and painting."""
        if self.motion is not None:
            return self.motion.word
        return self.round.current_word if self.round else None
