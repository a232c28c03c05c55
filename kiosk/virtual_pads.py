"""Virtual game controllers for tests and `kiosk monkey`: the real controller path, no pad.

SDL (2.0.14 and later) can attach *virtual joysticks*; one attached with the type
SDL_JOYSTICK_TYPE_GAMECONTROLLER gets a standard game-controller mapping, so SDL announces
it with CONTROLLERDEVICEADDED, pygame opens it through `pygame._sdl2.controller` like any
Xbox pad, and setting its buttons and axes produces CONTROLLERBUTTONDOWN/UP and
CONTROLLERAXISMOTION at the next event poll — the events a real pad sends, through the
same SDL code. Detaching it is the pad pulled out (CONTROLLERDEVICEREMOVED).

pygame exposes no virtual-joystick API, so this calls SDL through ctypes, on the very SDL
library pygame-ce loaded (the one in its wheel: `pygame_ce.libs/libSDL2-….so` on Linux,
`SDL2.dll` beside the package on Windows, `.dylibs` on macOS). Loading that file again
returns the library already in the process, so both share SDL's state.

SDL applies a virtual pad's state when it polls joysticks, so a press and its release
must be separated by an event poll (a frame): `press` takes the function that steps one.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from pathlib import Path

import pygame

from kiosk.errors import TelpaError

SDL_JOYSTICK_TYPE_GAMECONTROLLER = 1
SDL_VIRTUAL_JOYSTICK_DESC_VERSION = 1
BUTTON_COUNT = 15  # A … DPAD_RIGHT: the classic Xbox set of SDL_GameControllerButton
AXIS_COUNT = 6  # both sticks and both triggers


class VirtualPadsUnavailable(TelpaError, RuntimeError):
    """SDL's virtual joysticks cannot be reached (no SDL library found, or too old)."""

    code = "virtual_pads_unavailable"


class _Desc(ctypes.Structure):
    """SDL_VirtualJoystickDesc (SDL 2.24+), field for field."""

    _fields_ = [
        ("version", ctypes.c_uint16),
        ("type", ctypes.c_uint16),
        ("naxes", ctypes.c_uint16),
        ("nbuttons", ctypes.c_uint16),
        ("nhats", ctypes.c_uint16),
        ("vendor_id", ctypes.c_uint16),
        ("product_id", ctypes.c_uint16),
        ("padding", ctypes.c_uint16),
        ("button_mask", ctypes.c_uint32),
        ("axis_mask", ctypes.c_uint32),
        ("name", ctypes.c_char_p),
        ("userdata", ctypes.c_void_p),
        ("Update", ctypes.c_void_p),
        ("SetPlayerIndex", ctypes.c_void_p),
        ("Rumble", ctypes.c_void_p),
        ("RumbleTriggers", ctypes.c_void_p),
        ("SetLED", ctypes.c_void_p),
        ("SendEffect", ctypes.c_void_p),
    ]


def _sdl_candidates() -> list[Path]:
    package = Path(pygame.__file__).parent
    folders = [package, package.parent / "pygame_ce.libs", package.parent / "pygame.libs"]
    folders.append(package / ".dylibs")
    patterns = ["libSDL2-*.so*", "libSDL2-2.0*.so*", "SDL2.dll", "libSDL2-2.0*.dylib"]
    found = [path for folder in folders for pattern in patterns for path in folder.glob(pattern)]
    return [p for p in found if "_" not in p.name.split("SDL2")[1][:2]]  # not SDL2_image…


def _loaded_sdl() -> Path | None:
    """The SDL library this process has loaded (Linux: from /proc/self/maps)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    for line in maps.splitlines():
        path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
        name = Path(path).name
        if name.startswith("libSDL2-") or name.startswith("libSDL2.") or name == "libSDL2.so":
            return Path(path)
    return None


def load_sdl() -> ctypes.CDLL:
    """pygame's own SDL library, with the virtual-joystick functions typed."""
    import pygame.base  # noqa: F401 - SDL itself is loaded with pygame's base module

    path = _loaded_sdl() or next(iter(_sdl_candidates()), None)
    if path is None and sys.platform == "win32":
        # Windows hands back the DLL already loaded under that name (e.g. in a bundle,
        # where it no longer sits beside the pygame package).
        path = Path("SDL2.dll")
    if path is None:
        raise VirtualPadsUnavailable(
            f"no SDL library found beside pygame in {Path(pygame.__file__).parent}"
        )
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as exc:
        raise VirtualPadsUnavailable(f"SDL library {path} could not be loaded: {exc}") from None
    if not hasattr(lib, "SDL_JoystickAttachVirtualEx"):
        raise VirtualPadsUnavailable(f"{path} has no SDL_JoystickAttachVirtualEx (SDL < 2.24)")
    lib.SDL_JoystickAttachVirtualEx.argtypes = [ctypes.POINTER(_Desc)]
    lib.SDL_JoystickAttachVirtualEx.restype = ctypes.c_int
    lib.SDL_JoystickDetachVirtual.argtypes = [ctypes.c_int]
    lib.SDL_JoystickDetachVirtual.restype = ctypes.c_int
    lib.SDL_JoystickOpen.argtypes = [ctypes.c_int]
    lib.SDL_JoystickOpen.restype = ctypes.c_void_p
    lib.SDL_JoystickClose.argtypes = [ctypes.c_void_p]
    lib.SDL_JoystickClose.restype = None
    lib.SDL_JoystickInstanceID.argtypes = [ctypes.c_void_p]
    lib.SDL_JoystickInstanceID.restype = ctypes.c_int32
    lib.SDL_JoystickGetDeviceInstanceID.argtypes = [ctypes.c_int]
    lib.SDL_JoystickGetDeviceInstanceID.restype = ctypes.c_int32
    lib.SDL_NumJoysticks.argtypes = []
    lib.SDL_NumJoysticks.restype = ctypes.c_int
    lib.SDL_JoystickSetVirtualButton.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint8]
    lib.SDL_JoystickSetVirtualButton.restype = ctypes.c_int
    lib.SDL_JoystickSetVirtualAxis.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int16]
    lib.SDL_JoystickSetVirtualAxis.restype = ctypes.c_int
    lib.SDL_GetError.argtypes = []
    lib.SDL_GetError.restype = ctypes.c_char_p
    return lib


