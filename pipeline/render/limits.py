"""Time and size limits for rendering a template (a template is edited by anyone with Word).

Jinja's sandbox stops a template from reaching Python internals but not from running forever
(nested loops over ``range(100000)``) or from building huge strings (``'%300000000s' % x``,
``|center(10**9)``, ``.ljust``, ``~`` and ``+`` in a loop). ``Budget`` is the per-render
account the guarded environment charges:

* time: every loop step, call, filter and output chunk checks the deadline;
* size: every value a call, filter or operator produces and every value printed is measured
  (``size_of``, an upper bound of the characters it prints as), every loop step counts the
  template text it repeats, and the operations that can amplify their input (padding widths,
  repetition, replacement, joining, formatting) are estimated *before* they run, so no
  oversized string is ever allocated and the whole output stays bounded.

A render that exceeds either limit raises ``RenderLimitExceeded``; ``environment`` turns it
into a Chinese ``TemplateLimitError`` naming the template.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from pipeline.errors import RenderLimitExceeded


@dataclass(frozen=True)
class RenderLimits:
    """The two settings of [render] in zhibu.toml."""

    # Seconds one document may take to render: real minutes take milliseconds.
    time_limit_seconds: float = 10.0
    # Characters a template may produce beyond its own text, and the largest value it may
    # build: about a thousand pages of text, far below what would exhaust memory.
    max_output_chars: int = 2_000_000


DEFAULT_LIMITS = RenderLimits()
_limits = [DEFAULT_LIMITS]
_active = [0]  # renders in progress in this process (see rendering_in_progress)

# Integers a template may build: far beyond any count or year, far below a slow multiplication.
MAX_INT_DIGITS = 100
# Everything one render builds together (values made, values printed, text repeated by loops)
# may be this many times the size limit: a value made and then printed counts twice.
BUILT_FACTOR = 4
# Nesting deeper than this is treated as too large to measure (a list that contains itself).
_MAX_DEPTH = 40
_FORMAT_NUMBER = re.compile(r"\d+")


def set_limits(limits: RenderLimits) -> None:
    """Use ``limits`` for every render in this process from now on (zhibu.toml [render])."""
    _limits[0] = limits


def apply_render_limits(settings) -> None:
    """Use the [render] section of a workspace's zhibu.toml (``RenderSettings``) from now on."""
    set_limits(RenderLimits(float(settings.time_limit_seconds), int(settings.max_output_chars)))


def current_limits() -> RenderLimits:
    return _limits[0]


def rendering_in_progress() -> bool:
    """True while a template renders on some thread of this process. A render has no side
    effects, so a signal handler may interrupt it at once (``zhibu watch``'s first Ctrl-C)."""
    return _active[0] > 0


class Budget:
    """The time and size account of one render (all parts of one document)."""

    def __init__(self, limits: RenderLimits | None = None) -> None:
        self.limits = limits or current_limits()
        self.max_chars = self.limits.max_output_chars
        self.deadline = time.monotonic() + self.limits.time_limit_seconds
        self.built = 0  # characters of all values built so far (see check)

    def __enter__(self) -> Budget:
        _active[0] += 1
        return self

    def __exit__(self, *_: object) -> None:
        _active[0] -= 1

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimitExceeded("time", f"{self.limits.time_limit_seconds:g} 秒")

    def allow(self, estimate: int) -> None:
        """Refuse an operation whose result would exceed the size limit, before it runs."""
        if estimate > self.max_chars:
            raise RenderLimitExceeded("size", f"{self.max_chars:,} 个字符")

    def check(self, value: Any) -> Any:
        """Refuse a value larger than the size limit, and count it towards everything this
        render has built (a loop that builds many large values is stopped too); returns it."""
        size = size_of(value, self.max_chars)
        self.allow(size)
        self.charge(size)
        return value

    def charge(self, size: int) -> None:
        """Count ``size`` characters towards everything this render has built or printed."""
        self.built += size
        if self.built > self.max_chars * BUILT_FACTOR:
            raise RenderLimitExceeded("size", f"{self.max_chars:,} 个字符")


def size_of(value: Any, cap: int, depth: int = 0) -> int:
    """An upper bound of the characters ``value`` prints as, counted until it passes ``cap``."""
    if isinstance(value, str | bytes | bytearray):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    if isinstance(value, range):
        return 24  # lazy: prints as range(0, 100000); a list made from it is measured as a list
    if isinstance(value, list | tuple | set | frozenset | dict):
        if depth > _MAX_DEPTH:
            return cap + 1
        total = 8 * len(value)  # quotes, separators, and a floor for each reference
        items = value.items() if isinstance(value, dict) else ((v, "") for v in value)
        for key, item in items:
            if total > cap:
                break
            total += size_of(key, cap, depth + 1) + size_of(item, cap, depth + 1)
        return total
    return 8  # numbers, dates, cyclers, undefined values: short when printed


