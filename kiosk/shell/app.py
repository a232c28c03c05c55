"""The window and the main loop: `create_app(config)` builds a kiosk, `App.run()` drives it.

`App` joins the parts (kiosk/shell/__init__.py lists them) and is what scenes see as
their `Shell`. Time comes from an injected clock so the headless harness and
`kiosk monkey` can step frames deterministically.

Over 500 lines because, beside the loop that joins the parts (each in its own module), it
names every service for the harness, tests and scripts (read-only properties) and carries
the office's updates and the game pads between visits."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from kiosk import activities as activity_registry
from kiosk import routes
from kiosk.config import Config
from kiosk.first_frame import FirstFrame, keep
from kiosk.i18n import Translator
from kiosk.input import InputEvent, InputTranslator
from kiosk.scenes.base import Scene
from kiosk.scenes.common import librarian_corner
from kiosk.screen import WindowPlan, open_window
from kiosk.services import (
    Services,
    build_services,
    core_services,
    pack_roots,
    start_creations_purge,
    with_office_settings,
)
from kiosk.sessions import MemoryUsageSink, SessionManager, UsageReader, UsageSink
from kiosk.shell.clock import Clock, SystemClock
from kiosk.shell.desk import LibrarianDesk
from kiosk.shell.overlays import (
    GroupBadge,
    group_badge,
    invalidate_badge,
    paint_badge,
    paint_hold_ring,
)
from kiosk.shell.scene_table import SceneTable
from kiosk.shell.session import SessionController
from kiosk.shell.stack import SceneStack
from kiosk.shell.turns import SoundRest, Turns
from kiosk.shell.window import is_alt_f4
from kiosk.ui.scoreboard import TeamScore
from kiosk.ui.theme import Metrics

if TYPE_CHECKING:
    from kiosk.creations import CreationStore
    from kiosk.i18n import Translator
    from kiosk.librarian.access import GroupClock
    from kiosk.librarian.pin import PinCheck
    from kiosk.librarian.sound_settings import StationSound
    from kiosk.packs.library import PackLibrary, PackPictures
    from kiosk.sync.service import SyncService
    from kiosk.ui.widgets import UI
    from kiosk.voice.service import VoiceService

log = logging.getLogger(__name__)

#: How long shutting down waits for the packs' reader (it reads for well under a second).
PACKS_WAIT_S = 10.0


class App:
    def __init__(
        self,
        config: Config,
        *,
        windowed: bool,
        fullscreen: bool,
        size: tuple[int, int] | None,
        lang: str | None,
        clock: Clock,
        sink: UsageSink,
        usage: UsageReader | None,
        registered: list[activity_registry.RegisteredActivity],
        seed: int | None = None,
        data_folder: Path | None = None,
        handle_signals: bool = False,
        first_frame: FirstFrame | None = None,
    ) -> None:
        self.clock = clock
        #: The picture of the attract screen for the next start (kiosk.first_frame).
        self.first_frame = first_frame
        self.errors = 0
        self.running = False
        self._stop_requested = False
        #: The signal that stopped the kiosk (0: none); `kiosk run` exits 128 + it.
        self.stop_signal = 0
        if handle_signals:
            # Taken before the services are built: a SIGTERM during start-up (a shutdown,
            # the supervisor) still ends the kiosk cleanly instead of killing it.
            self._take_signals()
        from kiosk.fleet.station import OfficeContent
        from kiosk.pads import Pads

        #: Packs and settings from the project office, taken at the attract screen.
        self.office = OfficeContent(data_folder)
        self.office.poll()
        self._own_config = config
        self._registered = registered
        config = self.office.config(config)
        self._pack_roots = pack_roots(config, data_folder)
        kiosk_mode = not windowed
        self._window_plan = WindowPlan(kiosk_mode, fullscreen, size)
        self.screen = open_window(kiosk_mode, fullscreen, size)
        width, height = self.screen.get_size()
        #: Game controllers (kiosk.pads); their buttons arrive as keys through `input`.
        self.pads = Pads()
        self.input = InputTranslator((width, height), self.pads)
        core = core_services(config, (width, height), lang, registered, data_folder)
        self.services: Services = build_services(
            config,
            core,
            kiosk_mode=kiosk_mode,
            data_folder=data_folder,
            pack_folders=[*self.office.pack_folders, *self._pack_roots],
            packs_now=lambda: self.services.packs,
            usage=usage,
            wall=clock.wall,
            seed=seed,
        )
        self.sink = sink
        #: Opens and closes sessions and runs; the only one that tells the usage sink.
        self.sessions = SessionManager(sink, clock.wall)
        ui = self.services.ui
        self.session = SessionController(
            config,
            self.sessions,
            self.services.translator,
            self.services.activities,
            clock.monotonic,
            lambda: librarian_corner(ui.metrics),
            self,
            lambda: self.office.is_open(clock.wall(), self.services.config.site.timezone),
        )
        self.desk = LibrarianDesk(
            config, usage, self.sessions, clock.wall, self._stop_running, self.office
        )
        self.stack = SceneStack(self._safely)
        self._scene_table = SceneTable()
        self._badge_shown: tuple[object, ...] | None = None
        self._frozen = False
        #: Which turns of the main loop update, and how often it polls input.
        self.turns = Turns()
        #: The sound device, closed while the attract screen rests.
        self.sound_rest = SoundRest(core.sounds, lambda: self.services.voice)
        #: The first screen: attract, or out of order (the supervisor's pause).
        self.start_route: routes.Route = routes.Attract()

    # ----- the services, by name (the harness, tests and scripts read them) -------------

    @property
    def config(self) -> Config:
        return self.services.config

    @property
    def ui(self) -> UI:
        return self.services.ui

    @property
    def translator(self) -> Translator:
        return self.services.translator

    @property
    def packs(self) -> PackLibrary:
        return self.services.packs

    @property
    def pictures(self) -> PackPictures:
        return self.services.pictures

    @property
    def voice(self) -> VoiceService:
        return self.services.voice

    @property
    def station_sound(self) -> StationSound:
        return self.services.station_sound

    @property
    def pins(self) -> PinCheck:
        return self.services.pins

    @property
    def creations(self) -> CreationStore | None:
        return self.services.creations

    @property
    def data_folder(self) -> Path | None:
        return self.services.data_folder

    @property
    def kiosk_mode(self) -> bool:
        return self.services.kiosk_mode

    @property
    def sync(self) -> SyncService | None:
        return self.desk.sync

    @property
    def group_clock(self) -> GroupClock | None:
        return self.session.group_clock

    @property
    def frames(self) -> int:
        return self.stack.frames

    # ----- what scenes may ask (the Shell protocol, kiosk/scenes/base.py) ----------------

    def now(self) -> float:
        return self.clock.monotonic()

    def wall_now(self) -> datetime:
        return self.clock.wall()

    def _build(self, route: routes.Route) -> Callable[[], Scene]:
        cls = self._scene_table.scene_class(type(route))
        arguments = {f.name: getattr(route, f.name) for f in fields(route)}
        return lambda: cls(self, **arguments)

    def go(self, route: routes.Route) -> None:
        """Replace the whole stack with the scene for `route`."""
        if isinstance(route, routes.Attract):
            self._take_office_update()
        self._scenes_change()
        self.services.voice.stop()  # the child moved on: what was being read no longer matters
        self.session.forget_child_language()
        if self.stack.go(self._build(route)):
            # An activity's pictures sit in reference cycles (buttons call back into it).
            # Start-up's objects are frozen (`_freeze_start_up`), so a full collection only
            # walks what was made since: cheap, and at a scene change a pause is not seen.
            gc.collect()

    def push(self, route: routes.Route) -> None:
        """Put the scene for `route` on top (an overlay)."""
        self._scenes_change()
        self.stack.push(self._build(route))

    def pop(self, scene: Scene) -> None:
        self._scenes_change()
        self.stack.pop(scene)

    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        self.stack.invalidate(rect)

    def set_language(self, lang: str) -> None:
        translator = self.services.translator
        if lang == translator.lang:
            return
        translator.set_language(lang)
        self.sessions.change_session(language=lang)
        self.language_changed()
        self.invalidate()

    def _take_office_update(self) -> None:
        """New packs and settings from the office, between two visits (kiosk.fleet): the
        services are replaced by a copy holding them; the scenes built next see it."""
        try:
            update = self.office.poll()
            if update is None:
                return
            config = self.office.config(self._own_config)
            services = with_office_settings(
                self.services,
                config,
                self._registered,
                [*update.pack_folders, *self._pack_roots],
                self.screen.get_size(),
            )
            self.services = services
            self.session.config, self.session.translator = config, services.translator
            self.session.activities = services.activities
            self.desk.config = config
            services.packs.start()
        except Exception:
            log.exception("the office's packs and settings could not be taken")

    def group_defaults(self) -> dict[str, Any]:
        """The group form's starting values set at the office (the tests read them)."""
        return self.desk.group_defaults()

    def report_error(self, where: str) -> None:
        self.errors += 1
        log.exception("error in %s", where)

    # ----- what the session controller asks (its Navigator) -----------------------------

    def showing(self, kind: type[routes.Route]) -> bool:
        return self.scene(kind) is not None

    def top_in_session(self) -> bool:
        top = self.stack.top
        return top is not None and top.in_session

    def team_scores(self) -> list[TeamScore]:
        host = self.scene(routes.Activity)
        activity = getattr(host, "activity", None)
        if activity is None or getattr(host, "failed", False):
            return []
        try:
            return list(activity.team_scores() or [])
        except Exception:
            self.report_error("team_scores")
            return []

    def language_changed(self) -> None:
        self.stack.each("on_language", lambda scene: scene.on_language_changed())

    # ----- looking (the harness and tests) ---------------------------------------------

    def scene(self, kind: type[routes.Route]) -> Scene | None:
        """The top-most scene shown for that kind of route, if any."""
        cls = self._scene_table.loaded(kind)
        return self.stack.find(cls) if cls is not None else None

    @property
    def top(self) -> Scene | None:
        return self.stack.top

    def group_badge(self) -> GroupBadge | None:
        """The group badge as it is painted now; None outside group sessions and on the
        librarian's and "time is up" screens."""
        if not self.top_in_session():
            return None
        return group_badge(
            self.services.ui,
            self.services.translator,
            self.sessions.current,
            self.session.group_clock,
            self.now(),
        )

    def note_input(self) -> None:
        """Count as child activity (used by scenes for input they synthesise)."""
        self.session.note_input()

    # ----- the loop ----------------------------------------------------------------------

    def start(self) -> None:
        self.running = not self._stop_requested
        self.go(self.start_route)
        self.render()
        self._keep_first_frame()
        self.services.packs.start()  # after the first frame: children see the screen at once
        start_creations_purge(self.services)
        from kiosk.sync.service import start_sync_service

        self.desk.sync = start_sync_service(self.config, self.data_folder, self.clock.wall)

    def _keep_first_frame(self) -> None:
        """Keep the live attract screen just drawn as the next start's first frame, when
        this start could not show a picture that still held."""
        frame = self.first_frame
        if frame is None or frame.shown or not self.showing(routes.Attract):
            return
        from kiosk.fleet.settings import next_change

        config = self.services.config
        change = next_change(
            self.office.settings.get("opening_hours"), self.clock.wall(), config.site.timezone
        )
        keep(frame, self.screen, self._window_plan, change.timestamp() if change else None)

    def _safely(self, call: Callable[[], object], where: str) -> None:
        try:
            call()
        except Exception:
            self.report_error(where)
            self._recover()

    def _recover(self) -> None:
        """After a shell error: close what was open and show the attract screen."""
        self._scenes_change()
        try:
            self.sessions.end_session("crash", run_outcome="error")
            translator = self.services.translator
            translator.set_language(translator.default)
            self.session.forget_child_language()
            self.stack.scenes.clear()
            from kiosk.scenes.attract import Attract

            scene = Attract(self)
            self.stack.scenes.append(scene)
            scene.on_enter()
        except Exception:
            log.exception("recovery failed")
            self.stack.scenes.clear()
        self.invalidate()

    def dispatch(self, event: pygame.event.Event) -> None:
        """Handle one pygame event."""
        if event.type == pygame.QUIT:
            if self.kiosk_mode:
                log.info("window close ignored in kiosk mode")
            else:
                self.running = False
            return
        if event.type in (pygame.WINDOWSIZECHANGED, pygame.WINDOWEXPOSED):
            if event.type == pygame.WINDOWSIZECHANGED:
                self._resize(self.screen.get_size())
            self.invalidate()
            return
        translated = self.input.translate(event)
        if translated is None:
            return
        # Before the input is handled: the sound its button makes must be heard.
        self.turns.update_now()
        self.sound_rest.wake()
        if is_alt_f4(translated):
            log.info("Alt+F4 ignored")
            return
        if self.session.observe(translated):
            return
        self.handle_input(translated)

    def handle_input(self, event: InputEvent) -> None:
        self.stack.deliver(event)

    def _resize(self, size: tuple[int, int]) -> None:
        self.screen = pygame.display.get_surface() or self.screen
        self.services.ui.metrics = Metrics(*size)
        self.input.size = size
        self.stack.each("layout", lambda scene: scene.layout())

    @property
    def frame_rate(self) -> int:
        """The frame rate the stack needs now, capped by display.max_fps; 0 when still."""
        needed = self.stack.frame_rate
        if self.session.unlock.holding:
            needed = max(needed, 20)
        return min(needed, self.config.display.max_fps)

    def update(self, dt: float) -> None:
        if not self._frozen and self.services.packs.wait(0):
            self._freeze_start_up()
        if self.session.before_update():
            self.invalidate()
        self.stack.update(dt)
        if not self.session.update():  # True: the group's time ran out, all is repainted
            if self.session.unlock.holding:
                self.invalidate(librarian_corner(self.services.ui.metrics))
            self._invalidate_badge()
        self._update_pads()
        self.services.voice.update()

    def _freeze_start_up(self) -> None:
        """Once the packs are loaded: what start-up built lives as long as the kiosk, so
        the collector need not walk it again and every later collection (each activity's
        exit) stays short. One full collection first, on the attract screen, so garbage
        is not frozen with it."""
        self._frozen = True
        gc.collect()
        gc.freeze()

    def _update_pads(self) -> None:
        """Held pad directions repeat; a pad pulled out mid-game pauses the game."""
        for event in self.input.repeats(self.now()):
            self.session.note_input()
            self.handle_input(event)
        if not self.pads.missing:
            return
        host = self.scene(routes.Activity)
        if host is None:
            self.pads.forget_missing()  # pulled out between games: nobody waits for it
        elif self.top is host:
            self.push(routes.PadMissing(self.pads))

    def _invalidate_badge(self) -> None:
        self._badge_shown = invalidate_badge(
            self.group_badge(), self._badge_shown, self.services.ui, self.invalidate
        )

    def _paint_overlays(self) -> None:
        ui = self.services.ui
        badge = self.group_badge()
        if badge is not None:
            paint_badge(self.screen, ui, badge)
        paint_hold_ring(self.screen, ui, self.session.unlock.progress(self.now()))

    def render(self) -> list[pygame.Rect]:
        """Repaint what was invalidated; returns the rectangles sent to the screen."""
        return self.stack.render(self.screen, self._paint_overlays)

    def step(self, dt: float) -> list[pygame.Rect]:
        """One turn of the main loop: the events already queued, then update by dt and
        repaint — unless no event came and nothing is due yet (kiosk.shell.turns): then
        the turn only polls input, so a still screen costs little more than a bare
        window's event loop."""
        events = pygame.event.get()
        for event in events:
            self.dispatch(event)
        if not events and self.turns.only_polls(self.clock.monotonic(), dt):
            # Invalidated from outside a turn (a test, the harness): painted all the same.
            return self.render() if self.stack.dirty else []
        self.update(self.turns.take_dt(dt))
        rects = self.render()
        now = self.clock.monotonic()
        resting = self.turns.plan(
            now,
            self.frame_rate,
            self.input.repeating or self.services.voice.needs_update,
            lambda: self.stack.update_due(now),
            lambda: self.session.update_due(now),
            self._attract_rests,
        )
        if resting:
            self.sound_rest.rest()
        return rects

    def _attract_rests(self) -> bool:
        from kiosk.scenes.attract import Attract

        top = self.stack.top
        return len(self.stack.scenes) == 1 and isinstance(top, Attract) and top.resting

    def _scenes_change(self) -> None:
        self.turns.scenes_change()
        self.sound_rest.wake()

    def stop(self, signum: int = 0, _frame: object = None) -> None:
        """End the main loop (SIGTERM, SIGINT); the open session ends as `shutdown`."""
        log.info("stopping on signal %s", signum)
        self.stop_signal = signum
        self.running = False
        self._stop_requested = True

    def _take_signals(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)

    def _stop_running(self) -> None:
        self.running = False

    def run(self) -> None:
        """The real main loop, at the frame rate the screen needs (see `frame_rate`)."""
        self._take_signals()
        self.start()
        fps_clock = pygame.time.Clock()
        last = self.clock.monotonic()
        while self.running:
            # When nothing moves, poll input at a calm rate (kiosk.shell.turns). pygame's
            # event.wait() polls every millisecond inside, which costs more than this.
            fps_clock.tick(self.turns.poll_fps)
            now = self.clock.monotonic()
            self.step(min(now - last, 0.25))
            last = now
        self.shutdown()

    def shutdown(self) -> None:
        # What start-up froze may be collected again (a test process builds many apps).
        gc.unfreeze()
        self.sessions.end_session("shutdown")
        self.session.ending = "shutdown"
        for scene in reversed(self.stack.scenes):
            self._safely(scene.on_exit, f"{type(scene).__name__}.on_exit")
        self.stack.scenes.clear()
        self.services.voice.close()
        self.pads.close()
        from kiosk.media.microphone import release_audio

        release_audio()  # the scenes' recordings have ended with their on_exit
        if self.desk.sync is not None:
            self.desk.sync.stop()
        if self.services.creations is not None:
            self.services.creations.close()  # the tools' last drafts, written by their on_exit
        # The packs' reader ends before the process may: a worker still inside a native
        # decoder at interpreter exit is ended by a forced unwind, which glibc may answer
        # with "FATAL: exception not rethrown" and an abort (seen in a test's subprocess).
        self.services.packs.finish(PACKS_WAIT_S)
        self.sink.close()


