"""YAML read within limits: layouts, profiles and --set values may come from anyone, so nesting depth,
aliases and the size once every alias is expanded are bounded before anything is built from them."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from formgen import limits


class YamlProblem(ValueError):
    """A YAML file that cannot be read as it is; the message, in Chinese, names the file and the place."""


class YamlLimit(YamlProblem):
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


def read_yaml_file(path: Path) -> Any:
    """The value of a YAML file a clerk may have saved with Notepad: UTF-8 (with or without BOM) or, on
    Chinese Windows, GB18030; syntax errors, tags and values that are no number (.nan, .inf) said in
    Chinese with the line. FileNotFoundError passes through."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise YamlProblem(f"{path.name}：既不是 UTF-8 也不是 GB18030 编码的文字文件；请用记事本打开，"
                              f"“另存为”时编码选 UTF-8") from None
    if "\x00" in text:
        raise YamlProblem(f"{path.name}：不是文字文件（含有二进制内容）")
    try:
        data = load_yaml(text, path.name)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(f"{path.name}：{_where(exc)}格式有误：{_why(exc)}") from None
    except yaml.YAMLError:
        raise YamlProblem(f"{path.name}：格式有误，不是 YAML 文件") from None
    bad = _non_finite(data)
    if bad:
        raise YamlProblem(f"{path.name}：“{bad}”的值不是数字（.nan、.inf 不能用）")
    return data


def _where(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    return f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""


def _why(exc: yaml.MarkedYAMLError) -> str:
    problem = str(exc.problem or "")
    if "'\\t'" in problem or "\t" in problem:
        return "不能用 Tab 缩进，请改用空格"
    if "constructor" in problem or "tag" in problem:
        return "不支持以 ! 开头的标记（只能写文字、数字、列表和“键: 值”）"
    if "mapping values" in problem:
        return "冒号后要有空格；值中有冒号时请用引号括起来"
    if "found duplicate anchor" in problem or "alias" in problem:
        return "别名（&、*）用得不对"
    return "缩进、冒号或引号不对（每一项写成“键: 值”，冒号后空一格；同一层的项缩进要一样）"


def _non_finite(value: Any, path: str = "") -> str:
    """The key path of the first float that is no number, or ""."""
    if isinstance(value, float) and not math.isfinite(value):
        return path or "值"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _non_finite(item, f"{path}.{key}" if path and isinstance(key, str) else
                           f"{path}[{key}]" if path else str(key))
        if found:
            return found
    return ""
