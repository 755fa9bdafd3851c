"""Build the .docx notes of the corpus from the specs below (run once; the .docx files are committed).

Each spec: file name -> (title paragraphs, table rows, body paragraphs, merges).
A table row is a list of cell texts; ``merges`` lists (row, first column, last column) to merge
horizontally, the way secretaries merge a long value across the right half of a 4-column table.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent

SPECS: dict[str, dict] = {
    "heldout/支委会记录表-0312.docx": {
        "title": ["信息技术系第一党支部支委会记录"],
        "rows": [
            ["会议时间", "2024年3月12日 16:00"],
            ["会议地点", "信息楼501会议室"],
            ["主持人", "桑梓萱"],
            ["记录人", ""],
            ["出席人员", "桑梓萱、宋嘉禾、侯一鸣"],
            ["缺席人员", "无"],
            ["会议议题", "研究本学期“三会一课”安排"],
        ],
        "body": ["会议内容：", "桑梓萱提出本学期支部活动计划初稿，委员逐项讨论后形成修改意见。"],
    },
    "heldout/党员大会记录表.docx": {
        "title": ["机电工程系教工党支部党员大会记录"],
        "rows": [
            ["会议时间", "2024年12月10日 下午2:30", "会议地点", ""],
            ["主持人", "郑雨航", "记录人", "邬建国"],
            ["应到人数", "18", "实到人数", "16"],
            ["缺席人员", "钱晓岚（病假）、柏春燕（出差）", "缺席人员", "钱晓岚（病假）、柏春燕（出差）"],
            ["会议议题", "选举产生出席学院党代会代表", "会议议题", "选举产生出席学院党代会代表"],
        ],
        "merges": [(3, 1, 3), (4, 1, 3)],
        "body": ["会议内容", "郑雨航说明了代表名额和选举办法，全体到会党员进行了无记名投票。"],
    },
    "heldout/组织生活会记录.docx": {
        "title": ["2024年度组织生活会记录"],
        "rows": [
            ["时间", "2025年1月9日 9:00-11:30"],
            ["地点", "明德楼305会议室"],
            ["主持", "郑雨航"],
            ["记录", "邬建国"],
            ["应到", "18人"],
            ["实到", "17人"],
        ],
        "body": [
            "一、郑雨航代表支委会作检视剖析。",
            "二、党员逐一发言，开展批评与自我批评。",
            "三、会议对全体党员进行了民主评议。",
        ],
    },
}


def build(name: str, spec: dict) -> None:
    doc = Document()
    for line in spec.get("title", []):
        doc.add_paragraph(line)
    rows = spec.get("rows", [])
    if rows:
        table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
        for r, first, last in spec.get("merges", []):
            merged = table.cell(r, first).merge(table.cell(r, last))
            merged.text = rows[r][first]
    for line in spec.get("body", []):
        doc.add_paragraph(line)
    target = HERE / name
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))


def main(argv: list[str]) -> None:
    for name, spec in SPECS.items():
        if not argv or any(name.startswith(a) for a in argv):
            build(name, spec)


if __name__ == "__main__":
    main(sys.argv[1:])
