"""The coordinators' dashboard over HTTP, against a real uvicorn server on loopback:
login, session cookie, language, filters, the station list, and CSV/XLSX downloads that
equal the table on screen."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from kiosk.office.auth import create_coordinator
from kiosk.office.dashboard import SESSION_COOKIE
from kiosk.office.ingest import ingest
from tests.office.test_reports import EXPECTED_SITE_MONTH, NOW, SEED, SITES, seed_office

LOGIN, PASSWORD = "anna", "correct horse battery"


class Page(HTMLParser):
    """What the tests read from a dashboard page: the usage table (column ids, body rows,
    total row), links by id, the chart's bars, alerts and the whole text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[list[str]] = []
        self.total: list[str] = []
        self.links: dict[str, str] = {}
        self.bars: list[dict[str, str]] = []
        self.alerts: list[str] = []
        self.text: list[str] = []
        self._section = ""
        self._table = ""
        self._cell: list[str] | None = None
        self._row: list[str] = []
        self._alert: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self._table = a.get("id", "")
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            if self._table == "usage-table" and self._section == "thead":
                self.columns.append(a.get("data-column", ""))
        elif tag == "a" and "id" in a:
            self.links[a["id"]] = a.get("href", "")
        elif tag == "rect" and "data-site" in a:
            self.bars.append(a)
        if a.get("role") == "alert":
            self._alert = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._table == "usage-table":
            if self._section == "tbody":
                self.rows.append(self._row)
            elif self._section == "tfoot":
                self.total = self._row
        elif tag == "table":
            self._table = ""
        elif tag == "p" and self._alert is not None:
            self.alerts.append(" ".join("".join(self._alert).split()))
            self._alert = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._alert is not None:
            self._alert.append(data)
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def english_number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture
def office(office_engine: Engine, http: httpx.Client) -> httpx.Client:
    """The server with SEED imported and one coordinator, not logged in."""
    seed_office(office_engine)
    create_coordinator(office_engine, LOGIN, PASSWORD)
    return http


def form_token(html: str) -> str:
    """The CSRF token of the (first) form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def login_form(
    http: httpx.Client, login: str = LOGIN, password: str = PASSWORD, next_page: str = "/"
) -> dict[str, str]:
    """What the login page's form sends (this client gets the login cookie on the way)."""
    http.cookies.delete(SESSION_COOKIE)
    page = http.get("/login")
    assert page.status_code == 200, page.status_code
    return {
        "login": login,
        "password": password,
        "next": next_page,
        "csrf_token": form_token(page.text),
    }


def log_in(http: httpx.Client, password: str = PASSWORD, **headers: str) -> httpx.Response:
    return http.post("/login", data=login_form(http, password=password), headers=headers)


def log_out(http: httpx.Client) -> httpx.Response:
    token = form_token(http.get("/").text)
    return http.post("/logout", data={"csrf_token": token})


@pytest.mark.parametrize("path", ["/", "/stations", "/?group_by=activity"])
def test_pages_send_a_visitor_without_a_session_to_the_login(
    office: httpx.Client, path: str
) -> None:
    response = office.get(path)
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert target.path == "/login" and parse_qs(target.query)["next"] == [path]


@pytest.mark.parametrize("path", ["/reports/usage.csv", "/reports/usage.xlsx?group_by=site"])
def test_downloads_without_a_session_are_401(office: httpx.Client, path: str) -> None:
    response = office.get(path)
    assert response.status_code == 401
    assert "Log in" in response.text


def test_wrong_password_is_refused_and_says_so(office: httpx.Client) -> None:
    response = office.post("/login?lang=en", data=login_form(office, password="not the password"))
    assert response.status_code == 401
    assert Page(response.text).alerts == ["Wrong login or password."]
    assert SESSION_COOKIE not in response.cookies
    assert office.get("/").status_code == 303


def test_login_sets_an_httponly_strict_cookie_and_logout_ends_it(
    office: httpx.Client,
) -> None:
    response = log_in(office)
    assert response.status_code == 303 and response.headers["location"] == "/"
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header
    assert office.get("/").status_code == 200
    assert office.get("/reports/usage.csv").status_code == 200
    assert log_out(office).status_code == 303
    assert office.get("/").status_code == 303


