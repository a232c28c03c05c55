"""Reading YAML that people wrote, within bounds, and pointing at the line of a problem.

Config files and content packs are written by people (and arrive on USB sticks); a problem
is only useful with the file and line where it is (`config.yaml:12: session.idle_timeout_s:
…`), and no file may make a reader spin or crash. `parse_with_nodes` therefore scans the
event stream first, counting nodes with aliases expanded, nesting depth and text length
against `YamlLimits`, before anything is built; only then is the tree composed and
constructed. Every problem is raised as `yaml.MarkedYAMLError` (with a line where there
is one), so callers catch one exception for "this is not YAML we can use"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from kiosk.errors import TelpaError


@dataclass(frozen=True)
class YamlLimits:
    """How much YAML a reader takes. The defaults fit any config file by a wide margin and
    stop "billion laughs" (aliases of aliases) and self-referencing aliases."""

    #: Characters of text. Larger files are refused before they are parsed.
    max_chars: int = 1_000_000
    #: Nodes (scalars, lists, mappings), an alias counting as everything it stands for.
    max_nodes: int = 100_000
    #: Lists and mappings inside each other.
    max_depth: int = 64
    #: Characters of one value; kept under Python's 4300-digit limit for numbers.
    max_scalar_chars: int = 4_000
    #: Whether `&anchor` / `*alias` may be used at all.
    aliases: bool = True
    #: What the file is, for messages ("a pack", "this file").
    kind: str = "this file"


class YamlProblem(TelpaError, yaml.MarkedYAMLError):
    """YAML that parses but cannot be used: over a limit, or a value that cannot be built
    (a date like 2026-13-45). `problem` is the message, `problem_mark` its place if known."""

    code = "yaml_problem"

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def _line_of(text: str, position: int) -> yaml.Mark:
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    return yaml.Mark("<unicode string>", position, line, column, None, 0)


def _scan(text: str, limits: YamlLimits) -> None:
    """Walk the event stream once, refusing what is over `limits`, before composing."""
    loader = _Loader(text)
    #: Expanded size of every finished anchored node; an alias adds that many nodes.
    sizes: dict[str, int] = {}
    #: Open lists and mappings: (anchor, node count when it opened).
    open_nodes: list[tuple[str | None, int]] = []
    nodes = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is None:
                break
            if isinstance(event, yaml.AliasEvent):
                name = str(event.anchor)
                if not limits.aliases:
                    raise YamlProblem(
                        f"YAML aliases (*{name}) are not allowed in {limits.kind}; "
                        "write the value out in full",
                        event.start_mark,
                    )
                if any(anchor == name for anchor, _ in open_nodes):
                    raise YamlProblem(f"the alias *{name} refers to itself", event.start_mark)
                nodes += sizes.get(name, 1)  # an undefined alias is the composer's error
            elif isinstance(event, yaml.ScalarEvent):
                if len(event.value) > limits.max_scalar_chars:
                    raise YamlProblem(
                        f"this value is {len(event.value)} characters long; "
                        f"at most {limits.max_scalar_chars} are allowed",
                        event.start_mark,
                    )
                nodes += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                nodes += 1
                open_nodes.append((event.anchor, nodes))
                if len(open_nodes) > limits.max_depth:
                    raise YamlProblem(
                        f"lists and mappings are nested more than {limits.max_depth} deep",
                        event.start_mark,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, opened_at = open_nodes.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - opened_at + 1
            if nodes > limits.max_nodes:
                raise YamlProblem(
                    f"{limits.kind} has more than {limits.max_nodes} values "
                    "(aliases counted in full)",
                    event.start_mark,
                )
    finally:
        loader.dispose()


class _BoundedConstructor(SafeConstructor):
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError) as exc:
            # SafeConstructor lets these through for values such as 2026-13-45
            raise YamlProblem(f"this value cannot be read ({exc})", node.start_mark) from None


#: libyaml's parser where PyYAML was built with it (ten times faster), else pure Python.
_Parser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
if _Parser is not None:

    class _Loader(_Parser, _BoundedConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _BoundedConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _BoundedConstructor,
        Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _BoundedConstructor.__init__(self)
            Resolver.__init__(self)


DEFAULT_LIMITS = YamlLimits()


def parse_with_nodes(
    text: str, limits: YamlLimits = DEFAULT_LIMITS
) -> tuple[yaml.Node | None, Any]:
    """Parse once, within `limits`: the node tree (for line numbers) and the plain data
    built from it. Raises yaml.MarkedYAMLError (YamlProblem for a limit or a value that
    cannot be built) for text that cannot be used."""
    if len(text) > limits.max_chars:
        raise YamlProblem(
            f"{limits.kind} is {len(text)} characters long; at most {limits.max_chars} are allowed",
            None,
        )
    try:
        _scan(text, limits)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(
            f"the character #x{exc.character:04x} cannot be in a text file"
            if isinstance(exc.character, int)
            else f"the character {exc.character!r} cannot be in a text file",
            _line_of(text, exc.position),
        ) from None
    return root, data


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


Loc = tuple[str | int, ...]


def duplicate_keys(node: yaml.Node | None, loc: Loc = ()) -> Iterator[tuple[Loc, str, int]]:
    """PyYAML keeps the last of two equal keys silently; a librarian should hear of it.
    Depth first in file order, with its own stack rather than recursion and each node
    visited once, so no tree can exhaust it."""
    visited: set[int] = set()
    #: For each open list or mapping: its remaining children, where it is, keys seen.
    stack: list[tuple[Iterator[tuple[str | int, yaml.Node, yaml.Node | None]], Loc, set[str]]]
    stack = []

    def enter(current: yaml.Node | None, where: Loc) -> None:
        if current is None or id(current) in visited:
            return
        visited.add(id(current))
        if isinstance(current, yaml.MappingNode):
            items = ((str(k.value), v, k) for k, v in current.value)
            stack.append((items, where, set()))
        elif isinstance(current, yaml.SequenceNode):
            stack.append((((i, v, None) for i, v in enumerate(current.value)), where, set()))

    enter(node, loc)
    while stack:
        children, where, seen = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        part, value_node, key_node = child
        if key_node is not None:
            key = str(part)
            if key in seen:
                yield where, key, key_node.start_mark.line + 1
            seen.add(key)
        enter(value_node, (*where, part))
