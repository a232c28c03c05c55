"""The picture picker the film and the story share: the child's drawings of this session
and the content packs' pictures, on a card over the tool, and the chosen one made into a
frame or a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kiosk.api import ActivityContext, Button, Creation, Pack, draw, theme
from kiosk.studio.common import creation_picture
from kiosk.studio.pictures import fit_onto, pack_picture_frame


@dataclass(frozen=True)
class PickItem:
    """A picture the child can add: a drawing of this session or a pack's picture."""

    id: str
    drawing: Creation | None = None
    pack: Pack | None = None
    picture: str | None = None


def pick_items(ctx: ActivityContext, sep: str) -> list[PickItem]:
    """This session's drawings first, then every pack picture; ids ``drawing<sep><id>``
    and ``<pack><sep><picture>``."""
    items: list[PickItem] = []
    store = ctx.creations
    if store is not None:
        for drawing in store.drawings_in_session():
            items.append(PickItem(id=f"drawing{sep}{drawing.id}", drawing=drawing))
    for pack in ctx.packs:
        for picture_id in pack.pictures:
            items.append(
                PickItem(id=f"{pack.pack}{sep}{picture_id}", pack=pack, picture=picture_id)
            )
    return items


def picked_picture(
    ctx: ActivityContext, item: PickItem, size: tuple[int, int], top: int = 0
) -> pygame.Surface | None:
    """The chosen picture as a `size` picture on white (a pack's pictogram kept below
    `top`); None when it cannot be read."""
    if item.drawing is None:
        assert item.pack is not None and item.picture is not None
        return pack_picture_frame(ctx, item.pack, item.picture, size, top)
    drawing = item.drawing
    rel = drawing.pages[0] if drawing.pages else None
    if rel is None and drawing.timeline:
        rel = drawing.timeline[0]["image"]
    picture = drawing.load_png(rel) if rel else None
    return fit_onto(picture, size) if picture is not None else None


def picker_panel(ctx: ActivityContext) -> pygame.Rect:
    """The picker's card: the tool's whole area but a margin."""
    m = ctx.ui.metrics
    return ctx.area.inflate(-2 * m.margin, -2 * m.px(12))


def draw_picker(ctx: ActivityContext, surface: pygame.Surface, heading: str, y: int) -> None:
    """The picker's card and its heading, centred `y` units below its top."""
    ui = ctx.ui
    m = ui.metrics
    panel = picker_panel(ctx)
    card = draw.rounded_card(panel.size, m.px(28), theme.lighten(theme.TILE_COLORS[2], 0.7))
    surface.blit(card, panel)
    text = ui.text.fit(
        heading,
        (panel.width - 2 * m.px(40), m.px(70)),
        m.font_size("heading"),
        theme.INK,
        weight="bold",
    )
    surface.blit(text, text.get_rect(center=(panel.centerx, panel.top + m.px(y))))


def picker_leave_button(
    ctx: ActivityContext, button_id: str, height: int, back: bool, on_press: Callable[[], None]
) -> Button:
    """The button under the picker: "Done" (green) or "Back" (grey)."""
    m = ctx.ui.metrics
    panel = picker_panel(ctx)
    rect = pygame.Rect(0, 0, m.px(300), m.px(height))
    rect.midbottom = (panel.centerx, panel.bottom - m.px(14))
    return Button(
        id=button_id,
        rect=rect,
        color=theme.NEUTRAL_COLOR if back else theme.YES_COLOR,
        icon="left-arrow" if back else "check-mark-button",
        label=ctx.gettext("Back") if back else ctx.gettext("Done"),
        icon_share=0.5,
        on_press=on_press,
    )


def drawing_preview(ctx: ActivityContext, drawing: Creation, size: int) -> pygame.Surface:
    """A drawing of this session as a `size` picture to pick (a placeholder when it has
    none)."""
    picture = creation_picture(drawing, size)
    return picture if picture is not None else ctx.ui.images.placeholder(size)
