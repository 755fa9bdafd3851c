"""Realistic, messy registers built with openpyxl, for the register tests and the samples.

Secretaries' sheets: a title row above the header, merged (two-row) headers, blank rows, text
dates in every spelling, full-width digits, stray spaces, a hidden sheet, formulas, notes under
the table. ``tests/support/make_register_samples.py`` writes the bundled samples from these builders.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

BRANCH = "汽车运用工程系党支部"

# The roster: 28 members, 26 正式 and 2 预备 (the size of a typical teachers' branch).
# name, gender, birth, education, degree, title, level column, post, group, type, honours
MEMBERS = [
    (
        "沈轶娜",
        "女",
        "1978.03",
        "研究生",
        "博士",
        "副教授",
        "",
        "党支部书记",
        "第二党小组",
        "正式",
        "上海市园丁奖；校级名师",
    ),
    (
        "夏渊",
        "男",
        "1980年5月",
        "研究生",
        "硕士",
        "高级讲师",
        "",
        "组织委员",
        "第二党小组",
        "正式",
        "市级名师",
    ),
    (
        "缪巧军",
        "男",
        "1982-07",
        "研究生",
        "硕士",
        "讲师",
        "",
        "宣传委员",
        "第二党小组",
        "正式",
        "上海市五一劳动奖章、教书育人楷模",
    ),
    ("张伟", "男", "1985.10", "大学本科", "学士", "讲师", "", "党小组长", "第一党小组", "正式", "双师素质"),
    ("李娜", "女", "1987.02", "研究生", "硕士", "讲师", "", "", "第一党小组", "正式", "双师素质"),
    ("王芳", "女", "1988.11", "大学本科", "学士", "工程师", "", "", "第一党小组", "正式", ""),
    ("刘洋", "男", "1990.06", "大学本科", "学士", "", "中级", "", "第一党小组", "正式", "校级名师"),
    ("陈静", "女", "1991.09", "研究生", "硕士", "助教", "", "", "第一党小组", "正式", ""),
    (
        "杨帆",
        "男",
        "1983.04",
        "大学本科",
        "学士",
        "",
        "副高",
        "党小组长",
        "第二党小组",
        "正式",
        "交通部振华奖",
    ),
    ("赵磊", "男", "1984.12", "大学本科", "学士", "讲师", "", "", "第二党小组", "正式", "双师素质"),
    ("孙丽", "女", "1986.08", "研究生", "硕士", "讲师", "", "", "第二党小组", "正式", ""),
    ("周强", "男", "1979.01", "大学本科", "学士", "教授", "", "", "第二党小组", "正式", "市级名师"),
    ("吴敏", "女", "1992.03", "大学本科", "学士", "实验师", "", "", "第二党小组", "正式", ""),
    ("郑浩", "男", "1993.05", "大学本科", "学士", "助理工程师", "", "", "第三党小组", "正式", ""),
    ("王磊", "男", "1981.02", "大学本科", "学士", "讲师", "", "党小组长", "第三党小组", "正式", "金牌教练"),
    ("黄丽", "女", "1989.07", "大学本科", "学士", "讲师", "", "", "第三党小组", "正式", ""),
    ("朱军", "男", "1988.04", "大学本科", "学士", "讲师", "", "", "第三党小组", "正式", "金牌教练"),
    ("胡杰", "男", "1990.10", "大学本科", "学士", "工程师", "", "", "第三党小组", "正式", ""),
    ("林峰", "男", "1991.12", "大学本科", "学士", "", "", "", "第三党小组", "正式", ""),
    ("何静", "女", "1994.02", "大学本科", "学士", "助教", "", "", "第三党小组", "正式", ""),
    ("高翔", "男", "1987.06", "大学本科", "学士", "讲师", "", "", "第三党小组", "正式", "金牌教练"),
    ("罗敏", "女", "1995.08", "大学本科", "学士", "", "", "", "第三党小组", "正式", ""),
    ("梁超", "男", "1986.03", "大学本科", "学士", "助教", "", "", "第三党小组", "正式", ""),
    ("宋佳", "女", "1993.11", "研究生", "硕士", "", "", "", "第三党小组", "正式", ""),
    ("谢婷", "女", "1992.09", "大学本科", "学士", "助教", "", "", "第三党小组", "正式", ""),
    ("韩冰", "男", "1985.05", "大学本科", "学士", "助理讲师", "", "", "第三党小组", "正式", ""),
    ("唐亮", "男", "1996.04", "大学本科", "学士", "", "", "", "第三党小组", "预备", ""),
    ("许诺", "女", "1997.01", "大学本科", "学士", "", "", "", "第三党小组", "预备", ""),
]


# Fake sensitive values: the tests check that none of them ever leaves the input.
def fake_id(i: int) -> str:
    return f"31011519{80 + i % 20:02d}0{i % 9 + 1}1{i:03d}X"


def fake_phone(i: int) -> str:
    return f"1390217{i:04d}"


def roster_counts() -> dict[str, int]:
    """What the profile must say about MEMBERS (高级 = 正高 + 副高)."""
    senior = {"教授", "副教授", "高级讲师"} | {"副高"}
    middle = {"讲师", "工程师", "实验师", "中级"}
    return {
        "formal": sum(1 for m in MEMBERS if m[9] == "正式"),
        "probation": sum(1 for m in MEMBERS if m[9] == "预备"),
        "senior": sum(1 for m in MEMBERS if m[5] in senior or m[6] in senior),
        "middle": sum(1 for m in MEMBERS if m[5] in middle or m[6] in middle),
        "doctor": sum(1 for m in MEMBERS if m[4] == "博士"),
        "master": sum(1 for m in MEMBERS if m[4] == "硕士"),
    }


def _save(wb: Workbook, path: Path | None) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return data


def _title(ws, text: str, width: int, row: int = 1) -> None:
    ws.cell(row, 1, text).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _roster_columns(sensitive: bool) -> list[tuple[str | None, str | None]]:
    """The roster's header as (group label, column label) pairs, 身份证号 and 联系电话 when ``sensitive``."""
    groups: list[tuple[str | None, str | None]] = [
        ("序号", None),
        ("姓名", None),
        ("基本信息", "性别"),
        (None, "出生年月"),
        (None, "学历"),
        (None, "学位"),
        (None, "职称"),
        (None, "职称级别"),
    ]
    if sensitive:
        groups += [(None, "身份证号"), (None, "联系电话")]
    groups += [
        ("党员信息", "党员类别"),
        (None, "所在党小组"),
        (None, "党内职务"),
        (None, "入党时间"),
        ("荣誉", None),
    ]
    return groups


