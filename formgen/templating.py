"""The one sandboxed jinja2 environment: record values are data, undefined names are errors."""
from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterator, Optional

from jinja2 import StrictUndefined, TemplateError, Undefined, meta, nodes, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from formgen import chinese, limits


class ValueProblem(ValueError):
    """A filter cannot use a record's value (a score that is no number); the message is for the clerk."""

    def __init__(self, message: str, value: Any):
        self.value = value
        super().__init__(message)


_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s.*)?|(\d{4})(\d{2})(\d{2})")


def _as_date(value: Any) -> _dt.date:
    """A date as offices type it into a text cell: 2024-09-30, 2024/9/30, 2024.9.30, 2024年9月30日, 20240930."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    match = _DATE_TEXT.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
    if match:
        year, month, day = (int(part) for part in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
        try:
            return _dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueProblem(f"“{value}”不是日期；请写成 2024-09-30 或 2024年9月30日", value)


def _cn_date(value: Any) -> str:
    return chinese.cn_date(_as_date(value))


def _quarter(value: Any) -> chinese.Quarter:
    """A quarter from '2024Q3', '2024年第三季度' … or the quarter a date falls in."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return chinese.Quarter.of(value)
    try:
        return chinese.parse_quarter(str(value))
    except ValueError as exc:
        raise ValueProblem(str(exc), value) from None


def _quarter_label(value: Any) -> str:
    """'2024Q3' → '2024年第三季度'."""
    return _quarter(value).label


def _quarter_name(value: Any) -> str:
    """'2024Q3' → '第三季度'."""
    return _quarter(value).name


def _stars(value: Any, total: int = 5) -> str:
    return chinese.stars(int(value), total)


def _cn_number(value: Any) -> str:
    return chinese.cn_number(int(value))


def _date(value: Any, fmt: str = "%Y年%m月%d日") -> str:
    return _as_date(value).strftime(fmt) if value not in (None, "") else ""


def _month_number(value: Any) -> str:
    """'2024-10', '10', 10, '十月' or a date → '10'."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return str(value.month)
    text = str(value).strip()
    if not text:
        return ""
    for sep in ("-", "/", "年", "."):
        if sep in text:
            text = text.split(sep)[1]
            break
    text = text.replace("月", "").strip()
    try:
        month = chinese.parse_cn_number(text) if not text.replace(".", "").isdigit() else int(float(text))
    except (ValueError, KeyError):
        raise ValueProblem(f"“{value}”不是月份；请填写 1–12 或 十月", value) from None
    if not 1 <= month <= 12:
        raise ValueProblem(f"“{value}”不是月份（1–12）", value)
    return str(month)


def _score(value: Any) -> str:
    """A 百分制 score as clerks write it: 95, 87.5 — never 95.0; '95分' and '九十五' read as 95."""
    if value in (None, ""):
        return ""
    number = chinese.parse_score(value)
    if number is None:
        raise ValueProblem(f"“{value}”不是分数；请填写 0–100 的数字", value)
    if not 0 <= number <= 100:
        raise ValueProblem(f"{value} 超出百分制（0–100）", value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _choice(value: Any, *options: str) -> str:
    """The option a cell names — the option itself, or a word that starts like it (高于要求 → 高于); empty
    stays empty; anything else fails the record naming the value and the options."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if not text:
        return ""
    for option in options:
        if text == option or text.startswith(option) or option.startswith(text):
            return option
    raise ValueProblem(f"“{value}”不是{'、'.join(options)}之一", value)


# {工号} in a template that is data: clerks write a field so as often as {{ 工号 }} (not {{…}} or {%…%})
_SINGLE_BRACES = re.compile(r"(?<!\{)\{\s*([^\W\d]\w*)\s*\}(?!\})")


def data_template(source: str) -> str:
    """A template typed by a clerk (the profile's QR address, a greeting) as Jinja: {工号} is {{ 工号 }}."""
    return _SINGLE_BRACES.sub(r"{{ \1 }}", source)


@pass_context
def _fill(context, source: Any) -> str:
    """Render a template that is itself data (the profile's QR URL template) with the same values."""
    return render(data_template(str(source)), dict(context.get_all()))


class LimitExceeded(Exception):
    """A template went past one of formgen.limits; the message says which, for the clerk."""


_STEPS: contextvars.ContextVar[Optional[list[int]]] = contextvars.ContextVar("template_steps", default=None)


