"""Benchmark: a term-scale workspace through the real CLI, at 1x and 3x load.

Full size (``--scale 1``) is 3,000 meetings (90% in 会议登记表 registers, one per academic
year, 10% as notes), 2,000 achievements and 300 members, spread over four academic years.
For each load (1x and 3x the chosen scale) the script builds a fresh workspace, files the
roster with one ``python -m pipeline run`` (setup, not timed), drops the rest and times:

* ``run``: one ``python -m pipeline run`` over all meetings and achievements; when the source
  has the roster-cache switch (``ZHIBU_NO_ROSTER_CACHE=1``) also on a copy of the workspace
  with the cache off, and prints the ratio;
* ``batch --year``, ``status``, ``search`` for the busiest academic year / term;
* ``print --term`` on one term (LibreOffice; the largest part of the time);

each with the peak resident memory of the zhibu process (VmHWM; LibreOffice is a separate
process and not counted). Then the pure render time per document with the batch renderer
(``pipeline.render.fast.render_batch``, one process, the workspace's minutes template) in
the same run. The last line is ``run per meeting X ms; render per document Y ms; ratio Z``
(at 3x load, cache on).

    python benchmarks/scale.py                  # scale 0.2: 600 / 1,800 meetings, a few minutes
    python benchmarks/scale.py --scale 1        # 3,000 / 9,000 meetings
    python benchmarks/scale.py --no-print       # skip the LibreOffice step
    python benchmarks/scale.py --baseline bf5f213   # also `run` with an older commit's code
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from workspace_data import (  # noqa: E402
    meeting_date,
    note_text,
    write_achievements,
    write_meetings,
    write_roster,
)

YEARS = 4
FULL = {"meetings": 3000, "achievements": 2000, "members": 300}
CACHE_SWITCH = "ZHIBU_NO_ROSTER_CACHE"

# `python -m pipeline ...` exactly (runpy, run_name __main__), writing the process's peak
# resident memory to a file when it exits.
LAUNCH = """
import atexit, re, runpy, sys
out = sys.argv[1]
def peak():
    with open("/proc/self/status") as fh:
        kb = int(re.search(r"VmHWM:\\s*(\\d+)", fh.read()).group(1))
    with open(out, "w") as fh:
        fh.write(str(kb))
