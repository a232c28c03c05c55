"""What a content pack may contain: `content/<pack>/pack.yaml`, validated at the edge.

A pack is data a librarian can write: pictures, words in each language, quiz questions,
pairs and sorting bins. See docs/content.md for the guide with a worked example.
The shape is checked here (pydantic, unknown keys refused); the cross-references
(a question naming a word that exists, a picture file that is there) are checked by
`kiosk.packs.check`, so every problem can be reported with its line."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Language = Literal["lv", "lt", "en"]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,59}$"
#: The longest text a pack may show (the longest bundled one, an explanation, has 170):
#: texts are read on a screen by children, and every one must fit its box.
MAX_TEXT_CHARS = 500
#: Picture names, word ids and the like: small letters, digits and dashes.
Name = Annotated[str, Field(pattern=ID_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: A text in each of the pack's languages: {lv: …, lt: …, en: …}
Texts = dict[Language, Annotated[str, Field(max_length=MAX_TEXT_CHARS)]]


#: A text a clip belongs to, as the pack writes it, and the clip's path inside the pack.
ClipText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
ClipFile = Annotated[str, Field(min_length=1, max_length=200)]


class Picture(_Strict):
    """Either a bundled pictogram (`emoji: firefighter`, from assets/emoji) or a file in
    the pack's images/ folder (`file: images/our-visit.jpg`)."""

    #: A file name in assets/emoji without .png, so never a path.
    emoji: Name | None = None
    file: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _one_source(self) -> Picture:
        if (self.emoji is None) == (self.file is None):
            raise ValueError("give either emoji: or file:, not both and not neither")
        return self


class Word(_Strict):
    """A picture with its word in each language: cards, spelling, answers."""

    id: str = Field(pattern=ID_PATTERN)
    picture: str
    text: Texts
    #: Whether the word can be spelt letter by letter (single words, no spaces).
    spell: bool = True


class Answer(_Strict):
    """One answer of a question: a word (its picture and text) or a text alone."""

    word: str | None = None
    text: Texts | None = None
    correct: bool = False

    @model_validator(mode="after")
    def _one_content(self) -> Answer:
        if (self.word is None) == (self.text is None):
            raise ValueError("an answer has either word: or text:")
        return self


class Question(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    prompt: Texts
    picture: str | None = None
    answers: list[Answer] = Field(min_length=2, max_length=4)
    #: Said after the child answers, right or wrong: why this is the answer.
    explain: Texts | None = None

    @model_validator(mode="after")
    def _one_correct(self) -> Question:
        right = sum(1 for a in self.answers if a.correct)
        if right != 1:
            raise ValueError(f"exactly one answer must have correct: true (found {right})")
        return self


class Bin(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    picture: str
    text: Texts


class SortItem(_Strict):
    word: str
    bin: str


class Sorting(_Strict):
    prompt: Texts
    bins: list[Bin] = Field(min_length=2, max_length=4)
    items: list[SortItem] = Field(min_length=4)


class Pack(_Strict):
    #: The pack's id; must be its folder's name.
    pack: str = Field(pattern=ID_PATTERN)
    languages: list[Language] = Field(min_length=1)
    title: Texts
    #: The picture for the pack's tile (a picture id of this pack).
    icon: str
    pictures: dict[Name, Picture] = Field(default_factory=dict)
    words: list[Word] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    #: Memory pairs of two word ids that belong together (profession ↔ tool).
    pairs: list[tuple[str, str]] = Field(default_factory=list)
    sorting: Sorting | None = None
    #: Extra memory-game modes: "picture-word" (a picture ↔ its word) and "lv-lt"
    #: (a Latvian word ↔ the same word in Lithuanian).
    memory: list[Literal["picture-word", "lv-lt"]] = Field(default_factory=list)
    #: Recorded clips read out instead of the synthetic voice: for each language, a text
    #: of this pack, exactly as written above, → its sound file in the pack (.ogg or .wav).
    audio: dict[Language, dict[ClipText, ClipFile]] = Field(default_factory=dict)

    def clip(self, text: str, lang: str) -> str | None:
        """The pack's sound file for `text` in `lang` (a path inside the pack), if any."""
        clips = self.audio.get(lang)  # type: ignore[call-overload]
        return clips.get(text.strip()) if clips else None

    def texts(self, lang: str) -> set[str]:
        """Every text this pack shows in `lang` (what a clip may be recorded for)."""
        found: list[Texts | None] = [self.title]
        found += [w.text for w in self.words]
        for question in self.questions:
            found += [question.prompt, question.explain, *(a.text for a in question.answers)]
        if self.sorting is not None:
            found += [self.sorting.prompt, *(b.text for b in self.sorting.bins)]
        return {t[lang].strip() for t in found if t and t.get(lang)}  # type: ignore[index,call-overload]

    def word(self, word_id: str) -> Word:
        for word in self.words:
            if word.id == word_id:
                return word
        raise KeyError(word_id)
