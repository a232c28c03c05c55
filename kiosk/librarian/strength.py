"""Which librarian PINs are too easy to guess, and why, in words for whoever sets one.

The pad allows five tries before it locks, so what matters is that a PIN is not among
the few dozen that anyone — a curious child included — tries first: one digit repeated,
a run like 1234 or 9876, a repeated pair like 1212, a year, or a famous pattern on the
keypad such as 2580. `weakness(pin)` names the first such reason, or None."""

from __future__ import annotations

import re

PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")

# The most common PINs that the pattern rules below do not already catch (published
# analyses of leaked PIN sets): keypad columns and diagonals, "LOVE", and favourites.
COMMON_PINS = frozenset(
    {
        "2580",
        "0852",
        "1470",
        "0741",
        "3690",
        "0963",
        "7410",
        "1004",
        "6969",
        "1122",
        "5683",
        "1379",
        "1397",
        "1001",
        "112233",
        "123321",
        "159753",
        "147258",
        "258369",
        "147852",
        "789456",
        "456123",
        "102030",
        "11223344",
    }
)

_WHAT_TO_CHOOSE = (
    "Please choose 4 to 8 digits with no pattern that only you and your colleagues know, "
    "for example a number that means something only to your library."
)


def weakness(pin: str) -> str | None:
    """Why `pin` should not be the librarian PIN (a kind sentence with what to choose
    instead), or None when it will do."""
    if not PIN_PATTERN.match(pin):
        return "A PIN is 4 to 8 digits, numbers only."
    reason = _pattern(pin)
    if reason is None:
        return None
    return f"This PIN {reason}, so it is among the first anyone tries. {_WHAT_TO_CHOOSE}"


def _pattern(pin: str) -> str | None:
    digits = [int(c) for c in pin]
    if len(set(digits)) == 1:
        return "is one digit repeated (like 0000)"
    steps = {(b - a) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    if steps in ({1}, {9}):
        return "is a run of digits counting up or down (like 1234 or 9876)"
    for period in range(2, len(pin) // 2 + 1):
        if all(pin[i] == pin[i - period] for i in range(period, len(pin))):
            return "repeats the same few digits (like 1212 or 123123)"
    if len(pin) == 4 and pin[:2] in ("19", "20"):
        return "looks like a year, and years (birthdays, anniversaries) are easy to guess"
    if pin in COMMON_PINS:
        return "is on the list of the most common PINs (a pattern on the keypad or a favourite)"
    return None
