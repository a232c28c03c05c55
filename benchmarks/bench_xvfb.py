"""Telpa on a real display server: Xvfb, side by side with a bare pygame-ce window.

SDL's dummy driver never presents a frame, so bench_shell.py cannot see what a library PC
pays to put pixels on its screen. This benchmark starts Debian's Xvfb (a real X server,
software rendering) at 1920×1080 and, in interleaved rounds, runs in it

- **bare**: a bare pygame-ce window with the same SDL settings (fullscreen, one fill and
  flip, then a 20 Hz event loop that draws nothing more), and
- **kiosk**: the real `kiosk run` (supervisor and shell) on the demo config, with a
  throwaway data folder and a PIN so the panel can be opened.

For each it reports, watching the X screen itself (XGetImage on the root window, not the
app's own log):

- *first pixels*: the first capture that differs from the empty screen;
- *complete*: the first capture within 5 % of the pixels of the settled screen (for an
  animated screen, of any capture in its last second);
- RSS and PSS of the whole process tree (the supervisor included) once settled;
- CPU of the tree, % of one core, over a window on each static screen: the attract screen
  (after `--attract-after` seconds), and for the kiosk also the launcher, a game waiting
  for input (Memory pairs' level picker) and the librarian panel, reached with real key
  presses (xdotool).

A last section runs the shell in-process on the same X server and plays Memory pairs,
timing every frame's wall time including the present (`display.update`), to show the
longest frame during play on a real display.

Like every benchmark here it never fails on a figure (STYLE habit 9): exit 0 whatever it
measures, 1 only when a section could not run.

    python benchmarks/bench_xvfb.py            # 3 rounds, 30 s windows: about 9 minutes
    python benchmarks/bench_xvfb.py --quick    # 1 round, 8 s windows: about 3.5 minutes
    SDL_FRAMEBUFFER_ACCELERATION=1 python benchmarks/bench_xvfb.py --quick   # SDL's other path

Needs Linux with Xvfb, xdotool and libX11 (Debian: xvfb, xdotool).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops

SIZE = (1920, 1080)
COMPLETE_TOLERANCE = 0.05  # "complete": within 5 % of the settled screen's pixels
CHANGED_LEVEL = 24  # a pixel differs when a channel differs by more than this
PIN = "4862"
TARGETS = {
    "complete": 1.5,  # ≤ 1.5× the bare window's complete first screen
    "rss_extra_mb": 60.0,  # ≤ bare + 60 MB
    "attract_cpu": 1.5,  # ≤ 1.5× the bare window's idle CPU
    "static_cpu_points": 0.5,  # launcher, game, panel within 0.5 points of bare idle
    "frame_ms": 50.0,
}

BARE_WINDOW = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame
    pygame.display.init()
    screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
    screen.fill((36, 110, 190))
    pygame.display.flip()
    clock = pygame.time.Clock()
    while True:
        for event in pygame.event.get():
            pass
        clock.tick(20)
    """
)


# --- the X screen ---------------------------------------------------------------------


class _XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.c_void_p),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


class XScreen:
    """Reads the root window's pixels: what a person in front of the screen would see."""

    def __init__(self, display: str) -> None:
        path = ctypes.util.find_library("X11")
        if path is None:
            raise RuntimeError("libX11 is not installed")
        x = ctypes.CDLL(path)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XGetImage.restype = ctypes.POINTER(_XImage)
        x.XGetImage.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_ulong,
            ctypes.c_int,
        ]
        x.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x = x
        self._display = x.XOpenDisplay(display.encode())
        if not self._display:
            raise RuntimeError(f"cannot open X display {display}")
        self._root = x.XDefaultRootWindow(self._display)

    def grab(self) -> Image.Image:
        all_planes, z_pixmap = 0xFFFFFFFF, 2
        image = self._x.XGetImage(
            self._display, self._root, 0, 0, SIZE[0], SIZE[1], all_planes, z_pixmap
        )
        if not image:
            raise RuntimeError("XGetImage failed")
        try:
            info = image.contents
            data = ctypes.string_at(info.data, info.bytes_per_line * info.height)
        finally:
            self._x.XDestroyImage(image)
        picture = Image.frombuffer("RGBX", SIZE, data, "raw", "BGRX", 0, 1)
        # Quarter size is plenty to tell "complete" and keeps a run's captures small.
        return picture.convert("RGB").reduce(4)

    def close(self) -> None:
        self._x.XCloseDisplay(self._display)


