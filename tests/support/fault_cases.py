"""The fault cases (see ``tests/faults.py``), by family."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pipeline.store import Store
from tests.support.faults import (
    IDS,
    PHONES,
    REPO,
    SECRETS,
    Fault,
    Ran,
    Trial,
    archived_copies,
    csv_bytes,
    env,
    failure_rows,
    file_text,
    fill,
    in_inbox_unchanged,
    mount_tmpfs,
    note,
    remount_read_only,
    roster_rows,
    xlsx,
)

# --- 隐私：敏感列在任何位置、任何表头下都被清空 ---------------------------------------------------


def _archived_without_secrets(*labels: str, secrets=SECRETS, cells: bool = False):
    """The register was archived, its copy keeps ``labels`` and lost every secret; the run said so."""

    def check(t: Trial) -> list[str]:
        copies = archived_copies(t)
        if not copies:
            return [f"not archived: {t.output[-400:]}"]
        text = "\n".join(file_text(p) for p in copies)
        problems = [f"label {label} gone from the copy" for label in labels if label not in text]
        said = "归档的副本中已清空"
        if said not in t.output:
            problems.append("the run did not say what it blanked")
        for label in labels:
            if f"「{label}」" not in t.output.split(said, 1)[-1]:
                problems.append(f"the message does not name {label}")
        if cells and "像身份证号或手机号的单元格" not in t.output:
            problems.append("the message does not mention the blanked cells")
        return problems

    return check


def _drop_run(name: str, data: bytes):
    def act(t: Trial) -> None:
        t.drop(name, data)
        t.run()

    return act


def _deep_xlsx() -> bytes:
    rows = [["党员名册（2024年9月）"]] + [[]] * 43 + roster_rows(("身份证号", "联系电话"))
    return xlsx([("名册", rows, False)])


def _deep_csv() -> bytes:
    return csv_bytes([[]] * 50 + roster_rows(("ID No.", "Mobile No.")))


def _hidden_sheet() -> bytes:
    clean = [r[:4] + r[6:] for r in roster_rows(("身份证号", "联系电话"))]
    hidden = [["姓名", "Phone", "备注"], ["沈轶娜", PHONES[0], "旧表"], ["夏渊", PHONES[1], ""]]
    return xlsx([("党员名册", clean, False), ("旧数据", hidden, True)])


def _signin_sheet() -> bytes:
    rows = [
        ["支委会签到表（2024年10月8日）"],
        ["姓名", "签到", "Phone", "备注"],
        ["沈轶娜", "沈轶娜", PHONES[0], ""],
        ["夏渊", "夏渊", PHONES[1], ""],
        ["缪巧军", "", PHONES[2], "出差"],
    ]
    return xlsx([("2024-10-08 支委会签到", rows, False)])


def _values_only() -> bytes:
    head = ["序号", "姓名", "性别", "党员类别", "备注", "其他"]
    rows = [
        head,
        [1, "沈轶娜", "女", "正式", f"证件 {IDS[0]}", PHONES[2]],
        [2, "夏渊", "男", "正式", PHONES[1], IDS[1]],
        [3, "缪巧军", "男", "预备", "", ""],
    ]
    return xlsx([("党员名册", rows, False)])


def _not_an_id(t: Trial) -> list[str]:
    """18 digits with a wrong check digit, 10-digit numbers: not personal data, kept."""
    copies = archived_copies(t)
    text = "\n".join(file_text(p) for p in copies)
    keep = ["310115198503070018", "2024100801"]
    return [f"{k} was blanked" for k in keep if k not in text] or ([] if copies else ["not archived"])


def _wrong_check() -> bytes:
    head = ["序号", "姓名", "性别", "党员类别", "编号", "联系电话"]
    rows = [
        head,
        [1, "沈轶娜", "女", "正式", "310115198503070018", PHONES[0]],
        [2, "夏渊", "男", "正式", 2024100801, ""],
    ]
    return xlsx([("党员名册", rows, False)])


PRIVACY = "隐私"
FAULTS: list[Fault] = [
    Fault(PRIVACY, "表头在第45行的名册（.xlsx）", _drop_run("名册/党员名册.xlsx", _deep_xlsx()),
          _archived_without_secrets("身份证号", "联系电话"), tuple(SECRETS)),
    Fault(PRIVACY, "50个空行之后的表头，英文列名 ID No./Mobile No.（.csv）", _drop_run("名册/党员名册.csv", _deep_csv()),
          _archived_without_secrets("ID No.", "Mobile No."), tuple(SECRETS)),
    Fault(PRIVACY, "英文列名 ID / Phone", _drop_run("党员名册.xlsx", xlsx([("党员名册", roster_rows(("ID", "Phone")), False)])),
          _archived_without_secrets("ID", "Phone"), tuple(SECRETS)),
    Fault(PRIVACY, "英文列名 Tel / E-mail", _drop_run("党员名册.xlsx", xlsx([("党员名册", roster_rows(("Tel", "E-mail"), values=[(p, f"{i}x@example.edu.cn") for i, p in enumerate(PHONES)]), False)])),
          _archived_without_secrets("Tel", "E-mail"), tuple(SECRETS) + ("0x@example.edu.cn", "1x@example.edu.cn")),
    Fault(PRIVACY, "繁体列名 手機號碼 / 身份證號碼", _drop_run("党员名册.xlsx", xlsx([("党员名册", roster_rows(("身份證號碼", "手機號碼")), False)])),
          _archived_without_secrets("身份證號碼", "手機號碼"), tuple(SECRETS)),
    Fault(PRIVACY, "列名 固定电话 / 紧急联系人电话", _drop_run("党员名册.xlsx", xlsx([("党员名册", roster_rows(("固定电话", "紧急联系人电话")), False)])),
          _archived_without_secrets("固定电话", "紧急联系人电话"), tuple(SECRETS)),
    Fault(PRIVACY, "隐藏工作表里的 Phone 列", _drop_run("党员名册.xlsx", _hidden_sheet()),
          _archived_without_secrets("Phone"), tuple(SECRETS)),
    Fault(PRIVACY, "签到表里的 Phone 列", _drop_run("签到/支委会签到.xlsx", _signin_sheet()),
          _archived_without_secrets("Phone"), tuple(SECRETS)),
    Fault(PRIVACY, "没有敏感列名，身份证号和手机号写在备注和其他列", _drop_run("党员名册.xlsx", _values_only()),
          _archived_without_secrets(cells=True), tuple(SECRETS)),
    Fault(PRIVACY, "校验位不对的18位数字、10位编号不算敏感信息", _drop_run("党员名册.xlsx", _wrong_check()),
          _not_an_id, ("13902170001",)),
]  # fmt: skip


# --- 奇怪的文件名与特殊文件：处理、安全打印、归档或移到 失败/，只报告一次 ------------------------------


def _settled(*names: str, filed: tuple[str, ...] = ()):
    """Each input (by its printed name) ended archived or in 失败/ with a reason, was named in the
    output once, and a second run finds nothing left."""

    def check(t: Trial) -> list[str]:
        problems = []
        first, second = t.runs[0].out, t.runs[-1].out
        for name in names:
            if first.count(name) < 1:
                problems.append(f"{name} not named in the summary")
        if "收件箱里没有需要处理的文件" not in second:
            problems.append(f"the second run still found something: {second[-300:]}")
        left = [p for p in t.inbox.iterdir() if p.name != "失败"]
        if left:
            problems.append(f"left in the inbox: {[os.fsencode(p.name) for p in left]}")
        reasons = [p.name for p in (t.inbox / "失败").glob("*.原因.txt")]
        for name in names:
            if name not in filed and not any(r.startswith(name) for r in reasons):
                problems.append(f"no reason file for {name}: {reasons}")
        if "内部错误" in t.output:
            problems.append("reported as an internal error")
        return problems

    return check


def _twice(act):
    def run(t: Trial) -> None:
        act(t)
        t.run()
        t.run()

    return run


def _gbk_name(t: Trial) -> None:
    t.drop("会议记录.txt".encode("gbk"), note("GBK文件名"))
    t.drop("坏笔记.txt".encode("gbk"), "没有日期的笔记\n".encode())


def _fifo(t: Trial) -> None:
    os.mkfifo(t.inbox / "管道.txt")


def _dot_names(t: Trial) -> None:
    t.drop("..txt", note("点点"))
    t.drop("...", b"three dots")


# --- 失败/ 里已有同名的东西：另取名字，消息属实，每次失败一行 ----------------------------------------


def _taken(kind: str):
    def act(t: Trial) -> None:
        failed = t.inbox / "失败"
        failed.mkdir(parents=True, exist_ok=True)
        if kind == "link":
            (failed / "坏.txt").symlink_to(failed / "不存在的文件.txt")
        else:
            (failed / "坏.txt").mkdir()
        t.drop("坏.txt", "没有日期的笔记\n".encode())
        t.run()
        t.run()

    return act


def _taken_check(t: Trial) -> list[str]:
    problems = []
    moved = t.inbox / "失败" / "坏 (2).txt"
    if not moved.is_file() or "没有日期" not in moved.read_text(encoding="utf-8"):
        problems.append("not moved to 失败/坏 (2).txt")
    if "已移到 inbox/失败/坏 (2).txt" not in t.runs[0].out:
        problems.append("the message does not name the true place")
    if (t.inbox / "坏.txt").exists():
        problems.append("still in the inbox")
    rows = failure_rows(t)
    if len(rows) != 1:
        problems.append(f"{len(rows)} failure rows")
    return problems


FAULTS += [
    Fault("奇怪的文件名", "GBK 编码的文件名（Linux 上解压的压缩包）", _twice(_gbk_name),
          _settled("会议记录.txt", "坏笔记.txt", filed=("会议记录.txt",))),
    Fault("奇怪的文件名", "命名管道（FIFO）", _twice(_fifo), _settled("管道.txt")),
    Fault("奇怪的文件名", "名为 ..txt 和 ... 的文件", _twice(_dot_names), _settled("..txt", "...", filed=("..txt",))),
    Fault("失败/ 里同名", "失败/ 里有同名的失效快捷方式", _taken("link"), _taken_check),
    Fault("失败/ 里同名", "失败/ 里有同名的文件夹", _taken("folder"), _taken_check),
]  # fmt: skip


def _unreadable_folder(t: Trial) -> None:
    folder = t.inbox / "私密"
    folder.mkdir()
    (folder / "会议.txt").write_bytes(note("锁住的文件夹"))
    t.inputs[hashlib.sha256(note("锁住的文件夹")).hexdigest()] = "私密/会议.txt"
    folder.chmod(0)
    t.run()
    t.run()
    folder_now = next((p for p in [folder, t.inbox / "失败" / "私密"] if p.exists()), None)
    if folder_now is not None:
        folder_now.chmod(0o755)  # so that the judge can look inside


def _unreadable_check(t: Trial) -> list[str]:
    """Set aside in 失败/ with a reason when it can be moved; else reported as such by every run
    (moving a folder needs the right to write it), never as a disk fault or an internal error."""
    problems = []
    moved = (t.inbox / "失败" / "私密" / "会议.txt").is_file()
    if moved and not (t.inbox / "失败" / "私密.原因.txt").is_file():
        problems.append("set aside without a reason file")
    for ran in t.runs[: 1 if moved else 2]:
        if "私密" not in ran.out or "无法打开" not in ran.out:
            problems.append(f"not reported: {ran.out[-300:]}")
    if "磁盘" in t.output or "内部错误" in t.output or "没有权限写入" in t.output:
        problems.append("reported as a disk fault or internal error")
    return problems


FAULTS += [
    Fault("奇怪的文件名", "没有读取权限的子文件夹", _unreadable_folder, _unreadable_check, needs_root=True, obey_permissions=True),
]  # fmt: skip


# --- 磁盘满与只读：停止处理，给出中文说明，输入原样留在收件箱 ----------------------------------------


def _three_inputs(t: Trial) -> None:
    t.drop("支委会1.txt", note("磁盘一", 8))
    t.drop("坏笔记.txt", "没有日期的笔记\n".encode())
    t.drop("支委会2.txt", note("磁盘二", 9))


def _outbox_fault(kind: str, command: str = "run"):
    def act(t: Trial) -> None:
        t.run()  # an empty first run: the index exists
        outbox = mount_tmpfs(t, t.root / "outbox", size="256k")
        if kind == "full":
            fill(outbox)
        else:
            remount_read_only(outbox)
        _three_inputs(t)
        if command == "watch":
            t.run("watch", "--settle", "0.2", "--polling", timeout=120)
        else:
            t.run()

    return act


def _disk_fault(kind: str):
    """The whole workspace on a small disk that is (nearly) full."""

    def act(t: Trial) -> None:
        disk = mount_tmpfs(t, t.root.parent / "disk", size="2m")
        for entry in t.root.iterdir():
            shutil.move(str(entry), disk / entry.name)
        root = t.root
        root.rmdir()
        root.symlink_to(disk, target_is_directory=True)
        t.run()
        _three_inputs(t)
        fill(disk)
        t.run()

    return act


def _stopped_untouched(word: str):
    def check(t: Trial) -> list[str]:
        last = t.runs[-1]
        problems = in_inbox_unchanged(t)
        if last.code == 0:
            problems.append("exit status 0")
        if word not in last.out or "收件箱" not in last.out:
            problems.append(f"no Chinese message ({word}): {last.out[-400:]}")
        if "内部错误" in last.out:
            problems.append("reported as an internal error")
        failed = [p.name for p in (t.inbox / "失败").iterdir()] if (t.inbox / "失败").exists() else []
        if failed:
            problems.append(f"moved to 失败/: {failed}")
        return problems

    return check


FAULTS += [
    Fault("磁盘满与只读", "outbox 所在磁盘已满（zhibu run）", _outbox_fault("full"), _stopped_untouched("磁盘空间已满"), needs_root=True),
    Fault("磁盘满与只读", "outbox 所在磁盘只读（zhibu run）", _outbox_fault("ro"), _stopped_untouched("只读"), needs_root=True),
    Fault("磁盘满与只读", "outbox 所在磁盘已满（zhibu watch）", _outbox_fault("full", "watch"), _stopped_untouched("磁盘空间已满"), needs_root=True),
    Fault("磁盘满与只读", "整个工作区所在磁盘已满", _disk_fault("full"), _stopped_untouched("磁盘空间已满"), needs_root=True),
]  # fmt: skip


# --- 恢复：上次的归档等一个被占用的文件，不妨碍其他文件 ----------------------------------------------


def _locked_old_version(t: Trial) -> None:
    """A correction whose old version cannot be moved (immutable here, open in Word on Windows),
    then a new note, then the lock released."""
    t.drop("支委会.txt", note("组织生活会筹备"))
    t.run()
    (old,) = [p for p in (t.root / "outbox").rglob("*.docx")]
    t.drop("支委会.txt", note("组织生活会筹备").replace("讨论".encode(), "改稿后讨论".encode()))
    subprocess.run(["chattr", "+i", str(old)], check=True)
    t.cleanups.append(lambda: subprocess.run(["chattr", "-i", str(old)], check=False))
    try:
        t.run()
        t.drop("党课.txt", note("另一份笔记", 9).replace("支委会".encode(), "党课".encode()))
        t.run()
    finally:
        subprocess.run(["chattr", "-i", str(old)], check=True)
    t.run()


def _locked_check(t: Trial) -> list[str]:
    problems = []
    during = t.runs[2].out
    if "[已处理] 党课.txt" not in during:
        problems.append(f"the other note was not processed: {during[-300:]}")
    if "正被其他程序" not in during or "会自动完成" not in during:
        problems.append("the waiting filing is not reported in Chinese")
    docs = sorted(p for p in (t.root / "outbox").rglob("*.docx"))
    texts = {p: file_text(p) for p in docs}
    if not any("改稿后讨论" in x for p, x in texts.items() if "历史版本" not in p.parts):
        problems.append("the correction is not the current version after the lock was released")
    if not any(
        "改稿后讨论" not in x and "组织生活会筹备" in x for p, x in texts.items() if "历史版本" in p.parts
    ):
        problems.append("the old version is not in 历史版本")
    if list((t.root / "outbox").rglob("*.zhibu-tmp")):
        problems.append("temporary files left")
    return problems


FAULTS += [
    Fault("恢复", "更正稿归档时旧版本被占用，之后又放入新笔记", _locked_old_version, _locked_check, needs_root=True, slow=True),
]  # fmt: skip


# --- 索引：丢失、截断、坏的归档记录：提示运行 zhibu doctor，重建后一切照常 -------------------------------


def _index_fault(kind: str):
    def act(t: Trial) -> None:
        t.drop("支委会.txt", note("索引测试"))
        t.drop("党课.txt", note("第二份", 9).replace("支委会".encode(), "党课".encode()))
        t.run()
        t.drop("支委会.txt", note("索引测试").replace("讨论".encode(), "改稿讨论".encode()))
        t.run()
        index = t.root / ".zhibu" / "index.sqlite3"
        for extra in ("-wal", "-shm"):
            Path(str(index) + extra).unlink(missing_ok=True)
        if kind == "deleted":
            index.unlink()
        elif kind == "truncated":
            data = index.read_bytes()
            index.write_bytes(data[: len(data) // 3])
        elif kind == "garbage":
            index.write_bytes(b"\0garbage" * 500)
        else:
            with Store(index) as store, store.transaction():
                store.add_journal({"moves": 5})  # a filing whose renames cannot be read
        t.drop("党课副本.txt", note("第二份", 9).replace("支委会".encode(), "党课".encode()))  # a duplicate
        for command in ("run", "status", "search"):
            t.run(*([command, "讨论"] if command == "search" else [command]))
        t.run("doctor")
        t.run()
        t.run("status")

    return act


def _index_check(t: Trial) -> list[str]:
    problems = []
    before = t.runs[2:5]
    for ran in before:
        if ran.code == 0 or "zhibu doctor" not in ran.out:
            problems.append(f"not told to run zhibu doctor: {ran.out[-200:]}")
    doctor, after, status = t.runs[5], t.runs[6], t.runs[7]
    if doctor.code != 0 or "索引已重建" not in doctor.out:
        problems.append(f"doctor did not rebuild: {doctor.out[-300:]}")
    if "[重复] 党课副本.txt" not in after.out:
        problems.append(f"the duplicate was not recognized after the rebuild: {after.out[-300:]}")
    if status.code not in (0, 1) or "zhibu doctor" in status.out:
        problems.append(f"status after the rebuild: {status.out[-200:]}")
    docs = [p for p in (t.root / "outbox").rglob("*.docx")]
    if any(" (2)" in p.name for p in docs):
        problems.append("a document was filed again as (2)")
    con = sqlite3.connect(t.root / ".zhibu" / "index.sqlite3")
    active = [r[0] for r in con.execute("SELECT path FROM outputs WHERE active = 1")]
    history = [r[0] for r in con.execute("SELECT path FROM outputs WHERE active = 0")]
    con.close()
    if len(active) != 2 or len(history) != 1 or "历史版本" not in history[0]:
        problems.append(f"rebuilt index: active {active}, history {history}")
    return problems


FAULTS += [
    Fault("索引", "索引文件被删除", _index_fault("deleted"), _index_check, slow=True),
    Fault("索引", "索引文件被截断", _index_fault("truncated"), _index_check, slow=True),
    Fault("索引", "索引文件被写坏（不是数据库）", _index_fault("garbage"), _index_check, slow=True),
    Fault("索引", "索引里有一条坏的归档记录（journal）", _index_fault("journal"), _index_check, slow=True),
]  # fmt: skip


# --- 锁：.zhibu/lock 在 zhibu watch 运行时被删掉，又启动了 zhibu run ------------------------------------


LOCK_INPUTS = 150


def _lock_deleted(t: Trial) -> None:
    watch = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", "-w", str(t.root), "--settle", "0.3", "--polling"],
        cwd=REPO,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not (t.root / ".zhibu" / "lock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        for i in range(LOCK_INPUTS):
            t.drop(f"会议{i:03d}.txt", note(f"锁测试{i:03d}", 1 + i % 28))
        while not list((t.root / "outbox").rglob("*.docx")) and time.monotonic() < deadline + 60:
            time.sleep(0.05)  # the watcher is filing
        (t.root / ".zhibu" / "lock").unlink()
        t.run()
        deadline = time.monotonic() + 120
        while [p for p in t.inbox.iterdir() if p.name != "失败"] and time.monotonic() < deadline:
            if watch.poll() is not None:
                break
            time.sleep(0.5)
        t.run()  # whatever the watcher left, if it stopped
    finally:
        if watch.poll() is None:
            watch.send_signal(signal.SIGTERM)
        out, _ = watch.communicate(timeout=60)
        t.runs.append(Ran(watch.returncode, out.decode("utf-8", "replace")))


def _lock_check(t: Trial) -> list[str]:
    problems = []
    con = sqlite3.connect(t.root / ".zhibu" / "index.sqlite3")
    sources = [r[0] for r in con.execute("SELECT original_name FROM sources")]
    docs = [r[0] for r in con.execute("SELECT path FROM outputs WHERE active = 1")]
    con.close()
    if sorted(sources) != sorted(set(sources)) or len(sources) != LOCK_INPUTS:
        problems.append(f"{len(sources)} sources for {LOCK_INPUTS} inputs")
    if len(docs) != LOCK_INPUTS or any(" (2)" in d for d in docs):
        problems.append(f"{len(docs)} documents for {LOCK_INPUTS} inputs")
    # At most the one file the watcher was filing when the run listed the inbox.
    if t.output.count("处理过程中被移走") + t.output.count("处理过程中被修改") > 1:
        problems.append("two processors worked on the same inputs")
    if [p for p in t.inbox.iterdir() if p.name != "失败"]:
        problems.append("inputs left in the inbox")
    return problems


FAULTS += [
    Fault("锁", "zhibu watch 运行时 .zhibu/lock 被删除，又启动 zhibu run", _lock_deleted, _lock_check, slow=True),
]  # fmt: skip


def _bad_rows_with_phone() -> bytes:
    head = ["序号", "姓名", "性别", "党员类别", "备注"]
    rows = [head, [1, "沈轶娜", "女", "正式", ""], [2, "", "男", "正式", f"电话 {PHONES[1]}"]]
    rows.append([3, "夏渊", "男", "正式", IDS[2]])
    return xlsx([("党员名册", rows, False)])


def _correction_clean(t: Trial) -> list[str]:
    fixes = list((t.inbox / "失败").glob("*.待修正.xlsx"))
    return [] if fixes else ["no correction workbook"]


FAULTS += [
    Fault(PRIVACY, "坏行的备注里有手机号：待修正表里也不出现", _drop_run("党员名册.xlsx", _bad_rows_with_phone()),
          _correction_clean, tuple(SECRETS)),
]  # fmt: skip


def _odd_names_watch(t: Trial) -> None:
    watch = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", "-w", str(t.root), "--settle", "0.3", "--polling"],
        cwd=REPO,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not (t.root / ".zhibu" / "lock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)
        _gbk_name(t)
        _fifo(t)
        t.drop("...", b"three dots")
        deadline = time.monotonic() + 60
        while [p for p in t.inbox.iterdir() if p.name != "失败"] and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(1)
    finally:
        watch.send_signal(signal.SIGTERM)
        out, _ = watch.communicate(timeout=60)
        t.runs.append(Ran(watch.returncode, out.decode("utf-8", "replace")))
    t.run()


def _watch_settled(t: Trial) -> list[str]:
    problems = _settled("会议记录.txt", "坏笔记.txt", "管道.txt", "...", filed=("会议记录.txt",))(t)
    if "失败或未处理 3 个" not in t.runs[0].out:
        problems.append(f"the watcher's count: {t.runs[0].out[-200:]}")
    return problems


FAULTS += [
    Fault("奇怪的文件名", "zhibu watch 运行时放入 GBK 文件名、命名管道和 ...", _odd_names_watch, _watch_settled, slow=True),
]  # fmt: skip


from tests.support.fault_cases3 import FAULTS as ROUND3  # noqa: E402
from tests.support.fault_cases4 import FAULTS as ROUND3_MORE  # noqa: E402

FAULTS += ROUND3 + ROUND3_MORE
