"""The shell: `create_app(config)` builds a kiosk, `App.run()` drives it.

The App owns the window, the scene stack, the services (text, pictures, sound, language,
sessions) and the main loop. Time comes from an injected clock so the headless harness
and `kiosk monkey` can step frames deterministically.

Redrawing is by invalidation: scenes mark rectangles dirty and only those are repainted
and sent to the screen, which keeps an idle attract screen or launcher near zero CPU."""

from __future__ import annotations

import logging
import os
import random
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pygame

from kiosk import activities as activity_registry
from kiosk.config import Config
from kiosk.i18n import Translator
from kiosk.input import InputEvent, InputTranslator, KeyEvent
from kiosk.packs.library import PackLibrary, PackPictures
from kiosk.paths import ASSETS, CONTENT
from kiosk.scenes.base import Scene
from kiosk.sessions import MemoryUsageSink, SessionManager, UsageSink
from kiosk.sound import SoundService
from kiosk.ui.images import ImageCache
from kiosk.ui.text import TextRenderer
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets import UI

log = logging.getLogger(__name__)

HEARTBEAT_S = 30.0
#: Input polling rate while nothing on screen moves: a tap is noticed within 50 ms.
IDLE_POLL_FPS = 20


class SystemClock:
    """Real time: monotonic seconds for timers, UTC wall time for records."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """Time that moves only when told to (tests, monkey)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._t = 1000.0
        self._start_wall = start or datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
        self._start_t = self._t

    def advance(self, seconds: float) -> None:
        self._t += seconds

    def monotonic(self) -> float:
        return self._t

    def wall(self) -> datetime:
        return self._start_wall + timedelta(seconds=self._t - self._start_t)


Clock = SystemClock | FakeClock


