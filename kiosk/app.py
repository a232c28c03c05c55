"""The shell: `create_app(config)` builds a kiosk, `App.run()` drives it.

The App owns the window, the scene stack, the services (text, pictures, sound, language,
sessions) and the main loop. Time comes from an injected clock so the headless harness
and `kiosk monkey` can step frames deterministically.

Redrawing is by invalidation: scenes mark rectangles dirty and only those are repainted
and sent to the screen, which keeps an idle attract screen or launcher near zero CPU."""

from __future__ import annotations

import gc
import logging
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pygame

from kiosk import activities as activity_registry
from kiosk.config import Config
from kiosk.creations import CreationStore, CreationWriter
from kiosk.fleet.station import OfficeContent
from kiosk.i18n import Translator
from kiosk.input import InputEvent, InputTranslator, KeyEvent
from kiosk.librarian.access import HOLD_S, HOLD_VISIBLE_AFTER_S, GroupClock, UnlockGesture
from kiosk.librarian.pin import PinCheck
from kiosk.librarian.sound_settings import StationSound
from kiosk.packs.library import PackLibrary, PackPictures
from kiosk.packs.models import Pack
from kiosk.pads import Pads
from kiosk.paths import ASSETS, CONTENT, LIBRARY_PACKS_DIR
from kiosk.scenes.base import Scene
from kiosk.scenes.common import group_badge_rect, librarian_corner
from kiosk.sessions import MemoryUsageSink, SessionManager, UsageSink
from kiosk.sound import SoundService
from kiosk.sync.service import SyncService, start_sync_service
from kiosk.ui.cache import budget_for
from kiosk.ui.draw import rounded_card
from kiosk.ui.images import ImageCache
from kiosk.ui.scoreboard import TeamScore
from kiosk.ui.text import TextRenderer
from kiosk.ui.theme import BAD, FOCUS, WHITE, Metrics, darken
from kiosk.ui.widgets import UI
from kiosk.usage.stats import RecentUsage, empty_recent_usage, recent_usage
from kiosk.voice.service import VoiceService

log = logging.getLogger(__name__)

HEARTBEAT_S = 30.0
GROUP_COLOR = (94, 53, 177)
#: A group's timer warns this long before the end (on the badge; nothing blocks play).
GROUP_WARNING_S = 60.0
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


@dataclass(frozen=True)
class GroupBadge:
    """What the always-visible group badge shows now (the tests read it too)."""

    rect: pygame.Rect
    #: "Group · 10", or "Last minute!" during the last minute of a timer.
    headline: str
    #: "12:34 left" while a timer runs; None without a timer.
    time_left: str | None
    #: The last minute of the timer: the badge turns red and blinks, play goes on.
    warning: bool
    #: During the warning, the brighter of the blink's two reds (it flips every second).
    bright: bool = False


