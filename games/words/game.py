"""Word builder: spell the word for a picture from letter tiles, in the child's language.

Level 1 gives short words with the first letter in place and a faint hint of the next
letter to find (only the next one: the child still builds the word);
level 2 longer words among a few extra letters; level 3 long words among more extras.
The extras are mostly the "twins" of the word's letters (s/š, a/ā, e/ę/ė, b/d): telling
them apart is what the game teaches. A tap puts a tile into the next empty slot, a tile
can also be dragged onto a slot, and a tap on a filled slot sends its letter back. On the
keyboard, typing a letter places it, arrows/Tab and Enter choose tiles, Backspace takes
the last letter back. A letter is checked as it lands: the wrong one wiggles, a short
message says to try another, and it goes back to its place; a full word celebrates with
its picture. The score is the number of words spelt without a wrong try; the stars at the
end show it."""

from __future__ import annotations

import math

import pygame

from games.words.board import CELEBRATE_S, MESSAGE_S, PLACE_S, RETURN_S, WIGGLE_S, Ring, Tile
from games.words.controls import Controls
from games.words.letters import (
    ALPHABETS,
    LEVELS,
    SpellWord,
    choose_words,
    letter_name,
    spellable_words,
    stars_for,
    tile_letters,
)
from games.words.look import Looks
from games.words.screens import Screens
from kiosk.api import Activity, ActivityInfo, InputEvent, PointerEvent, draw, kit

__all__ = [
    "CELEBRATE_S",
    "MESSAGE_S",
    "PLACE_S",
    "RETURN_S",
    "WIGGLE_S",
    "Tile",
    "WordBuilder",
    "stars_for",
]

#: The pack a librarian writes for this game, used when it exists.
SPELLING_PACK = "spelling"


#: The game's name on its launcher tile.
TITLE = {"lv": "Saliec vārdu", "lt": "Sudėk žodį", "en": "Word builder"}


