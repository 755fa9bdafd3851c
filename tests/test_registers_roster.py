"""党员名册 through the CLI: versions, attendance derived for meetings, the branch profile, and
身份证号/联系电话 never leaving the input (not in the outbox, .zhibu/, the failed folder, the
printed output or the log)."""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.oxml.ns import qn

from tests.support.docs import docx_text, east_asia_font, field
from tests.support.registers import (
    BRANCH,
    MEMBERS,
    all_text_of,
    db,
    fake_id,
    fake_phone,
    roster_counts,
    roster_workbook,
    sheet_rows,
)

TERM1 = "2024-2025学年/第一学期"


def minutes(ws, pattern: str):
    found = ws.outputs(f"{TERM1}/会议记录/**/{pattern}")
    assert len(found) == 1, (pattern, [p.name for p in ws.outputs()])
    return found[0]


def test_roster_profile_and_sensitive_columns(ws):
    ws.drop("名册/党员名册.xlsx", roster_workbook(bad_row=True))
    run = ws.run()
    out = run.output
    assert "[部分失败] 名册/党员名册.xlsx" in out
    assert "党员名册：新增 28 条" in out
    assert "党员名册已更新为28人（正式党员26人、预备党员2人）" in out
    assert "工作表「2023年旧名册」是隐藏的，已跳过" in out
    assert (
        "文件「名册/党员名册.xlsx」工作表「党员名册」第33行「基本信息/出生年月」列：「基本信息/出生年月」里的月份「1990年13月」不存在"
        in out
    )

    con = db(ws.root)
    versions = con.execute("SELECT id, active FROM roster_versions").fetchall()
    assert [tuple(v) for v in versions] == [(1, 1)]
    members = {r["name"]: r for r in con.execute("SELECT * FROM members")}
    assert len(members) == 28 and "沈轶娜" in members  # "沈　轶娜" padded in the sheet
    assert (members["沈轶娜"]["title_level"], members["沈轶娜"]["party_post"]) == ("副高", "党支部书记")
    assert members["杨帆"]["title_level"] == "副高"  # level column only
    assert members["唐亮"]["member_type"] == "预备"
    assert members["周强"]["birth"] == "1979-01"
    assert members["赵磊"]["birth"] == "1984-12"  # full-width digits (row 9)
    assert members["张伟"]["party_group"] == "第一党小组"
    columns = {r[1] for r in con.execute("PRAGMA table_info(members)")}
    assert not columns & {"id_number", "phone", "身份证号", "联系电话"}

    # the bad row to fix, without the sensitive columns
    fix = ws.root / "inbox" / "失败" / "党员名册.待修正.xlsx"
    rows = sheet_rows(fix, "党员名册")
    assert rows[1][:5] == ("序号", "姓名", "性别", "出生年月", "学历")
    assert "身份证号" not in rows[1] and "联系电话" not in rows[1] and rows[1][-1] == "错误原因"
    assert rows[2][1] == "钱多多" and rows[2][3] == "1990年13月"

    # the profile, in the seed's style, counted from the sheet
    c = roster_counts()
    profile = ws("profile", "-w", ws.root, "--docx", ok=True).output
    lead = (
        f"{BRANCH}有正式党员{c['formal']}人（预备党员{c['probation']}人），党支部书记沈轶娜、支部委员夏渊、缪巧军。"
        f"支部党员中高级职称{c['senior']}人、中级职称{c['middle']}人；博士{c['doctor']}人、硕士{c['master']}人；"
    )
    assert lead in profile
    assert (c["formal"], c["senior"], c["middle"], c["doctor"], c["master"]) == (26, 4, 13, 1, 6)
    for phrase in (
        "获得“上海市园丁奖”的党员1人",
        "获得“上海市五一劳动奖章”的党员1人",
        "获得“交通部振华奖”的党员1人",
        "金牌教练的党员3人",
        "市级名师的党员2人",
        "校级名师的党员2人",
        "具有双师素质的党员3人",
    ):
        assert phrase in profile, phrase
    doc_path = ws.root / "outbox" / "党组织简介.docx"
    doc = Document(str(doc_path))
    # title: the branch's name and 党组织简介, bold; page numbers in the footer
    assert [p.text for p in doc.paragraphs[:2]] == [BRANCH, "党组织简介"]
    assert all(p.style.font.bold for p in doc.paragraphs[:2])
    assert any("PAGE" in (i.text or "") for i in doc.sections[0].footer._element.iter(qn("w:instrText")))
    assert lead in docx_text(doc_path)
    assert east_asia_font(doc, "Normal") == "仿宋_GB2312"

    # the corrected row merges into the roster (29 members), the old version is kept inactive
    wb = __import__("openpyxl").load_workbook(fix)
    wb["党员名册"]["D3"] = "1990年12月"
    wb.save(ws.root / "inbox" / "党员名册.待修正.xlsx")
    fix.unlink()
    out2 = ws.run(ok=True).output
    assert "这是待修正文件：已把改正的1人并入现有名册" in out2
    assert [tuple(v) for v in con.execute("SELECT id, active FROM roster_versions")] == [(1, 0), (2, 1)]
    active = con.execute("SELECT count(*) FROM members WHERE version_id = 2").fetchone()[0]
    assert active == 29

    # a new roster replaces the current one
    ws.drop("名册/党员名册-2025春.xlsx", roster_workbook(members=MEMBERS[:27], old_sheet=False))
    out3 = ws.run(ok=True).output
    assert "原名册（29人）保留为历史版本" in out3
    assert con.execute("SELECT count(*) FROM roster_versions WHERE active = 1").fetchone()[0] == 1
    assert (
        con.execute(
            "SELECT count(*) FROM members m JOIN roster_versions v ON v.id = m.version_id WHERE v.active = 1"
        ).fetchone()[0]
        == 27
    )

    # 身份证号 and 联系电话 are nowhere: not stored, printed or logged
    secrets = [fake_id(i) for i in (*range(1, 30), 77, 99)] + [fake_phone(i) for i in (*range(1, 30), 77, 99)]
    printed = out + profile + out2 + out3
    files = [
        p for folder in ("outbox", ".zhibu", "inbox") for p in (ws.root / folder).rglob("*") if p.is_file()
    ]
    assert any(p.suffix == ".xlsx" and "原始材料" in p.parts for p in files)  # the archived roster is checked
    assert (ws.root / ".zhibu" / "zhibu.log").is_file()
    for secret in secrets:
        assert secret not in printed
        for path in files:
            assert secret not in all_text_of(path), (secret, path)
    archived = next(p for p in files if p.name == "党员名册.xlsx" and "原始材料" in p.parts)
    header, *data = [r for r in sheet_rows(archived, "党员名册")[2:] if any(r)]
    assert header[8:10] == ("身份证号", "联系电话")  # the layout is kept
    assert all(r[8] is None and r[9] is None for r in data)
    assert "敏感信息没有读取；归档的副本中已清空「身份证号」「联系电话」列" in out


