"""Painting the race: each lane framed in its team's colour, with its animal, name and
progress, the thing the team is sorting and the bins, the bin its pad points at ringed in
the team's colour. Everything is clipped: a lane (and a piece of it) is drawn only when it
meets the invalidated rectangle, and composed pictures come from a cache, so a frame in
which one lane moves repaints that lane's moving part only."""

from __future__ import annotations

import math
from typing import Protocol

import pygame

import games.sorting.looks as looks
import games.sorting.race_layout as race_layout
from games.sorting.motion import Motion
from games.sorting.race import SortingRace
from games.sorting.race_layout import LaneLayout
from kiosk.api import ActivityContext, Pack, Team, Teams, draw, theme

#: Seconds "Try again!" shows in a lane after a wrong bin.
TRY_AGAIN_S = 1.5
#: Seconds a bin's counter grows when a thing lands in it.
POP_S = 0.45


class RaceScreen(Protocol):
    """What the painter reads of the race being played (see race_play.RacePlay)."""

    ctx: ActivityContext
    pack: Pack
    race: SortingRace
    teams: Teams
    lanes: list[LaneLayout]
    motions: list[Motion | None]
    wrong_at: list[float | None]
    popped: list[tuple[int, float] | None]
    time: float
    looks: dict[tuple[object, ...], pygame.Surface]


def item_placement(screen: RaceScreen, index: int) -> tuple[pygame.Rect, float, bool] | None:
    """Lane `index`'s thing: its rect (without shadow), scale and whether it is lifted;
    None when the lane has nothing on its table."""
    lane, layout = screen.race.lanes[index], screen.lanes[index]
    motion = screen.motions[index]
    if motion is None and lane.round.current is None:
        return None
    center, scale, lifted = layout.home.center, 1.0, False
    if motion is not None:
        center, scale = motion.place(screen.time)
        lifted = motion.kind == "in"
    rect = pygame.Rect(0, 0, round(layout.home.width * scale), round(layout.home.height * scale))
    rect.center = center
    return rect, scale, lifted


def item_dirty(screen: RaceScreen, index: int) -> pygame.Rect | None:
    """Everything lane `index`'s thing may paint now, its shadow included."""
    placement = item_placement(screen, index)
    if placement is None:
        return None
    reach = looks.shadow_reach(screen.ctx.ui) + 4
    return placement[0].inflate(2 * reach, 2 * reach)


def bin_dirty(screen: RaceScreen, index: int, bin_index: int) -> pygame.Rect:
    """A bin with its ring and counter badge."""
    layout = screen.lanes[index]
    rect = layout.bins[bin_index]
    reach = _ring_width(layout) * 2 + _badge_diameter(layout)  # the popping badge too
    return rect.inflate(2 * reach, 2 * reach).clip(layout.frame)


def paint(screen: RaceScreen, surface: pygame.Surface) -> None:
    area = screen.ctx.area
    clip = surface.get_clip()
    if not any(layout.frame.contains(clip) for layout in screen.lanes):
        draw.paint_background(surface, area)
    for i, layout in enumerate(screen.lanes):
        if clip.colliderect(layout.frame):
            _paint_lane(screen, surface, i, screen.teams[i])


def _paint_lane(screen: RaceScreen, surface: pygame.Surface, index: int, team: Team) -> None:
    ui = screen.ctx.ui
    layout = screen.lanes[index]
    lane = screen.race.lanes[index]
    clip = surface.get_clip()
    surface.blit(_backdrop(screen, index, team), layout.frame)
    if clip.colliderect(layout.header):
        if clip.colliderect(layout.count):
            total = len(lane.round.items)
            done = lane.round.index
            count = ui.text.fit(
                f"{done}/{total}", layout.count.size, layout.count.height, theme.INK, "bold", 1
            )
            surface.blit(count, count.get_rect(midright=layout.count.midright))
    if clip.colliderect(layout.progress):
        _paint_progress(surface, layout, lane.round.index / max(1, len(lane.round.items)), team)
    if clip.colliderect(layout.note):
        _paint_note(screen, surface, index)
    for b in range(len(layout.bins)):
        if clip.colliderect(bin_dirty(screen, index, b)):
            _paint_bin(screen, surface, index, b, team)
    if lane.finished:
        _paint_finished(screen, surface, index)
    else:
        _paint_pile(screen, surface, index)
    _paint_item(screen, surface, index)


