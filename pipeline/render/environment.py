"""The Jinja environment every template is rendered in.

Like cookiecutter's strict environment: an undefined variable is an error, never an empty
string, so a typo in a template cannot silently drop a field from the minutes. And like any
system that renders user-editable templates, it is sandboxed: a template (edited by anyone
with Word) cannot reach Python internals. Autoescaping is on so that ``&``, ``<`` and ``>``
typed in a note never break the document's XML.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
    pass_context,
    pass_eval_context,
)
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum
from jinja2.visitor import NodeTransformer

from pipeline import chinese
from pipeline.errors import (
    Location,
    RenderLimitExceeded,
    TemplateError,
    TemplateLimitError,
    TemplateSecurityError,
    TemplateVariableError,
)
from pipeline.render.limits import (
    Budget,
    _number,
    binop_estimate,
    filter_estimate,
    format_estimate,
    method_estimate,
    size_of,
)

_UNDEFINED_NAME = re.compile(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')")


def cn_date(value) -> str:
    """The template filter: 2024年5月10日 (GB/T 9704); empty stays empty."""
    return "" if value is None or value == "" else chinese.cn_date(value)


# The largest power a template may compute with **.
MAX_POWER_DIGITS = 100


class ValueWatch(Protocol):
    """Shown every value a render prints (``ZhibuSandbox.finalize_watch``)."""

    def see(self, value: Any) -> None: ...


class GuardedTemplate(Template):
    """A template whose every render runs inside a ``Budget`` (see ``pipeline.render.limits``)."""

    def render(self, *args, **kwargs) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        env = self.environment
        if not isinstance(env, ZhibuSandbox):
            raise TypeError("a GuardedTemplate belongs to a ZhibuSandbox")
        try:
            with env.budget_scope():
                return env.concat(self.root_render_func(ctx))
        except Exception:
            env.handle_exception()


class _Guards(NodeTransformer):
    """Routes every loop and every ``~`` of a parsed template through the budget."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        # each step prints the loop body's text again: its length is charged per step
        text = sum(len(data.data) for data in _texts(node.body))
        size = nodes.Const(text, lineno=node.lineno)
        node.iter = nodes.Filter(node.iter, "zhibu_loop", [size], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        parts = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(parts, "zhibu_concat", [], [], None, None, lineno=node.lineno)


def _texts(body: list[nodes.Node]):
    for node in body:
        yield from node.find_all(nodes.TemplateData)
        if isinstance(node, nodes.TemplateData):
            yield node


class ZhibuSandbox(SandboxedEnvironment):
    """Jinja's sandbox plus time and size limits on everything that can loop or allocate."""

    template_class = GuardedTemplate
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **options) -> None:
        super().__init__(finalize=_finalize, **options)
        self._budget: Budget | None = None
        self.globals["lipsum"] = self._lipsum
        self.finalize_watch: ValueWatch | None = None  # shown every printed value

    # --- the budget of the render in progress ------------------------------------------------

    @contextmanager
    def budget_scope(self) -> Iterator[Budget]:
        """The budget of the render in progress, or a fresh one (one document's parts share it)."""
        if self._budget is not None:
            yield self._budget
            return
        with Budget() as budget:
            self._budget = budget
            try:
                yield budget
            finally:
                self._budget = None

    def budget(self) -> Budget:
        return self._budget if self._budget is not None else Budget()

    # --- parsing and compiling -----------------------------------------------------------------

    def _parse(self, source, name, filename) -> nodes.Template:
        return _Guards().visit(super()._parse(source, name, filename))

    def guard_filters(self) -> None:
        """Wrap every filter so that it is timed and its result measured; add the guards."""
        self.filters = {name: _guarded_filter(self, name, f) for name, f in self.filters.items()}
        self.filters["zhibu_loop"] = self._loop
        self.filters["zhibu_concat"] = self._concat

    # --- the guards ------------------------------------------------------------------------

    def _loop(self, iterable, text: int):
        budget = self.budget()
        for item in iterable:
            budget.tick()
            budget.charge(text)
            yield item

    @pass_eval_context
    def _concat(self, eval_ctx, parts: list):
        budget = self.budget()
        budget.tick()
        budget.allow(sum(size_of(p, budget.max_chars) for p in parts))
        joined = markup_join(parts) if eval_ctx.autoescape or eval_ctx.volatile else str_join(parts)
        return budget.check(joined)

    def wrap_str_format(self, value):
        """``str.format`` and ``format_map`` are sandboxed at attribute access; bound them too."""
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt = value.__self__

        def guarded(*args, **kwargs):
            budget = self.budget()
            budget.allow(format_estimate(fmt, [*args, *kwargs.values()], budget.max_chars))
            return budget.check(wrapper(*args, **kwargs))

        return guarded

    def _lipsum(self, n=5, html=True, min=20, max=100):
        self.budget().allow(_number(n) * _number(max) * 12)
        return generate_lorem_ipsum(n, html, min, max)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        budget = __self.budget()
        budget.tick()
        receiver = getattr(__obj, "__self__", None)
        if isinstance(receiver, str):
            name = getattr(__obj, "__name__", "")
            budget.allow(method_estimate(receiver, name, args, kwargs, budget.max_chars))
        result = budget.check(SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs))
        if isinstance(receiver, list | dict | set):  # grown in place (append, extend, update)
            budget.allow(size_of(receiver, budget.max_chars))
        return result

    def call_binop(self, context, operator, left, right):
        budget = self.budget()
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * len(str(abs(left))) > MAX_POWER_DIGITS:
                raise SecurityError(f"模板中的乘方过大（{left}**{right}）")
        budget.allow(binop_estimate(operator, left, right, budget.max_chars))
        return budget.check(super().call_binop(context, operator, left, right))


