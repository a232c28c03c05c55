"""Recorded clips: what a pack's audio file must be, checked the same way everywhere.

A clip is a WAV (PCM, 8/16/24/32-bit) or an Ogg Vorbis file. `kiosk content check` and
the running kiosk both call `check_clip`, which opens the file only through
`kiosk.packs.safety.open_inside` (a regular file inside the pack, at most
`MAX_CLIP_BYTES`), decodes all of it and refuses a clip that is not audio, is silent, or
lasts longer than `MAX_CLIP_SECONDS`. Ogg Vorbis is decoded by the ffmpeg that
imageio-ffmpeg ships, in its own process with a time limit, so a damaged or hostile file
can neither crash nor hang the kiosk, and the check needs no sound device. No pygame here.

Exceptions: `PackFileError` (from kiosk.packs.safety), whose message says what to do.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

from kiosk.packs.safety import PackFileError, open_inside

#: A clip says one text: a question or an explanation takes a few seconds, never this long.
MAX_CLIP_SECONDS = 20.0
#: A clip's size on disk: 20 s of 48 kHz 16-bit stereo WAV is 3.8 MB.
MAX_CLIP_BYTES = 6_000_000
#: Below this peak (of full scale) a clip counts as silent: about -40 dB, quieter than
#: any voice recorded close to a microphone.
SILENT_PEAK = 0.01
CLIP_SUFFIXES = {".wav", ".ogg"}
#: Clips in one pack: the check decodes each (a few hundredths of a second), so this
#: bounds a pack's checking time; 600 is 100 words, questions and answers in 3 languages.
MAX_CLIP_FILES = 600
#: Seconds ffmpeg may take to decode one clip (a 20 s Vorbis file takes a few hundredths).
DECODE_TIMEOUT_S = 20.0
_DECODE_RATE = 16000


@dataclass(frozen=True)
class ClipInfo:
    seconds: float
    #: Loudest sample, 0.0–1.0 of full scale.
    peak: float
    #: Root mean square level, 0.0–1.0 of full scale.
    rms: float


def _levels(samples: array[int]) -> tuple[float, float]:
    if not samples:
        return 0.0, 0.0
    peak = max(max(samples), -min(samples)) / 32768
    # Every 4th sample is plenty for a level, at a quarter of the cost.
    part = samples[::4]
    rms = math.sqrt(sum(s * s for s in part) / len(part)) / 32768
    return peak, rms


def _to_int16(frames: bytes, width: int) -> array[int]:
    """Little-endian PCM of `width` bytes a sample → 16-bit samples (the top 16 bits)."""
    if width == 1:
        return array("h", ((b - 128) << 8 for b in frames))
    if width == 2:
        samples = array("h")
        samples.frombytes(frames[: len(frames) - len(frames) % 2])
        return samples
    top = bytearray(len(frames) // width * 2)
    top[0::2] = frames[width - 2 :: width]
    top[1::2] = frames[width - 1 :: width]
    samples = array("h")
    samples.frombytes(bytes(top))
    return samples


def wav_info(data: bytes, name: str) -> ClipInfo:
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, width = wav.getframerate(), wav.getsampwidth()
            channels, count = wav.getnchannels(), wav.getnframes()
            if rate <= 0 or channels <= 0 or width not in (1, 2, 3, 4):
                raise PackFileError(f"{name!r} is a WAV file of a kind Telpa cannot play")
            if count / rate > MAX_CLIP_SECONDS:
                raise _too_long(name, count / rate)
            frames = wav.readframes(count)
    except (wave.Error, EOFError) as exc:
        raise PackFileError(
            f"{name!r} is not a readable WAV file ({exc}); export it again as WAV or Ogg"
        ) from None
    if len(frames) < count * width * channels:
        raise PackFileError(f"{name!r} is cut short; copy or export it again")
    peak, rms = _levels(_to_int16(frames, width))
    return ClipInfo(count / rate, peak, rms)


def ogg_info(data: bytes, name: str) -> ClipInfo:
    import imageio_ffmpeg

    # Decode at most a little past the limit: a too-long clip costs no more than that.
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-i",
        "pipe:0",
        "-t",
        str(MAX_CLIP_SECONDS + 1),
        "-vn",
        "-ac",
        "1",
        "-ar",
        str(_DECODE_RATE),
        "-f",
        "s16le",
        "pipe:1",
    ]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=DECODE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise PackFileError(f"{name!r} took too long to read; export it again") from None
    except OSError as exc:
        raise PackFileError(f"{name!r} could not be checked: ffmpeg did not run ({exc})") from None
    errors = done.stderr.decode("utf-8", "replace")
    if not re.search(r"Audio: vorbis", errors):
        raise PackFileError(
            f"{name!r} is not Ogg Vorbis sound (Opus, FLAC and video are not played); "
            "export it as Ogg Vorbis or WAV"
        )
    if done.returncode != 0 or not done.stdout:
        raise PackFileError(f"{name!r} is damaged and cannot be played; export it again")
    samples = array("h")
    samples.frombytes(done.stdout[: len(done.stdout) - len(done.stdout) % 2])
    seconds = len(samples) / _DECODE_RATE
    if seconds > MAX_CLIP_SECONDS:
        raise _too_long(name, None)  # decoded only up to a second past the limit
    peak, rms = _levels(samples)
    return ClipInfo(seconds, peak, rms)


def _too_long(name: str, seconds: float | None) -> PackFileError:
    length = f"{seconds:.0f} s" if seconds is not None else f"over {MAX_CLIP_SECONDS:.0f} s"
    return PackFileError(
        f"{name!r} lasts {length}; a clip may last at most "
        f"{MAX_CLIP_SECONDS:.0f} s (say just the text it belongs to)"
    )


def clip_info(data: bytes, name: str) -> ClipInfo:
    """Decode a whole clip (WAV or Ogg Vorbis, told by its content, not its name) and
    measure it; PackFileError when it cannot be played or breaks a limit."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        info = wav_info(data, name)
    elif data[:4] == b"OggS":
        info = ogg_info(data, name)
    else:
        raise PackFileError(
            f"{name!r} is not a sound file (Telpa plays WAV and Ogg Vorbis); "
            "export the recording as one of these"
        )
    if info.seconds < 0.05:
        raise PackFileError(f"{name!r} has no sound in it; record it again")
    if info.peak < SILENT_PEAK:
        raise PackFileError(
            f"{name!r} is silent (check the microphone and its volume, and record it again)"
        )
    return info


def check_clip(folder: Path, relative: str) -> ClipInfo:
    """Check the clip `relative` of the pack in `folder`; PackFileError says what is wrong."""
    if Path(relative).suffix.lower() not in CLIP_SUFFIXES:
        raise PackFileError(f"{relative!r} is not a sound file name (use .ogg or .wav)")
    with open_inside(folder, relative, MAX_CLIP_BYTES) as file:
        data = file.read(MAX_CLIP_BYTES + 1)
    return clip_info(data, relative)
