"""Number garden: counting, sums and times tables among flowers, apples and bees.

The child picks a level (count the pictures; plus and minus within 20; within 100; times
tables). A round is 8 questions. Levels 1–2 are answered with big number buttons, levels
3–4 on a number pad (or the keyboard's digits, Backspace and Enter). A wrong answer gets a
kind "try again" and the same question stays; each question answered right at the first
try grows a sunflower in the row at the top and counts for the score. Within a level the
numbers grow after 3 right answers in a row and shrink after 2 wrong ones."""

from __future__ import annotations

from functools import partial

import pygame

from games.numbers.controls import answer_buttons, pad_buttons, pad_size
from games.numbers.garden import GardenRound
from games.numbers.problems import (
    LEVELS,
    PAD_LEVELS,
    QUESTIONS_PER_ROUND,
    TOP_STEP,
    Ladder,
    Problem,
)
from games.numbers.scenery import answer_box, level_picture, progress_flower, question_card
from kiosk.api import (
    Activity,
    ActivityInfo,
    Button,
    ButtonGroup,
    InputEvent,
    KeyEvent,
    draw,
    kit,
    theme,
)

RIGHT_SHOW_S = 1.0  # the right answer stays in view this long before the next question
GROW_S = 0.5  # a new flower grows in the progress row
DIGIT_KEYS = {getattr(pygame, f"K_{d}"): str(d) for d in range(10)} | {
    getattr(pygame, f"K_KP{d}"): str(d) for d in range(10)
}


#: The game's name on its launcher tile.
TITLE = {"lv": "Skaitļu dārzs", "lt": "Skaičių sodas", "en": "Number garden"}


