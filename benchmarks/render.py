"""Benchmark: the plain docxtpl loop against fast batch rendering (issue 7).

    python benchmarks/render.py [--docs N] [--jobs J] [--template PATH] [--no-plain]

Renders the same N minutes three ways: the plain loop (``DocxTemplate(path)``, ``render``,
``save`` per record, as ``minutes.render_docx`` does), ``render_batch`` with one job, and with J
jobs. Each way runs in a fresh Python process so that its peak memory is its own. Prints
docs/second and peak resident memory for each, checks that sample outputs match the plain
loop's, and ends with ``speedup <ratio>`` (batch with one job vs the plain loop).

Uses ``templates/会议记录.docx`` with ``pipeline.render.minutes.sample_context(i)`` when both
exist; otherwise a GB/T 9704-style minutes template built here with python-docx.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # runs from a checkout without installing the package

REPO_TEMPLATE = ROOT / "templates" / "会议记录.docx"
MB = 1024 * 1024


# --- the built-in template and context -------------------------------------------------------


def build_builtin_template(path: Path) -> None:
    """A minutes template in the GB/T 9704 layout: header fields, attendance table, agenda
    sections with paragraphs, a running header and a footer with a PAGE field."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    def fonts(run_or_style, east_asia: str, size: int | None = None, bold: bool = False) -> None:
        font = run_or_style.font
        font.name = "Times New Roman"
        font.bold = bold or None
        if size:
            font.size = Pt(size)
        run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    fonts(doc.styles["Normal"], "仿宋_GB2312", 16)  # 3号仿宋

    header = section.header.paragraphs[0]
    header.text = "{{ 支部名称 }}　　{{ 学年学期 }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = footer.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    footer.add_run(" —")

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts(title.add_run("{{ 支部名称 }}{{ 会议类型 }}记录"), "方正小标宋简体", 22)  # 2号小标宋
    for line in (
        "会议时间：{{ 日期|cn_date }} {{ 开始 }}—{{ 结束 }}",
        "会议地点：{{ 地点 }}",
        "主 持 人：{{ 主持人 }}　　记 录 人：{{ 记录人 }}",
        "应到人数：{{ 应到 }}人　　实到人数：{{ 出席人员|length }}人",
        "缺席人员：{% for a in 缺席人员 %}{{ a.姓名 }}（{{ a.原因 }}）{% if not loop.last %}、{% endif %}"
        "{% else %}无{% endfor %}",
        "会议主题：{{ 主题 }}",
    ):
        doc.add_paragraph(line)

    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "姓名", "职务", "签到"), strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for p in 出席人员 %}"
    for cell, text in zip(
        table.rows[2].cells, ("{{ loop.index }}", "{{ p.姓名 }}", "{{ p.职务 }}", "{{ p.签到 }}"), strict=True
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"

    doc.add_paragraph("{%p for s in 议程 %}")
    fonts(doc.add_paragraph().add_run("{{ s.编号 }}{{ s.标题 }}"), "黑体", 16)
    doc.add_paragraph("{%p for para in s.发言 %}")
    doc.add_paragraph("{{ para.发言人 }}：{{ para.内容 }}").paragraph_format.first_line_indent = Pt(32)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if s.决议 %}")
    doc.add_paragraph("决议：{{ s.决议 }}").paragraph_format.first_line_indent = Pt(32)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("主持人（签字）：　　　　　　记录人（签字）：")
    doc.core_properties.title = "{{ 支部名称 }}{{ 会议类型 }}记录"
    doc.save(path)


