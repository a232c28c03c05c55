"""The office runs the kiosks: packs and station settings distributed over the sync link.

- `kiosk.fleet.settings` — the settings the office may set, their file, how they apply;
- `kiosk.fleet.store` — the station's versioned pack folders and `install(manifest)`;
- `kiosk.fleet.client` — the manifest, resumable downloads and the report (sync thread);
- `kiosk.fleet.usb` — `kiosk import-content FILE`;
- `kiosk.fleet.station` — what the running kiosk takes at its attract screen.

The protocol is written down in docs/protocol.md, "Content and settings"."""