atexit.register(peak)
sys.argv = ["pipeline"] + sys.argv[2:]
runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
"""


def env(tree: Path = ROOT, **extra: str) -> dict:
    e = dict(os.environ, PYTHONIOENCODING="utf-8", **extra)
    e["PYTHONPATH"] = str(tree) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def zhibu(
    args: list[str], *, extra_env: dict | None = None, check: bool = True, tree: Path = ROOT
) -> tuple[float, float, str]:
    """(seconds, peak MB, output) of one `python -m pipeline ARGS` process; ``tree``: the source
    tree whose code runs (another commit of zhibu, exported, for the baseline)."""
    with tempfile.NamedTemporaryFile(prefix="zhibu-peak-", delete=False) as fh:
        peak_file = Path(fh.name)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(peak_file), *args],
        cwd=tree,
        env=env(tree, **(extra_env or {})),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    seconds = time.perf_counter() - start
    try:
        peak = int(peak_file.read_text() or 0) / 1024
    finally:
        peak_file.unlink(missing_ok=True)
    out = proc.stdout + proc.stderr
    if check and (proc.returncode not in (0, 1) or "Traceback" in out or "内部错误" in out):
        sys.exit(f"`zhibu {' '.join(args)}` failed ({proc.returncode}):\n{out[-3000:]}")
    return seconds, peak, out


def build(ws: Path, meetings: int, achievements: int, members: int) -> None:
    """A workspace with the roster filed and every other input waiting in the inbox."""
    subprocess.run(
        [sys.executable, "-m", "pipeline", "init", str(ws)],
        cwd=ROOT,
        env=env(),
        check=True,
        capture_output=True,
    )
    names = write_roster(ws / "inbox" / "名册" / "党员名册.xlsx", members)
    _, _, out = zhibu(["run", "-w", str(ws)])
    if f"新增 {members} 条" not in out:
        sys.exit(f"the roster was not filed:\n{out[-2000:]}")
    notes = [i for i in range(meetings) if i % 10 == 9]
    for i in notes:
        (ws / "inbox" / f"笔记 {i:05d}.txt").write_text(
            note_text(i, meetings, YEARS, names), encoding="utf-8"
        )
    noted = set(notes)
    for year in range(YEARS):
        numbers = [
            i
            for i in range(meetings)
            if i not in noted and _academic_year(meeting_date(i, meetings, YEARS)) == year
        ]
        write_meetings(ws / "inbox" / f"会议登记表-{2021 + year}学年.xlsx", numbers, meetings, YEARS, names)
    write_achievements(ws / "inbox" / "成果登记表.xlsx", achievements, YEARS, names)


def _academic_year(day) -> int:
    return (day.year - 2021) - (1 if day.month < 9 else 0)


def has_cache_switch() -> bool:
    return any(CACHE_SWITCH in p.read_text(encoding="utf-8") for p in (ROOT / "pipeline").rglob("*.py"))


def filed_meetings(out: str) -> int:
    m = re.search(r"生成文档 (\d+) 份", out)
    return int(m.group(1)) if m else 0


def one_load(factor: int, args: argparse.Namespace, tmp: Path) -> dict:
    sizes = {k: max(1, round(v * args.scale * factor)) for k, v in FULL.items()}
    ws = tmp / f"ws-{factor}x"
    t0 = time.perf_counter()
    build(ws, sizes["meetings"], sizes["achievements"], sizes["members"])
    print(
        f"\n{factor}x load: {sizes['meetings']:,} meetings, {sizes['achievements']:,} achievements, "
        f"{sizes['members']:,} members (built in {time.perf_counter() - t0:.0f} s)"
    )
    switch = has_cache_switch()
    if switch:
        shutil.copytree(ws, tmp / f"ws-{factor}x-nocache", symlinks=True)
    if args.baseline_tree:
        _baseline_copy(ws, tmp / f"ws-{factor}x-baseline", args.baseline_tree)
    figures: dict[str, float] = {"meetings": sizes["meetings"]}
    seconds, peak, out = zhibu(["run", "-w", str(ws)])
    docs = filed_meetings(out)
    failed = re.search(r"失败 (\d+) 个", out)
    print(
        f"  run            {seconds:8.1f} s   peak {peak:6.0f} MB   ({docs} documents, {failed.group(0) if failed else ''})"
    )
    figures["run"] = seconds
    if switch:
        off, off_peak, _ = zhibu(
            ["run", "-w", str(tmp / f"ws-{factor}x-nocache")], extra_env={CACHE_SWITCH: "1"}
        )
        print(
            f"  run, no cache  {off:8.1f} s   peak {off_peak:6.0f} MB   (cache on is {off / seconds:.2f}x faster)"
        )
        figures["run_nocache"] = off
    else:
        print(f"  (this source has no {CACHE_SWITCH} switch: run measured once)")
    if args.baseline_tree:
        old, old_peak, old_out = zhibu(
            ["run", "-w", str(tmp / f"ws-{factor}x-baseline")], tree=args.baseline_tree
        )
        print(
            f"  run, {args.baseline:<8} {old:8.1f} s   peak {old_peak:6.0f} MB   ({filed_meetings(old_out)} documents; "
            f"this code is {old / seconds:.2f}x faster)"
        )
        figures["run_baseline"] = old
    year, term = "2022-2023", "2022-2023-1"
    steps = [
        ("batch --year", ["batch", "-w", str(ws), "--year", year, "--date", "2023-07-15", "-j", "1"]),
        ("status", ["status", "-w", str(ws), "--term", term, "--date", "2023-01-20"]),
        ("search", ["search", "-w", str(ws), "学习", "会议精神", "--limit", "1000"]),
    ]
    if not args.no_print:
        steps.append(("print --term", ["print", "-w", str(ws), "--term", term]))
    for label, cmd in steps:
        seconds, peak, _ = zhibu(cmd, check=label != "print --term")
        figures[label] = seconds
        print(f"  {label:<14} {seconds:8.1f} s   peak {peak:6.0f} MB")
    return figures


def _baseline_copy(ws: Path, target: Path, tree: Path) -> None:
    """The same workspace for the baseline code: its own zhibu.toml (an older schema may not know
    today's settings), the branch name filled in as the older code requires."""
    shutil.copytree(ws, target, symlinks=True)
    fresh = target.parent / f"{target.name}-init"
    zhibu(["init", str(fresh)], tree=tree)
    config = (fresh / "zhibu.toml").read_text(encoding="utf-8")
    (target / "zhibu.toml").write_text(config, encoding="utf-8")
    shutil.rmtree(fresh, ignore_errors=True)


def render_per_document(template: Path, docs: int) -> float:
    """Seconds per document of the batch renderer, one process, sample minutes contexts."""
    from pipeline.render.fast import render_batch
    from pipeline.render.minutes import sample_context

    with tempfile.TemporaryDirectory(prefix="zhibu-scale-render-") as tmp:
        jobs = ((sample_context(i), Path(tmp) / f"{i:05d}.docx") for i in range(docs))
        start = time.perf_counter()
        result = render_batch(template, jobs, workers=1)
        seconds = time.perf_counter() - start
    if result.failures:
        sys.exit(f"render failed: {result.failures[0].message}")
    return seconds / docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=0.2, help="fraction of the full size (default 0.2)")
    ap.add_argument("--no-print", action="store_true", help="skip `zhibu print` (LibreOffice)")
    ap.add_argument("--keep", action="store_true", help="keep the workspaces (their folder is printed)")
    ap.add_argument(
        "--baseline",
        metavar="REV",
        help="also time `run` with the code of this git commit (exported, no checkout) on a copy",
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zhibu-scale-"))
    args.baseline_tree = None
    if args.baseline:
        args.baseline_tree = tmp / "baseline-tree"
        args.baseline_tree.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.baseline], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(args.baseline_tree)], input=archive.stdout, check=True)
    print(
        f"zhibu scale benchmark — scale {args.scale:g}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    try:
        loads = {factor: one_load(factor, args, tmp) for factor in (1, 3)}
        one, three = loads[1], loads[3]
        print("\ngrowth 1x -> 3x (time ratio; 3.0 is linear):")
        for key in one:
            if key != "meetings" and key in three and one[key] > 0:
                print(f"  {key:<14} {three[key] / one[key]:5.2f}x")
        if "run_nocache" in three:
            print(f"run at 3x, roster cache on vs off: {three['run_nocache'] / three['run']:.2f}x faster")
        if "run_baseline" in three:
            print(
                f"run at 3x vs the code of {args.baseline}: {three['run_baseline'] / three['run']:.2f}x faster"
            )
        template = tmp / "ws-3x" / "templates" / "会议记录.docx"
        per_doc = render_per_document(template, min(300, int(three["meetings"])))
        per_meeting = three["run"] / three["meetings"]
        print(
            f"run per meeting {1000 * per_meeting:.1f} ms; render per document {1000 * per_doc:.1f} ms; "
            f"ratio {per_meeting / per_doc:.1f}"
        )
    finally:
        if args.keep:
            print(f"workspaces kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