class WordBuilder(kit.RoundGame, Activity):
    info = ActivityInfo(id="words", title=TITLE, icon="abc", levels=len(LEVELS))

    def on_enter(self) -> None:
        self.looks = Looks(self.ctx.ui)
        self.flow: kit.RoundFlow[None] = kit.RoundFlow(self.ctx, len(LEVELS), self.layout_phase)
        self.banner = kit.StarsBanner()
        self.picture_rect = pygame.Rect(0, 0, 0, 0)
        self.side = self.dots_y = 0
        self.screens = Screens(self)
        self.buttons = self.screens.buttons
        self.time = 0.0
        self.recent: set[str] = set()
        self.round_words: list[SpellWord] = []
        self.index = 0
        self.score = 0
        self.tiles: list[Tile] = []
        self.slots: list[Tile | None] = []
        self.slot_rects: list[pygame.Rect] = []
        self.controls = Controls(self)
        self.solved_at: float | None = None
        #: Whether the word now being built had a wrong try (it then does not score).
        self.mistake = False
        #: When the last wrong letter was placed (the short message shows for a while).
        self.wrong_at: float | None = None
        self.words = self._available_words()
        if self.words:
            self.flow.offer_levels()
        else:
            self.flow.offer([])  # nothing to build: the kind message

    def layout_levels(self) -> None:
        self.screens.layout_levels()

    def layout_stars(self) -> None:
        self.screens.layout_stars()

    @property
    def ring(self) -> Ring:
        return self.controls

    def on_language_changed(self) -> None:
        self.words = self._available_words()
        if not self.words:
            self.flow.offer([])
        elif self.phase == "play":
            self.start(self.level)  # the words were in the other language
        elif self.phase == "empty":
            self.flow.offer_levels()
        else:
            self.layout_phase()

    def _available_words(self) -> list[SpellWord]:
        packs = self.ctx.packs_with("words")
        preferred = [p for p in packs if p.pack == SPELLING_PACK]
        words = spellable_words(preferred, self.ctx.pick)
        return words or spellable_words(packs, self.ctx.pick)

    # ----- a round and its words -----------------------------------------------------

    def start(self, level: int) -> None:
        """Begin a round of words at `level` (1-based)."""
        self.round_words = choose_words(self.words, LEVELS[level - 1], self.ctx.random, self.recent)
        self.recent = {w.text for w in self.round_words}
        self.index = 0
        self.score = 0
        self.flow.begin(level)
        self.ctx.set_score(0)
        self.flow.show()
        self.start_word()

    @property
    def word(self) -> SpellWord:
        return self.round_words[self.index]

    def start_word(self) -> None:
        level = LEVELS[self.level - 1]
        text = self.word.text
        letters = tile_letters(text, level, self.ctx.lang, self.ctx.random)
        self._layout_word(len(text), len(letters))
        self.tiles = [Tile(letter, self.home_rects[i]) for i, letter in enumerate(letters)]
        self.slots = [None] * len(text)
        if level.helped:
            first = Tile(text[0], self.slot_rects[0], given=True, slot=0, style="given")
            self.slots[0] = first
        self.controls.new_word()
        self.screens.layout_word()
        if self.ctx.reads_aloud:
            self.ctx.say(text)  # the word to build, read out by itself
            self.ctx.warm_speech([w.text for w in self.round_words[self.index + 1 :][:1]])
        self.mistake = False
        self.solved_at = None
        self.wrong_at = None
        self.ctx.invalidate()

    def _layout_word(self, slots: int, tiles: int) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        inner = area.width - 2 * m.margin
        gap, row_gap = m.px(12), m.px(16)
        rows = max(1, -(-tiles // 9))
        per_row = max(1, -(-tiles // rows))
        side = min(
            m.px(88),
            (inner - (slots - 1) * gap) // slots,
            (inner - (per_row - 1) * gap) // per_row,
        )
        tiles_h = rows * side + (rows - 1) * row_gap
        rest = m.px(24) + side + m.px(40) + tiles_h + m.px(28) + m.px(18)
        picture = max(m.px(100), min(m.px(170), area.height - 2 * m.px(10) - rest))
        top = area.top + (area.height - picture - rest) // 2
        self.side = side
        self.picture_rect = pygame.Rect(0, top, picture, picture)
        self.picture_rect.centerx = area.centerx
        y = self.picture_rect.bottom + m.px(24)
        left = area.centerx - (slots * side + (slots - 1) * gap) // 2
        self.slot_rects = [
            pygame.Rect(left + i * (side + gap), y, side, side) for i in range(slots)
        ]
        y += side + m.px(40)
        self.home_rects = []
        for row in range(rows):
            count = min(per_row, tiles - row * per_row)
            left = area.centerx - (count * side + (count - 1) * gap) // 2
            for col in range(count):
                self.home_rects.append(pygame.Rect(left + col * (side + gap), y, side, side))
            y += side + row_gap
        self.dots_y = y - row_gap + m.px(28) + m.px(9)

    # ----- moving tiles --------------------------------------------------------------

    def rect_of(self, tile: Tile) -> pygame.Rect:
        """Where `tile` is drawn now (gliding, dragged or resting)."""
        side = self.side
        if tile.drag_center is not None:
            return pygame.Rect(0, 0, side, side).move(
                tile.drag_center[0] - side // 2, tile.drag_center[1] - side // 2
            )
        dest = self.slot_rects[tile.slot] if tile.slot is not None else tile.home
        if tile.glide_from is not None:
            t = min(1.0, (self.time - tile.glide_at) / tile.glide_s)
            ease = 1 - (1 - t) ** 3
            x = tile.glide_from.x + (dest.x - tile.glide_from.x) * ease
            y = tile.glide_from.y + (dest.y - tile.glide_from.y) * ease
            dest = pygame.Rect(round(x), round(y), side, side)
        if tile.wiggle_at is not None:
            t = (self.time - tile.wiggle_at) / WIGGLE_S
            shake = math.sin(t * math.tau * 3) * self.ctx.ui.metrics.px(9) * (1 - t)
            dest = dest.move(round(shake), 0)
        return dest

    def touch_tile(self, tile: Tile) -> None:
        """Repaint `tile` where it is now and where it was last painted (with its shadow)."""
        reach = self.looks.shadow_reach() + self.ctx.ui.metrics.px(16)
        self.ctx.invalidate(self.rect_of(tile).inflate(2 * reach, 2 * reach))
        if tile.drawn is not None:
            self.ctx.invalidate(tile.drawn.inflate(2 * reach, 2 * reach))
            tile.drawn = None

    def glide(self, tile: Tile, seconds: float) -> None:
        tile.glide_from = self.rect_of(tile)
        tile.glide_at = self.time
        tile.glide_s = seconds
        tile.drag_center = None

    def drop(self, tile: Tile) -> None:
        """A dragged tile let go away from the word (or too late) glides home."""
        self.touch_tile(tile)
        self.glide(tile, RETURN_S)

    def place(self, tile: Tile, slot: int | None = None) -> None:
        """Put a loose `tile` into `slot` (default: the first empty one)."""
        if slot is None:
            slot = next((i for i, t in enumerate(self.slots) if t is None), None)
        if slot is None or tile.slot is not None or tile.given:
            return
        if self.slots[slot] is not None:
            # Only right letters stay in the word: the one there needs no replacing.
            if tile.drag_center is not None:
                self.drop(tile)
            return
        self.touch_tile(tile)
        self.glide(tile, PLACE_S)
        tile.slot = slot
        self.slots[slot] = tile
        self.touch_tile(tile)
        self._touch_slots()
        self.controls.placed(tile)
        if tile.letter != self.word.text[slot]:
            self._reject(tile)
        elif all(t is not None for t in self.slots):
            self._check()
        else:
            self.ctx.play_sound("tap")

    def _reject(self, tile: Tile) -> None:
        """A wrong letter shakes where it landed, a short message says so, then it goes back."""
        self.mistake = True
        self.ctx.play_sound("try-again")
        tile.style = "wrong"
        tile.wiggle_at = self.time
        self.touch_tile(tile)
        self.wrong_at = self.time
        self.ctx.invalidate(self.screens.message_rect())

    def hint_slot(self) -> int | None:
        """The slot whose letter shows faintly: on a helped level, the next one to fill (a
        wrong letter shaking there does not move the hint on)."""
        if not LEVELS[self.level - 1].helped:
            return None
        return next((i for i, t in enumerate(self.slots) if t is None or t.style == "wrong"), None)

    def send_home(self, tile: Tile, seconds: float = PLACE_S) -> None:
        if tile.slot is None or tile.given:
            return
        self.touch_tile(tile)
        self.glide(tile, seconds)
        self.slots[tile.slot] = None
        tile.slot = None
        tile.style = "plain"
        self.touch_tile(tile)
        self._touch_slots()

    def _touch_slots(self) -> None:
        """The faint hint moves to the next empty slot when a letter comes or goes."""
        if self.slot_rects and LEVELS[self.level - 1].helped:
            self.ctx.invalidate(self.slot_rects[0].unionall(self.slot_rects))

    def _check(self) -> None:
        """The word is full, and every letter was checked as it landed: celebrate."""
        for tile in self.slots:
            if tile is not None:
                tile.style = "good"
                self.touch_tile(tile)
        if not self.mistake:
            self.score += 1
            self.ctx.set_score(self.score)
        self.ctx.play_sound("good")
        self.solved_at = self.time
        self.ctx.invalidate(self.screens.progress_rect())  # this word's dot turns green

    @property
    def busy(self) -> bool:
        """A word is being celebrated or wrong letters are wiggling: wait a moment."""
        return self.solved_at is not None or any(t.wiggle_at is not None for t in self.tiles)

    def _next_word(self) -> None:
        self.index += 1
        if self.index < len(self.round_words):
            self.start_word()
            return
        stars = stars_for(self.score, len(self.round_words))
        self.flow.finish(stars, self.score, self.time)
        self.ctx.say(self.screens.won_message())  # the praise, read out by itself

    def update(self, dt: float) -> None:
        self.time += dt
        if self.phase == "stars":
            if self.flow.celebrating(self.time):
                self.ctx.invalidate(self.banner.stars_rect(self.ctx.ui, self.ctx.area))
            return
        if self.phase != "play":
            return
        if self.wrong_at is not None and self.time - self.wrong_at >= MESSAGE_S:
            self.wrong_at = None
            self.ctx.invalidate(self.screens.message_rect())
        for tile in self.tiles:
            if tile.wiggle_at is not None:
                self.touch_tile(tile)
                if self.time - tile.wiggle_at >= WIGGLE_S:
                    tile.wiggle_at = None
                    self.send_home(tile, RETURN_S)
            if tile.glide_from is not None:
                self.touch_tile(tile)
                if self.time - tile.glide_at >= tile.glide_s:
                    tile.glide_from = None
                    self.touch_tile(tile)
        if self.solved_at is not None:
            self.ctx.invalidate(self.screens.celebration_rect())
            if self.time - self.solved_at >= CELEBRATE_S:
                self._next_word()

    # ----- input ---------------------------------------------------------------------

    def play_event(self, event: InputEvent) -> bool:
        if isinstance(event, PointerEvent):
            return self.controls.pointer(event)
        return self.controls.key(event)

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        area = self.ctx.area
        draw.paint_background(surface, area)
        if self.phase == "play":
            self.screens.draw_play(surface)
        else:
            self.screens.draw_other(surface)
        self.buttons.draw(surface)

    def say_letter(self, letter: str) -> None:
        """A letter tile, touched, says the letter's name (lv "ā" is "garais a")."""
        self.ctx.say(letter_name(letter, self.ctx.lang))

    def alphabet(self) -> str:
        return ALPHABETS.get(self.ctx.lang, ALPHABETS["en"])