class NumberGarden(kit.RoundGame, Activity):
    info = ActivityInfo(id="numbers", title=TITLE, icon="sunflower", levels=LEVELS)

    def on_enter(self) -> None:
        self.flow: kit.RoundFlow[None] = kit.RoundFlow(self.ctx, LEVELS, self.layout_phase)
        self.banner = kit.StarsBanner()
        self.choose_top = 0
        #: The adaptive step of each level, kept while the child stays in the game.
        self.ladders = {level: Ladder(top=TOP_STEP[level]) for level in range(1, LEVELS + 1)}
        self.time = 0.0
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self._pad: list[Button] | None = None  # built once: it looks the same all game
        self.flow.offer_levels()

    @property
    def ladder(self) -> Ladder:
        return self.ladders[self.level]

    @property
    def uses_pad(self) -> bool:
        return self.level in PAD_LEVELS

    @property
    def problem(self) -> Problem:
        return self.round.problem

    # ----- rounds and answers ----------------------------------------------------------

    def start(self, level: int) -> None:
        """Begin a round of 8 questions at `level` (1-based)."""
        self.round = GardenRound(level, self.ladders[level], self.ctx.random)
        self.grow_at = -GROW_S
        self.next_at: float | None = None
        self.flow.begin(level)
        self.ctx.set_score(0)
        self._show_question()

    def _show_question(self) -> None:
        self.next_at = None
        self.layout_phase()
        if self.ctx.reads_aloud:
            self.ctx.say(self.spoken_question())  # read out by itself

    def answer(self, value: int) -> None:
        """The child's answer to the current question (a number button or OK on the pad)."""
        garden = self.round
        if self.phase != "play" or garden.solved:
            return
        if garden.answer(value):
            self.ctx.set_score(garden.first_try)
            self.next_at = self.time + RIGHT_SHOW_S
            self.grow_at = self.time
            self.ctx.play_sound("good")
        else:
            self.ctx.play_sound("try-again")
        if not self.uses_pad:
            self._set_answer_buttons()
        self.ctx.invalidate(self.prompt_rect)
        self.ctx.invalidate(self.answer_rect)
        self.ctx.invalidate(self._slot_rect(garden.index))

    def type_digit(self, digit: str) -> None:
        if self.phase != "play" or self.round.solved:
            return
        if self.round.box_state == "wrong":
            self.ctx.invalidate(self.prompt_rect)
        self.round.type_digit(digit)
        self.ctx.invalidate(self.answer_rect)

    def erase(self) -> None:
        if self.phase != "play" or self.round.solved:
            return
        self.round.erase()
        self.ctx.invalidate(self.answer_rect)

    def submit(self) -> None:
        """OK on the pad: check the typed number (an empty box is simply ignored)."""
        typed = self.round.typed()
        if typed is not None:
            self.answer(typed)

    def _next(self) -> None:
        if self.round.next_question():
            self._show_question()
            return
        self.flow.finish(self.round.stars, self.round.first_try, self.time)
        self.ctx.say(self.won_message())  # the praise, read out by itself

    def won_message(self) -> str:
        # No counted noun: "5 of 8" reads the same for every number in lv, lt and en.
        return self.ctx.gettext("Well done! %(n)d of %(total)d right at the first try.") % {
            "n": self.round.first_try,
            "total": QUESTIONS_PER_ROUND,
        }

    def spoken_question(self) -> str:
        """The question as the voice reads it: the prompt, then the sum in words."""
        problem = self.problem
        sums = {
            "add": self.ctx.gettext("%(a)d plus %(b)d"),
            "subtract": self.ctx.gettext("%(a)d minus %(b)d"),
            "times": self.ctx.gettext("%(a)d times %(b)d"),
        }
        question = self.ctx.gettext("How many do you see?")
        if problem.kind != "count":
            question = self.ctx.gettext("Find the answer!")
            question += " " + sums[problem.kind] % {"a": problem.a, "b": problem.b}
        return question

    # ----- input -------------------------------------------------------------------------

    def handle_event(self, event: InputEvent) -> bool:
        if self.buttons.handle(event):
            return True
        if self.phase != "play" or not self.uses_pad or not isinstance(event, KeyEvent):
            return False
        if event.key in DIGIT_KEYS:
            self._hide_focus()
            self.type_digit(DIGIT_KEYS[event.key])
            return True
        if event.key == pygame.K_BACKSPACE:
            self._hide_focus()
            self.erase()
            return True
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.submit()
            return True
        return False

    def _hide_focus(self) -> None:
        """Typing on the keyboard hides the pad's ring, so Enter sends the number."""
        focused = self.buttons.focused
        if focused is not None:
            self.buttons.focus_index = None
            self.ctx.invalidate(focused.dirty_rect(self.ctx.ui))

    def update(self, dt: float) -> None:
        self.time += dt
        if self.phase == "play":
            if self.next_at is not None and self.time >= self.next_at:
                self._next()
            elif self.time - self.grow_at < GROW_S + 0.1:
                self.ctx.invalidate(self._slot_rect(self.round.index))
        elif self.flow.celebrating(self.time):
            self.ctx.invalidate(self.banner.stars_rect(self.ctx.ui, self.ctx.area))

    # ----- layout ------------------------------------------------------------------------

    def layout_levels(self) -> None:
        h = self.ctx.ui.metrics.px(300)
        labels = {
            1: self.ctx.gettext("Counting"),
            2: self.ctx.gettext("Plus and minus"),
            3: self.ctx.gettext("Up to 100"),
            4: self.ctx.gettext("Times tables"),
        }
        tiles = [
            kit.Tile(
                id=f"level:{level}",
                label=labels[level],
                color=kit.level_colour(level),
                image=level_picture(self.ctx.ui, level, int(h * 0.6)),
                on_press=partial(self.start, level),
            )
            for level in range(1, LEVELS + 1)
        ]
        buttons = kit.level_buttons(self.ctx.ui, self.ctx.area, tiles, size=(262, 300), gap=30)
        self.buttons.set_buttons(buttons)
        self.choose_top = buttons[0].rect.top

    def layout_play(self) -> None:
        """Progress row, prompt, card and answers as one block, centred on tall screens."""
        m = self.ctx.ui.metrics
        area = self.ctx.area
        self.slot_size, self.slot_gap = m.px(46), m.px(14)
        prompt_h, button_h, gap = m.px(80), m.px(132), m.px(30)
        head_h = self.slot_size + m.px(6) + prompt_h + m.px(8)
        room = area.height - m.px(10) - head_h - m.px(20)
        if self.uses_pad:
            pad_w, pad_h = pad_size(self.ctx.ui)
            body_h = min(room, max(pad_h, m.px(480)))
        else:
            card_h = min(room - button_h - gap, m.px(420))
            body_h = card_h + gap + button_h
        top = area.top + m.px(10) + (room - body_h) // 2
        row_w = QUESTIONS_PER_ROUND * (self.slot_size + self.slot_gap) - self.slot_gap
        self.progress_rect = pygame.Rect(area.centerx - row_w // 2, top, row_w, self.slot_size)
        self.prompt_rect = pygame.Rect(
            area.left + m.margin,
            self.progress_rect.bottom + m.px(6),
            area.width - 2 * m.margin,
            prompt_h,
        )
        # The question's speaker just left of the widest prompt it may show; the prompt's
        # box is what is left between it and its mirror image (the buttons come and go).
        d, gap = self.ctx.speaker_size, m.px(16)
        self.prompt_rect.inflate_ip(-2 * (d + gap), 0)
        widest = max(
            self.ctx.ui.text.fit(
                prompt, self.prompt_rect.size, m.font_size("heading"), theme.INK, "bold"
            ).get_width()
            for prompt in self._prompts()
        )
        shown = pygame.Rect(0, 0, widest + 2 * gap, prompt_h)
        shown.center = self.prompt_rect.center
        self.speaker = self.ctx.speaker_left_of("speak", shown, self.spoken_question())
        if self.speaker is not None:
            self.prompt_rect = shown
        body_top = self.prompt_rect.bottom + m.px(8)
        if self.uses_pad:
            pad = pygame.Rect(area.right - m.margin - pad_w, 0, pad_w, pad_h)
            pad.centery = body_top + body_h // 2
            left = area.left + m.margin
            self.card_rect = pygame.Rect(left, body_top, pad.left - m.px(36) - left, body_h)
            if self._pad is None or self._pad[0].rect.topleft != pad.topleft:
                self._pad = pad_buttons(
                    self.ctx.ui, pad.topleft, self.type_digit, self.erase, self.submit
                )
            self.buttons.set_buttons(self._pad + ([self.speaker] if self.speaker else []))
        else:
            card_w = min(area.width - 2 * m.margin, m.px(1000))
            self.card_rect = pygame.Rect(area.centerx - card_w // 2, body_top, card_w, card_h)
            self.answer_row_top = self.card_rect.bottom + gap
            self._set_answer_buttons()
        card = question_card(self.ctx.ui, self.problem, self.card_rect.size, self.uses_pad)
        self.card = card.surface
        self.answer_rect = card.answer_box.move(self.card_rect.topleft)
        self._boxes: dict[tuple[str, str], pygame.Surface] = {}

    def _set_answer_buttons(self) -> None:
        buttons = answer_buttons(
            self.ctx.ui,
            self.problem.choices,
            self.problem.answer,
            self.round.wrong,
            self.round.solved,
            (self.ctx.area.centerx, self.answer_row_top),
            self.answer,
        )
        focused = self.buttons.focused
        self.buttons.set_buttons(buttons + ([self.speaker] if self.speaker else []))
        if focused is not None and (self.buttons.focused is None or not focused.enabled):
            # A keyboard player keeps a ring on an answer they can still choose.
            enabled = [i for i, b in enumerate(buttons) if b.enabled]
            self.buttons.focus_index = enabled[0] if enabled else None
        for button in buttons:
            self.ctx.invalidate(button.dirty_rect(self.ctx.ui))

    def layout_stars(self) -> None:
        ctx = self.ctx
        y = self.banner.layout(ctx.ui, ctx.area)
        kit.put_end_buttons(
            self.buttons, ctx.ui, ctx.area, ctx.gettext, y, self.level, LEVELS, self.start
        )

    def _slot_rect(self, index: int) -> pygame.Rect:
        step = self.slot_size + self.slot_gap
        left = self.progress_rect.left + index * step
        return pygame.Rect(left, self.progress_rect.top, self.slot_size, self.slot_size)

    # ----- drawing -----------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        area = self.ctx.area
        draw.paint_background(surface, area)
        if self.phase == "level":
            kit.draw_heading(surface, ui, area, self.ctx.gettext("Choose a game!"), self.choose_top)
        elif self.phase == "play":
            self._draw_play(surface)
        else:
            appear = self.flow.appear(self.time)
            self.banner.draw(surface, ui, area, self.stars, appear, self.won_message())
        self.buttons.draw(surface)

    def _prompts(self) -> list[str]:
        """Every prompt the current question may show."""
        return [
            self.ctx.gettext("Yes, that's right!"),
            self.ctx.gettext("Almost! Try again."),
            self.ctx.gettext("How many do you see?")
            if self.problem.kind == "count"
            else self.ctx.gettext("Find the answer!"),
        ]

    def _prompt(self) -> str:
        if self.round.solved:
            return self.ctx.gettext("Yes, that's right!")
        if self.round.box_state == "wrong" or (self.round.wrong and not self.round.entry):
            return self.ctx.gettext("Almost! Try again.")
        if self.problem.kind == "count":
            return self.ctx.gettext("How many do you see?")
        return self.ctx.gettext("Find the answer!")

    def _draw_play(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        clip = surface.get_clip()
        if clip.colliderect(self.progress_rect):
            for i in range(QUESTIONS_PER_ROUND):
                self._draw_slot(surface, i)
        if clip.colliderect(self.prompt_rect):
            text = ui.text.fit(
                self._prompt(), self.prompt_rect.size, m.font_size("heading"), theme.INK, "bold"
            )
            surface.blit(text, text.get_rect(center=self.prompt_rect.center))
        if clip.colliderect(self.card_rect):
            shadow_blur = m.px(10)
            shade = draw.shadow(self.card_rect.size, m.px(32), shadow_blur, alpha=60)
            surface.blit(
                shade, (self.card_rect.x - shadow_blur, self.card_rect.y - shadow_blur + m.px(6))
            )
            surface.blit(self.card, self.card_rect)
        if clip.colliderect(self.answer_rect):
            surface.blit(self._box(), self.answer_rect)

    def _box(self) -> pygame.Surface:
        shown = self.round.entry or ("?" if self.round.box_state == "ask" else "")
        key = (shown, self.round.box_state)
        box = self._boxes.get(key)
        if box is None:
            box = answer_box(self.ctx.ui, self.answer_rect.size, shown, self.round.box_state)
            self._boxes[key] = box
        return box

    def _draw_slot(self, surface: pygame.Surface, index: int) -> None:
        rect = self._slot_rect(index)
        grown = 1.0
        if index == self.round.index:
            grown = min(1.0, (self.time - self.grow_at) / GROW_S)
        picture = progress_flower(
            self.ctx.ui, self.round.results[index], index == self.round.index, grown, rect.height
        )
        surface.blit(picture, picture.get_rect(midbottom=rect.midbottom))
