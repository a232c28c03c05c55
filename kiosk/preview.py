"""The station's side of the office editors' preview: ``python -m kiosk.preview FOLDER
TARGET LANG OUT`` starts the real kiosk in the headless harness, loads the draft pack in
FOLDER as a station would, opens the game on one row of it and saves the screen as a PNG
at OUT. The office (kiosk/office/editor_preview.py) runs it as a child process with a time
limit and never imports the shell itself.

TARGET is what to draw:
- ``q3``: the quiz on question q3 (the level that shows up to four answers);
- ``memory:p1a+p1b``: a round of Memory pairs with the pair of words p1a and p1b in it,
  both of its cards turned face up;
- ``sorting:i2``: Sort it out with the thing i2 on the table and the pack's bins;
- ``words:w1``: Word builder building the word w1;
- ``jigsaw:j1``: the Jigsaw cutting up the photo j1 (the easiest level)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk.packs.models import Pack

#: Seconds the packs may take to load before the preview gives up.
PACKS_TIMEOUT_S = 50.0
#: The screen the preview is drawn on: the smallest library PC.
PREVIEW_SIZE = (1366, 768)


def _quiz(game: Any, pack: Pack, question_id: str) -> None:
    question = next((q for q in pack.questions if q.id == question_id), None)
    if question is None:
        raise SystemExit(f"the pack has no question {question_id!r}")
    game.flow.choose_topic(pack.model_copy(update={"questions": [question]}))
    game.start(2)  # the level that shows up to four answers


def _memory(game: Any, pack: Pack, pair: str) -> None:
    from games.memory.decks import Topic
    from games.memory.rules import LEVELS

    first, _, second = pair.partition("+")
    if (first, second) not in pack.pairs:
        raise SystemExit(f"the pack has no pair {pair!r}")
    # The easiest round deals LEVELS[0][0] pairs: this one, then others (or it again).
    others = [p for p in pack.pairs if p != (first, second)]
    dealt = ([(first, second), *others] * LEVELS[0][0])[: LEVELS[0][0]]
    deck = pack.model_copy(update={"pairs": dealt})
    game.flow.choose_topic(Topic(f"{pack.pack}:pairs", "pairs", len(dealt), deck))
    game.start(1)
    key = f"{first}+{second}"
    shown = {first: pack.word(first).text, second: pack.word(second).text}
    for word in (first, second):
        text = game.ctx.pick(shown[word])
        index = next(
            i
            for i, placed in enumerate(game.cards)
            if placed.card.key == key and placed.card.face.text == text and not placed.face_up
        )
        game.turn(index)


def _sorting(game: Any, pack: Pack, word: str) -> None:
    sorting = pack.sorting
    item = next((i for i in sorting.items if i.word == word), None) if sorting else None
    if sorting is None or item is None:
        raise SystemExit(f"the pack has nothing to sort called {word!r}")
    # One thing on the table, every bin of the pack beside it (a level per bin count).
    alone = pack.model_copy(update={"sorting": sorting.model_copy(update={"items": [item]})})
    game.flow.choose_topic(alone)
    game.start(min(max(len(sorting.bins) - 1, 1), 3))


def _words(game: Any, pack: Pack, word_id: str) -> None:
    from games.words.letters import spellable_words

    word = next((w for w in pack.words if w.id == word_id), None)
    if word is None:
        raise SystemExit(f"the pack has no word {word_id!r}")
    game.words = spellable_words([pack.model_copy(update={"words": [word]})], game.ctx.pick)
    if not game.words:
        raise SystemExit(f"the word {word_id!r} cannot be spelt letter by letter")
    game.start(1)


def _jigsaw(game: Any, pack: Pack, picture: str) -> None:
    from games.jigsaw.rules import Choice

    if picture not in pack.pictures or pack.pictures[picture].file is None:
        raise SystemExit(f"the pack has no photo {picture!r}")
    game.flow.choose_topic(Choice(f"{pack.pack}:{picture}", pack, picture))
    game.start(1)


#: The game's launcher tile and how it is opened on a row, by TARGET's prefix.
GAMES = {
    "quiz": _quiz,
    "memory": _memory,
    "sorting": _sorting,
    "words": _words,
    "jigsaw": _jigsaw,
}


def draw(folder: Path, target: str, lang: str, out: Path) -> None:
    from kiosk.config import Config
    from kiosk.harness import Harness

    activity, _, row = target.rpartition(":")
    activity = activity or "quiz"
    if activity not in GAMES:
        raise SystemExit(f"no preview for {target!r} (use one of {', '.join(GAMES)})")
    config = Config.model_validate({"content": {"folders": [str(folder.parent)]}})
    with (
        tempfile.TemporaryDirectory(prefix="telpa-preview-data-") as data,
        Harness(config, size=PREVIEW_SIZE, lang=lang, data_folder=Path(data)) as kiosk,
    ):
        if not kiosk.app.packs.wait(PACKS_TIMEOUT_S):
            raise SystemExit("the packs did not load in time")
        pack = next((p for p in kiosk.app.packs.ready() if p.pack == folder.name), None)
        if pack is None:
            raise SystemExit(f"the kiosk left the pack {folder.name!r} out")
        kiosk.tap_button("start")
        if any(b.id == "age:skip" for b in kiosk.buttons()):
            kiosk.tap_button("age:skip")
        kiosk.tap_button(f"tile:{activity}")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        GAMES[activity](game, pack, row)
        kiosk.step(30)
        kiosk.screenshot(out)


if __name__ == "__main__":
    draw(Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4]))
