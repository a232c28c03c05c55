"""A quiz pack as the editor's form holds it (the draft core is `kiosk.office.editor_draft`).

The form has a title and questions, each text in lv / lt / en side by side; a question has
a photo, up to four text answers with one marked right, and an optional explanation. A
question left wholly empty is not part of the pack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.office.editor_draft import (
    GENERAL,
    Draft,
    HasPhoto,
    PackWriter,
    TextGroup,
    Texts,
    blank_texts,
    choice_from,
    copy_texts,
    count_from,
    filled,
    photo_from,
    picture_file,
    quoted,
    texts_from,
)
from kiosk.office.editor_photos import SQUARE
from kiosk.packs.models import Pack

MAX_QUESTIONS = 40
ANSWER_SLOTS = 4
#: Questions a new quiz starts with (a round of the easiest level asks five).
NEW_QUIZ_QUESTIONS = 5
#: Quiz questions are cut to a square card.
SHAPE = SQUARE


@dataclass
class QuizQuestion:
    prompt: Texts
    #: sha256 of the question's processed photo at the office, "" for none.
    photo: str = ""
    answers: list[Texts] = field(default_factory=list)
    #: Index in `answers` of the right one.
    correct: int = 0
    explain: Texts = field(default_factory=blank_texts)

    def is_empty(self) -> bool:
        return not (
            filled(self.prompt)
            or self.photo
            or any(filled(a) for a in self.answers)
            or filled(self.explain)
        )


@dataclass
class QuizDraft(Draft):
    kind = "quiz"
    row_prefix = "q"
    rows_attr = "questions"
    questions: list[QuizQuestion] = field(default_factory=list)

    @classmethod
    def new(cls) -> QuizDraft:
        return cls(questions=[blank_question() for _ in range(NEW_QUIZ_QUESTIONS)])

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> QuizDraft:
        draft = cls()
        draft.read_common(form)
        for i in range(count_from(form, "count", MAX_QUESTIONS)):
            draft.questions.append(
                QuizQuestion(
                    prompt=texts_from(form, f"q{i}_prompt"),
                    photo=photo_from(form, f"q{i}"),
                    answers=[texts_from(form, f"q{i}_a{j}") for j in range(ANSWER_SLOTS)],
                    correct=choice_from(form, f"q{i}_correct", ANSWER_SLOTS),
                    explain=texts_from(form, f"q{i}_explain"),
                )
            )
        return draft

    @classmethod
    def recognises(cls, pack: Pack) -> bool:
        return bool(pack.questions)

    @classmethod
    def from_pack(cls, pack: Pack, files: Mapping[str, str]) -> QuizDraft:
        draft: QuizDraft = cls.published(pack)
        for question in pack.questions:
            row = blank_question()
            copy_texts(row.prompt, question.prompt)
            row.photo = picture_file(pack, question.picture, files)
            for j, answer in enumerate(question.answers[:ANSWER_SLOTS]):
                copy_texts(row.answers[j], answer.text)
                if answer.correct:
                    row.correct = j
            copy_texts(row.explain, question.explain)
            draft.questions.append(row)
        return draft

    @classmethod
    def blank_row(cls) -> QuizQuestion:
        return blank_question()

    def row_groups(self) -> list[TextGroup]:
        groups: list[TextGroup] = []
        for i, question in self.used():
            groups.append((f"q{i}_prompt", question.prompt, True))
            for j, answer in enumerate(question.answers):
                if filled(answer):
                    groups.append((f"q{i}_a{j}", answer, True))
            groups.append((f"q{i}_explain", question.explain, False))
        return groups

    def photo_slots(self) -> list[tuple[str, HasPhoto]]:
        return [(f"q{i}", q) for i, q in enumerate(self.questions)]

    def pictures(self) -> list[tuple[str, str, str]]:
        return [(f"q{i + 1}", q.photo, f"q{i}_upload") for i, q in self.used() if q.photo]

    def target(self, index: int) -> str:
        return f"q{index + 1}"

    def write_body(self, out: PackWriter, langs: list[str]) -> None:
        used = self.used()
        out.add("questions:" if used else "questions: []", GENERAL)
        for i, question in used:
            # The kiosk reports a question's own rule (one right answer) at its first line.
            out.add(f"  - id: q{i + 1}", f"q{i}_answers")
            out.texts("    ", "prompt", question.prompt, langs, f"q{i}_prompt")
            if question.photo:
                out.add(f"    picture: q{i + 1}", f"q{i}_upload")
            answers = [(j, a) for j, a in enumerate(question.answers) if filled(a)]
            out.add("    answers:" if answers else "    answers: []", f"q{i}_answers")
            for j, answer in answers:
                out.add("      - text:", f"q{i}_a{j}_lv")
                for lang in langs:
                    out.add(f"          {lang}: {quoted(answer[lang])}", f"q{i}_a{j}_{lang}")
                if j == question.correct:
                    out.add("        correct: true", f"q{i}_answers")
            if filled(question.explain):
                out.texts("    ", "explain", question.explain, langs, f"q{i}_explain")


def blank_question() -> QuizQuestion:
    return QuizQuestion(prompt=blank_texts(), answers=[blank_texts() for _ in range(ANSWER_SLOTS)])
