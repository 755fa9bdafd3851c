"""The fault cases (see ``tests/faults.py``), by family."""

from __future__ import annotations

from tests.faults import (
    IDS,
    PHONES,
    SECRETS,
    Fault,
    Trial,
    archived_copies,
    csv_bytes,
    file_text,
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