def _grouped_header(ws, groups: list[tuple[str | None, str | None]]) -> None:
    """Rows 2-3: single labels merged over two rows, group labels merged across their sub-columns."""
    width = len(groups)
    for j, (top, sub) in enumerate(groups, start=1):
        if top:
            ws.cell(2, j, top)
        if sub:
            ws.cell(3, j, sub)
    for j, (top, sub) in enumerate(groups, start=1):
        if top and not sub:
            ws.merge_cells(start_row=2, start_column=j, end_row=3, end_column=j)
    tops = [j for j, (top, _) in enumerate(groups, start=1) if top] + [width + 1]
    for a, b in zip(tops, tops[1:], strict=False):
        if groups[a - 1][1] and b - 1 > a:  # a group label over its sub-columns
            ws.merge_cells(start_row=2, start_column=a, end_row=2, end_column=b - 1)


def _roster_values(i: int, m: tuple, sensitive: bool) -> list:
    """Member ``i``'s row: padded name, full-width digits in every third birth date, fake ID and phone."""
    name, gender, birth, edu, degree, title, level, post, group, mtype, honours = m
    padded = f"{name[0]}　{name[1]}" if len(name) == 2 else f" {name} "
    values = [
        i,
        padded,
        gender,
        birth.translate(str.maketrans("0123456789", "０１２３４５６７８９")) if i % 3 == 0 else birth,
        edu,
        degree,
        title,
        level,
    ]
    if sensitive:
        values += [fake_id(i), fake_phone(i)]
    joined = dt.datetime(2010 + i % 10, 6, 1) if mtype == "正式" else "2024年7月1日"
    values += [mtype, group, post, joined, honours]
    return values


