"""A quiz pack as the editor's form holds it, and the pack folder the kiosk reads.

The form has a title and questions, each text in lv / lt / en side by side; a question has
a photo (a processed JPEG kept at the office by its sha256, see `kiosk.office.editor_photos`),
up to four text answers with one marked right, and an optional explanation. `write_pack`
turns that into the exact folder `kiosk content check` reads (docs/content.md): a
`pack.yaml`, ``images/`` and the voice clips recorded for its texts in ``audio/``
(`kiosk.office.editor_voice`). While it writes `pack.yaml` it notes which form field each line
came from, so every problem the kiosk's own check reports with a line is shown next to the
field it is about (`place_problems`).

A language is offered by the pack only when every text has it: the kiosk shows a pack only
in the languages where all of its texts exist. The form marks each missing translation, and
the page says which languages are left out because of them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.office.editor_voice import AUDIO_FOLDER, voices_from_form, voices_from_pack, write_audio
from kiosk.packs.check import PACK_FILE, Problem, read_pack
from kiosk.packs.models import ID_PATTERN, Language, Pack

LANGS = ("lv", "lt", "en")
MAX_QUESTIONS = 40
ANSWER_SLOTS = 4
#: Questions a new quiz starts with (a round of the easiest level asks five).
NEW_QUIZ_QUESTIONS = 5
SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: The kiosk's own pictogram on the pack's tile when no question has a photo.
FALLBACK_ICON = "question-mark"
#: Where a problem without a form field of its own is shown (top of the form).
GENERAL = "general"

Texts = dict[str, str]


def _texts(form: Mapping[str, object], prefix: str) -> Texts:
    return {lang: str(form.get(f"{prefix}_{lang}", "") or "").strip() for lang in LANGS}


def _filled(texts: Texts) -> bool:
    return any(texts.values())


@dataclass
class QuizQuestion:
    prompt: Texts
    #: sha256 of the question's processed photo at the office, "" for none.
    photo: str = ""
    answers: list[Texts] = field(default_factory=list)
    #: Index in `answers` of the right one.
    correct: int = 0
    explain: Texts = field(default_factory=lambda: dict.fromkeys(LANGS, ""))

    def is_empty(self) -> bool:
        return not (
            _filled(self.prompt)
            or self.photo
            or any(_filled(a) for a in self.answers)
            or _filled(self.explain)
        )


@dataclass
class QuizDraft:
    pack_id: str = ""
    site: str = ""
    title: Texts = field(default_factory=lambda: dict.fromkeys(LANGS, ""))
    questions: list[QuizQuestion] = field(default_factory=list)
    #: Voice clips kept for texts: form field ("q0_prompt_lv") → the clip's sha256.
    voices: dict[str, str] = field(default_factory=dict)

    @classmethod
    def new(cls) -> QuizDraft:
        return cls(questions=[blank_question() for _ in range(NEW_QUIZ_QUESTIONS)])

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> QuizDraft:
        try:
            count = int(str(form.get("count", "0")))
        except ValueError:
            count = 0
        count = max(0, min(count, MAX_QUESTIONS))
        questions = []
        for i in range(count):
            photo = str(form.get(f"q{i}_photo", "") or "")
            try:
                correct = int(str(form.get(f"q{i}_correct", "0")))
            except ValueError:
                correct = 0
            questions.append(
                QuizQuestion(
                    prompt=_texts(form, f"q{i}_prompt"),
                    photo=photo if SHA256.match(photo) else "",
                    answers=[_texts(form, f"q{i}_a{j}") for j in range(ANSWER_SLOTS)],
                    correct=correct if 0 <= correct < ANSWER_SLOTS else 0,
                    explain=_texts(form, f"q{i}_explain"),
                )
            )
        return cls(
            pack_id=str(form.get("pack_id", "") or "").strip().lower(),
            site=str(form.get("site", "") or ""),
            title=_texts(form, "title"),
            questions=questions,
            voices=voices_from_form(form),
        )

    def used_questions(self) -> list[tuple[int, QuizQuestion]]:
        """The questions that go into the pack (a row left wholly empty is skipped)."""
        return [(i, q) for i, q in enumerate(self.questions) if not q.is_empty()]

    def text_groups(self) -> list[tuple[str, Texts, bool]]:
        """(form field prefix, texts, required) of every text the pack would show."""
        groups: list[tuple[str, Texts, bool]] = [("title", self.title, True)]
        for i, question in self.used_questions():
            groups.append((f"q{i}_prompt", question.prompt, True))
            for j, answer in enumerate(question.answers):
                if _filled(answer):
                    groups.append((f"q{i}_a{j}", answer, True))
            groups.append((f"q{i}_explain", question.explain, False))
        return groups

    def text_fields(self) -> dict[str, str]:
        """Form field ("q0_prompt_lv") → its text, for every text the pack would show."""
        return {
            f"{prefix}_{lang}": text
            for prefix, texts, _required in self.text_groups()
            for lang, text in texts.items()
            if text
        }

    def missing(self) -> set[str]:
        """Form fields ("q0_prompt_en") of the translations missing from texts that exist in
        another language (an empty optional text misses nothing)."""
        gaps = set()
        for prefix, texts, required in self.text_groups():
            if not required and not _filled(texts):
                continue
            gaps |= {f"{prefix}_{lang}" for lang in LANGS if not texts[lang]}
        return gaps

    def languages(self) -> list[str]:
        """The languages in which every text of the pack is written."""
        gaps = self.missing()
        return [
            lang
            for lang in LANGS
            if not any(name.endswith(f"_{lang}") for name in gaps)
            and any(texts[lang] for _, texts, _ in self.text_groups())
        ]


def _copy(target: Texts, source: Mapping[Language, str] | None) -> None:
    for lang, text in (source or {}).items():
        target[lang] = text


def draft_from_pack(pack: Pack, files: Mapping[str, str]) -> QuizDraft:
    """A published quiz back in the form; `files` maps the pack's paths to their sha256."""
    draft = QuizDraft(pack_id=pack.pack)
    _copy(draft.title, pack.title)
    for question in pack.questions:
        row = blank_question()
        _copy(row.prompt, question.prompt)
        if question.picture and question.picture in pack.pictures:
            row.photo = files.get(pack.pictures[question.picture].file or "", "")
        for j, answer in enumerate(question.answers[:ANSWER_SLOTS]):
            _copy(row.answers[j], answer.text)
            if answer.correct:
                row.correct = j
        _copy(row.explain, question.explain)
        draft.questions.append(row)
    fields = draft.text_fields()
    draft.voices = voices_from_pack(
        pack.audio,  # type: ignore[arg-type]
        lambda lang, text: [f for f, t in fields.items() if f.endswith(f"_{lang}") and t == text],
        files,
    )
    return draft


