"""eSpeak NG from the espeakng-loader wheel: Latvian, Lithuanian and English voices."""

from __future__ import annotations

import pytest

from kiosk.voice.espeak import Espeak, SpeechUnavailable
from tests.voice.sounds import peak, samples_of

QUESTIONS = {
    "lv": "Kas strādā slimnīcā?",
    "lt": "Kas dirba ligoninėje?",
    "en": "Who works in a hospital?",
}


@pytest.fixture(scope="module")
def espeak() -> Espeak:
    return Espeak()


@pytest.mark.parametrize("lang", ["lv", "lt", "en"])
def test_a_short_question_is_spoken_aloud_in_each_language(espeak: Espeak, lang: str) -> None:
    speech = espeak.synthesise(QUESTIONS[lang], lang)
    assert speech.rate == 22050
    assert 0.3 <= speech.seconds <= 6.0
    assert peak(samples_of(speech.samples)) > 3000  # clearly audible, not silence


def test_a_longer_text_takes_longer_to_say(espeak: Espeak) -> None:
    short = espeak.synthesise("Maize.", "lv")
    long = espeak.synthesise("Maiznieks cep maizi katru rītu, pirms pilsēta pamostas.", "lv")
    assert long.seconds > 2 * short.seconds


def test_a_slower_rate_makes_longer_speech(espeak: Espeak) -> None:
    text = QUESTIONS["lt"]
    assert espeak.synthesise(text, "lt", rate=100).seconds > (
        1.3 * espeak.synthesise(text, "lt", rate=200).seconds
    )


def test_a_language_without_a_voice_is_refused_not_spoken_in_another(espeak: Espeak) -> None:
    with pytest.raises(SpeechUnavailable):
        espeak.synthesise("hello", "de")


@pytest.mark.parametrize(("lang", "letter"), [("lv", "š"), ("lt", "ė"), ("en", "w")])
def test_a_letter_alone_is_read_as_its_name(espeak: Espeak, lang: str, letter: str) -> None:
    # Word builder's letter tiles: the letter itself is given, its name is heard
    # ("w" is "double-u", longer than a single sound).
    speech = espeak.synthesise(letter, lang)
    assert speech.seconds >= 0.3
    assert peak(samples_of(speech.samples)) > 3000


def test_speech_starts_at_once_without_espeaks_leading_silence(espeak: Espeak) -> None:
    speech = espeak.synthesise("Kas strādā slimnīcā?", "lv")
    trimmed = speech.without_leading_silence()
    samples = samples_of(trimmed.samples)
    first_audible = next(i for i, s in enumerate(samples) if abs(s) > 100)
    assert first_audible <= trimmed.rate // 100  # within 10 ms of the start
    assert trimmed.seconds < speech.seconds
    assert trimmed.samples == speech.samples[len(speech.samples) - len(trimmed.samples) :]
