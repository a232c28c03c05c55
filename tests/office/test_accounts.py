"""Accounts with a role, over HTTP on loopback and through `kiosk office` (SQLite, and
PostgreSQL when $TELPA_TEST_POSTGRES_URL is set): a coordinator manages the logins; a
librarian of Ludza sees only Ludza's figures, stations and packs, publishes and rolls back
only Ludza's packs to Ludza's stations, and cannot open the accounts page — each refusal
says why and changes nothing. The login rules hold for librarians too; a removed account's
open session ends at once; each pack version shows who published it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select, text

from kiosk.fleet.settings import parse_settings
from kiosk.office.accounts import COMMAND_LINE, Actor, NotAllowed
from kiosk.office.auth import create_account, create_coordinator
from kiosk.office.content_models import PackAssignment, PackVersion
from kiosk.office.content_store import UNPUBLISHED_FILES_KEPT, publish_pack, set_settings
from kiosk.office.dashboard import SESSION_COOKIE
from kiosk.office.sessions import FREE_FAILURES
from tests.office.conftest import OfficeClock, snapshot_tables
from tests.office.test_cli import office as office_cli
from tests.office.test_dashboard import Page, form_token
from tests.office.test_pack_editor import GOOD_YAML, _problem, _zip, phone_photo, quiz_fields
from tests.office.test_reports import seed_office

COORDINATOR, LIBRARIAN, PASSWORD = "anna", "ilze", "correct horse battery"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def office(office_engine: Engine, http: httpx.Client, office_clock: OfficeClock) -> httpx.Client:
    """Ludza and Rokiškis with their figures, coordinator anna and ilze, the librarian of
    Ludza; nobody logged in."""
    seed_office(office_engine)
    create_coordinator(office_engine, COORDINATOR, PASSWORD)
    create_account(office_engine, LIBRARIAN, PASSWORD, "librarian", "ludza")
    office_clock.set(START)
    http.headers["Accept-Language"] = "en"
    return http


def log_in_as(http: httpx.Client, login: str, password: str = PASSWORD) -> httpx.Response:
    http.cookies.delete(SESSION_COOKIE)
    page = http.get("/login")
    form = {"login": login, "password": password, "next": "/", "csrf_token": form_token(page.text)}
    return http.post("/login", data=form)


def other_browser(http: httpx.Client) -> httpx.Client:
    return httpx.Client(base_url=str(http.base_url), timeout=60, headers={"Accept-Language": "en"})


def upload_zip(http: httpx.Client, site: str, pack: str = "bomb") -> httpx.Response:
    token = form_token(http.get("/packs").text)
    yaml = GOOD_YAML.replace(b"pack: bomb", f"pack: {pack}".encode())
    return http.post(
        "/packs/upload",
        data={"csrf_token": token, "site": site},
        files={"zip": (f"{pack}.zip", _zip({"pack.yaml": yaml}), "application/zip")},
    )


def versions(engine: Engine) -> list[tuple[str, int, str | None, str | None]]:
    with engine.connect() as conn:
        return [
            (r.pack_id, r.version, r.owner_site_id, r.published_by)
            for r in conn.execute(
                select(
                    PackVersion.pack_id,
                    PackVersion.version,
                    PackVersion.owner_site_id,
                    PackVersion.published_by,
                ).order_by(PackVersion.pack_id, PackVersion.version)
            )
        ]


def assignments(engine: Engine) -> list[tuple[str, str, int]]:
    with engine.connect() as conn:
        return sorted(
            (r.site_id, r.pack_id, r.version)
            for r in conn.execute(
                select(PackAssignment.site_id, PackAssignment.pack_id, PackVersion.version).join(
                    PackVersion, PackVersion.id == PackAssignment.version_id
                )
            )
        )


# --- the command line ---------------------------------------------------------------------


def test_add_user_makes_a_librarian_of_a_library_and_list_users_shows_her(
    office_url: str, office_engine: Engine
) -> None:
    seed_office(office_engine)
    added = office_cli(
        office_url, "add-user", "ilze", "--role", "librarian", "--site", "ludza",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "ilze can now log in to the dashboard as the librarian of ludza" in added.stdout
    coordinator = office_cli(
        office_url, "add-user", "anna", "--role", "coordinator", stdin=PASSWORD + "\n"
    )
    assert coordinator.returncode == 0, coordinator.stderr
    listed = office_cli(office_url, "list-users")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("anna  coordinator  since ")
    assert lines[1].startswith("ilze  librarian of ludza  since ")
    assert PASSWORD not in repr(snapshot_tables(office_engine))


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["ilze", "--role", "librarian", "--site", "riga"], "there is no library 'riga'"),
        (["ilze", "--role", "librarian"], "give its id with --site"),
        (["ilze", "--role", "coordinator", "--site", "ludza"], "leave out --site"),
        (["anna", "--role", "librarian", "--site", "ludza"], "'anna' already exists"),
        (["bad login", "--role", "coordinator"], "login 'bad login'"),
        (["ilze", "--role", "janitor"], "invalid choice: 'janitor'"),
    ],
)
def test_add_user_refuses_bad_input_with_exit_2_and_changes_nothing(
    office_url: str, office_engine: Engine, args: list[str], complaint: str
) -> None:
    seed_office(office_engine)
    create_coordinator(office_engine, "anna", PASSWORD)
    before = snapshot_tables(office_engine)
    result = office_cli(office_url, "add-user", *args, stdin=PASSWORD + "\n")
    assert result.returncode == 2
    assert complaint in result.stderr
    if "no library" in complaint:
        assert "known: ludza, rokiskis" in result.stderr and "add-site" in result.stderr
    assert snapshot_tables(office_engine) == before


def test_add_user_refuses_a_short_password_as_add_coordinator_does(
    office_url: str, office_engine: Engine
) -> None:
    seed_office(office_engine)
    result = office_cli(
        office_url, "add-user", "ilze", "--role", "librarian", "--site", "ludza",
        stdin="short\n",
    )  # fmt: skip
    assert result.returncode == 2
    assert "the password has 5 characters; use at least 10" in result.stderr


def test_the_last_coordinator_cannot_be_removed_but_a_librarian_can(
    office_url: str, office_engine: Engine
) -> None:
    seed_office(office_engine)
    create_coordinator(office_engine, "anna", PASSWORD)
    create_account(office_engine, "ilze", PASSWORD, "librarian", "ludza")
    before = snapshot_tables(office_engine)
    last = office_cli(office_url, "remove-user", "anna")
    assert last.returncode == 2
    assert "'anna' is the last coordinator" in last.stderr and "nothing was removed" in last.stderr
    assert snapshot_tables(office_engine) == before
    assert office_cli(office_url, "remove-user", "ilze").returncode == 0
    create_coordinator(office_engine, "maris", PASSWORD)
    assert office_cli(office_url, "remove-user", "anna").returncode == 0
    assert office_cli(office_url, "remove-coordinator", "maris").returncode == 2  # the last
    with office_engine.connect() as conn:
        rows = conn.execute(text("SELECT login, role FROM accounts")).all()
    assert [tuple(r) for r in rows] == [("maris", "coordinator")]


def test_the_database_refuses_a_librarian_without_a_library(office_engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), office_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (login, password_hash, role, site_id, created_at) "
                "VALUES ('x', 'h', 'librarian', NULL, '2026-12-01 09:00:00')"
            )
        )


# --- figures and stations -----------------------------------------------------------------


def test_a_librarian_sees_only_her_librarys_figures_and_a_coordinator_all(
    office: httpx.Client,
) -> None:
    assert log_in_as(office, LIBRARIAN).status_code == 303
    page = Page(office.get("/?lang=en").text)
    assert {row[0] for row in page.rows} == {"Ludzas novada bibliotēka"}
    assert "Rokiškio biblioteka" not in page.all_text
    assert "18" in page.total and "43" not in page.total  # Ludza's child visits, not all
    assert {bar["data-site"] for bar in page.bars} == {"ludza"}
    assert 'value="words"' not in office.get("/").text  # only Rokiškis ran words
    assert "ilze · librarian of ludza" in page.all_text
    assert 'href="/accounts"' not in office.get("/").text

    csv_rows = list(csv.reader(io.StringIO(office.get("/reports/usage.csv").text.lstrip("\ufeff"))))
    assert {row[0] for row in csv_rows[1:]} == {"ludza"}

    assert log_in_as(office, COORDINATOR).status_code == 303
    page = Page(office.get("/?lang=en").text)
    assert {row[0] for row in page.rows} == {"Ludzas novada bibliotēka", "Rokiškio biblioteka"}
    assert 'href="/accounts"' in office.get("/").text


@pytest.mark.parametrize(
    "path",
    ["/?site=rokiskis", "/reports/usage.csv?site=rokiskis", "/reports/usage.xlsx?site=rokiskis"],
)
def test_asking_for_another_librarys_figures_is_refused_with_the_reason(
    office: httpx.Client, path: str
) -> None:
    log_in_as(office, LIBRARIAN)
    refused = office.get(path)
    assert refused.status_code == 403
    assert "This belongs to another library. As the librarian of ludza" in refused.text
    assert "25" not in refused.text  # Rokiškis' child visits
    latvian = office.get(path + "&lang=lv")
    assert "Tas pieder citai bibliotēkai." in latvian.text


def test_a_librarian_sees_only_her_librarys_stations_and_their_settings(
    office: httpx.Client, office_url: str, tmp_path: Path
) -> None:
    for site, seconds in (("ludza", 120), ("rokiskis", 345)):
        settings = tmp_path / f"{site}.yaml"
        settings.write_text(f"session: {{idle_timeout_s: {seconds}}}\n", encoding="utf-8")
        done = office_cli(office_url, "set-settings", "--site", site, str(settings))
        assert done.returncode == 0, done.stderr
    board = tmp_path / "board.yaml"
    board.write_text("session: {age_picker: false}\n", encoding="utf-8")
    done = office_cli(
        office_url, "set-settings", "--site", "ludza", "--station", "ludza-wb-1", str(board)
    )
    assert done.returncode == 0, done.stderr
    log_in_as(office, LIBRARIAN)
    text_ = Page(office.get("/stations").text).all_text
    assert "ludza-pc-1" in text_ and "rokiskis-wb-1" not in text_
    assert "every station session.idle_timeout_s 120" in text_
    assert "ludza-wb-1 session.age_picker false" in text_
    assert "345" not in text_ and "Rokiškio" not in text_
    log_in_as(office, COORDINATOR)
    assert "session.idle_timeout_s 345" in Page(office.get("/stations").text).all_text


# --- the accounts page --------------------------------------------------------------------


def test_a_librarian_cannot_open_the_accounts_page_nor_post_to_it(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, LIBRARIAN)
    page = office.get("/accounts")
    assert page.status_code == 403
    assert "Only coordinators may do this; you are signed in as the librarian of ludza." in (
        page.text
    )
    token = form_token(page.text)  # her own session's token, from the page's logout form
    before = snapshot_tables(office_engine)
    new = {"csrf_token": token, "login": "eve", "role": "coordinator", "site": ""}
    new |= {"password": PASSWORD, "password_again": PASSWORD}
    assert office.post("/accounts", data=new).status_code == 403
    gone = office.post("/accounts/remove", data={"csrf_token": token, "login": COORDINATOR})
    assert gone.status_code == 403
    assert snapshot_tables(office_engine) == before


def test_a_coordinator_adds_and_removes_a_librarian_on_the_accounts_page(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, COORDINATOR)
    page = office.get("/accounts")
    assert page.status_code == 200
    assert re.search(r"<th scope=\"row\">ilze</th>\s*<td>Librarian</td>\s*<td>Ludzas", page.text)
    token = form_token(page.text)
    new = {"csrf_token": token, "login": "rasa", "role": "librarian", "site": "rokiskis"}
    added = office.post("/accounts", data=new | {"password": PASSWORD, "password_again": PASSWORD})
    assert added.status_code == 200, added.text
    assert "rasa can now log in as the librarian of rokiskis." in added.text
    with other_browser(office) as rasa:
        assert log_in_as(rasa, "rasa").status_code == 303
        assert {r[0] for r in Page(rasa.get("/").text).rows} == {"Rokiškio biblioteka"}
        removed = office.post("/accounts/remove", data={"csrf_token": token, "login": "rasa"})
        assert removed.status_code == 200
        assert "rasa is removed; open sessions ended: 1." in removed.text
        assert rasa.get("/").status_code == 303  # her open session ended at once
        assert log_in_as(rasa, "rasa").status_code == 401


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"login": LIBRARIAN}, "The login ilze already exists; choose another one."),
        ({"site": ""}, "A librarian belongs to one library: choose it."),
        ({"site": "riga"}, "Choose the librarian&#39;s library from the list."),
        ({"role": "coordinator"}, "A coordinator works with every library"),
        ({"password": "short", "password_again": "short"}, "use at least 10 characters"),
        ({"password_again": "something else"}, "The two passwords differ."),
    ],
)
def test_the_accounts_page_explains_each_refusal_and_changes_nothing(
    office: httpx.Client, office_engine: Engine, changes: dict[str, str], problem: str
) -> None:
    log_in_as(office, COORDINATOR)
    token = form_token(office.get("/accounts").text)
    form = {"csrf_token": token, "login": "rasa", "role": "librarian", "site": "ludza"}
    form |= {"password": PASSWORD, "password_again": PASSWORD} | changes
    before = snapshot_tables(office_engine)
    answer = office.post("/accounts", data=form)
    assert answer.status_code == 422
    assert problem in answer.text
    assert snapshot_tables(office_engine) == before


def test_the_accounts_page_will_not_remove_the_last_coordinator(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, COORDINATOR)
    token = form_token(office.get("/accounts").text)
    before = snapshot_tables(office_engine)
    answer = office.post("/accounts/remove", data={"csrf_token": token, "login": COORDINATOR})
    assert answer.status_code == 422
    assert "anna is the last coordinator" in answer.text
    assert snapshot_tables(office_engine) == before
    assert office.get("/").status_code == 200


def test_the_accounts_forms_need_the_sessions_csrf_token(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, COORDINATOR)
    before = snapshot_tables(office_engine)
    form = {"login": "eve", "role": "coordinator", "password": PASSWORD}
    assert office.post("/accounts", data=form | {"password_again": PASSWORD}).status_code == 403
    assert office.post("/accounts/remove", data={"login": LIBRARIAN}).status_code == 403
    assert snapshot_tables(office_engine) == before


# --- login rules for librarians -----------------------------------------------------------


def test_a_librarians_login_is_throttled_like_a_coordinators(
    office: httpx.Client, office_clock: OfficeClock
) -> None:
    statuses = [log_in_as(office, LIBRARIAN, f"wrong {n}").status_code for n in range(7)]
    assert statuses == [401] * FREE_FAILURES + [429] * 2
    assert log_in_as(office, LIBRARIAN).status_code == 429  # the right password too
    office_clock.advance(seconds=2)
    assert log_in_as(office, LIBRARIAN).status_code == 303


def test_removing_a_librarian_on_the_command_line_ends_her_open_session(
    office: httpx.Client, office_url: str
) -> None:
    log_in_as(office, LIBRARIAN)
    assert office.get("/").status_code == 200
    result = office_cli(office_url, "remove-user", LIBRARIAN)
    assert result.returncode == 0, result.stderr
    assert "ilze is removed; 1 dashboard session(s) of theirs ended." in result.stdout
    assert office.get("/").status_code == 303
    assert office.get("/reports/usage.csv").status_code == 401


# --- packs --------------------------------------------------------------------------------


def test_a_librarian_publishes_to_her_library_and_the_versions_say_who(
    office: httpx.Client, office_engine: Engine, office_url: str, tmp_path: Path
) -> None:
    log_in_as(office, LIBRARIAN)
    answer = upload_zip(office, "ludza", "ludza-zoo")
    assert answer.status_code == 200, answer.text
    assert versions(office_engine) == [("ludza-zoo", 1, "ludza", LIBRARIAN)]
    row = re.search(r"<td class=\"num\">v1</td>.*?</tr>", answer.text, re.S)
    assert row and f"<td>{LIBRARIAN}</td>" in row.group(0)
    listed = office_cli(office_url, "list-packs")
    assert "ludza-zoo  v1" in listed.stdout and f"by: {LIBRARIAN}  runs at: ludza" in listed.stdout
    published = office_cli(office_url, "publish-pack", str(_pack_folder(tmp_path)), "--all")
    assert published.returncode == 0, published.stderr
    assert (
        "by: command line  runs at: ludza, rokiskis" in office_cli(office_url, "list-packs").stdout
    )


def _pack_folder(root: Path) -> Path:
    folder = root / "everyone"
    folder.mkdir()
    (folder / "pack.yaml").write_bytes(GOOD_YAML.replace(b"pack: bomb", b"pack: everyone"))
    return folder


def test_a_librarian_cannot_publish_to_another_library_by_a_direct_post(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, LIBRARIAN)
    before = snapshot_tables(office_engine)
    answer = upload_zip(office, "rokiskis")
    assert answer.status_code == 403
    assert "This belongs to another library." in answer.text
    quiz_token = form_token(office.get("/packs/quiz").text)
    quiz = office.post(
        "/packs/quiz",
        data=quiz_fields(quiz_token, action="publish", site="rokiskis"),
        files={f"q{i}_upload": (f"{i}.jpg", phone_photo(), "image/jpeg") for i in range(5)},
    )
    assert quiz.status_code == 422
    assert "Choose the library to publish to." in _problem(quiz.text, "site")
    assert versions(office_engine) == []
    assert snapshot_tables(office_engine)["sites"] == before["sites"]
    # The publish form offers her own library only.
    assert 'value="rokiskis"' not in office.get("/packs").text


def test_a_librarian_neither_sees_nor_changes_other_libraries_packs(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, COORDINATOR)
    assert upload_zip(office, "rokiskis", "rokiskis-only").status_code == 200
    assert upload_zip(office, "rokiskis", "rokiskis-only").status_code == 200
    assert upload_zip(office, "ludza", "for-ludza").status_code == 200
    log_in_as(office, LIBRARIAN)
    packs = office.get("/packs").text
    assert "rokiskis-only" not in packs
    assert "for-ludza" in packs  # runs at her stations: she sees it …
    assert "Run this version again" not in packs  # … but it is the coordinators'
    before = (versions(office_engine), assignments(office_engine))
    token = form_token(packs)
    for pack in ("rokiskis-only", "for-ludza"):
        back = office.post(
            "/packs/rollback", data={"csrf_token": token, "pack": pack, "version": "1"}
        )
        assert back.status_code == 403, pack
        assert f"The pack {pack} is not ludza&#39;s" in back.text
    assert office.get("/packs/quiz?pack=rokiskis-only").status_code == 403
    # A zip of the same name is refused too: the name is another library's pack.
    again = upload_zip(office, "ludza", "rokiskis-only")
    assert again.status_code == 403
    assert (versions(office_engine), assignments(office_engine)) == before


def test_a_librarian_rolls_back_her_own_pack_at_her_library_only(
    office: httpx.Client, office_engine: Engine
) -> None:
    log_in_as(office, LIBRARIAN)
    upload_zip(office, "ludza", "ludza-zoo")
    upload_zip(office, "ludza", "ludza-zoo")
    token = form_token(office.get("/packs").text)
    back = office.post(
        "/packs/rollback", data={"csrf_token": token, "pack": "ludza-zoo", "version": "1"}
    )
    assert back.status_code == 200, back.text
    assert "ludza-zoo is back at version 1 for ludza" in back.text
    assert assignments(office_engine) == [("ludza", "ludza-zoo", 1)]
    # The coordinator may do anything with it, and the owner stays Ludza.
    log_in_as(office, COORDINATOR)
    assert upload_zip(office, "rokiskis", "ludza-zoo").status_code == 200
    assert versions(office_engine)[-1] == ("ludza-zoo", 3, "ludza", COORDINATOR)


def test_the_quiz_editor_shows_a_refused_pack_name_at_its_field_and_keeps_the_form(
    office: httpx.Client, office_engine: Engine
) -> None:
    photos = {f"q{i}_upload": (f"{i}.jpg", phone_photo(), "image/jpeg") for i in range(5)}
    log_in_as(office, COORDINATOR)
    token = form_token(office.get("/packs/quiz").text)
    made = office.post(
        "/packs/quiz", data=quiz_fields(token, action="publish", site="rokiskis"), files=photos
    )
    assert made.status_code == 303, made.text
    log_in_as(office, LIBRARIAN)
    token = form_token(office.get("/packs/quiz").text)
    page = office.post("/packs/quiz", data=quiz_fields(token, action="publish"), files=photos)
    assert page.status_code == 403
    assert "The pack fire-station-visit is not ludza&#39;s" in _problem(page.text, "pack_id")
    assert "Ekskursija uz ugunsdzēsēju depo" in page.text  # her work is still in the form
    assert len(versions(office_engine)) == 1


def test_station_settings_and_packs_for_another_library_are_refused_to_a_librarian(
    office: httpx.Client, office_engine: Engine, tmp_path: Path
) -> None:
    # The office has no settings page yet: the content store is where the rule lives.
    settings = parse_settings("session: {idle_timeout_s: 120}\n", "test.yaml")
    ilze = Actor(login=LIBRARIAN, role="librarian", site="ludza")
    with pytest.raises(NotAllowed):
        set_settings(office_engine, "rokiskis", None, settings, by=ilze)
    assert set_settings(office_engine, "ludza", None, settings, by=ilze)
    assert set_settings(office_engine, "rokiskis", None, settings, by=COMMAND_LINE)
    with pytest.raises(NotAllowed):
        publish_pack(office_engine, _pack_folder(tmp_path), None, by=ilze)  # every library
    assert versions(office_engine) == []


# --- photos never published ---------------------------------------------------------------


def test_editor_photos_never_published_are_forgotten_after_two_days(
    office: httpx.Client, office_engine: Engine, office_clock: OfficeClock, office_url: str
) -> None:
    from kiosk.office.app import create_app

    log_in_as(office, COORDINATOR)

    def check_with_photo(size: tuple[int, int]) -> str:
        token = form_token(office.get("/packs/quiz").text)
        page = office.post(
            "/packs/quiz",
            data=quiz_fields(token, action="check"),
            files={"q0_upload": ("a.jpg", phone_photo(size=size), "image/jpeg")},
        )
        assert page.status_code == 200, page.text
        (sha,) = re.findall(r'name="q0_photo" value="([0-9a-f]{64})"', page.text)
        return sha

    abandoned = check_with_photo((400, 310))  # squares of other sides: other files
    token = form_token(office.get("/packs/quiz").text)
    published = office.post(
        "/packs/quiz",
        data=quiz_fields(token, action="publish"),
        files={f"q{i}_upload": (f"{i}.jpg", phone_photo(size=(300, 300 + i)), "image/jpeg")
               for i in range(5)},
    )  # fmt: skip
    assert published.status_code == 303, published.text

    office_clock.advance(seconds=UNPUBLISHED_FILES_KEPT.total_seconds() - 60)
    log_in_as(office, COORDINATOR)  # the session has long ended
    fresh = check_with_photo((500, 320))
    assert office.get(f"/packs/photo/{abandoned}.jpg").status_code == 200  # not yet
    office_clock.advance(seconds=120)
    later = check_with_photo((600, 330))
    assert office.get(f"/packs/photo/{abandoned}.jpg").status_code == 404
    assert office.get(f"/packs/photo/{fresh}.jpg").status_code == 200
    assert office.get(f"/packs/photo/{later}.jpg").status_code == 200
    with office_engine.connect() as conn:
        used = conn.execute(text("SELECT count(DISTINCT sha256) FROM pack_version_files")).scalar()
        kept = conn.execute(text("SELECT count(*) FROM content_files")).scalar()
    assert kept == used + 2, "every published file stays"

    # An office started days later forgets what nobody published meanwhile.
    office_clock.advance(days=3)
    app = create_app(office_url, clock=office_clock)
    app.state.engine.dispose()
    with office_engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(text("content_files"))).scalar() == used
        )


# --- the upgrade --------------------------------------------------------------------------


@pytest.mark.fresh_databases
def test_the_upgrade_makes_every_coordinator_an_account_with_the_coordinator_role(
    office_url: str,
) -> None:
    from alembic import command

    from kiosk.office.auth import check_account, hash_password
    from kiosk.office.db import _alembic_config, make_engine, upgrade, write_transaction

    engine = make_engine(office_url)
    try:
        with write_transaction(engine) as connection:
            command.upgrade(_alembic_config(connection), "office0003")
            connection.execute(
                text(
                    "INSERT INTO coordinators (login, password_hash, created_at) "
                    "VALUES ('anna', :hash, '2026-11-01 10:00:00')"
                ),
                {"hash": hash_password(PASSWORD)},
            )
            connection.execute(
                text(
                    "INSERT INTO dashboard_sessions VALUES "
                    "('h', 'anna', 't', '2026-11-01 10:00:00', '2026-11-01 10:00:00', "
                    "'2026-11-01 22:00:00')"
                )
            )
    finally:
        engine.dispose()
    upgrade(office_url)
    engine = make_engine(office_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT login, role, site_id FROM accounts")).all()
            assert [tuple(r) for r in rows] == [("anna", "coordinator", None)]
            assert connection.execute(text("SELECT count(*) FROM dashboard_sessions")).scalar() == 0
        assert check_account(engine, "anna", PASSWORD)
    finally:
        engine.dispose()


def test_a_coordinator_publishes_anywhere(office: httpx.Client, office_engine: Engine) -> None:
    log_in_as(office, COORDINATOR)
    assert upload_zip(office, "rokiskis").status_code == 200
    assert upload_zip(office, "ludza").status_code == 200
    assert assignments(office_engine) == [("ludza", "bomb", 2), ("rokiskis", "bomb", 1)]
    assert versions(office_engine) == [
        ("bomb", 1, None, COORDINATOR),
        ("bomb", 2, None, COORDINATOR),
    ]


# --- every page, now and later ------------------------------------------------------------


def _calls(dependant: Any) -> set[Any]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def test_every_dashboard_route_needs_an_account_and_every_post_its_csrf_token(
    office_app: FastAPI,
) -> None:
    """A page added later (another pack editor…) cannot forget the login or the token: the
    account it gets is the `Actor` whose rules the content store checks."""
    from fastapi.routing import APIRoute

    from kiosk.office import dashboard

    def routes(container: Any) -> Iterator[Any]:
        for route in container.routes:
            # FastAPI 0.165 wraps an included router instead of copying its routes.
            included = getattr(route, "original_router", None)
            yield from routes(included) if included is not None else [route]

    open_routes = {"/login", "/static/dashboard.css"}
    checked = 0
    for route in routes(office_app):
        if not isinstance(route, APIRoute) or route.path.startswith("/api/"):
            continue
        if route.path in open_routes:
            continue
        calls = _calls(route.dependant)
        assert calls & {dashboard.require_account, dashboard.require_account_for_download}, (
            route.path
        )
        if "POST" in route.methods:
            assert dashboard.checked_form in calls, route.path
        checked += 1
    assert checked >= 12
