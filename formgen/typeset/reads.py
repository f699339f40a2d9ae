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
BLANK_MARKS = "＿_\u3000"  # what a form draws a blank to write in with
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


def _options_value(node: nodes.Node) -> bool:
    """Whether the node is options.KEY (or options['KEY'], options.KEY.PART)."""
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        node = node.node
    return isinstance(node, nodes.Name) and node.name == "options"


def falls_back(node: nodes.Node, known: Mapping[str, Any]) -> str:
    """What the node gives whatever the record holds: "today"; "value" for an option that is set or a
    literal with words in it ('本季度'; '—', or anything drawn with ＿ or full-width spaces, such as
    '　　年　　月　　日', is a blank to fill in by hand); "" for nothing."""
    if isinstance(node, nodes.Const):
        text = node.value
        words = (isinstance(text, str) and any(char.isalnum() for char in text)
                 and not any(char in BLANK_MARKS for char in text))
        return "value" if words else ""
    if isinstance(node, nodes.Name):
        return "today" if node.name == "today" else ""
    if _options_value(node):
        decided = value(node, known)
        return "value" if decided is not UNKNOWN and decided else ""
    if isinstance(node, nodes.Or):
        left = falls_back(node.left, known)
        return left if left == "value" else (falls_back(node.right, known) or left)
    if isinstance(node, nodes.Filter) and node.node is not None:
        return falls_back(node.node, known)
    return ""


def _stands_in(fallback: str, plain: str) -> bool:
    """Whether a fallback counts as standing in: any does for plain="any", only a value for "value"."""
    return bool(fallback) and (plain == "any" or fallback == "value")


def names_read(node: nodes.Node, known: Mapping[str, Any], plain: str = "") -> dict[str, None]:
    """Names the node reads once the known values have decided every choice they can, in the order they
    appear; record[KEY] with a decided KEY counts as reading the field KEY. plain leaves out what is read
    only where something else stands in when it is empty (`--set quarter=… or 季度`); plain="value"
    counts today as no stand-in (`record.get('落款日期') or today` still reads 落款日期)."""
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
        elif plain and isinstance(node, nodes.Or) and _stands_in(falls_back(node.right, known), plain):
            children = [node.right]  # an empty left side is stood in for
    elif (plain and isinstance(node, nodes.CondExpr) and value(node.test, known) is UNKNOWN
          and node.expr2 is not None and _stands_in(falls_back(node.expr2, known), plain)
          and set(names_read(node.expr1, known)) <= set(names_read(node.test, known))):
        children = [node.expr2]  # `季度 | quarter_label if 季度 else '本季度'`: the else stands in
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
        found.update(names_read(child, known, plain))
    return found


def _source_names(source: str, known: Mapping[str, Any], expression: bool, plain: str = "") -> list[str]:
    tree = templating.ENVIRONMENT.parse("{{ " + source + " }}" if expression else source)
    free = meta.find_undeclared_variables(tree)  # names a template sets itself ({% for %}, loop) are not fields
    return [name for name in names_read(tree, known, plain) if name in free or not _is_name(name, tree)]


def _is_name(name: str, tree: nodes.Node) -> bool:
    """Whether the name is a template variable (rather than a field read as record[KEY])."""
    return any(n.name == name for n in tree.find_all(nodes.Name))


def _decided(expression: str, known: Mapping[str, Any]) -> Any:
    tree = templating.ENVIRONMENT.parse("{{ " + expression + " }}")
    output = tree.body[0]
    return value(output.nodes[0], known) if isinstance(output, nodes.Output) and len(output.nodes) == 1 else UNKNOWN


def fields_read(value_tree: Any, known: Mapping[str, Any], plain: str = "") -> Iterator[str]:
    """The names every template of a layout's tree reads under the known values, in file order: elements
    whose `when` is decidedly false are left out, and a repeat over a decided list is followed item by item.
    plain: see names_read."""
    if isinstance(value_tree, Spec) and value_tree.when is not None:
        when = _decided(value_tree.when, known)
        if when is not UNKNOWN and not when:
            return
        yield from _source_names(value_tree.when, known, True, plain)
    over = getattr(value_tree, "over", None)
    if isinstance(value_tree, Spec) and isinstance(over, ExpressionSource):
        entries = _decided(over, known)
        yield from _source_names(over, known, True, plain)
        name = getattr(value_tree, "as_", "item")
        if isinstance(entries, (list, tuple)):
            for entry in entries:
                yield from fields_read(value_tree.children, {**known, name: entry}, plain)
            return
        yield from fields_read(value_tree.children, known, plain)
        return
    if isinstance(value_tree, TemplateSource):
        yield from _source_names(value_tree, known, False, plain)
    elif isinstance(value_tree, ExpressionSource):
        yield from _source_names(value_tree, known, True, plain)
    elif isinstance(value_tree, BaseModel):
        for field_name in type(value_tree).model_fields:
            if field_name not in ("when", "over"):
                yield from fields_read(getattr(value_tree, field_name), known, plain)
    elif isinstance(value_tree, (list, tuple)):
        for child in value_tree:
            yield from fields_read(child, known, plain)
