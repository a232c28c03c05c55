"""Interface languages: gettext catalogs for lv, lt and en, switchable at run time.

The catalogs are the `.po` files under `locale/`; they are compiled in memory at load
(Babel), so there are no generated `.mo` files in the repository. Plural forms come from
each catalog's `Plural-Forms` header: Latvian and Lithuanian have three.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.paths import LOCALE_DIR

LANGUAGES: tuple[str, ...] = ("lv", "lt", "en")

#: Each language's name in itself, as shown under its flag.
NATIVE_NAMES = {"lv": "Latviešu", "lt": "Lietuvių", "en": "English"}

#: The emoji picture used as each language's flag.
FLAG_EMOJI = {"lv": "flag-lv", "lt": "flag-lt", "en": "flag-gb"}

DOMAIN = "kiosk"


def load_catalog(lang: str, locale_dir: Path = LOCALE_DIR) -> gettext.GNUTranslations:
    """Read and compile one language's catalog."""
    path = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """The shell's current language and its catalogs.

    Scenes bind `_ = translator.gettext` when they draw, so a language switch takes effect
    at the next redraw without rebuilding anything."""

    def __init__(self, languages: Iterable[str], default: str) -> None:
        self.languages = tuple(languages)
        if default not in self.languages:
            raise ValueError(f"language {default!r} is not available")
        #: Catalogs read so far. Only the first screen's language is read at start-up
        #: (each catalog is about 50 ms of parsing); the others when first asked for.
        self._catalogs: dict[str, gettext.GNUTranslations] = {default: load_catalog(default)}
        self.default = default
        self.lang = default

    def _catalog(self, lang: str) -> gettext.GNUTranslations:
        catalog = self._catalogs.get(lang)
        if catalog is None:
            if lang not in self.languages:
                raise KeyError(lang)
            catalog = self._catalogs[lang] = load_catalog(lang)
        return catalog

    def set_language(self, lang: str) -> None:
        if lang not in self.languages:
            raise ValueError(f"language {lang!r} is not available")
        self._catalog(lang)
        self.lang = lang

    def gettext(self, message: str) -> str:
        return self._catalog(self.lang).gettext(message)

    def gettext_in(self, lang: str, message: str) -> str:
        """`message` in another available language (screens that show them all)."""
        return self._catalog(lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog(self.lang).ngettext(singular, plural, n)

    def pick(self, texts: Mapping[Any, str]) -> str:
        """Choose from per-language texts (activity titles, content packs), keyed by
        language code (plain `str`, or the packs' `Language` literals)."""
        for lang in (self.lang, self.default, "en", *texts):
            if lang in texts and texts[lang]:
                return texts[lang]
        return ""
