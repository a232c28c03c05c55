"""Sort it out: carry each thing into the bin where it belongs."""

from games.sorting.game import SortItOut

__all__ = ["SortItOut"]
