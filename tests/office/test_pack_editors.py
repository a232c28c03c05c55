"""The memory, sorting, spelling-words and jigsaw editors over HTTP on loopback against the
real office (SQLite, and PostgreSQL when $TELPA_TEST_POSTGRES_URL is set). For each kind: a
pack made from photos and lv / lt texts marks every missing English text; a problem of the
kiosk's own check shows next to its field; the preview is drawn by the kiosk; a published
pack reaches a Ludza kiosk, passes `kiosk content check` and loads in the kiosk's pack
library; it opens again in its editor, and rolls back. Hostile forms and uploads get their
message next to their field and change nothing."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from kiosk.config import load_config
from kiosk.fleet.client import sync_content
from kiosk.fleet.store import ContentStore
from kiosk.office.content_models import ContentFile, PackAssignment, PackVersion
from kiosk.packs.library import PackLibrary
from tests.fleet.conftest import kiosk, station_config
from tests.office.test_pack_editor import (
    editor,
    form_token,
    kiosk_preview,
    phone_photo,
    png_header_only,
)

__all__ = ["editor"]

Fields = dict[str, str]


@dataclass(frozen=True)
class Kind:
    """One editor, with a pack of its kind written in Latvian and Lithuanian only."""

    name: str
    pack_id: str
    fields: Fields
    #: Upload field → photo size.
    photos: dict[str, tuple[int, int]]
    #: Every English field that must be marked missing.
    marks: set[str]
    #: A change the kiosk's check refuses, the field it shows at and words of its message.
    broken: Fields
    broken_at: str
    broken_says: str
    #: The preview action and what kiosk.preview is asked to draw.
    preview: str
    #: What the kiosk's pack has of it.
    loaded: Callable[[Any], bool] = field(default=lambda pack: True)


def _texts(prefix: str, lv: str, lt: str) -> Fields:
    return {f"{prefix}_lv": lv, f"{prefix}_lt": lt}


MEMORY = Kind(
    "memory",
    "bakery-memory",
    {
        "count": "2",
        "picture_word": "on",
        **_texts("title", "Maiznīcas atmiņas spēle", "Kepyklos atminties žaidimas"),
        **_texts("p0a_text", "maiznieks", "kepėjas"),
        **_texts("p0b_text", "krāsns", "krosnis"),
        **_texts("p1a_text", "maize", "duona"),
        **_texts("p1b_text", "milti", "miltai"),
    },
    {f"p{i}{s}_upload": (400, 300) for i in range(2) for s in "ab"},
    {"title_en", "p0a_text_en", "p0b_text_en", "p1a_text_en", "p1b_text_en"},
    {"count": "1"},
    "picture_word",
    "at least 3 words",
    "preview-1-lt",
    lambda pack: pack.pairs == [("p1a", "p1b"), ("p2a", "p2b")] and "picture-word" in pack.memory,
)
SORTING = Kind(
    "sorting",
    "bakery-sorting",
    {
        "count": "4",
        **_texts("title", "Kas kur der?", "Kas kur tinka?"),
        **_texts("prompt", "Kur tas der?", "Kur tai tinka?"),
        **_texts("b0_text", "cep", "kepa"),
        **_texts("b1_text", "ēd", "valgo"),
        **{f"i{i}_bin": str(i % 2) for i in range(4)},
        **_texts("i0_text", "krāsns", "krosnis"),
        **_texts("i1_text", "maize", "duona"),
        **_texts("i2_text", "panna", "keptuvė"),
        **_texts("i3_text", "siers", "sūris"),
    },
    {f"{p}_upload": (300, 300) for p in ("b0", "b1", "i0", "i1", "i2", "i3")},
    {"title_en", "prompt_en", "b0_text_en", "b1_text_en"} | {f"i{i}_text_en" for i in range(4)},
    {"i2_bin": "3"},
    "i2_bin",
    "no bin 'b4' in bins:",
    "preview-2-lv",
    lambda pack: pack.sorting is not None and len(pack.sorting.items) == 4,
)
WORDS = Kind(
    "words",
    "bakery-words",
    {
        "count": "3",
        **_texts("title", "Maiznīcas vārdi", "Kepyklos žodžiai"),
        **_texts("w0_text", "maize", "duona"),
        **_texts("w1_text", "siers", "sūris"),
        **_texts("w2_text", "milti", "miltai"),
    },
    {f"w{i}_upload": (300, 400) for i in range(3)},
    {"title_en", "w0_text_en", "w1_text_en", "w2_text_en"},
    {"w1_text_lt": "baltas sūris"},
    "w1_text_lv",  # the check names the word's text, shown at its first language
    "a phrase cannot be spelt",
    "preview-0-lv",
    lambda pack: [w.id for w in pack.words] == ["w1", "w2", "w3"],
)
JIGSAW = Kind(
    "jigsaw",
    "bakery-jigsaw",
    {"count": "2", **_texts("title", "Maiznīcas puzle", "Kepyklos dėlionė")},
    {"j0_upload": (1600, 900), "j1_upload": (600, 800)},
    {"title_en"},
    {"title_lv": "Ļoti gara puzle " * 40},
    "title_lv",
    "500",
    "preview-1-lt",
    lambda pack: sorted(pack.pictures) == ["j1", "j2"],
)
KINDS = [MEMORY, SORTING, WORDS, JIGSAW]
by_name = pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])


def upload_files(kind: Kind) -> dict[str, tuple[str, bytes, str]]:
    return {
        name: (f"IMG_{i}.jpg", phone_photo(rotated=i == 0, size=size), "image/jpeg")
        for i, (name, size) in enumerate(kind.photos.items())
    }


def post(
    http: httpx.Client,
    kind: Kind,
    action: str,
    files: dict[str, Any] | None = None,
    **changes: str,
) -> httpx.Response:
    token = form_token(http.get(f"/packs/{kind.name}").text)
    data = {"csrf_token": token, "pack_id": kind.pack_id, "site": "ludza", "action": action}
    return http.post(
        f"/packs/{kind.name}",
        data=data | kind.fields | changes,
        files=files or {"none": ("", b"", "application/octet-stream")},
    )


def problem_at(page: str, field: str) -> str:
    found = re.search(rf'<p class="problem" id="problem-{field}">([^<]*)</p>', page)
    assert found, f"no problem shown at {field}"
    return html.unescape(found.group(1))


def stored(engine: Engine) -> tuple[int, int]:
    """(pack versions, files) at the office."""
    with engine.connect() as conn:
        versions = conn.execute(select(func.count()).select_from(PackVersion)).scalar()
        files = conn.execute(select(func.count()).select_from(ContentFile)).scalar()
    return int(versions or 0), int(files or 0)


@by_name
def test_a_pack_in_lv_and_lt_marks_every_missing_english_text(
    editor: httpx.Client, kind: Kind
) -> None:
    page = post(editor, kind, "check", files=upload_files(kind))
    assert page.status_code == 200, page.text
    assert "The kiosk&#39;s check found no problem." in page.text
    assert set(re.findall(r'id="mark-([a-z0-9_]+)"', page.text)) == kind.marks
    assert "Left out because of missing translations: English" in page.text
    photos = re.findall(r'name="([a-z]\d+[ab]?)_photo" value="([0-9a-f]{64})"', page.text)
    assert {f"{p}_upload" for p, _ in photos} == set(kind.photos)


@by_name
def test_a_problem_of_the_kiosks_check_shows_next_to_its_field(
    editor: httpx.Client, office_engine: Engine, kind: Kind
) -> None:
    page = post(editor, kind, "publish", files=upload_files(kind), **kind.broken)
    assert page.status_code == 422, page.text
    assert kind.broken_says in problem_at(page.text, kind.broken_at)
    assert "Nothing was published." in page.text
    assert stored(office_engine)[0] == 0


@by_name
def test_the_preview_is_drawn_by_the_kiosks_own_renderer(editor: httpx.Client, kind: Kind) -> None:
    colours = kiosk_preview(editor, post(editor, kind, kind.preview, files=upload_files(kind)))
    assert any(r > 180 and g < 60 and b < 60 and n > 200 for n, (r, g, b) in colours), "the photo"


@by_name
def test_a_published_pack_reaches_a_ludza_kiosk_passes_the_check_and_loads(
    editor: httpx.Client,
    office_engine: Engine,
    office_server: str,
    site_token: str,
    tmp_path: Path,
    kind: Kind,
) -> None:
    page = post(editor, kind, "publish", files=upload_files(kind))
    assert page.status_code == 303, page.text
    listing = editor.get(page.headers["location"]).text
    assert f"{kind.pack_id} version 1 is published to ludza" in listing
    assert f'href="/packs/edit?pack={kind.pack_id}"' in listing

    config = station_config(tmp_path, "ludza", "ludza-pc-1", office_server, site_token)
    data = config.parent / "data"
    result = sync_content(load_config(config), data)
    assert result.install is not None and kind.pack_id in str(result.install.installed)
    folder = next(f for f in ContentStore(data).pack_folders() if kind.pack_id in f.name)
    checked = kiosk("content", "check", str(folder))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    library = PackLibrary([folder.parent])
    loaded = [p for p in library.ready() if p.pack == kind.pack_id]
    assert len(loaded) == 1 and library.broken == []
    assert kind.loaded(loaded[0])
    assert loaded[0].languages == ["lv", "lt"]


@by_name
def test_a_published_pack_opens_in_its_editor_and_rolls_back(
    editor: httpx.Client, office_engine: Engine, kind: Kind
) -> None:
    assert post(editor, kind, "publish", files=upload_files(kind)).status_code == 303
    opened = editor.get("/packs/edit", params={"pack": kind.pack_id}, follow_redirects=True)
    assert str(opened.url).endswith(f"/packs/{kind.name}?pack={kind.pack_id}")
    form = {"csrf_token": form_token(opened.text), "action": "publish", "site": "ludza"}
    form |= dict(re.findall(r'<input name="([a-z0-9_]+)" id="[^"]+" value="([^"]*)"', opened.text))
    form |= dict(re.findall(r'name="([a-z]\d+[ab]?_photo)" value="([0-9a-f]{64})"', opened.text))
    form |= {"count": kind.fields["count"], "picture_word": "on", "pack_id": kind.pack_id}
    form |= {k: v for k, v in kind.fields.items() if k.endswith("_bin")}
    again = editor.post(f"/packs/{kind.name}", data=form, files={"x": ("", b"", "text/plain")})
    assert again.status_code == 303, again.text
    packs = editor.get("/packs").text
    answer = editor.post(
        "/packs/rollback",
        data={"csrf_token": form_token(packs), "pack": kind.pack_id, "version": "1"},
    )
    assert answer.status_code == 200
    assert f"{kind.pack_id} is back at version 1 for ludza" in answer.text
    with office_engine.connect() as conn:
        running = conn.execute(
            select(PackVersion.version).join(
                PackAssignment, PackAssignment.version_id == PackVersion.id
            )
        ).scalar_one()
    assert running == 1 and stored(office_engine)[0] == 2


def test_the_packs_page_offers_every_editor_and_names_each_packs_games(
    editor: httpx.Client,
) -> None:
    assert post(editor, SORTING, "publish", files=upload_files(SORTING)).status_code == 303
    page = editor.get("/packs").text
    for name in ("quiz", "memory", "sorting", "words", "jigsaw"):
        assert f'href="/packs/{name}"' in page
    for label in ("New memory pack", "New sorting pack", "New spelling pack", "New jigsaw pack"):
        assert label in page
    games = re.search(r'<span class="games">([^<]*)</span>', page)
    assert games and games.group(1) == "Sort it out!, Word builder, Jigsaw"


def test_a_pack_name_of_another_kind_is_not_replaced(
    editor: httpx.Client, office_engine: Engine
) -> None:
    assert post(editor, WORDS, "publish", files=upload_files(WORDS)).status_code == 303
    page = post(editor, MEMORY, "publish", files=upload_files(MEMORY), pack_id=WORDS.pack_id)
    assert page.status_code == 422
    assert "Word builder pack" in problem_at(page.text, "pack_id")
    assert stored(office_engine)[0] == 1


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("huge.png", png_header_only(10_000, 9_000), "80,000,000"),
        ("notes.jpg", b"these are not the pixels you are looking for", "not a png, jpeg"),
        ("empty.jpg", b"", "empty"),
    ],
)
def test_a_hostile_photo_is_refused_at_its_field_and_nothing_is_stored(
    editor: httpx.Client, office_engine: Engine, name: str, data: bytes, expected: str
) -> None:
    before = stored(office_engine)
    files = {"p1b_upload": (name, data, "image/png")}
    page = post(editor, MEMORY, "check", files=files)
    assert page.status_code == 422
    message = problem_at(page.text, "p1b_upload")
    assert name in message and expected in message.lower(), message
    assert stored(office_engine) == before


def test_a_jigsaw_photo_too_small_to_cut_is_refused(
    editor: httpx.Client, office_engine: Engine
) -> None:
    small = {"j1_upload": ("tiny.jpg", phone_photo(size=(280, 200)), "image/jpeg")}
    page = post(editor, JIGSAW, "check", files=small)
    assert page.status_code == 422
    assert "at least 300" in problem_at(page.text, "j1_upload")
    assert stored(office_engine) == (0, 0)


def test_the_name_of_a_pack_that_comes_with_telpa_is_refused(
    editor: httpx.Client, office_engine: Engine
) -> None:
    page = post(editor, WORDS, "publish", files=upload_files(WORDS), pack_id="spelling")
    assert page.status_code == 422
    assert "comes with Telpa" in problem_at(page.text, "pack_id")
    assert stored(office_engine)[0] == 0


def test_a_card_without_a_photo_is_asked_for_one(editor: httpx.Client) -> None:
    files = upload_files(MEMORY)
    del files["p0b_upload"]
    page = post(editor, MEMORY, "check", files=files)
    assert page.status_code == 422
    assert "Choose a photo" in problem_at(page.text, "p0b_upload")


def test_too_many_rows_are_refused_and_nothing_changes(
    editor: httpx.Client, office_engine: Engine
) -> None:
    page = post(editor, WORDS, "publish", files=upload_files(WORDS), count="100000")
    assert page.status_code == 422
    assert "at most 40" in problem_at(page.text, "general")
    assert stored(office_engine) == (0, 0), "not even the photos were kept"


def test_a_file_where_a_text_belongs_is_refused_at_that_field(
    editor: httpx.Client, office_engine: Engine
) -> None:
    files = {"w0_text_lv": ("maize.txt", b"maize", "text/plain"), **upload_files(WORDS)}
    token = form_token(editor.get("/packs/words").text)
    fields = {k: v for k, v in WORDS.fields.items() if k != "w0_text_lv"}
    page = editor.post(
        "/packs/words",
        data={"csrf_token": token, "pack_id": "bakery-words", "site": "ludza", "action": "publish"}
        | fields,
        files=files,
    )
    assert page.status_code == 422
    assert "takes a text, not a file" in problem_at(page.text, "w0_text_lv")
    assert stored(office_engine) == (0, 0)
