"""Start-up of the standalone bundle (installer/telpa.spec) side by side with the installed
wheel: the bundle may not be slower than 1.5x (install issue, item 3).

Both sides run the same commands as fresh processes, in alternating order round by round,
under SDL's dummy drivers, from a folder outside the checkout:

- `kiosk --version`: the program starting at all (the bundle unpacks nothing: it is a
  one-folder build, so this is its loader and Python's start);
- `kiosk content check`: imports, the built-in packs read and every picture decoded;
- `kiosk monkey --events 1`: the usage store opened (migrations checked), the shell built
  and its first attract frame drawn, one random input, the store closed — the nearest the
  bundle's own commands come to "time to the first attract frame".

The installed wheel is the build virtualenv of the same bundle (OUT/build/venv, where
scripts/build-bundle installed Telpa from a clean copy of this tree, non-editable, at the
versions in constraints.txt), so both sides carry the same code and libraries.

    python benchmarks/bench_bundle.py [--out DIR] [--rounds N]

Without --out it builds a bundle into a temporary folder first (about a minute). With
--out DIR it uses DIR/telpa and DIR/build/venv as scripts/build-bundle DIR left them
(building them when missing). Nothing here fails on a number (STYLE habit 9).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
TARGET = 1.5
COMMANDS = {
    "kiosk --version": ["--version"],
    "kiosk content check": ["content", "check"],
    "first attract frame (monkey --events 1)": ["monkey", "--events", "1"],
}


def build(out: Path) -> None:
    print(f"building the bundle into {out} (scripts/build-bundle) ...", flush=True)
    subprocess.run(
        [str(CHECKOUT / "scripts" / "build-bundle"), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def launch(program: Path, args: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from launch to exit of `program args`; raises if it fails."""
    began = time.perf_counter()
    done = subprocess.run(
        [str(program), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{program} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="scripts/build-bundle's OUT (default: build)")
    parser.add_argument("--rounds", type=int, default=9)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="telpa-bench-bundle-") as scratch_name:
        scratch = Path(scratch_name)
        out = options.out or scratch / "out"
        bundle = out / "telpa" / ("kiosk.exe" if os.name == "nt" else "kiosk")
        scripts = "Scripts" if os.name == "nt" else "bin"
        wheel = out / "build" / "venv" / scripts / ("kiosk.exe" if os.name == "nt" else "kiosk")
        if not (bundle.exists() and wheel.exists()):
            build(out)
        elsewhere = scratch / "elsewhere"
        elsewhere.mkdir()
        env = {
            # The bundle needs no PATH at all; the wheel's script names its Python itself.
            "PATH": str(scratch / "empty"),
            "HOME": str(scratch / "home"),
            "XDG_CONFIG_HOME": str(scratch / "xdg-config"),
            "XDG_DATA_HOME": str(scratch / "xdg-data"),
            "KIOSK_SCOPE": "user",
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "LANG": "C.UTF-8",
        }
        if os.name == "nt":
            env.update({k: v for k, v in os.environ.items() if k.upper() == "SYSTEMROOT"})
        sides = {"bundle": bundle, "wheel": wheel}
        print(f"bundle: {bundle}\nwheel:  {wheel}\n{options.rounds} rounds, first discarded\n")
        times: dict[tuple[str, str], list[float]] = {
            (name, side): [] for name in COMMANDS for side in sides
        }
        ratios: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for round_no in range(options.rounds + 1):
            order = list(sides) if round_no % 2 == 0 else list(reversed(sides))
            for name, args in COMMANDS.items():
                measured = {side: launch(sides[side], args, env, elsewhere) for side in order}
                if round_no == 0:
                    continue  # warm-up: disk caches, bytecode
                for side, seconds in measured.items():
                    times[(name, side)].append(seconds)
                ratios[name].append(measured["bundle"] / measured["wheel"])

    print(f"{'measure':42} {'bundle':>9} {'wheel':>9} {'ratio':>7}  target")
    for name in COMMANDS:
        bundle_s = statistics.median(times[(name, "bundle")])
        wheel_s = statistics.median(times[(name, "wheel")])
        ratio = statistics.median(ratios[name])
        verdict = "OK" if ratio <= TARGET else "OVER"
        print(
            f"{name:42} {bundle_s * 1000:7.0f}ms {wheel_s * 1000:7.0f}ms {ratio:6.2f}x"
            f"  <= {TARGET}x {verdict}"
        )
    print("\nratio: median of the per-round ratios (bundle / wheel), run back to back")
    return 0


if __name__ == "__main__":
    sys.exit(main())