def test_usage_page_shows_library_by_month_with_hand_computed_numbers(
    office: httpx.Client,
) -> None:
    log_in(office)
    page = Page(office.get("/?lang=en").text)
    assert page.columns == [
        "site",
        "month",
        "sessions",
        "child_visits",
        "hours_of_use",
        "activity_runs",
        "completed_runs",
        "activity_hours",
        "sessions_with_controllers",
        "controllers",
    ]
    expected = [
        [SITES[site], datetime.strptime(month, "%Y-%m").strftime("%B %Y")]
        + [str(v) for v in values]
        for (site, month), values in sorted(EXPECTED_SITE_MONTH.items())
    ]
    assert page.rows == expected
    assert page.total == ["Total", "8", "43", "2.8", "12", "9", "2.1", "1", "3"]
    # The group figures: Rokiškis's group played with 3 controllers; Ludza's kiosk had none.
    assert "Sessions with game controllers: 1 · Controllers in them: 3" in page.all_text
    bars = {(b["data-site"], b["data-month"]): int(b["data-value"]) for b in page.bars}
    assert bars == {
        ("ludza", "2026-10"): 15,
        ("ludza", "2026-11"): 3,
        ("rokiskis", "2026-10"): 0,
        ("rokiskis", "2026-11"): 25,
    }
    assert "visits, not persons" in page.all_text


def _downloads_match_the_screen(http: httpx.Client, query: str) -> Page:
    page = Page(http.get("/" + query).text)
    assert page.rows, "the filter should leave some rows"
    csv_response = http.get(page.links["download-csv"])
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert lines[0] == page.columns
    xlsx_response = http.get(page.links["download-xlsx"])
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet is not None
    sheet_rows = list(sheet.iter_rows(values_only=True))
    assert len(lines) - 1 == len(sheet_rows) - 1 == len(page.rows)
    dims = len(page.columns) - len(page.total) + 1
    for screen, from_csv, from_xlsx in zip(page.rows, lines[1:], sheet_rows[1:], strict=True):
        shown = [english_number(cell) for cell in screen[dims:]]
        assert [float(v) for v in from_csv[dims:]] == shown
        assert [float(v) for v in from_xlsx[dims:]] == shown  # type: ignore[arg-type]
        assert [str(v) for v in from_xlsx[:dims]] == from_csv[:dims]
    return page


@pytest.mark.parametrize(
    "query",
    [
        "?lang=en",
        "?lang=en&group_by=site&group_by=activity&session_kind=solo",
        "?lang=en&from=2026-11-01&to=2026-11-30&group_by=station,day,hour",
        "?lang=en&age_band=6-8&group_by=site,age_band,session_kind",
        "?lang=en&site=ludza&activity=quiz&group_by=month",
    ],
)
def test_csv_and_xlsx_downloads_equal_the_table_on_screen(office: httpx.Client, query: str) -> None:
    log_in(office)
    _downloads_match_the_screen(office, query)


def test_download_links_carry_the_filters(office: httpx.Client) -> None:
    log_in(office)
    page = Page(
        office.get("/?lang=en&site=ludza&activity=quiz&group_by=month&from=2026-10-01").text
    )
    params = parse_qs(urlsplit(page.links["download-csv"]).query)
    assert params == {
        "site": ["ludza"],
        "activity": ["quiz"],
        "group_by": ["month"],
        "from": ["2026-10-01"],
    }
    assert page.columns == ["month", "activity_runs", "completed_runs", "activity_hours"]
    assert page.rows == [["October 2026", "4", "3", "0.3"], ["November 2026", "3", "1", "0.4"]]


def test_activity_with_age_band_explains_itself(office: httpx.Client) -> None:
    log_in(office)
    page = Page(office.get("/?lang=en&activity=quiz&age_band=6-8").text)
    assert page.alerts and "cannot be combined" in page.alerts[0]
    response = office.get("/reports/usage.csv?activity=quiz&age_band=6-8")
    assert response.status_code == 400 and "cannot be combined" in response.text


def test_language_comes_from_the_switcher_then_the_browser_then_latvian(
    office: httpx.Client,
) -> None:
    log_in(office)
    assert 'lang="lv"' in office.get("/").text
    assert "Bērnu apmeklējumi" in office.get("/").text
    lithuanian = office.get("/", headers={"Accept-Language": "lt-LT,lt;q=0.9,en;q=0.5"})
    assert 'lang="lt"' in lithuanian.text and "Vaikų apsilankymai" in lithuanian.text
    switched = office.get("/?lang=en", headers={"Accept-Language": "lt"})
    assert "Child visits" in switched.text
    remembered = office.get("/stations", headers={"Accept-Language": "lt"})
    assert "Last sync" in remembered.text
    page = Page(office.get("/?lang=lv").text)
    assert page.total == ["Kopā", "8", "43", "2,8", "12", "9", "2,1", "1", "3"]
    assert "Sesijas ar spēļu pultīm: 1 · Pultis tajās: 3" in page.all_text


