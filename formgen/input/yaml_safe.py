"""YAML read within limits: layouts, profiles and --set values may come from anyone, so nesting depth,
aliases and the size once every alias is expanded are bounded before anything is built from them."""
from __future__ import annotations

from typing import Any

import yaml

from formgen import limits


class YamlLimit(ValueError):
    """YAML past a limit; the message names the file and the limit."""


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > limits.MAX_YAML_ALIASES:
                raise YamlLimit(f"别名（*name）超过了{limits.MAX_YAML_ALIASES}个")
        self._depth += 1
        try:
            if self._depth > limits.MAX_NESTING:
                raise YamlLimit(f"嵌套超过了{limits.MAX_NESTING}层")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded (an alias counts its whole
    subtree each time it is used), stopping as soon as the limit is passed."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > limits.MAX_YAML_NODES:
                break
        sizes[id(node)] = total
        return total

    return size(root)


def load_yaml(text: str, name: str) -> Any:
    """The value of a YAML text; YamlLimit (naming name and the limit) or yaml.YAMLError when it is not."""
    if len(text.encode("utf-8", errors="ignore")) > limits.MAX_YAML_BYTES:
        raise YamlLimit(f"{name}：文件超过了 {limits.size_text(limits.MAX_YAML_BYTES)}（YAML 文件的上限）")
    loader = _BoundedLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except YamlLimit as exc:
            raise YamlLimit(f"{name}：{exc}（YAML 的上限）") from None
        if node is None:
            return None
        if _expanded_size(node) > limits.MAX_YAML_NODES:
            raise YamlLimit(f"{name}：展开别名后超过了{limits.MAX_YAML_NODES}个值（YAML 的上限）")
        return loader.construct_document(node)
    finally:
        loader.dispose()
