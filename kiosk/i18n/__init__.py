"""Interface languages: gettext catalogs for lv, lt and en, switchable at run time.

The catalogs are the `.po` files under `locale/`; they are compiled at load (Babel), so
there are no generated `.mo` files in the repository. A kiosk keeps each compiled catalog in
its data folder's `cache/` (named after the `.po` file's content), so a start reads that
and neither imports Babel's catalog reader nor parses the `.po` again; a catalog that
changed (an upgrade) is compiled afresh. Plural forms come from each catalog's
`Plural-Forms` header: Latvian and Lithuanian have three.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import logging
import os
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kiosk.paths import LOCALE_DIR

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("lv", "lt", "en")

#: Each language's name in itself, as shown under its flag.
NATIVE_NAMES = {"lv": "Latviešu", "lt": "Lietuvių", "en": "English"}

#: The emoji picture used as each language's flag.
FLAG_EMOJI = {"lv": "flag-lv", "lt": "flag-lt", "en": "flag-gb"}

DOMAIN = "kiosk"


def compile_catalog(lang: str, po: bytes) -> bytes:
    """One language's `.po` text compiled to `.mo` bytes (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def load_catalog(
    lang: str, locale_dir: Path = LOCALE_DIR, cache: Path | None = None
) -> gettext.GNUTranslations:
    """Read one language's catalog: from `cache` when it holds this very `.po` compiled,
    else compiled now (and kept in `cache` when given and writable)."""
    po = (locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po").read_bytes()
    if cache is None:
        return gettext.GNUTranslations(io.BytesIO(compile_catalog(lang, po)))
    # The file: the .mo bytes, then their SHA-256 (a damaged file is never read as text).
    kept = cache / f"{DOMAIN}-{lang}-{hashlib.sha256(po).hexdigest()[:20]}.mo"
    try:
        data = kept.read_bytes()
        mo, digest = data[:-32], data[-32:]
        if hashlib.sha256(mo).digest() != digest:
            raise ValueError("its checksum does not match")
        return gettext.GNUTranslations(io.BytesIO(mo))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, LookupError, struct.error) as exc:
        log.info("catalog %s cannot be used (%s); compiling it again", kept, exc)
    mo = compile_catalog(lang, po)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob(f"{DOMAIN}-{lang}-*.mo"):
            old.unlink(missing_ok=True)
        part = kept.with_suffix(".part")
        part.write_bytes(mo + hashlib.sha256(mo).digest())
        os.replace(part, kept)
    except OSError as exc:  # a read-only or full disk: the compiled catalog still serves
        log.info("could not keep the compiled catalog in %s: %s", cache, exc)
    return gettext.GNUTranslations(io.BytesIO(mo))


class Translator:
    """The shell's current language and its catalogs.

    Scenes bind `_ = translator.gettext` when they draw, so a language switch takes effect
    at the next redraw without rebuilding anything."""

    def __init__(self, languages: Iterable[str], default: str, cache: Path | None = None) -> None:
        self.languages = tuple(languages)
        if default not in self.languages:
            raise ValueError(f"language {default!r} is not available")
        #: Where compiled catalogs are kept (None: compiled at every start).
        self.cache = cache
        #: Catalogs read so far. Only the first screen's language is read at start-up
        #: (compiling one is about 50 ms); the others when first asked for.
        self._catalogs: dict[str, gettext.GNUTranslations] = {
            default: load_catalog(default, cache=cache)
        }
        self.default = default
        self.lang = default

    def _catalog(self, lang: str) -> gettext.GNUTranslations:
        catalog = self._catalogs.get(lang)
        if catalog is None:
            if lang not in self.languages:
                raise KeyError(lang)
            catalog = self._catalogs[lang] = load_catalog(lang, cache=self.cache)
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
