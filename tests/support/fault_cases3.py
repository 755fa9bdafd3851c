"""Fault cases of the third round (see ``tests/support/faults.py``): one bad cell, a duplicate of
nothing, a note still being written, zhibu's own files dragged back, links, names as copied."""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from tests.support.faults import (
    IDS,
    REPO,
    SECRETS,
    Fault,
    Ran,
    Trial,
    archived_copies,
    env,
    file_text,
    note,
    roster_rows,
    xlsx,
)

ROSTER = [
    ["序号", "姓名", "性别", "党员类别", "所在党小组"],
    [1, "沈轶娜", "女", "正式", "第一党小组"],
    [2, "夏渊", "男", "正式", "第一党小组"],
    [3, "缪巧军", "男", "正式", "第一党小组"],
]


def watch_until(t: Trial, act: Callable[[], None], done: Callable[[], bool], timeout: float = 90) -> None:
    """A real ``zhibu watch`` (polling, settle 0.3 s) while ``act`` drops the inputs, stopped with
    SIGTERM once ``done`` holds (or after ``timeout``); its output joins the trial's."""
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
        act()
        deadline = time.monotonic() + timeout
        while not done() and time.monotonic() < deadline and watch.poll() is None:
            time.sleep(0.3)
        time.sleep(0.5)
    finally:
        if watch.poll() is None:
            watch.send_signal(signal.SIGTERM)
        out, _ = watch.communicate(timeout=60)
        t.runs.append(Ran(watch.returncode, out.decode("utf-8", "replace")))


def inbox_left(t: Trial) -> list[Path]:
    return [p for p in t.inbox.rglob("*") if p.is_file() and "失败" not in p.relative_to(t.inbox).parts]


def reasons(t: Trial) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (t.inbox / "失败").glob("*.原因.txt"))


def minutes_texts(t: Trial) -> list[str]:
    return [file_text(p) for p in (t.root / "outbox").rglob("*.docx") if "历史版本" not in p.parts]


# --- 一个错误值单元格：只影响这一个登记表，其余照常归档 ------------------------------------------------


def _error_cells() -> bytes:
    data = xlsx([("党员名册", ROSTER, False)])
    from io import BytesIO

    wb = load_workbook(BytesIO(data))
    ws = wb["党员名册"]
    for ref, value in (("C2", "#N/A"), ("B3", "#REF!"), ("D4", "#DIV/0!")):
        ws[ref].value = value
        ws[ref].data_type = "e"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _drop_error_register(t: Trial) -> None:
    t.drop("党员名册.xlsx", _error_cells())
    t.drop("支委会.txt", note("错误值单元格"))


def _error_cell_run(t: Trial) -> None:
    _drop_error_register(t)
    t.run()


def _error_cell_watch(t: Trial) -> None:
    watch_until(t, lambda: _drop_error_register(t), lambda: not inbox_left(t))


def _error_cell_check(t: Trial) -> list[str]:
    problems = []
    if not re.search(r"\[?已处理\]? 支委会\.txt", t.output):
        problems.append(f"the note beside it was not filed: {t.output[-400:]}")
    said = t.output + reasons(t)
    for word in ("党员名册.xlsx", "工作表「党员名册」", "第3行", "#REF!"):
        if word not in said:
            problems.append(f"the reason does not name {word}")
    if "内部错误" in t.output or "CellProblem" in t.output:
        problems.append("reported as an internal error")
    if inbox_left(t):
        problems.append(f"left in the inbox: {inbox_left(t)}")
    return problems


FAULTS: list[Fault] = [
    Fault("错误值单元格", "名册前几行有 #N/A、#REF!、#DIV/0!（zhibu run）", _error_cell_run, _error_cell_check),
    Fault("错误值单元格", "名册前几行有 #N/A、#REF!、#DIV/0!（zhibu watch）", _error_cell_watch, _error_cell_check,
          slow=True),
]  # fmt: skip


# --- 重复文件：只有磁盘上真有归档副本时才删除 ----------------------------------------------------------


def _outbox_gone(t: Trial) -> None:
    t.drop("支委会.txt", note("归档被移走"))
    t.run()
    shutil.move(str(t.root / "outbox"), str(t.root.parent / "outbox-moved"))
    (t.root / "outbox").mkdir()
    t.drop("支委会.txt", note("归档被移走"))
    t.run()
    t.run("status")


