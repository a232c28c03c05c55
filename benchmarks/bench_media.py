"""Media benchmarks for issue 7: MP4 export speed, and the kiosk's frames during an export.

1. A 30-second 720p film at 12 fps (360 frames of a moving synthetic pattern) exported to
   MP4: export time / 30 s (goal <= 0.5x, must stay < 1x).
2. The kiosk's frame at 1920x1080 (attract screen, full repaint, paced at 30 fps on the
   dummy driver) while an export runs, against the same frames with nothing running,
   alternating block by block: main-thread CPU per frame (goal <= 2x) and wall time per
   frame (GIL or CPU contention shows there, not in thread CPU).

Nothing here fails on a threshold (STYLE habit 9).

    python benchmarks/bench_media.py [--quick] [--only export|ui]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench_shell import SIZE, Row, child_env, ms, paired_ratio, print_summary

FILM_SECONDS = 30
FILM_FPS = 12
FILM_SIZE = (1280, 720)
EXPORT_TARGET = 0.5
UI_TARGET = 2.0
FRAME_S = 1 / 30


@dataclass(frozen=True)
class Plan:
    export_runs: int
    ui_rounds: int
    frames_per_block: int


FULL = Plan(export_runs=3, ui_rounds=5, frames_per_block=90)
QUICK = Plan(export_runs=1, ui_rounds=2, frames_per_block=60)


def make_film(folder: Path) -> Path:
    """A film creation folder as the studio writes it: one PNG and one shot per frame."""
    import pygame
    from PIL import Image

    from kiosk.media.camera import SyntheticCamera

    camera = SyntheticCamera(FILM_SIZE, fps=FILM_FPS, seed=5)
    (folder / "render").mkdir(parents=True)
    timeline = []
    for n in range(FILM_SECONDS * FILM_FPS):
        rel = f"render/{n + 1:04d}.png"
        frame = pygame.image.tobytes(camera.frame(n), "RGB")
        Image.frombytes("RGB", FILM_SIZE, frame).save(folder / rel, compress_level=1)
        timeline.append({"image": rel, "seconds": 1 / FILM_FPS, "audio": None})
    meta = {"schema": 1, "id": folder.name, "kind": "film", "state": "saved"}
    meta.update(data={"fps": FILM_FPS}, timeline=timeline, pages=[timeline[0]["image"]])
    (folder / "creation.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_export(plan: Plan, film: Path, out: Path) -> list[Row]:
    from kiosk.media import export_creation, probe

    print(f"\n== 1. export of a {FILM_SECONDS} s {FILM_SIZE[1]}p film at {FILM_FPS} fps to MP4")
    print(f"  {'run':>4} {'wall':>8} {'x real time':>12} {'ffmpeg CPU':>11} {'python CPU':>11}")
    walls: list[float] = []
    cpus: list[float] = []
    for run in range(plan.export_runs):
        target = out / f"film-{run}.mp4"
        child0, own0, began = children_cpu(), time.process_time(), time.perf_counter()
        export_creation(film, "mp4", target)
        wall = time.perf_counter() - began
        child, own = children_cpu() - child0, time.process_time() - own0
        walls.append(wall)
        cpus.append(child + own)
        print(
            f"  {run + 1:>4} {wall:>7.2f}s {wall / FILM_SECONDS:>11.3f}x "
            f"{child:>10.2f}s {own:>10.2f}s"
        )
    info = probe(out / "film-0.mp4")
    print(
        f"  output: {info.frames} frames, {info.duration_s:.2f} s, {info.width}x{info.height}, "
        f"{info.video_codec} {info.pix_fmt}, {(out / 'film-0.mp4').stat().st_size // 1024} kB"
    )
    ratio = statistics.median(walls) / FILM_SECONDS
    print(
        f"  CPU per run (all processes): {statistics.median(cpus):.2f} s = "
        f"{statistics.median(cpus) / FILM_SECONDS:.3f}x real time of one core; on a busy "
        "machine this is steadier than the wall time"
    )
    return [
        Row(
            "MP4 export, 30 s 720p film",
            f"{statistics.median(walls):.2f} s",
            f"{FILM_SECONDS} s",
            ratio,
            f"<= {EXPORT_TARGET}x (< 1x)",
            ratio <= EXPORT_TARGET,
        )
    ]


@dataclass
class Block:
    cpu: list[float]
    wall: list[float]


def paced_frames(draw: Callable[[], None], frames: int) -> Block:
    """`frames` frames at 30 fps: main-thread CPU and wall time of each draw."""
    block = Block([], [])
    next_at = time.perf_counter()
    for _ in range(frames):
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        draw()
        block.cpu.append(time.thread_time() - cpu0)
        block.wall.append(time.perf_counter() - wall0)
        next_at += FRAME_S
        pause = next_at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            next_at = time.perf_counter()
    return block


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def bench_ui(plan: Plan, film: Path, out: Path) -> list[Row]:
    from kiosk.config import load_config
    from kiosk.harness import Harness
    from kiosk.media import ExportJob

    print(
        f"\n== 2. kiosk frame at {SIZE[0]}x{SIZE[1]} (attract, full repaint, 30 fps) during an "
        f"export vs idle ({plan.ui_rounds} rounds x {plan.frames_per_block} frames)"
    )
    rows: list[Row] = []
    with Harness(load_config(), size=SIZE) as harness:
        app = harness.app

        def draw() -> None:
            harness.step()  # events, update and the steady repaint …
            app.invalidate()  # … then a full repaint: the frame's upper bound
            app.render()

        paced_frames(draw, 30)  # warm caches
        for fmt in ("mp4", "gif"):
            idle_cpu, busy_cpu, idle_wall, busy_wall = [], [], [], []
            worst_idle, worst_busy = [], []
            p95_idle: list[float] = []
            p95_busy: list[float] = []
            for round_ in range(plan.ui_rounds):
                idle = paced_frames(draw, plan.frames_per_block)
                job = ExportJob(film, fmt, out / f"ui-{round_}.{fmt}").start()
                time.sleep(0.3)  # past ffmpeg's start-up: measure the steady encode
                busy = paced_frames(draw, plan.frames_per_block)
                still_running = not job.done
                job.cancel()
                job.wait(60)
                if not still_running:
                    print(f"  warning: the {fmt} export ended before its block did")
                idle_cpu.append(statistics.median(idle.cpu))
                busy_cpu.append(statistics.median(busy.cpu))
                idle_wall.append(statistics.median(idle.wall))
                busy_wall.append(statistics.median(busy.wall))
                worst_idle.append(max(idle.wall))
                worst_busy.append(max(busy.wall))
                p95_idle.extend(idle.wall)
                p95_busy.extend(busy.wall)
            cpu_ratio = paired_ratio(busy_cpu, idle_cpu)
            wall_ratio = paired_ratio(busy_wall, idle_wall)
            print(
                f"  {fmt}: CPU/frame idle {ms(statistics.median(idle_cpu))}, during export "
                f"{ms(statistics.median(busy_cpu))} ({cpu_ratio:.2f}x); wall/frame idle "
                f"{ms(statistics.median(idle_wall))}, during export "
                f"{ms(statistics.median(busy_wall))} ({wall_ratio:.2f}x); p95 wall idle "
                f"{ms(p95(p95_idle))}, during export {ms(p95(p95_busy))}; longest frame idle "
                f"{ms(max(worst_idle))}, during export {ms(max(worst_busy))}"
            )
            rows.append(
                Row(
                    f"CPU/frame during {fmt} export",
                    ms(statistics.median(busy_cpu)),
                    ms(statistics.median(idle_cpu)),
                    cpu_ratio,
                    f"<= {UI_TARGET}x",
                    cpu_ratio <= UI_TARGET,
                )
            )
            rows.append(
                Row(
                    f"wall/frame during {fmt} export",
                    ms(statistics.median(busy_wall)),
                    ms(statistics.median(idle_wall)),
                    wall_ratio,
                    f"<= {UI_TARGET}x",
                    wall_ratio <= UI_TARGET,
                )
            )
    return rows


SECTIONS = {"export": bench_export, "ui": bench_ui}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append")
    args = parser.parse_args(argv)
    os.environ.update(child_env())
    plan = QUICK if args.quick else FULL
    print(
        f"bench_media: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{'quick' if args.quick else 'full'} plan"
    )
    rows: list[Row] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-media-") as tmp:
        began = time.perf_counter()
        film = make_film(Path(tmp) / "film-bench")
        made = time.perf_counter() - began
        print(f"  made the film's {FILM_SECONDS * FILM_FPS} PNGs in {made:.1f} s")
        out = Path(tmp) / "out"
        out.mkdir()
        for name, section in SECTIONS.items():
            if args.only and name not in args.only:
                continue
            try:
                rows += section(plan, film, out)
            except Exception:
                traceback.print_exc()
                failed.append(name)
    print_summary(rows, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