def roster_workbook(
    path: Path | None = None,
    *,
    sensitive: bool = True,
    bad_row: bool = False,
    members=MEMBERS,
    old_sheet: bool = True,
) -> bytes:
    """党员名册: title row, a two-row header (基本信息 / 党员信息 groups), full-width digits,
    padded names, 身份证号 and 联系电话 columns, a hidden sheet of old data, a note below."""
    wb = Workbook()
    ws = wb.active
    ws.title = "党员名册"
    groups = _roster_columns(sensitive)
    width = len(groups)
    _title(ws, f"{BRANCH}党员名册（2024年9月）", width)
    _grouped_header(ws, groups)
    row = 4
    for i, m in enumerate(members, start=1):
        for j, v in enumerate(_roster_values(i, m, sensitive), start=1):
            if v not in ("", None):
                ws.cell(row, j, v)
        row += 1
        if i == 10:
            row += 1  # a blank row in the middle
    if bad_row:
        bad = [len(members) + 1, "钱多多", "男", "1990年13月", "大学本科", "学士", "讲师", ""]
        if sensitive:
            bad += [fake_id(99), fake_phone(99)]
        bad += ["正式党员", "第三党小组", "", "2015-07-01", ""]
        for j, v in enumerate(bad, start=1):
            if v:
                ws.cell(row, j, v)
        row += 1
    ws.cell(row + 1, 1, "注：本表由组织委员维护，每学期初更新。")
    if old_sheet:  # last year's roster, hidden, with sensitive columns too
        old = wb.create_sheet("2023年旧名册")
        old.append(["姓名", "性别", "身份证号", "联系电话", "党员类别"])
        old.append(["离开者", "男", fake_id(77), fake_phone(77), "正式"])
        old.sheet_state = "hidden"
    return _save(wb, path)


