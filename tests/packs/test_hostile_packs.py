"""Content packs must never hurt the kiosk: hostile packs, made here in tmp_path, are each
refused with a file:line message by `kiosk content check` (in a few seconds, not for
ever) and listed as broken by the running kiosk, which keeps offering every other pack."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from kiosk import routes
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from kiosk.packs import check_packs, read_pack
from kiosk.packs.check import MAX_PROBLEMS
from kiosk.packs.library import PackLibrary, PackPictures
from kiosk.packs.safety import MAX_PACK_FILE_BYTES, MAX_PICTURE_FILES
from kiosk.paths import CONTENT

#: Generous: each check finishes in about a second; before the limits some never did.
CHECK_TIMEOUT_S = 30
PIN = "2468"


def _yaml(name: str, picture: str = "images/x.png", extra: str = "") -> str:
    """A small valid pack whose one picture (line 7) is `picture`."""
    return (
        f"pack: {name}\nlanguages: [en]\ntitle:\n  en: Hostile\nicon: pic\n"
        f"pictures:\n  pic: {{file: {picture}}}\n{extra}"
    )


def _folder(root: Path, name: str, text: str | bytes | None = None) -> Path:
    folder = root / name
    (folder / "images").mkdir(parents=True)
    if text is not None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (folder / "pack.yaml").write_bytes(data)
    return folder


def _billion_laughs(root: Path, name: str) -> None:
    lines = ["a0: &a0 lol"] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)
    ]
    _folder(root, name, "\n".join(lines) + f"\npack: {name}\ntitle:\n  lv: *a8\n")


def _self_alias(root: Path, name: str) -> None:
    _folder(root, name, f"pack: {name}\nlanguages: [en]\ntitle:\n  en: X\nicon: &r [*r]\n")


def _picture(make: Callable[[Path], None]) -> Callable[[Path, str], None]:
    def build(root: Path, name: str) -> None:
        folder = _folder(root, name, _yaml(name))
        make(folder / "images" / "x.png")

    return build


def _huge_png(path: Path) -> None:
    Image.new("1", (12000, 12000)).save(path)  # 144 million pixels in about 18 KB


def _wide_png(path: Path) -> None:
    Image.new("1", (6000, 5000)).save(path)  # under the stored limit, over the decoded one


def _truncated(path: Path, kind: str = "PNG") -> None:
    Image.effect_noise((300, 300), 50).save(path, kind)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _postscript(path: Path) -> None:
    path.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nshowpage\n")


def _link_outside(path: Path) -> None:
    path.symlink_to("/etc/passwd")


def _pipe(path: Path) -> None:
    os.mkfifo(path)


def _pack_yaml_outside(root: Path, name: str) -> None:
    (_folder(root, name) / "pack.yaml").symlink_to("/etc/passwd")


def _pack_yaml_pipe(root: Path, name: str) -> None:
    os.mkfifo(_folder(root, name) / "pack.yaml")


def _pack_yaml_folder(root: Path, name: str) -> None:
    (_folder(root, name) / "pack.yaml").mkdir()


def _text(body: Callable[[str], str | bytes]) -> Callable[[Path, str], None]:
    def build(root: Path, name: str) -> None:
        _folder(root, name, body(name))

    return build


def _too_many_pictures(root: Path, name: str) -> None:
    count = MAX_PICTURE_FILES + 1
    pictures = "".join(f"  p{i}: {{file: images/p{i}.png}}\n" for i in range(count))
    folder = _folder(root, name, f"pack: {name}\nlanguages: [en]\ntitle:\n  en: X\nicon: p0\n")
    with (folder / "pack.yaml").open("a", encoding="utf-8") as file:
        file.write(f"pictures:\n{pictures}")
    for i in range(count):
        Image.new("1", (4, 4)).save(folder / "images" / f"p{i}.png")


@dataclass(frozen=True)
class Hostile:
    build: Callable[[Path, str], None]
    line: int | None
    message: str


HOSTILE: dict[str, Hostile] = {
    "billion-laughs": Hostile(_billion_laughs, 2, "YAML aliases (*a0) are not allowed in a pack"),
    "self-alias": Hostile(_self_alias, 5, "YAML aliases (*r) are not allowed in a pack"),
    "huge-png": Hostile(_picture(_huge_png), 7, "'images/x.png' is 12000×12000 pixels"),
    "wide-png": Hostile(
        _picture(_wide_png), 7, "'images/x.png' is 6000×5000 pixels; a PNG picture may have"
    ),
    "truncated-png": Hostile(
        _picture(_truncated), 7, "'images/x.png' cannot be shown, the file is damaged"
    ),
    "truncated-jpeg": Hostile(
        _picture(lambda p: _truncated(p, "JPEG")), 7, "cannot be shown, the file is damaged"
    ),
    "postscript": Hostile(
        _picture(_postscript), 7, "'images/x.png' is not a PNG, JPEG, WebP or BMP picture"
    ),
    "link-outside": Hostile(
        _picture(_link_outside), 7, "'images/x.png' is a link to a file outside the pack"
    ),
    "pipe": Hostile(_picture(_pipe), 7, "'images/x.png' is not an ordinary file"),
    "up-and-out": Hostile(
        _text(lambda n: _yaml(n, "../huge-png/images/x.png")), 7, "use a path inside the pack"
    ),
    "absolute": Hostile(_text(lambda n: _yaml(n, "/etc/passwd.png")), 7, "use a path inside"),
    "pack-yaml-outside": Hostile(
        _pack_yaml_outside, None, "'pack.yaml' is a link to a file outside the pack's folder"
    ),
    "pack-yaml-folder": Hostile(_pack_yaml_folder, None, "'pack.yaml' is a folder, not a file"),
    "pack-yaml-pipe": Hostile(_pack_yaml_pipe, None, "'pack.yaml' is not an ordinary file"),
    "backslash": Hostile(_text(lambda n: _yaml(n, "images\\x.png")), 7, "use / between folders"),
    "not-utf8": Hostile(
        _text(lambda n: _yaml(n).replace("Hostile", "Kārlis").encode("cp1257")),
        4,
        "the file is not UTF-8 text; save it again choosing the UTF-8 encoding",
    ),
    "utf16": Hostile(_text(lambda n: _yaml(n).encode("utf-16")), 1, "the file is saved as UTF-16"),
    "huge-yaml": Hostile(
        _text(lambda n: _yaml(n) + "# padding\n" * (MAX_PACK_FILE_BYTES // 5)),
        None,
        "'pack.yaml' is too large",
    ),
    "deep-nesting": Hostile(
        _text(lambda n: _yaml(n, extra="pairs: " + "[" * 200 + "]" * 200 + "\n")),
        8,
        "lists and mappings are nested more than 20 deep",
    ),
    "long-text": Hostile(
        _text(lambda n: _yaml(n).replace("Hostile", "x" * 100_000)),
        4,
        "this value is 100000 characters long; at most 2000 are allowed",
    ),
    "control-character": Hostile(
        _text(lambda n: _yaml(n).replace("Hostile", "Host\x00ile")),
        4,
        "the character #x0000 cannot be in a text file",
    ),
    "impossible-date": Hostile(
        _text(lambda n: _yaml(n).replace("Hostile", "2026-13-45")),
        4,
        "this value cannot be read",
    ),
    "emoji-path": Hostile(
        _text(lambda n: _yaml(n).replace("{file: images/x.png}", "{emoji: ../../../x}")),
        7,
        "pictures, pic, emoji: string should match pattern",
    ),
    "too-many-pictures": Hostile(
        _too_many_pictures, 6 + MAX_PICTURE_FILES + 1, "a pack may have at most 200 picture"
    ),
}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name, hostile in HOSTILE.items():
        hostile.build(root, name)
    return root


def _check(*folders: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "check", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_S,
        env=dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy"),
    )


def _expected_start(folder: Path, hostile: Hostile) -> str:
    where = f"{folder / 'pack.yaml'}:{hostile.line}" if hostile.line else f"{folder / 'pack.yaml'}"
    return f"{where}: "


@pytest.mark.parametrize("name", list(HOSTILE))
def test_content_check_refuses_a_hostile_pack_with_its_file_and_line(
    hostile_root: Path, name: str
) -> None:
    hostile = HOSTILE[name]
    result = _check(hostile_root / name)
    assert result.returncode == 1, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(_expected_start(hostile_root / name, hostile)), first
    assert hostile.message in first
    assert "Traceback" not in result.stderr


def test_content_check_of_all_hostile_packs_names_every_one(hostile_root: Path) -> None:
    result = _check(hostile_root)
    assert result.returncode == 1, result.stderr
    named = {Path(line.split(":", 1)[0]).parent.name for line in result.stdout.splitlines()}
    assert named == set(HOSTILE)
    assert f"in {len(HOSTILE)} pack(s)" in result.stderr


def test_an_80_megapixel_camera_photo_passes_the_check(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "big-photo", _yaml("big-photo", "images/photo.jpg"))
    Image.new("L", (10320, 7740), 128).save(folder / "images" / "photo.jpg", quality=50)
    result = _check(folder)
    assert result.returncode == 0, result.stdout
    assert "1 pack(s) checked, no problems" in result.stdout


def test_a_link_inside_the_pack_is_fine(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "linked", _yaml("linked", "images/x.png"))
    Image.new("RGB", (50, 50)).save(folder / "photo.png")
    (folder / "images" / "x.png").symlink_to(folder / "photo.png")
    assert read_pack(folder)[1] == []


@pytest.fixture
def hostile_kiosk(hostile_root: Path, tmp_path: Path) -> Iterator[Harness]:
    config = parse_config(
        f"content:\n  folders: ['{hostile_root}']\n", path=str(tmp_path / "config.yaml")
    )
    set_pin(tmp_path / "secrets.json", PIN)
    with Harness(config, lang="en") as kiosk:
        yield kiosk


def test_the_kiosk_lists_every_hostile_pack_as_broken_and_serves_the_bundled_ones(
    hostile_kiosk: Harness, hostile_root: Path
) -> None:
    library = hostile_kiosk.app.packs
    assert library.wait(CHECK_TIMEOUT_S)
    broken = {b.folder.name: b.problems for b in library.broken}
    assert set(broken) == set(HOSTILE)
    for name, hostile in HOSTILE.items():
        first = broken[name][0]
        assert str(first).startswith(_expected_start(hostile_root / name, hostile))
        assert hostile.message in first.message
    bundled = {folder.name for folder in CONTENT.iterdir() if (folder / "pack.yaml").is_file()}
    assert bundled and bundled <= {p.pack for p in library.ready()}


def test_the_panel_shows_each_hostile_pack_with_its_problem(hostile_kiosk: Harness) -> None:
    assert hostile_kiosk.app.packs.wait(CHECK_TIMEOUT_S)
    hostile_kiosk.key(pygame_key("l"), mod=_ctrl_alt())
    for digit in PIN:
        hostile_kiosk.tap_button(f"pin:{digit}")
    hostile_kiosk.tap_button("pin:ok")
    assert hostile_kiosk.scene_name == "Panel"
    panel = hostile_kiosk.app.scene(routes.Panel)
    warnings = "\n".join(getattr(panel, "warnings", []))
    for name in HOSTILE:
        assert f"“{name}”" in warnings
    assert "YAML aliases (*a0) are not allowed in a pack" in warnings


def pygame_key(letter: str) -> int:
    import pygame

    return int(getattr(pygame, f"K_{letter}"))


def _ctrl_alt() -> int:
    import pygame

    return int(pygame.KMOD_LCTRL | pygame.KMOD_LALT)


def test_one_pack_failing_in_an_unforeseen_way_leaves_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.packs import library as library_module

    real_read = library_module.read_pack

    def read_pack_with_a_bug(folder: Path) -> object:
        if folder.name == "professions":
            raise RecursionError("maximum recursion depth exceeded")
        return real_read(folder)

    monkeypatch.setattr(library_module, "read_pack", read_pack_with_a_bug)
    library = PackLibrary([CONTENT])
    assert library.wait(CHECK_TIMEOUT_S)
    names = {p.pack for p in library.packs}
    assert "professions" not in names and {"spelling", "who-helps"} <= names
    [broken] = library.broken
    assert broken.folder.name == "professions"
    assert "the pack could not be read (RecursionError" in broken.problems[0].message


def test_a_picture_changed_after_loading_is_still_refused_when_shown(
    hostile_kiosk: Harness, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, "changes", _yaml("changes"))
    picture = folder / "images" / "x.png"
    Image.new("RGB", (40, 30)).save(picture)
    library = PackLibrary([tmp_path])
    [pack] = library.ready()
    pictures = PackPictures(library, hostile_kiosk.app.ui.images)
    assert pictures.size_of(pack, "pic") == (40, 30)

    _huge_png(picture)
    fresh = PackPictures(library, hostile_kiosk.app.ui.images)
    assert fresh.original(pack, "pic") is None
    assert fresh.size_of(pack, "pic") is None
    assert fresh.get(pack, "pic", 64).get_size() == (64, 64)  # the soft placeholder

    picture.unlink()
    _link_outside(picture)
    linked = PackPictures(library, hostile_kiosk.app.ui.images)
    assert linked.original(pack, "pic") is None


def test_the_shipped_packs_still_pass_within_the_limits() -> None:
    count, problems = check_packs([CONTENT])
    assert count >= 1 and problems == []


def test_the_content_guide_states_the_limits_the_code_uses() -> None:
    from kiosk.packs import safety
    from kiosk.packs.check import MAX_PROBLEMS
    from kiosk.packs.models import MAX_TEXT_CHARS
    from kiosk.paths import APP_ROOT

    guide = (APP_ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    section = guide[guide.index("## What a pack may not contain") :]
    limits = safety.PACK_YAML_LIMITS
    stated = [
        f"over {safety.MAX_PACK_FILE_BYTES // 1_000_000} MB",
        f"More than {limits.max_nodes:,} values",
        f"more than {limits.max_depth} levels deep",
        f"longer\n  than {limits.max_scalar_chars:,} characters",
        f"longer than {MAX_TEXT_CHARS}",
        f"over {safety.MAX_PICTURE_BYTES // 1_000_000} MB",
        f"over {safety.MAX_PICTURE_PIXELS // 1_000_000} million pixels",
        f"over {safety.MAX_DECODED_PIXELS // 1_000_000} million pixels",
        f"More than {safety.MAX_PICTURE_FILES} picture files",
        f"more than {safety.PHOTO_MAX_SIDE} pixels on the long side",
        f"At most {MAX_PROBLEMS} problems",
    ]
    assert [text for text in stated if text not in section] == []


def test_a_pack_of_thousands_of_mistakes_lists_the_first_hundred(tmp_path: Path) -> None:
    words = "".join(
        f"  - id: Word{i}\n    picture: pic\n    text: {{en: w}}\n" for i in range(3000)
    )
    folder = _folder(tmp_path, "mistakes", _yaml("mistakes", extra=f"words:\n{words}"))
    Image.new("RGB", (8, 8)).save(folder / "images" / "x.png")
    result = _check(folder)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0].startswith(f"{folder / 'pack.yaml'}:9: words, item 1, id: string should")
    assert lines[-1].endswith("2900 more problem(s) not listed; fix these and check again")
