"""Exporting a creation from the librarian's review: the formats per kind, where the file
goes, and what the librarian reads when it is done or failed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from kiosk.creations import Creation, CreationStore
from kiosk.librarian.creation_cards import N_
from kiosk.media.export import ExportJob
from kiosk.media.target import export_name

#: Formats offered per kind, in this order.
FORMATS = {"drawing": ("png", "pdf"), "film": ("mp4", "gif"), "story": ("mp4", "pdf")}
#: Where exports go on a removable drive.
EXPORT_SUBFOLDER = "Telpa"
#: What the librarian reads for each ExportError code.
EXPORT_ERRORS = {
    "creation_invalid": N_("This creation is damaged and cannot be exported."),
    "format_unsupported": N_("This format is not available for this creation."),
    "target_full": N_("There is no room left there. Free some space or choose another place."),
    "target_readonly": N_(
        "Nothing can be written there. Is the USB stick locked or was it taken out?"
    ),
    "encoder_failed": N_("The export failed. The log file has the details."),
    "cancelled": N_("The export was stopped."),
}


def start_export(
    creation: Creation, target: Path, exports: Path | None, fmt: str, zone: tzinfo
) -> ExportJob:
    """Start writing `creation` as `fmt` into `target` (into its Telpa folder on a drive;
    straight into `exports`, the data folder's own) on a worker thread."""
    folder = target if target == exports else target / EXPORT_SUBFOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the export says what is wrong with the place
    name = export_name(creation.kind, creation.created, zone, creation.id, fmt)
    return ExportJob(creation.folder, fmt, folder / name).start()


def export_outcome(
    job: ExportJob,
    creation: Creation | None,
    store: CreationStore | None,
    _: Callable[[str], str],
) -> tuple[str, bool]:
    """What the librarian reads once `job` is done, and whether it went well; a good
    export is recorded in the creation."""
    if job.error is None and job.result is not None:
        if creation is not None and store is not None:
            try:
                creation.record_export(job.fmt, store.now())
            except OSError:
                pass
        # The whole folder: the librarian must find the file in Explorer afterwards.
        return (
            _("Exported as %(file)s to the folder %(folder)s")
            % {"file": job.result.name, "folder": job.result.parent},
            True,
        )
    message = EXPORT_ERRORS.get(job.code or "", EXPORT_ERRORS["encoder_failed"])
    return _(message), False
