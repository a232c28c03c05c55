"""The dashboard's Settings page: what `kiosk office set-settings` does, as a form a
librarian can fill in — the office-settable keys of `kiosk.fleet.settings` for a library,
or for one of its stations as an override of the library's.

- A librarian chooses only her library (any other answers the 403 page, for a direct POST
  too: the content store's `set_settings` asks the account again before writing); a
  coordinator chooses any.
- The form shows the library's values; for a station it shows the station's own value
  where it overrides the library's, the library's value next to it and a "use the
  library's" box. A station value equal to the library's is not stored, so it follows
  the library when the library changes.
- Save checks the form with `kiosk.fleet.settings`' own model (`OfficeSettings`,
  `default_language_offered`), the one the settings file and the kiosk use; the page only
  says each problem next to its field in its own language, and stores nothing then.
- What IT sets on the station (office address, token, folders, display) is not a key of
  that model, so the page cannot offer it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine, select
from starlette.datastructures import FormData

from kiosk.fleet.settings import (
    DAYS,
    GroupSettings,
    OfficeSettings,
    default_language_offered,
    flatten,
    merge_layers,
    unflatten,
)
from kiosk.i18n import LANGUAGES, NATIVE_NAMES
from kiosk.office.content_models import StationSettings
from kiosk.office.content_store import set_settings
from kiosk.office.dashboard import (
    ACTIVITY_NAMES,
    AGE_BAND_NAMES,
    CurrentUser,
    Texts,
    _render,
    checked_form,
    request_language,
)
from kiosk.office.models import ID_PATTERN, Site, Station
from kiosk.office.sessions import SignedIn

router = APIRouter(include_in_schema=False)


def N_(message: str) -> str:
    return message


DAY_NAMES = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
#: The page's words for the model's problems, by pydantic error type (the rules are the
#: model's; only their wording is here).
PROBLEMS = {
    "int_parsing": N_("Write a whole number."),
    "int_from_float": N_("Write a whole number."),
    "greater_than_equal": N_("Write %(limit)s or more."),
    "less_than_equal": N_("Write %(limit)s or less."),
    "literal_error": N_("Choose one of the values offered."),
    "too_short": N_("Choose at least one."),
    "value_error": N_(
        "Write the hours as 10:00-18:00, several as 9:00-13:00, 14:00-18:00, or closed."
    ),
}
OTHER_PROBLEM = N_("This value cannot be used: %(detail)s")
ORDER_PROBLEM = N_("Write a whole number for the place in the order, or leave it empty.")
DEFAULT_PROBLEM = N_("The default language must be one of the languages offered.")
#: The timer choices of the group form, as the model allows them.
GROUP_MINUTES = get_args(get_args(GroupSettings.model_fields["minutes"].annotation)[0])


@dataclass
class FormState:
    """The form's fields as text, from stored settings or from a submitted form."""

    shown: set[str] = field(default_factory=set)
    order: dict[str, str] = field(default_factory=dict)
    age_picker: str = ""
    idle_timeout_s: str = ""
    available: set[str] = field(default_factory=set)
    default: str = ""
    headcount: str = ""
    minutes: str = ""
    age_band: str = ""
    hours: dict[str, str] = field(default_factory=dict)


def state_from_flat(flat: dict[str, Any], activities: list[str]) -> FormState:
    hidden = set(flat.get("activities.hidden", []))
    order = flat.get("activities.order", [])
    hours = flat.get("opening_hours")
    bool_text = {True: "yes", False: "no", None: ""}
    return FormState(
        shown={a for a in activities if a not in hidden},
        order={a: str(order.index(a) + 1) for a in activities if a in order},
        age_picker=bool_text[flat.get("session.age_picker")],
        idle_timeout_s=str(flat.get("session.idle_timeout_s", "")),
        available=set(flat.get("languages.available", [])),
        default=flat.get("languages.default", ""),
        headcount=str(flat.get("group.headcount", "")),
        minutes=str(flat.get("group.minutes", "")),
        age_band=flat.get("group.age_band", ""),
        # A day left out of opening hours is closed: the form says so.
        hours={day: hours.get(day, "closed") for day in DAYS} if hours else {},
    )


def state_from_form(form: FormData, activities: list[str]) -> FormState:
    def text(name: str) -> str:
        return str(form.get(name, "")).strip()

    return FormState(
        shown={str(a) for a in form.getlist("shown")},
        order={a: text(f"order_{a}") for a in activities if text(f"order_{a}")},
        age_picker=text("age_picker"),
        idle_timeout_s=text("idle_timeout_s"),
        available={str(a) for a in form.getlist("available")},
        default=text("default_language"),
        headcount=text("headcount"),
        minutes=text("minutes"),
        age_band=text("age_band"),
        hours={day: text(f"hours_{day}") for day in DAYS if text(f"hours_{day}")},
    )


