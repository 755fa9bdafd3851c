"""Realistic Chinese sample minutes (.docx) for checking the printing setup.

The benchmark and the tests convert these; a "check my printer setup" command can too. They
are made with the same Word toolkit as what zhibu renders (``pipeline.wordkit``): GB/T 9704
page, 方正小标宋简体 title, 仿宋_GB2312 body on the 28.9 pt line grid, 黑体 / 楷体 headings, and
the "— PAGE —" footer made with a Word field (or none, ``footer=False``).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from pipeline import wordkit as wk
from pipeline.chinese import cn_date

BODY_SENTENCES = [
    "支部书记传达了学院党委关于深入学习贯彻党的二十届三中全会精神的工作部署，要求全体党员结合教学科研岗位实际，认真研读原文，做到学思用贯通、知信行统一。",
    "会议集中学习了《中国共产党支部工作条例（试行）》有关章节，重点围绕“三会一课”制度、主题党日和组织生活会的规范要求进行了讨论。",
    "组织委员通报了本学期党员发展工作进展情况：确定入党积极分子两名，培养联系人已落实，思想汇报按季度提交，考察材料齐全。",
    "宣传委员介绍了支部在专业建设和课程思政方面的做法，建议把党建工作与教研室活动结合起来，推动党员教师在教学改革中走在前、作表率。",
    "与会党员逐一发言，结合自身工作谈体会、找差距，表示要在立德树人、服务学生、对口支援等工作中亮身份、作表率，切实发挥先锋模范作用。",
    "会议讨论了本学期主题党日活动安排，决定十一月组织党员赴红色教育基地开展现场教学，十二月结合志愿服务开展“我为师生办实事”活动。",
    "支部书记作总结讲话，要求各党小组按月开展学习，及时做好会议记录和材料归档，确保“一事一档”，为年度组织生活会和民主评议党员打好基础。",
]


def write_sample_minutes(
    path: Path,
    *,
    title: str,
    date: _dt.date,
    paragraphs: int = 6,
    footer: bool = True,
) -> Path:
    """Write a sample 会议记录; about 4 body paragraphs fill one page after the header."""
    doc = wk.new_document(numbered=footer)
    wk.title(doc, title).paragraph_format.space_after = wk.HALF_LINE
    for label, value in (
        ("时间", f"{cn_date(date)} 14:30"),
        ("地点", "行政楼三楼党员活动室"),
        ("主持人", "沈轶娜　　记录人：夏渊"),
        ("应到人数", "28人　　实到人数：26人（缺席2人：王芳，病假；李强，出差）"),
    ):
        wk.field_line(doc, label).add_run(value)
    wk.heading(doc, 1, "一、会议议题和主要内容")
    for i in range(paragraphs):
        if i and i % 3 == 0:
            wk.heading(doc, 2, f"{wk.heading_number(2, min(i // 3, 10))}交流研讨")
        wk.paragraph(
            doc, BODY_SENTENCES[i % len(BODY_SENTENCES)] + BODY_SENTENCES[(i + 3) % len(BODY_SENTENCES)]
        )
    wk.heading(doc, 1, "二、会议决议")
    wk.paragraph(doc, "会议一致同意上述工作安排（赞成26票，反对0票，弃权0票）。", wk.LAST)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
