"""Fault cases of the third round, continued (see ``tests/support/faults.py``): a correction that
moves the date, and messages that must name the real cause."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3

from tests.support.fault_cases3 import reasons, watch_until
from tests.support.faults import Fault, Trial, file_text, in_inbox_unchanged, mount_tmpfs, note, xlsx

HISTORY = "历史版本"


def minutes_files(t: Trial) -> list:
    return sorted(
        p for p in (t.root / "outbox").rglob("*.docx") if HISTORY not in p.parts and "会议记录" in str(p)
    )


def active_minutes(t: Trial) -> list[tuple[str, str]]:
    con = sqlite3.connect(f"file:{t.root / '.zhibu' / 'index.sqlite3'}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT date, path FROM outputs WHERE active = 1 AND kind = 'minutes' ORDER BY date"
        )
        return [tuple(r) for r in rows]
    finally:
        con.close()


# --- 更正稿把日期改到另一学期（或另一年）：替换原来的记录，并说明改了什么 --------------------------------

BRANCH_NOTE = (
    "会议类型：支委会\n会议主题：确定发展对象\n时间：{when}\n地点：党员活动室\n主持人：沈轶娜\n记录人：缪巧军\n"
    "参会人员：沈轶娜、夏渊、缪巧军\n会议内容：\n"
    "一、沈轶娜通报了入党积极分子的培养考察情况，{typo}三名积极分子均已参加党课学习并结业。\n"
    "二、与会支委逐一讨论了三名积极分子的现实表现、群众意见和培养联系人的意见。\n"
    "三、会议同意将王晓明、李红梅列为发展对象，报党总支备案，并安排政治审查。\n"
)


def _moved(first: str, second: str):
    def act(t: Trial) -> None:
        t.drop("支委会.txt", BRANCH_NOTE.format(when=first, typo="").encode("utf-8"))
        t.run()
        # the date was wrong, and a word was missing: both fixed in the note dropped again
        t.drop("支委会.txt", BRANCH_NOTE.format(when=second, typo="经考察，").encode("utf-8"))
        t.run()
        if len(active_minutes(t)) != 1:
            t.notes.append(f"{len(active_minutes(t))} minutes in the index: {active_minutes(t)}")
        (t.root / ".zhibu" / "index.sqlite3").unlink()  # the index rebuilt from the archive says the same
        t.run("doctor")

    return act


def _moved_check(old: str, new: str, old_term: str = "第一学期"):
    def check(t: Trial) -> list[str]:
        problems = []
        files = minutes_files(t)
        if len(files) != 1 or new not in file_text(files[0]):
            problems.append(f"minutes left in the archive: {[p.name for p in files]}")
        active = active_minutes(t)
        if len(active) != 1 or "找不到" in t.runs[2].out:
            problems.append(f"the rebuilt index: {active} {t.runs[2].out[-300:]}")
        history = [p for p in (t.root / "outbox").rglob("*.docx") if HISTORY in p.parts]
        if len(history) != 1 or old not in file_text(history[0]) or old_term not in str(history[0]):
            problems.append(f"the earlier minutes are not kept in its term's {HISTORY}: {history}")
        said = t.runs[1].out
        if f"日期由{old}改为{new}，已替换原来的记录：outbox/" not in said:
            problems.append(f"the change is not named: {said[-500:]}")
        return problems

    return check


def _yearly(t: Trial) -> None:
    """The same file name and topic every year, each year's own 对照检查."""
    head = (
        "会议类型：组织生活会\n会议主题：专题组织生活会\n时间：{when}\n地点：党员活动室\n主持人：沈轶娜\n"
        "记录人：缪巧军\n参会人员：沈轶娜、夏渊、缪巧军\n会议内容：\n"
    )
    bodies = (
        "一、沈轶娜通报了上年度组织生活会整改落实情况。\n二、围绕学习贯彻党的二十大精神，党员逐一对照检查，"
        "夏渊提出理论学习不够系统，缪巧军提出联系群众不够紧密。\n三、开展民主评议党员，全体党员评定为合格。\n",
        "一、书记代表支委会作对照检查，重点查摆落实主题教育整改任务方面的不足。\n二、党员逐一发言，开展批评和"
        "自我批评，共提出批评意见九条，明确整改时限。\n三、会议通过了本支部年度整改清单，并明确责任人。\n",
    )
    for when, body in zip(("2023年12月20日 14:30", "2024年12月18日 14:30"), bodies, strict=True):
        t.drop("组织生活会.txt", (head.format(when=when) + body).encode("utf-8"))
        t.run()


def _yearly_check(t: Trial) -> list[str]:
    problems = []
    if len(minutes_files(t)) != 2 or len(active_minutes(t)) != 2:
        problems.append(f"both years are not filed: {active_minutes(t)}")
    if "已替换" in t.output or any(HISTORY in p.parts for p in (t.root / "outbox").rglob("*.docx")):
        problems.append("the earlier year's minutes were replaced")
    return problems


