"""Load and validate a workspace's zhibu.toml against the declared options."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config.options import Records, options_of
from pipeline.config.schema import (
    ARRAY_SECTIONS,
    SECTIONS,
    AchievementSettings,
    ArchiveSettings,
    AssessSettings,
    BranchSettings,
    CalendarSettings,
    CommitteeMember,
    DevelopmentSettings,
    DuesSettings,
    PrintSettings,
    RenderSettings,
    RulesSettings,
    ScanSettings,
    TermDates,
    WatchSettings,
    WebSettings,
)
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


@dataclass(frozen=True)
class Config:
    """Validated settings of one workspace, a typed object per zhibu.toml section."""

    branch: BranchSettings = field(default_factory=BranchSettings)
    committee: tuple[CommitteeMember, ...] = ()
    calendar_settings: CalendarSettings = field(default_factory=CalendarSettings)
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)
    print: PrintSettings = field(default_factory=PrintSettings)
    scan: ScanSettings = field(default_factory=ScanSettings)
    achievements: AchievementSettings = field(default_factory=AchievementSettings)
    render: RenderSettings = field(default_factory=RenderSettings)
    rules: RulesSettings = field(default_factory=RulesSettings)
    web: WebSettings = field(default_factory=WebSettings)
    development: DevelopmentSettings = field(default_factory=DevelopmentSettings)
    dues: DuesSettings = field(default_factory=DuesSettings)
    assess: AssessSettings = field(default_factory=AssessSettings)
    source: str = CONFIG_NAME

    @property
    def branch_name(self) -> str:
        return self.branch.name

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

    def plan_date(self, term_id: str) -> dt.date | None:
        """The configured date of a term's 工作计划 ([[calendar.terms]] plan_date), or None."""
        for t in self.calendar_settings.terms:
            if t.id == term_id and t.plan_date:
                return t.plan_date
        return None

    def term_as_of(self, term_id: str) -> dt.date | None:
        """The configured date of a term's documents ([[calendar.terms]] as_of), or None."""
        for t in self.calendar_settings.terms:
            if t.id == term_id and t.as_of:
                return t.as_of
        return None

    @property
    def calendar(self) -> TermCalendar:
        explicit = tuple((t.id, t.start, t.end) for t in self.calendar_settings.terms)
        return TermCalendar(self.calendar_settings.first_term_months, explicit)


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
    for key in data:
        if key not in SECTIONS:
            raise ConfigError(key, f"是未知的配置节（可用：{'、'.join(SECTIONS)}）", file=source)
    values: dict[str, Any] = {"source": source}
    for section, settings in SECTIONS.items():
        try:
            if section in ARRAY_SECTIONS:
                values[section] = Records((), entry=settings).validate(section, data.get(section, []))
            else:
                values[_ATTRIBUTE.get(section, section)] = _section(section, settings, data.get(section, {}))
        except ConfigError as err:
            raise err.at(file=source) from None
    _check_terms(values["calendar_settings"].terms, source)
    return Config(**values)


# Sections whose attribute on Config differs from their name in zhibu.toml.
_ATTRIBUTE = {"calendar": "calendar_settings"}


def _section(section: str, settings: type, raw: Any) -> Any:
    """One [section] validated into its settings dataclass."""
    if not isinstance(raw, dict):
        raise ConfigError(section, "应为 [节名] 形式的表")
    options = options_of(settings)
    for key in raw:
        if key not in options:
            raise ConfigError(f"{section}.{key}", f"是未知的配置项（可用：{'、'.join(options)}）")
    return settings(
        **{key: opt.validate(f"{section}.{key}", raw[key]) for key, opt in options.items() if key in raw}
    )


def _check_terms(terms: tuple[TermDates, ...], source: str) -> None:
    for i, t in enumerate(terms, start=1):
        try:
            Term.parse(t.id)
        except Exception:
            raise ConfigError(
                f"calendar.terms[{i}].id", f"「{t.id}」应写成 2024-2025-1 的形式", file=source
            ) from None
        if t.end < t.start:
            raise ConfigError(f"calendar.terms[{i}]", "结束日期早于开始日期", file=source)


def load_config(path: Path) -> Config:
    return parse_config(path.read_text(encoding="utf-8-sig"), source=str(path.name))
