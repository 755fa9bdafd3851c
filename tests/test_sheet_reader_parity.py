"""The fast reader (python-calamine) gives exactly the rows of the reference reader (openpyxl):
same sheets, hidden flags, properties, row numbers and values (types included), on every
workbook of the test corpus, the bundled samples and the register builders; and the cells
calamine cannot see (formulas without a saved value, error values) are still marked."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.errors import InputError
from pipeline.ingest.sheets.cells import MISSING_FORMULA, CellErrorValue
from pipeline.ingest.sheets.workbook import open_source
from tests.support import corpus
from tests.support.registers import (
    achievements_workbook,
    meeting_register,
    plan_workbook,
    roster_workbook,
    signin_workbook,
)

SAMPLES = Path(__file__).resolve().parents[1] / "pipeline" / "samples"


def read_all(path: Path, engine: str):
    try:
        with open_source(path, path.name, engine) as source:
            sheets = [
                (s.name, s.hidden, [(n, [(type(v).__name__, v) for v in values]) for n, values in s.rows])
                for s in source.sheets
            ]
            return source.properties, sheets
    except InputError as err:
        return "error", type(err).__name__


def workbooks(tmp: Path) -> list[Path]:
    paths = sorted(SAMPLES.glob("*.xlsx"))
    for case in corpus.CASES:
        if case.file.endswith((".xlsx", ".xlsm")):
            p = tmp / f"corpus-{len(paths)}{Path(case.file).suffix}"
            case.make(p)
            paths.append(p)
    builders = {
        "roster": lambda: roster_workbook(bad_row=True),
        "meetings": meeting_register,
        "achievements": achievements_workbook,
        "plan": plan_workbook,
        "signin": signin_workbook,
    }
    for name, build in builders.items():
        p = tmp / f"{name}.xlsx"
        p.write_bytes(build())
        paths.append(p)
    return paths


@pytest.mark.slow
def test_calamine_reads_every_test_workbook_as_openpyxl_does(tmp_path):
    paths = workbooks(tmp_path)
    assert len(paths) > 15
    read = 0
    for path in paths:
        fast, reference = read_all(path, "calamine"), read_all(path, "openpyxl")
        assert fast == reference, path.name
        read += fast[0] != "error"
    assert read > 10  # most of them are readable workbooks, not only refused ones


def test_every_kind_of_cell_value(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "各种值"
    ws["B2"] = "标题"
    ws.append([])
    ws["C4"] = 12
    ws["D4"] = 1.5
    ws["E4"] = dt.datetime(2024, 5, 10)
    ws["F4"] = dt.datetime(2024, 5, 10, 14, 30)
    ws["G4"] = dt.time(14, 30)
    ws["H4"] = True
    ws["I4"] = dt.date(2024, 10, 8)
    ws["J4"] = dt.timedelta(hours=30)
    ws["K4"] = "  "
    ws["L4"] = "１２人"
    ws["A9"] = "下面"
    ws.cell(12, 20).number_format = "0.00"  # a formatted empty cell: no row
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "身份证号"
    wb.properties.subject = "zhibu:会议登记表:待修正"
    path = tmp_path / "值.xlsx"
    wb.save(path)
    fast = read_all(path, "calamine")
    assert fast == read_all(path, "openpyxl")
    props, sheets = fast
    assert props["subject"] == "zhibu:会议登记表:待修正"
    assert [(name, hidden) for name, hidden, _ in sheets] == [("各种值", False), ("隐藏", True)]
    rows = dict(sheets[0][2])
    assert sorted(rows) == [2, 4, 9]
    assert rows[4][2:] == [
        ("int", 12),
        ("float", 1.5),
        ("datetime", dt.datetime(2024, 5, 10)),
        ("datetime", dt.datetime(2024, 5, 10, 14, 30)),
        ("time", dt.time(14, 30)),
        ("bool", True),
        ("datetime", dt.datetime(2024, 10, 8)),
        ("timedelta", dt.timedelta(hours=30)),
        ("str", "  "),
        ("str", "１２人"),
    ]


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_formulas_without_values_and_error_values_are_marked(tmp_path, prefix):
    wb = Workbook()
    wb.active["A1"] = "placeholder"
    base = tmp_path / "base.xlsx"
    wb.save(base)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    p = prefix
    root = f'<{p}worksheet xmlns{":x" if p else ""}="{ns}"><{p}sheetData>'
    sheet = (
        f'{root}<{p}row r="1"><{p}c r="A1" t="inlineStr"><{p}is><{p}t>日期</{p}t></{p}is></{p}c>'
        f'<{p}c r="B1"><{p}v>3</{p}v></{p}c></{p}row>'
        f'<{p}row r="2"><{p}c r="A2"><{p}f>SUM(B1:B1)</{p}f><{p}v>3</{p}v></{p}c></{p}row>'
        f"</{p}sheetData></{p}worksheet>"
    )
    cases = {
        "good": (sheet, [(1, ["日期", 3]), (2, [3])]),
        "missing": (
            sheet.replace(
                f"<{p}v>3</{p}v></{p}c></{p}row></{p}sheetData>", f"</{p}c></{p}row></{p}sheetData>"
            ),
            [(1, ["日期", 3]), (2, [MISSING_FORMULA])],
        ),
        "error": (
            sheet.replace(f'<{p}c r="B1">', f'<{p}c r="B1" t="e">').replace(
                f"<{p}v>3</{p}v></{p}c></{p}row><{p}row", f"<{p}v>#REF!</{p}v></{p}c></{p}row><{p}row"
            ),
            [(1, ["日期", CellErrorValue("#REF!")]), (2, [3])],
        ),
    }
    for name, (xml, expected) in cases.items():
        path = tmp_path / f"{name}.xlsx"
        with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w") as zout:
            for item in zin.infolist():
                data = xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item)
                zout.writestr(item, data)
        for engine in ("calamine", "openpyxl"):
            with open_source(path, path.name, engine) as source:
                rows = [r for s in source.sheets for r in s.rows]
            assert rows == expected, (name, engine, rows)
            kinds = [type(v) for _, values in rows for v in values]
            assert (CellErrorValue in kinds) == (name == "error"), (name, engine)


def _correction_cells(data: bytes) -> list:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in wb.worksheets]


def test_same_row_errors_records_and_correction_workbook_with_either_reader(tmp_path, monkeypatch):
    from pipeline.ingest.sheets import read_register, workbook
    from pipeline.kinds import KINDS
    from pipeline.registers.corrections import correction_workbook

    books = {
        "会议登记表.xlsx": meeting_register(),
        "党员名册.xlsx": roster_workbook(bad_row=True),
        "成果登记表.xlsx": achievements_workbook(bad_row=True),
    }
    for name, data in books.items():
        path = tmp_path / name
        path.write_bytes(data)
        seen = {}
        for engine in ("calamine", "openpyxl"):
            monkeypatch.setattr(workbook, "DEFAULT_ENGINE", engine)
            result = read_register(path, name, kinds=KINDS)
            seen[engine] = (
                [e.render() for e in result.row_errors],
                result.warnings,
                [(b.sheet, b.row, b.values, b.reason) for b in result.bad_rows],
                [m.topic for m in result.meetings],
                {k: len(v) for k, v in result.items.items()},
                _correction_cells(correction_workbook(result)) if result.bad_rows else None,
            )
        assert seen["calamine"] == seen["openpyxl"], name
        errors, _, bad, *_, correction = seen["calamine"]
        assert errors and bad and correction, name  # each of them has rows to correct
