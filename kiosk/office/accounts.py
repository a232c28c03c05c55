"""Who may see and change what at the office: the two roles and their rules.

- A **coordinator** sees every library's figures, stations and packs, publishes and rolls
  back packs and sets station settings for any library, and manages the accounts.
- A **librarian** belongs to one library. She sees only its figures (dashboard and
  downloads), its stations, and the packs its stations run; she publishes and rolls back
  only *her library's* packs and only to its stations, and sets settings only for them.
  A pack belongs to the library whose librarian published its first version
  (``pack_versions.owner_site_id``); a pack a coordinator made first is the project's
  (owner NULL), which the librarian sees when her stations run it but does not change.

`Actor` states these rules once; the dashboard's dependency (`kiosk.office.dashboard`,
``CurrentUser``) gives each request the signed-in account as an `Actor`, and the content
store (`kiosk.office.content_store`) asks it before it changes anything, so a rule holds
whatever page or form a request comes from. The office's command line acts as
`COMMAND_LINE`: whoever can run it on the office PC can read the database anyway.

A refusal is `NotAllowed`: its message is an English sentence marked for the catalogs
with its values apart, so the dashboard shows it in the page's language (403), and it is
raised before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.errors import TelpaError
from kiosk.office.models import COORDINATOR, LIBRARIAN


def N_(message: str) -> str:
    """Mark a message for the catalogs; it is translated where it is shown."""
    return message


class NotAllowed(TelpaError):
    """The account may not do or see this; nothing was changed.

    `message` is the English text (a catalog msgid) and `values` its ``%(name)s`` values;
    ``str()`` gives the English sentence for logs and the command line."""

    code = "not_allowed"

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message % values)
        self.message = message
        self.values = values


OTHER_LIBRARY = N_(
    "This belongs to another library. As the librarian of %(site)s you see and change only "
    "your own library's figures, stations and packs; nothing was changed."
)
COORDINATORS_ONLY = N_(
    "Only coordinators may do this; you are signed in as the librarian of %(site)s. "
    "Nothing was changed."
)
NOT_HER_PACK = N_(
    "The pack %(pack)s is not %(site)s's: it was made by the project's coordinators or "
    "another library, so only they publish or roll it back. Choose another name for your "
    "own pack; nothing was changed."
)
EVERY_LIBRARY = N_(
    "Only coordinators publish to every library at once; as the librarian of %(site)s "
    "choose %(site)s. Nothing was changed."
)


@dataclass(frozen=True)
class Actor:
    """Who asks: a signed-in account (`login`) or the office's command line (None)."""

    login: str | None
    role: str
    #: The librarian's library; None for a coordinator.
    site: str | None = field(default=None)

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR

    @property
    def shown(self) -> str:
        """Who published, as the packs page and `list-packs` show it."""
        return self.login or "command line"

    def may_see(self, site: str) -> bool:
        """Whether this account may see `site`'s figures, stations and packs."""
        return self.is_coordinator or site == self.site

    def may_publish_to(self, site: str) -> bool:
        """Whether this account may publish, roll back and set settings for `site`."""
        return self.is_coordinator or (self.role == LIBRARIAN and site == self.site)

    def may_change_pack(self, owner_site: str | None, exists: bool) -> bool:
        """Whether this account may publish a version of, or roll back, a pack owned by
        `owner_site` (None: the coordinators'); a pack that does not exist yet is free."""
        return self.is_coordinator or not exists or owner_site == self.site

    def owner_for_new_pack(self) -> str | None:
        """The owner a pack gets when this account publishes its first version."""
        return None if self.is_coordinator else self.site

    # --- the same rules, raising ---------------------------------------------------------

    def check_sees(self, site: str) -> None:
        if not self.may_see(site):
            raise NotAllowed(OTHER_LIBRARY, site=self.site or "")

    def check_publishes_to(self, sites: list[str] | None) -> None:
        """`sites` None means every library."""
        if self.is_coordinator:
            return
        if sites is None:
            raise NotAllowed(EVERY_LIBRARY, site=self.site or "")
        for site in sites:
            if not self.may_publish_to(site):
                raise NotAllowed(OTHER_LIBRARY, site=self.site or "")

    def check_changes_pack(self, pack: str, owner_site: str | None, exists: bool) -> None:
        if not self.may_change_pack(owner_site, exists):
            raise NotAllowed(NOT_HER_PACK, pack=pack, site=self.site or "")

    def check_coordinator(self) -> None:
        if not self.is_coordinator:
            raise NotAllowed(COORDINATORS_ONLY, site=self.site or "")


#: The office's command line (`kiosk office publish-pack`, `set-settings` …).
COMMAND_LINE = Actor(login=None, role=COORDINATOR)
