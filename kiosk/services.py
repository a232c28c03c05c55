"""What the shell builds once from the config and hands to every scene: `Services`.

`build_services` is the one factory. It is split by weight so start-up can stay lean:
`core_services` (text, pictures of the shell, language, the activity list) is all the first
attract frame needs; `content_services` (packs, voice, PINs, creations) may be built after
it. Each part imports its heavy modules inside the function that builds it, so importing
this module costs nothing beyond what the first frame needs."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import activities as activity_registry
from kiosk.config import Config
from kiosk.i18n import Translator
from kiosk.paths import ASSETS, CONTENT, LIBRARY_PACKS_DIR
from kiosk.sessions import UsageReader
from kiosk.sound import SoundService
from kiosk.ui.cache import budget_for
from kiosk.ui.images import ImageCache
from kiosk.ui.text import TextRenderer
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets import UI

if TYPE_CHECKING:
    from datetime import datetime

    from kiosk.creations import CreationStore
    from kiosk.librarian.pin import PinCheck
    from kiosk.librarian.sound_settings import StationSound
    from kiosk.packs.library import PackLibrary, PackPictures
    from kiosk.packs.models import Pack
    from kiosk.voice.service import VoiceService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """Everything scenes use that outlives a scene. Built once; between two visits the shell
    may put a copy in its place with the office's new settings and packs (kiosk.fleet)."""

    config: Config
    #: False in the developer's window mode: kiosk mode ignores window-close and Alt+F4.
    kiosk_mode: bool
    #: This station's data folder (usage, creations, the library's packs); None in tests.
    data_folder: Path | None
    translator: Translator
    ui: UI
    #: The activities in the launcher's order, hidden ones left out.
    activities: list[activity_registry.RegisteredActivity]
    packs: PackLibrary
    pictures: PackPictures
    #: Reading texts aloud; does nothing without a sound device (kiosk.voice).
    voice: VoiceService
    #: The librarian's volume and mute (the panel), kept in the data folder.
    station_sound: StationSound
    pins: PinCheck
    #: Children's drawings, films and stories (None without a data folder).
    creations: CreationStore | None
    #: The usage store read back for the librarian panel (None with a memory sink).
    usage: UsageReader | None
    #: The shell's seeded randomness (each activity gets its own, drawn from it).
    random: random.Random


@dataclass(frozen=True)
class CoreServices:
    """The part of `Services` the first frame needs."""

    translator: Translator
    ui: UI
    sounds: SoundService
    activities: list[activity_registry.RegisteredActivity]


def core_services(
    config: Config,
    screen_size: tuple[int, int],
    lang: str | None,
    registered: list[activity_registry.RegisteredActivity],
    data_folder: Path | None = None,
) -> CoreServices:
    width, height = screen_size
    fonts = ASSETS / "fonts"
    sounds = SoundService(config.sound.enabled, config.sound.volume)
    ui = UI(
        metrics=Metrics(width, height),
        text=TextRenderer(
            fonts / "Andika-Regular.ttf",
            fonts / "Andika-Bold.ttf",
            budget_for(screen_size, screens=2.0),
        ),
        images=ImageCache(ASSETS / "emoji", budget_for(screen_size, screens=2.0)),
        sounds=sounds,
    )
    cache = data_folder / "cache" if data_folder is not None else None
    translator = Translator(config.languages.available, config.languages.default, cache)
    if lang is not None:
        translator.default = lang
        translator.lang = lang
    activities = activity_registry.arrange(
        registered, config.activities.order, config.activities.hidden
    )
    return CoreServices(translator, ui, sounds, activities)


def pack_roots(config: Config, data_folder: Path | None) -> list[Path]:
    """Where this station's packs are: the built-in ones, the library's own, the config's."""
    library_packs = [data_folder / LIBRARY_PACKS_DIR] if data_folder is not None else []
    return [CONTENT, *library_packs, *(Path(f) for f in config.content.folders)]


def build_services(
    config: Config,
    core: CoreServices,
    *,
    kiosk_mode: bool,
    data_folder: Path | None,
    pack_folders: list[Path],
    packs_now: Callable[[], PackLibrary] | None = None,
    usage: UsageReader | None,
    wall: Callable[[], datetime],
    seed: int | None,
) -> Services:
    """The rest of the services, on top of `core` (content, voice, PINs, creations).
    `pack_folders` are read for packs; `packs_now` gives the voice the packs of the moment
    (the shell's, which the office may replace between visits)."""
    from kiosk.creations import CreationStore, CreationWriter
    from kiosk.librarian.pin import PinCheck
    from kiosk.librarian.sound_settings import StationSound
    from kiosk.packs.library import PackLibrary, PackPictures
    from kiosk.voice.service import VoiceService

    ui = core.ui
    size = (ui.metrics.width, ui.metrics.height)
    packs = PackLibrary(pack_folders)
    pictures = PackPictures(packs, ui.images, budget_for(size, screens=2.0))

    def packs_with_folders() -> list[tuple[Pack, Path]]:
        library = packs_now() if packs_now is not None else packs
        folders = library.folders
        return [(pack, folders[pack.pack]) for pack in library.ready()]

    voice = VoiceService.from_config(
        config.sound, data_folder, packs_with_folders, ASSETS / "voice"
    )
    ui.voice = voice
    return Services(
        config=config,
        kiosk_mode=kiosk_mode,
        data_folder=data_folder,
        translator=core.translator,
        ui=ui,
        activities=core.activities,
        packs=packs,
        pictures=pictures,
        voice=voice,
        station_sound=StationSound.for_station(config.sound, data_folder, core.sounds, voice),
        pins=PinCheck.for_station(config, data_folder),
        creations=(
            CreationStore(data_folder / "creations", config.station.id, wall, CreationWriter())
            if data_folder is not None
            else None
        ),
        usage=usage,
        random=random.Random(seed),
    )


def start_creations_purge(services: Services) -> None:
    """Remove creations past their retention on a worker thread (after the first frame)."""
    store = services.creations
    if store is None:
        return
    days = services.config.creations.retention_days

    def purge() -> None:
        try:
            store.purge(days)
        except Exception:
            log.exception("purging old creations failed")

    threading.Thread(target=purge, name="creations-purge", daemon=True).start()


def with_office_settings(
    services: Services,
    config: Config,
    registered: list[activity_registry.RegisteredActivity],
    pack_folders: list[Path],
    screen_size: tuple[int, int],
) -> Services:
    """A copy of `services` with the office's new `config` (its languages, activities) and
    packs read from `pack_folders` (not started yet)."""
    from kiosk.packs.library import PackLibrary, PackPictures

    translator = services.translator
    if config.languages != services.config.languages:
        translator = Translator(
            config.languages.available, config.languages.default, services.translator.cache
        )
    activities = activity_registry.arrange(
        registered, config.activities.order, config.activities.hidden
    )
    packs = PackLibrary(pack_folders)
    pictures = PackPictures(packs, services.ui.images, budget_for(screen_size, screens=2.0))
    return replace(
        services,
        config=config,
        translator=translator,
        activities=activities,
        packs=packs,
        pictures=pictures,
    )