def _data(state: FormState, activities: list[str], station: bool) -> tuple[dict, dict]:
    """(the settings as the model's nested dict, form problems): an empty field is a key
    not set at this level. At a station the hidden list is always given (its "none hidden"
    can override the library's)."""
    problems: dict[str, str] = {}
    data: dict[str, dict[str, Any]] = {}
    places: list[tuple[int, str]] = []
    for activity, text in state.order.items():
        if not text.isdigit():
            problems["activities.order"] = ORDER_PROBLEM
        else:
            places.append((int(text), activity))
    if places:
        data.setdefault("activities", {})["order"] = [a for _, a in sorted(places)]
    hidden = [a for a in activities if a not in state.shown]
    if hidden or station:
        data.setdefault("activities", {})["hidden"] = hidden
    if state.age_picker:
        data.setdefault("session", {})["age_picker"] = {"yes": True, "no": False}.get(
            state.age_picker, state.age_picker
        )
    if state.idle_timeout_s:
        data.setdefault("session", {})["idle_timeout_s"] = state.idle_timeout_s
    if state.available:
        data.setdefault("languages", {})["available"] = sorted(
            state.available, key=lambda code: (list(LANGUAGES) + [code]).index(code)
        )
    if state.default:
        data.setdefault("languages", {})["default"] = state.default
    if state.headcount:
        data.setdefault("group", {})["headcount"] = state.headcount
    if state.minutes:
        minutes = state.minutes
        data.setdefault("group", {})["minutes"] = int(minutes) if minutes.isdigit() else minutes
    if state.age_band:
        data.setdefault("group", {})["age_band"] = state.age_band
    result: dict[str, Any] = dict(data)
    if state.hours:
        result["opening_hours"] = state.hours
    return result, problems


def _wording(texts: Texts, error: Any) -> str:
    template = PROBLEMS.get(error["type"])
    if template is None:
        return texts.gettext(OTHER_PROBLEM) % {"detail": error["msg"]}
    context = error.get("ctx") or {}
    limit = context.get("ge", context.get("le", ""))
    return texts.gettext(template) % {"limit": limit}


def check(data: dict[str, Any], texts: Texts) -> tuple[OfficeSettings | None, dict[str, str]]:
    """The settings, or each problem by field key ("session.idle_timeout_s",
    "opening_hours.mon" …) in the page's language — as `OfficeSettings` judges them."""
    problems: dict[str, str] = {}
    try:
        settings = OfficeSettings.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            if loc[0] == "opening_hours":
                continue
            key = ".".join(loc[:2])
            problems.setdefault(key, _wording(texts, error))
        # The hours' rule names the day in English; ask it day by day to place it.
        for day, text in data.get("opening_hours", {}).items():
            try:
                OfficeSettings.model_validate({"opening_hours": {day: text}})
            except ValidationError as day_exc:
                problems[f"opening_hours.{day}"] = _wording(texts, day_exc.errors()[0])
        return None, problems
    return settings, problems


