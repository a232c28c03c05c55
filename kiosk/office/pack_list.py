"""The packs page's list: every pack an account may see, each version with how, when and
by whom it was published and the libraries that run it (`kiosk.office.editor_pages`
shows it). A librarian sees her library's packs and those her stations run, and only
the libraries she may see (`kiosk.office.accounts`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from kiosk.office.accounts import Actor
from kiosk.office.content_models import PackAssignment, PackVersion
from kiosk.office.dashboard import Texts
from kiosk.office.editor_library import games_of, published_model


@dataclass(frozen=True)
class VersionLine:
    version: int
    made_with: str
    created_at: str
    total_bytes: int
    sites: tuple[str, ...]
    #: The login that published it; "" from the command line.
    published_by: str = ""


@dataclass(frozen=True)
class PackLine:
    pack_id: str
    versions: tuple[VersionLine, ...]
    #: The newest version was made in the editor, so the editor can open it.
    editable: bool
    #: The games that use the newest version (msgids of `KIND_NAMES`).
    games: tuple[str, ...] = ()
    #: The signed-in account may publish and roll back this pack.
    changeable: bool = True


def pack_lines(engine: Engine, texts: Texts, who: Actor) -> list[PackLine]:
    """The packs `who` may see (a librarian: her library's and those her stations run),
    each version with the libraries `who` may see that run it."""
    with engine.connect() as conn:
        running: dict[int, list[str]] = {}
        for row in conn.execute(select(PackAssignment.version_id, PackAssignment.site_id)):
            running.setdefault(row.version_id, []).append(row.site_id)
        by_pack: dict[str, list[Any]] = {}
        for v in conn.execute(
            select(PackVersion).order_by(PackVersion.pack_id, PackVersion.version.desc())
        ):
            by_pack.setdefault(v.pack_id, []).append(v)
    lines = []
    for pack_id, versions in by_pack.items():
        owner = versions[-1].owner_site_id  # the first version's
        runs_here = any(who.may_see(site) for v in versions for site in running.get(v.id, []))
        if not (who.is_coordinator or owner == who.site or runs_here):
            continue
        lines.append(
            PackLine(
                pack_id,
                tuple(
                    VersionLine(
                        v.version,
                        v.made_with,
                        texts.moment(_aware(v.created_at), "UTC"),
                        v.total_bytes,
                        tuple(sorted(s for s in running.get(v.id, []) if who.may_see(s))),
                        v.published_by or "",
                    )
                    for v in versions
                ),
                editable=versions[0].made_with == "editor" and who.may_change_pack(owner, True),
                games=games_of(published_model(engine, versions[0].id)),
                changeable=who.may_change_pack(owner, True),
            )
        )
    return lines


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
