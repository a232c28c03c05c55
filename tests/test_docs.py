"""The guides' examples work: the activity in docs/activities.md runs in the real shell."""

from __future__ import annotations

import re
import types

from kiosk.activities import RegisteredActivity
from kiosk.api import Activity
from kiosk.harness import Harness
from kiosk.paths import APP_ROOT
from kiosk.sessions import RunEnded


def _example_activity() -> type[Activity]:
    text = (APP_ROOT / "docs" / "activities.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code is not None
    module = types.ModuleType("docs_example")
    exec(compile(code.group(1), "docs/activities.md", "exec"), module.__dict__)
    return module.TapTheStar  # type: ignore[no-any-return]


def test_the_guide_example_plays_to_completion() -> None:
    cls = _example_activity()
    with Harness(registered=[RegisteredActivity(cls, "docs")]) as kiosk:
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:tap-star")
        for _ in range(5):
            kiosk.touch((683, 450))
        ended = kiosk.sink.of_type(RunEnded)
        assert [(e.outcome, e.score) for e in ended] == [("completed", 5)]  # type: ignore[union-attr]


def test_readme_links_point_at_existing_files() -> None:
    readme = (APP_ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)\)", readme)
    assert targets
    assert [t for t in targets if not (APP_ROOT / t).exists()] == []
