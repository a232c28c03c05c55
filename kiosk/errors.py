"""The one root of Telpa's own errors: `TelpaError`, with a stable `code`.

Every error Telpa raises on purpose — in the kiosk, the sync client and the office — is a
`TelpaError`. Each class names its stable ``code`` (snake_case, never reused, never
renamed: codes are kept in the usage database, translated by the librarian panel and quoted
in support mails); a class whose instances tell finer cases apart lists them all in
``codes``. The message (``str(error)``) is plain English and says what happened, where and
what to do. docs/errors.md lists every code with what to do about it, and
tests/test_errors.py keeps that list complete and the codes unique.

The tree (the subclasses live next to the code that raises them)::

    TelpaError
    ├── ConfigError, UnusableConfig, SetupError, UsageError      kiosk.config, .where, …
    ├── UsageStoreError ─ DataFolderError, DatabaseTooNewError,   kiosk.usage.errors
    │                     UsageDatabaseError ─ NoUsageDatabase
    ├── SyncError ─ NotSetUp, TokenFileError, TokenRejected,      kiosk.sync.client
    │               BatchRejected, OfficeUnavailable, LocalDatabaseError
    ├── BatchRefused, ApiRefused, OfficeInputError,               kiosk.office.*
    │   OfficeDatabaseError, ReportError, LoginRequired, FormRejected,
    │   OfficeCommandError, UploadError, PhotoError, PreviewError,
    │   RecordingError
    ├── ContentError, SettingsError                               kiosk.fleet
    └── PackFileError, ActivityError, CreationError, ExportError, PinError,
        SpeechUnavailable, NoDisplay, VirtualPadsUnavailable,
        YamlEditError, YamlProblem                                the kiosk's parts

Classes that were ``ValueError`` before keep being one (``class PinError(TelpaError,
ValueError)``), so callers that catch ``ValueError`` still do. The sync protocol's own
answer codes (``INVALID_BODY``, ``STALE`` …) are a different thing: words on the wire,
listed in `kiosk.protocol` and docs/protocol.md.

This module imports nothing but the standard library, so any part may use it.
"""

from __future__ import annotations

from typing import ClassVar


class TelpaError(Exception):
    """Base of every error Telpa raises on purpose; `code` is stable, the message plain
    English that says what to do."""

    #: This class's stable code. Instances of classes that list `codes` may carry one of
    #: those instead (set in their ``__init__``).
    code: str = "telpa_error"
    #: Every code an instance of exactly this class can carry, when there is more than one.
    codes: ClassVar[tuple[str, ...]] = ()


def codes_of(cls: type[TelpaError]) -> tuple[str, ...]:
    """The codes instances of exactly `cls` can carry."""
    own = cls.__dict__.get("codes")
    if own:
        return tuple(own)
    return (str(cls.__dict__.get("code", "")),)


def all_error_classes() -> list[type[TelpaError]]:
    """`TelpaError` and every subclass imported so far, depth first."""
    found: list[type[TelpaError]] = []
    todo: list[type[TelpaError]] = [TelpaError]
    while todo:
        cls = todo.pop()
        if cls not in found:
            found.append(cls)
            todo.extend(cls.__subclasses__())
    return found
