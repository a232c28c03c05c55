"""Reading and checking content packs, with every problem tied to its file and line.

`read_pack(folder)` returns the pack and the list of problems found; a pack with any
problem is not used by the kiosk (the others are), and `kiosk content check` prints each
problem as ``content/visit/pack.yaml:14: words[3].picture: no picture 'bakery' in
pictures:``. The kiosk reads packs with this same function, so the check finds every
problem the kiosk would meet, pictures included (each is decoded as it would be shown).
What a pack may not contain, and the limits, are in `kiosk.packs.safety`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from kiosk.packs.models import Pack, Texts
from kiosk.packs.safety import (
    MAX_PACK_FILE_BYTES,
    MAX_PICTURE_FILES,
    PACK_YAML_LIMITS,
    PICTURE_SUFFIXES,
    PackFileError,
    check_picture,
    path_problem,
    read_text_inside,
)
from kiosk.paths import ASSETS
from kiosk.yamltools import YamlProblem, describe_error, duplicate_keys, key_line, parse_with_nodes

PACK_FILE = "pack.yaml"
#: Problems listed for one pack; a pack with more is far from ready, and a file of
#: thousands of mistakes must not cost thousands of line look-ups.
MAX_PROBLEMS = 100


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


@dataclass
class _Checker:
    path: Path
    root: yaml.Node | None
    problems: list[Problem] = field(default_factory=list)
    left_out: int = 0
    #: Picture files already checked (real path → the problem, or None): each once.
    pictures: dict[str, str | None] = field(default_factory=dict)

    def add(self, loc: Loc, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.left_out += 1
            return
        where = _where(loc)
        self.problems.append(
            Problem(
                self.path, key_line(self.root, loc), f"{where}: {message}" if where else message
            )
        )

    def add_at(self, line: int | None, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.left_out += 1
            return
        self.problems.append(Problem(self.path, line, message))

    def finish(self) -> list[Problem]:
        if self.left_out:
            self.problems.append(
                Problem(
                    self.path,
                    None,
                    f"{self.left_out} more problem(s) not listed; fix these and check again",
                )
            )
        return self.problems


def read_pack(
    folder: Path, emoji_dir: Path = ASSETS / "emoji", *, decode_clips: bool = False
) -> tuple[Pack | None, list[Problem]]:
    """Parse and check `folder/pack.yaml`. The pack is None when it cannot be used.

    Sound clips are always checked for their place (a text of the pack, a path inside
    it); `decode_clips` also decodes each one (`kiosk content check`). The kiosk does not:
    a clip that turns out damaged when it is played gives way to the synthetic voice and is
    listed on the librarian panel, and the pack's pictures and texts stay in use."""
    path = folder / PACK_FILE
    if not os.path.lexists(path):
        return None, [Problem(path, None, "there is no pack.yaml in this folder")]
    try:
        text = read_text_inside(folder, PACK_FILE, MAX_PACK_FILE_BYTES)
    except PackFileError as exc:
        return None, [Problem(path, exc.line, exc.message)]
    try:
        root, data = parse_with_nodes(text, PACK_YAML_LIMITS)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if isinstance(exc, YamlProblem):
            return None, [Problem(path, line, str(exc.problem))]
        lines = text.splitlines()
        line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
        if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
            hint = " (indent with spaces, not tabs)"
        else:
            hint = " (put a text with : ? , # or quotes in it on its own line, or in quotes)"
        return None, [Problem(path, line, f"not valid YAML: {exc.problem}{hint}")]
    checker = _Checker(path, root)
    for loc, key, line in duplicate_keys(root):
        checker.add_at(line, f"{_where((*loc, key))}: the key {key!r} is given twice")
    if not isinstance(data, dict):
        checker.add((), "pack.yaml must be a mapping (pack:, languages:, title:, …)")
        return None, checker.finish()
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            checker.add(tuple(error["loc"]), describe_error(error))
        return None, checker.finish()
    _check_references(pack, folder, emoji_dir, checker)
    _check_clips(pack, folder, checker, decode_clips)
    problems = checker.finish()
    return (pack if not problems else None), problems


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
    problem = path_problem(relative)
    if problem is not None:
        checker.add(loc, problem)
        return
    if Path(relative).suffix.lower() not in PICTURE_SUFFIXES:
        checker.add(loc, f"{relative!r} is not a picture (use .jpg, .png or .webp)")
        return
    try:
        key = os.path.realpath(folder / relative)
    except (OSError, ValueError):
        key = relative
    if key not in checker.pictures:
        if len(checker.pictures) >= MAX_PICTURE_FILES:
            checker.add(loc, f"a pack may have at most {MAX_PICTURE_FILES} picture files")
            return
        try:
            check_picture(folder, relative)
            checker.pictures[key] = None
        except PackFileError as exc:
            checker.pictures[key] = exc.message
    message = checker.pictures[key]
    if message is not None:
        checker.add(loc, message)


def _check_clips(pack: Pack, folder: Path, checker: _Checker, decode: bool) -> None:
    from kiosk.voice.clips import CLIP_SUFFIXES, MAX_CLIP_FILES, check_clip

    checked: dict[str, str | None] = {}
    for lang, clips in pack.audio.items():
        if lang not in pack.languages:
            checker.add(("audio", lang), f"the pack has no {lang!r} in languages:")
            continue
        texts = pack.texts(lang)
        for text, relative in clips.items():
            loc: Loc = ("audio", lang, text)
            if text.strip() not in texts:
                checker.add(
                    loc,
                    f"no {lang!r} text like this in the pack; write it exactly as it is "
                    "written above (was the text changed after the recording?)",
                )
            problem = path_problem(relative)
            if problem is None and Path(relative).suffix.lower() not in CLIP_SUFFIXES:
                problem = f"{relative!r} is not a sound file (use .ogg or .wav)"
            if problem is None and not decode:
                continue
            if problem is None:
                key = os.path.normcase(os.path.normpath(relative))
                if key not in checked:
                    if len(checked) >= MAX_CLIP_FILES:
                        checker.add(loc, f"a pack may have at most {MAX_CLIP_FILES} sound clips")
                        return
                    try:
                        check_clip(folder, relative)
                        checked[key] = None
                    except PackFileError as exc:
                        checked[key] = exc.message
                problem = checked[key]
            if problem is not None:
                checker.add(loc, problem)


def pack_folders(paths: list[Path]) -> list[Path]:
    """Pack folders named directly, or found one level below a content folder: every
    folder with something called pack.yaml in it (a pack.yaml that is a folder, a link or
    a pipe is then reported by `read_pack`, not silently passed over)."""
    folders: list[Path] = []
    for path in paths:
        if os.path.lexists(path / PACK_FILE):
            folders.append(path)
        elif path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError:
                folders.append(path)  # reported by read_pack as unreadable or empty
                continue
            folders.extend(p for p in entries if os.path.lexists(p / PACK_FILE))
        else:
            folders.append(path)  # reported as missing pack.yaml by read_pack
    return folders


def check_packs(paths: list[Path]) -> tuple[int, list[Problem]]:
    """(number of packs read, every problem) for `kiosk content check`, sound clips
    decoded and measured."""
    folders = pack_folders(paths)
    problems: list[Problem] = []
    for folder in folders:
        problems.extend(read_pack(folder, decode_clips=True)[1])
    return len(folders), problems
