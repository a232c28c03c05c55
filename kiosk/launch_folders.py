"""Which config file and data folder `kiosk run`'s supervisor hands the shell, found
without the YAML reader, pathlib or the program's path tables.

The supervisor lives as long as the kiosk and starts the shell first thing, so what it
needs before that start is read here with the standard library's lightest parts: the
same answers as `kiosk.configfile.find_config` and `supervisor_data_dir` (and so as the
shell's `kiosk.config.data_dir` for a config it accepts), which tests/test_launch.py
checks for the same arguments, environment and files.

`storage.data_dir` is read by `StorageLine`, a reader of the block-style YAML that config
files are written in (``key: value`` lines, indented sections, one-line lists, comments).
It answers only when the whole file is in that form; for anything else — anchors, tags,
multi-line or escaped strings, flow mappings — it says so, and the caller asks the real
YAML reader (`supervisor_data_dir`) instead."""

from __future__ import annotations

import os
import re
import sys

from kiosk.errors import TelpaError

#: `kiosk.paths`' names, repeated here (the tests check they agree).
APP_NAME = "telpa"
SCOPE_ENV = "KIOSK_SCOPE"
SYSTEM_CONFIG_DIR = "/etc/telpa"
SYSTEM_DATA_DIR = "/var/lib/telpa"


class Unreadable(TelpaError):
    """The config file is not in the form `storage_data_dir` reads; ask the YAML reader.
    Never shown: `kiosk run` then reads the file with PyYAML, as every other command does."""

    code = "config_quick_read"


def _scope(environ: dict[str, str] | os._Environ[str], platform: str) -> str:
    """`kiosk.paths.machine_folders`' choice of install: "system" or "user" (ValueError
    for a KIOSK_SCOPE that is neither)."""
    wanted = environ.get(SCOPE_ENV, "").strip().lower()
    if wanted and wanted not in ("system", "user"):
        raise ValueError(f"{wanted!r} is not a kind of install")
    if wanted:
        return wanted
    if platform.startswith("win") or os.path.isdir(SYSTEM_CONFIG_DIR):
        return "system"
    return "user"


def _machine_folder(kind: str, environ: dict[str, str] | os._Environ[str], platform: str) -> str:
    """This machine's "config" or "data" folder (`kiosk.paths.machine_folders`)."""
    scope = _scope(environ, platform)
    if scope == "system":
        if platform.startswith("win"):
            from pathlib import PureWindowsPath

            base = environ.get("ProgramData") or r"C:\ProgramData"
            return str(PureWindowsPath(base, "Telpa", kind))
        return SYSTEM_CONFIG_DIR if kind == "config" else SYSTEM_DATA_DIR
    import platformdirs  # only for a user install, and only when its folder is needed

    if kind == "config":
        return platformdirs.user_config_dir(APP_NAME, appauthor=False)
    return platformdirs.user_data_dir(APP_NAME, appauthor=False)


def embedded_config() -> str:
    """The demo config that ships with the program (`kiosk.paths.DEFAULT_CONFIG`)."""
    import kiosk

    package = kiosk.__path__[0]
    bundled = os.path.join(package, "_data")
    if not os.path.isdir(bundled):
        checkout = os.path.dirname(package)
        if os.path.isfile(os.path.join(checkout, "pyproject.toml")) and os.path.isdir(
            os.path.join(checkout, "assets")
        ):
            return os.path.join(checkout, "config.yaml")
    return os.path.join(bundled, "config.yaml")


def config_file(flag: str | None) -> str | None:
    """The config file `kiosk.configfile.find_config(flag)` chooses, or None where it
    would refuse (a KIOSK_SCOPE that is no kind of install)."""
    environ, platform = os.environ, sys.platform
    try:
        _scope(environ, platform)
        if flag:
            return flag
        from_env = environ.get("KIOSK_CONFIG", "").strip()
        if from_env:
            return from_env
        machine = os.path.join(_machine_folder("config", environ, platform), "config.yaml")
    except ValueError:
        return None
    return machine if os.path.isfile(machine) else embedded_config()


def data_folder(flag: str | None) -> str | None:
    """The data folder `kiosk.configfile.supervisor_data_dir(flag)` finds: $KIOSK_DATA_DIR,
    storage.data_dir, this machine's data folder; None when it cannot be told.

    Raises Unreadable when the config file is not in the form read here."""
    from_env = os.environ.get("KIOSK_DATA_DIR", "").strip()
    if from_env:
        return from_env
    chosen = config_file(flag)
    if chosen is None:
        return None
    try:
        with open(chosen, encoding="utf-8") as file:  # universal newlines, as read_text
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None
    folder = storage_data_dir(text)
    if folder:
        return folder
    try:
        return _machine_folder("data", os.environ, sys.platform)
    except ValueError:
        return None


# --- storage.data_dir without the YAML reader --------------------------------------------

