"""Runs one activity under the shell's top bar and guards the child from its failures.

The host owns the bar (Home top-left, the title), Escape (= Home), the run bookkeeping
behind `ActivityContext`, and a safety net: any exception from the activity is logged
with its traceback, the run is recorded as `error`, and the child sees the friendly
"Oops" screen instead."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pygame

from kiosk import routes
from kiosk.activities import RegisteredActivity
from kiosk.api import Activity, ActivityContext, ActivityInfo, SessionInfo, VisitCreations
from kiosk.input import InputEvent, PointerEvent
from kiosk.scenes.base import Scene, Shell, is_back_key
from kiosk.scenes.common import corner_button
from kiosk.ui.draw import paint_background
from kiosk.ui.theme import INK, WHITE
from kiosk.ui.widgets import ButtonGroup

#: Seconds without painting or input after which an activity counts as still.
STILL_AFTER_S = 1.0


class ActivityHost(Scene):
    releases_memory = True

    def __init__(self, shell: Shell, activity: RegisteredActivity) -> None:
        super().__init__(shell)
        self.registered = activity
        self.bar_buttons = ButtonGroup(self.ui, shell.invalidate)
        self.activity: Activity | None = None
        self.failed = False
        self._bar_veil: pygame.Surface | None = None
        self._round_begun = False
        self._still_s = 0.0

    @property
    def info(self) -> ActivityInfo:
        return self.registered.cls.info

    @property
    def area(self) -> pygame.Rect:
        m = self.ui.metrics
        return pygame.Rect(0, m.bar_height, m.width, m.height - m.bar_height)

    @property
    def frame_rate(self) -> int:
        # Activities animate freely while they paint or the child touches them (the loop
        # caps this at display.max_fps); an activity that has been still for a moment —
        # a level picker, a question waiting for its answer — gets the calm input poll.
        return 60 if self._still_s < STILL_AFTER_S else 0

    # ----- lifecycle ---------------------------------------------------------------------

    def on_enter(self) -> None:
        self.layout()
        shell = self.shell
        session = shell.sessions.current
        group = session is not None and session.kind == "group"
        info = SessionInfo(
            kind=session.kind if session else "solo",
            headcount=session.headcount if session else 1,
            age_band=session.age_band if session else None,
            teams=shell.session.teams if group else None,
        )
        translator = shell.services.translator
        self.ctx = ActivityContext(
            area=self.area,
            ui=self.ui,
            lang=translator.lang,
            gettext=translator.gettext,
            ngettext=translator.ngettext,
            pick=translator.pick,
            session=info,
            random=random.Random(shell.services.random.getrandbits(64)),
            now=shell.now,
            _invalidate=self._invalidate_area,
            _start_round=self._start_round,
            _set_progress=self._set_progress,
            _complete=self._complete,
            _go_home=self.go_home,
            packs=shell.services.packs.ready(),
            _picture=shell.services.pictures.get,
            _original_picture=shell.services.pictures.original,
            _picture_size=shell.services.pictures.size_of,
            creations=self._creations(),
        )
        shell.sessions.start_run(self.info.id)
        if self._guard(lambda: self._construct()):
            self._guard(lambda: self._call(lambda a: a.on_enter()))

    def _creations(self) -> VisitCreations | None:
        store = self.services.creations
        session = self.shell.sessions.current
        # In memory only: which creations this session made ("my pictures").
        if store is None:
            return None
        return store.for_visit(session.session_id if session is not None else None)

    def _construct(self) -> None:
        self.activity = self.registered.cls(self.ctx)

    def on_exit(self) -> None:
        ending = self.shell.session.ending
        if ending is not None and self.activity is not None and not self.failed:
            self._guard(lambda: self._call(lambda a: a.on_session_end(ending)), leave=False)
        if self.activity is not None and not self.failed:
            self._guard(lambda: self._call(lambda a: a.on_exit()), leave=False)
        # Whatever run is still open when the child leaves was not finished.
        self.shell.sessions.end_run("quit")

    def on_pause(self) -> None:
        self._guard(lambda: self._call(lambda a: a.on_pause()))

    def on_resume(self) -> None:
        self._guard(lambda: self._call(lambda a: a.on_resume()))

    def on_language_changed(self) -> None:
        self.layout()
        self.ctx.lang = self.services.translator.lang
        self._guard(lambda: self._call(lambda a: a.on_language_changed()))

    def layout(self) -> None:
        m = self.ui.metrics
        self.bar_buttons.set_buttons([corner_button(m, "home", "house", self.go_home)])
        self._bar_veil = None

    # ----- the safety net ----------------------------------------------------------------

    def _call(self, action: Callable[[Activity], object]) -> object:
        if self.activity is None or self.failed:
            return None
        return action(self.activity)

    def _guard(self, call: Callable[[], object], leave: bool = True) -> bool:
        try:
            call()
            return True
        except Exception:
            self.shell.report_error(f"activity {self.info.id}")
            self._fail(leave)
            return False

    def _fail(self, leave: bool) -> None:
        if self.failed:
            return
        self.failed = True
        self.shell.sessions.end_run("error")
        if leave:
            self.shell.go(routes.Oops())

    # ----- what the context forwards -----------------------------------------------------

    def _invalidate_area(self, rect: pygame.Rect | None) -> None:
        self._still_s = 0.0
        self.shell.invalidate(rect.clip(self.area) if rect is not None else self.area)

    def _start_round(self, level: int | None) -> None:
        self.shell.sessions.begin_round(self.info.id, level, first=not self._round_begun)
        self._round_begun = True

    def _set_progress(self, level: int | None, score: int | None) -> None:
        self.shell.sessions.set_progress(level, score)

    def _complete(self, score: int | None, level: int | None) -> None:
        self._set_progress(level, score)
        self.shell.sessions.end_run("completed")

    def go_home(self) -> None:
        self.shell.go(routes.Launcher())

    # ----- frames ------------------------------------------------------------------------

    def handle_event(self, event: InputEvent) -> bool:
        self._still_s = 0.0
        # The bar takes pointer input only: on the keyboard, Escape is Home, and arrows,
        # Tab and Enter belong to the activity.
        if isinstance(event, PointerEvent) and self.bar_buttons.handle(event):
            return True
        # When teams play with pads, a child's B goes to the game first: a team game that
        # takes it keeps one press from ending every team's game (Escape on the keyboard
        # and the Home button still leave).
        team_pad = self.ctx.session.teams is not None and getattr(event, "pad", None) is not None
        if is_back_key(event) and not team_pad:
            self.go_home()
            return True
        result = False

        def deliver() -> None:
            nonlocal result
            result = bool(self._call(lambda a: a.handle_event(event)))

        self._guard(deliver)
        if not result and is_back_key(event) and not self.failed:
            self.go_home()
            return True
        return result

    def update_due(self, now: float) -> float:
        """No update until the next input while the activity waits for it (a picker)."""
        try:
            waiting = self._call(lambda a: a.waiting_for_input()) is True
        except Exception:  # noqa: BLE001 - an add-on's answer never stops the loop
            waiting = False
        return math.inf if waiting else now

    def update(self, dt: float) -> None:
        self._still_s += dt
        self._guard(lambda: self._call(lambda a: a.update(dt)))

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        bar = pygame.Rect(0, 0, m.width, m.bar_height)
        clip = surface.get_clip()
        if clip.colliderect(bar):
            paint_background(surface, bar)
            if self._bar_veil is None:
                self._bar_veil = pygame.Surface(bar.size, pygame.SRCALPHA)
                self._bar_veil.fill((*WHITE, 120))
            surface.blit(self._bar_veil, bar)
            title = self.ui.text.fit(
                self.services.translator.pick(self.info.title),
                (m.width - 2 * (m.bar_height + m.px(200)), m.bar_height - m.px(16)),
                m.font_size("heading"),
                INK,
                weight="bold",
            )
            surface.blit(title, title.get_rect(center=bar.center))
            self.bar_buttons.draw(surface)
        if clip.colliderect(self.area):
            surface.set_clip(clip.clip(self.area))
            self._guard(lambda: self._call(lambda a: a.draw(surface)))
            surface.set_clip(clip)