@pass_context  # (so Jinja never folds printed constants at compile time: every value is seen)
def _finalize(context, value):
    """Prints ``value`` unchanged, counting it towards the render's size; shows it to the
    environment's watcher if there is one."""
    env = context.environment
    budget = env.budget()
    budget.charge(size_of(value, budget.max_chars))
    watch = env.finalize_watch
    if watch is not None:
        watch.see(value)
    return value


def _guarded_filter(env: ZhibuSandbox, name: str, func):
    skip = 0 if getattr(func, "jinja_pass_arg", None) is None else 1  # context/env first

    @functools.wraps(func)  # keeps jinja_pass_arg, so Jinja passes the same arguments
    def guarded(*args, **kwargs):
        budget = env.budget()
        budget.tick()
        budget.allow(filter_estimate(name, args[skip], args[skip + 1 :], kwargs, budget.max_chars))
        return budget.check(func(*args, **kwargs))

    return guarded


def make_environment() -> ZhibuSandbox:
    """A fresh sandboxed, strict, autoescaping, limited environment with zhibu's filters."""
    env = ZhibuSandbox(undefined=StrictUndefined, autoescape=True)
    env.filters["cn_date"] = cn_date
    env.guard_filters()
    return env


def translate_render_error(exc: Exception, template_name: str) -> TemplateError:
    """Turn a Jinja exception raised while rendering into a Chinese zhibu error."""
    if isinstance(exc, RenderLimitExceeded):
        return TemplateLimitError(template_name, exc.kind, exc.detail)
    if isinstance(exc, RecursionError):
        return TemplateLimitError(template_name, "depth", "")
    if isinstance(exc, UndefinedError):
        m = _UNDEFINED_NAME.search(str(exc))
        variable = (m.group(2) or m.group(1)) if m else str(exc)
        return TemplateVariableError(template_name, variable)
    if isinstance(exc, SecurityError):
        return TemplateSecurityError(
            f"模板执行了不允许的操作（访问程序内部对象或生成过大的内容），已被安全沙箱拦截（{exc}）",
            hint="模板里只能使用记录中的字段（如 {{ 主题 }}）和简单的循环、判断。",
            location=Location(file=template_name),
        )
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(
            f"模板语法错误（第{exc.lineno}处附近）：{exc.message}",
            hint="检查 {{ }} 和 {% %} 标记是否成对、拼写是否正确。",
            location=Location(file=template_name),
        )
    return TemplateError(f"模板渲染失败：{exc}", location=Location(file=template_name))