NOTE = "会议类型：{type}\n会议主题：{topic}\n时间：{date}\n主持人：沈轶娜\n记录人：缪巧军\n{lines}会议内容：\n学习。\n"


def test_roster_derives_attendance_and_checks_names(ws):
    ws.drop("党员名册.xlsx", roster_workbook(sensitive=False, old_sheet=False))
    ws.run(ok=True)
    formal = [m[0] for m in MEMBERS if m[9] == "正式"]
    came = [n for n in formal if n not in ("周强", "孙丽", "赵磊")] + ["唐亮"]
    ws.drop(
        "大会.txt",
        NOTE.format(
            type="支部党员大会",
            topic="讨论发展对象",
            date="2024年12月10日",
            lines=f"参会人员：{'、'.join(came)}\n",
        ),
    )
    ws.drop(
        "支委会.txt",
        NOTE.format(
            type="支委会", topic="研究工作", date="2024年10月8日", lines="缺席人员：缪巧军（出差）\n"
        ),
    )
    ws.drop(
        "第一党小组学习 2024-10-15.txt",
        NOTE.format(
            type="党小组会",
            topic="学习条例",
            date="2024年10月15日",
            lines="参会人员：张伟、李娜、王芳、刘洋、张三\n",
        ),
    )
    out = ws.run(ok=True).output

    congress = minutes(ws, "2024-12-10 支部党员大会 讨论发展对象.docx")
    assert field(congress, "应到人数") == "26人　实到人数：23人"  # 正式党员 only
    assert field(congress, "缺席人员") == "赵磊、孙丽、周强"  # derived (roster order)
    assert field(congress, "列席人员") == "唐亮（预备党员）"
    assert "唐亮是预备党员，没有表决权，已列为列席人员，不计入应到、实到人数" in out
    assert "到会人数符合规定，会议有效" in docx_text(congress)

    committee = minutes(ws, "2024-10-08 支委会 研究工作.docx")
    assert field(committee, "出席人员") == "沈轶娜、夏渊"  # committee from 党内职务
    assert field(committee, "应到人数") == "3人　实到人数：2人"

    group = minutes(ws, "2024-10-15 党小组会 学习条例.docx")
    assert field(group, "应到人数") == "5人　实到人数：5人"
    assert field(group, "缺席人员") == "陈静"
    assert "2024-10-15 党小组会：张三不在党员名册中，请核对姓名" in out  # a warning, not a rejection
    rows = db(ws.root).execute("SELECT meeting_type, expected, present FROM outputs ORDER BY date").fetchall()
    assert sorted(tuple(r) for r in rows) == [("党小组会", 5, 5), ("支委会", 3, 2), ("支部党员大会", 26, 23)]