def _backdrop(screen: RaceScreen, index: int, team: Team) -> pygame.Surface:
    """What does not change in a lane, composed once into one opaque picture: the scene's
    background behind it, the lane's face framed in the team's colour, the header with
    the animal and name, and the bins (their rings and counters are drawn over it)."""
    layout = screen.lanes[index]
    ui = screen.ctx.ui
    name = team.name(screen.ctx.gettext)
    frame = layout.frame

    def make() -> pygame.Surface:
        radius = max(8, layout.header.height // 3)
        backdrop = pygame.Surface(frame.size)
        screen_size = (ui.metrics.width, ui.metrics.height)
        draw.paint_background(backdrop, frame, screen_size, (0, 0))
        face = draw.rounded_card(
            frame.size, radius, theme.lighten(team.color, 0.82), layout.border, team.color
        )
        backdrop.blit(face, (0, 0))
        offset = pygame.Vector2(frame.topleft)
        backdrop.blit(
            draw.rounded_card(layout.header.size, radius, team.color), layout.header.move(-offset)
        )
        animal = ui.images.emoji(team.animal, layout.animal.height)
        backdrop.blit(animal, animal.get_rect(center=layout.animal.center - offset))
        text = ui.text.fit(
            name, layout.name.size, layout.name.height * 3 // 4, theme.INK, "bold", max_lines=1
        )
        backdrop.blit(text, text.get_rect(midleft=layout.name.move(-offset).midleft))
        for b, rect in enumerate(layout.bins):
            backdrop.blit(_bin_card(screen, index, b), rect.move(-offset))
        return backdrop.convert() if pygame.display.get_surface() is not None else backdrop

    return looks.kept(screen.looks, ("backdrop", team.index, frame.size, name), make)


def _paint_progress(surface: pygame.Surface, layout: LaneLayout, share: float, team: Team) -> None:
    bar = layout.progress
    radius = bar.height // 2
    pygame.draw.rect(surface, theme.WHITE, bar, border_radius=radius)
    if share > 0:
        done = pygame.Rect(bar.left, bar.top, max(bar.height, round(bar.width * share)), bar.height)
        pygame.draw.rect(surface, theme.darken(team.color, 0.15), done, border_radius=radius)


def _paint_note(screen: RaceScreen, surface: pygame.Surface, index: int) -> None:
    text = note_text(screen, index)
    if not text:
        return
    layout = screen.lanes[index]
    shown = screen.ctx.ui.text.fit(
        text, layout.note.size, layout.note.height * 4 // 5, theme.INK, "bold", max_lines=1
    )
    surface.blit(shown, shown.get_rect(center=layout.note.center))


def note_text(screen: RaceScreen, index: int) -> str:
    """The lane's note now: the seconds left once a team has finished, else "Try again!"
    for a moment after a wrong bin, else nothing."""
    lane = screen.race.lanes[index]
    if lane.finished:
        return ""
    left = screen.race.catch_up_left(screen.time)
    if left is not None:
        n = math.ceil(left)
        return screen.ctx.ngettext("%(n)d second left!", "%(n)d seconds left!", n) % {"n": n}
    wrong = screen.wrong_at[index]
    if wrong is not None and screen.time - wrong < TRY_AGAIN_S:
        return screen.ctx.gettext("Try again!")
    return ""


def finished_text(screen: RaceScreen, index: int) -> str:
    gettext = screen.ctx.gettext
    places = {
        1: gettext("First to finish!"),
        2: gettext("Second to finish!"),
        3: gettext("Third to finish!"),
        4: gettext("Fourth to finish!"),
    }
    place = screen.race.lanes[index].place
    return places.get(place or 0, "")


def _ring_width(layout: LaneLayout) -> int:
    return layout.ring


def _badge_diameter(layout: LaneLayout) -> int:
    return max(18, layout.bins[0].height // 4) if layout.bins else 18


def _paint_bin(screen: RaceScreen, surface: pygame.Surface, index: int, b: int, team: Team) -> None:
    ui = screen.ctx.ui
    layout = screen.lanes[index]
    lane = screen.race.lanes[index]
    rect = layout.bins[b]
    bin_ = lane.round.bins[b]
    radius = _bin_radius(rect)
    width = _ring_width(layout)
    hint = lane.round.hint
    if hint is not None and lane.round.bin_index(hint) == b:
        _ring(surface, rect, theme.GOOD, width, radius, gap=0)  # on its edge, inside
    if b == lane.cursor and not lane.finished:
        _ring(surface, rect, theme.darken(team.color, 0.25), width, radius, gap=width)
    count = lane.round.counts[bin_.id]
    if count:
        diameter = _badge_diameter(layout)
        popped = screen.popped[index]
        if popped is not None and popped[0] == b:
            t = (screen.time - popped[1]) / POP_S
            if 0 <= t < 1:
                diameter = round(diameter * (1 + 0.5 * math.sin(t * math.pi)))
        badge = looks.kept(
            screen.looks, ("count", count, diameter), lambda: looks.counter(ui, count, diameter)
        )
        surface.blit(badge, badge.get_rect(center=(rect.right - width, rect.top + width)))


def _bin_radius(rect: pygame.Rect) -> int:
    return max(6, rect.height // 7)


def _bin_card(screen: RaceScreen, index: int, b: int) -> pygame.Surface:
    """A bin of the lane: its picture and its name, fitted."""
    ui = screen.ctx.ui
    rect = screen.lanes[index].bins[b]
    bin_ = screen.race.lanes[index].round.bins[b]

    def make() -> pygame.Surface:
        color = theme.lighten(theme.TILE_COLORS[(b + 2) % len(theme.TILE_COLORS)], 0.2)
        card = draw.rounded_card(rect.size, _bin_radius(rect), color, max(2, rect.height // 40))
        card = card.copy()
        pad = max(3, rect.height // 16)
        picture = screen.ctx.picture(screen.pack, bin_.picture, int(rect.height * 0.55))
        card.blit(picture, picture.get_rect(midtop=(rect.width // 2, pad)))
        label_box = (rect.width - 2 * pad, rect.height - picture.get_height() - 2 * pad)
        label = ui.text.fit(
            screen.ctx.pick(bin_.text),
            label_box,
            max(10, rect.height // 6),
            theme.INK,
            "bold",
            max_lines=2,
        )
        middle = pad + picture.get_height() + label_box[1] // 2
        card.blit(label, label.get_rect(center=(rect.width // 2, middle)))
        return card

    return looks.kept(screen.looks, ("bin", bin_.id, rect.size), make)


def _ring(
    surface: pygame.Surface,
    rect: pygame.Rect,
    color: tuple[int, int, int],
    width: int,
    radius: int,
    gap: int,
) -> None:
    outline = rect.inflate(2 * gap, 2 * gap)
    pygame.draw.rect(surface, color, outline, width=width, border_radius=radius + gap)


def _paint_pile(screen: RaceScreen, surface: pygame.Surface, index: int) -> None:
    layout = screen.lanes[index]
    lane = screen.race.lanes[index]
    motion = screen.motions[index]
    on_table = 0 if (motion is not None and motion.kind == "in") else 1
    waiting = min(2, lane.round.remaining - on_table)
    if waiting <= 0:
        return
    back = looks.kept(
        screen.looks,
        ("back", layout.home.size),
        lambda: looks.card_back(screen.ctx.ui, layout.home.size),
    )
    step = max(3, round(layout.home.height * race_layout.PILE_REACH / 2))
    for k in range(waiting, 0, -1):
        surface.blit(back, back.get_rect(center=layout.home.move(k * step, -k * step).center))


def _paint_item(screen: RaceScreen, surface: pygame.Surface, index: int) -> None:
    placement = item_placement(screen, index)
    dirty = item_dirty(screen, index)
    if placement is None or dirty is None or not surface.get_clip().colliderect(dirty):
        return
    rect, scale, lifted = placement
    motion = screen.motions[index]
    word = motion.word if motion is not None else screen.race.lanes[index].round.current_word
    assert word is not None
    size = screen.lanes[index].home.size
    ui = screen.ctx.ui

    def make() -> pygame.Surface:
        picture = screen.ctx.picture(screen.pack, word.picture, int(size[1] * looks.PICTURE_SHARE))
        return looks.item_card(ui, picture, screen.ctx.pick(word.text), size, lifted)

    card = looks.kept(screen.looks, ("card", word.id, lifted, size), make)
    if scale != 1.0:
        w, h = card.get_size()
        card = pygame.transform.smoothscale(
            card, (max(1, round(w * scale)), max(1, round(h * scale)))
        )
    surface.blit(card, card.get_rect(center=rect.center))


def _paint_finished(screen: RaceScreen, surface: pygame.Surface, index: int) -> None:
    """The finished lane's table: a trophy (first) or a tick, and its place."""
    layout = screen.lanes[index]
    if not surface.get_clip().colliderect(layout.table):
        return
    ui = screen.ctx.ui
    place = screen.race.lanes[index].place
    table = layout.table
    side = round(min(table.height * 0.45, table.width * 0.5))
    picture = ui.images.emoji("trophy" if place == 1 else "check-mark-button", side)
    surface.blit(picture, picture.get_rect(midtop=(table.centerx, table.top)))
    box = pygame.Rect(table.left, table.top + side, table.width, table.height - side)
    text = ui.text.fit(
        finished_text(screen, index), box.size, box.height // 2, theme.INK, "bold", max_lines=2
    )
    surface.blit(text, text.get_rect(center=box.center))
