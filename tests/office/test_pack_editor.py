"""The dashboard's pack editor over HTTP on loopback against the real office (SQLite, and
PostgreSQL when $TELPA_TEST_POSTGRES_URL is set): photos from a phone become upright,
square, metadata-free JPEGs; a five-question quiz in lv and lt shows each missing English
text; the kiosk's own check places each problem next to its field; the kiosk's renderer
draws a preview; publishing makes a version a Ludza kiosk fetches at its sync and
`kiosk content check` passes. Hostile uploads are refused with their message on the page
and change nothing."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, func, select

from kiosk.config import load_config
from kiosk.fleet.client import sync_content
from kiosk.fleet.store import ContentStore
from kiosk.office.auth import create_coordinator
from kiosk.office.content_models import PackAssignment, PackVersion, PackVersionFile
from kiosk.office.editor_photos import QUIZ_PICTURE_SIDE
from tests.fleet.conftest import kiosk, station_config
from tests.office.test_dashboard import LOGIN, PASSWORD, form_token, log_in

RED, BLUE = (220, 20, 20), (20, 20, 220)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_photo(rotated: bool = False, size: tuple[int, int] = (400, 300)) -> bytes:
    """A landscape JPEG, left half red and right half blue; `rotated` stores it as a phone
    held upright does (EXIF orientation 6: turn 90° clockwise to show) with a GPS position."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    exif = Image.Exif()
    if rotated:
        exif[ORIENTATION] = 6
        exif[GPS_IFD] = {1: "N", 2: (56.0, 30.0, 15.0), 3: "E", 4: (27.0, 43.0, 0.0)}
    image.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width`×`height` (the pixel data is never reached)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


LV_LT = [
    ("Kas brauc ar sarkano mašīnu?", "Kas važiuoja raudona mašina?", "ugunsdzēsēji", "ugniagesiai"),
    ("Ko dzēš ar ūdeni?", "Ką gesina vandeniu?", "uguni", "ugnį"),
    ("Kāds ir glābēju tālrunis?", "Koks gelbėtojų telefonas?", "112", "112"),
    ("Ko ugunsdzēsējs velk galvā?", "Ką ugniagesys dėvi ant galvos?", "ķiveri", "šalmą"),
    ("Kur dzīvo ugunsdzēsēju mašīna?", "Kur gyvena gaisrinė mašina?", "depo", "depe"),
]


def quiz_fields(token: str, **changes: str) -> dict[str, str]:
    """The editor's form: a five-question quiz in Latvian and Lithuanian only."""
    fields = {
        "csrf_token": token,
        "count": "5",
        "pack_id": "fire-station-visit",
        "site": "ludza",
        "title_lv": "Ekskursija uz ugunsdzēsēju depo",
        "title_lt": "Ekskursija į gaisrinę",
    }
    for i, (prompt_lv, prompt_lt, right_lv, right_lt) in enumerate(LV_LT):
        fields |= {
            f"q{i}_prompt_lv": prompt_lv,
            f"q{i}_prompt_lt": prompt_lt,
            f"q{i}_a0_lv": "policisti",
            f"q{i}_a0_lt": "policininkai",
            f"q{i}_a1_lv": right_lv,
            f"q{i}_a1_lt": right_lt,
            f"q{i}_a2_lv": "pastnieki",
            f"q{i}_a2_lt": "paštininkai",
            f"q{i}_correct": "1",
        }
    fields["q0_explain_lv"] = "Ugunsdzēsēji brauc ar sarkanu mašīnu."
    fields["q0_explain_lt"] = "Ugniagesiai važiuoja raudona mašina."
    return fields | changes


def photos() -> dict[str, tuple[str, bytes, str]]:
    return {
        f"q{i}_upload": (f"IMG_{i}.jpg", phone_photo(rotated=i == 0), "image/jpeg")
        for i in range(5)
    }


@pytest.fixture
def editor(
    http: httpx.Client, office_engine: Engine, site_token: str, other_site_token: str
) -> httpx.Client:
    """A coordinator logged in to the office, with sites ludza and rokiskis."""
    create_coordinator(office_engine, LOGIN, PASSWORD)
    http.headers["Accept-Language"] = "en"
    assert log_in(http).status_code == 303
    return http


def post_quiz(
    http: httpx.Client,
    action: str,
    files: dict[str, Any] | None = None,
    **changes: str,
) -> httpx.Response:
    token = form_token(http.get("/packs/quiz").text)
    return http.post(
        "/packs/quiz",
        data=quiz_fields(token, action=action, **changes),
        files=files or {"none": ("", b"", "application/octet-stream")},
    )


def photo_ids(html: str) -> list[str]:
    return re.findall(r'name="q\d+_photo" value="([0-9a-f]{64})"', html)


def test_a_phone_photo_is_stored_upright_square_and_without_exif_or_gps(
    editor: httpx.Client,
) -> None:
    page = post_quiz(editor, "check", files=photos())
    assert page.status_code == 200, page.text
    stored = photo_ids(page.text)
    assert len(stored) == 5
    data = editor.get(f"/packs/photo/{stored[0]}.jpg").content
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (300, 300), "centre-cropped, a small photo never enlarged"
        assert not image.getexif(), "no EXIF at all"
        assert "exif" not in image.info
        top = image.getpixel((150, 20))
        bottom = image.getpixel((150, 280))
    assert b"Exif" not in data and b"GPS" not in data
    # Turned upright by its orientation: the photo's left (red) half is now on top.
    assert top[0] > 150 and top[2] < 100, top
    assert bottom[2] > 150 and bottom[0] < 100, bottom


def test_a_big_photo_is_resized_to_the_quiz_picture_side(editor: httpx.Client) -> None:
    big = {"q0_upload": ("big.jpg", phone_photo(size=(3000, 2000)), "image/jpeg")}
    page = post_quiz(editor, "check", files=big)
    assert page.status_code == 200, page.text
    data = editor.get(f"/packs/photo/{photo_ids(page.text)[0]}.jpg").content
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (QUIZ_PICTURE_SIDE, QUIZ_PICTURE_SIDE)


def test_a_quiz_in_lv_and_lt_marks_every_missing_english_text(editor: httpx.Client) -> None:
    page = post_quiz(editor, "check", files=photos())
    assert page.status_code == 200
    html = page.text
    assert "The kiosk&#39;s check found no problem." in html
    marks = set(re.findall(r'id="mark-([a-z0-9_]+)"', html))
    expected = {"title_en", "q0_explain_en"}
    for i in range(5):
        expected |= {f"q{i}_prompt_en", f"q{i}_a0_en", f"q{i}_a1_en", f"q{i}_a2_en"}
    assert marks == expected, "each missing translation, and nothing in empty rows"
    assert "Left out because of missing translations: English" in html
    assert "Offered in: Latvian, Lithuanian." in html


def test_each_problem_of_the_kiosks_check_shows_next_to_its_field(
    editor: httpx.Client, office_engine: Engine
) -> None:
    page = post_quiz(
        editor,
        "publish",
        files=photos(),
        q2_correct="3",  # answer 4 is empty: no right answer left
        q1_prompt_lv="Ļoti gara? " * 60,  # over the kiosk's 500 characters
        pack_id="Fire Station!",
    )
    assert page.status_code == 422
    html = page.text
    assert "exactly one answer must have correct: true (found 0)" in _problem(html, "q2_answers")
    assert "500" in _problem(html, "q1_prompt_lv")
    assert _problem(html, "pack_id")
    assert "Nothing was published." in html
    with office_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PackVersion)).scalar() == 0


def _problem(html: str, field: str) -> str:
    found = re.search(rf'<p class="problem" id="problem-{field}">([^<]*)</p>', html)
    assert found, f"no problem shown at {field}"
    return found.group(1)


def kiosk_preview(http: httpx.Client, page: httpx.Response) -> list[tuple[int, Any]]:
    """The colours (count, RGB) of the preview in the editor's `page`, checking it is the
    kiosk's screen: a PNG of the preview's size with the kiosk's warm background and
    pictures, not a blank or an error screen."""
    assert page.status_code == 200, page.text
    src = re.search(r'<img src="(/packs/preview/[^"]+\.png)"', page.text)
    assert src, "the preview is in the page"
    png = http.get(src.group(1))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(png.content)) as image:
        assert image.size == (1366, 768)
        colours = image.convert("RGB").getcolors(maxcolors=1366 * 768)
    assert colours is not None and len(colours) > 200
    return colours


def test_the_preview_is_the_question_drawn_by_the_kiosk(editor: httpx.Client) -> None:
    kiosk_preview(editor, post_quiz(editor, "preview-3-lt", files=photos()))


def test_previewing_an_empty_question_says_to_write_it_first(editor: httpx.Client) -> None:
    page = post_quiz(editor, "preview-5-lv", count="6")
    assert page.status_code == 422
    assert "Write this row first" in _problem(page.text, "q5_preview")


def test_published_quiz_reaches_a_ludza_kiosk_which_checks_it_clean(
    editor: httpx.Client,
    office_engine: Engine,
    office_server: str,
    site_token: str,
    tmp_path: Path,
) -> None:
    page = post_quiz(editor, "publish", files=photos())
    assert page.status_code == 303, page.text
    assert page.headers["location"].startswith("/packs?")
    listing = editor.get(page.headers["location"]).text
    assert "fire-station-visit version 1 is published to ludza" in listing
    with office_engine.connect() as conn:
        version = conn.execute(
            select(PackVersion.pack_id, PackVersion.version, PackVersion.made_with)
        ).one()
        sites = list(conn.execute(select(PackAssignment.site_id)).scalars())
    assert tuple(version) == ("fire-station-visit", 1, "editor")
    assert sites == ["ludza"]

    config = station_config(tmp_path, "ludza", "ludza-pc-1", office_server, site_token)
    data = config.parent / "data"
    result = sync_content(load_config(config), data)
    assert result.install is not None and "fire-station-visit" in str(result.install.installed)
    folders = [f for f in ContentStore(data).pack_folders() if "fire-station-visit" in f.name]
    assert len(folders) == 1
    checked = kiosk("content", "check", str(folders[0]))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert len(list((folders[0] / "images").glob("q*.jpg"))) == 5


def test_an_edited_quiz_opens_in_the_editor_and_publishes_version_two(
    editor: httpx.Client, office_engine: Engine
) -> None:
    assert post_quiz(editor, "publish", files=photos()).status_code == 303
    page = editor.get("/packs/quiz", params={"pack": "fire-station-visit"}).text
    assert 'value="Kas brauc ar sarkano mašīnu?"' in page
    assert len(photo_ids(page)) == 5
    form = quiz_fields(form_token(page), action="publish", q0_prompt_en="Who drives the truck?")
    form |= dict(re.findall(r'name="(q\d+_photo)" value="([0-9a-f]{64})"', page))
    answer = editor.post("/packs/quiz", data=form, files={"x": ("", b"", "text/plain")})
    assert answer.status_code == 303, answer.text
    with office_engine.connect() as conn:
        versions = list(conn.execute(select(PackVersion.version)).scalars())
        images = conn.execute(
            select(func.count())
            .select_from(PackVersionFile)
            .join(PackVersion, PackVersion.id == PackVersionFile.version_id)
            .where(PackVersion.version == 2, PackVersionFile.path.like("images/%"))
        ).scalar()
    assert sorted(versions) == [1, 2]
    assert images == 5, "the photos stay with the quiz without being uploaded again"


def test_roll_back_runs_an_older_version_again(editor: httpx.Client, office_engine: Engine) -> None:
    assert post_quiz(editor, "publish", files=photos()).status_code == 303
    assert post_quiz(editor, "publish", q0_prompt_lv="Cits?").status_code == 303
    packs = editor.get("/packs").text
    assert "Run this version again" in packs
    answer = editor.post(
        "/packs/rollback",
        data={"csrf_token": form_token(packs), "pack": "fire-station-visit", "version": "1"},
    )
    assert answer.status_code == 200
    assert "fire-station-visit is back at version 1 for ludza" in answer.text
    with office_engine.connect() as conn:
        running = conn.execute(
            select(PackVersion.version).join(
                PackAssignment, PackAssignment.version_id == PackVersion.id
            )
        ).scalar_one()
    assert running == 1


def test_a_form_without_the_csrf_token_changes_nothing(
    editor: httpx.Client, office_engine: Engine
) -> None:
    form = quiz_fields("not-the-token", action="publish")
    answer = editor.post("/packs/quiz", data=form, files=photos())
    assert answer.status_code == 403
    with office_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PackVersion)).scalar() == 0


def test_an_oversized_photo_is_refused_with_its_message_at_its_field(
    editor: httpx.Client,
) -> None:
    huge = {"q0_upload": ("huge.png", png_header_only(10_000, 9_000), "image/png")}
    page = post_quiz(editor, "check", files=huge)
    assert page.status_code == 422
    message = _problem(page.text, "q0_upload")
    assert "huge.png" in message and "80,000,000" in message and "smaller" in message
    assert not photo_ids(page.text)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


GOOD_YAML = (
    b"pack: bomb\nlanguages: [lv]\ntitle: {lv: Bumba}\nicon: tile\n"
    b"pictures:\n  tile: {emoji: question-mark}\n"
)


@pytest.mark.parametrize(
    ("name", "entries", "expected"),
    [
        ("bomb.zip", {"pack.yaml": GOOD_YAML, "zeros.bin": bytes(30_000_000)}, "zip bomb"),
        ("escape.zip", {"pack.yaml": GOOD_YAML, "../evil.txt": b"x"}, "inside the pack"),
        ("aliases.zip", {"pack.yaml": GOOD_YAML + b"a: &x [1]\nb: *x\n"}, "alias"),
    ],
)
def test_a_hostile_zip_is_refused_with_its_message_and_changes_nothing(
    editor: httpx.Client,
    office_engine: Engine,
    name: str,
    entries: dict[str, bytes],
    expected: str,
) -> None:
    token = form_token(editor.get("/packs").text)
    answer = editor.post(
        "/packs/upload",
        data={"csrf_token": token, "site": "ludza"},
        files={"zip": (name, _zip(entries), "application/zip")},
    )
    assert answer.status_code == 422
    alert = re.search(
        r'<div class="error" role="alert" id="upload-problems">(.*?)</div>', answer.text, re.S
    )
    assert alert and expected in alert.group(1).lower(), answer.text
    assert "telpa-web-upload" not in alert.group(1), "no temporary path of the office"
    with office_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PackVersion)).scalar() == 0


def test_a_good_zip_upload_is_published(editor: httpx.Client, office_engine: Engine) -> None:
    token = form_token(editor.get("/packs").text)
    answer = editor.post(
        "/packs/upload",
        data={"csrf_token": token, "site": "rokiskis"},
        files={"zip": ("bomb.zip", _zip({"pack.yaml": GOOD_YAML}), "application/zip")},
    )
    assert answer.status_code == 200, answer.text
    assert "bomb version 1 is published to rokiskis" in answer.text
    with office_engine.connect() as conn:
        made_with = conn.execute(select(PackVersion.made_with)).scalar_one()
    assert made_with == "upload"


def test_a_zip_named_like_a_pack_that_comes_with_telpa_is_refused_next_to_the_upload(
    editor: httpx.Client, office_engine: Engine
) -> None:
    token = form_token(editor.get("/packs").text)
    spelling = GOOD_YAML.replace(b"pack: bomb", b"pack: spelling")
    answer = editor.post(
        "/packs/upload",
        data={"csrf_token": token, "site": "ludza"},
        files={"zip": ("spelling.zip", _zip({"pack.yaml": spelling}), "application/zip")},
    )
    assert answer.status_code == 422
    alert = re.search(
        r'<div class="error" role="alert" id="upload-problems">(.*?)</div>', answer.text, re.S
    )
    assert alert and "comes with Telpa" in alert.group(1), answer.text
    with office_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PackVersion)).scalar() == 0


def test_the_editor_does_not_replace_a_pack_uploaded_as_a_zip(
    editor: httpx.Client, office_engine: Engine
) -> None:
    token = form_token(editor.get("/packs").text)
    upload = {"zip": ("bomb.zip", _zip({"pack.yaml": GOOD_YAML}), "application/zip")}
    editor.post("/packs/upload", data={"csrf_token": token, "site": "ludza"}, files=upload)
    page = post_quiz(editor, "publish", pack_id="bomb")
    assert page.status_code == 422
    assert "was uploaded as a zip" in _problem(page.text, "pack_id")
    with office_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PackVersion)).scalar() == 1


@pytest.mark.parametrize(
    ("lang", "entries", "expected"),
    [
        ("lv", {"pack.yaml": GOOD_YAML, "../evil.txt": b"x"}, "nekas netika publicēts"),
        ("lt", {"notes.txt": b"x"}, "nėra pack.yaml"),
        ("lv", {"pack.yaml": GOOD_YAML + b"a: &x [1]\nb: *x\n"}, "paketē ir problēmas (1)"),
    ],
)
def test_an_upload_is_refused_in_the_pages_language_with_the_problem_lines_as_written(
    editor: httpx.Client, lang: str, entries: dict[str, bytes], expected: str
) -> None:
    token = form_token(editor.get("/packs").text)
    answer = editor.post(
        f"/packs/upload?lang={lang}",
        data={"csrf_token": token, "site": "ludza"},
        files={"zip": ("mine.zip", _zip(entries), "application/zip")},
    )
    assert answer.status_code == 422
    alert = re.search(
        r'<div class="error" role="alert" id="upload-problems">(.*?)</div>', answer.text, re.S
    )
    assert alert and expected in alert.group(1), answer.text
    assert "nothing was published" not in alert.group(1)
    assert "telpa-web-upload" not in alert.group(1)