def test_profile_without_a_roster_says_what_to_do(ws):
    result = ws("profile", "-w", ws.root)
    assert result.exit_code == 1
    assert "还没有导入党员名册" in result.output


def test_profile_states_no_title_or_degree_counts_the_roster_does_not_have(ws):
    """A roster of 姓名 and 党员类别 only: the printed 党组织简介 counts members, never
    "高级职称0人" or "博士0人" (the roster says nothing about titles or degrees)."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.append(["序号", "姓名", "党员类别", "入党时间"])
    for n, (name, kind) in enumerate((("甲一", "正式"), ("乙二", "正式"), ("丙三", "预备")), 1):
        sheet.append([n, name, kind, "2010-07-01"])
    path = ws.root / "inbox" / "党员名册.xlsx"
    wb.save(path)
    ws.run(ok=True)
    ws("profile", "-w", ws.root, "--docx", ok=True)
    text = docx_text(ws.root / "outbox" / "党组织简介.docx")
    assert "有正式党员2人（预备党员1人）" in text
    assert "职称" not in text and "博士" not in text and "硕士" not in text and "0人" not in text


def test_branch_profile_is_a_pure_function():
    from pipeline.config.schema import CommitteeMember
    from pipeline.registers.profile import branch_profile

    members = [
        {"name": "甲", "title": "教授", "degree": "博士", "member_type": "正式", "honours": "全国优秀教师"},
        {"name": "乙", "title_level": "高级", "education": "硕士研究生", "member_type": "正式"},
        {"name": "丙", "title": "讲师", "member_type": "预备"},
    ]
    text = branch_profile(
        members, [CommitteeMember("甲", "书记"), CommitteeMember("乙", "组织委员")], "某党支部"
    )
    assert text == (
        "某党支部有正式党员2人（预备党员1人），党支部书记甲、支部委员乙。支部党员中高级职称2人、中级职称1人；"
        "博士1人、硕士1人；全国优秀教师的党员1人。"
    )
    assert branch_profile([], (), "某党支部") == ""  # no roster: nothing to state, no program sentence
    # As the roster stood on a day: 丁 joined later, 甲 was still 预备 then.
    later = [
        dict(members[0], joined="2020-06-01", confirmed="2021-06-01"),
        dict(members[1], joined="2010-06-01"),
        {"name": "丁", "member_type": "预备", "joined": "2024-07-01"},
    ]
    text = branch_profile(later, (), "某党支部", dt.date(2021, 1, 31))
    assert text.startswith("某党支部有正式党员1人（预备党员1人）。")


def test_same_roster_with_sensitive_columns_dropped_again_is_a_duplicate(ws):
    data = roster_workbook()
    ws.drop("党员名册.xlsx", data)
    ws.run(ok=True)
    ws.drop("党员名册-副本.xlsx", data)
    again = ws.run(ok=True)
    assert "[重复] 党员名册-副本.xlsx" in again.output
    assert not (ws.root / "inbox" / "党员名册-副本.xlsx").exists()
