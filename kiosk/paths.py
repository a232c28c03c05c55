"""Where Telpa's own files are: the checkout it runs from (assets, content, config)."""

from __future__ import annotations

from pathlib import Path

#: The project folder: Telpa runs from its checkout (``pip install -e .``).
APP_ROOT = Path(__file__).resolve().parent.parent
ASSETS = APP_ROOT / "assets"
CONTENT = APP_ROOT / "content"
DEFAULT_CONFIG = APP_ROOT / "config.yaml"
LOCALE_DIR = Path(__file__).resolve().parent / "i18n" / "locale"
