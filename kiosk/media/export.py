"""Exporting a creation folder as MP4, GIF, PDF or PNG, safely and off the render thread.

    export_creation(folder, fmt, out, progress=None, cancel=None) -> Path
    ExportJob(folder, fmt, out).start()  # the same in a child process, for the panel

Inputs are the rendered pictures the tools write into creation.json (`timeline` for MP4
and GIF, `pages` for PDF and PNG); the creation folder is only ever read.

Safety: every format is written to `<out>.part` in the target folder, flushed and fsynced,
then renamed to `<out>`. A cancelled or failed export removes the `.part`; a killed one
(power cut, `kill -9` of the kiosk or of ffmpeg) can leave only a `.part`, never a file
with the finished name that is not finished.

Errors: one exception, `ExportError`, with a stable `.code` the librarian panel translates
and an English `.detail` for the log:

    ExportError
      code "creation_invalid"   creation.json or a picture/sound it names is missing or bad
      code "format_unsupported" e.g. PNG asked for a film
      code "target_full"        the USB stick or folder has no room left
      code "target_readonly"    the target cannot be written (read-only, missing, not a folder)
      code "encoder_failed"     ffmpeg stopped with an error (its last lines in .detail)
      code "cancelled"          cancel was set

MP4: H.264 (libx264, yuv420p, `-preset veryfast`, `-threads 1`), 1280×720, +faststart.
Frames are fitted (letterboxed on white) with Pillow and piped to ffmpeg as raw RGB, one
per output frame: every shot lasts exactly round(cumulative seconds × fps) frames, so
durations are exact to a frame. A film runs at its own fps (`data["fps"]`, or the smallest
rate at which every shot is a whole number of frames); stories and drawings at 25 fps.
Audio: when any shot has narration, and always for a story, an AAC track is built by
ffmpeg filters: each shot's WAV trimmed or padded with silence to the shot's exact length,
silence for shots without one, all concatenated. A film without narration has no audio
stream. GIF: 640 px wide with per-frame durations (Pillow). PDF: one A4 landscape page per
`pages` entry at 150 dpi (Pillow). PNG: a copy of a drawing's picture.
"""

from __future__ import annotations

import collections
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from PIL import Image

from kiosk.media.ffmpeg import ENCODER_NICENESS, Encoder
from kiosk.media.target import (
    ExportError,
    PartFile,
    check_cancel,
    stderr_error,
    target_error,
)
from kiosk.media.timeline import (
    VIDEO_SIZE,
    WHITE,
    CreationMedia,
    Shot,
    fit,
    frame_counts,
    gif_durations_ms,
    load_rgb,
    read_creation,
    video_fps,
)
from kiosk.system import helper_creation_flags

log = logging.getLogger(__name__)

Format = Literal["mp4", "gif", "pdf", "png"]
FORMATS: tuple[Format, ...] = ("mp4", "gif", "pdf", "png")

AUDIO_RATE = 48000
GIF_WIDTH = 640
PDF_DPI = 150
#: A4 landscape at PDF_DPI, with a 10 mm margin around the picture.
PDF_PAGE = (round(297 / 25.4 * PDF_DPI), round(210 / 25.4 * PDF_DPI))
PDF_MARGIN = round(10 / 25.4 * PDF_DPI)

ProgressCallback = Callable[[float], None]


# -- formats ----------------------------------------------------------------------------


