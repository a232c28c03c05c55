"""Add translated messages to the lv, lt and en catalogs from a YAML file.

    python scripts/add_messages.py messages.yaml

The file maps each English msgid to its translations; a plural message gives the English
plural and all forms:

    "Next": {lv: Tālāk, lt: Toliau}
    "%(n)d star":
      plural: "%(n)d stars"
      lv: ["%(n)d zvaigzne", "%(n)d zvaigznes", "%(n)d zvaigžņu"]
      lt: ["%(n)d žvaigždė", "%(n)d žvaigždės", "%(n)d žvaigždžių"]

Messages already in a catalog are left as they are (edit the .po file to change one).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "kiosk" / "i18n" / "locale"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    messages = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for lang in ("lv", "lt", "en"):
        path = LOCALE / lang / "LC_MESSAGES" / "kiosk.po"
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang)
        added = 0
        for msgid, entry in messages.items():
            plural = entry.get("plural")
            key = (msgid, plural) if plural else msgid
            if msgid in catalog:
                continue
            if lang == "en":
                string = (msgid, plural) if plural else msgid
            else:
                string = tuple(entry[lang]) if plural else entry[lang]
            catalog.add(key, string, flags=("python-format",) if "%(" in msgid else ())
            added += 1
        catalog.msgid_bugs_address = ""
        with path.open("wb") as po:
            write_po(po, catalog, width=100)
        text = path.read_text(encoding="utf-8")
        text = "".join(
            line
            for line in text.splitlines(keepends=True)
            if not line.startswith('"Report-Msgid-Bugs-To:')
        )
        path.write_text(text, encoding="utf-8")
        print(f"{lang}: {added} message(s) added")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
