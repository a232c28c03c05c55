"""The guides' examples work: the activity in docs/activities.md runs in the real shell."""

from __future__ import annotations

import re
import types
from pathlib import Path

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


def test_the_content_guide_example_pack_passes_the_check(tmp_path: Path) -> None:
    from PIL import Image

    from kiosk.packs import read_pack

    text = (APP_ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(pack: bakery-visit.*?)```", text, re.S)
    assert example is not None
    folder = tmp_path / "bakery-visit"
    (folder / "images").mkdir(parents=True)
    (folder / "pack.yaml").write_text(example.group(1), encoding="utf-8")
    for name in ("oven", "baker-hands", "bread-shelf"):
        Image.new("RGB", (40, 30), (180, 120, 60)).save(folder / "images" / f"{name}.jpg")
    pack, problems = read_pack(folder)
    assert [str(p) for p in problems] == []
    assert pack is not None and len(pack.questions) == 2
