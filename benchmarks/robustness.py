"""Robustness report: the bad-input corpus, chaos rounds and PC faults, measured.

    python benchmarks/robustness.py [--rounds N] [--files N] [--seed S] [--no-watch] [--no-faults]
                                    [--docs docs/robustness.md]

1. **Corpus**: builds every case of ``tests/support/corpus.py`` in the inbox of a fresh workspace (made by
   ``python -m pipeline init``), runs ``python -m pipeline run`` once and judges each case
   (``tests.support.corpus.judge``): filed with the right documents, or in ``inbox/失败/`` with a reason
   naming the problem, or (registers) good rows filed and bad rows in ``<名>.待修正.xlsx``.
   Then the same corpus once more through a running ``zhibu watch`` (skip with ``--no-watch``).
2. **Chaos**: ``--rounds`` SIGKILLs of ``zhibu watch`` at random moments while it files ``--files``
   inputs (``tests.test_chaos.run_chaos``: bad notes, corrections, duplicates; the workspace is
   checked after most kills and at the end).
3. **Faults** (``tests/support/fault_cases.py``): personal data under any header, odd names,
   a name taken in 失败/, full and read-only disks, a filing waiting on a held file, a lost or
   damaged index, a deleted lock. Per family: cases tried, held, lost inputs, leaked values,
   tracebacks shown (run as root for the cases that mount a small file system).

Prints: cases tried, cases handled as expected, originals lost, chaos rounds survived, and the
per-case table (Markdown, Chinese). ``--docs PATH`` also writes that report as a Markdown page.
Exit status 1 when a case is not handled as expected, an original is lost or a check fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # runs from a checkout without installing the package

from tests.support.corpus import CASES, EXPECT_LABELS, judge  # noqa: E402
from tests.support.fault_cases import FAULTS  # noqa: E402
from tests.support.watch import WatchProcess, env, inbox_inputs, init_workspace, wait_until  # noqa: E402
from tests.test_chaos import run_chaos  # noqa: E402


def run_corpus(base: Path) -> tuple[list, str, float]:
    root = init_workspace(base / "corpus")
    for case in CASES:
        case.make(root / "inbox" / case.file)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(root)],
        cwd=ROOT,
        env=env(),
        capture_output=True,
        timeout=1800,
    )
    seconds = time.perf_counter() - start
    output = proc.stdout.decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"zhibu run crashed ({proc.returncode}):\n{proc.stderr.decode('utf-8', 'replace')}")
    verdicts = [judge(root, case, output) for case in CASES]
    if [p for p in (root / "inbox").iterdir() if p.name != "失败"]:
        raise SystemExit("inputs left in the inbox after zhibu run")
    return verdicts, output, seconds


def run_corpus_watch(base: Path) -> tuple[list, float]:
    root = init_workspace(base / "corpus-watch")
    half = len(CASES) // 2
    for case in CASES[:half]:
        case.make(root / "inbox" / case.file)
    w = WatchProcess(root, settle=0.2, tag="corpus-watch")
    start = time.perf_counter()
    try:
        w.wait_ready()
        for case in CASES[half:]:
            case.make(root / "inbox" / case.file)
        wait_until(
            lambda: not inbox_inputs(root) and not (root / "inbox" / "链接.txt").is_symlink(),
            timeout=1800,
            what="the watcher to handle the corpus",
        )
        seconds = time.perf_counter() - start
        w.stop(signal.SIGTERM)
    finally:
        w.close()
    return [judge(root, case) for case in CASES], seconds


def run_faults(base: Path, say=print) -> list:
    """Every fault case (tests/fault_cases.py) in its own workspace; cases that need root are
    skipped (and not counted) when not running as root."""
    verdicts = []
    for i, fault in enumerate(FAULTS):
        if fault.needs_root and (not hasattr(os, "geteuid") or os.geteuid() != 0):
            say(f"  skipped (needs root): {fault.family} {fault.name}")
            continue
        folder = base / f"fault-{i}"
        folder.mkdir(parents=True)
        verdict = fault.try_it(folder)
        verdicts.append(verdict)
        say(f"  {'held' if verdict.held else 'BROKE'}: {fault.family} {fault.name} {verdict.problems[:2]}")
    return verdicts


def fault_markdown(verdicts) -> list[str]:
    families: dict[str, list] = {}
    for v in verdicts:
        families.setdefault(v.fault.family, []).append(v)
    lines = [
        "",
        "## 真实电脑上的故障",
        "",
        "每个用例在一个新建的工作区里制造一种故障，运行真实的 zhibu 命令（子进程），然后用同一套标准判定"
        "（`tests/faults.py`）：**丢失的输入**（既不在收件箱、也不在 失败/、也没有归档）、**泄露的敏感值**"
        "（身份证号、手机号出现在 zhibu 写出的任何文件或屏幕输出里）、**给用户看到的 Python 报错**（traceback），"
        "以及该用例自己的要求（提示属实、文件去了该去的地方）。",
        "",
        "| 故障类别 | 用例 | 守住 | 丢失的输入 | 泄露的敏感值 | 显示的报错 |",
        "|---|---|---|---|---|---|",
    ]
    for family, vs in families.items():
        lines.append(
            f"| {family} | {len(vs)} | **{sum(v.held for v in vs)}** | {sum(v.lost for v in vs)} | "
            f"{sum(v.leaked for v in vs)} | {sum(v.tracebacks for v in vs)} |"
        )
    lines.append(
        f"| **合计** | {len(verdicts)} | **{sum(v.held for v in verdicts)}** | {sum(v.lost for v in verdicts)} | "
        f"{sum(v.leaked for v in verdicts)} | {sum(v.tracebacks for v in verdicts)} |"
    )
    lines += ["", "| # | 类别 | 用例 | 判定 |", "|---|---|---|---|"]
    for i, v in enumerate(verdicts, start=1):
        mark = "✓" if v.held else "✗ " + _cell("；".join(v.problems))[:100]
        lines.append(f"| {i} | {v.fault.family} | {_cell(v.fault.name)} | {mark} |")
    return lines


def markdown(
    verdicts, watch_verdicts, report, run_seconds, watch_seconds, chaos_seconds, args, faults=None
) -> str:
    handled = sum(v.ok for v in verdicts)
    lost = sum(v.lost for v in verdicts) + sum(v.lost for v in watch_verdicts or [])
    counts = report.counts if report else {}
    lines = [
        "## 数字",
        "",
        f"测于 {dt.date.today().isoformat()}，{platform.system()} {platform.machine()}，{os.cpu_count()} 核，"
        f"Python {platform.python_version()}；命令：`python benchmarks/robustness.py --rounds {args.rounds} "
        f"--files {args.files} --seed {report.seed if report else '-'}`。",
        "",
        "| 项目 | 结果 |",
        "|---|---|",
        f"| 坏输入用例（`zhibu run`） | {len(verdicts)} 个，按预期处理 **{handled}** 个（{run_seconds:.1f} 秒） |",
    ]
    if watch_verdicts is not None:
        lines.append(
            f"| 同一批用例（`zhibu watch`） | 按预期处理 **{sum(v.ok for v in watch_verdicts)}** 个"
            f"（{watch_seconds:.1f} 秒） |"
        )
    lines.append(f"| 丢失的原件 | **{lost}** |")
    if report:
        lines += [
            f"| 混沌测试：`zhibu watch` 被 SIGKILL 的次数 | {report.rounds} 次（其中 {report.kills_mid_filing} 次"
            f"留下了做到一半的归档，由下次启动恢复） |",
            f"| 每次被杀后工作区一致（检查 {report.checks} 次） | **{report.survived}/{report.rounds}** 轮"
            f"{'，最终检查通过' if report.final_consistent else '，最终检查未通过'} |",
            f"| 混沌测试的输入 | {counts.get('dropped', 0)} 个文件（{counts.get('inputs', 0)} 份不同内容）："
            f"归档 {counts.get('filed', 0)}、移到 失败/ {counts.get('failed', 0)}、更正后进入历史版本 "
            f"{counts.get('history', 0)}；用时 {chaos_seconds:.0f} 秒 |",
        ]
    if faults is not None:
        lines += fault_markdown(faults)
    lines += [
        "",
        "## 每个用例",
        "",
        "| # | 用例 | 文件名 | 预期 | 实际结果 | 判定 |",
        "|---|---|---|---|---|---|",
    ]
    for i, v in enumerate(verdicts, start=1):
        file = v.case.file if len(v.case.file) <= 24 else v.case.file[:21] + "…"
        outcome = v.outcome if len(v.outcome) <= 70 else v.outcome[:69] + "…"
        mark = "✓" if v.ok else "✗ " + "；".join(v.problems)[:80]
        lines.append(
            f"| {i} | {v.case.name} | `{_cell(file)}` | {EXPECT_LABELS[v.case.expect]} | {_cell(outcome)} | {mark} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


DOC_HEAD = """# 健壮性：坏输入、崩溃与恶意内容