NAMES = "沈轶娜 夏渊 缪巧军 张伟 李娜 王芳 刘洋 陈静 杨帆 赵磊 周婷 吴刚 郑敏 孙丽 朱军 胡斌 郭强 何洁 高峰 林涛".split()
TOPICS = ["传达学习上级文件精神", "讨论本学期支部工作安排", "发展党员工作", "主题党日活动方案", "其他事项"]
SENTENCES = [
    "要把学习成果转化为推动专业建设的实际成效",
    "建议以教研室为单位开展专题研讨 & 交流",
    "结合教学科研工作谈学习体会和下一步打算",
    "对照《党章》<第一章>逐条检视",
    "做好入党积极分子的培养考察工作",
    "按时足额交纳党费，规范“三会一课”记录",
]


def builtin_context(i: int) -> dict:
    rng = random.Random(i)
    present = rng.sample(NAMES, 16)
    absent = [n for n in NAMES if n not in present][:2]
    agenda = []
    for k, topic in enumerate(rng.sample(TOPICS, 4), start=1):
        speeches = [
            {"发言人": rng.choice(present), "内容": "，".join(rng.sample(SENTENCES, 3)) + "。"}
            for _ in range(rng.randint(3, 5))
        ]
        decision = f"同意{topic}（赞成{len(present)}票，反对0票）。" if k % 2 else ""
        agenda.append({"编号": "一二三四五"[k - 1] + "、", "标题": topic, "发言": speeches, "决议": decision})
    return {
        "支部名称": "汽车运用工程系党支部",
        "学年学期": "2024—2025学年第一学期",
        "会议类型": rng.choice(["支部党员大会", "支委会", "党小组会"]),
        "日期": date(2024, 9, 2) + timedelta(days=i % 120),
        "开始": "14:30",
        "结束": "16:00",
        "地点": "行政楼302会议室",
        "主持人": present[0],
        "记录人": present[1],
        "应到": len(NAMES),
        "缺席人员": [{"姓名": n, "原因": rng.choice(["出差", "病假", "教学任务"])} for n in absent],
        "主题": f"学习贯彻党的二十届三中全会精神（第{i + 1}次）",
        "出席人员": [{"姓名": n, "职务": "党员", "签到": "✓"} for n in present],
        "议程": agenda,
    }


def context_function(source: str):
    if source == "minutes":
        from pipeline.render.minutes import sample_context

        return sample_context
    return builtin_context


def minutes_available() -> bool:
    try:
        from pipeline.render.minutes import sample_context  # noqa: F401
    except ImportError:
        return False
    return REPO_TEMPLATE.is_file()


# --- one measured run (in its own process) ---------------------------------------------------


def measure(mode: str, template: Path, docs: int, jobs: int, source: str, out: Path) -> dict:
    from docxtpl import DocxTemplate

    from pipeline.render.environment import make_environment
    from pipeline.render.fast import render_batch
    from pipeline.render.fast_parallel import peak_rss

    context = context_function(source)
    out.mkdir(parents=True, exist_ok=True)
    records = ((context(i), out / f"{i:05d}.docx") for i in range(docs))
    failures, first_failure, workers = 0, "", {}
    start = time.perf_counter()
    if mode == "plain":
        for ctx, dest in records:  # exactly what minutes.render_docx does, once per record
            tpl = DocxTemplate(str(template))
            tpl.render(ctx, jinja_env=make_environment(), autoescape=True)
            tpl.save(dest)
    else:
        result = render_batch(template, records, workers=jobs)
        failures, workers = len(result.failures), result.worker_peak_rss
        first_failure = result.failures[0].message if result.failures else ""
    elapsed = time.perf_counter() - start
    return {
        "elapsed": elapsed,
        "failures": failures,
        "first_failure": first_failure,
        "main_rss": peak_rss(),
        "worker_rss": sorted(workers.values()),
    }


