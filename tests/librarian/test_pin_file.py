"""`kiosk set-pin` replaces secrets.json but keeps what IT staff set on it: the group that
lets the kiosk account read it and the mode (docs/folders.md)."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from kiosk.cli import main


def _another_group(current: int) -> int | None:
    """A group this process may give a file, other than `current` (any group for root)."""
    if os.geteuid() == 0:
        return 65534 if current != 65534 else 4
    others = [g for g in os.getgroups() if g != current]
    return others[0] if others else None


@pytest.mark.skipif(os.name != "posix", reason="POSIX groups and modes")
def test_set_pin_again_keeps_the_group_and_mode_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("{}\n", encoding="utf-8")
    secrets = tmp_path / "secrets.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 0
    group = _another_group(secrets.stat().st_gid)
    if group is None:
        pytest.skip("this account belongs to one group only")
    # What docs/folders.md tells IT staff to do: chgrp telpa, chmod 640.
    os.chown(secrets, -1, group)
    os.chmod(secrets, 0o640)
    first = json.loads(secrets.read_text(encoding="utf-8"))

    monkeypatch.setattr("sys.stdin", io.StringIO("86420\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 0

    assert json.loads(secrets.read_text(encoding="utf-8")) != first  # really replaced
    after = secrets.stat()
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert after.st_gid == group
    assert not list(tmp_path.glob("*.tmp"))
