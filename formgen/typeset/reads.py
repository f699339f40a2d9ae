"""Which record fields a layout reads once its options are known: a field read only where an option
decides otherwise (`options.quarter or 季度`, `'' if options.blank else 自评分`, an element whose `when`
is false) is not needed, and `record[pair[1]]` over an option's list reads the fields the list names.

The templates are not rendered: their syntax trees are walked, and a part whose value depends on the
options and constants alone is worked out; anything else counts as read, so that a field is never
wrongly said to be unneeded.
"""
from __future__ import annotations

import operator
from typing import Any, Iterator, Mapping

from jinja2 import meta, nodes
from pydantic import BaseModel

from formgen import templating
from formgen.typeset.elements.base import ExpressionSource, Spec, TemplateSource

UNKNOWN = object()  # a value that depends on the record, the profile or today
_COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "gt": operator.gt, "lteq": operator.le,
            "gteq": operator.ge, "in": lambda a, b: a in b, "notin": lambda a, b: a not in b}
_FILTERS = {"length": len, "count": len, "lower": str.lower, "upper": str.upper, "trim": str.strip}


def _item(base: Any, key: Any) -> Any:
    try:
        return base[key]
    except (KeyError, IndexError, TypeError):
        return UNKNOWN


def value(node: nodes.Node, known: Mapping[str, Any]) -> Any:
    """The node's value when the known names (options, loop variables bound to options' items) decide it."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.Name):
        return known.get(node.name, UNKNOWN)
    if isinstance(node, (nodes.List, nodes.Tuple)):
        items = [value(item, known) for item in node.items]
        return UNKNOWN if any(item is UNKNOWN for item in items) else items
    if isinstance(node, nodes.Getattr):
        base = value(node.node, known)
        return UNKNOWN if base is UNKNOWN or not isinstance(base, Mapping) else _item(base, node.attr)
    if isinstance(node, nodes.Getitem):
        base, key = value(node.node, known), value(node.arg, known)
        return UNKNOWN if UNKNOWN in (base, key) else _item(base, key)
    if isinstance(node, nodes.Not):
        inner = value(node.node, known)
        return UNKNOWN if inner is UNKNOWN else not inner
    if isinstance(node, (nodes.And, nodes.Or)):
        left = value(node.left, known)
        if left is UNKNOWN:
            return UNKNOWN
        if bool(left) == isinstance(node, nodes.Or):  # decided by the left side alone
            return left
        return value(node.right, known)
    if isinstance(node, nodes.CondExpr):
        test = value(node.test, known)
        if test is UNKNOWN:
            return UNKNOWN
        branch = node.expr1 if test else node.expr2
        return "" if branch is None else value(branch, known)
    if isinstance(node, nodes.Compare) and len(node.ops) == 1 and node.ops[0].op in _COMPARE:
        left, right = value(node.expr, known), value(node.ops[0].expr, known)
        if UNKNOWN in (left, right):
            return UNKNOWN
        try:
            return _COMPARE[node.ops[0].op](left, right)
        except TypeError:
            return UNKNOWN
    if isinstance(node, nodes.Filter) and node.name in _FILTERS and node.node is not None and not node.args:
        inner = value(node.node, known)
        try:
            return UNKNOWN if inner is UNKNOWN else _FILTERS[node.name](inner)
        except TypeError:
            return UNKNOWN
    return UNKNOWN


def _record_key(node: nodes.Node, known: Mapping[str, Any]) -> Any:
    """The field that record[KEY] or record.get(KEY, …) reads, when KEY is decided; else UNKNOWN."""
    if isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name) and node.node.name == "record":
        return value(node.arg, known)
    if (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) and node.node.attr == "get"
            and isinstance(node.node.node, nodes.Name) and node.node.node.name == "record" and node.args):
        return value(node.args[0], known)
    return UNKNOWN


def names_read(node: nodes.Node, known: Mapping[str, Any]) -> dict[str, None]:
    """Names the node reads once the known values have decided every choice they can, in the order they
    appear; record[KEY] with a decided KEY counts as reading the field KEY."""
    key = _record_key(node, known)
    if isinstance(key, str):
        return {key: None}
    if isinstance(node, nodes.Name):
        return {node.name: None} if node.ctx == "load" else {}
    children: list[nodes.Node] = list(node.iter_child_nodes())
    if isinstance(node, (nodes.And, nodes.Or)):
        left = value(node.left, known)
        if left is not UNKNOWN and bool(left) == isinstance(node, nodes.Or):
            children = [node.left]  # the right side is never evaluated
    elif isinstance(node, (nodes.CondExpr, nodes.If)):
        test = value(node.test, known)
        if test is not UNKNOWN:
            if isinstance(node, nodes.CondExpr):
                taken = [node.expr1] if test else ([node.expr2] if node.expr2 is not None else [])
            else:
                taken = node.body if test else (node.elif_ + node.else_ if node.elif_ else node.else_)
            children = [node.test, *taken]
    found: dict[str, None] = {}
    for child in children:
        found.update(names_read(child, known))
    return found


def _source_names(source: str, known: Mapping[str, Any], expression: bool) -> list[str]:
    tree = templating.ENVIRONMENT.parse("{{ " + source + " }}" if expression else source)
    free = meta.find_undeclared_variables(tree)  # names a template sets itself ({% for %}, loop) are not fields
    return [name for name in names_read(tree, known) if name in free or not _is_name(name, tree)]


def _is_name(name: str, tree: nodes.Node) -> bool:
    """Whether the name is a template variable (rather than a field read as record[KEY])."""
    return any(n.name == name for n in tree.find_all(nodes.Name))


def _decided(expression: str, known: Mapping[str, Any]) -> Any:
    tree = templating.ENVIRONMENT.parse("{{ " + expression + " }}")
    output = tree.body[0]
    return value(output.nodes[0], known) if isinstance(output, nodes.Output) and len(output.nodes) == 1 else UNKNOWN


def fields_read(value_tree: Any, known: Mapping[str, Any]) -> Iterator[str]:
    """The names every template of a layout's tree reads under the known values, in file order: elements
    whose `when` is decidedly false are left out, and a repeat over a decided list is followed item by item."""
    if isinstance(value_tree, Spec) and value_tree.when is not None:
        when = _decided(value_tree.when, known)
        if when is not UNKNOWN and not when:
            return
        yield from _source_names(value_tree.when, known, True)
    over = getattr(value_tree, "over", None)
    if isinstance(value_tree, Spec) and isinstance(over, ExpressionSource):
        entries = _decided(over, known)
        yield from _source_names(over, known, True)
        name = getattr(value_tree, "as_", "item")
        if isinstance(entries, (list, tuple)):
            for entry in entries:
                yield from fields_read(value_tree.children, {**known, name: entry})
            return
        yield from fields_read(value_tree.children, known)
        return
    if isinstance(value_tree, TemplateSource):
        yield from _source_names(value_tree, known, False)
    elif isinstance(value_tree, ExpressionSource):
        yield from _source_names(value_tree, known, True)
    elif isinstance(value_tree, BaseModel):
        for field_name in type(value_tree).model_fields:
            if field_name not in ("when", "over"):
                yield from fields_read(getattr(value_tree, field_name), known)
    elif isinstance(value_tree, (list, tuple)):
        for child in value_tree:
            yield from fields_read(child, known)