本页由 `python benchmarks/robustness.py --docs docs/robustness.md` 生成，数字是实测结果。

- **坏输入用例集**（`tests/support/corpus.py`）：每个用例往收件箱里放一个文件，说明它应有的结局：
  归档（生成正确的文档、原件存入 原始材料/），或者移到 `inbox/失败/` 并在 `.原因.txt` 里写明问题，
  或者（登记表）好的行归档、坏的行另存为 `inbox/失败/<名>.待修正.xlsx`。全部用例一次放进收件箱，
  用 `zhibu run` 处理一遍；再用一个正在运行的 `zhibu watch` 处理一遍。任何一个用例都不能让整次运行出错，
  任何原件都不能丢失。
- **混沌测试**（`tests/test_chaos.py`）：`zhibu watch` 处理几百个文件（其中有缺日期的坏笔记、同一会议的更正稿、
  完全相同的副本）时，在随机时刻被 `kill -9`（启动和恢复期间、两个文件之间、归档进行到一半时），然后重新启动。
  每次被杀后检查：每个输入恰好出现一次（已归档的原件或 失败/ 里带原因的文件），没有 `*.zhibu-tmp` 临时文件，
  没有残缺的文档（每个 .docx 都能打开，并含有它所来自笔记的唯一标记），索引与磁盘上的文件一一对应，
  索引里待完成的归档记录（journal 表）为空。
