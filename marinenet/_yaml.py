"""Reading scenario YAML strictly: UTF-8 only, and no key given twice in one mapping.

PyYAML keeps the last of two equal keys without a word; a scenario with ``particles``
written twice would silently run the second value. Here it is an error naming the key
and both lines.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml

from .errors import ScenarioError

__all__ = ["read_yaml"]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # keys merged in with << may be overridden
            continue
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            first = seen.setdefault(key, line)
        except TypeError:  # an unhashable key: let PyYAML report it
            break
        if first != line:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} is given twice (lines {first} and {line}); keep one",
                key_node.start_mark,
            )
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path) -> Any:
    """The content of a YAML file; a :class:`ScenarioError` naming the file for anything unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte {raw[exc.start]:#04x} on line {line}); save the scenario as UTF-8"
        ) from None
    try:
        stream = io.StringIO(text)
        stream.name = str(path)  # PyYAML names it in its messages
        return yaml.load(stream, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from None
