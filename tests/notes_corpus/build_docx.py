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
    "tuning/支委会-两列表.docx": {
        "title": ["支委会会议记录"],
        "rows": [
            ["时  间", "2024年10月22日 15:30"],
            ["地  点", "教学楼A座210"],
            ["主持人", "方志诚"],
            ["记录人", "韦一凡"],
            ["应到人数", "5"],
            ["实到人数", "5"],
            ["会议主题", "研究第四季度党费收缴情况"],
        ],
        "body": ["会议内容：", "龚书琴通报了党费收缴情况，会议同意按时上缴。"],
    },
    "tuning/党员大会-四列表.docx": {
        "title": ["汽修系党支部党员大会记录"],
        "rows": [
            ["时间", "2024年11月5日下午3:00", "地点", "实训楼305会议室"],
            ["主持人", "方志诚", "记录人", ""],
            ["应到", "22", "实到", "21"],
            ["缺席人员", "龚书琴（病假）", "缺席人员", "龚书琴（病假）"],
        ],
        "merges": [(3, 1, 3)],
        "body": ["会议议题：讨论确定两名发展对象。"],
    },
    "tuning/党小组会-空格表.docx": {
        "title": ["第二党小组会议记录"],
        "rows": [
            ["会议时间", "", "会议地点", "汽车实训中心"],
            ["主 持 人", "滕子墨", "记 录 人", "蒲晓辉"],
            ["参会人员", "滕子墨、蒲晓辉、柯一帆、晏子安", "参会人员", "滕子墨、蒲晓辉、柯一帆、晏子安"],
        ],
        "merges": [(2, 1, 3)],
        "body": ["2024年9月26日下午，第二党小组集中学习。", "滕子墨领学了有关文件。"],
    },
    "tuning/党课记录表.docx": {
        "title": ["党课记录"],
        "rows": [
            ["党课题目", "新时代职业教育的使命与担当"],
            ["授课人", "邱明月"],
            ["授课时间", "2024年12月24日 14:00"],
            ["授课地点", "图文中心报告厅"],
            ["听课人员", "全体党员"],
            ["实到人数", "20人"],
        ],
        "body": ["党课内容", "邱明月讲述了职业教育在现代化建设中的作用。"],
    },
    "tuning/谈心谈话表.docx": {
        "title": ["谈心谈话记录表"],
        "rows": [
            ["谈话时间", "2024年6月11日", "谈话地点", "教学楼A座210"],
            ["谈话人", "方志诚", "谈话对象", "柯一帆"],
            [
                "谈话内容",
                "了解柯一帆入党动机和近期学习情况。",
                "谈话内容",
                "了解柯一帆入党动机和近期学习情况。",
            ],
        ],
        "merges": [(2, 1, 3)],
        "body": [],
    },
    "tuning/空白记录表.docx": {
        "title": ["××党支部会议记录"],
        "rows": [
            ["会议时间", "    年  月  日", "会议地点", ""],
            ["主持人", "", "记录人", ""],
            ["应到人数", "", "实到人数", ""],
        ],
        "body": ["会议内容："],
    },
    "fresh/支委会-两段时间.docx": {
        "title": ["学前教育系党支部支委会记录"],
        "rows": [
            ["会议时间", "2024年12月12日\n下午4:00"],
            ["会议地点", "文华楼213"],
            ["主持人", "谢婉清"],
            ["记录人", "吕安琪"],
            ["出席人员", "谢婉清、冯晓东、吕安琪、尹若溪"],
            ["缺席人员", "费思琪（产假）"],
        ],
        "body": ["会议内容", "研究年度党员民主评议工作方案。"],
    },
    "fresh/党小组会-四列空位.docx": {
        "title": ["第二党小组学习记录"],
        "rows": [
            ["时间", "2024年9月25日 12:30", "地点", "文华楼305"],
            ["主持", "", "记录", "庞嘉树"],
            ["应到", "5", "实到", ""],
        ],
        "body": ["学习内容：学习《党章》总纲。"],
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
