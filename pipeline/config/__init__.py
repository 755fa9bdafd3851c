"""Load and validate a workspace's zhibu.toml against the declared options."""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pipeline.config.schema import RECORD_SECTIONS, SCHEMA
from pipeline.errors import ConfigError
from pipeline.records.calendar import Term, TermCalendar

CONFIG_NAME = "zhibu.toml"
DEFAULT_CONFIG_TEXT = (Path(__file__).parent / "default.toml").read_text(encoding="utf-8")
# The demo's sample branch (zhibu demo): its [branch] and [[committee]] sections.
DEMO_BRANCH_TEXT = (Path(__file__).parent / "demo.toml").read_text(encoding="utf-8")


def demo_config_text() -> str:
    """zhibu.toml of the demo workspace: the default file with the sample branch filled in."""
    start, end = DEFAULT_CONFIG_TEXT.index("[branch]"), DEFAULT_CONFIG_TEXT.index("[calendar]")
    return DEFAULT_CONFIG_TEXT[:start] + DEMO_BRANCH_TEXT + DEFAULT_CONFIG_TEXT[end:]


class Config:
    """Validated settings. ``config.section["key"]`` or the typed helpers below."""

    def __init__(self, values: dict[str, dict[str, Any]], records: dict[str, tuple], source: str):
        self._values = values
        self._records = records
        self.source = source

    def __getitem__(self, section: str) -> MappingProxyType:
        return MappingProxyType(self._values[section])

    @property
    def branch_name(self) -> str:
        return self._values["branch"]["name"]

    def missing_branch_fields(self) -> list[str]:
        """What zhibu.toml still lacks about the branch (a new workspace lacks both), in Chinese.

        Not an error: documents are filed with a blank line where the name goes, and the run
        says once what to fill in."""
        missing = []
        if not self.branch_name.strip():
            missing.append("[branch] name（支部名称）")
        if not self.committee:
            missing.append("[[committee]]（支委名单）")
        return missing

    def branch_notice(self) -> str | None:
        """The one warning a run prints while the branch is not filled in, or None."""
        missing = self.missing_branch_fields()
        if not missing:
            return None
        return (
            f"提醒：{self.source} 里还没有填写{'和'.join(missing)}。文档照常生成，"
            "标题中支部名称的位置留有横线待填写；支委会的应到人数只能按笔记里的名单计算。"
            f"请用记事本打开 {self.source} 填写后，运行 zhibu batch --rerender 重新生成本学期的会议记录。"
        )

    @property
    def committee(self) -> tuple[dict, ...]:
        return self._records["committee"]

    def plan_date(self, term_id: str):
        """The configured date of a term's 工作计划 ([[calendar.terms]] plan_date), or None."""
        for t in self._records["calendar.terms"]:
            if t["id"] == term_id and t.get("plan_date"):
                return t["plan_date"]
        return None

    @property
    def calendar(self) -> TermCalendar:
        explicit = tuple((t["id"], t["start"], t["end"]) for t in self._records["calendar.terms"])
        return TermCalendar(self._values["calendar"]["first_term_months"], explicit)


def parse_config(text: str, source: str = CONFIG_NAME) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            "（整个文件）",
            f"不是有效的 TOML 格式：{exc}",
            file=source,
            hint="检查引号是否成对、等号两边的写法，可对照 zhibu init 生成的示例。",
        ) from None
    values: dict[str, dict[str, Any]] = {}
    records: dict[str, tuple] = {}
    for key in data:
        if key not in SCHEMA:
            raise ConfigError(key, f"是未知的配置节（可用：{'、'.join(SCHEMA)}）", file=source)
    for section, options in SCHEMA.items():
        if section in RECORD_SECTIONS:
            raw = data.get(section, [])
            records[section] = _records(section, raw, source)
            continue
        raw = data.get(section, {})
        if not isinstance(raw, dict):
            raise ConfigError(section, "应为 [节名] 形式的表", file=source)
        raw = dict(raw)
        for sub_key in RECORD_SECTIONS:
            if sub_key.startswith(section + "."):
                records[sub_key] = _records(sub_key, raw.pop(sub_key.split(".", 1)[1], []), source)
        values[section] = {}
        for key in raw:
            if key not in options:
                raise ConfigError(
                    f"{section}.{key}", f"是未知的配置项（可用：{'、'.join(options)}）", file=source
                )
        for key, option in options.items():
            full = f"{section}.{key}"
            try:
                values[section][key] = option.validate(full, raw[key]) if key in raw else option.default
            except ConfigError as err:
                raise err.at(file=source) from None
    _check_terms(records.get("calendar.terms", ()), source)
    return Config(values, records, source)


def _records(key: str, raw: Any, source: str) -> tuple:
    try:
        return RECORD_SECTIONS[key].validate(key, raw)
    except ConfigError as err:
        raise err.at(file=source) from None


def _check_terms(terms: tuple, source: str) -> None:
    for i, t in enumerate(terms, start=1):
        try:
            Term.parse(t["id"])
        except Exception:
            raise ConfigError(
                f"calendar.terms[{i}].id", f"「{t['id']}」应写成 2024-2025-1 的形式", file=source
            ) from None
        if t["end"] < t["start"]:
            raise ConfigError(f"calendar.terms[{i}]", "结束日期早于开始日期", file=source)


def load_config(path: Path) -> Config:
    return parse_config(path.read_text(encoding="utf-8-sig"), source=str(path.name))