def _steps(iterable: Any) -> Iterator[Any]:
    """Every loop of a template goes through here: all loops of one render share one budget of steps, so
    that loops inside loops cannot run for minutes."""
    budget = _STEPS.get()
    for item in iterable:
        if budget is not None:
            budget[0] -= 1
            if budget[0] < 0:
                raise LimitExceeded(f"循环超过了{limits.MAX_LOOP_ITERATIONS}步（一个模板的上限）")
        yield item


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > limits.MAX_RANGE:
        raise LimitExceeded(f"range 有{len(numbers)}项，超过了上限{limits.MAX_RANGE}项")
    return numbers


def _sized(width: Any, what: str) -> None:
    if isinstance(width, int) and abs(width) > limits.MAX_TEMPLATE_OUTPUT:
        raise LimitExceeded(f"{what}的宽度 {width} 超过了模板输出的上限{limits.MAX_TEMPLATE_OUTPUT}个字符")


_HUGE_WIDTH = re.compile(r"[:%][^}\s]*?(\d{6,})")


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, bounded: every for-loop counted, range and repetition sized, format widths checked."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.Name("_formgen_steps", "load"), [loop.iter], [], None, None)
        return tree

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
                    _sized(len(sequence) * times, "重复")
        elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
            raise LimitExceeded(f"乘方的指数 {right} 太大（上限 1000）")
        elif operator == "%" and isinstance(left, str) and _HUGE_WIDTH.search(left):
            raise LimitExceeded(f"格式中的宽度超过了模板输出的上限{limits.MAX_TEMPLATE_OUTPUT}个字符")
        return super().call_binop(context, operator, left, right)

    def format_string(self, s, args, kwargs, format_func=None):
        if _HUGE_WIDTH.search(s):
            raise LimitExceeded(f"格式中的宽度超过了模板输出的上限{limits.MAX_TEMPLATE_OUTPUT}个字符")
        return super().format_string(s, args, kwargs, format_func)

    def call(self, context, obj, *args, **kwargs):
        name = getattr(obj, "__name__", "")
        owner = getattr(getattr(obj, "__wrapped__", obj), "__self__", None)  # str.format comes wrapped
        if isinstance(owner, str):
            if name in ("center", "ljust", "rjust", "zfill", "expandtabs"):
                for arg in args:
                    _sized(arg, name)
            elif name in ("format", "format_map") and _HUGE_WIDTH.search(owner):
                raise LimitExceeded(f"格式中的宽度超过了模板输出的上限{limits.MAX_TEMPLATE_OUTPUT}个字符")
        return super().call(context, obj, *args, **kwargs)


def _bounded_filter(name: str, position: int):
    original = ImmutableSandboxedEnvironment().filters[name]

    def bounded(*args, **kwargs):
        if len(args) > position:
            _sized(args[position], name)
        for value in kwargs.values():
            _sized(value, name)
        return original(*args, **kwargs)

    bounded.__name__ = original.__name__
    if getattr(original, "jinja_pass_arg", None):
        bounded.jinja_pass_arg = original.jinja_pass_arg
    return bounded


def make_environment() -> ImmutableSandboxedEnvironment:
    env = _Environment(
        undefined=StrictUndefined,
        autoescape=False,  # output is plain text, escaped by each writer for its own format
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        cn_date=_cn_date,
        quarter_label=_quarter_label,
        quarter_name=_quarter_name,
        stars=_stars,
        cn_number=_cn_number,
        date=_date,
        month=_month_number,
        score=_score,
        fill=_fill,
        center=_bounded_filter("center", 1),
        indent=_bounded_filter("indent", 1),
        wordwrap=_bounded_filter("wordwrap", 2),
        choice=_choice,
    )
    env.globals.pop("lipsum", None)  # paragraphs of filler on demand: nothing a document needs
    env.globals.update(range=_range, _formgen_steps=_steps)
    return env


ENVIRONMENT = make_environment()


class TemplateProblem(ValueError):
    """A template could not be compiled or rendered; the message names the field."""

    def __init__(self, message: str, column: str | None = None, source: str | None = None):
        self.column = column  # the record's column whose value is at fault, when one is
        self.source = source  # the template that failed: one a profile entry or option gave, perhaps
        super().__init__(message)


@lru_cache(maxsize=2048)
def compile_template(source: str):
    try:
        return ENVIRONMENT.from_string(source)
    except TemplateError as exc:
        raise TemplateProblem(f"模板 {_shorten(source)}：{_syntax(exc)}", source=source) from None


@lru_cache(maxsize=512)
def compile_expression(source: str):
    try:
        return ENVIRONMENT.compile_expression(source, undefined_to_none=False)
    except TemplateError as exc:
        raise TemplateProblem(f"表达式 {_shorten(source)}：{_syntax(exc, expression=True)}", source=source) from None


