"""`kiosk sync [--export FILE]` (DESIGN §5).

``kiosk sync`` sends every pending totals row to the office now, in batches, and prints the
office's import summary of each batch. Exit codes: 0 sent (rows the office ignored are
printed as WARNING lines), 1 the office could not be reached or refused the totals, 2 sync
is not set up, the token file or the token is wrong, or there is no usage database.

``kiosk sync --export FILE`` writes the same body to FILE for a USB stick instead. Up to
`EXPORT_ROWS` rows go in one file; a bigger backlog is written as FILE, FILE-2, FILE-3 …
(``telpa.json``, ``telpa-2.json``), each a complete body the office imports on its own
(``kiosk office import telpa.json telpa-2.json``). All files are written to temporary
names, synced to disk and only then renamed, so a full or read-only stick leaves no
half-written file and nothing is recorded as exported. FILE may be a folder: the file is
then called ``telpa-<site>-<station>-<date>.json`` inside it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.fileio import fsync_folder

if TYPE_CHECKING:
    import httpx

    from kiosk.sync.client import ImportSummary
    from kiosk.usage import Outbox, PendingBatch

#: Rows per export file: with 64-character activity ids a body stays under 2.5 MB, well
#: inside the office's 20,000 rows / 5 MB limit per body.
EXPORT_ROWS = 10_000


def _now() -> datetime:
    return datetime.now(UTC)


def run_sync(
    config: Config,
    data_dir: Path,
    *,
    export: Path | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    now: Callable[[], datetime] = _now,
    http: httpx.Client | None = None,
    rows_per_file: int = EXPORT_ROWS,
) -> int:
    """Run `kiosk sync`; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    from kiosk.usage import NoUsageDatabase, Outbox, UsageStoreError

    try:
        outbox = Outbox.open(data_dir)
    except NoUsageDatabase:
        err.write(
            f"kiosk sync: no usage database in {data_dir} (the kiosk creates it when it first "
            "starts). Check storage.data_dir in the config or KIOSK_DATA_DIR.\n"
        )
        return 2
    except UsageStoreError as exc:
        err.write(f"kiosk sync: {exc}\n")
        return 2
    with outbox:
        if export is not None:
            return _export(config, outbox, export, out, err, now, rows_per_file)
        return _push(config, outbox, out, err, now, http)


# ----- online ---------------------------------------------------------------------------


def _push(
    config: Config,
    outbox: Outbox,
    out: TextIO,
    err: TextIO,
    now: Callable[[], datetime],
    http: httpx.Client | None,
) -> int:
    from kiosk.sync.client import (
        NotSetUp,
        OfficeClient,
        OfficeUnavailable,
        TokenFileError,
        TokenRejected,
        push_pending,
        read_token,
        token_path,
    )
    from kiosk.usage import SyncState

    where = f" ({config.source})" if config.source else ""
    try:
        read_token(token_path(config))
        assert config.sync.office_url is not None
        office = OfficeClient(config.sync.office_url, http=http)
    except NotSetUp as exc:
        if exc.reason == "office_url_userinfo":
            err.write(
                f"kiosk sync: sync.office_url{where} must not hold a user name or token; "
                "put the token in the token file\n"
            )
        else:
            err.write(
                f"kiosk sync: {exc}{where}. Set sync.office_url and sync.token_file (see the "
                "configuration guide), or take the totals on a USB stick with "
                "`kiosk sync --export FILE`.\n"
            )
        return 2
    except TokenFileError as exc:
        err.write(f"kiosk sync: {exc}\n")
        return 2

    waiting = outbox.rows_waiting()
    if waiting:
        out.write(f"Sending {waiting} row(s) to {office.base_url} …\n")
    else:
        out.write(f"Nothing is waiting; checking in with the office at {office.base_url} …\n")

    def report(number: int, batch: PendingBatch, summary: ImportSummary) -> None:
        out.write(f"Batch {number}: {len(batch)} row(s) sent; the office: {summary.describe()}\n")
        for conflict in summary.conflicts:
            out.write(f"WARNING: the office ignored {conflict.describe()}\n")

    with office:
        result = push_pending(outbox, office, config, now=now, on_batch=report)
    previous = outbox.read_state()
    error = result.error
    moment = now()
    outbox.write_state(
        SyncState(
            last_success_at=moment if error is None else previous.last_success_at,
            last_attempt_at=moment,
            last_error="" if error is None else error.code,
            last_conflicts=result.conflicts if result.batches else previous.last_conflicts,
        )
    )
    left = outbox.rows_waiting()
    if error is not None:
        err.write(f"kiosk sync: {error}\n")
        if result.batches:
            err.write(
                f"kiosk sync: {result.rows_sent} row(s) reached the office before that; "
                f"{left} still wait for the next sync\n"
            )
        return 2 if isinstance(error, TokenRejected | TokenFileError | NotSetUp) else 1
    assert not isinstance(error, OfficeUnavailable)
    if result.requeued:
        out.write(
            "The office now stores new figures "
            f"({', '.join(sorted(outbox.office_accepts()))}): {result.requeued} row(s) "
            "were sent again with them.\n"
        )
    summary = f"Done: {result.rows_sent} row(s) sent in {len(result.batches)} batch(es)"
    if result.conflicts:
        summary += f"; the office ignored {result.conflicts} (see the WARNING lines)"
    if left:
        summary += f"; {left} row(s) changed while sending and wait for the next sync"
    out.write(summary + ".\n")
    return 0


