"""Reading seed YAML with the line number of every record and key.

Uses PyYAML's C loader when libyaml is present. Every mapping becomes a
``Record``: a dict that remembers its file and the line of each key, so that
problems can be reported as ``file:line: what is wrong``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from zonedb.text.match import read_bounded

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Record(dict[str, Any]):
    """A YAML mapping with the position of the mapping and of each key."""

    file: str  # as messages show it: relative to the working folder when inside it
    seed_path: str  # inside the seeds folder, as stored: the same from any working folder
    line: int
    lines: dict[str, int]
    duplicate_keys: list[str]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


_STR = "tag:yaml.org,2002:str"


class _Loader(_Base):  # type: ignore[misc, valid-type]
    filename = ""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """Most scalars (keys, slugs, Chinese text) are quoted or start with a character no
        implicit type (int, float, bool, null, date, merge) can start with: text, without
        trying the regexes (a third of the parse). Same tags as PyYAML's resolver."""
        if kind is yaml.ScalarNode and (not implicit[0] or (value and value[0] not in _TYPED)):
            return _STR
        return super().resolve(kind, value, implicit)


# first characters of implicitly typed scalars; no resolver applies to every character
_TYPED = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
assert None not in _Loader.yaml_implicit_resolvers and not _Loader.yaml_path_resolvers


def _construct_record(loader: _Loader, node: yaml.MappingNode) -> Record:
    record = Record()
    record.file = record.seed_path = loader.filename
    record.line = node.start_mark.line + 1
    record.lines = {}
    record.duplicate_keys = []
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        if key_node.tag != _STR or key_node.id != "scalar":
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be text (a field name such as slug or quote), not a "
                f"{key_node.tag.rsplit(':', 1)[-1]}", key_node.start_mark)
        key = key_node.value
        if key in record:
            record.duplicate_keys.append(key)
        try:  # plain text is by far the commonest value: take it without the dispatch
            plain = value_node.tag == _STR and value_node.id == "scalar"
            record[key] = (value_node.value if plain
                           else loader.construct_object(value_node, deep=True))
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. !!int abc
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value of '{key}': {exc}",
                value_node.start_mark) from exc
        record.lines[key] = key_node.start_mark.line + 1
    return record


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """An unquoted date; one that is not a real date (2024-13-01) stays text for the checks."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError, OverflowError, TypeError):  # !!timestamp 99999-99-99
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_record)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


MAX_YAML_BYTES = 64 * 2**20  # one seed file; bounded time and memory on a hostile one
# Tags a seed file may hold, written or implied; !!binary, !!set, !!omap, !!python/... are not.
_TAGS = {_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
         "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:map",
         "tag:yaml.org,2002:seq"}


def _check_nodes(node: yaml.Node) -> None:
    """No aliases (a node met twice: `*name`; an alias bomb expands to gigabytes), no tags
    beyond plain data; one pass over the nodes, without recursion."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            raise YamlProblem(item.start_mark.line + 1, "YAML aliases (*name) are not "
                              "accepted in seed files: write the value out")
        seen.add(id(item))
        if item.tag not in _TAGS:
            raise YamlProblem(item.start_mark.line + 1, f"the YAML tag {item.tag[:60]} is "
                              "not accepted in seed files: write plain text, numbers, lists "
                              "and mappings")
        if isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
        elif isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                stack.extend((key, value))


def _check_shape(node: yaml.Node | None) -> None:
    """A list of mappings, checked on the nodes so that a stray item has its own line."""
    if node is None:
        return
    _check_nodes(node)
    if not isinstance(node, yaml.SequenceNode):
        raise YamlProblem(node.start_mark.line + 1,
                          "expected a list of records (lines starting with '- ')")
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            shown = item.value if isinstance(item, yaml.ScalarNode) else "a list"
            raise YamlProblem(item.start_mark.line + 1,
                              f"expected a mapping (key: value lines), got {shown!r}")


def _read_bounded(path: Path) -> str:
    return read_bounded(path, MAX_YAML_BYTES, "one seed file: split it").decode("utf-8")


def load_records(path: Path, shown: str) -> list[Record]:
    """Load a YAML file that holds a list of mappings; raise YamlProblem with a line number."""
    try:
        text = _read_bounded(path)
    except UnicodeDecodeError as exc:
        raise YamlProblem(1, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise YamlProblem(1, f"cannot read this file: {exc.strerror}") from exc
    loader = _Loader(text)
    loader.filename = shown
    try:
        node = loader.get_single_node()
        _check_shape(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        last = len(text.splitlines()) or 1  # "end of file" is on the last line
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 1 if mark is not None else 1, last)
        what = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.scanner.ScannerError) and exc.context_mark is not None \
                and exc.problem_mark is not None and exc.context:
            # The scanner notices a key without its ':' or an unclosed quote only where the
            # token would end, a line or more later: the line is where the token began.
            began = min(exc.context_mark.line + 1, last)
            if began != line:
                what = f"{what} at line {line}, {exc.context} that begins here"
                line = began
        raise YamlProblem(line, f"YAML syntax error: {what}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"YAML syntax error: {exc}") from exc
    finally:
        loader.dispose()
    if data is None:
        return []
    return data  # type: ignore[no-any-return]
