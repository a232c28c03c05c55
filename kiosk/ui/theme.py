"""Colours and the scale that makes one layout fit 1280×720 up to 3840×2160."""

from __future__ import annotations

from dataclasses import dataclass

Color = tuple[int, int, int]

# Warm, calm colours: a cream background, a sunny accent and pastel tiles.
BACKGROUND_TOP: Color = (255, 244, 222)
BACKGROUND_BOTTOM: Color = (255, 218, 185)
INK: Color = (66, 48, 40)
INK_SOFT: Color = (120, 96, 84)
WHITE: Color = (255, 255, 255)
SHADOW: Color = (120, 70, 40)
ACCENT: Color = (255, 140, 66)
ACCENT_DARK: Color = (214, 94, 30)
FOCUS: Color = (40, 120, 220)
GOOD: Color = (76, 175, 80)
BAD: Color = (229, 83, 83)

#: Tile colours, picked by an activity's index so neighbours differ.
TILE_COLORS: tuple[Color, ...] = (
    (255, 183, 77),  # orange
    (129, 199, 132),  # green
    (100, 181, 246),  # blue
    (240, 128, 160),  # pink
    (179, 157, 219),  # lavender
    (77, 208, 196),  # teal
    (255, 213, 79),  # yellow
    (255, 138, 101),  # coral
)

#: Round button colours: Home, OK/Yes, and the friendly neutral.
HOME_COLOR: Color = (100, 181, 246)
YES_COLOR: Color = (102, 187, 106)
NEUTRAL_COLOR: Color = (255, 183, 77)


def lighten(color: Color, amount: float) -> Color:
    r, g, b = color
    return (
        int(r + (255 - r) * amount),
        int(g + (255 - g) * amount),
        int(b + (255 - b) * amount),
    )


def darken(color: Color, amount: float) -> Color:
    r, g, b = color
    return (int(r * (1 - amount)), int(g * (1 - amount)), int(b * (1 - amount)))


@dataclass(frozen=True)
class Metrics:
    """Sizes derived from the screen. `u` is one layout unit: 1 px on a 1280×720 screen.

    Everything is measured in units so a whiteboard at 3840×2160 gets the same layout
    three times larger, and a 4:3 screen gets the width-limited scale with the spare
    height shared out by the scenes."""

    width: int
    height: int

    @property
    def u(self) -> float:
        return min(self.width / 1280, self.height / 720)

    def px(self, units: float) -> int:
        return max(1, round(units * self.u))

    @property
    def margin(self) -> int:
        return self.px(24)

    @property
    def bar_height(self) -> int:
        """The top bar with the Home button."""
        return self.px(96)

    @property
    def corner_button(self) -> int:
        """Diameter of the round Home button: 72 units, 10 mm even on a 65" 4K board."""
        return self.px(72)

    def font_size(self, role: str) -> int:
        sizes = {"huge": 84, "title": 56, "heading": 40, "body": 30, "small": 22}
        return self.px(sizes[role])
