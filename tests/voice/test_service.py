"""VoiceService: where a text's sound comes from, the cache, the worker and the channels.

The mixer runs on SDL's dummy driver here; what is really heard is captured with the disk
driver in test_capture.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.config import SoundConfig
from kiosk.packs import read_pack
from kiosk.packs.safety import PackFileError
from kiosk.voice import VoiceService
from kiosk.voice.espeak import Espeak, Speech
from tests.voice.sounds import copy_pack, write_ogg, write_wav

GOOD_PACK = Path(__file__).parents[1] / "packs" / "fixtures" / "good-visit"
QUESTION = "Kas cep maizi?"


class CountingEngine:
    """The real eSpeak, counting what it is asked to say."""

    def __init__(self) -> None:
        self.espeak = Espeak()
        self.version = self.espeak.version
        self.calls: list[tuple[str, str]] = []

    def synthesise(self, text: str, lang: str, rate: int = 150, pitch: int = 50) -> Speech:
        self.calls.append((text, lang))
        return self.espeak.synthesise(text, lang, rate, pitch)


@pytest.fixture(scope="module")
def engine() -> CountingEngine:
    return CountingEngine()


@pytest.fixture
def mixer() -> Iterator[None]:
    if pygame.mixer.get_init() is None:
        pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=512)
    yield
    pygame.mixer.stop()


def _service(
    tmp_path: Path,
    engine: CountingEngine,
    packs: list[tuple[object, Path]] | None = None,
    **settings: object,
) -> VoiceService:
    engine.calls.clear()
    return VoiceService(
        settings=SoundConfig(**settings),  # type: ignore[arg-type]
        cache_folder=tmp_path / "cache",
        recordings_folder=tmp_path / "voice",
        packs=lambda: list(packs or []),  # type: ignore[arg-type]
        prompts_folder=tmp_path / "prompts",
        engine_factory=lambda: engine,
        mixer_ready=True,
    )


def _say_and_play(voice: VoiceService, text: str, lang: str = "lv") -> None:
    voice.say(text, lang)
    assert voice.wait_idle()
    voice.update()


def _pack_with_clip(tmp_path: Path, clip: str, make: object) -> tuple[object, Path]:
    folder = copy_pack(GOOD_PACK, tmp_path / "good-visit")
    make(folder / clip, 1.0)  # type: ignore[operator]
    with (folder / "pack.yaml").open("a", encoding="utf-8") as file:
        file.write(f'audio:\n  lv:\n    "{QUESTION}": {clip}\n')
    pack, problems = read_pack(folder)
    assert problems == [] and pack is not None
    return pack, folder


def test_a_question_is_synthesised_and_played_on_the_speech_channel(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine)
    _say_and_play(voice, QUESTION)
    assert engine.calls == [(QUESTION, "lv")]
    assert voice.started == 1 and voice.speaking
    voice.close()


def test_a_cached_question_is_not_synthesised_again(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    _say_and_play(_service(tmp_path, engine), QUESTION)
    assert len(engine.calls) == 1
    # A new kiosk (nothing in memory) finds it in the disk cache.
    again = _service(tmp_path, engine)
    _say_and_play(again, QUESTION)
    assert engine.calls == [] and again.started == 1
    assert len(list((tmp_path / "cache").glob("*.wav"))) == 1


def test_another_rate_or_language_is_synthesised_anew(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    _say_and_play(_service(tmp_path, engine), QUESTION)
    slower = _service(tmp_path, engine, speech_rate=100)
    _say_and_play(slower, QUESTION)
    _say_and_play(slower, QUESTION, "en")
    assert engine.calls == [(QUESTION, "lv"), (QUESTION, "en")]


def test_warmed_texts_play_without_the_worker(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine)
    voice.warm(["Kas cep maizi?", "maiznieks", "krāsns"], "lv")
    assert voice.wait_idle()
    assert len(engine.calls) == 3
    voice.say("krāsns", "lv")
    voice.update()  # no waiting: the sound was ready in memory
    assert voice.started == 1 and voice.speaking


@pytest.mark.parametrize("make", [write_ogg, write_wav], ids=["ogg", "wav"])
def test_a_pack_clip_is_played_instead_of_synthesis(
    tmp_path: Path, engine: CountingEngine, mixer: None, make: object
) -> None:
    clip = "audio/q.ogg" if make is write_ogg else "audio/q.wav"
    voice = _service(tmp_path, engine, packs=[_pack_with_clip(tmp_path, clip, make)])
    _say_and_play(voice, QUESTION)
    assert engine.calls == [] and voice.started == 1 and voice.problems == []
    # Texts without a clip are still synthesised.
    _say_and_play(voice, "maiznieks")
    assert engine.calls == [("maiznieks", "lv")]


def test_a_damaged_clip_falls_back_to_synthesis_and_is_listed(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    pack, folder = _pack_with_clip(tmp_path, "audio/q.ogg", write_ogg)
    clip = folder / "audio" / "q.ogg"
    clip.write_bytes(clip.read_bytes()[:200])  # a copy that did not finish
    voice = _service(tmp_path, engine, packs=[(pack, folder)])
    _say_and_play(voice, QUESTION)
    assert engine.calls == [(QUESTION, "lv")] and voice.started == 1
    assert len(voice.problems) == 1
    assert voice.problems[0].startswith(f"{clip}: cannot be played")


def test_a_silent_clip_falls_back_to_synthesis_and_is_listed(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    def silent(path: Path, seconds: float) -> Path:
        return write_wav(path, seconds, amplitude=0.0)

    voice = _service(tmp_path, engine, packs=[_pack_with_clip(tmp_path, "audio/q.wav", silent)])
    _say_and_play(voice, QUESTION)
    assert engine.calls == [(QUESTION, "lv")]
    assert "silent" in voice.problems[0]


def test_a_librarians_recording_comes_before_the_packs_clip(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    pack, folder = _pack_with_clip(tmp_path, "audio/q.wav", write_wav)
    voice = _service(tmp_path, engine, packs=[(pack, folder)])
    recording = write_wav(tmp_path / "mic.wav", 0.5)
    voice.keep_recording(QUESTION, "lv", recording)
    assert voice.has_recording(QUESTION, "lv")
    _say_and_play(voice, QUESTION)
    assert engine.calls == []
    playing = pygame.mixer.Channel(0).get_sound()
    assert playing is not None and playing.get_length() == pytest.approx(0.5, abs=0.01)


def test_a_silent_recording_is_refused_with_a_message(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine)
    with pytest.raises(PackFileError, match="silent"):
        voice.keep_recording(QUESTION, "lv", write_wav(tmp_path / "mic.wav", 1.0, 0.0))
    assert not voice.has_recording(QUESTION, "lv")


def test_say_returns_before_the_text_is_synthesised(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    said = threading.Event()
    seen: list[bool] = []

    class SlowEngine(CountingEngine):
        def __init__(self) -> None:
            self.version = engine.version
            self.espeak = engine.espeak
            self.calls = []

        def synthesise(self, text: str, lang: str, rate: int = 150, pitch: int = 50) -> Speech:
            # Had say() waited for this, `said` could not be set yet.
            seen.append(said.wait(timeout=10))
            return super().synthesise(text, lang, rate, pitch)

    voice = _service(tmp_path, engine)
    voice._engine_factory = SlowEngine
    voice.say(QUESTION, "lv")
    said.set()
    voice.update()
    assert voice.started == 0  # not ready yet, and the frame went on
    assert voice.wait_idle()
    voice.update()
    assert seen == [True] and voice.started == 1


def test_moving_on_drops_a_text_still_being_prepared(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine)
    voice.say(QUESTION, "lv")
    voice.stop()
    assert voice.wait_idle()
    voice.update()
    assert voice.started == 0 and not voice.speaking


def test_a_new_text_replaces_the_one_being_said(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine)
    _say_and_play(voice, QUESTION)
    _say_and_play(voice, "maiznieks")
    playing = pygame.mixer.Channel(0).get_sound()
    assert voice.started == 2 and playing is not None and playing.get_length() < 1.5


def test_speech_ducks_the_other_sounds_and_restores_them(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine, speech_ducking=0.25)
    _say_and_play(voice, QUESTION)
    others = [pygame.mixer.Channel(i) for i in range(1, pygame.mixer.get_num_channels())]
    assert others and all(c.get_volume() == pytest.approx(0.25, abs=0.01) for c in others)
    voice.stop()
    assert all(c.get_volume() == pytest.approx(1.0) for c in others)


def test_without_a_sound_device_say_does_nothing_and_nothing_breaks(
    tmp_path: Path, engine: CountingEngine
) -> None:
    voice = VoiceService(
        settings=SoundConfig(),
        cache_folder=tmp_path / "cache",
        engine_factory=lambda: engine,
        mixer_ready=False,
    )
    engine.calls.clear()
    voice.say(QUESTION, "lv")
    voice.warm([QUESTION], "lv")
    voice.update()
    voice.stop()
    voice.close()
    assert engine.calls == [] and voice.started == 0 and not voice.speaking
    assert not voice.reads_aloud("6-8")


@pytest.mark.parametrize(
    ("mode", "band", "expected"),
    [
        ("youngest", "6-8", True),
        ("youngest", "9-11", False),
        ("youngest", None, False),
        ("always", None, True),
        ("off", "6-8", False),
    ],
)
def test_read_aloud_follows_the_setting_and_the_age_band(
    tmp_path: Path, engine: CountingEngine, mode: str, band: str | None, expected: bool
) -> None:
    voice = _service(tmp_path, engine, read_aloud=mode)
    assert voice.reads_aloud(band) is expected


def test_speech_off_in_the_config_keeps_the_kiosk_silent(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine, speech=False)
    _say_and_play(voice, QUESTION)
    assert engine.calls == [] and voice.started == 0


def test_telpas_own_recorded_prompt_is_played_for_its_key(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    write_ogg(tmp_path / "prompts" / "lt" / "touch-to-start.ogg", 0.7)
    voice = _service(tmp_path, engine)
    voice.say("Palieskite, kad pradėtumėte", "lt", key="touch-to-start")
    assert voice.wait_idle()
    voice.update()
    assert engine.calls == [] and voice.started == 1
    # Without a recording for the language, the voice reads the same prompt.
    voice.say("Pieskaries, lai sāktu", "lv", key="touch-to-start")
    assert voice.wait_idle()
    assert engine.calls == [("Pieskaries, lai sāktu", "lv")]


def test_the_librarian_listens_to_a_recording_before_keeping_it(
    tmp_path: Path, engine: CountingEngine, mixer: None
) -> None:
    voice = _service(tmp_path, engine)
    voice.listen(write_wav(tmp_path / "mic.wav", 0.6))
    assert voice.wait_idle()
    voice.update()
    playing = pygame.mixer.Channel(0).get_sound()
    assert voice.started == 1 and playing is not None
    assert playing.get_length() == pytest.approx(0.6, abs=0.01)
    assert engine.calls == [] and not voice.has_recording(QUESTION, "lv")


def test_the_texts_a_librarian_may_record_are_the_packs_texts(
    tmp_path: Path, engine: CountingEngine
) -> None:
    pack, problems = read_pack(GOOD_PACK)
    assert pack is not None
    voice = _service(tmp_path, engine, packs=[(pack, GOOD_PACK)])
    texts = voice.texts_to_record("lt")
    assert ("good-visit", "Kas kepa duoną?") in texts
    assert ("good-visit", "kepėjas") in texts
    assert all(text for _pack, text in texts) and len(texts) == len(set(texts))
