"""`VoiceService`: reading texts aloud without ever holding up the screen.

The render thread calls `say(text, lang)`, `stop()` and `warm(texts, lang)`, which only
note what is wanted and return, and `update()` once a frame, which hands a ready sound to
the speech channel and ducks the other channels while it plays. Everything slow — eSpeak
NG (`kiosk.voice.espeak`, which is not thread-safe and so lives on this one thread),
files, decoding — happens on one worker thread, started at the first request.

Where the sound of a text comes from, first found wins:
1. a clip the librarian recorded on this station (`data/voice/<lang>/…wav`);
2. a clip of a content pack (`audio:` in pack.yaml, see docs/content.md);
3. Telpa's own recorded prompt, `assets/voice/<lang>/<key>.ogg`, for a `key` given;
4. the speech cache (`data/cache/speech`), else eSpeak NG, whose result is cached.
A clip that cannot be played or is silent gives way to the next source and is listed
in `problems` for the librarian panel. Without a sound device, with sound or speech
turned off in the config, `say()` does nothing and the API stays the same.
"""

from __future__ import annotations

import collections
import io
import logging
import queue
import re
import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

import pygame

from kiosk.config import SoundConfig
from kiosk.packs.models import Pack
from kiosk.packs.safety import PackFileError, open_inside
from kiosk.voice.cache import SpeechCache, speech_key, wav_bytes
from kiosk.voice.clips import MAX_CLIP_BYTES, SILENT_PEAK
from kiosk.voice.espeak import Espeak, Speech, SpeechUnavailable
from kiosk.voice.recordings import StationRecordings

log = logging.getLogger(__name__)

#: The mixer channel kept for speech (reserved, so feedback sounds never take it).
SPEECH_CHANNEL = 0
#: Sounds kept in memory, most recently used first: a warmed screen plays at once.
MEMORY_BYTES = 8_000_000
#: Texts waiting to be warmed; older ones are dropped (the child has moved on).
MAX_WARM_QUEUE = 64
_MAX_PROBLEMS = 50
#: Seconds `close()` waits for the worker to finish the text it is on.
CLOSE_WAIT_S = 2.0


class Synthesiser(Protocol):
    """What the worker needs from a speech engine (`Espeak`, or a test's counting one)."""

    version: str

    def synthesise(self, text: str, lang: str, rate: int = 150, pitch: int = 50) -> Speech: ...


@dataclass(frozen=True)
class _Request:
    serial: int
    text: str
    lang: str
    key: str | None
    #: A recording to play as it is (the librarian listens before keeping it).
    path: Path | None = None


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-")


