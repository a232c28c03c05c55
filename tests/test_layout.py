"""No text overflows its box and no button leaves the screen, in every language, at the
smallest PC screen, a 4:3 screen, full HD and a 4K whiteboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame
import pytest

from kiosk import routes
from kiosk.harness import Harness
from kiosk.i18n import LANGUAGES

SIZES = [(1280, 720), (1366, 768), (1280, 1024), (1920, 1080), (3840, 2160)]


def _visit_every_screen(kiosk: Harness) -> list[tuple[str, Callable[[], None]]]:
    def attract() -> None:
        pass

    def age() -> None:
        kiosk.tap_button("start")

    def launcher() -> None:
        kiosk.tap_button("age:skip")

    def memory_topics() -> None:
        kiosk.tap_button("tile:memory")

    def memory_levels() -> None:
        kiosk.tap_button("topic:animals")

    def memory_play() -> None:
        kiosk.tap_button("level:3")

    def memory_won() -> None:
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        for i, card in enumerate(game.cards):
            for j in range(i + 1, len(game.cards)):
                if card.key == game.cards[j].key:
                    game.turn(i)
                    game.turn(j)
        kiosk.step(60)

    def drawing_board() -> None:
        kiosk.tap_button("home")
        while "tile:draw" not in [b.id for b in kiosk.buttons()]:
            kiosk.tap_button("page:next")
        kiosk.tap_button("tile:draw")
        view = kiosk.app.top.activity.view  # type: ignore[union-attr]
        kiosk.drag((view.left + 10, view.top + 10), view.center)

    def drawing_stamps() -> None:
        kiosk.tap_button("tool:stamp")

    def drawing_clear_asks() -> None:
        kiosk.tap_button("clear")

    def drawing_saved() -> None:
        kiosk.tap_button("save")

    def drawing_my_pictures() -> None:
        kiosk.tap_button("pictures")

    def open_tile(tile: str) -> None:
        kiosk.tap_button("home")
        while f"tile:{tile}" not in [b.id for b in kiosk.buttons()]:
            kiosk.tap_button("page:next")
        kiosk.tap_button(f"tile:{tile}")

    def pictures_to_pick() -> list[str]:
        return [b.id for b in kiosk.buttons() if b.id.startswith("pick:") and b.enabled]

    def film_studio() -> None:
        open_tile("film")

    def film_pictures() -> None:
        kiosk.tap_button("add-picture")
        for picture in pictures_to_pick()[:2]:
            kiosk.tap_button(picture)

    def film_strip() -> None:
        kiosk.tap_button("pick-done")
        kiosk.tap_button("frame-hold")
        kiosk.tap_button("onion")

    def film_saved() -> None:
        kiosk.tap_button("save")

    def story_maker() -> None:
        open_tile("story")

    def story_keyboard() -> None:
        kiosk.tap_button("title")
        kiosk.tap_button("key:shift")
        for _ in range(30):
            kiosk.tap_button("key:w")

    def story_pictures() -> None:
        kiosk.tap_button("text-done")
        kiosk.tap_button("background")

    def story_saved() -> None:
        kiosk.tap_button(pictures_to_pick()[0])
        kiosk.tap_button("save")

    def creations_review() -> None:
        kiosk.app.push(routes.Creations())
        kiosk.step()

    def creations_review_one() -> None:
        card = next(b for b in kiosk.buttons() if b.id.startswith("review:drawing-"))
        kiosk.tap_button(card.id)
        kiosk.tap_button("review:delete")  # armed: "Delete for good?"

    def creations_review_consent() -> None:
        kiosk.tap_button("review:consent")
        kiosk.tap_button("review:back")
        kiosk.tap_button("review:back")

    def idle_prompt() -> None:
        kiosk.wait(95, dt=1.0)

    def oops() -> None:
        kiosk.app.go(routes.Oops())

    return [
        ("attract", attract),
        ("age", age),
        ("launcher", launcher),
        ("memory-topics", memory_topics),
        ("memory-levels", memory_levels),
        ("memory-play", memory_play),
        ("memory-won", memory_won),
        ("drawing-board", drawing_board),
        ("drawing-stamps", drawing_stamps),
        ("drawing-clear-asks", drawing_clear_asks),
        ("drawing-saved", drawing_saved),
        ("drawing-my-pictures", drawing_my_pictures),
        ("film-studio", film_studio),
        ("film-pictures", film_pictures),
        ("film-strip", film_strip),
        ("film-saved", film_saved),
        ("story-maker", story_maker),
        ("story-keyboard", story_keyboard),
        ("story-pictures", story_pictures),
        ("story-saved", story_saved),
        ("creations-review", creations_review),
        ("creations-review-one", creations_review_one),
        ("creations-review-consent", creations_review_consent),
        ("idle", idle_prompt),
        ("oops", oops),
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_overflows_and_buttons_stay_on_screen(
    size: tuple[int, int], lang: str, tmp_path: Path
) -> None:
    with Harness(size=size, lang=lang, data_folder=tmp_path) as kiosk:
        screen = pygame.Rect(0, 0, *size)
        for name, go in _visit_every_screen(kiosk):
            go()
            kiosk.screenshot()
            overflows = kiosk.app.ui.text.overflows
            assert overflows == [], f"{name}: {overflows}"
            for button in kiosk.buttons():
                assert screen.contains(button.rect), f"{name}: {button.id} {button.rect}"
            overlapping = [
                (a.id, b.id)
                for group in kiosk.button_groups()
                for i, a in enumerate(group.buttons)
                for b in group.buttons[i + 1 :]
                if a.rect.colliderect(b.rect)
            ]
            assert overlapping == [], name
            # A section heading (the launcher's Play / Create) under a tile is an overlap too.
            headings = getattr(kiosk.app.top, "headings", [])
            covered = [
                (heading, button.id)
                for heading, rect in headings
                for button in kiosk.buttons()
                if rect.colliderect(button.rect)
            ]
            assert covered == [], f"{name}: {covered}"
        assert kiosk.app.errors == 0


def _visit_group_screens(kiosk: Harness) -> list[tuple[str, Callable[[], None]]]:
    """A librarian's group session with a timer, through the screens children see."""

    def group_setup() -> None:
        kiosk.app.push(routes.Panel())
        kiosk.step()
        kiosk.tap_button("panel:group")
        kiosk.tap_button("group:timer:15")

    def launcher() -> None:
        kiosk.tap_button("group:start")

    def turn_page(arrow: str) -> None:
        if arrow in [b.id for b in kiosk.buttons()]:  # big screens show every tile at once
            kiosk.tap_button(arrow)

    def launcher_page_2() -> None:
        turn_page("page:next")

    def quiz_turn() -> None:
        turn_page("page:prev")
        kiosk.tap_button("tile:quiz")
        topics = [b.id for b in kiosk.buttons() if b.id.startswith("topic:")]
        if topics:
            kiosk.tap_button(topics[0])
        kiosk.tap_button("level:1")

    def quiz_final() -> None:
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        while game.phase == "play":
            kiosk.tap_button(f"answer:{game.round.current.right_index}")
            kiosk.tap_button("next")
        kiosk.wait(2)

    def open_tile(tile: str) -> Callable[[], None]:
        def go() -> None:
            kiosk.tap_button("home")
            while f"tile:{tile}" not in [b.id for b in kiosk.buttons()]:
                kiosk.tap_button("page:next")
            kiosk.tap_button(f"tile:{tile}")

        return go

    def last_minute() -> None:
        clock = kiosk.app.group_clock
        assert clock is not None
        kiosk.wait(clock.remaining(kiosk.app.now()) - 30, dt=1.0)

    def panel() -> None:
        kiosk.app.push(routes.Panel())
        kiosk.step()

    return [
        ("group-setup", group_setup),
        ("group-launcher", launcher),
        ("group-launcher-2", launcher_page_2),
        ("group-quiz-turn", quiz_turn),
        ("group-quiz-final", quiz_final),
        *((f"group-{tile}", open_tile(tile)) for tile in ("memory", "draw", "film", "story")),
        ("group-last-minute", last_minute),
        ("group-panel", panel),
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_group_badge_overlaps_nothing_and_group_screens_fit(
    size: tuple[int, int], lang: str, tmp_path: Path
) -> None:
    with Harness(size=size, lang=lang, data_folder=tmp_path) as kiosk:
        kiosk.app.packs.wait()
        screen = pygame.Rect(0, 0, *size)
        for name, go in _visit_group_screens(kiosk):
            go()
            kiosk.screenshot()
            assert kiosk.app.ui.text.overflows == [], name
            buttons = kiosk.buttons()
            for button in buttons:
                assert screen.contains(button.rect), f"{name}: {button.id} {button.rect}"
            overlapping = [
                (a.id, b.id)
                for group in kiosk.button_groups()
                for i, a in enumerate(group.buttons)
                for b in group.buttons[i + 1 :]
                if a.rect.colliderect(b.rect)
            ]
            assert overlapping == [], name
            badge = kiosk.app.group_badge()
            if name in ("group-setup", "group-panel"):
                assert badge is None, name  # the librarian's screens show the group otherwise
                continue
            assert badge is not None, name
            assert screen.contains(badge.rect), name
            assert [b.id for b in buttons if b.rect.colliderect(badge.rect)] == [], name
            # Bars keep their right end free for the badge: titles and greetings end before.
            m = kiosk.app.ui.metrics
            assert badge.rect.left >= m.width - m.bar_height - m.px(200), name
            assert badge.rect.bottom <= m.bar_height, name
            assert badge.warning == (name == "group-last-minute"), name
        assert kiosk.app.errors == 0