# --- estimates made before an operation runs -------------------------------------------------


def _number(value: Any) -> int:
    return max(value, 0) if isinstance(value, int) and not isinstance(value, bool) else 0


def format_estimate(fmt: str, args: Any, cap: int) -> int:
    """``fmt % args`` or ``fmt.format(*args)``: each placeholder at most the largest argument,
    plus every width written in the format (``%300000000s``, ``{:>999999}``) or passed as one."""
    values = list(args) if isinstance(args, tuple | list) else [args]
    for mapping in [v for v in values if isinstance(v, dict)]:  # %(name)s, format_map
        values.extend(mapping.values())
    largest = max((size_of(v, cap) for v in values), default=0)
    placeholders = fmt.count("%") + fmt.count("{")
    widths = sum(int(n) for n in _FORMAT_NUMBER.findall(fmt) if len(n) < 12) + sum(map(_number, values))
    if any(len(n) >= 12 for n in _FORMAT_NUMBER.findall(fmt)):
        widths = cap + 1
    return len(fmt) + placeholders * largest + widths


def binop_estimate(operator: str, left: Any, right: Any, cap: int) -> int:
    """The size of ``left <operator> right`` for the operators that can grow without bound."""
    if operator == "+":
        return size_of(left, cap) + size_of(right, cap)
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            digits = size_of(left, cap) + size_of(right, cap)
            return digits if digits <= MAX_INT_DIGITS else cap + 1
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int):
                return size_of(seq, cap) * max(times, 0)
    if operator == "%" and isinstance(left, str):
        return format_estimate(left, right, cap)
    return 0


def _join_estimate(sep: Any, items: Any, cap: int) -> int:
    if not isinstance(items, list | tuple | set | frozenset | dict | range | str):
        return 0  # a generator: its items are checked as they are produced, the result after
    return size_of(items, cap) + len(items) * size_of(sep, cap)


def method_estimate(receiver: str, name: str, args: tuple, kwargs: dict, cap: int) -> int:
    """The size of ``receiver.name(*args)`` for the str methods that can amplify."""
    base = len(receiver)
    values = [*args, *kwargs.values()]
    if name in ("center", "ljust", "rjust", "zfill"):
        return base + sum(map(_number, values[:1]))
    if name == "expandtabs":
        return base + receiver.count("\t") * (sum(map(_number, values[:1])) or 8)
    if name == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        hits = (base + 1) if old == "" else receiver.count(old) if isinstance(old, str) else base
        return base + hits * size_of(new, cap)
    if name == "join" and args:
        return _join_estimate(receiver, args[0], cap)
    if name in ("format", "format_map"):
        return format_estimate(receiver, [*args, *kwargs.values()], cap)
    if name == "translate" and args:
        return base * (1 + size_of(args[0], cap))
    return 0


# Filters that never produce more than their input plus their arguments (post-checked only).
_PLAIN_FILTERS = frozenset(
    "abs attr capitalize cn_date count d default dictsort e escape filesizeformat first float "
    "forceescape groupby int items last length list lower map max min pprint random reject "
    "rejectattr reverse round safe select selectattr sort string striptags title tojson trim "
    "truncate unique upper urlencode wordcount xmlattr batch".split()
)


def filter_estimate(name: str, value: Any, args: tuple, kwargs: dict, cap: int) -> int:
    """The size of ``value|name(*args)`` before it runs; 0 when only the result needs checking."""
    if name in _PLAIN_FILTERS:
        return 0
    base = size_of(value, cap)
    values = [*args, *kwargs.values()]
    if name == "center":
        return base + sum(map(_number, values[:1]))
    if name == "replace" and isinstance(value, str) and len(args) >= 2:
        return method_estimate(value, "replace", args[:2], {}, cap)
    if name == "join":
        return _join_estimate(args[0] if args else kwargs.get("d", ""), value, cap)
    if name == "format" and isinstance(value, str):
        return format_estimate(value, values, cap)
    if name == "sum":  # sums of lists copy the growing list at every step
        return base * (len(value) if hasattr(value, "__len__") else 1)
    # indent, wordwrap, urlize, slice, filters added later: any argument may repeat per line
    extra = sum(size_of(v, cap) for v in values if not isinstance(v, int) or isinstance(v, bool))
    return base * (1 + extra) + sum(map(_number, values))
