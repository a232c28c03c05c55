"""Game controllers (Xbox pads and whatever SDL's GameController database knows), one to four,
each in a stable player slot.

SDL announces a pad with CONTROLLERDEVICEADDED (carrying its *device index*) and its
removal with CONTROLLERDEVICEREMOVED (carrying its *instance id*); button and axis events
carry the instance id too. `Pads` opens a pad when it arrives, gives it the lowest free
slot (0–3, shown to children as pads 1–4), and closes it when it goes. A slot belongs to
its pad while it is plugged in, so "pad 2" stays pad 2 however the others come and go.

A pad pulled out is remembered as *missing* until a pad fills its slot again (the next
pad plugged in takes the lowest free slot, which is the missing one when only one is
missing) or the shell forgets it (`forget_missing`: the game goes on without it). A fifth
pad is left closed; plug it in again once a slot is free.

Controllers are opened through pygame's `_sdl2.controller` module, the SDL GameController
API: every known pad reports the same button names (A, B, Start, the d-pad…)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pygame
from pygame._sdl2 import controller as sdl_controller

log = logging.getLogger(__name__)

MAX_PADS = 4


@dataclass
class Pads:
    """The pads plugged in now, by slot, and the slots whose pad was pulled out."""

    #: slot → the open SDL game controller.
    by_slot: dict[int, sdl_controller.Controller] = field(default_factory=dict)
    #: SDL instance id → slot.
    slot_of: dict[int, int] = field(default_factory=dict)
    #: Slots whose pad was pulled out and has not come back.
    missing: set[int] = field(default_factory=set)
    #: False where SDL has no game-controller support: pads are then simply not used.
    available: bool = True

    def __post_init__(self) -> None:
        try:
            # Pads plugged in before the kiosk started are announced by SDL as
            # CONTROLLERDEVICEADDED events at the first event poll.
            sdl_controller.init()
        except pygame.error as exc:
            log.warning("game controllers are not available: %s", exc)
            self.available = False

    def handle_device_event(self, event: pygame.event.Event) -> bool:
        """Open or close a pad on SDL's device events; True when the event was one."""
        if event.type == pygame.CONTROLLERDEVICEADDED:
            self._open(int(event.device_index))
            return True
        if event.type == pygame.CONTROLLERDEVICEREMOVED:
            self._close(int(event.instance_id))
            return True
        return False

    def slot(self, instance_id: int) -> int | None:
        """The slot of the pad with this SDL instance id (None: not one of ours)."""
        return self.slot_of.get(instance_id)

    @property
    def connected(self) -> list[int]:
        return sorted(self.by_slot)

    def forget_missing(self) -> None:
        """The game goes on without the pads that were pulled out."""
        self.missing.clear()

    def close(self) -> None:
        for pad in self.by_slot.values():
            try:
                pad.quit()
            except pygame.error:
                pass
        self.by_slot.clear()
        self.slot_of.clear()
        self.missing.clear()

    def _open(self, device_index: int) -> None:
        if not self.available:
            return
        free = [s for s in range(MAX_PADS) if s not in self.by_slot]
        if not free:
            log.info("a fifth game controller is not used (at most %d)", MAX_PADS)
            return
        try:
            if not sdl_controller.is_controller(device_index):
                return  # a joystick SDL has no mapping for: not a pad children can use
            pad = sdl_controller.Controller(device_index)
            # Not `pad.id`: that is the device index, which shifts as pads come and go;
            # events carry SDL's instance id, which stays with the pad.
            instance_id = pad.as_joystick().get_instance_id()
        except pygame.error as exc:
            log.warning("game controller %d could not be opened: %s", device_index, exc)
            return
        if instance_id in self.slot_of:
            return  # announced twice: already ours
        # A pad that comes back takes the missing slot first (the lowest missing one).
        slot = min(self.missing) if self.missing else free[0]
        self.missing.discard(slot)
        self.by_slot[slot] = pad
        self.slot_of[instance_id] = slot
        log.info("game controller %r plugged in as pad %d", pad.name, slot + 1)

    def _close(self, instance_id: int) -> None:
        slot = self.slot_of.pop(instance_id, None)
        if slot is None:
            return
        pad = self.by_slot.pop(slot)
        try:
            pad.quit()
        except pygame.error:
            pass
        self.missing.add(slot)
        log.info("pad %d pulled out", slot + 1)
