"""Reading and checking content packs, with every problem tied to its file and line.

`read_pack(folder)` returns the pack and the list of problems found; a pack with any
problem is not used by the kiosk (the others are), and `kiosk content check` prints each
problem as ``content/visit/pack.yaml:14: words[3].picture: no picture 'bakery' in
pictures:``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from kiosk.packs.models import Pack, Texts
from kiosk.paths import ASSETS
from kiosk.yamltools import describe_error, duplicate_keys, key_line, parse_with_nodes

PACK_FILE = "pack.yaml"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else (f"{self.path}: {self.message}")
        )


Loc = tuple[str | int, ...]


def _where(loc: Loc) -> str:
    """A location a librarian can read: `questions, item 3, answers, item 1, word`."""
    return ", ".join(f"item {part + 1}" if isinstance(part, int) else str(part) for part in loc)


class _Checker:
    def __init__(self, path: Path, root: yaml.Node | None) -> None:
        self.path = path
        self.root = root
        self.problems: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        where = _where(loc)
        self.problems.append(
            Problem(
                self.path, key_line(self.root, loc), f"{where}: {message}" if where else message
            )
        )


def read_pack(
    folder: Path, emoji_dir: Path = ASSETS / "emoji"
) -> tuple[Pack | None, list[Problem]]:
    """Parse and check `folder/pack.yaml`. The pack is None when it cannot be used."""
    path = folder / PACK_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(path, None, "there is no pack.yaml in this folder")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, None, f"cannot read the file ({exc})")]
    try:
        root, data = parse_with_nodes(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line_text = (
            text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
        )
        if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
            hint = " (indent with spaces, not tabs)"
        else:
            hint = " (put a text with : ? , # or quotes in it on its own line, or in quotes)"
        return None, [
            Problem(path, mark.line + 1 if mark else None, f"not valid YAML: {exc.problem}{hint}")
        ]
    checker = _Checker(path, root)
    for loc, key, line in duplicate_keys(root):
        checker.problems.append(
            Problem(path, line, f"{_where((*loc, key))}: the key {key!r} is given twice")
        )
    if not isinstance(data, dict):
        checker.add((), "pack.yaml must be a mapping (pack:, languages:, title:, …)")
        return None, checker.problems
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            checker.add(tuple(error["loc"]), describe_error(error))
        return None, checker.problems
    _check_references(pack, folder, emoji_dir, checker)
    return (pack if not checker.problems else None), checker.problems


def _check_texts(texts: Texts | None, loc: Loc, pack: Pack, checker: _Checker) -> None:
    if texts is None:
        return
    for lang in pack.languages:
        if not texts.get(lang, "").strip():
            checker.add(
                (*loc, lang) if lang in texts else loc, f"the text in {lang!r} is missing or empty"
            )


def _check_references(pack: Pack, folder: Path, emoji_dir: Path, checker: _Checker) -> None:
    if pack.pack != folder.name:
        checker.add(("pack",), f"the id {pack.pack!r} must be the folder's name {folder.name!r}")
    _check_texts(pack.title, ("title",), pack, checker)

    def picture(ref: str | None, loc: Loc) -> None:
        if ref is not None and ref not in pack.pictures:
            checker.add(loc, f"no picture {ref!r} in pictures:")

    picture(pack.icon, ("icon",))
    for name, pic in pack.pictures.items():
        loc: Loc = ("pictures", name)
        if pic.emoji is not None and not (emoji_dir / f"{pic.emoji}.png").is_file():
            checker.add(
                (*loc, "emoji"),
                f"no bundled pictogram {pic.emoji!r} (see assets/emoji/manifest.yaml)",
            )
        if pic.file is not None:
            _check_file(pic.file, folder, (*loc, "file"), checker)

    word_ids: set[str] = set()
    for i, word in enumerate(pack.words):
        if word.id in word_ids:
            checker.add(("words", i, "id"), f"the word id {word.id!r} is used twice")
        word_ids.add(word.id)
        picture(word.picture, ("words", i, "picture"))
        _check_texts(word.text, ("words", i, "text"), pack, checker)
        if word.spell and any(" " in t.strip() for t in word.text.values()):
            checker.add(("words", i, "text"), "a phrase cannot be spelt; add spell: false")

    def word_ref(ref: str, where: Loc) -> None:
        if ref not in word_ids:
            checker.add(where, f"no word {ref!r} in words:")

    question_ids: set[str] = set()
    for i, question in enumerate(pack.questions):
        loc = ("questions", i)
        if question.id in question_ids:
            checker.add((*loc, "id"), f"the question id {question.id!r} is used twice")
        question_ids.add(question.id)
        _check_texts(question.prompt, (*loc, "prompt"), pack, checker)
        _check_texts(question.explain, (*loc, "explain"), pack, checker)
        picture(question.picture, (*loc, "picture"))
        for j, answer in enumerate(question.answers):
            if answer.word is not None:
                word_ref(answer.word, (*loc, "answers", j, "word"))
            _check_texts(answer.text, (*loc, "answers", j, "text"), pack, checker)

    for i, (first, second) in enumerate(pack.pairs):
        word_ref(first, ("pairs", i))
        word_ref(second, ("pairs", i))
        if first == second:
            checker.add(("pairs", i), "a pair needs two different words")

    if "lv-lt" in pack.memory and not {"lv", "lt"} <= set(pack.languages):
        checker.add(("memory",), "lv-lt needs both lv and lt in languages:")
    if pack.memory and len(pack.words) < 3:
        checker.add(("memory",), "memory modes need at least 3 words")

    if pack.sorting is not None:
        sorting = pack.sorting
        _check_texts(sorting.prompt, ("sorting", "prompt"), pack, checker)
        bin_ids = set()
        for i, sort_bin in enumerate(sorting.bins):
            if sort_bin.id in bin_ids:
                checker.add(
                    ("sorting", "bins", i, "id"), f"the bin id {sort_bin.id!r} is used twice"
                )
            bin_ids.add(sort_bin.id)
            picture(sort_bin.picture, ("sorting", "bins", i, "picture"))
            _check_texts(sort_bin.text, ("sorting", "bins", i, "text"), pack, checker)
        for i, item in enumerate(sorting.items):
            word_ref(item.word, ("sorting", "items", i, "word"))
            if item.bin not in bin_ids:
                checker.add(("sorting", "items", i, "bin"), f"no bin {item.bin!r} in bins:")


def _check_file(relative: str, folder: Path, loc: Loc, checker: _Checker) -> None:
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        checker.add(loc, "use a path inside the pack's folder, like images/photo.jpg")
        return
    if candidate.suffix.lower() not in IMAGE_SUFFIXES:
        checker.add(loc, f"{relative!r} is not a picture (use .jpg, .png or .webp)")
        return
    if not (folder / candidate).is_file():
        checker.add(loc, f"the file {relative!r} is not in the pack's folder")


def pack_folders(paths: list[Path]) -> list[Path]:
    """Pack folders named directly, or found one level below a content folder."""
    folders: list[Path] = []
    for path in paths:
        if (path / PACK_FILE).is_file():
            folders.append(path)
        elif path.is_dir():
            folders.extend(sorted(p for p in path.iterdir() if (p / PACK_FILE).is_file()))
        else:
            folders.append(path)  # reported as missing pack.yaml by read_pack
    return folders


def check_packs(paths: list[Path]) -> tuple[int, list[Problem]]:
    """(number of packs read, every problem) for `kiosk content check`."""
    folders = pack_folders(paths)
    problems: list[Problem] = []
    for folder in folders:
        problems.extend(read_pack(folder)[1])
    return len(folders), problems
