"""The memory editor in a real headless Chromium against a real uvicorn server: log in,
make a memory pack of two pairs from photos in Latvian and Lithuanian, see the missing
English marked, preview a pair drawn by the kiosk, publish to Ludza and find the version on
the packs page. With $TELPA_DOCS_SCREENSHOTS=1 it also writes the coordinator guide's
picture of a non-quiz editor (docs/screenshots/editor-memory.png)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from kiosk.office.content_models import PackAssignment, PackVersion
from tests.office.test_pack_editor import phone_photo
from tests.office.test_pack_editor_browser import (
    Page,
    browser_page,
    open_new_editor,
    save_small,
    screenshots_folder,
)

__all__ = ["browser_page"]

CARDS = {
    "p0a": ("maiznieks", "kepėjas"),
    "p0b": ("krāsns", "krosnis"),
    "p1a": ("maize", "duona"),
    "p1b": ("milti", "miltai"),
}


def test_coordinator_makes_a_memory_pack_of_two_pairs_and_publishes_it_to_ludza(
    browser_page: Page, office_server: str, office_engine: Engine, tmp_path: Path
) -> None:
    out = screenshots_folder(tmp_path)
    page = browser_page
    open_new_editor(page, office_server, "New memory pack", "memory")

    page.fill("#pack_id", "bakery-memory")
    page.select_option("#site", "ludza")
    page.fill("#title_lv", "Maiznīcas atmiņas spēle")
    page.fill("#title_lt", "Kepyklos atminties žaidimas")
    for i, (prefix, (lv, lt)) in enumerate(CARDS.items()):
        photo = tmp_path / f"IMG_{i}.jpg"
        photo.write_bytes(phone_photo(rotated=i == 0))
        page.fill(f"#{prefix}_text_lv", lv)
        page.fill(f"#{prefix}_text_lt", lt)
        page.set_input_files(f"#{prefix}_upload", str(photo))
    assert page.is_checked("#picture_word"), "two pairs are played as photo ↔ word"
    page.click("button[value=check]")
    page.wait_for_selector("p.done")
    assert page.locator("td.missing").count() == 1 + 4, "the title and each card in English"
    assert page.locator("#mark-p1b_text_en").is_visible()
    assert page.locator("#pair-1 .photo img").count() == 2

    page.click("#pair-0 button[value=preview-0-lv]")
    page.wait_for_selector("#preview img")
    # The preview is drawn by the kiosk's renderer on the server: wait until it has arrived
    # (or failed: then naturalWidth is 0) before reading its width.
    page.eval_on_selector("#preview img", "img => img.decode().then(() => true, () => false)")
    loaded = page.eval_on_selector("#preview img", "img => img.complete && img.naturalWidth")
    assert loaded == 1366, "the kiosk's own picture of the pair is in the page"
    page.locator("#pair-0").scroll_into_view_if_needed()
    save_small(page, out / "editor-memory.png", "#pair-0")
    assert (out / "editor-memory.png").stat().st_size < 150_000, "keep the guide's pictures small"

    page.click("#publish")
    page.wait_for_url("**/packs?published=bakery-memory&version=1")
    main = page.inner_text("main")
    assert "bakery-memory version 1 is published to ludza" in main
    assert "Memory pairs" in main
    with office_engine.connect() as conn:
        rows = conn.execute(
            select(PackVersion.pack_id, PackVersion.made_with, PackAssignment.site_id).join(
                PackAssignment, PackAssignment.version_id == PackVersion.id
            )
        ).all()
    assert [tuple(r) for r in rows] == [("bakery-memory", "editor", "ludza")]
