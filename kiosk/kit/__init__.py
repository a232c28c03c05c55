"""The game kit: what every mini-game's round is made of, so a game writes only its rules
and its play screen. See docs/activities.md ("A game on the kit").

- `RoundFlow`: the phases topic → level → play → stars, and the run it reports;
  `RoundGame`, the part of a game that lays out each phase's screen.
- `Tile`, `tile_buttons`, `pack_topic_tiles`, `level_buttons`, `draw_heading`: the topic
  and level pickers; `draw_notice` when there is nothing to play.
- `centered_rows`, `FocusGrid`: tiles in centred rows, and arrow-key focus over them.
- `draw_turn_line`: whose turn it is, on a team game's bar.
- `StarsBanner`, `end_buttons`, `put_end_buttons`: the end of a round and "Play again" /
  "Next level".

It imports only pygame and what `kiosk.api` offers (kiosk.ui, kiosk.input, the pack
models), never the shell, so `kiosk.api` can hand it on as `kiosk.api.kit`."""

from kiosk.kit.flow import Phase, RoundContext, RoundFlow, RoundGame
from kiosk.kit.grid import ARROWS, CHOOSE_KEYS, FocusGrid, centered_rows, is_choose_key
from kiosk.kit.pickers import (
    Tile,
    draw_heading,
    draw_notice,
    level_buttons,
    level_colour,
    pack_topic_tiles,
    picker_top,
    tile_buttons,
)
from kiosk.kit.stars import (
    StarsBanner,
    draw_stars,
    end_buttons,
    other_topic_button,
    put_end_buttons,
)
from kiosk.kit.turns import draw_turn_line

__all__ = [
    "ARROWS",
    "CHOOSE_KEYS",
    "FocusGrid",
    "Phase",
    "RoundContext",
    "RoundFlow",
    "RoundGame",
    "StarsBanner",
    "Tile",
    "centered_rows",
    "draw_heading",
    "draw_notice",
    "draw_stars",
    "draw_turn_line",
    "end_buttons",
    "is_choose_key",
    "level_buttons",
    "level_colour",
    "other_topic_button",
    "pack_topic_tiles",
    "picker_top",
    "put_end_buttons",
    "tile_buttons",
]