FAULTS: list[Fault] = [
    Fault("改日期的更正稿", "同名、同类型、同主题的笔记把日期改到下一学期", _moved("2024年12月10日 14:30", "2025年3月4日 14:30"),
          _moved_check("2024年12月10日", "2025年3月4日")),
    Fault("改日期的更正稿", "同一学期里把日期改到下一年", _moved("2024年12月30日 14:30", "2025年1月6日 14:30"),
          _moved_check("2024年12月30日", "2025年1月6日")),
    Fault("改日期的更正稿", "每年同名、同主题但内容不同的组织生活会不是更正", _yearly, _yearly_check),
]  # fmt: skip


# --- 每条提示都说出真正的原因 ---------------------------------------------------------------------------

MESSAGES = "提示说出真正的原因"


def _huge_note(t: Trial) -> None:
    head = note("超长笔记").split("会议内容：".encode())[0] + "会议内容：\n".encode()
    body = "".join(f"第{i:06d}条：发言记录好。\n" for i in range(100_000)).encode()
    t.drop("超长笔记.txt", head + body)  # 3.4 MB, 100,000 short lines
    t.run()


def _huge_check(t: Trial) -> list[str]:
    said = t.output + reasons(t)
    if not (t.inbox / "失败" / "超长笔记.txt").is_file():
        return ["not set aside in 失败/"]
    problems = []
    size = (t.root / "inbox" / "失败" / "超长笔记.txt").stat().st_size / (1024 * 1024)  # 3.4 million bytes
    if f"{size:.1f} MB" not in said or "100,007 行" not in said or "超长笔记.txt" not in said:
        problems.append(f"the size and lines are not named: {said[-600:]}")
    if "模板" in said or "templates/" in said:
        problems.append("a template is blamed")
    return problems


def _gbk_search(t: Trial) -> None:
    t.drop("支委会.txt", note("按GBK搜索"))
    t.run()
    t.run("search", os.fsdecode("按GBK搜索".encode("gbk")))


def _gbk_check(t: Trial) -> list[str]:
    ran = t.runs[-1]
    problems = [] if ran.code == 0 else [f"exit {ran.code}"]
    if "内部错误" in ran.out or "找到 1 份" not in ran.out or "GBK" not in ran.out:
        problems.append(f"the word was not read as GBK and searched: {ran.out[-400:]}")
    return problems


def _file_for_folder(folder: str):
    def act(t: Trial) -> None:
        if folder != "inbox":
            t.drop("支委会.txt", note("文件占了文件夹的名字"))
        place = t.root / folder
        shutil.rmtree(place)
        place.write_text("不是文件夹\n", encoding="utf-8")
        for args in (("run",), ("status",), ("watch", "--settle", "0.2", "--polling"), ("doctor",)):
            t.run(*args, timeout=60)

    return act


def _file_for_folder_check(folder: str):
    def check(t: Trial) -> list[str]:
        problems = in_inbox_unchanged(t) if folder != "inbox" else []
        for ran in t.runs:
            if ran.code != 3 or f"「{folder}」是一个文件，不是文件夹" not in ran.out or "内部错误" in ran.out:
                problems.append(f"exit {ran.code}: {ran.out[-300:]}")
        if (t.root / folder).read_text(encoding="utf-8") != "不是文件夹\n":
            problems.append("the file was changed")
        return problems

    return check


def _docx_bytes() -> bytes:
    from docx import Document

    doc = Document()
    for line in note("扩展名不对").decode("utf-8").splitlines():
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


WRONG_SUFFIX = {
    "党员名册.docx": ("Excel 表格", ".xlsx"),
    "党员名册.csv": ("Excel 表格", ".xlsx"),
    "支委会.xlsx": ("Word 文档", ".docx"),
    "支委会.txt": ("Word 文档", ".docx"),
}


def _wrong_suffix(t: Trial) -> None:
    book = xlsx([("党员名册", [["序号", "姓名", "性别", "党员类别"], [1, "沈轶娜", "女", "正式"]], False)])
    for name, (label, _) in WRONG_SUFFIX.items():
        t.drop(name, book if label.startswith("Excel") else _docx_bytes())
    t.run()


def _wrong_suffix_check(t: Trial) -> list[str]:
    problems = []
    for name, (label, suffix) in WRONG_SUFFIX.items():
        reason = t.inbox / "失败" / f"{name}.原因.txt"
        text = reason.read_text(encoding="utf-8") if reason.is_file() else ""
        if f"这个文件实际上是 {label}，请把扩展名改为 {suffix} 后重新放入" not in text:
            problems.append(f"{name}: {text[-300:] or 'no reason file'}")
    if "ValueError" in t.output or "OSError" in t.output or "编码" in t.output:
        problems.append(f"a misleading message: {t.output[-500:]}")
    return problems