# --- reading --------------------------------------------------------------------------


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _layers(engine: Engine, site: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(the library's flat settings, station → its override)."""
    library: dict[str, Any] = {}
    stations: dict[str, dict[str, Any]] = {}
    statement = select(StationSettings.station, StationSettings.settings_json).where(
        StationSettings.site_id == site
    )
    with engine.connect() as conn:
        for row in conn.execute(statement):
            if row.station:
                stations[row.station] = json.loads(row.settings_json)
            else:
                library = json.loads(row.settings_json)
    return library, stations


def _sites(engine: Engine, who: SignedIn) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(Site.id, Site.name).order_by(Site.name))
        return [(r.id, r.name) for r in rows if who.may_publish_to(r.id)]


def _check_site(
    who: SignedIn, site: str, sites: list[tuple[str, str]], station: str | None
) -> None:
    """403 for another library's librarian (NotAllowed, the refused page), 404 for a
    library the office does not know or a station id no station can have."""
    who.check_publishes_to([site])
    if site not in dict(sites):
        raise HTTPException(404, f"There is no library {site!r} at this office.")
    if station is not None and not re.fullmatch(ID_PATTERN, station):
        raise HTTPException(404, f"{station!r} is not a station id (e.g. ludza-wb-1).")


def _stations(engine: Engine, site: str, overridden: dict[str, dict[str, Any]]) -> list[str]:
    with engine.connect() as conn:
        known = conn.execute(select(Station.station).where(Station.site_id == site)).scalars()
        return sorted({*known, *overridden})


def _activities(*flats: dict[str, Any]) -> list[str]:
    """The built-in activities, then any other id a stored setting names (an add-on)."""
    ids = list(ACTIVITY_NAMES)
    for flat in flats:
        for key in ("activities.order", "activities.hidden"):
            ids += [a for a in flat.get(key, []) if a not in ids]
    return ids


def _shown(texts: Texts, key: str, value: Any) -> str:
    """A stored value as the page says it (the library's value beside a station's)."""
    if isinstance(value, bool):
        return texts.gettext("Yes") if value else texts.gettext("No")
    if key.startswith("activities."):
        return ", ".join(texts.activity(a) for a in value) or "–"
    if key == "languages.available" or key == "languages.default":
        values = value if isinstance(value, list) else [value]
        return ", ".join(NATIVE_NAMES.get(code) or str(code) for code in values)
    if key == "opening_hours":
        return "; ".join(
            f"{texts.gettext(DAY_NAMES[day])} {value.get(day, 'closed')}" for day in DAYS
        )
    if key == "group.age_band":
        return texts.gettext(AGE_BAND_NAMES[value])
    return str(value)


def _page(
    request: Request,
    who: SignedIn,
    site: str | None,
    station: str | None,
    status_code: int = 200,
    state: FormState | None = None,
    problems: dict[str, str] | None = None,
    done: str = "",
) -> HTMLResponse:
    engine = _engine(request)
    texts = Texts(request_language(request))
    sites = _sites(engine, who)
    if site is None:
        site = who.site if who.site else (sites[0][0] if sites else None)
    if site is not None:
        _check_site(who, site, sites, station)
    library, overridden = _layers(engine, site) if site else ({}, {})
    own = overridden.get(station, {}) if station else {}
    effective, _sources = merge_layers(library, own)
    activities = _activities(library, own)
    return _render(
        request,
        "settings.html",
        status_code,
        who=who,
        sites=sites,
        site=site,
        site_name=dict(sites).get(site or "", site),
        station=station or "",
        stations=_stations(engine, site, overridden) if site else [],
        state=state or state_from_flat(effective, activities),
        activities=[(a, texts.activity(a)) for a in activities],
        library={key: _shown(texts, key, value) for key, value in library.items()},
        overrides=set(own) if station else set(),
        problems=problems or {},
        done=done,
        languages=[(code, NATIVE_NAMES[code]) for code in LANGUAGES],
        days=[(day, DAY_NAMES[day]) for day in DAYS],
        minutes=GROUP_MINUTES,
        age_bands=[(band, AGE_BAND_NAMES[band]) for band in ("6-8", "9-11", "12-14")],
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_page(
    request: Request, who: CurrentUser, site: str | None = None, station: str | None = None
) -> Response:
    return _page(request, who, site or None, station or None)


@router.post("/settings", response_class=HTMLResponse)
def save_settings(
    request: Request, who: CurrentUser, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    texts = Texts(request_language(request))
    site = str(form.get("site", ""))
    station = str(form.get("station", "")) or None
    engine = _engine(request)
    sites = _sites(engine, who)
    _check_site(who, site, sites, station)
    library, overridden = _layers(engine, site)
    activities = _activities(library, overridden.get(station or "", {}))
    state = state_from_form(form, activities)
    data, problems = _data(state, activities, station is not None)
    settings, found = check(data, texts)
    problems.update(found)
    flat = flatten(settings) if settings is not None else {}
    if station is not None and not problems:
        inherit = {str(key) for key in form.getlist("inherit")}
        flat = {
            key: value
            for key, value in flat.items()
            if key not in inherit
            and value != library.get(key, [] if key.endswith("hidden") else None)
        }
        runs = unflatten(merge_layers(library, flat)[0])  # the station as it will run
        if not default_language_offered(runs):
            problems["languages.default"] = texts.gettext(DEFAULT_PROBLEM)
    elif settings is not None and not default_language_offered(settings):
        problems["languages.default"] = texts.gettext(DEFAULT_PROBLEM)
    if problems:
        return _page(request, who, site, station, 422, state=state, problems=problems)
    set_settings(engine, site, station, unflatten(flat), by=who)
    if station is None:
        done = texts.gettext(
            "Saved for every station of %(site)s. Each station takes the new settings at its "
            "next sync with the office and applies them at its next attract screen."
        ) % {"site": dict(sites)[site]}
    else:
        done = texts.gettext(
            "Saved for the station %(station)s. It takes the new settings at its next sync "
            "with the office and applies them at its next attract screen."
        ) % {"station": station}
    return _page(request, who, site, station, done=done)
