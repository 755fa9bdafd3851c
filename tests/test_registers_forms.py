"""Blank registers (zhibu init / zhibu forms): they open in LibreOffice, and a filled copy of each
is read back as its kind. And the bundled register samples go through ``zhibu demo``."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

from openpyxl import load_workbook

from pipeline.records.register_rows import CATEGORIES, LEVELS
from pipeline.records.types import MEETING_TYPES
from pipeline.registers.forms import FILES
from tests.support.registers import db

NAMES = sorted(FILES.values())


def _validations(sheet) -> dict[str, list[str]]:
    out = {}
    for dv in sheet.data_validations.dataValidation:
        out[str(dv.sqref).split(":")[0]] = dv.formula1.strip('"').split(",")
    return out


def test_init_writes_blank_registers(ws):
    forms = ws.root / "表格模板"
    assert sorted(p.name for p in forms.iterdir()) == NAMES
    meetings = load_workbook(forms / "会议登记表.xlsx")["会议登记表"]
    assert meetings["A1"].value == "会议登记表"  # zhibu init: no branch name yet (no sample data)
    assert "A1:N1" in {str(r) for r in meetings.merged_cells.ranges}
    assert meetings.freeze_panes == "A3"
    assert [c.value for c in meetings[2]][:4] == ["序号", "日期", "会议类型", "主题"]
    assert meetings["B3"].number_format == 'yyyy"年"m"月"d"日"'
    assert _validations(meetings)["C3"] == [t.name for t in MEETING_TYPES]
    achievements = load_workbook(forms / "成果登记表.xlsx")["成果登记表"]
    lists = _validations(achievements)
    assert lists["C3"] == list(CATEGORIES) and lists["E3"] == list(LEVELS)
    assert achievements["F3"].number_format == 'yyyy"年"m"月"'
    roster = load_workbook(forms / "党员名册.xlsx")["党员名册"]
    header = [c.value for c in roster[2]]
    assert "身份证号" not in header and "联系电话" not in header
    assert _validations(roster)["N3"] == ["正式", "预备"]
    signin = load_workbook(forms / "签到表.xlsx")["签到表"]
    assert signin["A2"].value == "会议类型：" and signin.freeze_panes == "A5"
    assert _validations(signin)["C2"] == [t.name for t in MEETING_TYPES]
    assert load_workbook(forms / "工作计划表.xlsx").sheetnames == ["工作计划", "计划说明"]

    again = ws("forms", "-w", ws.root, ok=True).output
    assert again.count("未覆盖") == len(NAMES)
    forced = ws("forms", "-w", ws.root, "--force", ok=True).output
    assert forced.count("新建 表格模板/") == len(NAMES)


def test_blank_registers_open_in_libreoffice(ws, tmp_path):
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    files = [str(ws.root / "表格模板" / n) for n in NAMES]
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *files,
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for name in NAMES:
        pdf = out / name.replace(".xlsx", ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000, name
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # UTF-8, whatever the locale
            "--outdir",
            str(out),
            files[NAMES.index("成果登记表.xlsx")],
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    csv_text = (out / "成果登记表.csv").read_text(encoding="utf-8", errors="replace")
    assert "成果名称" in csv_text


def test_filled_copies_of_the_blank_registers_are_recognized(ws):
    forms = ws.root / "表格模板"
    inbox = ws.root / "inbox"

    wb = load_workbook(forms / "会议登记表.xlsx")
    sheet = wb.active
    for col, value in zip(
        "ABCDEFGHI",
        [1, dt.datetime(2024, 10, 8), "支委会", "研究发展对象", "302", "沈轶娜", "缪巧军", 3, 3],
        strict=True,
    ):
        sheet[f"{col}3"] = value
    wb.save(inbox / "我的会议登记.xlsx")

    wb = load_workbook(forms / "签到表.xlsx")
    sheet = wb.active
    sheet["C2"], sheet["C3"] = "党课", dt.datetime(2024, 11, 20)
    for i, (name, mark, note) in enumerate(
        [("沈轶娜", "√", None), ("夏渊", "夏渊", None), ("缪巧军", None, "病假")]
    ):
        sheet.cell(5 + i, 1, i + 1)
        sheet.cell(5 + i, 2, name)
        sheet.cell(5 + i, 3, mark)
        sheet.cell(5 + i, 4, note)
    wb.save(inbox / "党课签到.xlsx")

    wb = load_workbook(forms / "成果登记表.xlsx")
    sheet = wb.active
    for col, value in zip(
        "ABCDEF", [1, "课程思政示范课", "获奖/荣誉", "李娜", "校级", dt.datetime(2024, 12, 1)], strict=True
    ):
        sheet[f"{col}3"] = value
    wb.save(inbox / "成果.xlsx")

    wb = load_workbook(forms / "党员名册.xlsx")
    sheet = wb.active
    for col, value in zip(
        "ABCDEFGHI",
        [1, "沈轶娜", "女", dt.datetime(1978, 3, 1), "汉族", "上海", "研究生", "博士", "副教授"],
        strict=True,
    ):
        sheet[f"{col}3"] = value
    sheet["N3"], sheet["P3"] = "正式", "党支部书记"
    wb.save(inbox / "名册.xlsx")

    wb = load_workbook(forms / "工作计划表.xlsx")
    sheet = wb["工作计划"]
    sheet["B3"], sheet["C3"], sheet["D3"], sheet["E3"] = "10月", "召开支委会", "三会一课", "沈轶娜"
    wb["计划说明"]["B3"] = "以党的创新理论为指导。"
    wb.save(inbox / "计划.xlsx")

    out = ws.run(ok=True).output
    assert "[部分失败]" not in out and "[失败]" not in out
    con = db(ws.root)
    kinds = {r["original_name"]: r["kind"] for r in con.execute("SELECT original_name, kind FROM sources")}
    assert kinds == {
        "我的会议登记.xlsx": "会议登记表",
        "党课签到.xlsx": "签到表",
        "成果.xlsx": "成果登记表",
        "名册.xlsx": "党员名册",
        "计划.xlsx": "工作计划表",
    }
    assert ws.outputs("**/2024-10-08 支委会 研究发展对象.docx")
    assert sorted(tuple(r) for r in con.execute("SELECT name, present, note FROM signins")) == [
        ("夏渊", 1, ""),
        ("沈轶娜", 1, ""),
        ("缪巧军", 0, "病假"),
    ]
    assert con.execute("SELECT category, level, date FROM achievements").fetchone()[:] == (
        "获奖/荣誉",
        "校级",
        "2024-12-01",
    )
    assert con.execute("SELECT name, title_level, party_post FROM members").fetchone()[:] == (
        "沈轶娜",
        "副高",
        "党支部书记",
    )
    item = con.execute("SELECT term, month, activity FROM plan_items").fetchone()
    assert item["activity"] == "支委会" and item["month"].endswith("-10") and item["term"].endswith("-1")
    assert con.execute("SELECT section, body FROM plan_texts").fetchone()[:] == (
        "指导思想",
        "以党的创新理论为指导。",
    )


def test_check_reads_a_register_without_writing(ws):
    wb = load_workbook(ws.root / "表格模板" / "成果登记表.xlsx")
    wb.active["B3"], wb.active["C3"], wb.active["F3"] = "示范课", "荣誉", "2024年12月"
    path = ws.root / "成果草稿.xlsx"
    wb.save(path)
    result = ws("check", "-w", ws.root, path)
    assert result.exit_code == 0, result.output
    assert "成果登记表：1 条" in result.output
    assert (
        not (ws.root / ".zhibu" / "index.sqlite3").exists()
        or not db(ws.root).execute("SELECT count(*) FROM achievements").fetchone()[0]
    )


def test_demo_files_the_register_samples(ws):
    result = ws("demo", "-w", ws.root)
    out = result.output
    assert result.exit_code == 0, out
    for line in (
        "党员名册：新增 28 条",
        "成果（论文）：新增 1 条",
        "工作计划（事项）：新增 6 条",
        "签到表（2024-10-08 支委会）：新增 3 条",
    ):
        assert line in out
    con = db(ws.root)
    row = con.execute(
        "SELECT expected, present FROM outputs WHERE active = 1 AND meeting_type = '支委会' "
        "AND date = '2024-10-08'"
    ).fetchone()
    assert tuple(row) == (3, 3)
    assert con.execute("SELECT count(*) FROM outputs WHERE active = 0").fetchone()[0] == 0
    failed = sorted(p.name for p in (ws.root / "inbox" / "失败").iterdir())
    assert failed == ["示例-错误-缺少日期.txt", "示例-错误-缺少日期.txt.原因.txt"]


def test_formulas_give_the_value_excel_saved(ws, tmp_path):
    """A register saved by a spreadsheet program keeps each formula's value: that value is used."""
    from openpyxl import Workbook

    assert shutil.which("soffice"), "LibreOffice is needed (.ci/run installs it)"

    wb = Workbook()
    sheet = wb.active
    sheet.title = "会议"
    sheet.append(["日期", "会议类型", "主题", "应到", "实到", "缺席人员及原因"])
    sheet.append(["2024-10-08", "支委会", "研究工作", "=1+2", "=D2-1", "缪巧军（出差）"])
    source = tmp_path / "公式登记表.xlsx"
    wb.save(source)
    out = tmp_path / "saved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    (ws.root / "inbox" / "公式登记表.xlsm").write_bytes((out / "公式登记表.xlsx").read_bytes())
    result = ws.run(ok=True)
    doc = ws.outputs("**/2024-10-08 支委会 研究工作.docx")
    assert doc, result.output
    from tests.support.docs import field

    assert field(doc[0], "应到人数") == "3人　实到人数：2人"