def _scene_factories() -> dict[str, Callable[..., Scene]]:
    # Imported here, not at module level, so building the registry is the shell's job
    # and scene modules never import each other.
    from kiosk.scenes.activity_host import ActivityHost
    from kiosk.scenes.age_picker import AgePicker
    from kiosk.scenes.attract import Attract
    from kiosk.scenes.idle_prompt import IdlePrompt
    from kiosk.scenes.launcher import Launcher
    from kiosk.scenes.oops import Oops

    return {
        "attract": Attract,
        "age_picker": AgePicker,
        "launcher": Launcher,
        "activity": ActivityHost,
        "idle_prompt": IdlePrompt,
        "oops": Oops,
    }


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
        registered: list[activity_registry.RegisteredActivity],
        seed: int | None = None,
    ) -> None:
        self.config = config
        self.kiosk_mode = not windowed
        self.clock = clock
        self.errors = 0
        self.running = False
        self.random = random.Random(seed)

        # SDL would turn SIGTERM into a window-close event, which kiosk mode ignores; the
        # shell handles signals itself so a system shutdown still ends it cleanly.
        os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
        pygame.display.init()
        pygame.font.init()
        if self.kiosk_mode:
            # Alt+F4 must not close the kiosk on Windows either.
            os.environ.setdefault("SDL_WINDOWS_NO_CLOSE_ON_ALT_F4", "1")
        pygame.display.set_caption("Telpa")
        if not fullscreen:
            self.screen = pygame.display.set_mode(size or (1366, 768))
        elif size is not None:
            self.screen = pygame.display.set_mode(size, pygame.FULLSCREEN)
        else:
            self.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        width, height = self.screen.get_size()
        self.input = InputTranslator((width, height))

        fonts = ASSETS / "fonts"
        self.ui = UI(
            metrics=Metrics(width, height),
            text=TextRenderer(fonts / "Andika-Regular.ttf", fonts / "Andika-Bold.ttf"),
            images=ImageCache(ASSETS / "emoji"),
            sounds=SoundService(config.sound.enabled, config.sound.volume),
        )
        self.translator = Translator(config.languages.available, config.languages.default)
        if lang is not None:
            self.translator.default = lang
            self.translator.lang = lang
        self.sink = sink
        self.sessions = SessionManager(sink, clock.wall)
        self.activities = activity_registry.arrange(
            registered, config.activities.order, config.activities.hidden
        )
        self.packs = PackLibrary([CONTENT, *(Path(f) for f in config.content.folders)])
        self.pictures = PackPictures(self.packs, self.ui.images)

        self._factories = _scene_factories()
        self.stack: list[Scene] = []
        self._dirty: list[pygame.Rect] = []
        self._full_redraw = True
        self._last_input = clock.monotonic()
        self._last_heartbeat = clock.monotonic()
        self._last_tick = clock.monotonic()
        self.frames = 0

    # ----- what scenes may ask (the Shell protocol) -------------------------------------

    def now(self) -> float:
        return self.clock.monotonic()

    def go(self, name: str, **kwargs: Any) -> None:
        while self.stack:
            scene = self.stack.pop()
            self._safely(scene.on_exit, f"{type(scene).__name__}.on_exit")
        self._enter(self._factories[name](self, **kwargs))

    def push(self, name: str, **kwargs: Any) -> None:
        if self.stack:
            top = self.stack[-1]
            self._safely(top.on_pause, f"{type(top).__name__}.on_pause")
        self._enter(self._factories[name](self, **kwargs))

    def pop(self, scene: Scene) -> None:
        if scene not in self.stack:
            return
        was_top = self.stack[-1] is scene
        self.stack.remove(scene)
        self._safely(scene.on_exit, f"{type(scene).__name__}.on_exit")
        if was_top and self.stack:
            top = self.stack[-1]
            self._safely(top.on_resume, f"{type(top).__name__}.on_resume")
        self.invalidate()

    def _enter(self, scene: Scene) -> None:
        self.stack.append(scene)
        self._safely(scene.on_enter, f"{type(scene).__name__}.on_enter")
        self.invalidate()

    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        if rect is None:
            self._full_redraw = True
        else:
            self._dirty.append(pygame.Rect(rect))

    def set_language(self, lang: str) -> None:
        if lang == self.translator.lang:
            return
        self.translator.set_language(lang)
        self.sessions.change_session(language=lang)
        for scene in list(self.stack):
            self._safely(scene.on_language_changed, f"{type(scene).__name__}.on_language")
        self.invalidate()

    def end_session(self, reason: str) -> None:
        outcome = "idle" if reason == "idle" else "quit"
        self.sessions.end_session(reason, run_outcome=outcome)  # type: ignore[arg-type]
        self.translator.set_language(self.translator.default)
        self.go("attract")

    def report_error(self, where: str) -> None:
        self.errors += 1
        log.exception("error in %s", where)

    def scene(self, name: str) -> Scene | None:
        """The top-most scene of the named kind, if any (for the harness and tests)."""
        cls = self._factories[name]
        for scene in reversed(self.stack):
            if isinstance(scene, cls):  # type: ignore[arg-type]
                return scene
        return None

    @property
    def top(self) -> Scene | None:
        return self.stack[-1] if self.stack else None

    # ----- the loop ----------------------------------------------------------------------

    def start(self) -> None:
        self.running = True
        self.go("attract")
        self.render()
        self.packs.start()  # after the first frame: children see the screen at once

    def _safely(self, call: Callable[[], object], where: str) -> None:
        try:
            call()
        except Exception:
            self.report_error(where)
            self._recover()

    def _recover(self) -> None:
        """After a shell error: close what was open and show the attract screen."""
        try:
            self.sessions.end_session("crash", run_outcome="error")
            self.translator.set_language(self.translator.default)
            self.stack.clear()
            from kiosk.scenes.attract import Attract

            scene = Attract(self)
            self.stack.append(scene)
            scene.on_enter()
        except Exception:
            log.exception("recovery failed")
            self.stack.clear()
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
        if self._is_alt_f4(translated):
            log.info("Alt+F4 ignored")
            return
        self._last_input = self.clock.monotonic()
        self.handle_input(translated)

    def _is_alt_f4(self, event: InputEvent) -> bool:
        return (
            isinstance(event, KeyEvent)
            and event.key == pygame.K_F4
            and bool(event.mod & pygame.KMOD_ALT)
        )

    def handle_input(self, event: InputEvent) -> None:
        for scene in reversed(list(self.stack)):
            handled = False

            def deliver(scene: Scene = scene) -> None:
                nonlocal handled
                handled = scene.handle_event(event)

            self._safely(deliver, f"{type(scene).__name__}.handle_event")
            if handled or scene.opaque or not self.stack or scene not in self.stack:
                break

    def _resize(self, size: tuple[int, int]) -> None:
        self.screen = pygame.display.get_surface() or self.screen
        self.ui.metrics = Metrics(*size)
        self.input.size = size
        for scene in list(self.stack):
            self._safely(scene.layout, f"{type(scene).__name__}.layout")

    @property
    def frame_rate(self) -> int:
        """The frame rate the stack needs now, capped by display.max_fps; 0 when still."""
        needed = max((scene.frame_rate for scene in self.stack), default=0)
        return min(needed, self.config.display.max_fps)

    def update(self, dt: float) -> None:
        now = self.clock.monotonic()
        for scene in list(self.stack):
            if scene in self.stack:
                self._safely(partial(scene.update, dt), f"{type(scene).__name__}.update")
        session_open = self.sessions.current is not None
        if session_open and now - self._last_heartbeat >= HEARTBEAT_S:
            self._last_heartbeat = now
            self.sessions.heartbeat()
        idle_for = now - self._last_input
        top = self.top
        if (
            top is not None
            and top.in_session
            and self.scene("idle_prompt") is None
            and idle_for >= self.config.session.idle_timeout_s
        ):
            self.push("idle_prompt")

    def note_input(self) -> None:
        """Count as child activity (used by scenes for input they synthesise)."""
        self._last_input = self.clock.monotonic()

    def _visible_scenes(self) -> list[Scene]:
        start = 0
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].opaque:
                start = i
                break
        return self.stack[start:]

    def _paint(self) -> None:
        for scene in self._visible_scenes():
            self._safely(partial(scene.draw, self.screen), f"{type(scene).__name__}.draw")

    def render(self) -> list[pygame.Rect]:
        """Repaint what was invalidated; returns the rectangles sent to the screen."""
        screen_rect = self.screen.get_rect()
        if self._full_redraw:
            self._full_redraw = False
            self._dirty.clear()
            self.screen.set_clip(None)
            self._paint()
            pygame.display.flip()
            self.frames += 1
            return [screen_rect]
        if not self._dirty:
            return []
        rects = [r.clip(screen_rect) for r in self._dirty if r.colliderect(screen_rect)]
        self._dirty.clear()
        if not rects:
            return []
        if len(rects) > 4:
            rects = [rects[0].unionall(rects[1:])]
        for rect in rects:
            self.screen.set_clip(rect)
            self._paint()
        self.screen.set_clip(None)
        pygame.display.update(rects)
        self.frames += 1
        return rects

    def step(self, dt: float) -> list[pygame.Rect]:
        """One frame: events already queued, update by dt, repaint."""
        for event in pygame.event.get():
            self.dispatch(event)
        self.update(dt)
        return self.render()

    def stop(self, signum: int = 0, _frame: object = None) -> None:
        """End the main loop (SIGTERM, SIGINT); the open session ends as `shutdown`."""
        log.info("stopping on signal %s", signum)
        self.running = False

    def run(self) -> None:
        """The real main loop, at the frame rate the screen needs (see `frame_rate`)."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        self.start()
        fps_clock = pygame.time.Clock()
        last = self.clock.monotonic()
        while self.running:
            # When nothing moves, poll input at a calm rate. (pygame's event.wait() polls
            # every millisecond inside, which costs more than this.)
            fps_clock.tick(self.frame_rate or IDLE_POLL_FPS)
            for event in pygame.event.get():
                self.dispatch(event)
            now = self.clock.monotonic()
            self.update(min(now - last, 0.25))
            last = now
            self.render()
        self.shutdown()

    def shutdown(self) -> None:
        self.sessions.end_session("shutdown")
        for scene in reversed(self.stack):
            self._safely(scene.on_exit, f"{type(scene).__name__}.on_exit")
        self.stack.clear()
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
    registered: list[activity_registry.RegisteredActivity] | None = None,
    seed: int | None = None,
) -> App:
    """Build a kiosk from a validated config. Nothing is global: build as many as needed
    (one at a time: SDL has one window per process).

    `windowed` is the developer mode (a window that may be closed); `fullscreen`
    defaults to its opposite, and the headless harness sets it False to get an
    exact screen size while keeping kiosk behaviour."""
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
        registered=registered,
        seed=seed,
    )
