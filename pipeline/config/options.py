"""Declared configuration options, each validating its value with a Chinese message.

As in mkdocs, every option the program understands is declared once with its type and
default; ``zhibu.toml`` is checked against these declarations so that a typo or a wrong
type is reported with the key and what was expected, instead of failing somewhere later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from pipeline.errors import ConfigError


def option(declared: Option) -> Any:
    """A settings dataclass field declared by its option (its default is the field's default)."""
    default = declared.default
    if isinstance(default, dict | list):  # a dataclass default must not be shared and mutable
        return field(default_factory=lambda: type(default)(default), metadata={"option": declared})
    return field(default=default, metadata={"option": declared})


def options_of(section: type) -> dict[str, Option]:
    """The declared options of a settings dataclass, by key."""
    return {f.name: f.metadata["option"] for f in fields(section) if "option" in f.metadata}


def _type_name(value: Any) -> str:
    return {str: "文字", int: "整数", float: "数字", bool: "true/false", list: "列表", dict: "表"}.get(
        type(value), type(value).__name__
    )


@dataclass(frozen=True)
class Option:
    default: Any
    help: str = ""  # Chinese description, shown in error messages

    def validate(self, key: str, value: Any) -> Any:
        return value

    def fail(self, key: str, expected: str, value: Any) -> ConfigError:
        return ConfigError(key, f"应为{expected}，实际写的是「{value!r}」（{_type_name(value)}）")


@dataclass(frozen=True)
class Text(Option):
    required: bool = False

    def validate(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(key, "用引号括起来的文字", value)
        if self.required and not value.strip():
            raise ConfigError(key, "不能为空", hint=self.help or None)
        return value.strip()


@dataclass(frozen=True)
class Integer(Option):
    min: int | None = None
    max: int | None = None

    def validate(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "整数", value)
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            raise ConfigError(key, f"应在 {self.min} 到 {self.max} 之间，实际为 {value}")
        return value


@dataclass(frozen=True)
class Number(Option):
    min: float = 0.0

    def validate(self, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "数字", value)
        if value < self.min:
            raise ConfigError(key, f"不能小于 {self.min}，实际为 {value}")
        return float(value)


@dataclass(frozen=True)
class Boolean(Option):
    def validate(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "true 或 false", value)
        return value


@dataclass(frozen=True)
class Months(Option):
    """A list of calendar months, 1–12."""

    def validate(self, key: str, value: Any) -> tuple[int, ...]:
        if not isinstance(value, list) or not all(isinstance(v, int) and 1 <= v <= 12 for v in value):
            raise self.fail(key, "月份列表，例如 [9, 10, 11, 12, 1]", value)
        return tuple(value)


@dataclass(frozen=True)
class TextList(Option):
    def validate(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, '文字列表，例如 ["论文", "获奖"]', value)
        return tuple(v.strip() for v in value)


@dataclass(frozen=True)
class Mapping(Option):
    """A table of text to text, e.g. category aliases {期刊论文 = "论文"}."""

    def validate(self, key: str, value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(key, "“名称 = 值”形式的表", value)
        return dict(value)


@dataclass(frozen=True)
class Table(Option):
    """A free-form table whose own consumer validates it (e.g. the rules table)."""

    def validate(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "表（[节名] 形式）", value)
        return value


@dataclass(frozen=True)
class Records(Option):
    """An array of tables ([[committee]]) whose entries are instances of ``entry``, a frozen
    dataclass whose fields are declared with :func:`option`."""

    entry: type | None = None

    def validate(self, key: str, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "[[...]] 形式的表数组", value)
        if self.entry is None:
            raise TypeError(f"{key}: Records needs its entry type")
        entry = self.entry
        known = options_of(entry)
        out = []
        for i, raw in enumerate(value, start=1):
            for k in raw:
                if k not in known:
                    raise ConfigError(f"{key}[{i}].{k}", f"是未知的配置项（可用：{'、'.join(known)}）")
            item: dict[str, Any] = {}
            for k, opt in known.items():
                item[k] = opt.validate(f"{key}[{i}].{k}", raw[k]) if k in raw else opt.default
                if item[k] is None and not getattr(opt, "optional", False):
                    raise ConfigError(f"{key}[{i}].{k}", "缺失", hint=opt.help or None)
            out.append(entry(**item))
        return tuple(out)


@dataclass(frozen=True)
class Date(Option):
    optional: bool = False  # in a [[...]] entry: may be left out (stays None)

    def validate(self, key: str, value: Any) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        raise self.fail(key, "日期，例如 2024-09-02（不加引号）", value)
