"""The bounded YAML reader under config files too: a config of aliases cannot make the
`kiosk` command spin or crash; it says where the problem is and exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.yamltools import parse_with_nodes

LAUGHS = "\n".join(
    ["a0: &a0 lol"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    + ["site:", "  name: *a8", ""]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (LAUGHS, "config.yaml:7: not valid YAML: this file has more than 100000 values"),
        ("site: &r [*r]\n", "config.yaml:1: not valid YAML: the alias *r refers to itself"),
        ("site:\n  name: \x07\n", "config.yaml:2: not valid YAML: the character #x0007"),
        ("site: " + "[" * 100 + "]" * 100 + "\n", "nested more than 64 deep"),
    ],
)
def test_a_hostile_config_is_refused_with_its_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "stats", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=30,  # generous: it answers at once; before the limits some never did
        env=dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy"),
    )
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_small_alias_in_a_config_still_works() -> None:
    _root, data = parse_with_nodes("a: &t 30\nb: [*t, *t]\n")
    assert data == {"a": 30, "b": [30, 30]}
