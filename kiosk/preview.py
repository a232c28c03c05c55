"""The station's side of the office editor's preview: ``python -m kiosk.preview FOLDER
QUESTION LANG OUT`` starts the real kiosk in the headless harness, loads the draft pack
in FOLDER as a station would, opens the quiz on that one question and saves the screen as
a PNG at OUT. The office (kiosk/office/editor_preview.py) runs it as a child process with
a time limit and never imports the shell itself."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

#: Seconds the packs may take to load before the preview gives up.
PACKS_TIMEOUT_S = 50.0
#: The screen the preview is drawn on: the smallest library PC.
PREVIEW_SIZE = (1366, 768)


def draw(folder: Path, question_id: str, lang: str, out: Path) -> None:
    from kiosk.config import Config
    from kiosk.harness import Harness

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
        question = next((q for q in pack.questions if q.id == question_id), None)
        if question is None:
            raise SystemExit(f"the pack has no question {question_id!r}")
        kiosk.tap_button("start")
        if any(b.id == "age:skip" for b in kiosk.buttons()):
            kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:quiz")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        game.flow.choose_topic(pack.model_copy(update={"questions": [question]}))
        game.start(2)  # the level that shows up to four answers
        kiosk.step(30)
        kiosk.screenshot(out)


if __name__ == "__main__":
    draw(Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4]))
