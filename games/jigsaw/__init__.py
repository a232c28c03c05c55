"""Jigsaw: put a picture back together."""

from games.jigsaw.game import Jigsaw

__all__ = ["Jigsaw"]