- **恶意内容**（`tests/test_hostile.py`）：笔记和表格里的 Jinja 语法原样输出；试图访问 Python 内部对象的模板被沙箱拦截；
  含 `../`、盘符的标题不会把文件放到归档之外；程序写出的表格单元格永远不会变成公式；压缩炸弹和 XML 实体膨胀在解析前被拒绝；
  名册里的身份证号、电话不会出现在任何生成的文件、索引、屏幕输出或日志里。
- **真实电脑上的故障**（`tests/support/fault_cases*.py`）：任何位置、任何表头（简体、繁体、英文）下的敏感列，
  以及没有表头的身份证号和手机号；GBK 编码的文件名、命名管道、无权读取的子文件夹、`..txt` 和 `...`；
  `失败/` 里已有同名的东西；磁盘已满、只读或文件数（inode）用完；更正稿归档时旧版本被占用；索引被删除、截断、写坏、
  来自较新版本；`zhibu watch` 运行时锁文件被删除；错误值单元格；outbox 被移走后的重复文件；还在写入的文件；
  拖回的原因说明；快捷方式；从微信复制的姓名；笔记正文里的号码；改了日期的更正稿；扩展名和内容不符；
  10 万行的笔记；GBK 编码的搜索词；`inbox`、`outbox`、`.zhibu` 是文件；模板被删除；没有修改就放回的待修正表格。

"""


DOC_TAIL = """
## 测试中发现并修复的问题