def create_app(
    config: Config,
    *,
    windowed: bool = False,
    fullscreen: bool | None = None,
    size: tuple[int, int] | None = None,
    lang: str | None = None,
    clock: Clock | None = None,
    sink: UsageSink | None = None,
    usage: UsageReader | None = None,
    registered: list[activity_registry.RegisteredActivity] | None = None,
    seed: int | None = None,
    data_folder: Path | None = None,
    handle_signals: bool = False,
    first_frame: FirstFrame | None = None,
) -> App:
    """Build a kiosk from a validated config. Nothing is global: build as many as needed
    (one at a time: SDL has one window per process).

    `windowed` is the developer mode (a window that may be closed); `fullscreen`
    defaults to its opposite, and the headless harness sets it False to get an
    exact screen size while keeping kiosk behaviour. `usage` is the usage store read back
    for the librarian panel (usually the same object as `sink`; None shows no figures).
    `handle_signals` takes SIGTERM and SIGINT at once, before start-up's work (the real
    kiosk); otherwise `run` takes them."""
    if registered is None:
        registered = activity_registry.discover()
    return App(
        config,
        windowed=windowed,
        fullscreen=not windowed if fullscreen is None else fullscreen,
        size=size or config.window_size(),
        lang=lang,
        clock=clock or SystemClock(),
        sink=sink if sink is not None else MemoryUsageSink(),
        usage=usage,
        registered=registered,
        seed=seed,
        data_folder=data_folder,
        handle_signals=handle_signals,
        first_frame=first_frame,
    )
