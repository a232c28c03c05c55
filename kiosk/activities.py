"""Finding activities: every entry point in the group ``kiosk.activities``.

Built-in games register there too, so a library's own add-on package plugs in exactly
the same way. Two activities with one id stop start-up with a message naming both; an id
the office would refuse (`ACTIVITY_ID_PATTERN`) is left out with a logged reason, so no
usage is counted under a name that could never be synced."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from kiosk.api import Activity
from kiosk.errors import TelpaError

log = logging.getLogger(__name__)

GROUP = "kiosk.activities"

#: What an activity id may look like: the office stores and exports usage only for ids
#: of this shape (the same rule as kiosk/office/models.py's ACTIVITY_PATTERN).
ACTIVITY_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class ActivityError(TelpaError):
    """An activity cannot be registered; the message says which and why."""

    code = "activity"


@dataclass(frozen=True)
class RegisteredActivity:
    cls: type[Activity]
    source: str  # "package: module:Class", for messages

    @property
    def id(self) -> str:
        return self.cls.info.id


def _describe(ep: EntryPoint) -> str:
    dist = ep.dist.name if ep.dist is not None else "?"
    return f"{ep.value} (entry point {ep.name!r} of package {dist})"


def discover(eps: list[EntryPoint] | None = None) -> list[RegisteredActivity]:
    """Load every registered activity. An entry point that fails to import is logged and
    skipped (the rest of the kiosk still works); a duplicate id raises ActivityError."""
    if eps is None:
        eps = sorted(entry_points(group=GROUP), key=lambda e: e.name)
    found: dict[str, RegisteredActivity] = {}
    for ep in eps:
        try:
            cls = ep.load()
        except Exception:
            log.exception("activity %s could not be loaded; it is left out", _describe(ep))
            continue
        if not (isinstance(cls, type) and issubclass(cls, Activity)) or not hasattr(cls, "info"):
            log.error("%s is not an Activity subclass with an info; left out", _describe(ep))
            continue
        registered = RegisteredActivity(cls, _describe(ep))
        if not isinstance(registered.id, str) or not re.fullmatch(
            ACTIVITY_ID_PATTERN, registered.id
        ):
            log.error(
                "%s has the id %r; ids are small letters, digits, '-' and '_' (at most 64): "
                "left out",
                registered.source,
                registered.id,
            )
            continue
        previous = found.get(registered.id)
        if previous is not None:
            raise ActivityError(
                f"two activities have the id {registered.id!r}: {previous.source} and "
                f"{registered.source}; uninstall one or give it another id"
            )
        found[registered.id] = registered
    return list(found.values())


def arrange(
    activities: list[RegisteredActivity], order: list[str], hidden: list[str]
) -> list[RegisteredActivity]:
    """The launcher's order: the configured ids first, the rest by title id; hidden left out."""
    visible = [a for a in activities if a.id not in hidden]
    rank = {activity_id: i for i, activity_id in enumerate(order)}
    return sorted(visible, key=lambda a: (rank.get(a.id, len(rank)), a.id))
