"""Pieces the creative tools share: colours, tool buttons, a picture grid, a two-tap
confirmation, a short "Saved!" note and the autosave rhythm.

Everything here builds plain `Button`s for the tool's own `ButtonGroup` (so the harness
and the keyboard see them like any other button) or draws into the tool's area. Like the
tools, this module uses only `kiosk.api`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import pygame
from babel.numbers import format_decimal

from kiosk.api import ActivityContext, Button, Creation, draw, theme
from kiosk.studio.pictures import arrow_icon

Color = tuple[int, int, int]

WHITE: Color = (255, 255, 255)
#: Twelve bright, easy-to-tell-apart colours and white (white also rubs out on a picture).
PALETTE: tuple[Color, ...] = (
    (33, 33, 33),  # black
    (229, 57, 53),  # red
    (255, 138, 0),  # orange
    (253, 216, 53),  # yellow
    (124, 179, 66),  # light green
    (46, 125, 50),  # green
    (3, 169, 244),  # light blue
    (40, 53, 147),  # dark blue
    (142, 36, 170),  # purple
    (240, 98, 146),  # pink
    (121, 85, 72),  # brown
    (158, 158, 158),  # grey
    WHITE,
)

#: A tool that is on gets the accent colour; the others stay white.
TOOL_ON: Color = theme.ACCENT
TOOL_OFF: Color = WHITE

#: Seconds after a change before a draft is written, and at least this far apart.
AUTOSAVE_AFTER_S = 3.0
#: Width of a creation's thumb.png: bigger pictures are made from its own pictures.
THUMB_SIZE = 320
#: Seconds a second tap may come after the first to confirm (e.g. "Clear").
CONFIRM_S = 3.0


def swatch_picture(color: Color, size: int, selected: bool) -> pygame.Surface:
    """A colour swatch: a filled circle; the chosen one has a white ring and a dot."""
    surface = pygame.Surface((size, size), pygame.SRCALPHA)
    outline = theme.INK_SOFT if color == WHITE else theme.darken(color, 0.25)
    surface.blit(draw.circle(size, outline), (0, 0))
    inner = size - max(2, size // 14) * 2
    surface.blit(draw.circle(inner, color), ((size - inner) // 2, (size - inner) // 2))
    if selected:
        dot = size // 3
        mark = theme.INK if sum(color) > 500 else WHITE
        surface.blit(draw.circle(dot, mark), ((size - dot) // 2, (size - dot) // 2))
    return surface


def palette_buttons(
    ctx: ActivityContext,
    rect: pygame.Rect,
    selected: Color | None,
    on_pick: Callable[[Color], None],
    colors: Sequence[Color] = PALETTE,
    columns: int = 2,
) -> list[Button]:
    """Round colour buttons (ids ``color:0``…) filling `rect` in `columns`, row by row."""
    rows = -(-len(colors) // columns)
    gap = ctx.ui.metrics.px(8)
    side = min(
        (rect.width - (columns - 1) * gap) // columns, (rect.height - (rows - 1) * gap) // rows
    )
    left = rect.centerx - (columns * side + (columns - 1) * gap) // 2
    top = rect.top + (rect.height - (rows * side + (rows - 1) * gap)) // 2
    buttons = []
    for i, color in enumerate(colors):
        row, col = divmod(i, columns)
        chosen = color == selected
        buttons.append(
            Button(
                id=f"color:{i}",
                rect=pygame.Rect(left + col * (side + gap), top + row * (side + gap), side, side),
                color=theme.ACCENT if chosen else WHITE,
                image=swatch_picture(color, side, chosen),
                on_press=partial(on_pick, color),
                round=True,
            )
        )
    return buttons


def tool_button(
    button_id: str,
    rect: pygame.Rect,
    on_press: Callable[[], None],
    icon: str | None = None,
    image: pygame.Surface | None = None,
    on: bool = False,
    enabled: bool = True,
    label: str = "",
) -> Button:
    """A square tool button: picture only (few words for weak readers), orange when on."""
    return Button(
        id=button_id,
        rect=rect,
        color=TOOL_ON if on else TOOL_OFF,
        icon=icon,
        image=image,
        label=label,
        on_press=on_press,
        enabled=enabled,
        icon_share=0.55,
    )


def grid_rects(
    area: pygame.Rect, count: int, columns: int, rows: int, gap: int, aspect: float = 1.0
) -> list[pygame.Rect]:
    """`count` equal cells (width = `aspect` × height) laid out in `columns`×`rows`,
    centred in `area`."""
    h = min(
        int((area.width - (columns - 1) * gap) / columns / aspect),
        (area.height - (rows - 1) * gap) // rows,
    )
    w = round(h * aspect)
    used_cols = min(columns, max(1, count))
    used_rows = max(1, -(-count // columns))
    left = area.centerx - (used_cols * w + (used_cols - 1) * gap) // 2
    top = area.centery - (used_rows * h + (used_rows - 1) * gap) // 2
    return [
        pygame.Rect(left + (i % columns) * (w + gap), top + (i // columns) * (h + gap), w, h)
        for i in range(count)
    ]


#: How much of a picture cell's face the picture takes: emoji art often runs to its own
#: edges (a handshake's cuffs, a cloud's sides), so without a margin it looks cut off.
CELL_PICTURE_SHARE = 0.74


def cell_picture(picture: pygame.Surface, side: int) -> pygame.Surface:
    """`picture` fitted whole (aspect kept) into the middle of a clear `side`×`side`
    square, with a margin all round, ready to be a picture button's image."""
    canvas = pygame.Surface((side, side), pygame.SRCALPHA)
    box = max(1, round(side * CELL_PICTURE_SHARE))
    w, h = picture.get_size()
    scale = box / max(1, w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    fitted = pygame.transform.smoothscale(picture, size) if size != (w, h) else picture
    canvas.blit(fitted, fitted.get_rect(center=(side // 2, side // 2)))
    return canvas


def page_arrow(
    button_id: str,
    center: tuple[int, int],
    size: int,
    direction: int,
    on_press: Callable[[], None],
    enabled: bool = True,
) -> Button:
    """The one arrow that turns a page of pictures in every tool (the film's and the
    story's pickers, the stamps): a round white button with a fat triangle."""
    rect = pygame.Rect(0, 0, size, size)
    rect.center = center
    return Button(
        id=button_id,
        rect=rect,
        color=WHITE,
        image=arrow_icon(size, direction),
        round=True,
        on_press=on_press,
        enabled=enabled,
    )


@dataclass
class PictureGrid:
    """A paged grid of pictures to choose from (stamps, "my pictures", frames): buttons
    ``<prefix>:<key>`` plus ``<prefix>:prev`` / ``<prefix>:next`` when there are pages."""

    prefix: str
    items: list[tuple[str, Callable[[int], pygame.Surface]]]
    columns: int
    rows: int
    page: int = 0
    #: Cell width / height. Wide cells (e.g. 16/9 for pictures) show their picture through
    #: `draw_pictures()`, since a button fits its picture into a square.
    aspect: float = 1.0
    _wide: dict[str, pygame.Surface] = field(default_factory=dict, repr=False)

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.items) // self.per_page))

    def turn(self, step: int) -> None:
        self.page = (self.page + step) % self.pages

    def buttons(
        self,
        ctx: ActivityContext,
        area: pygame.Rect,
        on_pick: Callable[[str], None],
        on_turn: Callable[[int], None],
    ) -> list[Button]:
        m = ctx.ui.metrics
        gap = m.px(12)
        arrows = self.pages > 1
        arrow_w = m.px(72) if arrows else 0
        inner = area.inflate(-2 * (arrow_w + gap) if arrows else 0, 0)
        shown = self.items[self.page * self.per_page : (self.page + 1) * self.per_page]
        cells = grid_rects(inner, len(shown), self.columns, self.rows, gap, self.aspect)
        buttons = []
        self._wide.clear()
        pad = m.px(14)
        for (key, picture), cell in zip(shown, cells, strict=True):
            button = Button(
                id=f"{self.prefix}:{key}", rect=cell, color=WHITE, on_press=partial(on_pick, key)
            )
            if self.aspect == 1.0:
                button.image = cell_picture(picture(cell.height - 2 * pad), cell.height)
            else:
                box = cell.inflate(-2 * pad, -2 * pad)
                # One scaling only: each smoothscale greys white a little.
                size = min(box.width, round(box.height * self.aspect))
                self._wide[button.id] = _fit(picture(size), box.size)
            buttons.append(button)
        if arrows:
            side = min(arrow_w, area.height)
            for step, x in ((-1, area.left), (1, area.right - arrow_w)):
                buttons.append(
                    page_arrow(
                        f"{self.prefix}:{'prev' if step < 0 else 'next'}",
                        (x + arrow_w // 2, area.centery),
                        side,
                        step,
                        partial(on_turn, step),
                    )
                )
        return buttons

    def draw_pictures(self, surface: pygame.Surface, buttons: Sequence[Button], ui_px: int) -> None:
        """Paint the wide cells' pictures over their buttons (`ui_px` = metrics.px(4), the
        distance a pressed button sinks)."""
        for button in buttons:
            picture = self._wide.get(button.id)
            if picture is not None:
                center = button.rect.move(0, ui_px if button.pressed else 0).center
                surface.blit(picture, picture.get_rect(center=center))


def _fit(picture: pygame.Surface, box: tuple[int, int]) -> pygame.Surface:
    w, h = picture.get_size()
    scale = min(box[0] / max(1, w), box[1] / max(1, h), 1.0)
    if scale >= 1.0:
        return picture
    return pygame.transform.smoothscale(
        picture, (max(1, round(w * scale)), max(1, round(h * scale)))
    )


class ConfirmTap:
    """A destructive button that needs a second tap within `CONFIRM_S` seconds: the first
    tap arms it (the tool shows "Sure?"), the second does it."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._armed_at: float | None = None

    @property
    def armed(self) -> bool:
        return self._armed_at is not None and self._now() - self._armed_at < CONFIRM_S

    def tap(self) -> bool:
        """True when this tap confirms; otherwise it arms (or re-arms) the button."""
        if self.armed:
            self._armed_at = None
            return True
        self._armed_at = self._now()
        return False

    def expired(self) -> bool:
        """True once, when an armed button times out (the tool puts its face back)."""
        if self._armed_at is not None and not self.armed:
            self._armed_at = None
            return True
        return False

    def cancel(self) -> None:
        self._armed_at = None


class Autosave:
    """When to write a draft: `AUTOSAVE_AFTER_S` after the first unsaved change, so a
    busy child's work is on disk within seconds without a write on every stroke."""

    def __init__(self, now: Callable[[], float], after_s: float = AUTOSAVE_AFTER_S) -> None:
        self._now = now
        self.after_s = after_s
        self._changed_at: float | None = None

    @property
    def pending(self) -> bool:
        return self._changed_at is not None

    def changed(self) -> None:
        if self._changed_at is None:
            self._changed_at = self._now()

    def due(self) -> bool:
        return self._changed_at is not None and self._now() - self._changed_at >= self.after_s

    def done(self) -> None:
        self._changed_at = None


class Note:
    """A short message with a picture over the tool ("Saved!"), gone after a moment."""

    def __init__(self, ctx: ActivityContext, seconds: float = 1.6, width: int = 520) -> None:
        self.ctx = ctx
        self.seconds = seconds
        #: In layout units: a sentence needs more room than "Saved!".
        self.width = width
        self.text = ""
        self.icon = ""
        self._until = 0.0

    @property
    def visible(self) -> bool:
        return bool(self.text) and self.ctx.now() < self._until

    @property
    def rect(self) -> pygame.Rect:
        m = self.ctx.ui.metrics
        rect = pygame.Rect(0, 0, min(m.px(self.width), self.ctx.area.width), m.px(150))
        rect.center = self.ctx.area.center
        return rect

    def show(self, text: str, icon: str = "check-mark-button") -> None:
        self.text, self.icon = text, icon
        self._until = self.ctx.now() + self.seconds
        self.ctx.invalidate(
            self.rect.inflate(self.ctx.ui.metrics.px(40), self.ctx.ui.metrics.px(40))
        )

    def hide(self) -> None:
        self._until = 0.0
        self.update()

    def update(self) -> None:
        if self.text and not self.visible:
            self.text = ""
            self.ctx.invalidate(
                self.rect.inflate(self.ctx.ui.metrics.px(40), self.ctx.ui.metrics.px(40))
            )

    def draw(self, surface: pygame.Surface) -> None:
        if not self.visible:
            return
        ui = self.ctx.ui
        m = ui.metrics
        rect = self.rect
        blur = m.px(14)
        surface.blit(draw.shadow(rect.size, m.px(32), blur), rect.move(-blur, -blur + m.px(6)))
        surface.blit(draw.rounded_card(rect.size, m.px(32), WHITE), rect)
        icon = ui.images.emoji(self.icon, rect.height - m.px(40))
        surface.blit(icon, icon.get_rect(midleft=(rect.x + m.px(24), rect.centery)))
        box = (rect.width - icon.get_width() - m.px(72), rect.height - m.px(24))
        text = ui.text.fit(self.text, box, m.font_size("title"), theme.INK, weight="bold")
        surface.blit(
            text, text.get_rect(center=(rect.right - m.px(24) - box[0] // 2, rect.centery))
        )


def creation_picture(creation: Creation, size: int) -> pygame.Surface | None:
    """A creation's picture fitted into size×size, or None when it has none: its
    thumbnail, or for big sizes (whiteboards) its first page or shot, which is sharper."""
    thumb = None
    if size > THUMB_SIZE:
        first = creation.pages[:1] or [shot["image"] for shot in creation.timeline[:1]]
        thumb = creation.load_png(first[0]) if first else None
    if thumb is None:
        thumb = creation.load_png("thumb.png")
    if thumb is None:
        return None
    w, h = thumb.get_size()
    scale = size / max(w, h, 1)
    return pygame.transform.smoothscale(thumb, (max(1, round(w * scale)), max(1, round(h * scale))))


def framed(picture: pygame.Surface, size: int) -> pygame.Surface:
    """`picture` fitted into size×size on a thin grey frame (a canvas on a button)."""
    w, h = picture.get_size()
    scale = (size - 4) / max(w, h, 1)
    inner = pygame.transform.smoothscale(
        picture, (max(1, round(w * scale)), max(1, round(h * scale)))
    )
    out = pygame.Surface((inner.get_width() + 4, inner.get_height() + 4), pygame.SRCALPHA)
    out.fill((*theme.INK_SOFT, 255))
    out.blit(inner, (2, 2))
    return out


def saved_buttons(
    ctx: ActivityContext,
    keep_icon: str,
    keep_going: Callable[[], None],
    new_id: str,
    new_label: str,
    start_new: Callable[[], None],
) -> list[Button]:
    """The two big buttons under "Saved!": go on with this work, or start a new one."""
    m = ctx.ui.metrics
    a = ctx.area
    w, h, gap = m.px(320), m.px(130), m.px(40)
    top = a.top + a.height * 3 // 5
    left = a.centerx - w - gap // 2
    return [
        Button(
            id="keep-going",
            rect=pygame.Rect(left, top, w, h),
            color=theme.NEUTRAL_COLOR,
            icon=keep_icon,
            label=ctx.gettext("Keep going"),
            icon_share=0.5,
            on_press=keep_going,
        ),
        Button(
            id=new_id,
            rect=pygame.Rect(left + w + gap, top, w, h),
            color=theme.YES_COLOR,
            icon="sparkles",
            label=new_label,
            icon_share=0.5,
            on_press=start_new,
        ),
    ]


def duration_text(
    seconds: float,
    lang: str,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> str:
    """How long a film or story lasts, in words: "0,5 sekundes", "3 seconds", "12 sekundžių".

    Under ten seconds a fraction shows with one decimal in the language's own way (a film of
    4 frames is half a second, not "0 seconds"); a fractional number takes the form that
    fits any fraction (genitive singular in Latvian and Lithuanian), so it is one message,
    not a plural. Whole and longer times are rounded to whole seconds."""
    tenths = max(1, round(seconds * 10)) if seconds > 0 else 0
    if tenths < 100 and tenths % 10:
        number = format_decimal(tenths / 10, format="0.0", locale=lang)
        return gettext("%(n)s seconds") % {"n": number}
    whole = round(seconds) if tenths >= 100 else tenths // 10
    return ngettext("%(n)d second", "%(n)d seconds", whole) % {"n": whole}