def changed_fraction(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > CHANGED_LEVEL else 0)
    return diff.histogram()[255] / (diff.width * diff.height)


# --- processes -------------------------------------------------------------------------


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of the tree so far: every thread's time on a CPU in nanoseconds
    (/proc/PID/task/TID/schedstat), so an 8 s window of an idle screen reads to a few
    microseconds — /proc/PID/stat's utime and stime count 10 ms ticks, ±0.125 points over
    8 s, which is the size of the differences the idle targets are about. Falls back to
    those ticks where the kernel keeps no schedstat."""
    total_ns, ticks = 0, 0
    for member in tree(pid):
        try:
            tasks = os.listdir(f"/proc/{member}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                schedstat = Path(f"/proc/{member}/task/{task}/schedstat").read_text()
                total_ns += int(schedstat.split()[0])
            except (OSError, ValueError, IndexError):
                try:
                    stat = Path(f"/proc/{member}/task/{task}/stat").read_text()
                    fields = stat.rsplit(")", 1)[1].split()
                    ticks += int(fields[11]) + int(fields[12])  # utime + stime
                except (OSError, ValueError, IndexError):
                    continue
    return total_ns / 1e9 + ticks / os.sysconf("SC_CLK_TCK")


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of the tree in MB. RSS counts shared libraries once per process, PSS
    shares them out, so PSS is what the tree really costs the machine."""
    rss = pss = 0
    for member in tree(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Xvfb:
    def __init__(self, number: int) -> None:
        self.display = f":{number}"
        self.process = subprocess.Popen(
            [
                "Xvfb",
                self.display,
                "-screen",
                "0",
                f"{SIZE[0]}x{SIZE[1]}x24",
                "-br",
                "-nolisten",
                "tcp",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        time.sleep(0.2)

    def close(self) -> None:
        stop(self.process)


def free_display_number() -> int:
    for number in range(90, 140):
        if not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


# --- one run ---------------------------------------------------------------------------


@dataclass
class Run:
    first_pixels_s: float = float("nan")
    complete_s: float = float("nan")
    rss_mb: float = float("nan")
    pss_mb: float = float("nan")
    cpu_pct: dict[str, float] = field(default_factory=dict)


@dataclass
class Setup:
    quick: bool
    window_s: float
    attract_after_s: float
    folder: Path
    env: dict[str, str]


def kiosk_command(setup: Setup) -> list[str]:
    kiosk = Path(sys.executable).with_name("kiosk")
    return [str(kiosk), "run", "--config", str(setup.folder / "config.yaml")]


def bare_command() -> list[str]:
    return [sys.executable, "-c", BARE_WINDOW]


def watch_first_screen(
    screen: XScreen, started: float, settle_s: float
) -> tuple[float, float, Image.Image]:
    empty = screen.grab()
    captures: list[tuple[float, Image.Image]] = []
    while time.monotonic() - started < settle_s:
        before = time.monotonic()
        picture = screen.grab()
        captures.append(((before + time.monotonic()) / 2 - started, picture))
    # An animated screen (the attract screen's bobbing pictures) never settles on one
    # picture: "settled" is every capture of the last second, and a capture is complete
    # when it is within the tolerance of any of them.
    end = captures[-1][0]
    settled = [p for t, p in captures if t >= end - 1.0]
    first = next((t for t, p in captures if changed_fraction(p, empty) > 0.01), float("nan"))
    complete = next(
        (
            t
            for t, p in captures
            if min(changed_fraction(p, s) for s in settled) <= COMPLETE_TOLERANCE
        ),
        float("nan"),
    )
    return first, complete, settled[-1]


def cpu_over(pid: int, seconds: float) -> float:
    start_cpu, start = tree_cpu_s(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (tree_cpu_s(pid) - start_cpu) / (time.monotonic() - start)


def keys(display: str, *names: str) -> None:
    for name in names:
        subprocess.run(
            ["xdotool", "key", "--clearmodifiers", name],
            env={**os.environ, "DISPLAY": display},
            check=True,
        )
        time.sleep(0.4)


def measure(subject: str, setup: Setup, start_only: bool = False) -> Run:
    xvfb = Xvfb(free_display_number())
    screen = XScreen(xvfb.display)
    env = {**setup.env, "DISPLAY": xvfb.display}
    command = bare_command() if subject == "bare" else kiosk_command(setup)
    run = Run()
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        settle_s = 4.0 if setup.quick else 6.0
        run.first_pixels_s, run.complete_s, attract = watch_first_screen(screen, started, settle_s)
        run.rss_mb, run.pss_mb = tree_memory_mb(process.pid)
        if start_only:
            return run
        wait = setup.attract_after_s - (time.monotonic() - started)
        if wait > 0:
            time.sleep(wait)
        run.cpu_pct["attract"] = cpu_over(process.pid, setup.window_s)
        if subject == "kiosk":
            keys(xvfb.display, "Return")  # attract → launcher (the bench config skips ages)
            time.sleep(2)
            launcher = screen.grab()
            run.cpu_pct["launcher"] = cpu_over(process.pid, setup.window_s)
            keys(xvfb.display, "Tab", "Return")  # the first tile: Memory pairs
            time.sleep(2)
            game = screen.grab()
            run.cpu_pct["game waiting"] = cpu_over(process.pid, setup.window_s)
            for name, picture, other in (("launcher", launcher, attract), ("game", game, launcher)):
                if changed_fraction(picture, other) < 0.05:
                    print(f"  (!) the {name} screen was not reached: its CPU is not what it says")
            keys(xvfb.display, "ctrl+alt+l", *PIN, "Return")
            time.sleep(2)
            run.cpu_pct["panel"] = cpu_over(process.pid, setup.window_s)
    finally:
        stop(process)
        screen.close()
        xvfb.close()
    return run


def prepare(folder: Path) -> None:
    demo = Path(__file__).resolve().parent.parent / "config.yaml"
    text = demo.read_text(encoding="utf-8")
    text = text.replace("age_picker: true", "age_picker: false")
    text = text.replace("  data_dir: ", f"  data_dir: {folder / 'data'} ", 1)
    (folder / "config.yaml").write_text(text, encoding="utf-8")
    subprocess.run(
        [
            str(Path(sys.executable).with_name("kiosk")),
            "set-pin",
            "--stdin",
            "--config",
            str(folder / "config.yaml"),
        ],
        input=f"{PIN}\n{PIN}\n".encode(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # A station that has run before: its database exists at the newest schema. (The very
    # first start also creates and migrates it, once in a station's life.)
    subprocess.run(
        [
            str(Path(sys.executable).with_name("kiosk")),
            "db",
            "--config",
            str(folder / "config.yaml"),
            "upgrade",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# --- frames during play -----------------------------------------------------------------


FRAMES_SCRIPT = textwrap.dedent(
    """
    import json, statistics, sys, time
    import pygame
    import kiosk.harness
    from kiosk.config import load_config
    from kiosk.harness import Harness

    # The harness picks SDL's dummy driver; here the frames go to the real X server.
    kiosk.harness.use_headless_drivers = lambda: None

    frames = []
    with Harness(load_config(), size=(1920, 1080)) as kiosk:
        app = kiosk.app
        kiosk.tap_button("start")
        kiosk.step(30)
        kiosk.tap_button("tile:memory")
        kiosk.step(30)
        # Every frame from here is timed, those that handle a tap included.
        untimed_step = app.step

        def timed_step(dt):
            started = time.perf_counter()
            untimed_step(dt)
            frames.append((time.perf_counter() - started) * 1000)

        app.step = timed_step
        for n in range(int(sys.argv[1]) // 8):
            # One tap every 8 frames: a card when a round is on, else a button (a level,
            # "play again"), so cards keep flipping and rounds keep starting.
            game = getattr(app.top, "activity", None)
            cards = [c for c in getattr(game, "cards", []) if not (c.face_up or c.matched)]
            buttons = [b for b in kiosk.buttons() if not b.id.startswith("home")]
            if cards:
                kiosk.click(cards[n % len(cards)].rect.center, frames=7)
            elif buttons:
                kiosk.tap_button(buttons[n % len(buttons)].id)
                kiosk.step(6)
            else:
                kiosk.step(8)
    frames.sort()
    print(json.dumps({"n": len(frames), "median": statistics.median(frames),
                      "p95": frames[int(0.95 * (len(frames) - 1))], "max": frames[-1]}))
    """
)


def frames_on_display(setup: Setup) -> dict[str, float]:
    xvfb = Xvfb(free_display_number())
    try:
        env = {**setup.env, "DISPLAY": xvfb.display}
        result = subprocess.run(
            [sys.executable, "-c", FRAMES_SCRIPT, "300" if setup.quick else "1500"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        import json

        return dict(json.loads(result.stdout.strip().splitlines()[-1]))
    finally:
        xvfb.close()


# --- report ----------------------------------------------------------------------------


def med(values: list[float]) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 round, short windows")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3, quick 1)")
    parser.add_argument("--window", type=float, help="seconds of CPU per screen (30, quick 8)")
    parser.add_argument(
        "--attract-after",
        type=float,
        help="measure the attract screen's CPU from this many seconds after start "
        "(default 65, quick 62: the attract screen rests after a quiet minute, and the target "
        "is for the resting screen)",
    )
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            print(f"bench_xvfb: {tool} is not installed (Debian: apt-get install xvfb xdotool)")
            return 1
    rounds = args.rounds or (1 if args.quick else 3)
    status = 0
    # As installed: a wheel install and the bundle carry compiled bytecode, so compile the
    # program once here (into the git-ignored __pycache__ folders) — otherwise, under
    # PYTHONDONTWRITEBYTECODE, every start would compile Telpa's sources again while the
    # bare window's pygame is already compiled.
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(root / "kiosk"), str(root / "games")],
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        check=False,
        stdout=subprocess.DEVNULL,
    )
    with tempfile.TemporaryDirectory(prefix="telpa-xvfb-") as tmp:
        env = {key: value for key, value in os.environ.items() if not key.startswith("SDL_")}
        # Both sides with the same SDL settings: the kiosk's own default on Linux (0, the
        # plain window surface) unless the variable is given to compare the other path.
        env["SDL_FRAMEBUFFER_ACCELERATION"] = os.environ.get("SDL_FRAMEBUFFER_ACCELERATION", "0")
        env.update(
            {
                "SDL_VIDEODRIVER": "x11",
                "SDL_AUDIODRIVER": "dummy",
                "PYGAME_HIDE_SUPPORT_PROMPT": "1",
                "KIOSK_CONFIG": str(Path(tmp) / "config.yaml"),
            }
        )
        env.pop("KIOSK_DATA_DIR", None)
        setup = Setup(
            quick=args.quick,
            window_s=args.window or (8.0 if args.quick else 30.0),
            attract_after_s=args.attract_after or (62.0 if args.quick else 65.0),
            folder=Path(tmp),
            env=env,
        )
        prepare(setup.folder)
        accel = env["SDL_FRAMEBUFFER_ACCELERATION"]
        print(
            f"Xvfb {SIZE[0]}x{SIZE[1]}x24, SDL_FRAMEBUFFER_ACCELERATION={accel}, "
            f"{rounds} round(s), CPU windows of {setup.window_s:.0f} s, attract measured "
            f"from {setup.attract_after_s:.0f} s"
        )
        runs: dict[str, list[Run]] = {"bare": [], "kiosk": []}
        cold: Run | None = None
        try:
            # A station's very first start has no picture of its attract screen yet
            # (kiosk.first_frame); it keeps one for every later start, which the rounds
            # measure.
            shutil.rmtree(setup.folder / "data" / "cache", ignore_errors=True)
            cold = measure("kiosk", setup, start_only=True)
            print(
                f"  first start ever (no kept picture): first pixels "
                f"{cold.first_pixels_s:.2f} s, complete {cold.complete_s:.2f} s"
            )
            for number in range(rounds):
                order = ("bare", "kiosk") if number % 2 == 0 else ("kiosk", "bare")
                for subject in order:
                    runs[subject].append(measure(subject, setup))
                    r = runs[subject][-1]
                    print(
                        f"  round {number + 1} {subject:5}: first pixels {r.first_pixels_s:.2f} s, "
                        f"complete {r.complete_s:.2f} s, RSS {r.rss_mb:.0f} MB, "
                        f"PSS {r.pss_mb:.0f} MB, CPU "
                        + ", ".join(f"{k} {v:.1f} %" for k, v in r.cpu_pct.items())
                    )
        except Exception:
            traceback.print_exc()
            status = 1
        frames: dict[str, float] = {}
        try:
            frames = frames_on_display(setup)
        except Exception:
            traceback.print_exc()
            status = 1

    if runs["bare"] and runs["kiosk"]:
        bare, kiosk = runs["bare"], runs["kiosk"]

        def figure(runs_: list[Run], name: str) -> float:
            return med([getattr(r, name) for r in runs_])

        def cpu(runs_: list[Run], screen: str) -> float:
            return med([r.cpu_pct.get(screen, float("nan")) for r in runs_])

        rows = []
        b, k = figure(bare, "first_pixels_s"), figure(kiosk, "first_pixels_s")
        rows.append(("first pixels", f"{k:.2f} s", f"{b:.2f} s", f"{k / b:.2f}×", "", ""))
        b, k = figure(bare, "complete_s"), figure(kiosk, "complete_s")
        ok = k / b <= TARGETS["complete"]
        rows.append(
            (
                "complete first screen",
                f"{k:.2f} s",
                f"{b:.2f} s",
                f"{k / b:.2f}×",
                "≤ 1.5×",
                "OK" if ok else "OVER",
            )
        )
        if cold is not None:
            k = cold.complete_s
            rows.append(("  first start ever", f"{k:.2f} s", f"{b:.2f} s", f"{k / b:.2f}×", "", ""))
        b, k = figure(bare, "rss_mb"), figure(kiosk, "rss_mb")
        ok = k - b <= TARGETS["rss_extra_mb"]
        rows.append(
            (
                "RSS of the tree",
                f"{k:.0f} MB",
                f"{b:.0f} MB",
                f"+{k - b:.0f} MB",
                "≤ +60 MB",
                "OK" if ok else "OVER",
            )
        )
        b, k = figure(bare, "pss_mb"), figure(kiosk, "pss_mb")
        rows.append(("PSS of the tree", f"{k:.0f} MB", f"{b:.0f} MB", f"+{k - b:.0f} MB", "", ""))
        idle = cpu(bare, "attract")
        k = cpu(kiosk, "attract")
        ok = k <= max(TARGETS["attract_cpu"] * idle, idle + 0.2)
        rows.append(
            (
                "CPU, attract screen",
                f"{k:.1f} %",
                f"{idle:.1f} %",
                f"{k / idle:.2f}×" if idle else "-",
                "≤ 1.5×",
                "OK" if ok else "OVER",
            )
        )
        for screen in ("launcher", "game waiting", "panel"):
            k = cpu(kiosk, screen)
            ok = k - idle <= TARGETS["static_cpu_points"]
            rows.append(
                (
                    f"CPU, {screen}",
                    f"{k:.1f} %",
                    f"{idle:.1f} %",
                    f"{k - idle:+.1f} pt",
                    "≤ +0.5 pt",
                    "OK" if ok else "OVER",
                )
            )
        if frames:
            ok = frames["max"] <= TARGETS["frame_ms"]
            rows.append(
                (
                    "frame during play (max)",
                    f"{frames['max']:.1f} ms",
                    f"median {frames['median']:.1f}",
                    f"p95 {frames['p95']:.1f}",
                    "≤ 50 ms",
                    "OK" if ok else "OVER",
                )
            )
        print()
        header = ("measure", "kiosk", "bare window", "ratio", "target", "")
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(6)]
        for row in [header, *rows]:
            print(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
