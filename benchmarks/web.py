"""Benchmark: how fast the web workbench's pages answer on a workspace of a few thousand documents.

Builds a workspace as ``benchmarks/scale.py`` does (meetings in registers and notes over four
academic years, achievements, a roster; ``--meetings 3000`` by default), adds a 发展党员登记表,
files everything with one ``python -m pipeline run`` (setup, not timed), then starts
``python -m pipeline serve --no-browser`` and times each page over HTTP on 127.0.0.1:

* ``first``: the first request of the page (the index read, 谈心谈话 names and all);
* ``median``/``max`` of ``--repeat`` further requests;
* ``after filing``: 首页 right after the watcher filed one more note (the cached read is
  stale and read again).

Each line gives the ratio to the target of one second; the last line says whether every page
answered within it.

    python benchmarks/web.py                    # 3,000 meetings
    python benchmarks/web.py --meetings 9000    # 3x
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from openpyxl import Workbook  # noqa: E402
from scale import ROOT, build, env, zhibu  # noqa: E402
from workspace_data import member_names  # noqa: E402

TARGET = 1.0  # seconds


def development_register(path: Path, people: int) -> None:
    """``people`` applicants at every stage of a year's path (dates only; no ID, no phone)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "发展党员"
    ws.append(["序号", "姓名", "性别", "申请入党日期", "谈话日期", "确定积极分子日期", "确定发展对象日期"])
    names = member_names(people + 400)[400:]
    today = dt.date.today()
    for i, name in enumerate(names):
        applied = today - dt.timedelta(days=30 + 7 * i)
        talked = applied + dt.timedelta(days=20) if i % 3 else None
        activist = applied + dt.timedelta(days=60) if i % 2 and talked else None
        candidate = activist + dt.timedelta(days=400) if activist and i % 4 == 1 else None
        ws.append(
            [
                i + 1,
                name,
                "女" if i % 2 else "男",
                *(d.isoformat() if d else "" for d in (applied, talked, activist, candidate)),
            ]
        )
    wb.save(path)


def talk_notes(inbox: Path, talks: int) -> None:
    """谈心谈话 records: their 谈话人/谈话对象 are read back from the documents for the status."""
    names = member_names(300)
    first = dt.date(2023, 9, 4)
    for i in range(talks):
        day = first + dt.timedelta(days=(i * 5) % 700)
        (inbox / f"谈话 {i:04d}.txt").write_text(
            f"会议类型：谈心谈话\n谈话时间：{day.year}年{day.month}月{day.day}日\n谈话地点：党员活动室\n"
            f"谈话人：{names[0]}\n谈话对象：{names[1 + i % 299]}\n记录人：{names[2]}\n"
            "谈话内容：\n交流了本学期的教学和思想情况。\n谈话效果：\n达成共识。\n",
            encoding="utf-8",
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[float, int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    data = resp.read()
    seconds = time.perf_counter() - start
    conn.close()
    return seconds, resp.status, data


def busiest_term(ws: Path) -> str:
    _, _, out = zhibu(["search", "-w", str(ws), "会议", "--limit", "1000", "--json"])
    import json

    counts: dict[str, int] = {}
    for hit in json.loads(out[out.index("{") :])["results"]:
        counts[hit["term"]] = counts.get(hit["term"], 0) + 1
    return max(counts, key=counts.get)


def pages(term: str) -> list[tuple[str, str]]:
    return [
        ("首页", "/w/1/"),
        ("上传", "/w/1/upload"),
        ("文档（最忙的学期）", f"/w/1/docs?term={term}"),
        ("搜索（两个词）", f"/w/1/search?q={quote('学习 党员')}"),
        ("搜索（按学期）", f"/w/1/search?q={quote('支部')}&term={term}"),
        ("学期材料", f"/w/1/term?term={term}"),
        ("发展党员", "/w/1/development"),
        ("设置", "/w/1/settings"),
    ]


def serve(ws: Path, port: int, log: Path) -> tuple[subprocess.Popen, float]:
    """The server and the seconds from its start to its ready line (the index read once)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--no-browser", "--port", str(port), "-w", str(ws)],
        cwd=ROOT,
        env=env(),
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )
    end = time.monotonic() + 120
    while "网页工作台已启动" not in log.read_text(encoding="utf-8", errors="replace"):
        if proc.poll() is not None or time.monotonic() > end:
            sys.exit(f"zhibu serve did not start:\n{log.read_text(encoding='utf-8', errors='replace')}")
        time.sleep(0.05)
    return proc, time.perf_counter() - start


def measure(port: int, items: list[tuple[str, str]], repeat: int) -> list[tuple[str, float, float, float]]:
    rows = []
    for name, path in items:
        first, status, body = get(port, path)
        if status != 200 or b"Traceback" in body:
            sys.exit(f"{name} answered {status}:\n{body[:2000].decode('utf-8', 'replace')}")
        times = [get(port, path)[0] for _ in range(repeat)]
        rows.append((name, first, statistics.median(times), max(times)))
    return rows


def after_filing(ws: Path, port: int) -> float:
    """首页 just after the watcher filed one more note."""
    note = ws / "inbox" / "基准-新笔记.txt"
    note.write_text(
        "会议类型：支委会\n会议主题：基准测试新增的会议\n时间：2024年10月9日\n主持人：张伟\n会议内容：\n基准测试。\n",
        encoding="utf-8",
    )
    end = time.monotonic() + 120
    while note.exists() and time.monotonic() < end:
        time.sleep(0.1)
    time.sleep(0.5)
    return get(port, "/w/1/")[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=3000)
    parser.add_argument("--achievements", type=int, default=1000)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--people", type=int, default=60, help="rows of the 发展党员登记表")
    parser.add_argument("--talks", type=int, default=300, help="谈心谈话 notes")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhibu-web-bench-") as tmp:
        ws = Path(tmp) / "ws"
        print(
            f"building: {args.meetings} meetings, {args.talks} talks, {args.achievements} achievements, "
            f"{args.members} members, {args.people} people in the 发展党员登记表 …"
        )
        build(ws, args.meetings, args.achievements, args.members)
        development_register(ws / "inbox" / "发展党员登记表.xlsx", args.people)
        talk_notes(ws / "inbox", args.talks)
        seconds, _, out = zhibu(["run", "-w", str(ws)])
        documents = sum(1 for _ in (ws / "outbox").rglob("*.docx") if "原始材料" not in _.parts)
        print(f"filed in {seconds:.1f} s: {documents} documents in outbox/")
        term = busiest_term(ws)
        port = free_port()
        proc, started = serve(ws, port, Path(tmp) / "serve.out")
        try:
            rows = measure(port, pages(term), args.repeat)
            fresh = after_filing(ws, port)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    print(f"zhibu serve ready in {started:.2f} s (start-up, watcher and the first read of the index)")
    print(f"\n{'page':<20} {'first':>8} {'median':>8} {'max':>8}  ratio to {TARGET:g} s (worst)")
    for name, first, median, worst in rows:
        print(f"{name:<20} {first:8.3f} {median:8.3f} {worst:8.3f}  {max(first, worst) / TARGET:.2f}")
    print(f"{'首页 after a filing':<20} {fresh:8.3f}")
    slowest = max([max(r[1], r[3]) for r in rows] + [fresh])
    verdict = "every page within" if slowest < TARGET else "SLOWER than"
    print(f"{documents} documents: slowest answer {slowest:.3f} s, {verdict} the {TARGET:g} s target")


if __name__ == "__main__":
    main()
