"""The body of sync protocol v1, as the office sees it: a re-export of `kiosk.protocol`.

The models live once, in `kiosk.protocol`, shared with the kiosk's sync client; this name
stays for the office's own modules and anyone who imported it before.
"""

from __future__ import annotations

from kiosk.protocol import (
    SCHEMA_VERSION,
    ActivityTotalRow,
    SessionTotalRow,
    TotalsBatch,
    describe_location,
    describe_validation_error,
    parse_batch,
)

__all__ = [
    "SCHEMA_VERSION",
    "ActivityTotalRow",
    "SessionTotalRow",
    "TotalsBatch",
    "describe_location",
    "describe_validation_error",
    "parse_batch",
]
