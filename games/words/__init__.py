"""Word builder: spell the word for a picture from letter tiles."""

from games.words.game import WordBuilder

__all__ = ["WordBuilder"]
