"""YAML with line numbers, so every complaint about a rule file can say ``file:line``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

YamlPath = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class YamlDocument:
    path: Path
    data: Any
    lines: dict[YamlPath, int] = field(repr=False)

    def line_of(self, location: tuple[Any, ...]) -> int:
        """The line of the deepest node on ``location`` that exists in the file.

        ``location`` may contain steps that are not in the file (pydantic adds union tags and
        model names); those are skipped, so a loc from a validation error maps cleanly.
        """
        node: Any = self.data
        found: YamlPath = ()
        steps = list(location)
        for index, step in enumerate(steps):
            following = steps[index + 1] if index + 1 < len(steps) else None
            if (
                isinstance(node, dict)
                and step in node
                and following in node
                and not (isinstance(node[step], dict) and following in node[step])
            ):
                continue  # a union tag that happens to equal a key of this mapping
            if (isinstance(node, dict) and step in node) or (
                isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
            ):
                node = node[step]
            else:
                continue
            found = (*found, step)
        while found and found not in self.lines:
            found = found[:-1]
        return self.lines.get(found, 1)


def load_yaml(path: Path) -> YamlDocument:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlSyntaxError(
            path, line, f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
        ) from None
    loader = yaml.SafeLoader(text)
    lines: dict[YamlPath, int] = {(): 1}
    try:
        root = loader.get_single_node()
        data = _build(root, (), lines, loader, path) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(path, line, f"not valid YAML: {error.problem}") from error
    finally:
        loader.dispose()
    return YamlDocument(path=path, data=data, lines=lines)


def _build(
    node: yaml.Node, here: YamlPath, lines: dict[YamlPath, int], loader: Any, path: Path
) -> Any:
    lines[here] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise YamlSyntaxError(
                    path,
                    key_node.start_mark.line + 1,
                    f"key '{key}' appears twice in the same block; keep one",
                )
            result[key] = _build(value_node, (*here, key), lines, loader, path)
            lines[(*here, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*here, i), lines, loader, path) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