class VoiceService:
    """Speech for one kiosk. Build it with `from_config`; `close()` at shutdown."""

    def __init__(
        self,
        *,
        settings: SoundConfig,
        cache_folder: Path | None,
        recordings_folder: Path | None = None,
        packs: Callable[[], list[tuple[Pack, Path]]] = list,
        prompts_folder: Path | None = None,
        engine_factory: Callable[[], Synthesiser] = Espeak,
        mixer_ready: bool | None = None,
    ) -> None:
        self.settings = settings
        if mixer_ready is None:
            mixer_ready = pygame.mixer.get_init() is not None
        #: Speech can be heard here: a sound device, sound and speech on in the config.
        self.available = bool(mixer_ready and settings.enabled and settings.speech)
        self.volume = settings.speech_volume
        self.muted = False
        #: Clips that could not be played, and why (for the librarian panel).
        self.problems: list[str] = []
        #: (text, language, clip file, why) for each clip that could not be played, so the
        #: panel can name them in the librarian's language.
        self.damaged_clips: list[tuple[str, str, str, str]] = []
        self._cache = (
            SpeechCache(cache_folder, settings.speech_cache_mb * 1_000_000)
            if cache_folder is not None
            else None
        )
        self.recordings = StationRecordings(recordings_folder)
        self._packs = packs
        self._prompts = prompts_folder
        self._engine_factory = engine_factory
        self._engine: Synthesiser | None = None
        self._engine_failed = False
        self._lock = threading.Condition()
        self._request: _Request | None = None
        self._warm: collections.OrderedDict[tuple[str, str], None] = collections.OrderedDict()
        self._busy = False
        self._closed = self._suspended = False  # suspended: `suspend`
        self._ready: queue.SimpleQueue[tuple[int, pygame.mixer.Sound]] = queue.SimpleQueue()
        self._memory: collections.OrderedDict[tuple[str, str], pygame.mixer.Sound] = (
            collections.OrderedDict()
        )
        self._memory_bytes = 0
        self._serial = 0
        self._wanted: int | None = None
        self._thread: threading.Thread | None = None
        self._channel: pygame.mixer.Channel | None = None
        self._ducked: dict[int, float] = {}
        self._music_volume: float | None = None
        #: Counters for tests and the benchmark: texts synthesised, sounds started.
        self.synthesised = 0
        self.started = 0

    @classmethod
    def from_config(
        cls,
        settings: SoundConfig,
        data_folder: Path | None,
        packs: Callable[[], list[tuple[Pack, Path]]],
        prompts_folder: Path | None,
    ) -> VoiceService:
        return cls(
            settings=settings,
            cache_folder=data_folder / "cache" / "speech" if data_folder else None,
            recordings_folder=data_folder / "voice" if data_folder else None,
            packs=packs,
            prompts_folder=prompts_folder,
        )

    # ----- the render thread's side -------------------------------------------------------

    def reads_aloud(self, age_band: str | None) -> bool:
        """Whether questions are read out by themselves for a child of `age_band`."""
        mode = self.settings.read_aloud
        return self.available and (mode == "always" or (mode == "youngest" and age_band == "6-8"))

    def say(self, text: str, lang: str, *, key: str | None = None) -> None:
        """Read `text` aloud in `lang`, replacing whatever is being said. Returns at once;
        the sound starts at a later `update()`. `key` names Telpa's own recorded prompt
        (assets/voice/<lang>/<key>.ogg) where there is one."""
        if not self.available or not text.strip():
            return
        self.stop()
        if self.muted:
            return
        self._serial += 1
        self._wanted = self._serial
        with self._lock:
            sound = self._memory.get((lang, text))
            if sound is not None:
                self._memory.move_to_end((lang, text))
                self._ready.put((self._serial, sound))
                return
            self._request = _Request(self._serial, text, lang, key)
            self._start_locked()
            self._lock.notify()

    def warm(self, texts: Iterable[str], lang: str) -> None:
        """Prepare these texts (e.g. the next screen's) so `say` plays them at once."""
        if not self.available:
            return
        with self._lock:
            for text in texts:
                if text.strip() and (lang, text) not in self._memory:
                    self._warm[(lang, text)] = None
                    self._warm.move_to_end((lang, text))
            while len(self._warm) > MAX_WARM_QUEUE:
                self._warm.popitem(last=False)
            if self._warm:
                self._start_locked()
                self._lock.notify()

    def stop(self) -> None:
        """Stop speaking now (the child moved on); a text still being prepared is dropped."""
        self._wanted = None
        with self._lock:
            self._request = None
        if self._channel is not None:
            self._channel.stop()
        self._restore_others()

    @property
    def speaking(self) -> bool:
        return self._channel is not None and self._channel.get_busy()

    def set_volume(self, volume: float) -> None:
        self.volume = max(0.0, min(1.0, volume))
        if self._channel is not None:
            self._channel.set_volume(self.volume)

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted:
            self.stop()

    @property
    def needs_update(self) -> bool:
        """`update` has something to do: a sound to start, other channels to restore."""
        return self._wanted is not None or bool(self._ducked) or self._music_volume is not None

    def suspend(self) -> bool:
        """Let go of the mixer before the sound device closes while the attract screen
        rests (kiosk.sound.SoundService.suspend): nothing is said until `resume`, and the
        sounds made for the device are dropped (the disk cache keeps what was synthesised).
        False while the worker is preparing a text: the device must then stay open."""
        if not self.available:
            return True  # it holds nothing of the mixer (or already let go)
        self.stop()
        with self._lock:
            self._warm.clear()
            if self._busy or self._request is not None:
                return False
            self._memory.clear()
            self._memory_bytes, self.available, self._suspended = 0, False, True
        self._ready = queue.SimpleQueue()  # the worker is idle: nothing is being put
        # The reopened mixer has no reserved channel: `_play` reserves it again.
        self._channel, self._music_volume = None, None
        self._ducked.clear()
        return True

    def resume(self, device_open: bool) -> None:
        """The sound device is open again (or could not be: `device_open` False)."""
        if self._suspended:
            self._suspended, self.available = False, device_open

    def update(self) -> None:
        """Once a frame, on the render thread: start a sound that became ready, keep the
        other channels ducked while speech plays and restore them after."""
        if not self.available:
            return
        while True:
            try:
                serial, sound = self._ready.get_nowait()
            except queue.Empty:
                break
            if serial == self._wanted:
                self._play(sound)
        if self._ducked or self._music_volume is not None:
            if self.speaking:
                self._duck_others()
            else:
                self._restore_others()

    def _play(self, sound: pygame.mixer.Sound) -> None:
        if self._channel is None:
            if pygame.mixer.get_num_channels() < 2:
                pygame.mixer.set_num_channels(8)
            pygame.mixer.set_reserved(SPEECH_CHANNEL + 1)
            self._channel = pygame.mixer.Channel(SPEECH_CHANNEL)
        self._wanted = None
        self._channel.play(sound)
        self._channel.set_volume(self.volume)
        self.started += 1
        self._duck_others()

    def _duck_others(self) -> None:
        duck = self.settings.speech_ducking
        for number in range(pygame.mixer.get_num_channels()):
            if number == SPEECH_CHANNEL:
                continue
            channel = pygame.mixer.Channel(number)
            # A feedback sound started during speech comes at full volume: duck it too.
            if self._ducked.get(number) != duck or channel.get_volume() > duck:
                channel.set_volume(duck)
                self._ducked[number] = duck
        if self._music_volume is None and pygame.mixer.music.get_busy():
            self._music_volume = pygame.mixer.music.get_volume()
            pygame.mixer.music.set_volume(self._music_volume * duck)

    def _restore_others(self) -> None:
        if not self.available:
            return
        for number in self._ducked:
            pygame.mixer.Channel(number).set_volume(1.0)
        self._ducked.clear()
        if self._music_volume is not None:
            pygame.mixer.music.set_volume(self._music_volume)
            self._music_volume = None

    # ----- librarian recordings ----------------------------------------------------------

    def keep_recording(self, text: str, lang: str, wav: Path) -> None:
        """Keep a librarian's recording (a WAV file, e.g. from the microphone) as the
        voice of `text` in `lang` on this station. Raises PackFileError when it is not
        usable (silent, too long, not WAV), with the message to show."""
        self.recordings.keep(text, lang, wav)
        with self._lock:
            self._forget(lang, text)

    def listen(self, wav: Path) -> None:
        """Play a recording as it is (e.g. the librarian's, before keeping it); like `say`
        it returns at once and replaces what is being said. Plays even when muted."""
        if not self.available:
            return
        self.stop()
        self._serial += 1
        self._wanted = self._serial
        with self._lock:
            self._request = _Request(self._serial, "", "", None, path=wav)
            self._start_locked()
            self._lock.notify()

    def texts_to_record(self, lang: str) -> list[tuple[str, str]]:
        """(pack id, text) for every text of the content packs in `lang`, for the panel's
        list of what a librarian may record. Reads the packs: call it off the render
        thread, or once the packs are read."""
        found: list[tuple[str, str]] = []
        for pack, _folder in self._packs():
            if lang in pack.languages:
                found += [(pack.pack, text) for text in sorted(pack.texts(lang))]
        return found

    def forget_recording(self, text: str, lang: str) -> None:
        """Remove the librarian's recording of `text`: the pack's clip or eSpeak reads it."""
        self.recordings.forget(text, lang)
        with self._lock:
            self._forget(lang, text)

    def has_recording(self, text: str, lang: str) -> bool:
        return self.recordings.path(text, lang) is not None

    # ----- the worker ---------------------------------------------------------------------

    def _start_locked(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._work, name="voice", daemon=True)
            self._thread.start()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until the worker has nothing left to do (tests, benchmark, shutdown)."""
        with self._lock:
            return self._lock.wait_for(
                lambda: self._request is None and not self._warm and not self._busy, timeout
            )

    def close(self) -> None:
        """Stop speaking and end the worker (after the text it is on: a few milliseconds),
        before the shell closes the mixer under it."""
        self.stop()
        with self._lock:
            self._closed = True
            self._warm.clear()
            self._lock.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=CLOSE_WAIT_S)

    def _work(self) -> None:
        while True:
            with self._lock:
                self._busy = False
                self._lock.notify_all()
                self._lock.wait_for(lambda: self._closed or self._request or self._warm)
                if self._closed:
                    return
                self._busy = True
                request = self._request
                self._request = None
                if request is not None:
                    lang, text, key = request.lang, request.text, request.key
                else:
                    (lang, text), _ = self._warm.popitem(last=False)
                    key = None
            try:
                if request is not None and request.path is not None:
                    sound = self._listened(request.path)
                else:
                    sound = self._sound_for(text, lang, key)
            except Exception:
                log.exception("speech for %r (%s) failed", text[:60], lang)
                sound = None
            if sound is None:
                continue
            if text:
                with self._lock:
                    self._remember(lang, text, sound)
            if request is not None:
                self._ready.put((request.serial, sound))

    def _remember(self, lang: str, text: str, sound: pygame.mixer.Sound) -> None:
        self._forget(lang, text)
        self._memory[(lang, text)] = sound
        self._memory_bytes += int(sound.get_length() * 44100)
        while self._memory_bytes > MEMORY_BYTES and len(self._memory) > 1:
            _, old = self._memory.popitem(last=False)
            self._memory_bytes -= int(old.get_length() * 44100)

    def _forget(self, lang: str, text: str) -> None:
        old = self._memory.pop((lang, text), None)
        if old is not None:
            self._memory_bytes -= int(old.get_length() * 44100)

    def _sound_for(self, text: str, lang: str, key: str | None) -> pygame.mixer.Sound | None:
        for where, load in self._clips(text, lang, key):
            try:
                return self._clip_sound(load())
            except (OSError, PackFileError, pygame.error, ValueError) as exc:
                reason = exc.message if isinstance(exc, PackFileError) else str(exc)
                self._problem(f"{where}: cannot be played ({reason}); the voice reads it instead")
                damaged = (text, lang, where, reason)
                if damaged not in self.damaged_clips and len(self.damaged_clips) < _MAX_PROBLEMS:
                    self.damaged_clips.append(damaged)
        return self._synthesised(text, lang)

    def _clips(
        self, text: str, lang: str, key: str | None
    ) -> Iterable[tuple[str, Callable[[], bytes]]]:
        recorded = self.recordings.path(text, lang)
        if recorded is not None:
            yield str(recorded), recorded.read_bytes
        for pack, folder in self._packs():
            relative = pack.clip(text, lang)
            if relative is not None:
                yield str(folder / relative), partial(_read_inside, folder, relative)
        if key is not None and self._prompts is not None:
            prompt = self._prompts / lang / f"{_slug(key)}.ogg"
            if prompt.is_file():
                yield str(prompt), prompt.read_bytes

    def _listened(self, path: Path) -> pygame.mixer.Sound | None:
        try:
            return pygame.mixer.Sound(file=io.BytesIO(path.read_bytes()))
        except (OSError, pygame.error) as exc:
            log.warning("recording %s cannot be played: %s", path, exc)
            return None

    def _clip_sound(self, data: bytes) -> pygame.mixer.Sound:
        sound = pygame.mixer.Sound(file=io.BytesIO(data))
        samples = array("h")
        raw = sound.get_raw()
        samples.frombytes(raw[: len(raw) - len(raw) % 2])
        if not samples or max(max(samples), -min(samples)) < SILENT_PEAK * 32768:
            raise PackFileError("it is silent")
        return sound

    def _problem(self, message: str) -> None:
        log.warning("%s", message)
        if message not in self.problems and len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(message)

    def _synthesised(self, text: str, lang: str) -> pygame.mixer.Sound | None:
        engine = self._get_engine()
        if engine is None:
            return None
        rate, pitch = self.settings.speech_rate, self.settings.speech_pitch
        key = speech_key(engine.version, lang, rate, pitch, lang, text)
        data = self._cache.get(key) if self._cache is not None else None
        if data is not None:
            try:
                return pygame.mixer.Sound(file=io.BytesIO(data))
            except pygame.error:
                log.info("speech cache entry %s unreadable; made again", key)
        try:
            speech = engine.synthesise(text, lang, rate, pitch)
        except SpeechUnavailable as exc:
            self._problem(f"Speech in {lang!r} is not available: {exc}")
            return None
        self.synthesised += 1
        samples = speech.without_leading_silence().samples
        if not samples:
            return None
        data = wav_bytes(samples, speech.rate)
        if self._cache is not None:
            self._cache.put(key, data)
        return pygame.mixer.Sound(file=io.BytesIO(data))

    def _get_engine(self) -> Synthesiser | None:
        if self._engine is None and not self._engine_failed:
            try:
                self._engine = self._engine_factory()
            except SpeechUnavailable as exc:
                self._engine_failed = True
                self._problem(f"Speech synthesis is not available: {exc}")
        return self._engine


def _read_inside(folder: Path, relative: str) -> bytes:
    with open_inside(folder, relative, MAX_CLIP_BYTES) as file:
        return file.read(MAX_CLIP_BYTES + 1)
