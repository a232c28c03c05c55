"""Playing the race: each team's pad moves its own lane and nothing else. The d-pad or
the stick chooses a bin (left/right along the row, up/down between rows; in a single
row up/down step too), A (or X) drops the thing into it. Keys without a pad (the
keyboard), pads of no team and pointers do nothing in the lanes.

What changes is invalidated lane by lane and piece by piece (a bin, the flying card, the
note line), never the whole screen, so a library PC drawing in software keeps up."""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

import games.sorting.race_layout as race_layout
import games.sorting.race_view as view
from games.sorting.motion import Motion
from games.sorting.race import SortingRace
from kiosk.api import ActivityContext, InputEvent, KeyEvent, Pack, Teams, TeamScore, kit

DIRECTIONS = {
    pygame.K_LEFT: "left",
    pygame.K_RIGHT: "right",
    pygame.K_UP: "up",
    pygame.K_DOWN: "down",
}


class RacePlay:
    """The race on the screen: the model, the lanes' layout and their animations.
    `on_over` is called once, when the race has ended."""

    def __init__(
        self,
        ctx: ActivityContext,
        pack: Pack,
        race: SortingRace,
        teams: Teams,
        on_over: Callable[[], None],
    ) -> None:
        self.ctx = ctx
        self.pack = pack
        self.race = race
        self.teams = teams
        self.on_over = on_over
        self.time = 0.0
        self.ended = False
        count = len(race)
        self.motions: list[Motion | None] = [None] * count
        self.wrong_at: list[float | None] = [None] * count
        self.popped: list[tuple[int, float] | None] = [None] * count
        self.looks: dict[tuple[object, ...], pygame.Surface] = {}
        self.lanes: list[race_layout.LaneLayout] = []
        self._drawn_item: list[pygame.Rect | None] = [None] * count
        self._note: list[str] = [""] * count
        self._pending: list[pygame.Rect | None] = [None] * count

    def layout(self) -> None:
        """Lay out the lanes in the activity's area (again after a language change)."""
        self.looks.clear()
        area = self.ctx.area
        gap = max(6, min(area.width, area.height) // 60)
        bins = len(self.race.lanes[0].round.bins)
        frames = race_layout.lane_frames(area, len(self.race), gap)
        self.lanes = [race_layout.lane(frame, bins) for frame in frames]
        for i in range(len(self.race)):
            self._drawn_item[i] = view.item_dirty(self, i)
            self._note[i] = view.note_text(self, i)
        self.ctx.invalidate()

    def start(self) -> None:
        """Every lane's first thing pops up onto its table."""
        for i in range(len(self.race)):
            self._appear(i)

    # ----- input ---------------------------------------------------------------------

    def handle_event(self, event: InputEvent) -> bool:
        """A team's pad press in its own lane; True when it was used."""
        if not isinstance(event, KeyEvent) or event.pad is None or self.ended:
            return False
        team = self.teams.of_pad(event.pad)
        if team is None:
            return True  # a pad that did not join plays no lane, and B never ends the race
        index = team.index
        lane, layout = self.race.lanes[index], self.lanes[index]
        if event.key in DIRECTIONS:
            count = len(lane.round.bins)
            target = race_layout.neighbour(
                lane.cursor, DIRECTIONS[event.key], count, layout.columns
            )
            old = lane.cursor
            if self.race.point_at(index, target):
                for b in (old, target):
                    self._dirty(index, view.bin_dirty(self, index, b))
            return True
        if kit.is_choose_key(event):  # A (and X, as everywhere a pad chooses)
            self._drop(index)
            return True
        # B (or any other button) on one team's pad never ends the race for all the teams;
        # the keyboard's Escape and the Home button still do.
        return True

    def _drop(self, index: int) -> None:
        lane = self.race.lanes[index]
        self._finish_motion(index)
        word = lane.round.current_word
        target = lane.cursor
        hint_before = lane.round.hint
        verdict = self.race.drop(index, self.time)
        if verdict is None or word is None:
            return
        layout = self.lanes[index]
        bin_center = layout.bins[target].center
        if verdict == "right":
            self.ctx.play_sound("good")
            self.wrong_at[index] = None
            self.motions[index] = Motion(
                "in", word, layout.home.center, bin_center, self.time, bin=target
            )
            self._invalidate_lane_progress(index)
            if lane.finished:
                self._dirty(index, layout.frame)  # its place, the bins without its ring
        else:
            self.ctx.play_sound("try-again")
            self.wrong_at[index] = self.time
            self.motions[index] = Motion("nudge", word, layout.home.center, bin_center, self.time)
        for hint in {hint_before, lane.round.hint} - {None}:
            assert hint is not None
            self._dirty(index, view.bin_dirty(self, index, lane.round.bin_index(hint)))
        self._invalidate_item(index)

    def _appear(self, index: int) -> None:
        word = self.race.lanes[index].round.current_word
        if word is not None:
            home = self.lanes[index].home.center
            self.motions[index] = Motion("appear", word, home, home, self.time)
            self._invalidate_item(index)

    def _finish_motion(self, index: int) -> None:
        motion, self.motions[index] = self.motions[index], None
        if motion is None:
            return
        self._invalidate_item(index)
        if motion.kind == "in" and motion.bin is not None:
            self.popped[index] = (motion.bin, self.time)
            self._dirty(index, view.bin_dirty(self, index, motion.bin))
            self._appear(index)

    # ----- time ----------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.time += dt
        for i in range(len(self.race)):
            motion = self.motions[i]
            if motion is not None:
                self._invalidate_item(i)
                if motion.finished(self.time):
                    self._finish_motion(i)
            popped = self.popped[i]
            if popped is not None:
                self._dirty(i, view.bin_dirty(self, i, popped[0]))
                if self.time - popped[1] >= view.POP_S:
                    self.popped[i] = None
            note = view.note_text(self, i)
            if note != self._note[i]:
                self._note[i] = note
                self._dirty(i, self.lanes[i].note)
        self._flush()
        if not self.ended and self.race.over(self.time) and not any(self.motions):
            self.ended = True
            self.on_over()

    # ----- invalidation helpers ------------------------------------------------------

    def _dirty(self, index: int, rect: pygame.Rect) -> None:
        """Lane `index` must repaint `rect`: gathered, and handed to the shell at the end
        of the frame's update as one rectangle per lane (the shell joins more than a few
        rectangles into one, which would span the lanes between them)."""
        rect = rect.clip(self.lanes[index].frame)
        pending = self._pending[index]
        self._pending[index] = rect if pending is None else pending.union(rect)

    def _flush(self) -> None:
        for rect in self._pending:
            if rect is not None:
                self.ctx.invalidate(rect)
        self._pending = [None] * len(self.race)

    def _invalidate_item(self, index: int) -> None:
        rect = view.item_dirty(self, index)
        drawn = self._drawn_item[index]
        if drawn is not None:
            self._dirty(index, drawn)
        if rect is not None:
            self._dirty(index, rect)
        self._drawn_item[index] = rect

    def _invalidate_lane_progress(self, index: int) -> None:
        layout = self.lanes[index]
        self._dirty(index, layout.progress.inflate(4, 4))
        self._dirty(index, layout.count)

    # ----- drawing and scores -----------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        view.paint(self, surface)

    def team_scores(self) -> list[TeamScore]:
        """Every team's points now, in joining order."""
        return [
            TeamScore(
                team.name(self.ctx.gettext), team.animal, team.color, self.race.points(team.index)
            )
            for team in self.teams
        ]

    def seconds_left(self) -> int | None:
        """Whole seconds left for the teams still sorting, once one has finished."""
        left = self.race.catch_up_left(self.time)
        return None if left is None else math.ceil(left)