# ----- USB export -----------------------------------------------------------------------


def export_names(target: Path, count: int) -> list[Path]:
    """FILE, FILE-2, FILE-3 … (the suffix kept, ``.json`` when there is none)."""
    suffix = target.suffix or ".json"
    stem = target.name[: -len(target.suffix)] if target.suffix else target.name
    names = [target if target.suffix else target.with_name(stem + suffix)]
    names += [target.with_name(f"{stem}-{n}{suffix}") for n in range(2, count + 1)]
    return names


def _export(
    config: Config,
    outbox: Outbox,
    target: Path,
    out: TextIO,
    err: TextIO,
    now: Callable[[], datetime],
    rows_per_file: int,
) -> int:
    from kiosk.sync.client import build_body, encode_body

    moment = now()
    if target.is_dir():
        day = moment.astimezone(ZoneInfo(config.site.timezone)).date().isoformat()
        target = target / f"telpa-{config.site.id}-{config.station.id}-{day}.json"
    if not target.parent.is_dir():
        err.write(
            f"kiosk sync: cannot write {target}: the folder {target.parent} does not exist "
            "(is the USB stick plugged in?)\n"
        )
        return 2
    revs = outbox.table_revs()  # before the rows: see Outbox.table_revs
    instance = outbox.db_instance_id()
    bodies: list[dict[str, Any]] = [
        build_body(config, instance, batch, moment) for batch in outbox.batches(rows_per_file)
    ]
    rows = sum(len(b["session_totals"]) + len(b["activity_totals"]) for b in bodies)
    names = export_names(target, len(bodies))
    try:
        _write_all(names, [encode_body(body) for body in bodies])
    except OSError as exc:
        err.write(
            f"kiosk sync: cannot write {exc.filename or target}: "
            f"{exc.strerror or type(exc).__name__}. Nothing was exported; try another "
            "folder or USB stick.\n"
        )
        return 1
    outbox.mark_exported(revs)
    files = ", ".join(str(name) for name in names)
    out.write(
        f"Wrote {rows} row(s) to {files}.\nAt the project office: "
        f"kiosk office import {' '.join(name.name for name in names)}\n"
    )
    return 0


def _write_all(names: list[Path], contents: list[bytes]) -> None:
    """Write every file under a temporary name, fsync, then rename them all; on any error
    remove the temporary files and raise (no half-written file is ever left)."""
    temps: list[Path] = []
    try:
        for name, content in zip(names, contents, strict=True):
            temp = name.with_name(f".{name.name}.{os.getpid()}.tmp")
            temps.append(temp)
            with open(temp, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, name in zip(temps, names, strict=True):
            os.replace(temp, name)
    except OSError:
        for temp in temps:
            try:
                temp.unlink()
            except OSError:
                pass
        raise
    fsync_folder(names[0].parent)
