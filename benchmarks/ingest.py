"""Benchmark: reading a large register (issue 3, scale).

Writes a 成果登记表 (or 会议登记表) of N rows with a title row and a header, then reads it:

* ``stream``: the rows through ``openpyxl.load_workbook(read_only=True, data_only=True)`` and
  zhibu's row parser, keeping nothing: memory must not grow with the sheet;
* ``read_input``: the whole register read into records (which of course grow with the rows).

Prints rows per second and peak memory (tracemalloc: Python allocations during the read).

    python benchmarks/ingest.py                 # 10,000 achievements
    python benchmarks/ingest.py --rows 50000 --kind meetings
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from pipeline.ingest import read_input  # noqa: E402
from pipeline.ingest.sheets.workbook import open_source  # noqa: E402

TYPES = ("支委会", "支部党员大会", "党小组会", "党课", "主题党日")


def write_register(path: Path, rows: int, kind: str) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("登记表")
    start = dt.date(2015, 9, 1)
    if kind == "achievements":
        ws.append(["汽车运用工程系党支部成果登记表（历年汇总）"])
        ws.append(
            ["序号", "成果名称", "类别", "完成人及排名", "级别", "时间", "刊物或颁发单位", "佐证材料", "备注"]
        )
        for i in range(rows):
            when = start + dt.timedelta(days=i % 3000)
            ws.append(
                [
                    i + 1,
                    f"新能源汽车课程建设研究之{i}",
                    ("期刊论文", "课题", "荣誉", "教材")[i % 4],
                    f"作者{i % 40}（{i % 3 + 1}）",
                    ("国家级", "省级", "市级", "校级")[i % 4],
                    when if i % 2 else f"{when.year}年{when.month}月",
                    "《职业技术教育》",
                    "证书复印件",
                    "",
                ]
            )
    else:
        ws.append(["汽车运用工程系党支部会议登记表"])
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
                "议题",
                "内容摘要",
                "决议",
            ]
        )
        for i in range(rows):
            when = start + dt.timedelta(days=i % 3000)
            ws.append(
                [
                    i + 1,
                    when if i % 2 else f"{when.year}.{when.month}.{when.day}",
                    TYPES[i % 5],
                    f"学习会议精神（第{i}次）",
                    "302",
                    "沈轶娜",
                    "缪巧军",
                    12,
                    11,
                    "周强（出差）",
                    "1. 学习文件 2. 讨论工作",
                    "领学文件，交流体会。",
                    "通过",
                ]
            )
    wb.save(path)


def stream(path: Path) -> int:
    n = 0
    with open_source(path, path.name) as source:
        for sheet in source.sheets:
            for _ in sheet.rows:
                n += 1
    return n


def measure(label: str, func, rows: int) -> None:
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  {label:<11} {rows / seconds:>10,.0f} rows/s  ({seconds:.2f} s)   peak Python memory {peak / 2**20:7.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--kind", choices=("achievements", "meetings"), default="achievements")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (args.rows, args.rows * 4):
            path = Path(tmp) / f"register-{rows}.xlsx"
            write_register(path, rows, args.kind)
            print(f"{args.kind}: {rows:,} rows, {path.stat().st_size / 2**20:.1f} MB on disk")
            measure("stream", lambda p=path: stream(p), rows)
            result = read_input(path)
            records = len(result.meetings) + sum(len(v) for v in result.items.values())
            assert records == rows and not result.row_errors, (records, result.row_errors[:3])
            measure("read_input", lambda p=path: read_input(p), rows)


if __name__ == "__main__":
    main()