def _no_inodes(t: Trial) -> None:
    t.run()  # an empty first run: the index exists
    outbox = mount_tmpfs(t, t.root / "outbox", size="8m,nr_inodes=64")
    for i in range(1000):  # every inode taken, blocks left free
        try:
            (outbox / f"占位{i}").touch()
        except OSError:
            break
    t.drop("支委会1.txt", note("文件数一", 8))
    t.drop("支委会2.txt", note("文件数二", 9))
    t.run()


def _no_inodes_check(t: Trial) -> list[str]:
    last = t.runs[-1]
    problems = in_inbox_unchanged(t)
    if last.code != 3 or "文件数量已达上限" not in last.out or "磁盘空间已满" in last.out:
        problems.append(f"exit {last.code}: {last.out[-400:]}")
    return problems


def _template_gone(command: str):
    def act(t: Trial) -> None:
        def delete_and_drop() -> None:
            (t.root / "templates" / "会议记录.docx").unlink()
            t.drop("支委会.txt", note("模板被删除"))

        if command == "watch":
            watch_until(t, delete_and_drop, lambda: False, timeout=60)
        else:
            delete_and_drop()
            t.run()

    return act


def _template_gone_check(t: Trial) -> list[str]:
    last = t.runs[-1]
    problems = in_inbox_unchanged(t)
    if last.code != 3 or "templates/会议记录.docx" not in last.out or "找不到模板文件" not in last.out:
        problems.append(f"exit {last.code}: {last.out[-400:]}")
    if "内部错误" in last.out:
        problems.append("reported as an internal error")
    return problems


FAULTS += [
    Fault(MESSAGES, "3.4 MB、10 万行的笔记：说明笔记的大小和行数，不怪模板", _huge_note, _huge_check),
    Fault(MESSAGES, "zhibu search 的关键词是 GBK 字节", _gbk_search, _gbk_check),
    *[Fault(MESSAGES, f"工作区里的 {name} 是一个文件而不是文件夹", _file_for_folder(name), _file_for_folder_check(name))
      for name in ("inbox", ".zhibu", "outbox")],
    Fault(MESSAGES, "工作簿存成 .docx/.csv、Word 文档存成 .xlsx/.txt", _wrong_suffix, _wrong_suffix_check),
    Fault(MESSAGES, "磁盘上的文件数（inode）用完了，空间还有", _no_inodes, _no_inodes_check, needs_root=True),
    Fault(MESSAGES, "运行前模板被删除（zhibu run）", _template_gone("run"), _template_gone_check),
    Fault(MESSAGES, "zhibu watch 运行时模板被删除", _template_gone("watch"), _template_gone_check, slow=True),
]  # fmt: skip


# --- 待修正表格原样放回：说明还没有修改；改过的照常读取 ----------------------------------------------

REGISTER = [
    ["序号", "日期", "会议类型", "主题", "地点", "主持人", "记录人"],
    [1, "2024年10月8日", "支委会", "好的一行", "党员活动室", "沈轶娜", "缪巧军"],
    [2, "2024年2月30日", "支委会", "日期写错的一行", "党员活动室", "沈轶娜", "缪巧军"],
]


def _correction_back(changed: bool):
    def act(t: Trial) -> None:
        t.drop("会议登记表.xlsx", xlsx([("2024秋", REGISTER, False)]))
        t.run()
        fix = t.inbox / "失败" / "会议登记表.待修正.xlsx"
        if changed:  # the secretary fixes the date, as the last column says
            from openpyxl import load_workbook

            wb = load_workbook(fix)
            wb["2024秋"]["B3"] = "2024年2月28日"
            wb.save(fix)
        t.inputs[hashlib.sha256(fix.read_bytes()).hexdigest()] = fix.name
        shutil.move(str(fix), str(t.inbox / fix.name))
        t.run()

    return act


def _unchanged_check(t: Trial) -> list[str]:
    said = t.runs[-1].out + reasons(t)
    problems = [] if (t.inbox / "失败" / "会议登记表.待修正.xlsx").is_file() else ["not set aside in 失败/"]
    if "这是 zhibu 生成的待修正表格，还没有修改" not in said or "2024年2月30日" not in said:
        problems.append(f"not told it is unchanged: {said[-400:]}")
    return problems


def _changed_check(t: Trial) -> list[str]:
    problems = [] if "[已处理] 会议登记表.待修正.xlsx" in t.runs[-1].out else [t.runs[-1].out[-400:]]
    if "还没有修改" in t.output or len(minutes_files(t)) != 2:
        problems.append(f"the fixed row was not filed: {[p.name for p in minutes_files(t)]}")
    return problems


FAULTS += [
    Fault("待修正表格", "没有修改就放回收件箱", _correction_back(False), _unchanged_check),
    Fault("待修正表格", "改正后放回收件箱，照常读取", _correction_back(True), _changed_check),
]  # fmt: skip
