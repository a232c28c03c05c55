"""Voice clips recorded in the pack editor with the browser's microphone, made into what the
kiosk plays, and carried by the pack.

A recording arrives as the browser's MediaRecorder made it: WebM or Ogg with Opus in
Chromium and Firefox (WAV is taken too). It is hostile until checked (`voice_clip`): at
most `MAX_RECORDING_BYTES`, its container told by its first bytes (never by its name or
the browser's word), its sound decoded by the ffmpeg that imageio-ffmpeg ships in its own
process with a time limit, only from that container's demuxer and only when the stream is
Opus, Vorbis or PCM, and at most `MAX_CLIP_SECONDS` of it. The quiet before and after the
voice is cut (`trim_silence`), and the samples — plain numbers, nothing of the upload —
are encoded afresh as Ogg Vorbis (the kiosk plays Ogg
Vorbis and WAV, not Opus: docs/content.md), and the result passes the kiosk's own clip
check (`kiosk.voice.clips.clip_info`: length, not silent) before the office keeps it.

The office keeps a clip like a photo, in the content-addressed file store by its sha256;
the editor's form carries only that sha256, in a hidden field ``voice_<text field>`` next
to the text (``voice_q0_prompt_lv``). When the pack is written, `write_audio` puts each
kept clip in ``audio/`` and lists it under ``audio:`` in pack.yaml, keyed by its text
exactly as written, which is how the kiosk finds the clip for a text it reads out."""

from __future__ import annotations

import re
import subprocess
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.errors import TelpaError
from kiosk.packs.safety import PackFileError
from kiosk.voice.clips import MAX_CLIP_SECONDS, SILENT_PEAK, clip_info

#: A recording as the browser sends it: 20 s of Opus is about 100 KB, of 48 kHz stereo
#: 16-bit WAV 3.8 MB. Under the HTTPS proxy's 5 MB (docs/office.md), so the librarian gets
#: the office's own message, and under the kiosk's limit for a clip (`MAX_CLIP_BYTES`).
MAX_RECORDING_BYTES = 4_000_000
#: Seconds ffmpeg may take for one recording (20 s of Opus takes a few hundredths).
CONVERT_TIMEOUT_S = 20.0
#: The kiosk's mixer runs at 22,050 Hz mono (kiosk.sound); a voice needs no more.
CLIP_RATE = 22050
#: libvorbis quality (-1…10): 4 is about 64 kbit/s mono, clear speech, ~150 KB for 20 s.
VORBIS_QUALITY = 4
#: A recording shorter than this has nothing said in it (a click on Record then Stop).
MIN_SECONDS = 0.3
#: Quiet before and after the voice is cut (`trim_silence`) down to this margin; "quiet" is
#: below this share of the recording's loudest moment.
TRIM_MARGIN_S = 0.2
TRIM_LEVEL = 0.05
#: The containers a browser's MediaRecorder makes, by their first bytes → ffmpeg's demuxer.
_CONTAINERS = (
    (b"\x1a\x45\xdf\xa3", "matroska"),  # WebM is Matroska
    (b"OggS", "ogg"),
)
_SOUND_CODECS = re.compile(r"Audio: (opus|vorbis|pcm_[a-z0-9]+)\b")
#: The form field of a text ("q0_prompt_lv", "title_en") → its clip's hidden field.
VOICE_PREFIX = "voice_"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TEXT_FIELD = re.compile(r"^[a-z0-9_]{1,60}_(lv|lt|en)$")
#: The folder of a pack the editor puts its clips in.
AUDIO_FOLDER = "audio"


def N_(message: str) -> str:
    return message


class RecordingError(TelpaError):
    """A recording the editor cannot use. `str()` is the English message; `message_id` and
    `params` give the librarian's own language (``gettext(message_id) % params``)."""

    code = "editor_recording"

    def __init__(self, message_id: str, status: int = 422, **params: Any) -> None:
        super().__init__(message_id % params)
        self.message_id = message_id
        self.params = params
        #: The HTTP status the editor answers with (413: too large, 422: the rest).
        self.status = status


@dataclass(frozen=True)
class VoiceClip:
    #: Ogg Vorbis, mono, `CLIP_RATE` Hz, checked as the kiosk checks a pack's clip.
    data: bytes
    seconds: float


