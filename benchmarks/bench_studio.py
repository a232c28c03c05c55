"""Studio benchmark: the render thread's frames while the film and the story save.

A child makes a 40-frame film from the synthetic camera (a capture every 0.5 s of kiosk
time; the draft is autosaved from `update()` every 3 s) and a 6-page story (typing,
pictures), then saves both. Every frame is timed as the kiosk's main thread spends it
(`step()`: input, update, render), in wall time and in thread CPU. Creation writes that
run on the render thread show up as the longest frames.

Nothing here fails on a threshold (STYLE habit 9). It drives the kiosk only through button
ids, so the same file measures an older checkout too:

    python benchmarks/bench_studio.py [--rounds N]
    PYTHONPATH=/path/to/other/checkout python benchmarks/bench_studio.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def one_round(data: Path) -> list[tuple[float, float]]:
    from kiosk.harness import Harness, use_headless_drivers

    use_headless_drivers()
    frames: list[tuple[float, float]] = []
    with Harness(data_folder=data, size=(1366, 768), lang="lv", seed=3) as kiosk:
        step = kiosk.step

        def timed_step(frames_n: int = 1, dt: float = 1 / 30) -> None:
            for _ in range(frames_n):
                wall, cpu = time.perf_counter(), time.thread_time()
                step(1, dt)
                frames.append((time.perf_counter() - wall, time.thread_time() - cpu))

        kiosk.step = timed_step  # type: ignore[method-assign]

        def open_tile(tile: str) -> None:
            if kiosk.scene_name == "Attract":
                kiosk.tap_button("start")
                kiosk.tap_button("age:skip")
            else:
                kiosk.tap_button("home")
            while f"tile:{tile}" not in [b.id for b in kiosk.buttons()]:
                kiosk.tap_button("page:next")
            kiosk.tap_button(f"tile:{tile}")

        open_tile("film")
        for _ in range(40):
            kiosk.tap_button("capture")
            kiosk.wait(0.5)
        kiosk.tap_button("save")
        open_tile("story")
        for page in range(6):
            if page:
                kiosk.tap_button("slide-add")
            kiosk.tap_button("title")
            for letter in "saule":
                kiosk.tap_button(f"key:{letter}")
            kiosk.tap_button("text-done")
            kiosk.tap_button("background")
            picks = [b.id for b in kiosk.buttons() if b.id.startswith("pick:")]
            kiosk.tap_button(next(p for p in picks if p not in ("pick:prev", "pick:next")))
            kiosk.wait(3.5)
        kiosk.tap_button("save")
        kiosk.wait(1.0)
    return frames


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ["KIOSK_CAMERA"] = "synthetic"
    print(f"bench_studio: {args.rounds} rounds, kiosk from {__import__('kiosk').__file__}")
    walls: list[float] = []
    cpus: list[float] = []
    for round_ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            frames = one_round(Path(tmp) / "data")
        wall = sorted(w for w, _ in frames)
        cpu = sorted(c for _, c in frames)
        walls += wall
        cpus += cpu
        print(
            f"  round {round_ + 1}: {len(frames)} frames, wall median {ms(statistics.median(wall))}"
            f", p99 {ms(wall[len(wall) * 99 // 100])}, longest {ms(wall[-1])}"
            f"; main-thread CPU total {sum(cpu):.2f} s"
        )
    walls.sort()
    cpus.sort()
    fill_ms = sorted(flood_fill_s() * 1000 for _ in range(7))
    print(
        f"== flood fill on a busy 1280x720 drawing (300 random lines): median "
        f"{statistics.median(fill_ms):.1f} ms, longest {fill_ms[-1]:.1f} ms "
        f"(a frame at 20 fps has 50 ms)"
    )
    print("== frames of the render thread, all rounds")
    print(
        f"  wall: median {ms(statistics.median(walls))}, p95 {ms(walls[len(walls) * 95 // 100])},"
        f" p99 {ms(walls[len(walls) * 99 // 100])}, longest {ms(walls[-1])}"
    )
    print(
        f"  CPU:  median {ms(statistics.median(cpus))}, p99 {ms(cpus[len(cpus) * 99 // 100])},"
        f" total {sum(cpus):.2f} s over {len(cpus)} frames"
    )
    return 0


def flood_fill_s() -> float:
    """CPU seconds of one flood fill of the drawing tool's canvas on a busy picture."""
    import random

    from kiosk.studio.canvas import Canvas
    from kiosk.studio.drawing import BRUSH_SIZES

    canvas = Canvas()
    rng = random.Random(4)
    canvas.begin()
    for _ in range(300):
        a = (rng.uniform(0, 1280), rng.uniform(0, 720))
        b = (a[0] + rng.uniform(-200, 200), a[1] + rng.uniform(-200, 200))
        canvas.line(a, b, (rng.randrange(256), 0, 0), rng.choice(BRUSH_SIZES))
    canvas.end()
    started = time.process_time()
    canvas.begin()
    canvas.fill((0, 0), (0, 0, 255))
    canvas.end()
    return time.process_time() - started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
