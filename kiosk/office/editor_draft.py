"""The core every pack editor of the dashboard shares: a draft as the form holds it, and the
pack folder the kiosk reads.

A draft (`Draft`) has a pack name, the library it goes to, a title and rows of its kind —
quiz questions (`kiosk.office.quiz_draft`), memory pairs (`editor_memory`), sorting bins and
items (`editor_sorting`), spelling words (`editor_words`), jigsaw photos (`editor_jigsaw`).
Each text is in lv / lt / en side by side; a photo is a processed JPEG kept at the office
by its sha256 (`kiosk.office.editor_photos`). A kind says which texts and photos it has and
writes its own part of `pack.yaml`; everything else is here:

- `Draft.missing` / `Draft.languages`: a language is offered by the pack only when every
  text has it (the kiosk shows a pack only in the languages where all of its texts exist);
  the form marks each missing translation.
- `write_pack`: the exact folder `kiosk content check` reads (docs/content.md), a
  `pack.yaml`, ``images/`` and the voice clips recorded for its texts in ``audio/``
  (`kiosk.office.editor_voice`). While it writes, it notes which form field each line came
  from, so every problem the kiosk's own check reports with a line is shown next to the
  field it is about (`place_problems`); a problem in a picture file goes to its upload.
- `check_draft`: writes the draft and checks it with `kiosk.packs.check.read_pack`, the
  function `kiosk content check` and the kiosk itself use.
- `EditorKind`: what the pages need to know of a kind (its URL, template, photo shape, how
  many rows it may have)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from kiosk.errors import TelpaError
from kiosk.office.editor_photos import PictureShape
from kiosk.office.editor_voice import AUDIO_FOLDER, voices_from_form, voices_from_pack, write_audio
from kiosk.office.uploads import comes_with_telpa
from kiosk.packs.check import PACK_FILE, Problem, read_pack
from kiosk.packs.models import ID_PATTERN, Language, Pack

LANGS = ("lv", "lt", "en")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: The kiosk's own pictogram on the pack's tile when the pack has no photo.
FALLBACK_ICON = "question-mark"
#: Where a problem without a form field of its own is shown (top of the form).
GENERAL = "general"

Texts = dict[str, str]
#: (form field prefix, texts, required): a required text must be written in every
#: language the pack offers; an optional one only when it is written at all.
TextGroup = tuple[str, Texts, bool]
Gettext = Callable[[str], str]


def blank_texts() -> Texts:
    return dict.fromkeys(LANGS, "")


def texts_from(form: Mapping[str, object], prefix: str) -> Texts:
    """The texts of fields PREFIX_lv, PREFIX_lt, PREFIX_en. Raises FormProblem for a file
    sent where a text belongs."""
    texts = {}
    for lang in LANGS:
        value = form.get(f"{prefix}_{lang}", "") or ""
        if not isinstance(value, str):
            raise FormProblem(f"{prefix}_{lang}", N_("This field takes a text, not a file."))
        texts[lang] = value.strip()
    return texts


def filled(texts: Texts) -> bool:
    return any(texts.values())


def copy_texts(target: Texts, source: Mapping[Language, str] | None) -> None:
    for lang, text in (source or {}).items():
        target[lang] = text


def photo_from(form: Mapping[str, object], prefix: str) -> str:
    """The stored photo a row of the form names (its sha256), "" for none or a forgery."""
    photo = str(form.get(f"{prefix}_photo", "") or "")
    return photo if SHA256.match(photo) else ""


def _keep(text: str) -> str:
    return text


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


class FormProblem(TelpaError):
    """The form itself is not one an editor page sends (more rows than allowed, a file
    where a text belongs): `message` (a msgid, formatted with `values` once translated)
    is shown at `field`, and nothing is done."""

    code = "editor_form"

    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.field = field
        self.message = message
        self.values = values


def count_from(form: Mapping[str, object], key: str, maximum: int) -> int:
    """The number of rows the form says it has under `key`. Raises FormProblem when it is
    not a number or over `maximum` (a hand-made or replayed request: the page never sends
    more)."""
    raw = str(form.get(key, "0") or "0")
    if not raw.isdigit() or int(raw) > maximum:
        raise FormProblem(
            GENERAL,
            N_(
                "The form has %(count)s rows; this editor takes at most %(most)d. Nothing was "
                "changed: open the editor again from the packs page."
            ),
            count=raw[:12],
            most=maximum,
        )
    return int(raw)


def choice_from(form: Mapping[str, object], key: str, choices: int) -> int:
    """An index chosen with radio buttons or a list (0 when absent or out of range)."""
    raw = str(form.get(key, "0") or "0")
    return int(raw) if raw.isdigit() and int(raw) < choices else 0


class HasPhoto(Protocol):
    photo: str


@dataclass
class PhotoCard:
    """A photo with a text in each language: a memory card, a sorting bin or item, a word,
    a jigsaw photo (whose text is unused)."""

    text: Texts = field(default_factory=blank_texts)
    #: sha256 of the processed photo at the office, "" for none.
    photo: str = ""

    def is_empty(self) -> bool:
        return not (filled(self.text) or self.photo)

    @classmethod
    def from_form(cls, form: Mapping[str, object], prefix: str) -> PhotoCard:
        return cls(texts_from(form, f"{prefix}_text"), photo_from(form, prefix))


@dataclass
class Draft:
    """What every editor's form has; a kind adds its rows and the methods below."""

    #: The kind's name: its URL (/packs/NAME) and template (NAME_editor.html).
    kind: ClassVar[str] = ""
    #: The letter of its rows' form fields (q0_…, p0a_…): a row's preview problem is
    #: shown at ROW_PREFIX{index}_preview.
    row_prefix: ClassVar[str] = ""
    #: The attribute holding its rows (questions, pairs …), each with `is_empty()`.
    rows_attr: ClassVar[str] = ""
    pack_id: str = ""
    site: str = ""
    title: Texts = field(default_factory=blank_texts)
    #: Voice clips kept for texts (`kiosk.office.editor_voice`): form field
    #: ("q0_prompt_lv") → the clip's sha256.
    voices: dict[str, str] = field(default_factory=dict)

    def read_common(self, form: Mapping[str, object]) -> None:
        self.pack_id = str(form.get("pack_id", "") or "").strip().lower()
        self.site = str(form.get("site", "") or "")
        self.title = texts_from(form, "title")
        self.voices = voices_from_form(form)

    # --- what a kind provides ---------------------------------------------------------

    @classmethod
    def new(cls) -> Draft:
        """A blank draft for "New …"."""
        raise NotImplementedError

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> Draft:
        """The draft the form holds. Raises FormProblem."""
        raise NotImplementedError

    @classmethod
    def recognises(cls, pack: Pack) -> bool:
        """Whether a published pack is of this kind."""
        raise NotImplementedError

    @classmethod
    def from_pack(cls, pack: Pack, files: Mapping[str, str]) -> Draft:
        """A published pack back in the form; `files` maps its paths to their sha256."""
        raise NotImplementedError

    @classmethod
    def published(cls, pack: Pack, **rows: Any) -> Any:
        """A draft of `pack`'s name and title with `rows` (for `from_pack`)."""
        draft = cls(pack_id=pack.pack, **rows)
        copy_texts(draft.title, pack.title)
        return draft

    def cards(self) -> list[tuple[str, str, PhotoCard]]:
        """(word id in the pack, form prefix, card) of the photo cards that go into the pack
        as its words (memory cards, things to sort, spelling words), in order."""
        return []

    def row_groups(self) -> list[TextGroup]:
        """The texts of the kind's rows that go into the pack (the title apart)."""
        return [(f"{prefix}_text", card.text, True) for _, prefix, card in self.cards()]

    def photo_slots(self) -> Sequence[tuple[str, HasPhoto]]:
        """(form prefix, row) of every row that may take a photo upload ("q0", "p1a" …)."""
        raise NotImplementedError

    def pictures(self) -> list[tuple[str, str, str]]:
        """(picture name in the pack, photo sha256, upload field) of the photos written."""
        return [(word, card.photo, f"{p}_upload") for word, p, card in self.cards() if card.photo]

    def needs_photo(self) -> list[str]:
        """Upload fields of rows in the pack that have no photo and must have one."""
        return [f"{prefix}_upload" for _, prefix, card in self.cards() if not card.photo]

    def write_body(self, out: PackWriter, langs: list[str]) -> None:
        """The kind's part of pack.yaml, after the title, icon and pictures."""
        raise NotImplementedError

    @classmethod
    def blank_row(cls) -> Any:
        """A new empty row ("Add …")."""
        raise NotImplementedError

    def target(self, index: int) -> str:
        """What ``python -m kiosk.preview`` draws for row `index`."""
        raise NotImplementedError

    # --- shared -------------------------------------------------------------------------

    def rows(self) -> list[Any]:
        rows: list[Any] = getattr(self, self.rows_attr)
        return rows

    def used(self) -> list[tuple[int, Any]]:
        """The rows that go into the pack (a row left wholly empty is skipped)."""
        return [(i, row) for i, row in enumerate(self.rows()) if not row.is_empty()]

    def row_count(self) -> int:
        """How many rows the form has (empty ones included)."""
        return len(self.rows())

    def add_row(self) -> None:
        self.rows().append(self.blank_row())

    def preview_target(self, index: int) -> str | None:
        """What ``python -m kiosk.preview`` draws for row `index` (None: an empty row)."""
        return self.target(index) if index in dict(self.used()) else None

    def text_groups(self) -> list[TextGroup]:
        """(form field prefix, texts, required) of every text the pack would show."""
        return [("title", self.title, True), *self.row_groups()]

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
            if not required and not filled(texts):
                continue
            gaps |= {f"{prefix}_{lang}" for lang in LANGS if not texts[lang]}
        return gaps

    def languages(self) -> list[str]:
        """The languages in which every text of the pack is written."""
        gaps = self.missing()
        groups = self.text_groups()
        return [
            lang
            for lang in LANGS
            if not any(name.endswith(f"_{lang}") for name in gaps)
            and any(texts[lang] for _, texts, _ in groups)
        ]


def quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: any text is safe in it (:, #, quotes).
    return json.dumps(text, ensure_ascii=False)


class PackWriter:
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
            self.add(f"{indent}  {lang}: {quoted(texts[lang])}", f"{prefix}_{lang}")

    def words(self, cards: list[tuple[str, str, PhotoCard]], langs: list[str]) -> None:
        """`words:` from (word id, form prefix, card): each card a word whose picture has
        the same name."""
        self.add("words:" if cards else "words: []", GENERAL)
        for word_id, prefix, card in cards:
            self.add(f"  - id: {word_id}", f"{prefix}_upload")
            self.add(f"    picture: {word_id}", f"{prefix}_upload")
            self.texts("    ", "text", card.text, langs, f"{prefix}_text")


@dataclass(frozen=True)
class WrittenPack:
    folder: Path
    #: pack.yaml's line number → the form field it came from.
    fields: dict[int, str]
    #: A picture file's name without .jpg → the upload field it came from.
    images: dict[str, str]


def write_pack(draft: Draft, root: Path, photo: Callable[[str], bytes | None]) -> WrittenPack:
    """Write the draft as a pack folder under `root` (named by the pack id, so the check can
    compare them); `photo(sha256)` gives a stored photo's or voice clip's bytes (None: not at
    the office)."""
    name = draft.pack_id if re.fullmatch(ID_PATTERN, draft.pack_id) else f"unnamed-{draft.kind}"
    folder = root / name
    (folder / "images").mkdir(parents=True)
    langs = draft.languages()
    out = PackWriter()
    out.add(f"pack: {quoted(draft.pack_id)}", "pack_id")
    out.add(f"languages: [{', '.join(langs)}]", GENERAL)
    out.texts("", "title", draft.title, langs, "title")
    pictures = draft.pictures()
    out.add(f"icon: {pictures[0][0]}" if pictures else "icon: tile", GENERAL)
    out.add("pictures:", GENERAL)
    if not pictures:
        out.add(f"  tile: {{emoji: {FALLBACK_ICON}}}", GENERAL)
    images = {}
    for picture, sha, upload in pictures:
        data = photo(sha)
        if data is not None:
            (folder / "images" / f"{picture}.jpg").write_bytes(data)
        out.add(f"  {picture}: {{file: images/{picture}.jpg}}", upload)
        images[picture] = upload
    draft.write_body(out, langs)
    fields = draft.text_fields()
    for line in write_audio(
        folder, draft.voices, lambda name: fields.get(name, ""), langs, photo, quoted
    ):
        out.add(line.text, line.field)
    (folder / PACK_FILE).write_text("\n".join(out.lines) + "\n", encoding="utf-8")
    return WrittenPack(folder, out.fields, images)


def place_problems(written: WrittenPack, problems: list[Problem]) -> dict[str, list[str]]:
    """The check's problems by the form field they are about (`GENERAL` for the rest)."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        where = GENERAL
        if problem.path.name == PACK_FILE and problem.line is not None:
            where = written.fields.get(problem.line, GENERAL)
        elif problem.path.parent.name == "images":
            where = written.images.get(problem.path.stem, GENERAL)
        elif problem.path.parent.name == AUDIO_FOLDER:
            where = problem.path.stem
        placed.setdefault(where, []).append(problem.message)
    return placed


def check_draft(
    draft: Draft, root: Path, photo: Callable[[str], bytes | None], gettext: Gettext = _keep
) -> tuple[WrittenPack, dict[str, list[str]]]:
    """Write the draft under `root` and check it exactly as `kiosk content check` does;
    returns the folder and the problems by form field (empty: the kiosk can show it)."""
    written = write_pack(draft, root, photo)
    if comes_with_telpa(draft.pack_id):
        message = gettext("A pack called %(pack)s comes with Telpa; choose another name.")
        return written, {"pack_id": [message % {"pack": draft.pack_id}]}
    photo_problems: dict[str, list[str]] = {}
    for picture, _sha, upload in draft.pictures():
        if not (written.folder / "images" / f"{picture}.jpg").exists():  # a forged or lost id
            photo_problems[upload] = [
                gettext("The photo is no longer at the office; upload it again.")
            ]
    for upload in draft.needs_photo():
        photo_problems[upload] = [gettext("Choose a photo: the kiosk shows one here.")]
    if photo_problems:
        return written, photo_problems
    _pack, problems = read_pack(written.folder, decode_clips=True)
    return written, place_problems(written, problems)


@dataclass(frozen=True)
class EditorKind:
    """One editor of the dashboard: /packs/NAME, its template, its draft and its photos."""

    name: str
    #: The page's heading and the packs page's link (msgids, translated where shown).
    heading: str
    new_label: str
    draft: type[Draft]
    #: The shape and size its photos are cut to.
    shape: PictureShape
    #: How many rows a draft may have ("Add …" stops there; a form with more is refused).
    max_rows: int

    @property
    def template(self) -> str:
        return f"{self.name}_editor.html"


def with_voices(draft: Draft, pack: Pack, files: Mapping[str, str]) -> Draft:
    """`draft`, made from the published `pack`, with the pack's voice clips back at their
    texts (`files` maps the pack's paths to their sha256)."""
    fields = draft.text_fields()
    draft.voices = voices_from_pack(
        pack.audio,  # type: ignore[arg-type]
        lambda lang, text: [f for f, t in fields.items() if f.endswith(f"_{lang}") and t == text],
        files,
    )
    return draft


def picture_file(pack: Pack, picture: str | None, files: Mapping[str, str]) -> str:
    """The sha256 of a published pack's picture file ("" when it has none)."""
    if not picture or picture not in pack.pictures:
        return ""
    return files.get(pack.pictures[picture].file or "", "")


def card_from_word(pack: Pack, word_id: str, files: Mapping[str, str]) -> PhotoCard:
    """A published pack's word back as a photo card."""
    card = PhotoCard()
    try:
        word = pack.word(word_id)
    except KeyError:
        return card
    copy_texts(card.text, word.text)
    card.photo = picture_file(pack, word.picture, files)
    return card
