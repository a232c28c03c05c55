"""Content packs: the checker's file:line messages, the shipped packs, broken packs at run
time, and librarians' photos."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from kiosk.cli import main
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.packs import check_packs, read_pack
from kiosk.packs.library import PackLibrary, load_photo
from kiosk.paths import CONTENT

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"


@pytest.mark.parametrize(
    ("pack", "expected"),
    [
        (
            "bad-yaml",
            "pack.yaml:4: not valid YAML: found character that cannot start any token "
            "(indent with spaces, not tabs)",
        ),
        (
            "missing-file",
            "pack.yaml:7: pictures, trip, file: the file 'images/our-trip.jpg' "
            "is not in the pack's folder",
        ),
        ("missing-text", "pack.yaml:12: words, item 1, text: the text in 'lt' is missing"),
        ("missing-word", "pack.yaml:14: pairs, item 1: no word 'butter' in words:"),
        (
            "two-correct",
            "pack.yaml:14: questions, item 1: exactly one answer must have correct: true (found 2)",
        ),
        ("wrong-id", "pack.yaml:1: pack: the id 'another-name' must be the folder's name"),
    ],
)
def test_a_broken_pack_gets_a_file_and_line_message(pack: str, expected: str) -> None:
    loaded, problems = read_pack(BROKEN / pack)
    assert loaded is None
    assert [str(p) for p in problems] and str(problems[0]).startswith(f"{BROKEN / pack}/{expected}")


def test_unknown_keys_and_missing_keys_are_named_with_their_line(tmp_path: Path) -> None:
    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "pack: typo\nlanguages: [en]\ntitel:\n  en: Typo\nicon: x\n", encoding="utf-8"
    )
    messages = [str(p) for p in read_pack(folder)[1]]
    assert f"{folder}/pack.yaml:3: titel: unknown key" in messages
    assert any(m.endswith("title: required key is missing") for m in messages)


def test_content_check_prints_one_line_per_problem_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["content", "check", str(BROKEN)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 6
    assert all(line.startswith(str(BROKEN)) for line in lines)


def test_content_check_passes_a_good_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(FIXTURES / "good-visit")]) == 0
    assert "1 pack(s) checked, no problems" in capsys.readouterr().out


def test_every_shipped_pack_passes_the_check() -> None:
    count, problems = check_packs([CONTENT])
    assert [str(p) for p in problems] == []
    assert count >= 1


def test_the_kiosk_serves_the_good_packs_when_one_is_broken() -> None:
    config = parse_config(f"content:\n  folders: ['{FIXTURES}', '{BROKEN}']\n")
    with Harness(config) as kiosk:
        assert kiosk.app.packs.wait(30)
        names = {p.pack for p in kiosk.app.packs.ready()}
        assert "good-visit" in names
        broken = {b.folder.name for b in kiosk.app.packs.broken}
        assert {"bad-yaml", "missing-word", "two-correct"} <= broken
        kiosk.tap_button("start")
        assert kiosk.scene_name == "AgePicker"


def test_packs_are_read_after_the_first_frame_not_before() -> None:
    library = PackLibrary([FIXTURES])
    assert library.packs == []  # nothing read at construction
    assert [p.pack for p in library.ready()] == ["good-visit"]


def test_a_photo_is_turned_upright_by_its_exif_orientation(tmp_path: Path) -> None:
    path = tmp_path / "sideways.jpg"
    image = Image.new("RGB", (400, 200), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    image.save(path, exif=exif)
    photo = load_photo(tmp_path, path.name)
    assert photo is not None and photo.get_size() == (200, 400)


def test_a_huge_photo_is_scaled_down_once(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    Image.new("RGB", (6000, 4000), (200, 180, 90)).save(path, quality=70)
    photo = load_photo(tmp_path, path.name)
    assert photo is not None and max(photo.get_size()) == 2048


def test_an_unreadable_photo_is_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"not a jpeg")
    assert load_photo(tmp_path, path.name) is None