def _syntax(exc: TemplateError, expression: bool = False) -> str:
    """A syntax error as the clerk who typed the template (a profile's QR address, a greeting) can act on;
    Jinja's own words, in English, stay out of it."""
    line = getattr(exc, "lineno", None)
    where = f"第{line}行" if isinstance(line, int) and line > 1 else ""
    if expression:
        return f"{where}写法有误：应是字段名、options.选项名或比较，如 options.blank、姓名 == '王喆'"
    return f"{where}写法有误：{{{{ 和 }}}}、{{% 和 %}} 要成对，中间写字段名，如 {{{{ 工号 }}}}"


def _shorten(source: str, limit: int = 40) -> str:
    flat = " ".join(source.split())
    return repr(flat if len(flat) <= limit else flat[:limit] + "…")


def _describe(exc: Exception) -> str:
    message = str(exc)
    undefined = re.fullmatch(r"'(.+)' is undefined", message)
    if undefined:
        return f"没有字段“{undefined.group(1)}”"
    return message


@contextlib.contextmanager
def _budget() -> Iterator[None]:
    """One budget of loop steps for a render and the templates it renders inside itself (fill)."""
    if _STEPS.get() is not None:
        yield
        return
    token = _STEPS.set([limits.MAX_LOOP_ITERATIONS])
    try:
        yield
    finally:
        _STEPS.reset(token)


def _render_bounded(source: str, context: dict[str, Any]) -> str:
    parts, size = [], 0
    with _budget():
        for chunk in compile_template(source).generate(context):
            size += len(chunk)
            if size > limits.MAX_TEMPLATE_OUTPUT:
                raise LimitExceeded(f"输出超过了{limits.MAX_TEMPLATE_OUTPUT}个字符（一个模板的上限）")
            parts.append(chunk)
    return "".join(parts)


def render(source: str, context: dict[str, Any]) -> str:
    """Render a text template; plain strings without markup pass straight through."""
    if "{" not in source:
        return source
    try:
        return _render_bounded(source, context)
    except TemplateProblem:
        raise
    except LimitExceeded as exc:
        raise TemplateProblem(f"模板 {_shorten(source)}：{exc}", source=source) from None
    except (MemoryError, RecursionError):
        raise TemplateProblem(f"模板 {_shorten(source)}：太复杂，无法生成（超出内存或嵌套的上限）", source=source) from None
    except ValueProblem as exc:  # the record's value is wrong, not the template: name the column
        raise TemplateProblem(str(exc), _column_holding(exc.value, source, context)) from None
    except Exception as exc:  # jinja raises many kinds; the user needs the template and the reason
        raise TemplateProblem(f"模板 {_shorten(source)}：{_describe(exc)}", source=source) from None


def _column_holding(value: Any, source: str, context: dict[str, Any]) -> str | None:
    for name in sorted(names_used(source)):
        if name in context and context[name] is value:
            return name
    record = context.get("record")
    if isinstance(record, dict) and "record" in names_used(source):  # record.get('列') in the template
        for name, held in record.items():
            if held is value:
                return name
    return None


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    try:
        with _budget():
            result = compile_expression(expression)(**context)
        if isinstance(result, Undefined):  # the caller's truth test would raise outside of here
            result._fail_with_undefined_error()
        return result
    except TemplateProblem:
        raise
    except LimitExceeded as exc:
        raise TemplateProblem(f"表达式 {_shorten(expression)}：{exc}") from None
    except Exception as exc:
        raise TemplateProblem(f"表达式 {_shorten(expression)}：{_describe(exc)}") from None


def fills_more_than(source: str, allowed: tuple[str, ...]) -> bool:
    """Whether the template (or expression) applies `fill` to a value read from a name other than the
    allowed ones: a roster cell filled in as a template can read any name of the context."""
    text = source if "{" in source else "{{ " + source + " }}"
    if "fill" not in text:
        return False
    try:
        tree = ENVIRONMENT.parse(text)
    except TemplateError:
        return True
    for node in tree.find_all(nodes.Filter):
        if node.name == "fill":
            read = [node.node, *node.node.find_all(nodes.Name)]
            if {name.name for name in read if isinstance(name, nodes.Name)} - set(allowed):
                return True
    return False


def names_used(source: str) -> set[str]:
    """Top-level names a template reads (record fields, org, options …)."""
    if "{" not in source:
        return set()
    try:
        return set(meta.find_undeclared_variables(ENVIRONMENT.parse(source)))
    except TemplateError as exc:
        raise TemplateProblem(f"模板 {_shorten(source)}：{_syntax(exc)}", source=source) from None


def names_in_expression(expression: str) -> set[str]:
    try:
        tree = ENVIRONMENT.parse("{{ " + expression + " }}")
    except TemplateError as exc:
        raise TemplateProblem(f"expression {expression!r}: {exc}") from None
    return {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
