"""Line numbers for YAML problems: pydantic error locations mapped onto the YAML source.

Config files and content packs are written by people; a problem is only useful with the
file and line where it is (`config.yaml:12: session.idle_timeout_s: …`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml


def node_for(root: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[yaml.Node | None, bool]:
    """Walk the composed YAML tree along a pydantic error location.

    Returns the deepest node reached and whether it is the key's own node (True) or a
    parent (False, for a missing key)."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    node = value_node
                    break
            else:
                return node, False
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node, False
            node = node.value[part]
        else:
            return node, False
    return node, True


def key_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Line of the key itself (not its value), 1-based."""
    if not loc:
        return root.start_mark.line + 1 if root is not None else None
    parent, found = node_for(root, loc[:-1])
    if found and isinstance(parent, yaml.MappingNode):
        for key_node, _value in parent.value:
            if key_node.value == str(loc[-1]):
                return key_node.start_mark.line + 1
    node, _ = node_for(root, loc)
    return node.start_mark.line + 1 if node is not None else None


def describe_error(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message[:1].lower() + message[1:]


#: libyaml's loader where PyYAML was built with it (ten times faster), else pure Python.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_with_nodes(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers) and the plain data built from it.
    Raises yaml.MarkedYAMLError for text that is not YAML."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return root, data


def duplicate_keys(
    node: yaml.Node | None, loc: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str, int]]:
    """PyYAML keeps the last of two equal keys silently; a librarian should hear of it."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                yield loc, key, key_node.start_mark.line + 1
            seen.add(key)
            yield from duplicate_keys(value_node, (*loc, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from duplicate_keys(item, (*loc, i))