class VirtualPad:
    """One attached virtual game controller."""

    def __init__(self, sdl: ctypes.CDLL, name: str) -> None:
        self._sdl = sdl
        self.name = name
        # Kept alive: SDL reads the description while attaching.
        self._desc = _Desc(
            version=SDL_VIRTUAL_JOYSTICK_DESC_VERSION,
            type=SDL_JOYSTICK_TYPE_GAMECONTROLLER,
            naxes=AXIS_COUNT,
            nbuttons=BUTTON_COUNT,
            button_mask=(1 << BUTTON_COUNT) - 1,
            axis_mask=(1 << AXIS_COUNT) - 1,
            name=name.encode(),
        )
        device_index = sdl.SDL_JoystickAttachVirtualEx(ctypes.byref(self._desc))
        if device_index < 0:
            raise VirtualPadsUnavailable(f"SDL could not attach {name!r}: {self._error()}")
        # Our own handle, to set its state (pygame opens another as a game controller).
        self._joystick = sdl.SDL_JoystickOpen(device_index)
        if not self._joystick:
            raise VirtualPadsUnavailable(f"SDL could not open {name!r}: {self._error()}")
        #: SDL's instance id: what CONTROLLER* events carry.
        self.instance_id = int(sdl.SDL_JoystickInstanceID(self._joystick))
        self.attached = True

    def _error(self) -> str:
        message = self._sdl.SDL_GetError()
        return message.decode(errors="replace") if message else "no reason given"

    def set_button(self, button: int, down: bool) -> None:
        self._require_attached()
        if self._sdl.SDL_JoystickSetVirtualButton(self._joystick, button, int(down)) < 0:
            raise RuntimeError(f"{self.name}: button {button}: {self._error()}")

    def set_axis(self, axis: int, value: int) -> None:
        """`value` from -32768 to 32767 (triggers: 0 to 32767)."""
        self._require_attached()
        value = max(-32768, min(32767, int(value)))
        if self._sdl.SDL_JoystickSetVirtualAxis(self._joystick, axis, value) < 0:
            raise RuntimeError(f"{self.name}: axis {axis}: {self._error()}")

    def press(self, button: int, step: Callable[[], object]) -> None:
        """Press and release `button`, with one `step()` (a frame) after each."""
        self.set_button(button, True)
        step()
        self.set_button(button, False)
        step()

    def unplug(self) -> None:
        """The pad pulled out: SDL reports CONTROLLERDEVICEREMOVED at the next poll."""
        if not self.attached:
            return
        self.attached = False
        sdl = self._sdl
        for index in range(sdl.SDL_NumJoysticks()):
            if sdl.SDL_JoystickGetDeviceInstanceID(index) == self.instance_id:
                sdl.SDL_JoystickDetachVirtual(index)
                break
        sdl.SDL_JoystickClose(self._joystick)

    def _require_attached(self) -> None:
        if not self.attached:
            raise RuntimeError(f"{self.name} is unplugged")


class VirtualPads:
    """Plugs virtual pads in and out; `close` unplugs every one still attached."""

    def __init__(self) -> None:
        self._sdl = load_sdl()
        from pygame._sdl2 import controller

        # The joystick subsystem must run for SDL to attach virtual joysticks.
        controller.init()
        self.pads: list[VirtualPad] = []

    def plug(self, name: str = "Telpa virtual pad") -> VirtualPad:
        """A pad plugged in: SDL reports CONTROLLERDEVICEADDED at the next poll."""
        pad = VirtualPad(self._sdl, name)
        self.pads.append(pad)
        return pad

    def close(self) -> None:
        for pad in self.pads:
            pad.unplug()
        self.pads.clear()
        if pygame.display.get_init():
            pygame.event.pump()  # SDL's removal events belong to this run, not the next
            pygame.event.clear()

    def __enter__(self) -> VirtualPads:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
