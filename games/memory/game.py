"""Memory pairs, the first game: it exercises the whole Activity API and the game kit.

The child picks a topic (built-in pictures, or a content pack's pairs and words — see
decks.py), then a level (3, 6 or 10 pairs), turns cards two at a time and keeps the pairs
that match. A round ends with stars for how few turns it took (the score, 1–3), then
"Play again" or "Next level". Pointer and keyboard both play it: arrows move the blue
ring, Enter or Space turns the card.

Memory in turns: when 2–4 teams joined the group session with game controllers
(`ctx.session.teams`), they take turns. A bar above the cards says whose turn it is and
counts each team's pairs; only the playing team's pad moves the ring (in its colour) and
turns cards — another team's pad gets a gentle "wait" in the bar — while touch and the
keyboard act for the playing team. A pair keeps the turn, a miss passes it (turns.py).
The round ends with the teams' final score instead of the stars.

The rules live in rules.py and turns.py, the looks in looks.py and teambar.py; this is
the control: it lays out each phase of the kit's `RoundFlow` and turns input into moves."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pygame

from games.memory.decks import Face, Topic, deal, topics
from games.memory.looks import CardLooks, grid_picture, topic_picture
from games.memory.rules import LEVELS, Card, MemoryRound, stars_for
from games.memory.teambar import BarLayout, TeamBar, bar_layout
from games.memory.turns import TurnOrder
from kiosk.api import (
    Activity,
    ActivityInfo,
    ButtonGroup,
    InputEvent,
    KeyEvent,
    PointerEvent,
    Team,
    TeamScore,
    draw,
    final_scores,
    kit,
    theme,
    verdict,
)

__all__ = ["LEVELS", "MemoryPairs", "PlacedCard", "stars_for"]

FLIP_S = 0.22
MISMATCH_SHOW_S = 0.9
#: How long the bar reminds another team's pad whose turn it is.
WAIT_S = 2.0
#: The keys a pad out of turn is reminded about (what would move the ring or turn a card).
PLAY_KEYS = (*kit.ARROWS, *kit.CHOOSE_KEYS, pygame.K_TAB)
#: The teams' final score, then the buttons, in layout units (as the quiz's).
FINAL_H, FINAL_GAP = 380, 24


class PlacedCard:
    """A card of the round where it lies on the screen, with its running flip."""

    def __init__(self, card: Card, rect: pygame.Rect) -> None:
        self.card, self.rect = card, rect
        #: 0..1 progress of a running flip animation, None when still.
        self.flip: float | None = None

    @property
    def key(self) -> str:
        return self.card.key

    @property
    def face(self) -> Face:
        return self.card.face

    @property
    def face_up(self) -> bool:
        return self.card.face_up

    @property
    def matched(self) -> bool:
        return self.card.matched


#: The game's name on its launcher tile.
TITLE = {"lv": "Atmiņas spēle", "lt": "Atminties žaidimas", "en": "Memory pairs"}


class MemoryPairs(kit.RoundGame, Activity):
    info = ActivityInfo(
        id="memory", title=TITLE, icon="joker", levels=len(LEVELS), supports_teams=True
    )

    def on_enter(self) -> None:
        self.round: MemoryRound | None = None
        self.cards: list[PlacedCard] = []
        self.grid = kit.FocusGrid(0, 1)
        self.hide_at: float | None = None
        self.time = 0.0
        self.choose_top = 0
        self.looks = CardLooks(self.ctx)
        self.banner = kit.StarsBanner()
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.flow: kit.RoundFlow[Topic] = kit.RoundFlow(self.ctx, len(LEVELS), self.layout_phase)
        teams = self.ctx.session.teams
        #: The teams playing in turns; None for a solo child or a group without pads.
        self.teams: list[Team] | None = (
            list(teams) if teams is not None and len(teams) > 1 else None
        )
        self.order: TurnOrder | None = None
        self.bar: BarLayout | None = None
        self.team_bar = TeamBar(self.ctx)
        self.wait_until: float | None = None
        self.order_first: int | None = None
        self.final_rect: pygame.Rect | None = None
        self._final: tuple[object, pygame.Surface] | None = None
        self.flow.offer(topics(self.ctx, needed=LEVELS[0][0]))

    # ----- what tests and the kit read -----------------------------------------------

    @property
    def turns(self) -> int:
        return self.round.turns if self.round else 0

    @property
    def open_cards(self) -> list[PlacedCard]:
        """The cards turned up that are not yet a pair."""
        return [self._placed(c) for c in self.round.open_cards] if self.round else []

    @property
    def focus(self) -> int:
        return self.grid.index

    @property
    def playing(self) -> Team | None:
        """The team whose turn it is (in turns only)."""
        if self.teams is None or self.order is None:
            return None
        return self.teams[self.order.turn]

    @property
    def waiting(self) -> bool:
        """Whether the bar is reminding another team's pad whose turn it is."""
        return self.wait_until is not None

    def team_scores(self) -> Sequence[TeamScore] | None:
        """Each team's pairs, while a round in turns is under way or just over."""
        if self.teams is None or self.order is None or self.phase not in ("play", "stars"):
            return None
        pairs = self.order.pairs
        gettext = self.ctx.gettext
        return [
            TeamScore(t.name(gettext), t.animal, t.color, pairs[t.index], unit="pairs")
            for t in self.teams
        ]

    # ----- layout --------------------------------------------------------------------

    def layout_stars(self) -> None:
        ctx = self.ctx
        if self.order is not None:
            # the teams' final score instead of the stars, above the buttons
            m = ctx.ui.metrics
            top = ctx.area.top + max(
                m.px(12), (ctx.area.height - m.px(FINAL_H + FINAL_GAP + 120)) // 2
            )
            width = min(ctx.area.width - 2 * m.margin, m.px(1100))
            self.final_rect = pygame.Rect(0, top, width, m.px(FINAL_H))
            self.final_rect.centerx = ctx.area.centerx
            y = self.final_rect.bottom + m.px(FINAL_GAP)
        else:
            y = self.banner.layout(ctx.ui, ctx.area)
        kit.put_end_buttons(
            self.buttons, ctx.ui, ctx.area, ctx.gettext, y, self.level, len(LEVELS), self.start
        )

    def layout_topics(self) -> None:
        """One tile per topic, up to 4 in a row, centred in the area."""
        m = self.ctx.ui.metrics
        area = self.ctx.area
        shown = list(self.flow.topics[:8])
        cols = min(4, len(shown))
        rows = -(-len(shown) // cols)
        gap = m.px(32)
        w = min(m.px(250), (area.width - 2 * m.margin - (cols - 1) * gap) // cols)
        heading = m.px(100)
        h = min(m.px(230), (area.height - heading - m.margin - (rows - 1) * gap) // rows)
        top = (
            area.top + heading + max(0, (area.height - heading - rows * h - (rows - 1) * gap) // 2)
        )
        self.choose_top = top
        tiles = [
            kit.Tile(
                id=f"topic:{topic.id}",
                label=topic.title(self.ctx),
                color=theme.TILE_COLORS[(i + 3) % len(theme.TILE_COLORS)],
                image=topic_picture(self.ctx, topic, m.px(160)),
                on_press=partial(self.flow.choose_topic, topic),
            )
            for i, topic in enumerate(shown)
        ]
        rects = kit.centered_rows(len(tiles), cols, (w, h), gap, area.centerx, top)
        self.buttons.set_buttons(kit.tile_buttons(tiles, rects))

    def layout_levels(self) -> None:
        topic = self.flow.topic
        assert topic is not None
        h = self.ctx.ui.metrics.px(300)
        tiles = [
            kit.Tile(
                id=f"level:{level}",
                label=self.ctx.ngettext("%(n)d pair", "%(n)d pairs", pairs) % {"n": pairs},
                color=kit.level_colour(level),
                image=grid_picture(self.ctx, cols, rows, int(h * 0.62)),
                on_press=partial(self.start, level),
                enabled=pairs <= topic.size,
            )
            for level, (pairs, cols, rows) in enumerate(LEVELS, start=1)
        ]
        buttons = kit.level_buttons(self.ctx.ui, self.ctx.area, tiles)
        self.buttons.set_buttons(buttons)
        self.choose_top = buttons[0].rect.top

    def start(self, level: int) -> None:
        """Deal a new round at `level` (1-based)."""
        topic = self.flow.topic
        assert topic is not None
        pairs, cols, rows = LEVELS[level - 1]
        deck = deal(topic, pairs, self.ctx, self.ctx.random)
        m = self.ctx.ui.metrics
        area = self.ctx.area.inflate(-2 * m.margin, -2 * m.margin)
        self.order, self.bar, self.wait_until = None, None, None
        if self.teams is not None:
            # A new round in turns: the team after the one that began the last begins.
            first = 0 if self.order_first is None else (self.order_first + 1) % len(self.teams)
            self.order_first = first
            self.order = TurnOrder(len(self.teams), turn=first)
            self.bar = bar_layout(self.ctx, self.ctx.area, len(self.teams))
            area = self.bar.cards.inflate(-2 * m.margin, 0)
            area.height -= m.margin
        gap = m.px(18)
        side = min(
            (area.width - (cols - 1) * gap) // cols, (area.height - (rows - 1) * gap) // rows
        )
        top = area.centery - (rows * side + (rows - 1) * gap) // 2
        rects = kit.centered_rows(len(deck), cols, (side, side), gap, area.centerx, top)
        self.round = MemoryRound(level, [Card(key, face) for key, face in deck])
        self.cards = [PlacedCard(c, r) for c, r in zip(self.round.cards, rects, strict=True)]
        self.looks.clear()
        self.hide_at = None
        self.grid = kit.FocusGrid(len(self.cards), cols)
        self.flow.begin(level)
        self.flow.show()

    # ----- play ----------------------------------------------------------------------

    def _card_at(self, pos: tuple[int, int]) -> int | None:
        for i, card in enumerate(self.cards):
            if card.rect.collidepoint(pos):
                return i
        return None

    def turn(self, index: int) -> None:
        """Turn card `index` face up, if the rules allow it now."""
        if self.phase != "play" or self.round is None:
            return
        placed = self.cards[index]
        turned, hidden = self.round.turn(index)
        if turned == "again":
            self._say_card(placed.card)  # an open card's word, once more
            return
        for card in [self._placed(c) for c in hidden] + [placed]:
            card.flip = 0.0
            self._invalidate_card(card)
        self.hide_at = None
        self.ctx.play_sound("flip")
        self._say_card(placed.card)
        if turned in ("pair", "won"):
            self.ctx.play_sound("good")
        if self.order is not None and self.bar is not None:
            self.order.played(turned)
            self.wait_until = None
            self.ctx.invalidate(self.bar.painted)
        if turned == "won":
            self.flow.finish(self.round.stars, self.round.stars, self.time)
            self.ctx.say(self.won_message())  # the praise, read out by itself
        elif turned == "miss":
            self.hide_at = self.time + MISMATCH_SHOW_S

    def _placed(self, card: Card) -> PlacedCard:
        return next(p for p in self.cards if p.card is card)

    def _say_card(self, card: Card) -> None:
        """A word card reads its word as it turns up (in its flag's language on lv-lt
        cards): the card itself is its speaker, no button on every card."""
        if card.face.text:
            self.ctx.say(card.face.text, card.face.flag or None)

    def won_message(self) -> str:
        """The praise at the end: in turns, who won, as the final score says it (teams level
        on the most pairs share the win; all level is a tie)."""
        scores = self.team_scores()
        if scores:
            return verdict(scores, self.ctx.gettext)[0]
        return self.ctx.ngettext(
            "Well done! You found all the pairs in %(n)d turn.",
            "Well done! You found all the pairs in %(n)d turns.",
            self.turns,
        ) % {"n": self.turns}

    def _hide_open(self) -> None:
        assert self.round is not None
        for card in self.round.hide_open():
            placed = self._placed(card)
            placed.flip = 0.0
            self._invalidate_card(placed)
        self.hide_at = None

    def _invalidate_card(self, card: PlacedCard) -> None:
        m = self.ctx.ui.metrics
        self.ctx.invalidate(card.rect.inflate(m.px(30), m.px(30)))

    def out_of_turn(self, event: InputEvent) -> bool:
        """Whether `event` comes from a pad whose team is not playing now (a pad that did
        not join counts as another team's). Touch and the keyboard act for the playing
        team."""
        playing = self.playing
        if playing is None or not isinstance(event, KeyEvent) or event.pad is None:
            return False
        return event.pad != playing.pad

    def _remind(self) -> None:
        """Another team's pad pressed: the bar says whose turn it is, for a moment. No
        sound — nobody did anything wrong."""
        assert self.bar is not None
        self.wait_until = self.time + WAIT_S
        self.ctx.invalidate(self.bar.painted)

    def play_event(self, event: InputEvent) -> bool:
        if self.playing is not None and isinstance(event, KeyEvent) and event.pad is not None:
            if event.key == pygame.K_ESCAPE:
                return True  # one child's B must not end every team's game (Home still does)
        if self.out_of_turn(event):
            assert isinstance(event, KeyEvent)
            if event.key not in PLAY_KEYS:
                return False
            self._remind()
            return True
        if isinstance(event, PointerEvent) and event.kind == "down":
            index = self._card_at(event.pos)
            if index is not None:
                self._set_focus(index, visible=False)
                self.turn(index)
                return True
            return False
        before = self.grid.index
        did = self.grid.handle(event)
        if did is None:
            return False
        self._invalidate_card(self.cards[before])
        self._invalidate_card(self.cards[self.grid.index])
        if did == "chosen":
            self.turn(self.grid.index)
        return True

    def _set_focus(self, index: int, visible: bool) -> None:
        if self.cards:
            self._invalidate_card(self.cards[self.focus])
        self.grid.index, self.grid.visible = index, visible
        self._invalidate_card(self.cards[index])

    def update(self, dt: float) -> None:
        self.time += dt
        for card in self.cards:
            if card.flip is not None:
                card.flip += dt / FLIP_S
                if card.flip >= 1.0:
                    card.flip = None
                self._invalidate_card(card)
        if self.hide_at is not None and self.time >= self.hide_at:
            self._hide_open()
        if self.wait_until is not None and self.time >= self.wait_until:
            self.wait_until = None
            if self.bar is not None:
                self.ctx.invalidate(self.bar.painted)
        if self.flow.celebrating(self.time):
            self.ctx.invalidate(self.banner.stars_rect(self.ctx.ui, self.ctx.area))

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        draw.paint_background(surface, area)
        if self.phase in ("topic", "level"):
            heading = (
                self.ctx.gettext("What shall we play with?")
                if self.phase == "topic"
                else self.ctx.gettext("Find the pairs! How many cards?")
            )
            kit.draw_heading(surface, ui, area, heading, self.choose_top)
        elif self.phase == "play":
            clip = surface.get_clip()
            playing = self.playing
            if self.bar is not None and self.order is not None and self.teams is not None:
                if clip.colliderect(self.bar.painted):
                    turn = self.order.turn
                    pairs = self.order.pairs
                    self.team_bar.draw(surface, self.bar, self.teams, pairs, turn, self.waiting)
            reach = m.px(30)  # shadow and focus ring reach past the card
            for i, card in enumerate(self.cards):
                if clip.colliderect(card.rect.inflate(reach, reach)):
                    focused = self.grid.visible and i == self.grid.index
                    self.looks.draw(
                        surface,
                        card.rect,
                        card.face,
                        card.face_up,
                        card.matched,
                        card.flip,
                        focused,
                        playing.color if playing is not None else None,
                    )
        elif self.phase == "stars" and self.final_rect is not None and self.order is not None:
            self._draw_final(surface, self.final_rect)
        elif self.phase == "stars":
            appear = self.flow.appear(self.time)
            self.banner.draw(surface, ui, area, self.stars, appear, self.won_message())
        self.buttons.draw(surface)

    def _draw_final(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """The teams' final score: a card per team, the winner or the tie, praise for all."""
        teams = self.team_scores() or []
        key = (tuple(t.points for t in teams), self.ctx.lang, rect.size)
        if self._final is None or self._final[0] != key:
            board = final_scores(self.ctx.ui, rect.size, teams, self.ctx.gettext, self.ctx.ngettext)
            self._final = (key, board)
        surface.blit(self._final[1], rect)