def _filed_again(t: Trial) -> list[str]:
    problems = []
    if "完全相同" in t.runs[1].out:
        problems.append(f"deleted as a duplicate of nothing: {t.runs[1].out[-300:]}")
    copies = archived_copies(t)
    if not any("讨论归档被移走" in file_text(p) for p in copies):
        problems.append("the original is not archived again")
    if not any("归档被移走" in x for x in minutes_texts(t)):
        problems.append("the minutes were not made again")
    if inbox_left(t):
        problems.append("left in the inbox")
    return problems


def _register_twice(t: Trial) -> None:
    data = xlsx([("党员名册", roster_rows(("身份证号", "联系电话")), False)])
    t.drop("党员名册.xlsx", data)
    t.run()
    t.drop("党员名册.xlsx", data)
    t.run()


def _still_a_duplicate(t: Trial) -> list[str]:
    """The archived copy (personal columns blanked) is on disk: the second drop is a duplicate."""
    problems = [] if "[重复] 党员名册.xlsx" in t.runs[1].out else [f"not a duplicate: {t.runs[1].out[-300:]}"]
    if len(archived_copies(t)) != 1:
        problems.append(f"{len(archived_copies(t))} archived copies")
    return problems


FAULTS += [
    Fault("重复文件", "outbox 被移走后再放入已归档过的笔记", _outbox_gone, _filed_again),
    Fault("重复文件", "归档副本（已清空敏感列）还在时，再放入同一名册仍是重复", _register_twice, _still_a_duplicate,
          tuple(SECRETS)),
]  # fmt: skip


# --- 还在写入的文件：zhibu run 不处理，留在收件箱 ------------------------------------------------------

END = "全文完，签名：缪巧军。"


def _growing(t: Trial) -> None:
    """A writer appends a line every 0.1 s until the first run has ended, then the last line."""
    head = note("逐行记录").split("会议内容：".encode())[0] + "会议内容：\n".encode()
    path = t.inbox / "支委会.txt"
    started, run_done = threading.Event(), threading.Event()
    written: list[bytes] = [head]

    def writer() -> None:
        with open(path, "wb") as fh:
            fh.write(head)
            fh.flush()
            started.set()
            i = 0
            while not run_done.is_set():
                i += 1
                written.append(f"第{i:03d}行：逐条写入的发言内容。\n".encode())
                fh.write(written[-1])
                fh.flush()
                time.sleep(0.1)
            written.append(f"{END}\n".encode())
            fh.write(written[-1])

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(10)
    try:
        t.run()
    finally:
        run_done.set()
        thread.join()
    t.inputs[hashlib.sha256(b"".join(written)).hexdigest()] = "支委会.txt"
    t.run()


def _growing_check(t: Trial) -> list[str]:
    problems = []
    if "仍在写入" not in t.runs[0].out:
        problems.append(f"not told it is still being written: {t.runs[0].out[-300:]}")
    texts = minutes_texts(t)
    if len(texts) != 1:
        problems.append(f"{len(texts)} minutes filed")
    elif END not in texts[0]:
        problems.append("filed cut off")
    return problems


FAULTS += [
    Fault("未写完的文件", "zhibu run 时笔记仍在逐行写入", _growing, _growing_check),
]  # fmt: skip


# --- zhibu 自己写的原因说明被拖回收件箱：不当作输入读取 ---------------------------------------------------


def _reason_back(t: Trial) -> None:
    undated = note("拖回的笔记").replace("时间：2024年10月8日 14:30\n".encode(), b"")
    t.drop("支委会.txt", undated)
    t.run()
    del t.inputs[hashlib.sha256(undated).hexdigest()]  # replaced by its fixed version below
    failed = t.inbox / "失败"
    reason = failed / "支委会.txt.原因.txt"
    t.inputs[hashlib.sha256(reason.read_bytes()).hexdigest()] = reason.name
    shutil.move(str(reason), str(t.inbox / reason.name))
    (failed / "支委会.txt").unlink()
    t.drop("支委会.txt", note("拖回的笔记"))  # fixed: the date added
    t.run()
    t.run()


def _reason_check(t: Trial) -> list[str]:
    problems = []
    texts = minutes_texts(t)
    if len(texts) != 1 or "拖回的笔记" not in texts[0]:
        problems.append(f"{len(texts)} minutes filed")
    if [p for p in (t.root / "outbox").rglob("*原因*")]:
        problems.append("the reason file was archived")
    said = t.runs[1].out
    if "支委会.txt.原因.txt" not in said or "没有当作" not in said:
        problems.append(f"not told the reason file was skipped: {said[-300:]}")
    if not list(t.inbox.rglob("支委会.txt.原因.txt")):
        problems.append("the reason file is gone")
    return problems