1. 会议登记表同时有“日期”和“时间”两列时，“时间”被当成第二个日期列而被忽略，会议记录里没有开会时刻。
   现在“日期”旁边的“时间”列按开会时刻读取（用例 67）。
2. 两列被识别为同一字段（例如两个“日期”）时只读取第一列，却不作任何提示；现在提醒
   “有2列都是「日期」……只读取了第一列”（用例 51）。
3. 只有表头的登记表，原因只写“文件里没有找到可以处理的内容”；现在写明“只有表头，没有数据行”（用例 52、64）。
4. 登记表只在隐藏的工作表里时，原因写成“工作表都是空的”；现在写明隐藏的工作表没有读取，以及怎样取消隐藏（用例 62）。
5. 表头的括号说明里带冒号（如“应到（单位：人）”）时整列不被识别；星号写在括号说明前（如“联系电话*（必填）”）时也不被识别，
   这样的敏感列在归档副本中不会被清空。现在都能识别（`tests/test_properties_sheets.py` 发现）。
6. 压缩比不高的“炸弹”：1.5 MB 的 .xlsx，共享字符串解压后 150 MB，处理时占用 524 MB 内存；58 MB 的 .docx 含 119 MB 文字，
   占用 1.5 GB 内存、耗时 4 分钟。现在需要整块读入内存的部件（.docx 的 XML 部件超过 20 MB，.xlsx 中工作表以外的部件超过
   50 MB）在解析之前就被拒绝（用例 72，`tests/test_hostile.py`，同一批炸弹处理时进程峰值内存约 80 MB）。
7. 表头在第 40 行以下、或前面有很多空行时，名册的归档副本里身份证号和电话没有清空；`ID`、`Phone`、`手機號碼`、
   `紧急联系人电话` 等列名不被识别为敏感列，隐藏工作表和签到表里的也一样，而运行结果却说“已清空”。现在每张工作表的每一行都检查
   表头，并且任何像身份证号（校验位正确）或手机号的单元格都会在归档副本中清空；提示写明清空了哪些列。
8. GBK 编码的文件名让运行摘要崩溃；命名管道、`..txt`、`...` 永远留在收件箱里没人提；`失败/` 里有同名的失效快捷方式时，
   文件留在收件箱、每次运行多记一条失败记录。现在都会被处理、安全打印、归档或移到 `失败/`（另取名字），只报一次。
9. 磁盘已满或 outbox 只读时，正常的笔记被当作“内部错误”移到 `失败/`。现在运行停止，给出中文说明，输入原样留在收件箱。
10. 更正稿的旧版本被 Word 打开时，之后每次 `run`、`watch` 启动都报 PermissionError；索引被删除时悄悄新建空索引，
    重复的文件再归档成“(2)”；索引截断或 journal 坏行让所有命令报错。现在：恢复不了的一项说明原因、其余照常；
    索引有问题时提示运行新命令 `zhibu doctor`，它根据已归档的原件和文档重建索引。
11. `zhibu watch` 运行时删掉 `.zhibu/lock` 再启动 `zhibu run`，两个程序同时处理同一批文件。现在每次归档前都核对锁文件，
    被删就重新加锁，别人已持有就停止。

## 没有覆盖的

- 模板的运算量：沙箱挡住了对 Python 内部对象的访问，但不限制模板里的运算（例如 `{{ 'x' * 10**9 }}` 会占用 1 GB 内存）。
  模板由支部自己维护，不是外来输入。
