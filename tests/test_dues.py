"""党费 end to end through the CLI, on an invented branch of 19 members (tests/support/dues_data.py):
the two registers (both layouts of the 收缴登记表) filed with the roster and the 发展党员登记表,
zhibu status (text and --json), the privacy of the income figures (index bytes, support log,
status, documents), a newer register replacing the older state, rows that cannot be read, the
blank forms, and (slow) the yearly papers printed through LibreOffice and the web 首页.

Every expected amount below is worked out by hand from the registers, never by the code under test.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from tests.conftest import Zhibu
from tests.support import dues_data as data
from tests.support.registers import db
from tests.support.workspaces import copy_of, process_state_kept

# 全年应交 and 全年实交 of each member in 2024 (the year has ended: 2025-01-10).
EXPECTED = {
    "林晓舟": ("15.00", "180.00", "160.00"),  # 15 × 12; May 10 (少交 5), June 0 (未交)
    "苏明远": ("30.00", "360.00", "360.00"),
    "周若溪": ("50.00", "600.00", "600.00"),  # the branch wrote 75.00 (1.5%): 5000.00 is in the 1% band
    "陈启航": ("75.00", "900.00", "905.00"),  # September 80 (多交 5)
    "何静姝": ("150.00", "1800.00", "1800.00"),
    "郑远山": ("200.00", "2400.00", "2400.00"),
    "许清和": ("45.63", "547.56", "547.56"),  # base 4562.50 from the components, 45.625 → 45.63
    "罗秋白": ("24.06", "288.72", "288.72"),  # retired, 4811.11 × 0.5% = 24.05555
    "唐晚晴": ("52.35", "575.85", "575.85"),  # retired, 5234.56 × 1% = 52.3456; August 免交: 11 months
    "宋小满": ("0.20", "2.40", "2.40"),  # student; 2.40 for the year in December
    "韩初阳": ("38.12", "381.20", "419.32"),  # accepted 2024-03-20: March–December; February paid too
    "冯致远": ("90.65", "543.90", "634.55"),  # 6043.21 × 1.5% = 90.64815; out in June; July paid too
    "梁安澜": ("45.13", "541.56", "541.56"),  # quarterly, 4 × 135.39
    "蒋一帆": ("84.52", "1014.24", "760.68"),  # October–December unpaid
    "谢长风": ("105.35", "1264.20", "632.10"),  # July–December unpaid, no reason
    "顾南星": ("97.69", "1172.28", "586.14"),  # May–October unpaid, with a reason
    "曹雨桐": ("40.23", "482.76", "482.76"),  # 补交 of January–February in September, 预交 in March
    "钟晓岚": ("18.00", "216.00", "216.00"),  # the branch's decision (by the rules 36.46)
    "邹立新": ("", "", "600.00"),  # in the roster, no base: the amount due is not known
}
DUE_TOTAL = "13270.67"  # the sum of the 全年应交 above
PAID_TOTAL = "12512.64"  # the sum of the 全年实交 above


@pytest.fixture(scope="module")
def branch(tmp_path_factory, initialised_workspace):
    z = Zhibu(copy_of(initialised_workspace, tmp_path_factory.mktemp("dues") / "ws"))
    with process_state_kept():
        data.drop_all(z)
        out = z("run", "-w", z.root, "-vv", ok=True).output
    return z, out


def status(z: Zhibu, *args: str) -> str:
    return z("status", "-w", z.root, "--date", data.TODAY, *args, ok=True).output


def status_dues(z: Zhibu) -> dict:
    return json.loads(status(z, "--json"))["dues"]


def test_the_registers_are_filed_and_a_wrong_branch_amount_is_named(branch):
    z, out = branch
    assert "党费基数核算表：新增 18 条" in out
    assert "党费交纳记录：新增 171 条" in out  # the by-month layout: 171 months with an amount or 免交
    assert "党费交纳记录：新增 7 条" in out  # the payment-row layout, with one 大额党费
    assert (
        "周若溪 表中的月交纳额为75.00元，按规定应为50.00元（在职党员，计算基数3000元以上至5000元（含），"
        "交纳比例1%），已按规定数额计算"
    ) in out
    assert "钟晓岚" not in out  # a reduction decided by the branch, with its reason: no warning
    assert "失败" not in out.split("处理结果")[-1].replace("失败 0 个", "")


def test_status_json_gives_the_totals_the_unpaid_and_the_alerts(branch):
    z, _ = branch
    dues = status_dues(z)
    assert (dues["year"], dues["through"], dues["recorded"]) == (2024, "2024-12", True)
    assert (dues["due"], dues["paid"]) == (DUE_TOTAL, PAID_TOTAL)
    assert dues["due_unknown"] == ["邹立新"]  # left out of the sum, named beside it
    assert {u["member"]: u["months"] for u in dues["unpaid"]} == {
        "林晓舟": ["2024-06"],  # 0 typed: nothing paid
        "蒋一帆": ["2024-10", "2024-11", "2024-12"],
        "谢长风": [f"2024-{m:02d}" for m in range(7, 13)],
        "顾南星": [f"2024-{m:02d}" for m in range(5, 11)],
    }
    alerts = {a["member"]: a for a in dues["alerts"]}
    assert {m: a["level"] for m, a in alerts.items()} == {
        "蒋一帆": "warning",
        "谢长风": "alert",
        "顾南星": "note",
    }
    assert (
        "2024年7月至12月连续6个月未交纳党费" in alerts["谢长风"]["text"]
        and "党章第九条" in alerts["谢长风"]["text"]
    )
    assert "已记录原因：5-10月出国访学，经支委会同意回国后补交" in alerts["顾南星"]["text"]
    assert "党章第九条" not in alerts["顾南星"]["text"]
    texts = [w["text"] for w in dues["warnings"]]
    for expected in (
        "林晓舟：2024年5月应交15.00元，实交10.00元，少交5.00元",
        "陈启航：2024年9月应交75.00元，实交80.00元，多交5.00元",
        "韩初阳：登记了2024年2月的党费，但2024年3月20日才被接收为预备党员（发展党员登记表），应从2024年3月起交纳",
        "冯致远：登记了2024年7月的党费，但已于2024年6月转出组织关系（党员名册）",
        "曹雨桐：2024年1月至2月的党费于2024年9月10日补交，补交超过6个月",
        "曹雨桐：2024年3月5日预交了2024年3月至12月的党费，预交超过6个月",
        "邹立新：党员名册中有此人，但2024年度党费基数核算表中没有，应交数额无法计算",
        "周若溪：2024年度核算表填报的月交纳额为75.00元，按规定应为50.00元（在职党员，计算基数3000元以上至5000元（含），交纳比例1%）",
    ):
        assert any(expected in t for t in texts), expected
    assert not any(
        t.startswith(("梁安澜", "宋小满", "唐晚晴", "钟晓岚", "何静姝")) for t in texts
    )  # all in order
    assert dues["large"] == [{"member": "何静姝", "amount": "2000.00", "paid_on": "2024-07-01"}]


def test_status_text_lists_the_alerts_and_who_owes(branch):
    z, _ = branch
    text = status(z).split("党费（")[1]
    assert text.startswith(
        f"2024年，统计到2024年12月）：应交{DUE_TOTAL}元（邹立新1人没有核算基数，未计入），已交{PAID_TOTAL}元"
    )
    assert "未交党费的党员（4人）：" in text and "· 谢长风：2024年7月至12月" in text
    assert "· 顾南星：2024年5月至10月" in text and "· 林晓舟：2024年6月" in text


def test_no_income_figure_reaches_the_index_the_log_or_status(branch):
    z, out = branch
    stored = b"".join(p.read_bytes() for p in (z.root / ".zhibu").glob("index.sqlite3*"))
    log = (z.root / ".zhibu" / "zhibu.log").read_text(encoding="utf-8")
    assert "读取「2024年度党费基数核算表.xlsx」" in log  # the filing was logged
    shown = status(z) + status(z, "--json") + out
    for figure in data.INCOME_FIGURES:
        assert figure.encode() not in stored, figure
        assert figure not in log and figure not in shown, figure
    # what the index does hold: the band and the monthly amount
    row = db(z.root).execute("SELECT * FROM dues_bases WHERE name = '苏明远'").fetchone()
    assert (row["band"], row["rate"], row["due"]) == ("3000元以上至5000元（含）", "1%", "30.00")
    assert "base" not in row.keys()


def test_the_archived_register_keeps_its_figures(branch):
    z, _ = branch
    [archived] = (z.root / "outbox").glob("*/*/原始材料/2024年度党费基数核算表.xlsx")
    values = [c for row in load_workbook(archived).active.iter_rows(values_only=True) for c in row]
    assert 3000.01 in values and 4811.11 in values and 2891.37 in values
    [roster] = (z.root / "outbox").glob("*/*/原始材料/党员名册.xlsx")
    cells = [c for row in load_workbook(roster).active.iter_rows(values_only=True) for c in row]
    assert not any(isinstance(c, str) and c.startswith("1391234") for c in cells)  # phones blanked


def _xlsx(title: str, header: list, rows: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_newer_register_replaces_the_older_state_and_keeps_history(ws):
    header = ["姓名", "人员类别", "计算基数", "月交纳额", "备注"]
    ws.drop(
        "2024年度党费基数核算表.xlsx",
        _xlsx(
            "2024年度党费基数核算表", header, [["甲", "在职", 4500, 45, ""], ["乙", "在职", 2500, 12.5, ""]]
        ),
    )
    months = ["姓名", *(f"{i}月" for i in range(1, 13)), "备注"]
    ws.drop(
        "2024年党费收缴登记表.xlsx",
        _xlsx("2024年党费收缴登记表", months, [["甲", *[45] * 12, ""], ["乙", *[12.5] * 12, ""]]),
    )
    ws.run(ok=True)
    # 甲's base corrected: 5200 → 78.00 (5200 × 1.5%); 乙 keeps 12.50
    ws.drop(
        "2024年度党费基数核算表（更正）.xlsx",
        _xlsx(
            "2024年度党费基数核算表", header, [["甲", "在职", 5200, 78, ""], ["乙", "在职", 2500, 12.5, ""]]
        ),
    )
    # 甲 paid the difference for January–March; 乙 not named: his months stay as they were
    rows = [["甲", "2024年1-3月", 234, "2024-04-02", "", "补足差额"]]
    ws.drop(
        "交纳明细.xlsx",
        _xlsx("2024年党费交纳明细", ["姓名", "所属月份", "金额", "交纳日期", "收款人", "备注"], rows),
    )
    out = ws.run(ok=True).output
    assert "已用本表替换2024年度原有的2人的党费基数（原记录保留为历史）" in out
    assert "甲 2024年度月交纳额由45.00元改为78.00元" in out
    assert "已用本表替换甲1人相应月份原有的3条交纳记录（原记录保留为历史）" in out
    con = db(ws.root)
    assert con.execute("SELECT count(*) FROM dues_bases WHERE active = 0").fetchone()[0] == 2
    assert (
        con.execute("SELECT count(*) FROM dues_payments WHERE active = 0 AND name = '甲'").fetchone()[0] == 3
    )
    dues = json.loads(ws("status", "-w", ws.root, "--date", "2024-05-15", "--json", ok=True).output)["dues"]
    # Jan–Apr: 甲 78 × 4 = 312.00, 乙 12.50 × 4 = 50.00; paid: 甲 234 + 45 (April) = 279.00, 乙 50.00;
    # the months already paid at 45 (April–December) are short by 33 each
    assert (dues["due"], dues["paid"]) == ("362.00", "329.00")
    assert any(
        "甲：2024年4月至12月每月应交78.00元，实交45.00元，少交33.00元" in w["text"] for w in dues["warnings"]
    )


def test_rows_that_cannot_be_read_go_to_a_correction_file(ws):
    ws.drop(
        "党费基数核算表.xlsx",
        _xlsx("党费基数核算表", ["姓名", "人员类别", "计算基数"], [["甲", "在职", 4500]]),
    )
    rows = [
        ["甲", "2024年13月", 45, "2024-01-05"],
        ["乙", "2024年1月", "四十五个", "2024-01-05"],
        ["丙", "2024年2月", "￥45", "2024-02-05"],
    ]
    ws.drop(
        "2024年党费交纳明细.xlsx", _xlsx("2024年党费交纳明细", ["姓名", "所属月份", "金额", "交纳日期"], rows)
    )
    out = ws.run().output
    assert "党费基数核算表没有写明年度" in out and "2024年度党费基数核算表" in out
    assert "「所属月份」里的月份「2024年13月」不存在" in out and "「金额」里的「四十五个」不是金额" in out
    assert "党费交纳记录：新增 1 条" in out
    fixes = load_workbook(ws.root / "inbox" / "失败" / "2024年党费交纳明细.待修正.xlsx").active
    reasons = [row[-1] for row in fixes.iter_rows(values_only=True)]
    assert any(r and "不存在" in r for r in reasons) and any(r and "不是金额" in r for r in reasons)


def test_forms_give_both_blank_registers_with_dropdowns(ws):
    ws.drop("党员名册.xlsx", data.roster_workbook())
    ws.run(ok=True)
    ws("forms", "-w", ws.root, "--force", ok=True)
    base = load_workbook(ws.root / "表格模板" / "党费基数核算表.xlsx").active
    header = [c.value for c in base[2]]
    assert (
        header[:4] == ["序号", "姓名", "人员类别", "岗位工资"]
        and "计算基数" in header
        and "月交纳额" in header
    )
    assert "奖励性绩效工资" not in header  # not in the base: not asked for
    lists = {dv.formula1 for dv in base.data_validations.dataValidation}
    assert '"在职,离退休,学生,其他"' in lists and '"0.5%,1%,1.5%,2%"' in lists
    assert [base.cell(r, 2).value for r in (3, 4)] == ["周若溪", "林晓舟"]  # the roster's names
    assert f"{dt.date.today().year}年度党费基数核算表" in base.cell(1, 1).value
    pay = load_workbook(ws.root / "表格模板" / "党费收缴登记表.xlsx").active
    assert [c.value for c in pay[2]][1:4] == ["姓名", "1月", "2月"] and pay.cell(3, 2).value == "周若溪"
    # The forms filled by the roster, dropped back as they are: nothing to register, nothing failed.
    for name in ("党费基数核算表.xlsx", "党费收缴登记表.xlsx"):
        ws.drop(name, (ws.root / "表格模板" / name).read_bytes())
    out = ws.run().output
    assert "失败 0 个" in out and "新增" not in out.split("处理结果")[-1]


# --- the yearly papers, printed (slow) -------------------------------------------------------------


def _docx_tables(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in Document(str(path)).tables for row in table.rows]


@pytest.mark.slow
def test_the_year_batch_writes_the_ledger_the_publicity_and_the_internal_base_table(branch, tmp_path):
    from tests.support.layout_pdf import font_sizes, page_texts, to_pdf, to_png

    z, _ = branch
    out = z("batch", "-w", z.root, "--year", "2024-2025", "--date", data.TODAY).output
    folder = z.root / "outbox" / "2024-2025学年" / "党费"
    book, notice, internal = (
        folder / "2024年党费收缴台账.xlsx",
        folder / "2024年度党费收缴情况公示.docx",
        folder / "2024年度党费基数核算表（内部）.docx",
    )
    assert all(p.is_file() for p in (book, notice, internal)), out
    assert "谢长风：2024年7月至12月连续6个月未交纳党费" in out
    # the workbook: a member per row, a month per column, the totals of each month, quarter and the year
    rows = list(load_workbook(book)["党费收缴台账"].iter_rows(values_only=True))
    by_name = {r[1]: r for r in rows[2:] if r[1] in EXPECTED}
    assert by_name["林晓舟"][3:15] == (15, 15, 15, 15, 10, "未交", 15, 15, 15, 15, 15, 15)
    assert by_name["唐晚晴"][10] == "免交" and by_name["冯致远"][12] == "—"
    assert by_name["韩初阳"][4] == 38.12  # February: paid before joining, shown (and marked)
    for name, (_monthly, due, paid) in EXPECTED.items():
        assert (by_name[name][15], by_name[name][16]) == (float(due) if due else "不详", float(paid)), name
    assert by_name["谢长风"][17] == "7月至12月"
    sums = {r[0]: r[1:] for r in load_workbook(book)["月度季度合计"].iter_rows(min_row=3, values_only=True)}
    assert sums["全年"] == (float(DUE_TOTAL), float(PAID_TOTAL), 2000.0, float(PAID_TOTAL) + 2000)
    assert sums["第三季度"][2] == sums["7月"][2] == 2000.0  # the 大额党费, apart from the months
    # the first quarter: the 18 monthly amounts above add up to 1161.93 (March); January and
    # February without 韩初阳's 38.12
    assert sums["第一季度"][0] == pytest.approx(1123.81 * 2 + 1161.93)
    # the publicity: name, 月交纳额, 全年应交, 全年实交, never an income figure
    table = _docx_tables(notice)
    assert table[0] == ["序号", "姓名", "月交纳额（元）", "全年应交（元）", "全年实交（元）"]
    assert {r[1]: tuple(r[2:]) for r in table[1:]} == EXPECTED
    # the internal base table: the bases, read again from the archived register
    base_rows = {r[1]: r for r in _docx_tables(internal)[1:]}
    assert base_rows["苏明远"][3:6] == ["3000.01", "1%", "30.00"]
    assert base_rows["许清和"][3:6] == ["4562.50", "1%", "45.63"]
    assert base_rows["罗秋白"][2:6] == ["离退休", "4811.11", "0.5%", "24.06"]
    assert base_rows["周若溪"][6] == "支部填报75.00元，与规定不符"
    assert base_rows["钟晓岚"][6].startswith("按支部决定（家庭困难") and base_rows["钟晓岚"][6].endswith(
        "按规定为36.46元"
    )
    # printed: the 内部 mark, every page read back, no income figure outside the 核算表
    pdfs = to_pdf([notice, internal, book], tmp_path / "pdf")
    notice_pages, internal_pages, book_pages = (page_texts(pdfs[p]) for p in (notice, internal, book))
    assert internal_pages[0].lstrip().startswith("内部") and "3000.01" in "".join(internal_pages)
    for figure in data.INCOME_FIGURES:
        assert figure not in "".join(notice_pages + book_pages), figure
    [signed] = [page for page in notice_pages if "2025年1月10日" in "".join(page.split())]
    assert "如有疑问" in signed  # the signature never alone on a page
    # Twelve months on a landscape page, nothing below 9 pt (its 说明 line too); titles whole words.
    assert min(font_sizes(pdfs[book])) >= 9
    assert ["".join(x.split()) for x in notice_pages[0].splitlines()[:2]] == [
        "汽车运用工程系党支部",
        "2024年度党费收缴情况公示",
    ]
    for pdf in pdfs.values():
        to_png(pdf, tmp_path / "png" / pdf.stem, first_only=False)


@pytest.mark.slow
def test_the_term_ledger_has_the_dues_sheet_of_the_term_months(branch):
    z, _ = branch
    z("batch", "-w", z.root, "--term", "2024-2025-1", "--date", data.TODAY, ok=True)
    [ledger] = (z.root / "outbox" / "2024-2025学年" / "第一学期").glob("*三会一课台账.xlsx")
    ws = load_workbook(ledger)["党费收缴台账"]
    rows = list(ws.iter_rows(values_only=True))
    assert "统计到2024年12月" in rows[0][0]
    assert rows[1][3:8] == ("9月", "10月", "11月", "12月", "2025年1月")
    by_name = {r[1]: r for r in rows[2:]}
    assert "冯致远" not in by_name  # transferred out in June: not a member in this term
    assert by_name["蒋一帆"][3:7] == (84.52, "未交", "未交", "未交")
    assert by_name["蒋一帆"][8:11] == (338.08, 84.52, "10月至12月")  # 4 × 84.52 due, September paid
    assert by_name["谢长风"][7] is None  # January 2025: no 2025 register yet, neither paid nor unpaid
    with zipfile.ZipFile(ledger) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
    assert all(f.encode() not in blob for f in data.INCOME_FIGURES)


# --- the web 首页 (slow: zhibu serve and chromium) ------------------------------------------------


def _recent_registers(z: Zhibu) -> int:
    """Two years of registers ending with the last month that has ended today: 谢长风 has paid
    nothing for 7 months, 蒋一帆 for 3. Returns that last month (year × 12 + month − 1)."""
    from pipeline.records.dues import span_text, ym_of

    through = ym_of(dt.date.today()) - 1
    year = through // 12
    header = ["姓名", "人员类别", "计算基数", "月交纳额", "备注"]
    for y in (year - 1, year):
        rows = [["谢长风", "在职", 7023.45, 105.35, ""], ["蒋一帆", "在职", 5634.56, 84.52, ""]]
        z.drop(f"{y}年度党费基数核算表.xlsx", _xlsx(f"{y}年度党费基数核算表", header, rows))
    first = (year - 1) * 12
    payments = [
        ["谢长风", span_text(first, through - 7), 105.35 * (through - 7 - first + 1), ""],
        ["蒋一帆", span_text(first, through - 3), 84.52 * (through - 3 - first + 1), ""],
    ]
    z.drop(
        "党费交纳明细.xlsx", _xlsx(f"{year}年党费交纳明细", ["姓名", "所属月份", "金额", "备注"], payments)
    )
    z.run(ok=True)
    return through


@pytest.mark.slow
def test_the_web_home_page_shows_the_dues_alerts(ws, tmp_path):
    from pipeline.records.dues import span_text
    from tests.support.browser import Server, body, chromium, screenshot

    through = _recent_registers(ws)
    server = Server([ws.root]).wait_started()
    driver = chromium(tmp_path / "chromium")
    try:
        code, html = server.request("/w/1/")
        assert code == 200
        driver.get(server.url + "/w/1/")
        text = body(driver)
        screenshot(driver, tmp_path / "首页.png")
    finally:
        driver.quit()
        assert server.stop() == 0, server.output()
    assert "党费" in text and "连续未交党费" in text
    assert f"谢长风：{span_text(through - 6, through)}连续7个月未交纳党费" in text and "党章第九条" in text
    assert f"蒋一帆：{span_text(through - 2, through)}连续3个月未交纳党费" in text
    assert "未交党费的党员（2人）" in text
    for figure in ("7023.45", "5634.56"):
        assert figure not in html
