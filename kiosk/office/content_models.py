"""The office's tables for content distribution and station settings (docs/protocol.md,
"Content and settings"), defined in `kiosk.office.models` beside the
other tables (one schema, one module); named here for the code that works with content.

- `ContentFile`: a file of any pack version, stored once by its sha256 (content-addressed:
  two versions that share a photo share its row).
- `PackVersion`: one publish of one pack; versions of a pack count 1, 2, 3 … and are never
  changed. `owner_site_id` is the library that owns the pack (None: the coordinators', for
  any library; a librarian's packs are her library's), `made_with` how it was made
  ("upload" or "editor") and `published_by` the login that published it (None: the
  command line).
- `PackVersionFile`: a version's files by path.
- `PackAssignment`: which version of a pack a site's stations run. Publishing assigns the
  new version; rolling back assigns an older one again.
- `StationSettings`: the settings of a site (``station = ''``: every station) or of one
  station, as the flat JSON of `kiosk.fleet.settings.flatten`. '' rather than NULL keeps
  "the whole library" one key under the unique constraint.
- `StationContent`: what a station last said it runs, and which packs failed there.
"""

from kiosk.office.models import (
    ContentFile,
    PackAssignment,
    PackVersion,
    PackVersionFile,
    StationContent,
    StationSettings,
)

__all__ = [
    "ContentFile",
    "PackVersion",
    "PackVersionFile",
    "PackAssignment",
    "StationSettings",
    "StationContent",
]