def _own_name_not_ours(t: Trial) -> None:
    t.drop("支委会.原因.txt", note("名字像原因文件"))
    t.run()


FAULTS += [
    Fault("自己的文件", "修改后的笔记和它的 .原因.txt 一起拖回收件箱", _reason_back, _reason_check),
    Fault("自己的文件", "名字以 .原因.txt 结尾、内容是真正的会议笔记", _own_name_not_ours,
          lambda t: [] if any("名字像原因文件" in x for x in minutes_texts(t)) else ["the note was not filed"]),
]  # fmt: skip


# --- 快捷方式（符号链接）：照片和笔记都不会作为链接归档 ------------------------------------------------


def _jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _linked_photos(t: Trial) -> None:
    folder = t.inbox / "主题党日"
    t.drop("主题党日/支委会.txt", note("照片链接"))
    t.drop("主题党日/支委会-1-合影.jpg", _jpeg())
    stick = t.root.parent / "U盘"
    stick.mkdir()
    (stick / "现场.jpg").write_bytes(_jpeg())
    (folder / "支委会-2-现场.jpg").symlink_to(stick / "现场.jpg")
    (folder / "支委会-3-名单.jpg").symlink_to("/etc/passwd")
    t.drop("主题党日/坏照片.jpg", b"not an image at all")
    t.inputs.clear()  # photos are archived beside their note, not as sources: checked below
    t.drop("主题党日/支委会.txt", note("照片链接"))
    t.run()
    t.run()


def _linked_check(t: Trial) -> list[str]:
    problems = []
    outbox = t.root / "outbox"
    links = [p for p in outbox.rglob("*") if p.is_symlink()]
    if links:
        problems.append(f"archived as links: {links}")
    if any("root:" in file_text(p) for p in outbox.rglob("*") if p.is_file()):
        problems.append("/etc/passwd copied into the archive")
    said = t.runs[0].out
    if "2 张照片中 1 张已放入记录，1 张无法读取：「坏照片.jpg」" not in said or "坏照片.jpg" not in said:
        problems.append(f"the photo count is not true: {said[-500:]}")
    for name in ("支委会-2-现场.jpg", "支委会-3-名单.jpg"):
        if name not in said:
            problems.append(f"{name} not named")
    if "[已处理] 主题党日/支委会.txt" not in said:
        problems.append("the note was not filed")
    beside = {p.name for p in outbox.rglob("*.jpg") if "照片" in p.parent.name and p.is_file()}
    if beside != {"支委会-1-合影.jpg", "坏照片.jpg"}:
        problems.append(f"photos archived beside the note: {beside}")
    return problems


FAULTS += [
    Fault("快捷方式", "笔记的照片是指向 U 盘和 /etc/passwd 的符号链接", _linked_photos, _linked_check),
]  # fmt: skip


# --- 从微信复制的姓名：不可见字符、对齐用的空格 ---------------------------------------------------------

COMMITTEE = (
    '\n[[committee]]\nname = "沈轶娜\u200b"\nrole = "书记"\n\n[[committee]]\nname = "夏　渊"\nrole = "组织委员"\n'
    '\n[[committee]]\nname = "\ufeff缪巧军"\nrole = "宣传委员"\n'
)


def _wechat_names(t: Trial) -> None:
    """The committee in zhibu.toml and the roster copied from WeChat, the note typed plainly; and a
    second note whose list carries the hidden characters and padding."""
    toml = t.root / "zhibu.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + COMMITTEE, encoding="utf-8")
    rows = [ROSTER[0]] + [[1, "沈轶娜\u200b", "女", "正式", "第一党小组"], [2, "夏　渊", "男", "正式", "第一党小组"],
                          [3, "\ufeff缪 巧军", "男", "正式", "第一党小组"]]  # fmt: skip
    t.drop("党员名册.xlsx", xlsx([("党员名册", rows, False)]))
    t.drop("支委会.txt", note("微信名单"))
    text = (
        "会议类型：支委会\n会议主题：第二次\n时间：2024年10月9日 14:30\n主持人：\u200b沈轶娜\n记录人：缪巧军\ufeff\n"
        "参会人员：沈\u200d轶娜、夏　渊、缪 巧军\u2060\n会议内容：\n讨论第二次。\n"
    )
    t.drop("支委会2.txt", text.encode("utf-8"))
    t.run()


