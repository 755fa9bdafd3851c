"""Memory on huge registers: every register the guard admits is read and filed in bounded
memory (peak resident memory of a real `zhibu run` process), and a bigger one is refused up
front with a Chinese reason naming the file and the sheet."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.ingest.zipguard import MAX_CELLS
from tests.support.watch import init_workspace
from tests.test_hostile import run_measured

LIMIT_MB = 450  # well under 500 MB

HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "学历",
    "职称",
    "身份证号",
    "联系电话",
    "党员类别",
    "所在党小组",
]
SHARED = ["男", "女", "研究生", "本科", "讲师", "副教授", "正式", "预备", "第一党小组", "第二党小组"]


def _col(j: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[j]


def write_roster(path: Path, rows: int) -> None:
    """A 党员名册 of ``rows`` members, written straight as XML (openpyxl would take minutes):
    short shared-string cells, the densest a real sheet gets, with 身份证号/联系电话 columns."""
    strings = HEADER + SHARED
    index = {s: i for i, s in enumerate(strings)}
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{rel}"><sheets><sheet name="党员名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
    )

    def s(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="s"><v>{index[text]}</v></c>'

    def n(ref: str, value) -> str:
        return f'<c r="{ref}"><v>{value}</v></c>'

    def t(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", book_rels)
        zf.writestr("xl/sharedStrings.xml", shared)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            head = "".join(s(f"{_col(j)}1", label) for j, label in enumerate(HEADER))
            fh.write(f'<row r="1">{head}</row>'.encode())
            batch = []
            for i in range(rows):
                r = i + 2
                cells = (
                    n(f"A{r}", i + 1),
                    t(f"B{r}", f"党员{i:06d}"),
                    s(f"C{r}", "男女"[i % 2]),
                    t(f"D{r}", f"{1960 + i % 40}.{i % 12 + 1:02d}"),
                    s(f"E{r}", ("研究生", "本科")[i % 2]),
                    s(f"F{r}", ("讲师", "副教授")[i % 2]),
                    n(f"G{r}", 110101199003070000 + i % 10000),
                    n(f"H{r}", 13800000000 + i),
                    s(f"I{r}", "正式" if i % 10 else "预备"),
                    s(f"J{r}", ("第一党小组", "第二党小组")[i % 2]),
                )
                batch.append(f'<row r="{r}">{"".join(cells)}</row>')
                if len(batch) == 5000:
                    fh.write("".join(batch).encode())
                    batch = []
            fh.write("".join(batch).encode())
            fh.write(b"</sheetData></worksheet>")


@pytest.mark.slow
def test_a_huge_roster_is_refused_naming_file_and_sheet_in_little_memory(tmp_path):
    root = init_workspace(tmp_path / "ws")
    write_roster(root / "inbox" / "全校党员名册.xlsx", 600_000)
    out, mb = run_measured(root)
    print(f"600,000-row roster: peak {mb} MB")
    assert "[失败] 全校党员名册.xlsx" in out, out
    assert "文件「全校党员名册.xlsx」" in out and "工作表「党员名册」的数据太多" in out, out
    assert "拆成几个较小的文件" in out
    reason = (root / "inbox" / "失败" / "全校党员名册.xlsx.原因.txt").read_text(encoding="utf-8")
    assert "工作表「党员名册」的数据太多" in reason
    assert (root / "inbox" / "失败" / "全校党员名册.xlsx").exists()
    assert mb < 200, f"{mb} MB to refuse a 600,000-row roster"


@pytest.mark.slow
def test_the_biggest_roster_the_guard_admits_is_filed_in_bounded_memory(tmp_path):
    rows = MAX_CELLS // len(HEADER) - 2  # just under the cell limit
    root = init_workspace(tmp_path / "ws")
    write_roster(root / "inbox" / "党员名册.xlsx", rows)
    out, mb = run_measured(root)
    print(f"{rows:,}-row roster ({rows * len(HEADER):,} cells): peak {mb} MB")
    assert "[已处理] 党员名册.xlsx" in out, out
    assert f"党员名册：新增 {rows} 条" in out, out
    assert "内部错误" not in out and "Traceback" not in out
    assert mb < LIMIT_MB, f"{mb} MB for a {rows:,}-row roster"


@pytest.mark.slow
def test_a_huge_csv_register_is_refused(tmp_path):
    root = init_workspace(tmp_path / "ws")
    lines = ["序号,姓名,性别,党员类别"] + [f"{i},党员{i:06d},男,正式" for i in range(120_000)]
    (root / "inbox" / "名册.csv").write_text("\n".join(lines), encoding="utf-8")
    out, mb = run_measured(root)
    assert "[失败] 名册.csv" in out, out
    assert "表格的数据太多" in out and "文件「名册.csv」" in out, out
    assert mb < LIMIT_MB
