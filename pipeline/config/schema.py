"""Every option zhibu.toml may contain: one frozen dataclass per section, each field declared
with its option (type, default, Chinese help), with the defaults of the 支部工作条例.

The dataclasses are what the program reads (``config.archive.minutes_path``); the options
they declare are what ``zhibu.toml`` is checked against. A new section is one dataclass here
and one line in ``SECTIONS``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pipeline.config.options import (
    Boolean,
    Date,
    Integer,
    Mapping,
    Months,
    Number,
    Option,
    Records,
    Table,
    Text,
    TextList,
    option,
)
from pipeline.errors import ConfigError
from pipeline.ingest import NoteLimits
from pipeline.ingest.names import normalize_name
from pipeline.records.dues import DEDUCTIONS, INCOME_PARTS, PARTS, REASON_WORDS, ROUNDING_MODES
from pipeline.records.rules import validate_table


@dataclass(frozen=True)
class RulesTable(Table):
    """A [rules.*] table, checked by pipeline.records.rules."""

    kind: str = "frequencies"

    def validate(self, key: str, value: Any) -> dict[str, Any]:
        return validate_table(self.kind, key, super().validate(key, value))


@dataclass(frozen=True)
class Choice(Text):
    """A word from a fixed list (the OCR engine)."""

    choices: tuple[str, ...] = ()

    def validate(self, key: str, value: Any) -> str:
        word = super().validate(key, value)
        if word not in self.choices:
            raise ConfigError(
                key,
                f"应为 {' 或 '.join(self.choices)} 之一，实际写的是「{word}」",
                hint="不清楚时删掉这一行，使用默认值。",
            )
        return word


@dataclass(frozen=True)
class Amounts(Option):
    """A list of non-negative numbers (amounts in 元, rates in %)."""

    def validate(self, key: str, value: Any) -> tuple[float, ...]:
        if not isinstance(value, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in value
        ):
            raise self.fail(key, "数字列表，例如 [3000, 5000, 10000]", value)
        return tuple(value)


@dataclass(frozen=True)
class Parts(TextList):
    """Salary components of the 党费基数核算表, by their column names."""

    def validate(self, key: str, value: Any) -> tuple[str, ...]:
        parts = super().validate(key, value)
        unknown = [v for v in parts if v not in PARTS]
        if unknown:
            raise ConfigError(
                key, f"「{'」「'.join(unknown)}」不是可识别的工资项目（可用：{'、'.join(PARTS)}）"
            )
        return parts


@dataclass(frozen=True)
class OfficePhone(Text):
    """A telephone number printed on a public notice: an office landline (区号-号码, an
    extension after 转 or -), never a personal mobile number."""

    def validate(self, key: str, value: Any) -> str:
        phone = super().validate(key, value)
        from pipeline.ingest.sheets.sensitive import looks_sensitive  # the one mobile-number rule

        if phone and looks_sensitive(phone):
            raise ConfigError(
                key,
                "写的是个人手机号；公示上要写支部（学院）办公室的固定电话",
                hint='例如 "021-12345678" 或 "021-12345678转8021"。',
            )
        digits = re.sub(r"[\s\-()（）]|转|分机", "", phone)
        if phone and not (digits.isdigit() and 7 <= len(digits) <= 16):
            raise ConfigError(
                key,
                f"写的是「{phone}」，不像电话号码",
                hint='例如 "021-12345678"；不清楚时留空，公示中留出空白手写。',
            )
        return phone


# --- array-of-tables entries -----------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeMember:
    """One [[committee]] entry."""

    name: str = option(Text(None, help="委员姓名", required=True))
    role: str = option(Text("委员"))

    def __post_init__(self) -> None:
        # Compared with the names of notes and registers in their one normal form (a name copied
        # from WeChat carries invisible characters; "夏　渊" is padded to line up).
        object.__setattr__(self, "name", normalize_name(self.name))


@dataclass(frozen=True)
class TermDates:
    """One [[calendar.terms]] entry: a term whose dates differ from the month rule."""

    id: str = option(Text(None, help="学期编号，例如 2024-2025-1", required=True))
    start: dt.date = option(Date(None, help="开始日期"))
    end: dt.date = option(Date(None, help="结束日期"))
    plan_date: dt.date | None = option(
        Date(None, help="学期工作计划的落款日期（默认为学期开始日期）", optional=True)
    )
    as_of: dt.date | None = option(
        Date(
            None,
            help="本学期台账、成果汇编、发展党员材料的落款和统计截至日期（默认：学期已结束时为学期最后一天）",
            optional=True,
        )
    )


# --- sections --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BranchSettings:
    """[branch]. Empty until the secretary fills it in: documents then carry a blank line to
    write the name on, and each run warns once (``Config.missing_branch_fields``)."""

    name: str = option(Text("", help="支部全称，例如“机械工程学院教工第一党支部”"))
    school: str = option(Text("", help="学校名称"))
    department: str = option(Text("", help="院系名称"))


@dataclass(frozen=True)
class CalendarSettings:
    """[calendar] and its [[calendar.terms]]."""

    first_term_months: tuple[int, ...] = option(Months((9, 10, 11, 12, 1), help="第一学期包含的月份"))
    terms: tuple[TermDates, ...] = option(Records((), entry=TermDates))


@dataclass(frozen=True)
class ArchiveSettings:
    """[archive]: where documents are filed, relative to outbox/."""

    minutes_path: str = option(Text("{学年}/{学期}/会议记录/{类型}/{日期} {类型} {主题}.docx", required=True))
    originals_dir: str = option(Text("{学年}/{学期}/原始材料", required=True))
    history_dir: str = option(Text("{学年}/{学期}/历史版本", required=True))
    max_name_length: int = option(Integer(80, min=20, max=200, help="单个文件名的最大长度（字符）"))
    keep_personal_numbers: bool = option(
        Boolean(False, help="会议记录和索引中保留笔记正文里的身份证号和手机号（默认隐去）")
    )


@dataclass(frozen=True)
class WatchSettings:
    """[watch]: how the inbox is watched."""

    settle_seconds: float = option(Number(1.0, min=0.0, help="文件大小不再变化多久后才处理"))
    polling: bool = option(Boolean(False, help="网络共享文件夹请设为 true"))
    rescan_seconds: float = option(Number(30.0, min=1.0, help="定期重新扫描收件箱的间隔"))


@dataclass(frozen=True)
class PrintSettings:
    """[print]: LibreOffice conversion for zhibu pdf and zhibu print."""

    workers: int = option(
        Integer(0, min=0, max=8, help="同时运行的 LibreOffice 个数，0 表示按 CPU 核数自动选择（最多 4 个）")
    )
    stall_seconds: float = option(Number(30.0, min=3.0, help="LibreOffice 多少秒没有进展就判定为卡住"))


@dataclass(frozen=True)
class ScanSettings:
    """[scan]: scans and photos of paper records (OCR), and the limits every PDF is read within."""

    engine: str = option(
        Choice("rapidocr", help="识别引擎：rapidocr（默认）或 tesseract", choices=("rapidocr", "tesseract"))
    )
    max_pages: int = option(Integer(30, min=1, max=500, help="一份 PDF 或扫描件最多几页"))
    max_megapixels: float = option(Number(60.0, min=1.0, help="每页图片最多多少百万像素"))
    seconds_per_page: float = option(Number(60.0, min=5.0, help="识别一页最多用多少秒"))
    min_confidence: int = option(
        Integer(70, min=0, max=100, help="识别把握（0-100）低于此值的字不采用，所在栏目留空")
    )


@dataclass(frozen=True)
class AchievementSettings:
    """[achievements]: categories and levels of the 成果登记表 and the 成果汇编."""

    category_order: tuple[str, ...] = option(
        TextList(("论文", "课题/项目", "教材/著作", "获奖/荣誉", "竞赛指导", "新闻报道", "对口支援", "其他"))
    )
    category_aliases: dict[str, str] = option(Mapping({}))
    level_aliases: dict[str, str] = option(Mapping({}))
    level_order: tuple[str, ...] = option(
        TextList(
            ("国际级", "国家级", "省部级", "市级", "区县级", "行业级", "校级", "院系级"),
            help="成果汇编中级别从高到低的顺序",
        )
    )


@dataclass(frozen=True)
class RenderSettings:
    """[render]: the bounds of one template rendering."""

    time_limit_seconds: float = option(Number(10.0, min=0.1, help="生成一份文档最多用多少秒"))
    max_output_chars: int = option(
        Integer(2_000_000, min=10_000, max=200_000_000, help="模板在一份文档里最多生成多少个字符")
    )
    # A note within both limits renders within the default max_output_chars and time limit.
    max_note_lines: int = option(
        Integer(NoteLimits.max_lines, min=100, max=1_000_000, help="一份会议笔记最多多少行（不算空行）")
    )
    max_note_chars: int = option(
        Integer(NoteLimits.max_chars, min=10_000, max=50_000_000, help="一份会议笔记最多多少个字符")
    )


@dataclass(frozen=True)
class RulesSettings:
    """[rules]: how often each activity is required, and the quorum of each meeting."""

    exempt_months: tuple[int, ...] = option(Months((1, 2, 7, 8), help="寒暑假等不检查“每月一次”要求的月份"))
    frequencies: dict[str, Any] = option(
        RulesTable({}, help="各项活动的频次要求，见 pipeline/records/rules.py", kind="frequencies")
    )
    quorum: dict[str, Any] = option(RulesTable({}, help="各类会议的法定人数要求", kind="quorum"))


@dataclass(frozen=True)
class WebSettings:
    """[web]: the local web workbench (zhibu serve)."""

    password_hash: str = option(
        Text("", help="网页工作台登录口令的加密值（用 zhibu serve --set-password 设置）")
    )
    max_upload_mb: int = option(Integer(50, min=1, max=500, help="网页上传的单个文件最大多少 MB"))


@dataclass(frozen=True)
class DevelopmentSettings:
    """[development]: the periods of 《中国共产党发展党员工作细则》; schools add their own."""

    talk_months: int = option(Integer(1, min=1, max=12, help="收到入党申请书后几个月内派人谈话"))
    assessment_months: int = option(Integer(6, min=1, max=12, help="入党积极分子每隔几个月考察一次"))
    activist_months: int = option(Integer(12, min=1, max=36, help="确定积极分子满几个月后才能确定为发展对象"))
    publicity_days: int = option(Integer(5, min=1, max=30, help="发展对象公示的工作日数"))
    approval_months: int = option(Integer(3, min=1, max=12, help="支部大会后几个月内上级党委审批"))
    regular_grace_days: int = option(Integer(30, min=0, max=365, help="预备期满后几天内须讨论转正"))
    min_age: int = option(Integer(18, min=14, max=30, help="申请入党的最低年龄"))
    training_hours: int = option(Integer(24, min=0, max=200, help="集中培训的最少学时"))
    remind_days: int = option(Integer(30, min=1, max=180, help="zhibu status 提前几天提醒"))
    publicity_contact: str = option(Text("", help="发展对象公示上受理意见的联系人，例如“组织委员 夏渊”"))
    publicity_phone: str = option(OfficePhone("", help="发展对象公示上的联系电话（办公室固定电话）"))


@dataclass(frozen=True)
class DuesSettings:
    """[dues]: 党费 by 中组发〔2008〕3号 and 组电明字〔2017〕5号; schools differ in the details."""

    working_limits: tuple[float, ...] = option(
        Amounts((3000, 5000, 10000), help="在职党员各档次计算基数的上限（元，含本数），从低到高")
    )
    working_rates: tuple[float, ...] = option(
        Amounts((0.5, 1, 1.5, 2), help="在职党员各档次的交纳比例（%），比上限多一项")
    )
    retired_limits: tuple[float, ...] = option(Amounts((5000,), help="离退休党员各档次的上限（元，含本数）"))
    retired_rates: tuple[float, ...] = option(Amounts((0.5, 1), help="离退休党员各档次的交纳比例（%）"))
    fixed_amount: float = option(Number(0.2, help="学生党员和无固定收入党员每月交纳多少元"))
    monthly_cap: float = option(Number(1000.0, help="每月交纳额的上限（元），0 表示不设上限"))
    large_amount: float = option(Number(1000.0, help="一次交纳超过多少元且注明“大额党费”的单独列出"))
    rounding: str = option(Choice("四舍五入", choices=tuple(ROUNDING_MODES), help="计算到分的取舍方式"))
    fixing_month: int = option(Integer(1, min=1, max=12, help="每年从几月起按新核定的月交纳额交纳"))
    late_months: int = option(Integer(6, min=1, max=24, help="补交、预交党费最多几个月"))
    warn_unpaid_months: int = option(Integer(3, min=1, max=12, help="连续几个月未交党费时提醒"))
    alert_unpaid_months: int = option(Integer(6, min=1, max=24, help="连续几个月未交党费时按党章第九条提醒"))
    income_parts: tuple[str, ...] = option(Parts(INCOME_PARTS, help="计入计算基数的工资项目"))
    deductions: tuple[str, ...] = option(Parts(DEDUCTIONS, help="从计算基数中扣除的项目"))
    reason_words: tuple[str, ...] = option(
        TextList(REASON_WORDS, help="备注中有这些字词时，视为已记录未交党费的原因")
    )

    def __post_init__(self) -> None:
        for kind, limits, rates in (
            ("working", self.working_limits, self.working_rates),
            ("retired", self.retired_limits, self.retired_rates),
        ):
            if list(limits) != sorted(set(limits)):
                raise ConfigError(f"dues.{kind}_limits", f"应从低到高排列且不重复，实际为 {list(limits)}")
            if len(rates) != len(limits) + 1:
                raise ConfigError(
                    f"dues.{kind}_rates",
                    f"应比 {kind}_limits 多一项（{len(limits)}个上限分出{len(limits) + 1}个档次），"
                    f"实际有{len(rates)}项",
                )
        if self.alert_unpaid_months < self.warn_unpaid_months:
            raise ConfigError("dues.alert_unpaid_months", "不能小于 warn_unpaid_months")


@dataclass(frozen=True)
class AssessSettings:
    """[assess]: the year's assessment (zhibu assess). The 考核细则 itself is the one filed from the
    inbox (表格模板/考核细则.xlsx edited), else the default."""

    basis: str = option(
        Choice("自然年", choices=("自然年", "学年"), help="按自然年（1—12月）还是学年（9月—次年8月）考核")
    )


# zhibu.toml's sections, in the order of the file. ``committee`` is an array of tables
# ([[committee]]); every other section is a table whose keys are its dataclass's fields.
SECTIONS: dict[str, type] = {
    "branch": BranchSettings,
    "committee": CommitteeMember,
    "calendar": CalendarSettings,
    "archive": ArchiveSettings,
    "watch": WatchSettings,
    "print": PrintSettings,
    "scan": ScanSettings,
    "achievements": AchievementSettings,
    "render": RenderSettings,
    "rules": RulesSettings,
    "web": WebSettings,
    "development": DevelopmentSettings,
    "dues": DuesSettings,
    "assess": AssessSettings,
}
ARRAY_SECTIONS = {"committee"}
