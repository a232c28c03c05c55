"""The shell in parts: `create_app(config)` builds a kiosk, `App.run()` drives it.

- `kiosk.services` — everything built once from the config (a frozen `Services`);
- `stack` — the scene stack: go/push/pop, input delivery, dirty-rectangle rendering;
- `scene_table` — which scene shows each route (kiosk/routes.py);
- `window` — the full-screen window;
- `session` — the child's visit: idle time-out, group clock, heartbeat, the librarian's
  unlock gesture and language;
- `overlays` — what the shell paints over every scene (group badge, hold ring);
- `desk` — what the librarian panel reads and does beyond scenes (usage, sync, exit);
- `turns` — the main loop's pace: which turns update, how often input is polled, and
  the sound device closed while the attract screen rests;
- `app` — the window and the main loop that joins them.

docs/architecture.md draws the parts and the routes between scenes."""

from kiosk.shell.app import App, create_app
from kiosk.shell.clock import Clock, FakeClock, SystemClock

__all__ = ["App", "Clock", "FakeClock", "SystemClock", "create_app"]