def _wechat_check(t: Trial) -> list[str]:
    from docx import Document

    problems = []
    docs = [p for p in (t.root / "outbox").rglob("*.docx") if "历史版本" not in p.parts]
    if len(docs) != 2:
        return [f"{len(docs)} minutes: {t.output[-300:]}"]
    text = "\n".join(
        [p.text for d in docs for p in Document(d).paragraphs]
        + [c.text for d in docs for tb in Document(d).tables for r in tb.rows for c in r.cells]
    )
    if (
        "缺席" in t.output
        or "不在党员名册" in t.output
        or "非支部委员" in t.output
        or any(ch in text for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad")
    ):
        problems.append("present members written as absent, or a hidden character kept")
    if "法定人数" in t.output or ("实到" in t.output and "超过" in t.output):
        problems.append(f"实到 counted wrong: {t.output[-300:]}")
    for name in ("沈轶娜", "夏渊", "缪巧军"):
        if name not in text:
            problems.append(f"{name} not in the minutes as one name")
    if "夏、渊" in text or "、渊" in text:
        problems.append("夏　渊 split in two")
    return problems


FAULTS += [
    Fault("姓名", "从微信复制的姓名（U+200B/200D/2060/FEFF）和“夏　渊”这样对齐的姓名", _wechat_names, _wechat_check),
]  # fmt: skip


# --- 较新版本 zhibu 写的索引：拒绝使用，提示升级 ---------------------------------------------------------


def _newer_index(t: Trial) -> None:
    import sqlite3

    t.drop("支委会.txt", note("新版本索引"))
    t.run()
    index = t.root / ".zhibu" / "index.sqlite3"
    con = sqlite3.connect(index)
    con.execute("PRAGMA user_version = 999")
    con.close()
    t.drop("党课.txt", note("新版本之后", 9).replace("支委会".encode(), "党课".encode()))
    for args in (("run",), ("status",), ("doctor",), ("search", "讨论")):
        t.run(*args)
    t.run("watch", "--settle", "0.2", "--polling", timeout=60)


def _newer_check(t: Trial) -> list[str]:
    import sqlite3

    problems = []
    for ran in t.runs[1:]:
        if ran.code != 3 or "升级" not in ran.out or "IntegrityError" in ran.out or "内部错误" in ran.out:
            problems.append(f"not refused with an upgrade message ({ran.code}): {ran.out[-200:]}")
    if not (t.inbox / "党课.txt").is_file():
        problems.append("the new note did not stay in the inbox")
    con = sqlite3.connect(t.root / ".zhibu" / "index.sqlite3")
    if con.execute("PRAGMA user_version").fetchone()[0] != 999:
        problems.append("the index was changed")
    con.close()
    return problems


FAULTS += [
    Fault("索引版本", "索引由较新版本的 zhibu 写入（run、status、doctor、search、watch）", _newer_index, _newer_check),
]  # fmt: skip


# --- 笔记正文里的身份证号、手机号：会议记录和索引中隐去 -------------------------------------------------

PRIVACY = "隐私"
NUMBERS = (IDS[0], "13902170001", "139-0217-0002")


def _numbers_in_note(keep: bool):
    def act(t: Trial) -> None:
        if keep:
            toml = t.root / "zhibu.toml"
            text = toml.read_text(encoding="utf-8").replace(
                "keep_personal_numbers = false", "keep_personal_numbers = true"
            )
            toml.write_text(text, encoding="utf-8")
        body = f"讨论号码。\n困难党员（身份证号 {NUMBERS[0]}）的联系电话为{NUMBERS[1]}，家属电话 {NUMBERS[2]}。\n"
        t.drop("支委会.txt", note("号码").replace("讨论号码。\n".encode(), body.encode()))
        t.run()

    return act


def _numbers_check(keep: bool):
    def check(t: Trial) -> list[str]:
        problems = []
        docs = [p for p in (t.root / "outbox").rglob("*.docx")]
        written = "\n".join(file_text(p) for p in docs) + "\n".join(
            file_text(p) for p in (t.root / ".zhibu").rglob("*") if p.is_file()
        )
        for value in NUMBERS:
            if (value in written) != keep:
                problems.append(f"{value} {'blanked' if keep else 'kept'} in the minutes or the index")
            if value in t.output:
                problems.append(f"{value} printed")
        if not docs or "困难党员" not in written:
            problems.append("the minutes lost the sentence")
        if not keep and "3 处身份证号或手机号" not in t.output:
            problems.append(f"the run did not say it blanked them: {t.output[-300:]}")
        return problems

    return check


FAULTS += [
    Fault(PRIVACY, "笔记正文里的身份证号和手机号", _numbers_in_note(False), _numbers_check(False)),
    Fault(PRIVACY, "keep_personal_numbers = true 的支部保留笔记正文里的号码", _numbers_in_note(True), _numbers_check(True)),
]  # fmt: skip