#: A mapping key: a plain word (quoted, complex or odd keys are not read here).
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
#: A plain scalar that ends on its line: not starting with an indicator, no ": " or " #".
_PLAIN = r"""[^\s\-?:,\[\]{}#&*!|>'"%@`=<](?:[^\s:#]|:(?=\S)|\#|[ ]+(?=[^\s#]))*"""
_SINGLE = r"'(?:[^']|'')*'"
_DOUBLE = r'"[^"\\]*"'
#: A one-line list of plain words, or an empty list or mapping.
_WORD = r"[A-Za-z0-9_][A-Za-z0-9_.+/-]*"
_FLOW = rf"\[[ ]*(?:{_WORD}(?:[ ]*,[ ]*{_WORD})*[ ]*)?\]|\{{[ ]*\}}"
_VALUE = rf"(?P<value>{_FLOW}|{_SINGLE}|{_DOUBLE}|{_PLAIN})"
_COMMENT = r"(?:[ ]+\#.*)?"
_KEY_LINE = re.compile(rf"(?P<indent>[ ]*)(?P<key>{_KEY}):(?:[ ]+{_VALUE})?{_COMMENT}")
_ITEM_LINE = re.compile(rf"(?P<indent>[ ]*)-[ ]+{_VALUE}{_COMMENT}")
_BLANK = re.compile(r"[ ]*(?:\#.*)?")
#: Characters YAML reads differently (tabs, other line breaks, a byte-order mark) or
#: refuses (control characters): such a file goes to the real reader. (Compiled when a
#: file is not plain ASCII: the class of every other character takes 3 ms to compile.)
_ODD_ASCII = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_ODD = "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
#: YAML 1.1's implicit types (PyYAML's Resolver): a plain scalar matching one is no text.
#: None of them has a slash or a backslash, so a folder's name is told without them.
_NOT_TEXT = r"""(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN)
    |[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+
    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    |<<|~|null|Null|NULL|=
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]\ -[0-9][0-9]?\ -[0-9][0-9]?
     (?:[Tt]|[\ \t]+)[0-9][0-9]?
     :[0-9][0-9]\ :[0-9][0-9]\ (?:\.[0-9]*)?
     (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)"""
#: Bounds of `kiosk.yamltools.YamlLimits` this reader stays well inside of.
_MAX_CHARS = 100_000
_MAX_LINE = 4_000
_MAX_DEPTH = 32


def _text_of(value: str) -> str | None:
    """The value of a one-line scalar when YAML reads it as text, else None."""
    if value.startswith("'"):
        return value[1:-1].replace("''", "'")
    if value.startswith('"'):
        return value[1:-1]
    if value.startswith(("[", "{")):
        return None
    if "/" not in value and "\\" not in value and re.fullmatch(_NOT_TEXT, value, re.X):
        return None
    return value


def storage_data_dir(text: str) -> str | None:
    """`storage.data_dir` of a config file's text when it is text (None when unset, empty
    or not text), as PyYAML reads it. Raises Unreadable for a file not in the block form
    read here, or over the bounds the YAML reader keeps."""
    if len(text) > _MAX_CHARS:
        raise Unreadable("size")
    if (_ODD_ASCII if text.isascii() else re.compile(_ODD)).search(text):
        raise Unreadable("characters")
    # Open blocks, (indent, "map" or "seq"); the first is the file's top-level mapping.
    blocks: list[tuple[int, str]] = []
    opening = False  # the last line was a key without a value: a deeper block may follow
    closed = False  # the last line ended with a value: nothing may be nested under it
    section = ""  # the top-level key this line is under
    storage = "null"  # what storage is: "null", "value", "map" or "seq"
    found: str | None = None
    for line in text.split("\n"):
        if len(line) > _MAX_LINE:
            raise Unreadable("a long line")
        if _BLANK.fullmatch(line):
            continue
        match = _KEY_LINE.fullmatch(line) or _ITEM_LINE.fullmatch(line)
        if match is None:
            raise Unreadable(f"a line not read here: {line!r}")
        indent = len(match["indent"])
        kind = "map" if match.re is _KEY_LINE else "seq"
        if not blocks:
            if indent != 0 or kind != "map":
                raise Unreadable("the file is not a mapping at its left edge")
            blocks.append((0, "map"))
        elif opening and (indent > blocks[-1][0] or (indent == blocks[-1][0] and kind == "seq")):
            blocks.append((indent, kind))  # the value of the key on the line above
            if len(blocks) > _MAX_DEPTH:
                raise Unreadable("deep nesting")
            if len(blocks) == 2 and section == "storage":
                storage = kind
        else:
            if closed and indent > blocks[-1][0]:
                raise Unreadable("something nested under a value")
            while blocks[-1][0] > indent:
                blocks.pop()
                if not blocks:
                    raise Unreadable("indentation that does not line up")
            if blocks[-1] == (indent, "seq") and kind == "map":
                blocks.pop()  # a list at its key's own indent ends at the next key
            if not blocks or blocks[-1] != (indent, kind):
                raise Unreadable("indentation that does not line up")
        value = match["value"]
        opening = kind == "map" and value is None
        closed = value is not None
        if len(blocks) == 1:
            section = match["key"]
            if section == "storage":  # a later storage replaces an earlier one, as in PyYAML
                storage, found = ("null" if value is None else "value"), None
        elif len(blocks) == 2 and section == "storage" and storage == "map":
            if match["key"] == "data_dir":  # the last one counts
                found = _text_of(value) if value is not None else None
    return found if storage == "map" and found else None