def _scene_factories() -> dict[str, Callable[..., Scene]]:
    # Imported here, not at module level, so building the registry is the shell's job
    # and scene modules never import each other.
    from kiosk.scenes.activity_host import ActivityHost
    from kiosk.scenes.age_picker import AgePicker
    from kiosk.scenes.attract import Attract
    from kiosk.scenes.creations import CreationsReview
    from kiosk.scenes.group_setup import GroupSetup
    from kiosk.scenes.idle_prompt import IdlePrompt
    from kiosk.scenes.launcher import Launcher
    from kiosk.scenes.oops import Oops
    from kiosk.scenes.out_of_order import OutOfOrder
    from kiosk.scenes.pad_missing import PadMissing
    from kiosk.scenes.panel import Panel
    from kiosk.scenes.pin_pad import PinPad
    from kiosk.scenes.showtime import Showtime
    from kiosk.scenes.time_up import TimeUp
    from kiosk.scenes.voice_clips import VoiceClips

    return {
        "pin_pad": PinPad,
        "panel": Panel,
        "voice_clips": VoiceClips,
        "creations": CreationsReview,
        "group_setup": GroupSetup,
        "time_up": TimeUp,
        "out_of_order": OutOfOrder,
        "attract": Attract,
        "age_picker": AgePicker,
        "launcher": Launcher,
        "activity": ActivityHost,
        "idle_prompt": IdlePrompt,
        "oops": Oops,
        "pad_missing": PadMissing,
        "showtime": Showtime,
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
        data_folder: Path | None = None,
    ) -> None:
        #: Packs and settings from the project office, taken at the attract screen.
        self.office = OfficeContent(data_folder)
        self.office.poll()
        self._own_config = config
        self._registered = registered
        config = self.office.config(config)
        self.config = config
        self.data_folder = data_folder
        self.kiosk_mode = not windowed
        self.clock = clock
        self.errors = 0
        self.running = False
        self.random = random.Random(seed)

        # SDL would turn SIGTERM into a window-close event, which kiosk mode ignores; the
        # shell handles signals itself so a system shutdown still ends it cleanly.
        os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
        if sys.platform.startswith("linux"):
            # SDL's default on X11 uploads the whole window into a texture and renders it
            # at every update; without a GPU (software GL, Xvfb, thin PCs) that costs
            # 7 ms a frame and ~15 % of a core on a still screen, and 110 MB more. The
            # plain window surface sends only the changed rectangles (0.3 ms, ~1 %); see
            # benchmarks/bench_xvfb.py. IT staff can set the variable to 1 to compare.
            os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
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
        #: Game controllers (kiosk.pads); their buttons arrive as keys through `input`.
        self.pads = Pads()
        self.input = InputTranslator((width, height), self.pads)

        fonts = ASSETS / "fonts"
        sounds = SoundService(config.sound.enabled, config.sound.volume)
        self.ui = UI(
            metrics=Metrics(width, height),
            text=TextRenderer(
                fonts / "Andika-Regular.ttf",
                fonts / "Andika-Bold.ttf",
                budget_for((width, height), screens=2.0),
            ),
            images=ImageCache(ASSETS / "emoji", budget_for((width, height), screens=2.0)),
            sounds=sounds,
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
        library_packs = [data_folder / LIBRARY_PACKS_DIR] if data_folder is not None else []
        self._pack_roots = [CONTENT, *library_packs, *(Path(f) for f in config.content.folders)]
        self.packs = PackLibrary([*self.office.pack_folders, *self._pack_roots])
        self.pictures = PackPictures(
            self.packs, self.ui.images, budget_for((width, height), screens=2.0)
        )
        #: Reading texts aloud; does nothing without a sound device (kiosk.voice).
        self.voice = VoiceService.from_config(
            config.sound, data_folder, self._packs_with_folders, ASSETS / "voice"
        )
        self.ui.voice = self.voice
        #: The librarian's volume and mute (the panel), kept in the data folder.
        self.station_sound = StationSound.for_station(config.sound, data_folder, sounds, self.voice)
        self.pins = PinCheck.for_station(config, data_folder)
        self.unlock = UnlockGesture(lambda: librarian_corner(self.ui.metrics))
        self.group_clock: GroupClock | None = None
        #: In a group session the librarian may fix one activity: the launcher shows only it.
        self.fixed_activity: str | None = None
        #: The activity the launcher opened last: Home returns to the page that holds it.
        self.launcher_activity: str | None = None
        #: The child's language while the PIN pad or panel shows the station's own.
        self._child_language: str | None = None
        self._badge_shown: tuple[object, ...] | None = None
        #: Children's drawings, films and stories (none without a data folder).
        self.creations: CreationStore | None = (
            CreationStore(
                data_folder / "creations", config.station.id, clock.wall, CreationWriter()
            )
            if data_folder is not None
            else None
        )
        #: Why the session is ending while the scenes close (activities' on_session_end).
        self.ending_session: str | None = None
        #: Background sync to the project office (started in `start`; None when not set up).
        self.sync: SyncService | None = None

        self._factories = _scene_factories()
        if self.kiosk_mode and fullscreen:
            # Alt+Tab and the Windows key stay inside the kiosk where SDL can do that.
            try:
                pygame.Window.from_display_module().grab_keyboard = True
            except (AttributeError, pygame.error) as exc:
                log.info("keyboard grab not available: %s", exc)
        self.stack: list[Scene] = []
        self._dirty: list[pygame.Rect] = []
        self._full_redraw = True
        self._updating_hidden = False
        self._last_input = clock.monotonic()
        self._last_heartbeat = clock.monotonic()
        self._last_tick = clock.monotonic()
        self.frames = 0
        #: The first screen: attract, or out of order (the supervisor's pause).
        self.start_scene = "attract"

    def _packs_with_folders(self) -> list[tuple[Pack, Path]]:
        folders = self.packs.folders
        return [(pack, folders[pack.pack]) for pack in self.packs.ready()]

    # ----- what scenes may ask (the Shell protocol) -------------------------------------

    def now(self) -> float:
        return self.clock.monotonic()

    def wall_now(self) -> datetime:
        return self.clock.wall()

    def go(self, name: str, **kwargs: Any) -> None:
        if name == "attract":
            self._take_office_update()
        self.voice.stop()  # the child moved on: what was being read no longer matters
        # The whole screen changes: whatever the librarian did next decides the language.
        self._child_language = None
        leaving_activity = False
        while self.stack:
            scene = self.stack.pop()
            leaving_activity |= scene.releases_memory
            self._safely(scene.on_exit, f"{type(scene).__name__}.on_exit")
        if leaving_activity:
            # An activity's pictures sit in reference cycles (buttons call back into it);
            # Python's full collection may not come for a long while, so free them now,
            # at a scene change where a short pause is not seen.
            gc.collect()
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
        if self._updating_hidden:
            # A covered scene's animation is not on screen: the whole screen is painted
            # again anyway when the scene on top of it goes.
            return
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
        self.group_clock = None
        self.fixed_activity = None
        self.launcher_activity = None
        self.translator.set_language(self.translator.default)
        self.ending_session = reason
        try:
            self.go("attract")
        finally:
            self.ending_session = None

    def _take_office_update(self) -> None:
        """New packs and settings from the office, between two visits (kiosk.fleet)."""
        try:
            update = self.office.poll()
            if update is None:
                return
            config = self.office.config(self._own_config)
            if config.languages != self.config.languages:
                self.translator = Translator(config.languages.available, config.languages.default)
            self.config = config
            self.activities = activity_registry.arrange(
                self._registered, config.activities.order, config.activities.hidden
            )
            self.packs = PackLibrary([*update.pack_folders, *self._pack_roots])
            self.pictures = PackPictures(
                self.packs, self.ui.images, budget_for(self.screen.get_size(), screens=2.0)
            )
            self.packs.start()
        except Exception:
            log.exception("the office's packs and settings could not be taken")

    def group_defaults(self) -> dict[str, Any]:
        return self.office.group_defaults()

    def room_closed(self) -> bool:
        """Outside the opening hours the office set: the attract screen starts nothing."""
        return not self.office.is_open(self.clock.wall(), self.config.site.timezone)

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
        self.go(self.start_scene)
        self.render()
        self.packs.start()  # after the first frame: children see the screen at once
        self._start_creations_purge()
        self.sync = start_sync_service(self.config, self.data_folder, self.clock.wall)

    def _start_creations_purge(self) -> None:
        store = self.creations
        if store is None:
            return
        days = self.config.creations.retention_days

        def purge() -> None:
            try:
                store.purge(days)
            except Exception:
                log.exception("purging old creations failed")

        threading.Thread(target=purge, name="creations-purge", daemon=True).start()

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
            self._child_language = None
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
        now = self.clock.monotonic()
        self._last_input = now
        if self.unlock.observe(translated, now):
            self.open_librarian()
            return
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
        # Covered scenes are not drawn, so their animations do not count.
        needed = max((scene.frame_rate for scene in self._visible_scenes()), default=0)
        if self.unlock.holding:
            needed = max(needed, 20)
        return min(needed, self.config.display.max_fps)

    def update(self, dt: float) -> None:
        now = self.clock.monotonic()
        # Checked here, not in `pop`: the PIN pad closes itself just before the panel opens.
        self._leave_librarian_language()
        visible = self._visible_scenes()
        for scene in list(self.stack):
            if scene in self.stack:
                self._updating_hidden = scene not in visible
                try:
                    self._safely(partial(scene.update, dt), f"{type(scene).__name__}.update")
                finally:
                    self._updating_hidden = False
        session = self.sessions.current
        if session is not None and now - self._last_heartbeat >= HEARTBEAT_S:
            self._last_heartbeat = now
            self.sessions.heartbeat()
        self._update_librarian(now)
        self._update_pads(now)
        self.voice.update()
        idle_for = now - self._last_input
        top = self.top
        if (
            top is not None
            and top.in_session
            and (session is None or session.kind == "solo")  # groups end by timer or librarian
            and self.scene("idle_prompt") is None
            and idle_for >= self.config.session.idle_timeout_s
        ):
            self.push("idle_prompt")

    def _update_librarian(self, now: float) -> None:
        if self.unlock.completed(now):
            self.open_librarian()
        if self.unlock.holding:
            self.invalidate(self._hold_ring_rect())
        clock = self.group_clock
        if clock is not None and clock.remaining(now) <= 0 and self.scene("time_up") is None:
            self._group_time_is_up()
            return
        badge = self.group_badge()
        shown = None if badge is None else (badge.rect, badge.headline, badge.time_left)
        if shown != self._badge_shown:
            if badge is not None:
                self.invalidate(badge.rect)
            if self._badge_shown is not None:
                self.invalidate(group_badge_rect(self.ui.metrics))
            self._badge_shown = shown

    def _update_pads(self, now: float) -> None:
        """Held pad directions repeat; a pad pulled out mid-game pauses the game."""
        for event in self.input.repeats(now):
            self._last_input = now
            self.handle_input(event)
        if not self.pads.missing:
            return
        if self.scene("activity") is None:
            self.pads.forget_missing()  # pulled out between games: nobody waits for it
        elif self.top is self.scene("activity"):
            self.push("pad_missing", pads=self.pads)

    def _group_time_is_up(self) -> None:
        """The timer ran out: a team game's scores are read before it closes, so the
        "time is up" screen can show them as the final score."""
        teams = self._team_scores()
        self.group_clock = None
        self.sessions.end_session("timer")
        self.fixed_activity = None
        self.launcher_activity = None
        self.ending_session = "timer"
        try:
            self.go("time_up", teams=teams)
        finally:
            self.ending_session = None

    def _team_scores(self) -> list[TeamScore]:
        host = self.scene("activity")
        activity = getattr(host, "activity", None)
        if activity is None or getattr(host, "failed", False):
            return []
        try:
            return list(activity.team_scores() or [])
        except Exception:
            self.report_error("team_scores")
            return []

    def group_badge(self) -> GroupBadge | None:
        """The group badge as it is painted now; None outside group sessions and on the
        librarian's and "time is up" screens."""
        session = self.sessions.current
        top = self.top
        if session is None or session.kind != "group" or top is None or not top.in_session:
            return None
        _ = self.translator.gettext
        time_left: str | None = None
        warning = bright = False
        if self.group_clock is not None:
            remaining = self.group_clock.remaining(self.now())
            warning = remaining <= GROUP_WARNING_S
            # Flips with the seconds shown, so every repaint of one second looks the same.
            bright = warning and int(remaining + 0.999) % 2 == 1
            time_left = _("%(time)s left") % {"time": GroupClock.label(remaining)}
        headline = _("Last minute!") if warning else _("Group · %(n)d") % {"n": session.headcount}
        return GroupBadge(group_badge_rect(self.ui.metrics), headline, time_left, warning, bright)

    def group_home(self) -> None:
        """Where the launcher's waving hand leads in a group session, which only the
        librarian or the timer ends: the group's fixed activity, or a fresh launcher."""
        self.launcher_activity = None
        fixed = next((a for a in self.activities if a.id == self.fixed_activity), None)
        if fixed is not None:
            self.go("activity", activity=fixed)
        else:
            self.go("launcher")

    def open_librarian(self) -> None:
        """The PIN pad (unless it or the panel is already open), in the station's own
        language: the child's comes back when the librarian returns to the children."""
        if self.scene("pin_pad") is None and self.scene("panel") is None:
            if self._child_language is None:
                self._child_language = self.translator.lang
            # Not set_language: the session's language stays the child's.
            self.translator.set_language(self.translator.default)
            self.push("pin_pad")

    def _leave_librarian_language(self) -> None:
        if self._child_language is None:
            return
        if self.scene("pin_pad") is not None or self.scene("panel") is not None:
            return
        lang, self._child_language = self._child_language, None
        if lang != self.translator.lang:
            self.translator.set_language(lang)
            for scene in list(self.stack):
                self._safely(scene.on_language_changed, f"{type(scene).__name__}.on_language")
        self.invalidate()

    def recent_usage(self) -> RecentUsage:
        """The last seven days' counts for the librarian panel."""
        today = self.clock.wall().astimezone(ZoneInfo(self.config.site.timezone)).date()
        if self.data_folder is None:
            return empty_recent_usage(today)
        return recent_usage(self.data_folder, today)

    def usage_problems(self) -> list[str]:
        """Problems the usage store wants the librarian to know of."""
        problems = getattr(self.sink, "problems", None)
        if problems is None:
            return []
        return [note.message for note in problems()]

    def exit_to_desktop(self) -> None:
        """The librarian leaves the kiosk: a clean stop that the supervisor respects."""
        log.info("librarian exit to desktop")
        self.sessions.end_session("librarian")
        self.running = False

    def start_group(
        self, headcount: int, age_band: str | None, activity: str | None, minutes: int | None
    ) -> None:
        """A librarian's group session: it replaces whatever session was open."""
        if self.sessions.current is not None:
            self.sessions.end_session("librarian")
        self.sessions.start_session("group", headcount, age_band, self.translator.lang)
        self.fixed_activity = activity
        self.launcher_activity = None
        self.group_clock = GroupClock(self.now() + minutes * 60) if minutes else None
        self.go("launcher")

    def _hold_ring_rect(self) -> pygame.Rect:
        return librarian_corner(self.ui.metrics)

    def _paint_overlays(self) -> None:
        """What the shell itself shows over every scene: the group badge and the hold ring."""
        m = self.ui.metrics
        now = self.now()
        badge = self.group_badge()
        if badge is not None:
            self._paint_badge(badge)
        progress = self.unlock.progress(now)
        if progress is not None and progress * HOLD_S >= HOLD_VISIBLE_AFTER_S:
            corner = self._hold_ring_rect()
            radius = corner.width // 3
            arc = pygame.Rect(0, 0, 2 * radius, 2 * radius)
            arc.center = corner.center
            pygame.draw.arc(
                self.screen, FOCUS, arc, 1.5708, 1.5708 + progress * 6.2832, max(3, m.px(8))
            )

    def _paint_badge(self, badge: GroupBadge) -> None:
        m = self.ui.metrics
        rect = badge.rect
        color = GROUP_COLOR
        if badge.warning:
            color = BAD if badge.bright else darken(BAD, 0.25)
        self.screen.blit(rounded_card(rect.size, rect.height // 3, color, m.px(3), WHITE), rect)
        icon_side = min(rect.height - m.px(20), m.px(40))
        icon = self.ui.images.emoji(
            "alarm-clock" if badge.warning else "busts-in-silhouette", icon_side
        )
        self.screen.blit(icon, icon.get_rect(midleft=(rect.x + m.px(10), rect.centery)))
        text_box = pygame.Rect(
            rect.x + m.px(16) + icon_side,
            rect.y + m.px(6),
            rect.right - m.px(10) - (rect.x + m.px(16) + icon_side),
            rect.height - m.px(12),
        )
        lines = [badge.headline] if badge.time_left is None else [badge.headline, badge.time_left]
        line_h = text_box.height // len(lines)
        for i, line in enumerate(lines):
            rendered = self.ui.text.fit(
                line,
                (text_box.width, line_h),
                m.font_size("body") if len(lines) == 1 else m.font_size("small"),
                WHITE,
                weight="bold",
                max_lines=1,
            )
            self.screen.blit(
                rendered,
                rendered.get_rect(center=(text_box.centerx, text_box.y + i * line_h + line_h // 2)),
            )

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
        self._safely(self._paint_overlays, "overlays")

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
            # When nothing moves, poll input at a calm rate, never slower. (pygame's
            # event.wait() polls every millisecond inside, which costs more than this.)
            fps_clock.tick(max(self.frame_rate, IDLE_POLL_FPS))
            for event in pygame.event.get():
                self.dispatch(event)
            now = self.clock.monotonic()
            self.update(min(now - last, 0.25))
            last = now
            self.render()
        self.shutdown()

    def shutdown(self) -> None:
        self.sessions.end_session("shutdown")
        self.ending_session = "shutdown"
        for scene in reversed(self.stack):
            self._safely(scene.on_exit, f"{type(scene).__name__}.on_exit")
        self.stack.clear()
        self.voice.close()
        self.pads.close()
        from kiosk.media.microphone import release_audio

        release_audio()  # the scenes' recordings have ended with their on_exit
        if self.sync is not None:
            self.sync.stop()
        if self.creations is not None:
            self.creations.close()  # the tools' last drafts, written by their on_exit
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
    data_folder: Path | None = None,
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
        data_folder=data_folder,
    )
