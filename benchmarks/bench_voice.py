"""Voice benchmark (not a test): how soon a child hears a text after tapping its speaker.

A headless kiosk (`kiosk.harness.Harness`, 1920×1080, a fresh data folder) runs its frame
loop at 30 frames a second like `App.run`, with SDL's *disk* audio driver in real time
(`SDL_DISKAUDIODELAY` left at its default: one 512-sample buffer every 23 ms, as a sound
card takes them). A reader thread follows the driver's output file and notes when the
first audible sample of each utterance is written: that is when a speaker would play it.

(a) tap → first audio sample, median and p95, for
    - a text warmed before the tap (`ctx.warm_speech`, the sound waiting in memory),
    - a text synthesised earlier, in the disk cache (a new kiosk: nothing in memory),
    - a question never synthesised before (eSpeak NG runs after the tap).
    Goals: ≤ 100 ms cached, ≤ 350 ms uncached.
(b) the render thread's worst frame (wall time of one `step`) while the worker synthesises
    a screenful of long texts, against the worst frame of the same loop with the voice
    idle. Goal: ≤ 50 ms.

    python benchmarks/bench_voice.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from array import array
from pathlib import Path

FPS = 30
LOUD = 200
#: The kiosk's mixer: 22050 Hz, 16-bit mono, 512-sample buffers (kiosk.sound).
BYTES_PER_S = 22050 * 2
DRIVER_CHUNK = 512 * 2


class FirstSound(threading.Thread):
    """Follows the disk driver's output file; `arm()`, then `heard_at` is the time the
    first audible sample after arming was handed to the "sound card".

    The driver writes one mixer buffer (`DRIVER_CHUNK` bytes) each buffer-time, but
    through stdio, so the file grows in 4096-byte steps: the step that shows a sample is
    seen when the driver wrote the step's last byte. The driver writes in real time, so
    the sample's own buffer was written (step end − that buffer's end) / byte rate earlier."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.armed_at: float | None = None
        self.heard_at: float | None = None
        self.stopped = False

    def arm(self) -> None:
        self.heard_at = None
        self.armed_at = time.perf_counter()

    def run(self) -> None:
        while not self.path.exists():
            time.sleep(0.001)
        offset = 0
        with self.path.open("rb") as file:
            while not self.stopped:
                if os.path.getsize(self.path) < offset:  # a new kiosk opened it anew
                    file.seek(0)
                    offset = 0
                data = file.read()
                now = time.perf_counter()
                if not data:
                    time.sleep(0.0005)
                    continue
                start, offset = offset, offset + len(data)
                if self.armed_at is None or self.heard_at is not None:
                    continue
                samples = array("h")
                samples.frombytes(data[: len(data) - len(data) % 2])
                loud = next((i for i, s in enumerate(samples) if abs(s) > LOUD), None)
                if loud is not None:
                    byte = start + 2 * loud
                    buffer_end = (byte // DRIVER_CHUNK + 1) * DRIVER_CHUNK
                    self.heard_at = now - max(0, offset - buffer_end) / BYTES_PER_S
                if len(data) % 2:
                    file.seek(-1, os.SEEK_CUR)
                    offset -= 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-voice-"))
    out = folder / "out.raw"
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "disk"
    os.environ["SDL_DISKAUDIOFILE"] = str(out)
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    import pygame

    from kiosk.harness import Harness

    fps = pygame.time.Clock()
    listener = FirstSound(out)
    listener.start()

    def frames_until(
        harness: Harness, done: object, limit_s: float = 5.0, repaint: bool = False
    ) -> list[float]:
        """Run frames at FPS until done() (or the limit); the wall time of each step, a
        full 1920×1080 repaint in each when `repaint`."""
        times = []
        end = time.perf_counter() + limit_s
        while not done() and time.perf_counter() < end:  # type: ignore[operator]
            start = time.perf_counter()
            if repaint:
                harness.app.invalidate()
            harness.step()
            times.append(time.perf_counter() - start)
            fps.tick(FPS)
        return times

    def tap_to_sound(harness: Harness, text: str) -> float | None:
        voice = harness.app.voice
        voice.stop()
        frames_until(harness, lambda: False, 0.15)  # let the last buffers of speech pass
        listener.arm()
        voice.say(text, "lv")  # what a speaker button's on_press does
        frames_until(harness, lambda: listener.heard_at is not None, 3.0)
        if listener.heard_at is None or listener.armed_at is None:
            return None
        return listener.heard_at - listener.armed_at

    questions = [f"Kas strādā slimnīcā numur {n}? Ārsts, medmāsa vai pavārs?" for n in range(400)]
    data = folder / "data"

    def kiosk() -> Harness:
        harness = Harness(size=(1920, 1080), data_folder=data)
        harness.tap_button("start")
        return harness

    results: dict[str, list[float]] = {"warmed": [], "cached": [], "uncached": []}
    harness = kiosk()
    if not harness.app.voice.available:
        print("no sound device on the disk driver: nothing measured")
        return 1
    # Warm-up: eSpeak's first use loads its library and data; shown, not counted.
    first_ever = tap_to_sound(harness, "Sveiki!")
    rounds = args.rounds
    for n in range(rounds):
        latency = tap_to_sound(harness, questions[n])
        if latency is not None:
            results["uncached"].append(latency)
    for n in range(rounds):
        harness.app.voice.warm([questions[rounds + n]], "lv")
        harness.app.voice.wait_idle()
        latency = tap_to_sound(harness, questions[rounds + n])
        if latency is not None:
            results["warmed"].append(latency)
    harness.close()
    # A new kiosk: the first `rounds` questions are in the disk cache, none in memory.
    harness = kiosk()
    tap_to_sound(harness, "Sveiki!")
    for n in range(rounds):
        latency = tap_to_sound(harness, questions[n])
        if latency is not None:
            results["cached"].append(latency)
    synthesised_again = harness.app.voice.synthesised

    # (b) worst frame: the same loop with the voice idle, then while it synthesises.
    idle_frames = frames_until(harness, lambda: False, 3.0, repaint=True)
    voice = harness.app.voice
    before = voice.synthesised
    long_texts = [q + " " + q + " " + q for q in questions[300:360]]
    voice.warm(long_texts, "lv")
    busy_frames: list[float] = []
    end = time.perf_counter() + 30
    while voice.synthesised - before < len(long_texts) and time.perf_counter() < end:
        start = time.perf_counter()
        harness.app.invalidate()
        harness.step()
        busy_frames.append(time.perf_counter() - start)
        fps.tick(FPS)
    synthesised_busy = voice.synthesised - before
    busy_s = time.perf_counter() - (end - 30)
    harness.close()
    listener.stopped = True

    print(f"bench_voice: {rounds} rounds each, disk audio driver in real time, {FPS} fps loop")
    print(f"{'measure':44} {'median':>9} {'p95':>9} {'goal':>9}  verdict")
    goals = {"warmed": 0.100, "cached": 0.100, "uncached": 0.350}
    labels = {
        "warmed": "tap → first sample, warmed (in memory)",
        "cached": "tap → first sample, cached on disk",
        "uncached": "tap → first sample, not yet synthesised",
    }
    for name in ("warmed", "cached", "uncached"):
        values = results[name]
        if not values:
            print(f"{labels[name]:44} no sound heard")
            continue
        med, p95 = statistics.median(values), percentile(values, 0.95)
        verdict = "OK" if p95 <= goals[name] else "OVER"
        print(
            f"{labels[name]:44} {med * 1000:7.1f}ms {p95 * 1000:7.1f}ms "
            f"{goals[name] * 1000:7.0f}ms  {verdict}"
        )
    print(f"  (the second kiosk synthesised {synthesised_again} texts again; 0 expected)")
    if first_ever is not None:
        print(f"  the first text after start (eSpeak NG loads): {first_ever * 1000:.1f} ms")
    buffer_ms = 512 / 22050 * 1000
    print(f"  for scale: one frame is {1000 / FPS:.1f} ms, one audio buffer {buffer_ms:.1f} ms")
    worst_idle, worst_busy = max(idle_frames), max(busy_frames)
    print(f"{'worst frame, voice idle':44} {worst_idle * 1000:7.1f}ms ({len(idle_frames)} frames)")
    verdict = "OK" if worst_busy <= 0.050 else "OVER"
    print(
        f"{'worst frame, while synthesising':44} {worst_busy * 1000:7.1f}ms "
        f"({len(busy_frames)} frames, {synthesised_busy} long texts in {busy_s:.1f} s) "
        f"goal 50 ms  {verdict}"
    )
    ratio = worst_busy / worst_idle if worst_idle else float("nan")
    print(f"{'  ratio busy / idle worst frame':44} {ratio:7.2f}×")
    med_u = statistics.median(results["uncached"]) if results["uncached"] else float("nan")
    med_c = statistics.median(results["cached"]) if results["cached"] else float("nan")
    print(f"{'  ratio uncached / cached median':44} {med_u / med_c:7.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
