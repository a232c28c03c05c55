"""Children's creations on disk: drawings, films and stories, one folder each.

    folder.py   `Creation`: one folder and its creation.json, safe paths, atomic files
    store.py    `CreationStore` (the shell's and the librarian's: all creations) and
                `VisitCreations` (a tool's visit: make, list and open its own)
    writer.py   `CreationWriter`: the thread the writes run on, off the render thread

It sits below `kiosk.api`, which hands tools a `VisitCreations` as `ctx.creations`."""

from kiosk.creations.folder import Creation, CreationError
from kiosk.creations.store import CreationStore, VisitCreations
from kiosk.creations.writer import CreationWriter

__all__ = ["Creation", "CreationError", "CreationStore", "CreationWriter", "VisitCreations"]
