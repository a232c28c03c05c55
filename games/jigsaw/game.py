"""Jigsaw: a picture — built-in, or a photo from a content pack — cut into 6, 12 or 24
pieces that the child drags into place.

Pointer: drag a piece (several fingers at once on a whiteboard), or tap a piece and then
the place for it. Keyboard: Tab/arrows choose a piece, Enter picks it up, arrows move the
blue frame over the board, Enter puts it down. A piece near its place snaps in."""

from __future__ import annotations

from functools import partial

import pygame

import games.jigsaw.view as view
from games.jigsaw.pieces import SCENES, Piece, cut, scene_picture
from games.jigsaw.rules import LEVELS, MIN_PHOTO_SIDE, SNAP, Choice, stars_for
from kiosk.api import (
    Activity,
    ActivityInfo,
    ButtonGroup,
    InputEvent,
    KeyEvent,
    PointerEvent,
    draw,
    kit,
    theme,
)

__all__ = ["LEVELS", "Choice", "Jigsaw", "stars_for"]


#: The game's name on its launcher tile.
TITLE = {"lv": "Puzle", "lt": "Dėlionė", "en": "Jigsaw"}


class Jigsaw(kit.RoundGame, Activity):
    info = ActivityInfo(id="jigsaw", title=TITLE, icon="puzzle", levels=len(LEVELS))

    def on_enter(self) -> None:
        self.choices = [Choice(f"scene:{s[0]}", scene=i) for i, s in enumerate(SCENES)]
        for pack in self.ctx.packs:
            for name, picture in pack.pictures.items():
                size = self.ctx.photo_size(pack, name) if picture.file is not None else None
                # Photos big enough to cut; small drawn pictures make poor jigsaws.
                if size is not None and min(size) >= MIN_PHOTO_SIDE:
                    self.choices.append(Choice(f"{pack.pack}:{name}", pack, name))
        self.pieces: list[Piece] = []
        self.dragging: dict[int, tuple[Piece, tuple[int, int]]] = {}
        self.selected: Piece | None = None
        self.cursor = (0, 0)
        self.misses = 0
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.flow: kit.RoundFlow[Choice] = kit.RoundFlow(self.ctx, len(LEVELS), self.layout_phase)
        self.flow.offer(self.choices)

    @property
    def choice(self) -> Choice:
        return self.flow.topic or self.choices[0]

    # ----- pictures ------------------------------------------------------------------

    def _source(self, choice: Choice) -> pygame.Surface | None:
        if choice.pack is None:
            return scene_picture(self.ctx.ui, choice.scene)
        return self.ctx.original_picture(choice.pack, choice.picture)

    def _title(self, choice: Choice) -> str:
        if choice.pack is None:
            return self.ctx.gettext(SCENES[choice.scene][1])
        return self.ctx.pick(choice.pack.title)

    # ----- layout --------------------------------------------------------------------

    def layout_phase(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        self.heading_bottom = area.top + m.px(110)
        super().layout_phase()
        heading = self.heading()
        if heading:
            # The heading, with its speaker button on its left.
            room = area.width - 2 * (m.margin + self.ctx.speaker_size + m.px(16))
            self.heading_text = self.ctx.ui.text.fit(
                heading, (room, m.px(90)), m.font_size("title"), theme.INK, "bold"
            )
            self.heading_rect = self.heading_text.get_rect(
                midbottom=(area.centerx, self.heading_bottom)
            )
            speaker = self.ctx.speaker_left_of("speak", self.heading_rect, heading)
            if speaker is not None:
                self.buttons.set_buttons([*self.buttons.buttons, speaker])

    def heading(self) -> str:
        """The question over the picture and level pickers ("" elsewhere)."""
        if self.phase == "topic":
            return self.ctx.gettext("Which picture shall we put together?")
        if self.phase == "level":
            return self.ctx.gettext("How many pieces?")
        return ""

    def layout_topics(self) -> None:
        m = self.ctx.ui.metrics
        shown = self.choices[:8]
        rows = -(-len(shown) // 4)
        h = min(
            m.px(230), (self.ctx.area.bottom - self.heading_bottom - m.margin) // rows - m.px(32)
        )
        tiles = []
        for i, choice in enumerate(shown):
            source = self._source(choice)
            tiles.append(
                kit.Tile(
                    id=f"picture:{choice.id}",
                    label=self._title(choice),
                    color=theme.TILE_COLORS[(i + 1) % len(theme.TILE_COLORS)],
                    image=source,
                    icon=None if source is not None else "puzzle",
                    on_press=partial(self.flow.choose_topic, choice),
                )
            )
        size = (min(m.px(270), int(h * 1.2)), h)
        top = self.heading_bottom + m.px(20)
        rects = kit.centered_rows(len(tiles), 4, size, m.px(32), self.ctx.area.centerx, top)
        self.buttons.set_buttons(kit.tile_buttons(tiles, rects))

    def layout_levels(self) -> None:
        m = self.ctx.ui.metrics
        size = m.px(280)
        tiles = [
            kit.Tile(
                id=f"level:{level}",
                label=self.ctx.ngettext("%(n)d piece", "%(n)d pieces", pieces) % {"n": pieces},
                color=kit.level_colour(level),
                image=view.grid_picture(cols, rows, int(size * 0.6)),
                on_press=partial(self.start, level),
            )
            for level, (pieces, cols, rows, _ghost) in enumerate(LEVELS, start=1)
        ]
        top = self.heading_bottom + m.px(40)
        buttons = kit.level_buttons(self.ctx.ui, self.ctx.area, tiles, (280, 280), 32, top)
        self.buttons.set_buttons(buttons)

    def layout_stars(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        y = area.bottom - m.px(120 + 30)
        ctx = self.ctx
        kit.put_end_buttons(
            self.buttons, ctx.ui, area, ctx.gettext, y, self.level, len(LEVELS), self.start
        )

    # ----- a round -------------------------------------------------------------------

    def start(self, level: int) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area.inflate(-2 * m.margin, -2 * m.margin)
        _count, cols, rows, ghost = LEVELS[level - 1]
        source = self._source(self.choice) or scene_picture(self.ctx.ui, 0)
        board_box = pygame.Rect(area.x, area.y, int(area.width * 0.64), area.height)
        self.board = view.fit(source, board_box)
        picture = pygame.transform.smoothscale(source, self.board.size)
        self.picture = picture
        self.pieces = cut(picture, self.board, cols, rows, self.ctx.random)
        # The empty board as one opaque picture: white, with the faint guide blended in once.
        self.ghost = pygame.Surface(self.board.size)
        self.ghost.fill(theme.WHITE)
        self.ghost.blit(self._guide(picture, ghost, cols, rows), (0, 0))
        self.tray = pygame.Rect(
            self.board.right + m.px(30),
            area.y,
            area.right - self.board.right - m.px(30),
            area.height,
        )
        self._scatter()
        self.cell = (self.board.width / cols, self.board.height / rows)
        self.dragging.clear()
        self.selected = None
        self.cursor = (0, 0)
        self.misses = 0
        self.flow.begin(level)
        self.flow.show()

    def _guide(self, picture: pygame.Surface, alpha: int, cols: int, rows: int) -> pygame.Surface:
        """What the empty board shows: the picture, faint (easier levels), or only the
        pieces' outlines (the hardest)."""
        if alpha:
            guide = picture.copy()
            guide.set_alpha(alpha)
            return guide
        guide = pygame.Surface(picture.get_size(), pygame.SRCALPHA)
        for piece in self.pieces:
            outline = pygame.mask.from_surface(piece.image).outline()
            if len(outline) > 2:
                home = piece.home.move(-self.board.x, -self.board.y)
                points = [(x + home.x, y + home.y) for x, y in outline]
                pygame.draw.lines(guide, (225, 210, 200), True, points, 2)
        return guide

    def _scatter(self) -> None:
        """Put the pieces, smaller, into a grid of tray slots, in random order."""
        order = list(self.pieces)
        self.ctx.random.shuffle(order)
        count = len(order)
        cols = 2 if count <= 12 else 3
        rows = -(-count // cols)
        slot_w, slot_h = self.tray.width // cols, self.tray.height // rows
        w, h = order[0].image.get_size()
        scale = min(1.0, 0.94 * min(slot_w / w, slot_h / h))
        for i, piece in enumerate(order):
            row, col = divmod(i, cols)
            piece.slot = pygame.Rect(
                self.tray.x + col * slot_w, self.tray.y + row * slot_h, slot_w, slot_h
            )
            pw, ph = piece.image.get_size()
            piece.small = pygame.transform.smoothscale(
                piece.image, (max(1, int(pw * scale)), max(1, int(ph * scale)))
            )
            piece.in_tray = True
        self.pieces = order

    def _cell_rect(self, col: int, row: int) -> pygame.Rect:
        cw, ch = self.cell
        return pygame.Rect(
            self.board.x + int(col * cw), self.board.y + int(row * ch), int(cw), int(ch)
        )

    def _try_place(self, piece: Piece, at_home: bool) -> None:
        """Snap the piece in if it is at its place; otherwise count a miss on the board."""
        if at_home:
            self._invalidate_piece(piece)
            piece.pos = piece.home.topleft
            piece.placed = True
            piece.in_tray = False
            self.pieces.remove(piece)
            self.pieces.insert(0, piece)  # placed pieces lie under the loose ones
            self._invalidate_piece(piece)
            self.ctx.play_sound("good")
            if all(p.placed for p in self.pieces):
                self._win()
        else:
            self.misses += 1
            self.ctx.play_sound("try-again")

    def _near_home(self, piece: Piece) -> bool:
        dx, dy = piece.pos[0] - piece.home.x, piece.pos[1] - piece.home.y
        return abs(dx) <= self.cell[0] * SNAP and abs(dy) <= self.cell[1] * SNAP

    def _win(self) -> None:
        stars = stars_for(self.misses, len(self.pieces))
        self.flow.finish(stars, stars, 0.0)
        self.ctx.say(self.ctx.gettext("Well done! The picture is whole again."))

    def _invalidate_piece(self, piece: Piece) -> None:
        self.ctx.invalidate(piece.rect.inflate(8, 8))

    # ----- input ---------------------------------------------------------------------

    def play_event(self, event: InputEvent) -> bool:
        if isinstance(event, PointerEvent):
            return self._pointer(event)
        return isinstance(event, KeyEvent) and self._key(event)

    def _pointer(self, event: PointerEvent) -> bool:
        if event.kind == "down":
            for piece in reversed(self.pieces):
                if (
                    not piece.placed
                    and piece.contains(event.pos)
                    and all(piece is not held for held, _ in self.dragging.values())
                ):
                    if piece.in_tray:
                        # Out of the tray it is full size, held by its middle.
                        self._invalidate_piece(piece)
                        w, h = piece.image.get_size()
                        piece.pos = (event.pos[0] - w // 2, event.pos[1] - h // 2)
                        piece.in_tray = False
                    offset = (event.pos[0] - piece.pos[0], event.pos[1] - piece.pos[1])
                    self.dragging[event.pointer] = (piece, offset)
                    self._drag_start = event.pos
                    self.pieces.remove(piece)
                    self.pieces.append(piece)  # the held piece is drawn on top
                    return True
            if self.selected is not None and self.board.collidepoint(event.pos):
                col = int((event.pos[0] - self.board.x) / self.cell[0])
                row = int((event.pos[1] - self.board.y) / self.cell[1])
                self._drop_selected(col, row)
                return True
            return False
        held = self.dragging.get(event.pointer)
        if held is None:
            return False
        piece, offset = held
        self._invalidate_piece(piece)
        piece.pos = (event.pos[0] - offset[0], event.pos[1] - offset[1])
        self._invalidate_piece(piece)
        if event.kind == "up":
            del self.dragging[event.pointer]
            moved = abs(event.pos[0] - self._drag_start[0]) + abs(
                event.pos[1] - self._drag_start[1]
            )
            if moved < self.ctx.ui.metrics.px(12):
                self._back_to_tray(piece)
                self._select(piece)  # a tap: choose it, then tap its place
            elif self._near_home(piece):
                self._try_place(piece, at_home=True)
            else:
                if self.board.collidepoint(event.pos):
                    self._try_place(piece, at_home=False)
                self._back_to_tray(piece)
        return True

    def _back_to_tray(self, piece: Piece) -> None:
        if piece.placed or piece.in_tray:
            return
        self._invalidate_piece(piece)
        piece.in_tray = True
        self._invalidate_piece(piece)

    def _select(self, piece: Piece | None) -> None:
        if self.selected is not None:
            self._invalidate_piece(self.selected)
        self.selected = piece
        if piece is not None:
            self._invalidate_piece(piece)
            self.ctx.invalidate(self.board.inflate(12, 12))

    def _drop_selected(self, col: int, row: int) -> None:
        piece = self.selected
        if piece is None:
            return
        self._select(None)
        self._try_place(piece, at_home=(piece.col, piece.row) == (col, row))

    def _key(self, event: KeyEvent) -> bool:
        loose = [p for p in self.pieces if not p.placed]
        if not loose:
            return False
        if self.selected is None:
            if event.key in (
                pygame.K_TAB,
                pygame.K_RIGHT,
                pygame.K_DOWN,
                pygame.K_LEFT,
                pygame.K_UP,
            ):
                step = -1 if event.key in (pygame.K_LEFT, pygame.K_UP) else 1
                current = self._focus if getattr(self, "_focus", None) in loose else None
                index = (loose.index(current) + step) % len(loose) if current else 0
                self._set_key_focus(loose[index])
                return True
            if event.key in (pygame.K_RETURN, pygame.K_SPACE) and getattr(self, "_focus", None):
                if self._focus in loose:
                    self._select(self._focus)
                    self.ctx.invalidate(self.board.inflate(12, 12))
                return True
            return False
        cols, rows = LEVELS[self.level - 1][1:3]
        moves = {
            pygame.K_LEFT: (-1, 0),
            pygame.K_RIGHT: (1, 0),
            pygame.K_UP: (0, -1),
            pygame.K_DOWN: (0, 1),
        }
        if event.key in moves:
            dx, dy = moves[event.key]
            self.ctx.invalidate(self._cell_rect(*self.cursor).inflate(16, 16))
            self.cursor = ((self.cursor[0] + dx) % cols, (self.cursor[1] + dy) % rows)
            self.ctx.invalidate(self._cell_rect(*self.cursor).inflate(16, 16))
            return True
        if event.key in (pygame.K_RETURN, pygame.K_SPACE):
            self._drop_selected(*self.cursor)
            return True
        return False

    def _set_key_focus(self, piece: Piece) -> None:
        old = getattr(self, "_focus", None)
        if old is not None:
            self._invalidate_piece(old)
        self._focus = piece
        self._invalidate_piece(piece)

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        area = self.ctx.area
        draw.paint_background(surface, area)
        if self.heading():
            surface.blit(self.heading_text, self.heading_rect)
        elif self.phase == "play":
            cursor = self._cell_rect(*self.cursor) if self.selected is not None else None
            ringed = self.selected or getattr(self, "_focus", None)
            view.draw_board(
                surface, self.ctx.ui, self.board, self.ghost, self.pieces, cursor, ringed
            )
        else:
            buttons_top = min(b.rect.top for b in self.buttons.buttons)
            praise = self.ctx.gettext("Well done! The picture is whole again.")
            ui, area = self.ctx.ui, self.ctx.area
            view.draw_whole(surface, ui, area, self.picture, self.stars, buttons_top, praise)
        self.buttons.draw(surface)