def meeting_register(path: Path | None = None, *, bad_rows: bool = True) -> bytes:
    """会议登记表: title row, header merged over two rows (人数 → 应到 | 实到), Excel dates and
    text dates (2024.5.10, full-width), a blank row, a hidden sheet, a formula without a value."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2024秋"
    top = [
        "序号",
        "日期",
        "会议类型",
        "主题",
        "地点",
        "主持人",
        "记录人",
        "人数",
        None,
        "缺席人员及原因",
        "议题",
        "内容摘要",
        "决议",
    ]
    _title(ws, f"{BRANCH}2024年秋季学期会议登记表", len(top))
    for j, v in enumerate(top, start=1):
        if v:
            ws.cell(2, j, v)
    ws.cell(3, 8, "应到")
    ws.cell(3, 9, "实到")
    ws.merge_cells("H2:I2")
    for col in "ABCDEFGJKLM":
        ws.merge_cells(f"{col}2:{col}3")
    rows = [
        [
            1,
            dt.datetime(2024, 9, 3),
            "支委会",
            "研究本学期支部工作计划",
            "行政楼302",
            "沈轶娜",
            "缪巧军",
            3,
            3,
            "无",
            "1. 讨论学期工作计划 2. 研究发展对象培养",
            "书记通报学院党委工作要点。\n委员逐项讨论。",
            "通过工作计划（赞成3票）",
        ],
        [
            2,
            "２０２４年１０月２２日 14:30",
            "党员大会",
            "  学习《中国共产党纪律处分条例》  ",
            "实训楼201",
            "沈 轶娜",
            "缪巧军",
            None,
            None,
            "周强（出差）、赵磊（病假）",
            "学习条例；交流体会",
            "书记领学条例第一编。",
            "",
        ],
        None,  # a blank row
        [
            3,
            "2024.11.20",
            "讲党课",
            "新时代教师的使命担当",
            "报告厅",
            "沈轶娜",
            "夏渊",
            None,
            None,
            "",
            "",
            "书记讲授专题党课。",
            "",
        ],
    ]
    if bad_rows:
        rows += [
            [
                4,
                "2024年2月30日",
                "支委会",
                "日期不存在的一行",
                "302",
                "沈轶娜",
                "缪巧军",
                3,
                3,
                "",
                "",
                "",
                "",
            ],
            [5, "2024/12/3", "座谈会", "类型无法识别的一行", "302", "夏渊", "缪巧军", 10, 9, "", "", "", ""],
            [
                6,
                "2024-12-17",
                "主题党日",
                "公式没有计算结果的一行",
                "基地",
                "夏渊",
                "缪巧军",
                "=SUM(I10,1)",
                26,
                "",
                "",
                "",
                "",
            ],
        ]
    r = 4
    for values in rows:
        if values is not None:
            for j, v in enumerate(values, start=1):
                if v not in (None, ""):
                    ws.cell(r, j, v)
        r += 1
    ws.cell(r + 1, 1, "填表人：缪巧军")
    hidden = wb.create_sheet("草稿")
    hidden.append(["日期", "会议类型", "主题"])
    hidden.append(["2024-09-01", "支委会", "草稿里的会议，不应归档"])
    hidden.sheet_state = "hidden"
    return _save(wb, path)


ACHIEVEMENT_ROWS = [
    # name, category, authors, level, time, issuer
    (
        "新能源汽车动力电池检测课程思政案例研究",
        "期刊论文",
        "沈轶娜（1）、夏渊（2）",
        "省级",
        "2024年10月",
        "《职业技术教育》",
    ),
    ("汽车维修专业产教融合实践研究", "课题", "缪巧军", "市级", dt.datetime(2024, 9, 15), "上海市教育委员会"),
    ("《汽车电气设备检修》", "教材", "张伟（主编）", "国家级", "2024.12", "机械工业出版社"),
    ("上海市园丁奖", "荣誉", "沈轶娜", "省部级", "２０２４年９月", "上海市教育委员会"),
    (
        "全国职业院校技能大赛汽车技术赛项二等奖",
        "指导学生竞赛",
        "王磊、朱军",
        "国家级一等奖",
        "2025/1/12",
        "教育部",
    ),
    ("援疆支教：巴楚县汽车专业建设", "援疆", "高翔", "", "2024-11", "对口支援办公室"),
    ("支部党建工作经验被学校新闻网报道", "新闻", "支部全体", "校级", "2024年12月", "学校新闻网"),
]


def achievements_workbook(
    path: Path | None = None, *, bad_row: bool = True, extra_category: str | None = None
) -> bytes:
    """成果登记表: a title row, labels with notes in brackets, month-only and Excel dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = "成果"
    header = [
        "序号",
        "成果名称",
        "类别",
        "完成人（及排名）",
        "级别",
        "时间（年月）",
        "刊物或颁发单位",
        "佐证材料",
        "备注",
    ]
    _title(ws, f"{BRANCH}党员成果登记表（2024—2025学年）", len(header))
    ws.append([])
    for j, v in enumerate(header, start=1):
        ws.cell(3, j, v)
    r = 4
    for i, (name, cat, authors, level, when, issuer) in enumerate(ACHIEVEMENT_ROWS, start=1):
        for j, v in enumerate([i, name, cat, authors, level, when, issuer, "见附件", ""], start=1):
            if v not in ("", None):
                ws.cell(r, j, v)
        r += 1
    if extra_category:
        for j, v in enumerate(
            [
                r - 3,
                "智能网联汽车故障诊断装置",
                extra_category,
                "胡杰",
                "国家级",
                "2024年11月",
                "国家知识产权局",
            ],
            start=1,
        ):
            ws.cell(r, j, v)
        r += 1
    if bad_row:
        for j, v in enumerate([r - 3, "没有时间的成果", "论文", "李娜", "校级", None, "校刊"], start=1):
            if v:
                ws.cell(r, j, v)
        r += 1
    return _save(wb, path)


