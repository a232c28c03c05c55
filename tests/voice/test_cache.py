"""The disk cache of synthesised speech: its key, its bound, what a bad disk costs."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.voice.cache import SpeechCache, speech_key


def test_every_part_of_the_key_changes_it() -> None:
    parts = ("1.52.0", "lv", 140, 50, "lv", "Kas cep maizi?")
    base = speech_key(*parts)
    for i, other in enumerate(("1.53.0", "lt", 150, 60, "lt", "Kas cep maizi")):
        changed = list(parts)
        changed[i] = other
        assert speech_key(*changed) != base  # type: ignore[arg-type]


def test_a_stored_clip_comes_back_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech", 1_000_000)
    cache.put("a" * 64, b"RIFF-one")
    assert cache.get("a" * 64) == b"RIFF-one"
    assert cache.get("b" * 64) is None
    assert [p.name for p in (tmp_path / "speech").iterdir()] == ["a" * 64 + ".wav"]


def test_the_least_recently_used_clips_go_first_when_the_cache_is_full(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech", 13_000)
    for n, key in enumerate("abcd"):
        cache.put(key * 64, bytes(3000))
        # Each older than the next; "a" is then used again, so "b" is the oldest.
        os.utime(cache.path(key * 64), (1000 + n, 1000 + n))
    assert cache.get("a" * 64) is not None  # touched now: most recently used
    cache.put("e" * 64, bytes(3000))  # 15,000 bytes > 13,000: down to 9,750 at most
    left = sorted(p.name[0] for p in (tmp_path / "speech").glob("*.wav"))
    assert left == ["a", "d", "e"]


def test_a_read_only_cache_folder_costs_only_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "speech"
    folder.write_text("not a folder")  # nothing can be stored under it
    cache = SpeechCache(folder, 10_000)
    cache.put("a" * 64, b"RIFF")
    assert cache.get("a" * 64) is None