- 断电：混沌测试用 `kill -9`，没有模拟断电；断电时的持久性靠提交协议里的 fsync（见 `pipeline/archive/commit.py`），只经过审阅。
- Windows：混沌测试和 `zhibu watch` 的用例需要 POSIX 信号，在 Windows 上跳过。
- 数量型的负担：一张几十万行的会议登记表会生成几十万份文档，没有数量上限。
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=20, help="SIGKILLs of zhibu watch (default 20; 0: no chaos)"
    )
    parser.add_argument("--files", type=int, default=200, help="inputs of the chaos run (default 200)")
    parser.add_argument("--seed", type=int, default=None, help="chaos seed (default: random, printed)")
    parser.add_argument("--no-watch", action="store_true", help="skip the corpus run through zhibu watch")
    parser.add_argument(
        "--no-faults", action="store_true", help="skip the fault cases (tests/fault_cases.py)"
    )
    parser.add_argument("--docs", type=Path, default=None, help="also write the report to this Markdown file")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    logging.getLogger("zhibu").addHandler(logging.NullHandler())  # the in-process recoveries log; stay quiet

    base = Path(tempfile.mkdtemp(prefix="zhibu-robustness-"))
    try:
        print(f"workspace: {base}")
        print(f"corpus: {len(CASES)} cases through zhibu run …", flush=True)
        verdicts, _, run_seconds = run_corpus(base)
        watch_verdicts, watch_seconds = (None, 0.0)
        if not args.no_watch:
            print("corpus through zhibu watch …", flush=True)
            watch_verdicts, watch_seconds = run_corpus_watch(base)
        report, chaos_seconds = None, 0.0
        if args.rounds > 0:
            print(f"chaos: {args.rounds} kills, {args.files} files, seed {seed} …", flush=True)
            start = time.perf_counter()
            report = run_chaos(
                base / "chaos",
                seed=seed,
                rounds=args.rounds,
                files=args.files,
                say=lambda line: print(line, flush=True),
                deadline=1800,
            )
            chaos_seconds = time.perf_counter() - start
        faults = None
        if not args.no_faults:
            print(f"faults: {len(FAULTS)} cases …", flush=True)
            faults = run_faults(base / "faults", say=lambda line: print(line, flush=True))
    finally:
        shutil.rmtree(base, ignore_errors=True)

    handled = sum(v.ok for v in verdicts)
    lost = sum(v.lost for v in verdicts) + sum(v.lost for v in watch_verdicts or [])
    print()
    print(f"cases tried:              {len(verdicts)}")
    print(f"cases handled (expected): {handled}/{len(verdicts)} (zhibu run, {run_seconds:.1f} s)")
    if watch_verdicts is not None:
        print(
            f"                          {sum(v.ok for v in watch_verdicts)}/{len(watch_verdicts)} "
            f"(zhibu watch, {watch_seconds:.1f} s)"
        )
    print(f"originals lost:           {lost}")
    if faults is not None:
        print(
            f"faults:                   {len(faults)} tried, {sum(v.held for v in faults)} held, "
            f"lost inputs {sum(v.lost for v in faults)}, leaked values {sum(v.leaked for v in faults)}, "
            f"tracebacks shown {sum(v.tracebacks for v in faults)}"
        )
    if report:
        print(
            f"chaos rounds survived:    {report.survived}/{report.rounds} (consistent; {report.checks} checks, "
            f"final {'consistent' if report.final_consistent else 'INCONSISTENT'}; seed {report.seed}; "
            f"{report.kills_mid_filing} kills left a filing half done; {chaos_seconds:.0f} s)"
        )
        print(f"chaos inputs:             {report.counts}")
        for error in report.errors:
            print(f"  ERROR {error}")
    print()
    table = markdown(
        verdicts,
        watch_verdicts,
        report,
        run_seconds,
        watch_seconds,
        chaos_seconds,
        argparse.Namespace(rounds=args.rounds, files=args.files),
        faults,
    )
    print(table)
    if args.docs:
        args.docs.parent.mkdir(parents=True, exist_ok=True)
        args.docs.write_text(DOC_HEAD + table + DOC_TAIL, encoding="utf-8")
        print(f"written: {args.docs}")
    bad = [v for v in verdicts + (watch_verdicts or []) if not v.ok] + [v for v in faults or [] if not v.held]
    return 1 if bad or lost or (report and (report.errors or not report.final_consistent)) else 0


if __name__ == "__main__":
    sys.exit(main())
