"""eSpeak NG, the offline speech synthesiser, driven through ctypes.

The library and its language data come from the `espeakng-loader` wheel (Linux and
Windows), so nothing has to be installed on a library PC. libespeak-ng keeps its state in
globals and is not thread-safe: it is initialised once per process and used under one
lock, in the kiosk only by the voice worker thread (`kiosk.voice.service`). It runs in
AUDIO_OUTPUT_SYNCHRONOUS mode: the samples come back through a callback before
`espeak_Synth` returns, 16-bit mono at the rate `espeak_Initialize` reports (22050 Hz).

The C API is espeak-ng's `speak_lib.h`; the constants below are copied from it.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from array import array
from dataclasses import dataclass

from kiosk.errors import TelpaError

log = logging.getLogger(__name__)

# speak_lib.h
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_POS_CHARACTER = 1
_EE_OK = 0
_RATE = 1
_VOLUME = 2
_PITCH = 3

#: The eSpeak voice for each of Telpa's languages (files in espeak-ng-data/lang/…).
VOICES = {"lv": "lv", "lt": "lt", "en": "en"}
#: A sample louder than this (of 32768) is where speech begins.
LEAD_THRESHOLD = 100
#: Words per minute eSpeak accepts (speak_lib.h: espeakRATE_MINIMUM/MAXIMUM).
RATE_RANGE = (80, 450)


class SpeechUnavailable(TelpaError):
    """eSpeak NG cannot be used on this computer; `str()` says why and what to do."""

    code = "speech_unavailable"


class _Event(ctypes.Structure):
    # espeak_EVENT: only `type` is read; the rest keeps the layout right.
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_void_p),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class Speech:
    """Synthesised speech: 16-bit signed little-endian mono samples at `rate` Hz."""

    samples: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / 2 / self.rate

    def without_leading_silence(self) -> Speech:
        """eSpeak starts with up to 60 ms of near-silence (a plosive's closure); a child who
        taps should hear the word at once. 10 ms before the first audible sample stay;
        speech with no audible sample becomes empty."""
        sound = array("h")
        sound.frombytes(self.samples[: len(self.samples) - len(self.samples) % 2])
        for index, value in enumerate(sound):
            if value > LEAD_THRESHOLD or value < -LEAD_THRESHOLD:
                start = max(0, index - self.rate // 100)
                return Speech(sound[start:].tobytes(), self.rate)
        return Speech(b"", self.rate)


class _Library:
    """The one libespeak-ng of the process, initialised once (its state is global)."""

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:
            raise SpeechUnavailable(
                "the espeakng-loader package is missing; reinstall Telpa"
            ) from None
        library = espeakng_loader.get_library_path()
        try:
            data = espeakng_loader.get_data_path()
            self.lib = lib = ctypes.CDLL(library)
        except (OSError, RuntimeError) as exc:
            raise SpeechUnavailable(
                f"eSpeak NG could not be loaded from {library} ({exc}); reinstall Telpa"
            ) from None
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        # DONT_EXIT: without it a missing data folder ends the whole process.
        rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode("utf-8"), _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise SpeechUnavailable(
                f"eSpeak NG did not start (its data folder {data} may be damaged); reinstall Telpa"
            )
        self.rate = rate
        self.version = (lib.espeak_Info(None) or b"?").decode("ascii", "replace")
        self.chunks: list[bytes] = []
        # Kept here: ctypes frees a callback that nothing references.
        self.callback = _SynthCallback(self._collect)
        lib.espeak_SetSynthCallback(self.callback)
        self.voice: str | None = None
        self.params: tuple[int, int] | None = None
        log.info("eSpeak NG %s ready (%d Hz)", self.version, rate)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: object) -> int:
        if wav and count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0


#: libespeak-ng keeps one state per process: it is initialised once and used by one
#: thread at a time. In the kiosk only the voice worker uses it; the lock is for the
#: rare second user (tests and tools that build several kiosks in one process).
_LOCK = threading.Lock()
_LIBRARY: _Library | None = None


class Espeak:
    """eSpeak NG for one voice worker (the library behind it is shared and locked)."""

    def __init__(self) -> None:
        global _LIBRARY
        with _LOCK:
            if _LIBRARY is None:
                _LIBRARY = _Library()
            self._library = _LIBRARY
        self.rate = self._library.rate
        self.version = self._library.version

    def synthesise(self, text: str, lang: str, rate: int = 150, pitch: int = 50) -> Speech:
        """Speak `text` in `lang` ("lv", "lt", "en") into samples. Raises SpeechUnavailable
        when this eSpeak has no voice for the language."""
        voice = VOICES.get(lang)
        if voice is None:
            raise SpeechUnavailable(f"no voice for the language {lang!r}")
        low, high = RATE_RANGE
        params = (max(low, min(high, rate)), max(0, min(99, pitch)))
        with _LOCK:
            return self._synthesise_locked(self._library, text, voice, params)

    def _synthesise_locked(
        self, library: _Library, text: str, voice: str, params: tuple[int, int]
    ) -> Speech:
        lib = library.lib
        if voice != library.voice:
            if lib.espeak_SetVoiceByName(voice.encode("ascii")) != _EE_OK:
                # eSpeak keeps the previous voice then: never speak Latvian with it.
                library.voice = None
                raise SpeechUnavailable(f"eSpeak NG has no {voice!r} voice; reinstall Telpa")
            library.voice = voice
            library.params = None  # a new voice starts from its own defaults
        if params != library.params:
            lib.espeak_SetParameter(_RATE, params[0], 0)
            lib.espeak_SetParameter(_PITCH, params[1], 0)
            lib.espeak_SetParameter(_VOLUME, 100, 0)
            library.params = params
        data = text.encode("utf-8") + b"\0"
        library.chunks = []
        status = lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        samples = b"".join(library.chunks)
        library.chunks = []
        if status != _EE_OK:
            raise SpeechUnavailable(f"eSpeak NG could not speak this text (error {status})")
        return Speech(samples, library.rate)
