"""Benchmark: reading a large register, python-calamine against the openpyxl path, in one run.

Writes a 成果登记表 (or 会议登记表) of N rows with a title row and a header, then reads it
with both readers (``pipeline.ingest.sheets.workbook``): the fast one (python-calamine, the
default) and the reference one (openpyxl's streaming parser, zhibu's reader until now):

* ``stream``: the rows of every sheet, keeping nothing;
* ``read_input``: the whole register read into records (which of course grow with the rows).

Each measurement runs in a fresh process and reports rows per second and the process's peak
resident memory above its start (VmHWM: calamine's memory is outside Python's allocator, so
tracemalloc would not see it). Ends with the speed-up of calamine over openpyxl per step.

    python benchmarks/ingest.py                 # 10,000 and 25,000 achievements
    python benchmarks/ingest.py --rows 20000 --kind meetings
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from openpyxl import Workbook  # noqa: E402

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


def _peak_mb() -> float:
    with open("/proc/self/status") as fh:
        return int(re.search(r"VmHWM:\s*(\d+)", fh.read()).group(1)) / 1024


def child(engine: str, mode: str, path: Path, rows: int) -> None:
    """One measurement in this (fresh) process; prints a JSON line."""
    from pipeline.ingest.sheets import workbook
    from pipeline.kinds import read_input

    workbook.DEFAULT_ENGINE = engine
    base = _peak_mb()
    start = time.perf_counter()
    if mode == "stream":
        n = 0
        with workbook.open_source(path, path.name) as source:
            for sheet in source.sheets:
                for _ in sheet.rows:
                    n += 1
        assert n == rows + 2, n  # the title row and the header
    else:
        result = read_input(path)
        records = len(result.meetings) + sum(len(v) for v in result.items.values())
        assert records == rows and not result.row_errors, (records, result.row_errors[:3])
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb() - base}))


def measure(engine: str, mode: str, path: Path, rows: int) -> dict:
    cmd = [sys.executable, __file__, "--child", engine, mode, str(path), str(rows)]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    found["rate"] = rows / found["seconds"]
    print(
        f"  {engine:<9} {mode:<11} {found['rate']:>10,.0f} rows/s  ({found['seconds']:6.2f} s)"
        f"   peak memory +{found['peak_mb']:6.1f} MB"
    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--kind", choices=("achievements", "meetings"), default="achievements")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, mode, path, rows = args.child
        child(engine, mode, Path(path), int(rows))
        return
    ratios: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (args.rows, args.rows * 5 // 2):
            path = Path(tmp) / f"register-{rows}.xlsx"
            write_register(path, rows, args.kind)
            print(f"{args.kind}: {rows:,} rows, {path.stat().st_size / 2**20:.1f} MB on disk")
            for mode in ("stream", "read_input"):
                fast = measure("calamine", mode, path, rows)
                slow = measure("openpyxl", mode, path, rows)
                ratio = fast["rate"] / slow["rate"]
                ratios.setdefault(mode, []).append(ratio)
                print(f"  {'':<9} {mode:<11} calamine / openpyxl: {ratio:.1f}x")
    first = args.rows
    print(
        f"at {first:,} rows, calamine vs openpyxl (same run): stream {ratios['stream'][0]:.1f}x, "
        f"read_input {ratios['read_input'][0]:.1f}x"
    )


if __name__ == "__main__":
    main()