def test_xlsx_header_is_in_the_dashboard_language(office: httpx.Client) -> None:
    log_in(office)
    response = office.get("/reports/usage.xlsx?group_by=site&lang=lt")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:3] == ["Biblioteka", "Sesijos", "Vaikų apsilankymai"]


def test_station_list_shows_sync_version_skew_and_conflicts(
    office: httpx.Client, office_engine: Engine
) -> None:
    late = dict(SEED[2], batch_id="00000000-0000-4000-8000-0000000000ff", app_version="0.2.0")
    now = datetime.now(UTC)
    late["sent_at"] = (now + timedelta(minutes=10)).isoformat()
    late["session_totals"] = [dict(late["session_totals"][0], rev=0)]  # older rev: STALE
    status, answer = ingest(office_engine, "rokiskis", late, now=now)
    assert status == 200 and answer["counts"]["ignored"] == 1
    log_in(office)
    page = Page(office.get("/stations?lang=en").text)
    text = page.all_text
    assert "ludza-pc-1" in text and "rokiskis-wb-1" in text and "0.2.0" in text
    assert "10 minutes ahead" in text and text.count("Check the clock") == 1
    assert "1 / 1" in text and "0 / 0" in text
    assert "Nov 26, 2026, 10:00 AM" in text or "Nov 26, 2026 10:00 AM" in text  # Riga time
    assert "ago" in text


def test_session_survives_a_deleted_coordinator_only_until_the_next_click(
    office: httpx.Client, office_engine: Engine
) -> None:
    from sqlalchemy import delete

    from kiosk.office.models import Account

    log_in(office)
    assert office.get("/").status_code == 200
    with office_engine.begin() as conn:
        conn.execute(delete(Account).where(Account.login == LOGIN))
    assert office.get("/").status_code == 303


def test_the_stylesheet_is_served_locally_and_pages_load_nothing_else(
    office: httpx.Client,
) -> None:
    css = office.get("/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    log_in(office)
    html = office.get("/").text
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_login_never_redirects_to_another_site(office: httpx.Client) -> None:
    for target in ("//example.com/", "https://example.com/", "/\\example.com"):
        response = office.post("/login", data=login_form(office, next_page=target))
        assert response.status_code == 303 and response.headers["location"] == "/"


def test_an_empty_office_shows_an_empty_table_and_no_chart(
    office_engine: Engine, http: httpx.Client
) -> None:
    create_coordinator(office_engine, LOGIN, PASSWORD)
    log_in(http)
    page = Page(http.get("/?lang=en").text)
    assert page.rows == [] and page.bars == []
    assert page.total == ["Total", "0", "0", "0.0", "0", "0", "0.0", "0", "0"]
    assert "No usage recorded for these filters." in page.all_text
    assert "No station has synced yet." in Page(http.get("/stations?lang=en").text).all_text
    lines = http.get(page.links["download-csv"]).content.decode("utf-8-sig").splitlines()
    assert lines == [
        "site,month,sessions,child_visits,hours_of_use,activity_runs,completed_runs,activity_hours,"
        "sessions_with_controllers,controllers"
    ]


def test_a_month_without_use_stays_on_the_chart_as_empty_bars(
    office: httpx.Client, office_engine: Engine
) -> None:
    august = dict(SEED[0], batch_id="00000000-0000-4000-8000-0000000000ee")
    august["db_instance_id"] = "00000000-0000-4000-8000-0000000000ed"
    august["session_totals"] = [dict(SEED[0]["session_totals"][0], date="2026-08-14")]
    august["activity_totals"] = []
    assert ingest(office_engine, "ludza", august, now=NOW)[0] == 200
    log_in(office)
    bars = Page(office.get("/?lang=en").text).bars
    months = sorted({b["data-month"] for b in bars})
    assert months == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert {b["data-value"] for b in bars if b["data-month"] == "2026-09"} == {"0"}