def _mp4(
    creation: CreationMedia,
    target: PartFile,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    if not creation.shots:
        raise ExportError("creation_invalid", f"{creation.folder}: the timeline is empty")
    fps = video_fps(creation)
    counts = frame_counts([s.seconds for s in creation.shots], fps)
    total = sum(counts)
    if total == 0:
        raise ExportError("creation_invalid", f"{creation.folder}: the timeline is too short")
    with_audio = creation.kind == "story" or any(s.audio for s in creation.shots)
    w, h = VIDEO_SIZE
    args = ["-filter_threads", "1", "-filter_complex_threads", "1"]
    args += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", f"{fps:g}"]
    args += ["-i", "pipe:0"]
    if with_audio:
        args += _audio_args(creation.shots, counts, fps)
    # veryfast and one thread: a 720p film encodes several times faster than real time on
    # one core of a modest PC and leaves the other core to the kiosk (benchmarks/README).
    args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-threads", "1"]
    args += ["-pix_fmt", "yuv420p", "-r", f"{fps:g}", "-frames:v", str(total)]
    if creation.kind != "film":
        args += ["-tune", "stillimage"]
    # "file:" so that a name with a colon is never taken for an ffmpeg protocol.
    args += ["-movflags", "+faststart", "-f", "mp4", f"file:{target.part}"]
    target.open().close()  # a clear target error before any encoding work
    encoder = Encoder(args)
    try:
        written = 0
        for frame, count in _prepared_frames(creation.shots, counts):
            for _ in range(count):
                check_cancel(cancel)
                encoder.write(frame)
                written += 1
                # ffmpeg's own count lags by x264's look-ahead; the frames handed over
                # lead by the pipe. Their mean moves smoothly and ends at the end.
                progress(0.98 * (encoder.frames_done + written) / (2 * total))
        status = encoder.finish()
    except BrokenPipeError:
        status = encoder.finish()
        text = encoder.error_text or f"ffmpeg exited with {status}"
        raise stderr_error(text, target.out) from None
    except BaseException:
        encoder.kill()
        raise
    if status != 0:
        raise stderr_error(encoder.error_text or f"ffmpeg exited with {status}", target.out)


def _prepared_frames(shots: list[Shot], counts: list[int]) -> Iterator[tuple[bytes, int]]:
    """(raw 1280×720 RGB frame, how many times) per shot, the next one decoded on a helper
    thread while the current one is piped: Pillow lets go of the GIL while it decodes and
    scales, so the two overlap."""

    def prepare(shot: Shot) -> bytes:
        return fit(load_rgb(shot.image), VIDEO_SIZE).tobytes()

    work = [(shot, count) for shot, count in zip(shots, counts, strict=True) if count > 0]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export frames") as pool:
        ahead = pool.submit(prepare, work[0][0]) if work else None
        for i, (_shot, count) in enumerate(work):
            assert ahead is not None
            frame = ahead.result()
            ahead = pool.submit(prepare, work[i + 1][0]) if i + 1 < len(work) else None
            try:
                yield frame, count
            except GeneratorExit:
                if ahead is not None:
                    ahead.cancel()
                raise


def _audio_args(shots: list[Shot], counts: list[int], fps: float) -> list[str]:
    """ffmpeg inputs and a filter graph giving one mono AAC track that lines up with the
    shots: each shot's sound padded with silence (or cut) to its exact number of samples."""
    inputs: list[str] = []
    parts: list[str] = []
    labels: list[str] = []
    frames_before = 0
    for i, (shot, count) in enumerate(zip(shots, counts, strict=True)):
        start = round(frames_before * AUDIO_RATE / fps)
        frames_before += count
        samples = round(frames_before * AUDIO_RATE / fps) - start
        if samples <= 0:
            continue
        trim = f"apad,atrim=end_sample={samples},asetpts=N/SR/TB[a{i}]"
        if shot.audio is not None:
            index = 1 + len(inputs) // 2
            inputs += ["-i", f"file:{shot.audio}"]
            fmt = f"aresample={AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=mono"
            parts.append(f"[{index}:a]{fmt},{trim}")
        else:
            parts.append(f"anullsrc=r={AUDIO_RATE}:cl=mono,{trim}")
        labels.append(f"[a{i}]")
    graph = ";".join(parts) + ";" + "".join(labels) + f"concat=n={len(labels)}:v=0:a=1[aout]"
    return inputs + [
        "-filter_complex",
        graph,
        "-map",
        "0:v:0",
        "-map",
        "[aout]",
        "-c:a",
        "aac",
        "-b:a",
        "96k",
        "-ar",
        str(AUDIO_RATE),
    ]


def _gif(
    creation: CreationMedia,
    target: PartFile,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    if not creation.shots:
        raise ExportError("creation_invalid", f"{creation.folder}: the timeline is empty")
    first = load_rgb(creation.shots[0].image)
    height = max(2, min(GIF_WIDTH, round(GIF_WIDTH * first.height / first.width / 2) * 2))
    size = (GIF_WIDTH, height)
    frames: list[Image.Image] = []
    for i, shot in enumerate(creation.shots):
        check_cancel(cancel)
        picture = first if i == 0 else load_rgb(shot.image)
        # One adaptive palette per frame (fast octree); Pillow stores only the changed
        # rectangle of each frame, which keeps stop-motion GIFs small.
        frames.append(fit(picture, size).quantize(256, method=Image.Quantize.FASTOCTREE))
        progress(0.8 * (i + 1) / len(creation.shots))
    durations = gif_durations_ms([s.seconds for s in creation.shots])
    check_cancel(cancel)
    with target.open() as f:
        try:
            frames[0].save(
                f,
                format="GIF",
                save_all=True,
                append_images=frames[1:],
                duration=durations,
                loop=0,
                disposal=1,
            )
        except OSError as exc:
            raise target_error(exc, target.part) from exc


def _pdf(
    creation: CreationMedia,
    target: PartFile,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    if not creation.pages:
        raise ExportError("creation_invalid", f"{creation.folder}: it has no pages")
    box = (PDF_PAGE[0] - 2 * PDF_MARGIN, PDF_PAGE[1] - 2 * PDF_MARGIN)
    pages: list[Image.Image] = []
    for i, path in enumerate(creation.pages):
        check_cancel(cancel)
        page = Image.new("RGB", PDF_PAGE, WHITE)
        picture = fit(load_rgb(path), box)
        page.paste(picture, (PDF_MARGIN, PDF_MARGIN))
        pages.append(page)
        progress(0.8 * (i + 1) / len(creation.pages))
    check_cancel(cancel)
    # Pillow's PDF writer seeks back and forth in its output: it writes to memory (a page
    # is a few hundred kB), and the target gets one plain write.
    document = io.BytesIO()
    pages[0].save(
        document,
        format="PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=PDF_DPI,
        quality=90,
    )
    with target.open() as f:
        try:
            f.write(document.getbuffer())
        except OSError as exc:
            raise target_error(exc, target.part) from exc


def _png(
    creation: CreationMedia,
    target: PartFile,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> None:
    if creation.kind != "drawing":
        raise ExportError("format_unsupported", f"PNG is for drawings, not a {creation.kind}")
    source = creation.pages[0] if creation.pages else None
    if source is None and creation.shots:
        source = creation.shots[0].image
    if source is None:
        raise ExportError("creation_invalid", f"{creation.folder}: it has no picture")
    load_rgb(source)  # a broken picture is the creation's fault, said before writing
    with target.open() as f, source.open("rb") as src:
        try:
            shutil.copyfileobj(src, f)
        except OSError as exc:
            raise target_error(exc, target.part) from exc


_WRITERS = {"mp4": _mp4, "gif": _gif, "pdf": _pdf, "png": _png}


def export_creation(
    folder: Path,
    fmt: str,
    out: Path,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Export the creation in `folder` as `fmt` to `out`; return `out` when finished.

    `progress` is called with 0..1 from the calling thread; setting `cancel` stops the
    export soon after. Raises ExportError (see the module docstring); the creation folder
    is never changed, and `out` exists only when the export finished."""
    if fmt not in _WRITERS:
        raise ExportError("format_unsupported", f"unknown export format {fmt!r}")
    out = Path(out)
    creation = read_creation(Path(folder))
    if not out.parent.is_dir():
        raise ExportError("target_readonly", f"{out.parent} cannot be written (not a folder)")
    report = progress or (lambda value: None)
    target = PartFile(out)
    try:
        _WRITERS[fmt](creation, target, report, cancel)
        check_cancel(cancel)
        result = target.commit()
    except ExportError as exc:
        target.discard()
        log.info("export of %s as %s failed: %s", folder, fmt, exc)
        raise
    except OSError as exc:
        target.discard()
        raise target_error(exc, out) from exc
    except BaseException:
        target.discard()
        raise
    report(1.0)
    return result


def export_filename(creation_id: str, fmt: str) -> str:
    """A safe file name for a creation's export, e.g. 'film-20261126-101500-a1b2c3.mp4'."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", creation_id).strip("-") or "creation"
    return f"{stem}.{fmt}"


class ExportJob:
    """One export in a child process (`python -m kiosk.media`, see kiosk/media/__main__.py),
    watched from a thread, at a lower priority. The kiosk process does no export work: Pillow
    holds the GIL in parts of GIF and PDF making (quantising, saving), which stalled the
    render thread for hundreds of milliseconds when exports ran on a thread
    (benchmarks/README.md, bench_media).

    Read `progress` (0..1), `done`, `code` and `error`
    (English detail) when it failed, `result` (the finished path) when it succeeded;
    `cancel()` stops it. Every attribute is safe to read from the render thread."""

    def __init__(self, folder: Path, fmt: str, out: Path) -> None:
        self.folder = Path(folder)
        self.fmt = fmt
        self.out = Path(out)
        self.progress = 0.0
        self.done = False
        self.error: str | None = None
        self.code: str | None = None
        self.result: Path | None = None
        self._cancelled = threading.Event()
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> ExportJob:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"export {self.out.name}", daemon=True
            )
            self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the export to stop; `done` follows soon, with code "cancelled"."""
        self._cancelled.set()
        self._tell_child("cancel\n")

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the end (tests, shutdown); True when done."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.done

    def _tell_child(self, line: str) -> None:
        with self._lock:
            process = self._process
            if process is None or process.stdin is None:
                return
            try:
                process.stdin.write(line)
                process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass  # already gone: its end is reported by _run

    def _run(self) -> None:
        try:
            self._watch()
        except Exception as exc:  # a bug must not kill the kiosk: report it like a failure
            log.exception("export of %s failed", self.folder)
            self.code, self.error = "encoder_failed", f"unexpected error: {exc}"
        finally:
            self.done = True

    def _watch(self) -> None:
        command = [sys.executable, "-m", "kiosk.media", str(self.folder), self.fmt]
        env = {**os.environ, "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
        with self._lock:
            self._process = process = subprocess.Popen(
                [*command, str(self.out)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                creationflags=helper_creation_flags(),
            )
        try:
            os.setpriority(os.PRIO_PROCESS, process.pid, ENCODER_NICENESS)
        except (AttributeError, OSError):
            pass
        if self._cancelled.is_set():
            self._tell_child("cancel\n")
        errors: collections.deque[str] = collections.deque(maxlen=30)
        assert process.stdout is not None and process.stderr is not None
        stderr = process.stderr
        reader = threading.Thread(target=lambda: errors.extend(stderr), daemon=True)
        reader.start()
        finished = False
        for line in process.stdout:
            word, _, rest = line.rstrip("\n").partition(" ")
            if word == "progress":
                try:
                    self.progress = max(self.progress, min(1.0, float(rest)))
                except ValueError:
                    pass
            elif word == "done":
                self.result, self.progress, finished = Path(rest), 1.0, True
            elif word == "error":
                code, _, detail = rest.partition(" ")
                self.code, self.error, finished = code, json.loads(detail), True
        status = process.wait()
        reader.join(timeout=5)
        with self._lock:
            if process.stdin is not None:
                try:
                    process.stdin.close()
                except OSError:
                    pass
            self._process = None
        if not finished:
            # The child died without a word (killed, crashed): its `.part` is ours to
            # remove; a `.part` is never presented as finished anyway.
            self.out.with_name(self.out.name + ".part").unlink(missing_ok=True)
            self.code = "encoder_failed"
            self.error = f"the export process ended with status {status}:\n" + "".join(errors)
        if self.error:
            log.info("export of %s as %s: %s %s", self.folder, self.fmt, self.code, self.error)