def too_large() -> RecordingError:
    return RecordingError(
        N_("The recording is over %(mb)d MB; a clip says one text in at most %(s)d s."),
        status=413,
        mb=MAX_RECORDING_BYTES // 1_000_000,
        s=int(MAX_CLIP_SECONDS),
    )


def _container(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    for magic, demuxer in _CONTAINERS:
        if data.startswith(magic):
            return demuxer
    raise RecordingError(
        N_("This is not a recording the office can read (it takes WebM, Ogg or WAV sound).")
    )


def _ffmpeg(command: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    from kiosk.media.ffmpeg import ffmpeg_exe
    from kiosk.system import helper_creation_flags

    try:
        return subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-nostdin", *command],
            input=data,
            capture_output=True,
            timeout=CONVERT_TIMEOUT_S,
            check=False,
            creationflags=helper_creation_flags(),
        )
    except subprocess.TimeoutExpired:
        raise RecordingError(N_("The recording took too long to read; record it again.")) from None
    except OSError as exc:
        raise RecordingError(
            N_("The office could not convert the recording: ffmpeg did not run (%(error)s)."),
            status=500,
            error=exc,
        ) from None


def decode_recording(data: bytes) -> array[int]:
    """The sound of a browser's recording as 16-bit mono samples at `CLIP_RATE` (at most
    a second past `MAX_CLIP_SECONDS`). Raises RecordingError saying what is wrong."""
    if not data:
        raise RecordingError(N_("The recording is empty; record it again."))
    if len(data) > MAX_RECORDING_BYTES:
        raise too_large()
    demuxer = _container(data)
    done = _ffmpeg(
        [
            "-protocol_whitelist",
            "pipe",
            "-f",
            demuxer,
            "-i",
            "pipe:0",
            "-map",
            "0:a:0",
            "-t",
            str(MAX_CLIP_SECONDS + 1),
            "-ac",
            "1",
            "-ar",
            str(CLIP_RATE),
            "-f",
            "s16le",
            "pipe:1",
        ],
        data,
    )
    report = done.stderr.decode("utf-8", "replace")
    if not _SOUND_CODECS.search(report):
        raise RecordingError(
            N_("This is not a recording the office can read (it takes WebM, Ogg or WAV sound).")
        )
    if done.returncode != 0 or not done.stdout:
        raise RecordingError(N_("The recording is damaged or cut short; record it again."))
    samples = array("h")
    samples.frombytes(done.stdout[: len(done.stdout) - len(done.stdout) % 2])
    return samples


def encode_vorbis(samples: array[int]) -> bytes:
    """Samples (16-bit mono at `CLIP_RATE`) as an Ogg Vorbis file."""
    done = _ffmpeg(
        [
            "-f",
            "s16le",
            "-ar",
            str(CLIP_RATE),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-c:a",
            "libvorbis",
            "-q:a",
            str(VORBIS_QUALITY),
            "-map_metadata",
            "-1",
            # The same sound makes the same file (Ogg's stream serial is random otherwise),
            # so a clip recorded twice the same is kept once.
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-f",
            "ogg",
            "pipe:1",
        ],
        samples.tobytes(),
    )
    if done.returncode != 0 or not done.stdout:
        raise RecordingError(
            N_("The office could not convert the recording (ffmpeg: %(error)s)."),
            status=500,
            error=" ".join(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]),
        )
    return done.stdout


def trim_silence(samples: array[int]) -> array[int]:
    """The recording without the quiet before the voice starts and after it ends (the
    moments between pressing Record and speaking, and speaking and pressing Stop), keeping
    `TRIM_MARGIN_S` of each so no soft first or last sound is cut. A recording with no
    sound above the threshold is left whole: the kiosk's check then calls it silent."""
    if not samples:
        return samples
    loudest = max(max(samples), -min(samples))
    threshold = max(int(SILENT_PEAK * 32768), int(loudest * TRIM_LEVEL))
    loud = [i for i in range(0, len(samples), 64) if abs(samples[i]) >= threshold]
    if not loud:
        return samples
    margin = int(TRIM_MARGIN_S * CLIP_RATE)
    return samples[max(0, loud[0] - margin) : min(len(samples), loud[-1] + 64 + margin)]