def plan_workbook(
    path: Path | None = None, term_title: str = "2024—2025学年第一学期", safeguards: str = ""
) -> bytes:
    """工作计划表 for a term, with month-only times, 每月 items and a 计划说明 sheet (its 保障措施
    empty unless ``safeguards`` is given)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "工作计划"
    header = ["序号", "时间/月份", "工作内容", "类别", "责任人", "完成标准/备注"]
    _title(ws, f"{BRANCH}{term_title}工作计划", len(header))
    for j, v in enumerate(header, start=1):
        ws.cell(2, j, v)
    rows = [
        [1, "9月", "召开支部党员大会，部署本学期工作", "三会一课", "沈轶娜", "形成会议记录"],
        [2, "每月", "召开支委会，研究支部工作", "三会一课", "沈轶娜", ""],
        [3, "2024年10月", "开展“走进企业”主题党日活动", "主题党日", "夏渊", "活动记录、照片"],
        [4, "１１月", "书记讲专题党课", "", "沈轶娜", "讲稿"],
        [5, dt.datetime(2024, 12, 10), "召开组织生活会，开展民主评议党员", "组织生活", "沈轶娜、夏渊", ""],
        [6, "1月", "学期工作总结", "其他", "缪巧军", "总结材料"],
    ]
    for i, values in enumerate(rows, start=3):
        for j, v in enumerate(values, start=1):
            if v not in ("", None):
                ws.cell(i, j, v)
    texts = wb.create_sheet("计划说明")
    texts.append(["栏目", "内容"])
    texts.append(["指导思想", "以习近平新时代中国特色社会主义思想为指导，落实“三会一课”制度。"])
    texts.append(["工作目标", "建设“进取型”党支部，发挥党员先锋模范作用。"])
    texts.append(["保障措施", safeguards])
    return _save(wb, path)


def signin_workbook(
    path: Path | None = None, *, title: str | None = None, present=(), absent=(), side_by_side: bool = False
) -> bytes:
    """签到表 for one meeting. ``absent``: (name, reason) pairs, reason in 备注."""
    wb = Workbook()
    ws = wb.active
    ws.title = "签到"
    r = 1
    if title:
        _title(ws, title, 6 if side_by_side else 4)
        r = 2
    people = [(n, "√" if i % 2 else n, "") for i, n in enumerate(present)] + [
        (n, "", why) for n, why in absent
    ]
    if side_by_side:
        for j, v in enumerate(["姓名", "签到", "备注", "姓名", "签到", "备注"], start=1):
            ws.cell(r, j, v)
        half = (len(people) + 1) // 2
        for i, (n, mark, why) in enumerate(people):
            row, col = (r + 1 + i, 1) if i < half else (r + 1 + i - half, 4)
            for k, v in enumerate((n, mark, why)):
                if v:
                    ws.cell(row, col + k, v)
    else:
        for j, v in enumerate(["序号", "姓名", "签到", "备注"], start=1):
            ws.cell(r, j, v)
        for i, (n, mark, why) in enumerate(people, start=1):
            for j, v in enumerate((i, n, mark, why), start=1):
                if v:
                    ws.cell(r + i, j, v)
    return _save(wb, path)


# --- reading what zhibu produced -------------------------------------------------------------


def db(root: Path) -> sqlite3.Connection:
    con = sqlite3.connect(root / ".zhibu" / "index.sqlite3")
    con.row_factory = sqlite3.Row
    return con


def sheet_rows(path: Path, sheet: str | None = None) -> list[tuple]:
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def all_text_of(path: Path) -> str:
    """Every byte of a file as text, Office packages unzipped (for leak checks)."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
        except zipfile.BadZipFile:
            pass
    return data.decode("utf-8", "replace")
