"""Office sync in the librarian's words: the lines the panel shows for a `SyncStatus`.

Kept here, next to the codes they explain (`kiosk.sync.client`), so the panel only lays
them out. Every string goes through the station's translator (lv, lt, en).
"""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.i18n import Translator
from kiosk.sync.service import SyncStatus


def status_lines(
    status: SyncStatus | None, config: Config, translator: Translator, now: datetime
) -> list[tuple[str, bool]]:
    """The panel's lines about office sync, as (text, is_problem); `status` None means the
    kiosk runs no sync service (no office address, or no data folder)."""
    _ = translator.gettext
    ngettext = translator.ngettext
    if status is None:
        if not config.sync.office_url:
            return [(_("Not set up: there is no office address in the config."), False)]
        return [(_("Not set up: this kiosk keeps no usage data folder."), False)]
    if status.not_set_up:
        if status.not_set_up == "office_url":
            return [(_("Not set up: there is no office address in the config."), False)]
        return [(_("Not set up: there is no token file in the config."), False)]
    lines: list[tuple[str, bool]] = [
        (_last_success(status.last_success_at, config, translator, now), False)
    ]
    problem = _problem(status, translator)
    if problem:
        lines.append((problem, True))
    waiting = status.rows_waiting
    if waiting is not None:
        text = (
            ngettext(
                "%(n)d row is waiting to be sent.",
                "%(n)d rows are waiting to be sent.",
                waiting,
            )
            % {"n": waiting}
            if waiting
            else _("Nothing is waiting to be sent.")
        )
        lines.append((text, False))
    if status.last_conflicts:
        n = status.last_conflicts
        lines.append(
            (
                ngettext(
                    "The office ignored %(n)d row in the last sync (see the log).",
                    "The office ignored %(n)d rows in the last sync (see the log).",
                    n,
                )
                % {"n": n},
                True,
            )
        )
    return lines


def _last_success(
    moment: datetime | None, config: Config, translator: Translator, now: datetime
) -> str:
    _ = translator.gettext
    if moment is None:
        return _("Nothing has been sent to the office yet.")
    from babel.dates import format_time

    zone = ZoneInfo(config.site.timezone)
    local = moment.astimezone(zone)
    days = (now.astimezone(zone).date() - local.date()).days
    time = format_time(local, "short", locale=translator.lang)
    if days <= 0:
        return _("Last sent to the office: today at %(time)s") % {"time": time}
    if days == 1:
        return _("Last sent to the office: yesterday at %(time)s") % {"time": time}
    return translator.ngettext(
        "Last sent to the office: %(n)d day ago",
        "Last sent to the office: %(n)d days ago",
        days,
    ) % {"n": days}


def _problem(status: SyncStatus, translator: Translator) -> str:
    _ = translator.gettext
    ngettext = translator.ngettext
    error = status.last_error
    if not error:
        return ""
    if error in ("unreachable", "tls", "server_error", "busy"):
        if status.retry_in_s is None:
            return {
                "tls": _("The office's security certificate was not accepted at the last try."),
                "server_error": _("The office had a problem at the last try."),
                "busy": _("The office was busy at the last try."),
            }.get(error, _("The office could not be reached at the last try."))
        n = max(1, math.ceil(status.retry_in_s / 60))
        if error == "tls":
            text = ngettext(
                "The office's security certificate was not accepted; trying again in %(n)d minute.",
                "The office's security certificate was not accepted; trying again in "
                "%(n)d minutes.",
                n,
            )
        elif error in ("server_error", "busy"):
            text = ngettext(
                "The office had a problem; trying again in %(n)d minute.",
                "The office had a problem; trying again in %(n)d minutes.",
                n,
            )
        else:
            text = ngettext(
                "The office could not be reached; trying again in %(n)d minute.",
                "The office could not be reached; trying again in %(n)d minutes.",
                n,
            )
        return text % {"n": n}
    if error == "token_rejected":
        return _("The office refused the site token — ask the coordinator for a new one.")
    if error == "token_file":
        return _("The token file is missing or empty — ask the coordinator for the site token.")
    if error == "bad_address":
        return _("The office address in the config must not contain a name or token.")
    if error == "rejected":
        return _("The office refused the totals (error %(code)s) — tell the coordinator.") % {
            "code": status.last_error_status or "?"
        }
    if error == "database":
        return _("The usage database could not be read for sync — see the log.")
    return _("The last sync failed — see the log.")
