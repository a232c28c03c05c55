"""The game kit: what every mini-game's round is made of, so a game writes only its rules
and its play screen. See docs/activities.md ("The game kit").

- `RoundFlow`: the phases topic → level → play → stars, and the run it reports.
- `Tile`, `tile_buttons`, `level_buttons`, `draw_heading`: the topic and level pickers.
- `centered_rows`, `FocusGrid`: tiles in centred rows, and arrow-key focus over them.
- `StarsBanner`, `end_buttons`: the end of a round and "Play again" / "Next level".

It imports only pygame and kiosk.ui (what `kiosk.api` offers), never the shell."""

from kiosk.kit.flow import Phase, RoundContext, RoundFlow
from kiosk.kit.grid import ARROWS, CHOOSE_KEYS, FocusGrid, centered_rows, is_choose_key
from kiosk.kit.pickers import (
    Tile,
    draw_heading,
    level_buttons,
    level_colour,
    picker_top,
    tile_buttons,
)
from kiosk.kit.stars import StarsBanner, draw_stars, end_buttons, other_topic_button

__all__ = [
    "ARROWS",
    "CHOOSE_KEYS",
    "FocusGrid",
    "Phase",
    "RoundContext",
    "RoundFlow",
    "StarsBanner",
    "Tile",
    "centered_rows",
    "draw_heading",
    "draw_stars",
    "end_buttons",
    "is_choose_key",
    "level_buttons",
    "level_colour",
    "other_topic_button",
    "picker_top",
    "tile_buttons",
]
