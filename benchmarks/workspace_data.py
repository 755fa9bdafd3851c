"""Invented but realistic inputs for the workspace benchmarks (scale.py, watch.py).

A 党员名册 of N members (names made from common surname and given-name characters), 会议登记表
rows, a 成果登记表 and meeting notes. Hosts, recorders and absentees are roster members, so
attendance enrichment has real work to do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

SURNAMES = (
    "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
]
TYPES = ("支委会", "支部党员大会", "党小组会", "党课", "主题党日")
BRANCH = "汽车运用工程系党支部"


def member_names(n: int) -> list[str]:
    names: list[str] = []
    for i in range(n):
        surname = SURNAMES[i % len(SURNAMES)]
        given = GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
        extra = (
            "" if i < len(SURNAMES) * len(GIVEN) else GIVEN[i // (len(SURNAMES) * len(GIVEN)) % len(GIVEN)]
        )
        names.append(surname + given + extra)
    assert len(set(names)) == n, "member names must be unique"
    return names


def write_roster(path: Path, n: int) -> list[str]:
    """A 党员名册 with ``n`` members; returns their names."""
    names = member_names(n)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员名册")
    ws.append([f"{BRANCH}党员名册"])
    ws.append(["序号", "姓名", "性别", "出生年月", "学历", "职称", "党员类别", "所在党小组", "党内职务"])
    posts = {0: "党支部书记", 1: "组织委员", 2: "宣传委员"}
    for i, name in enumerate(names):
        ws.append(
            [
                i + 1,
                name,
                "男女"[i % 2],
                f"{1965 + i % 35}.{i % 12 + 1:02d}",
                ("研究生", "本科")[i % 2],
                ("讲师", "副教授", "教授", "助教")[i % 4],
                "预备" if i % 15 == 14 else "正式",
                f"第{'一二三'[i % 3]}党小组",
                posts.get(i, ""),
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return names


def meeting_date(i: int, count: int, years: int, first_year: int = 2021) -> dt.date:
    """Meeting ``i`` of ``count`` spread evenly over ``years`` academic years (from September)."""
    start = dt.date(first_year, 9, 1)
    span = (dt.date(first_year + years, 7, 1) - start).days
    return start + dt.timedelta(days=i * span // max(count, 1))


def write_meetings(path: Path, numbers: list[int], count: int, years: int, names: list[str]) -> None:
    """A 会议登记表 with one row per meeting number."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会议登记")
    ws.append([f"{BRANCH}会议登记表"])
    ws.append(
        [
            "序号",
            "日期",
            "会议类型",
            "主题",
            "地点",
            "主持人",
            "记录人",
            "应到",
            "实到",
            "缺席人员及原因",
            "内容摘要",
        ]
    )
    for k, i in enumerate(numbers):
        when = meeting_date(i, count, years)
        absent = _absent(i, TYPES[i % len(TYPES)], names)
        ws.append(
            [
                k + 1,
                dt.datetime(when.year, when.month, when.day),
                TYPES[i % len(TYPES)],
                f"学习贯彻会议精神（第{i}次）",
                "行政楼302会议室",
                names[0],
                names[2 % len(names)],
                None,  # 应到/实到 left blank: derived from the roster
                None,
                f"{absent}（出差）",
                f"领学文件，交流体会，部署下一阶段工作（记录{i}号）。",
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _absent(i: int, kind: str, names: list[str]) -> str:
    """One absentee who belongs at the meeting (a committee member for a 支委会)."""
    return names[1 % len(names)] if kind == "支委会" else names[(i * 7) % len(names)]


def note_text(i: int, count: int, years: int, names: list[str]) -> str:
    when = meeting_date(i, count, years)
    kind = TYPES[(i // 10) % len(TYPES)]
    return (
        f"会议类型：{kind}\n会议主题：学习贯彻会议精神（第{i}次）\n"
        f"时间：{when.year}年{when.month}月{when.day}日\n地点：行政楼302会议室\n"
        f"主持人：{names[0]}\n记录人：{names[2 % len(names)]}\n缺席人员：{_absent(i, kind, names)}（出差）\n"
        f"会议内容：\n1. 领学文件，交流体会（记录{i}号）。\n2. 部署下一阶段工作。\n"
    )


def write_achievements(path: Path, rows: int, years: int, names: list[str]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("成果登记")
    ws.append([f"{BRANCH}成果登记表"])
    ws.append(["序号", "成果名称", "类别", "完成人及排名", "级别", "时间", "刊物或颁发单位"])
    for i in range(rows):
        when = meeting_date(i, rows, years)
        ws.append(
            [
                i + 1,
                f"新能源汽车课程建设研究之{i}",
                ("论文", "课题", "荣誉", "教材")[i % 4],
                f"{names[i % len(names)]}（1）",
                ("国家级", "省级", "市级", "校级")[i % 4],
                f"{when.year}年{when.month}月",
                "《职业技术教育》",
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
