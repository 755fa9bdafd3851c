"""Every option zhibu.toml may contain, by section, with the defaults of the 支部工作条例."""

from __future__ import annotations

from dataclasses import dataclass

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
)
from pipeline.records.rules import validate_table


@dataclass(frozen=True)
class RulesTable(Table):
    """A [rules.*] table, checked by pipeline.records.rules."""

    kind: str = "frequencies"

    def validate(self, key, value):
        return validate_table(self.kind, key, super().validate(key, value))


SCHEMA: dict[str, dict[str, Option]] = {
    "branch": {
        "name": Text("党支部", help="支部全称，例如“汽车运用工程系党支部”", required=True),
        "school": Text("", help="学校名称"),
        "department": Text("", help="院系名称"),
    },
    "committee": {},  # an array of tables, see RECORD_SECTIONS
    "calendar": {
        "first_term_months": Months((9, 10, 11, 12, 1), help="第一学期包含的月份"),
    },
    "archive": {
        "minutes_path": Text("{学年}/{学期}/会议记录/{类型}/{日期} {类型} {主题}.docx", required=True),
        "originals_dir": Text("{学年}/{学期}/原始材料", required=True),
        "history_dir": Text("{学年}/{学期}/历史版本", required=True),
        "max_name_length": Integer(80, min=20, max=200, help="单个文件名的最大长度（字符）"),
    },
    "watch": {
        "settle_seconds": Number(1.0, min=0.0, help="文件大小不再变化多久后才处理"),
        "polling": Boolean(False, help="网络共享文件夹请设为 true"),
        "rescan_seconds": Number(30.0, min=1.0, help="定期重新扫描收件箱的间隔"),
    },
    "achievements": {
        "category_order": TextList(
            ("论文", "课题/项目", "教材/著作", "获奖/荣誉", "竞赛指导", "新闻报道", "对口支援", "其他")
        ),
        "category_aliases": Mapping({}),
        "level_aliases": Mapping({}),
        "level_order": TextList(
            ("国际级", "国家级", "省部级", "市级", "区县级", "行业级", "校级", "院系级"),
            help="成果汇编中级别从高到低的顺序",
        ),
    },
    "rules": {
        "exempt_months": Months((1, 2, 7, 8), help="寒暑假等不检查“每月一次”要求的月份"),
        "frequencies": RulesTable(
            {}, help="各项活动的频次要求，见 pipeline/term/rules.py", kind="frequencies"
        ),
        "quorum": RulesTable({}, help="各类会议的法定人数要求", kind="quorum"),
    },
}


RECORD_SECTIONS: dict[str, Records] = {
    "committee": Records(
        (),
        fields=(("name", Text(None, help="委员姓名", required=True)), ("role", Text("委员"))),
    ),
    "calendar.terms": Records(
        (),
        fields=(
            ("id", Text(None, help="学期编号，例如 2024-2025-1", required=True)),
            ("start", Date(None, help="开始日期")),
            ("end", Date(None, help="结束日期")),
        ),
    ),
}