def blank_question() -> QuizQuestion:
    return QuizQuestion(
        prompt=dict.fromkeys(LANGS, ""),
        answers=[dict.fromkeys(LANGS, "") for _ in range(ANSWER_SLOTS)],
    )


def _quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: any text is safe in it (:, #, quotes).
    return json.dumps(text, ensure_ascii=False)


class _Writer:
    """pack.yaml line by line, remembering the form field of each line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.fields: dict[int, str] = {}

    def add(self, text: str, form_field: str) -> None:
        self.lines.append(text)
        self.fields[len(self.lines)] = form_field

    def texts(self, indent: str, key: str, texts: Texts, langs: list[str], prefix: str) -> None:
        self.add(f"{indent}{key}:", f"{prefix}_{langs[0] if langs else 'lv'}")
        for lang in langs:
            self.add(f"{indent}  {lang}: {_quoted(texts[lang])}", f"{prefix}_{lang}")


@dataclass(frozen=True)
class WrittenPack:
    folder: Path
    #: pack.yaml's line number → the form field it came from.
    fields: dict[int, str]


def write_pack(draft: QuizDraft, root: Path, photo: Callable[[str], bytes | None]) -> WrittenPack:
    """Write the draft as a pack folder under `root` (named by the pack id, so the check can
    compare them); `photo(sha256)` gives a stored photo's or voice clip's bytes (None: not at
    the office)."""
    name = draft.pack_id if re.fullmatch(ID_PATTERN, draft.pack_id) else "unnamed-quiz"
    folder = root / name
    (folder / "images").mkdir(parents=True)
    langs = draft.languages()
    out = _Writer()
    out.add(f"pack: {_quoted(draft.pack_id)}", "pack_id")
    out.add(f"languages: [{', '.join(langs)}]", GENERAL)
    out.texts("", "title", draft.title, langs, "title")
    used = draft.used_questions()
    photos = [(i, q) for i, q in used if q.photo]
    out.add(f"icon: q{photos[0][0] + 1}" if photos else "icon: tile", GENERAL)
    out.add("pictures:", GENERAL)
    if not photos:
        out.add(f"  tile: {{emoji: {FALLBACK_ICON}}}", GENERAL)
    for i, question in photos:
        data = photo(question.photo)
        if data is not None:
            (folder / "images" / f"q{i + 1}.jpg").write_bytes(data)
        out.add(f"  q{i + 1}: {{file: images/q{i + 1}.jpg}}", f"q{i}_upload")
    out.add("questions:" if used else "questions: []", GENERAL)
    for i, question in used:
        # The kiosk reports a question's own rule (one right answer) at its first line.
        out.add(f"  - id: q{i + 1}", f"q{i}_answers")
        out.texts("    ", "prompt", question.prompt, langs, f"q{i}_prompt")
        if question.photo:
            out.add(f"    picture: q{i + 1}", f"q{i}_upload")
        answers = [(j, a) for j, a in enumerate(question.answers) if _filled(a)]
        out.add("    answers:" if answers else "    answers: []", f"q{i}_answers")
        for j, answer in answers:
            out.add("      - text:", f"q{i}_a{j}_{LANGS[0]}")
            for lang in langs:
                out.add(f"          {lang}: {_quoted(answer[lang])}", f"q{i}_a{j}_{lang}")
            if j == question.correct:
                out.add("        correct: true", f"q{i}_answers")
        if _filled(question.explain):
            out.texts("    ", "explain", question.explain, langs, f"q{i}_explain")
    fields = draft.text_fields()
    for line in write_audio(
        folder, draft.voices, lambda name: fields.get(name, ""), langs, photo, _quoted
    ):
        out.add(line.text, line.field)
    (folder / PACK_FILE).write_text("\n".join(out.lines) + "\n", encoding="utf-8")
    return WrittenPack(folder, out.fields)


def place_problems(written: WrittenPack, problems: list[Problem]) -> dict[str, list[str]]:
    """The check's problems by the form field they are about (`GENERAL` for the rest)."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        where = GENERAL
        if problem.path.name == PACK_FILE and problem.line is not None:
            where = written.fields.get(problem.line, GENERAL)
        elif problem.path.parent.name == AUDIO_FOLDER:
            where = problem.path.stem
        elif problem.path.parent.name == "images":
            index = problem.path.stem.removeprefix("q")
            where = f"q{int(index) - 1}_upload" if index.isdigit() else GENERAL
        placed.setdefault(where, []).append(problem.message)
    return placed


def check_draft(
    draft: QuizDraft, root: Path, photo: Callable[[str], bytes | None]
) -> tuple[WrittenPack, dict[str, list[str]]]:
    """Write the draft under `root` and check it exactly as `kiosk content check` does;
    returns the folder and the problems by form field (empty: the kiosk can show it)."""
    written = write_pack(draft, root, photo)
    missing_photos = {
        f"q{i}_upload": [
            "the photo is no longer at the office; upload it again"  # a forged or lost id
        ]
        for i, q in draft.used_questions()
        if q.photo and not (written.folder / "images" / f"q{i + 1}.jpg").exists()
    }
    if missing_photos:
        return written, missing_photos
    _pack, problems = read_pack(written.folder, decode_clips=True)
    return written, place_problems(written, problems)