def run_measure(mode: str, args: argparse.Namespace, template: Path, source: str, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--_measure", mode, "--docs", str(args.docs), "--jobs", str(args.jobs)]
    cmd += ["--template", str(template), "--_source", source, "--_out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"{mode} run failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- comparing outputs ------------------------------------------------------------------------


def xml_parts(path: Path) -> dict[str, bytes]:
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True)
    with zipfile.ZipFile(path) as zf:
        return {
            n: etree.tostring(etree.fromstring(zf.read(n), parser), method="c14n")
            for n in zf.namelist()
            if n.endswith((".xml", ".rels")) and n != "[Content_Types].xml"
        }


def same_output(a: Path, b: Path) -> bool:
    """Every XML part of ``a`` equal, after normalisation, in ``b`` (which opens with python-docx)."""
    from docx import Document

    Document(io.BytesIO(b.read_bytes()))
    pa, pb = xml_parts(a), xml_parts(b)
    return all(pb.get(name) == xml for name, xml in pa.items())


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents per run (default 2000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the parallel run")
    parser.add_argument("--template", type=Path, help="template (default templates/会议记录.docx)")
    parser.add_argument("--no-plain", action="store_true", help="skip the slow plain loop (memory runs)")
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    parser.add_argument("--_source", help=argparse.SUPPRESS)
    parser.add_argument("--_out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._measure:
        print(
            json.dumps(measure(args._measure, args.template, args.docs, args.jobs, args._source, args._out))
        )
        return

    work = Path(tempfile.mkdtemp(prefix="zhibu-bench-"))
    try:
        if args.template is None and minutes_available():
            template, source = REPO_TEMPLATE, "minutes"
            described = f"{template.relative_to(ROOT)}, context pipeline.render.minutes.sample_context(i)"
        elif args.template is None:
            template, source = work / "会议记录（基准）.docx", "builtin"
            build_builtin_template(template)
            described = "built-in GB/T 9704 minutes template, built-in context"
        else:
            template, source = args.template, "minutes" if minutes_available() else "builtin"
            described = f"{template}, context {'sample_context(i)' if source == 'minutes' else 'built-in'}"
        if not template.is_file():
            sys.exit(f"template not found: {template}")
        print(f"template: {described}")
        print(f"documents per run: {args.docs}")

        modes = [] if args.no_plain else [("plain", "plain docxtpl loop")]
        modes.append(("batch1", "render_batch, 1 job"))
        if args.jobs != 1:
            modes.append((f"batch{args.jobs}", f"render_batch, {args.jobs} jobs"))
        results = {}
        for mode, label in modes:
            jobs = 1 if mode == "batch1" else args.jobs
            r = run_measure(
                mode if mode == "plain" else "batch", _with_jobs(args, jobs), template, source, work / mode
            )
            results[mode] = r
            rate = args.docs / r["elapsed"]
            memory = f"peak RSS {r['main_rss'] / MB:.0f} MB"
            if r["worker_rss"]:
                total = r["main_rss"] + sum(r["worker_rss"])
                workers = " + ".join(f"{w / MB:.0f}" for w in r["worker_rss"])
                memory += f" + workers {workers} MB = {total / MB:.0f} MB total"
            print(f"{label:<22} {r['elapsed']:7.1f} s  {rate:7.1f} docs/s  {memory}")
            if r["failures"]:
                print(f"  {r['failures']} failed records, first: {r['first_failure']}")

        if "plain" in results:
            samples = sorted({0, args.docs // 2, args.docs - 1})
            ok = all(
                same_output(work / "plain" / f"{i:05d}.docx", work / mode / f"{i:05d}.docx")
                for mode, _ in modes[1:]
                for i in samples
            )
            print(f"outputs equal to the plain loop's (records {samples}): {'yes' if ok else 'NO'}")
            plain = results["plain"]["elapsed"]
            if args.jobs != 1:
                print(f"speedup {args.jobs} jobs {plain / results[f'batch{args.jobs}']['elapsed']:.1f}")
            print(f"speedup {plain / results['batch1']['elapsed']:.1f}")
        else:
            print("speedup n/a (plain loop skipped)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _with_jobs(args: argparse.Namespace, jobs: int) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), "jobs": jobs})


if __name__ == "__main__":
    main()