def voice_clip(data: bytes) -> VoiceClip:
    """The Ogg Vorbis clip the kiosk gets for the browser's recording `data`.
    Raises RecordingError (too large, not sound, damaged, too long, too short, silent)."""
    samples = decode_recording(data)
    seconds = len(samples) / CLIP_RATE
    if seconds > MAX_CLIP_SECONDS:
        raise RecordingError(
            N_("The recording is longer than %(s)d s; say just the text it belongs to."),
            s=int(MAX_CLIP_SECONDS),
        )
    samples = trim_silence(samples)
    if len(samples) / CLIP_RATE < MIN_SECONDS:
        raise RecordingError(N_("The recording has no sound in it; record it again."))
    ogg = encode_vorbis(samples)
    try:
        info = clip_info(ogg, "recording.ogg")
    except PackFileError as exc:
        if "silent" in exc.message:
            raise RecordingError(
                N_(
                    "The recording is silent: check that the microphone is on and not "
                    "muted, and record it again."
                )
            ) from None
        raise RecordingError(
            N_("The recording cannot be played on the kiosks (%(error)s); record it again."),
            error=exc.message,
        ) from None
    return VoiceClip(ogg, info.seconds)


# --- clips in the draft and the pack -------------------------------------------------------


def voices_from_form(form: Mapping[str, object]) -> dict[str, str]:
    """The kept clips of a submitted editor form: text field → the clip's sha256 (fields
    and values that are not what the page sends are dropped)."""
    found = {}
    for key, value in form.items():
        if not key.startswith(VOICE_PREFIX):
            continue
        field = key.removeprefix(VOICE_PREFIX)
        sha = str(value or "")
        if _TEXT_FIELD.match(field) and SHA256.match(sha):
            found[field] = sha
    return found


def clip_path(field: str) -> str:
    return f"{AUDIO_FOLDER}/{field}.ogg"


@dataclass(frozen=True)
class AudioLine:
    #: The line of pack.yaml (indented under ``audio:`` and its language).
    text: str
    #: The form field the line is about (the text the clip belongs to).
    field: str


def write_audio(
    folder: Path,
    voices: Mapping[str, str],
    text_of: Callable[[str], str],
    langs: list[str],
    read: Callable[[str], bytes | None],
    quoted: Callable[[str], str],
) -> list[AudioLine]:
    """Write the kept clips of a draft into `folder`/audio and return the lines of the
    ``audio:`` section of pack.yaml (none without clips). `text_of(field)` is the text of
    a form field as the pack has it ("" for none); `read(sha256)` a stored clip's bytes.

    A clip of a text left empty or in a language the pack leaves out is not written; two
    fields with the same text in one language share the first one's clip (pack.yaml has one
    line per text). A clip that is no longer at the office is written as missing, so the
    kiosk's check names it next to its field."""
    by_lang: dict[str, list[AudioLine]] = {}
    seen: set[tuple[str, str]] = set()
    for field, sha in voices.items():
        lang = field.rsplit("_", 1)[-1]
        text = text_of(field).strip()
        if lang not in langs or not text or (lang, text) in seen:
            continue
        seen.add((lang, text))
        data = read(sha)
        if data is not None:
            (folder / AUDIO_FOLDER).mkdir(exist_ok=True)
            (folder / clip_path(field)).write_bytes(data)
        by_lang.setdefault(lang, []).append(
            AudioLine(f"    {quoted(text)}: {clip_path(field)}", field)
        )
    lines = []
    for lang in langs:
        if lang in by_lang:
            lines.append(AudioLine(f"  {lang}:", by_lang[lang][0].field))
            lines += by_lang[lang]
    return [AudioLine("audio:", lines[0].field), *lines] if lines else []


def voices_from_pack(
    audio: Mapping[str, Mapping[str, str]],
    fields_of_text: Callable[[str, str], list[str]],
    files: Mapping[str, str],
) -> dict[str, str]:
    """A published pack's clips back in the form: for each language and text under
    ``audio:``, every field with that text (`fields_of_text(lang, text)`) gets the clip's
    sha256 (`files` maps the pack's paths to their sha256)."""
    found = {}
    for lang, clips in audio.items():
        for text, path in clips.items():
            sha = files.get(path, "")
            if not sha:
                continue
            for field in fields_of_text(str(lang), text.strip()):
                found[field] = sha
    return found
