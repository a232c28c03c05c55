"""Change a few `section.key` values in a YAML config file's text, keeping everything else —
other keys, their order, blank lines and comments — exactly as the person wrote it.

PyYAML can only dump a whole new document (comments lost), so `set_keys` edits the text at
the places the parser reports: a key that is there gets its value replaced where it stands
(a comment after it stays); a missing key is added at the end of its section, indented like
its neighbours; a missing section is added at the end of the file. The result is parsed
again and every changed key compared with what was asked, so a file this cannot edit
safely (a section written as ``{id: x}`` on one line, say) raises `YamlEditError` instead
of being written wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from kiosk.errors import TelpaError
from kiosk.yamltools import parse_with_nodes

Key = tuple[str, str]


class YamlEditError(TelpaError, ValueError):
    """The text cannot be edited in place; `str()` says which key and why."""

    code = "yaml_edit"


def scalar_text(value: Any) -> str:
    """`value` as a YAML scalar: plain where that reads back the same, else JSON-quoted
    (a JSON string is a valid YAML double-quoted scalar). None is an empty value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    plain_ok = (
        text
        and text == text.strip()
        and "\n" not in text
        and " #" not in text
        and not text.startswith(("#", "'", '"', "&", "*", "!", "|", ">", "%", "@", "`"))
    )
    if plain_ok:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _line_end(text: str, index: int) -> int:
    """Index just after the line that holds position `index - 1` (where a node ended)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _edit_one(text: str, section: str, key: str, value: Any) -> str:
    root, _data = parse_with_nodes(text)
    new = scalar_text(value)
    if root is None or (isinstance(root, yaml.ScalarNode) and not root.value):
        prefix = text if not text or text.endswith("\n") else text + "\n"
        return f"{prefix}{section}:\n  {key}: {new}\n"
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise YamlEditError("the file is not a list of sections (site:, station: …)")
    for section_key, section_node in root.value:
        if section_key.value != section:
            continue
        if isinstance(section_node, yaml.ScalarNode) and not section_node.value:
            # "sync:" with nothing under it yet
            at = section_key.end_mark.index + 1
            return f"{text[:at]}\n  {key}: {new}{text[at:]}"
        if not isinstance(section_node, yaml.MappingNode) or section_node.flow_style:
            raise YamlEditError(f"{section}: is not written as a block of keys")
        for key_node, value_node in section_node.value:
            if key_node.value != key:
                continue
            if not isinstance(value_node, yaml.ScalarNode):
                raise YamlEditError(f"{section}.{key} is not a single value")
            start, end = value_node.start_mark.index, value_node.end_mark.index
            if start == end:  # an empty value: "size:" followed by spaces or a comment
                return f"{text[:start]} {new}{text[start:]}" if new else text
            return f"{text[:start]}{new}{text[end:]}"
        if not section_node.value:
            raise YamlEditError(f"{section}: is empty")
        indent = section_node.value[0][0].start_mark.column
        at = _line_end(text, section_node.value[-1][1].end_mark.index)
        before = text[:at] if text[:at].endswith("\n") else text[:at] + "\n"
        return f"{before}{' ' * indent}{key}: {new}\n{text[at:]}"
    prefix = text if text.endswith("\n") else text + "\n"
    return f"{prefix}\n{section}:\n  {key}: {new}\n"


def set_keys(text: str, changes: Mapping[Key, Any]) -> str:
    """`text` with each (section, key) set to its value (None: empty). Raises YamlEditError
    when the text cannot be edited in place, yaml.MarkedYAMLError when it is not YAML."""
    for (section, key), value in changes.items():
        text = _edit_one(text, section, key, value)
    _root, data = parse_with_nodes(text)
    for (section, key), value in changes.items():
        got = (data or {}).get(section, {}) or {}
        if not isinstance(got, dict) or got.get(key) != value:
            raise YamlEditError(f"{section}.{key} could not be changed in place")
    return text
