"""The Jinja environment every template is rendered in.

Like cookiecutter's strict environment: an undefined variable is an error, never an empty
string, so a typo in a template cannot silently drop a field from the minutes. And like any
system that renders user-editable templates, it is sandboxed: a template (edited by anyone
with Word) cannot reach Python internals. Autoescaping is on so that ``&``, ``<`` and ``>``
typed in a note never break the document's XML.
"""

from __future__ import annotations

import re

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from pipeline.errors import Location, TemplateError, TemplateSecurityError, TemplateVariableError

_UNDEFINED_NAME = re.compile(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')")


def cn_date(value) -> str:
    """2024年5月10日: full year, no zero padding (GB/T 9704)."""
    if value is None or value == "":
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


# The largest string or list a template may build with * and the largest power with **: far
# beyond any minutes, far below what would exhaust memory ({{ 'x' * 10**9 }}).
MAX_REPEAT_SIZE = 1_000_000
MAX_POWER_DIGITS = 100


class ZhibuSandbox(SandboxedEnvironment):
    """Jinja's sandbox plus limits on the two operators that can allocate without bound."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and len(seq) * times > MAX_REPEAT_SIZE
                ):
                    raise SecurityError(f"模板试图生成过大的内容（{len(seq)}×{times}）")
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * len(str(abs(left))) > MAX_POWER_DIGITS:
                raise SecurityError(f"模板中的乘方过大（{left}**{right}）")
        return super().call_binop(context, operator, left, right)


def make_environment() -> SandboxedEnvironment:
    """A fresh sandboxed, strict, autoescaping environment with zhibu's filters."""
    env = ZhibuSandbox(undefined=StrictUndefined, autoescape=True)
    env.filters["cn_date"] = cn_date
    return env


def translate_render_error(exc: Exception, template_name: str) -> TemplateError:
    """Turn a Jinja exception raised while rendering into a Chinese zhibu error."""
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
