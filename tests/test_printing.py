"""Printing: Word to PDF with LibreOffice, Chinese fonts, and the bound archive volume.

These tests run LibreOffice for real (Debian: libreoffice-writer-nogui, fonts-noto-cjk,
fonts-wqy-zenhei, poppler-utils; .ci/run installs them). Only the hang test uses a stand-in
executable (a real process that sleeps), because a LibreOffice that hangs on demand does not exist.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from pipeline.errors import ConverterError
from pipeline.printing import (
    BatchConversionError,
    VolumeEntry,
    build_volume,
    convert_documents,
    convert_to_pdf,
    write_sample_minutes,
)
from pipeline.printing.convert import SOFFICE_ENV, SOFFICE_LOCATIONS_ENV
from pipeline.printing.frontmatter import date_range, responsible_lines
from pipeline.printing.stamping import GBT9704, _stamp_transform, strip_page_number_paragraphs
from pipeline.wordkit.spec import MM

# --- helpers ------------------------------------------------------------------------------


def pdftotext(pdf: Path, page: int | None = None, *, layout: bool = False) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    if layout:
        cmd.append("-layout")
    return subprocess.run([*cmd, str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def squeeze(text: str) -> str:
    """pdftotext puts spaces between CJK and Latin runs; compare without any whitespace."""
    return re.sub(r"\s+", "", text)


def pdffonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, emb) for every font of the PDF."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 5:
            # name type... encoding emb sub uni id gen: emb is the 5th from the end
            rows.append((parts[0], parts[-5]))
    return rows


def one_font_doc(path: Path, font: str, text: str) -> Path:
    doc = Document()
    run = doc.add_paragraph().add_run(text)
    run.font.size = Pt(16)
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    doc.save(path)
    return path


def corrupt_docx(good: Path, path: Path) -> Path:
    """A valid zip whose document.xml is cut in half: LibreOffice skips it silently."""
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    return path


# --- conversion ---------------------------------------------------------------------------


def test_converts_chinese_documents_with_embedded_cjk_fonts(tmp_path):
    a = write_sample_minutes(
        tmp_path / "in" / "支部党员大会.docx",
        title="支部党员大会会议记录",
        date=dt.date(2024, 9, 3),
        paragraphs=3,
    )
    b = write_sample_minutes(
        tmp_path / "in" / "支委会.docx",
        title="支委会会议记录（十月）",
        date=dt.date(2024, 10, 8),
        paragraphs=2,
    )
    pdfs = convert_to_pdf([a, b], tmp_path / "out")

    assert [p.name for p in pdfs] == ["支部党员大会.pdf", "支委会.pdf"]
    text = squeeze(pdftotext(pdfs[0]))
    assert "支部党员大会会议记录" in text
    assert "时间：2024年9月3日" in text
    assert "中国共产党支部工作条例（试行）" in text
    assert "支委会会议记录（十月）" in squeeze(pdftotext(pdfs[1]))
    fonts = pdffonts(pdfs[0])
    cjk = [(name, emb) for name, emb in fonts if "CJK" in name or "WenQuanYi" in name]
    assert cjk, fonts
    assert all(emb == "yes" for _, emb in cjk), fonts
    assert len(PdfReader(pdfs[0]).pages) >= 1


CUSTOMARY_FONTS = [
    ("黑体", "Sans"),
    ("仿宋_GB2312", "Serif"),
    ("仿宋", "Serif"),
    ("方正小标宋简体", "Serif"),
    ("宋体", "Serif"),
    ("楷体_GB2312", "Serif"),
]


@pytest.fixture(scope="module")
def one_font_pdfs(tmp_path_factory) -> dict[str, Path]:
    """A one-paragraph document in each customary font, converted in one LibreOffice start."""
    folder = tmp_path_factory.mktemp("fonts")
    docs = {
        font: one_font_doc(folder / f"doc{i}.docx", font, "一、坚持和加强党的全面领导")
        for i, (font, _) in enumerate(CUSTOMARY_FONTS)
    }
    pdfs = convert_to_pdf(list(docs.values()), folder / "out")
    return dict(zip(docs, pdfs, strict=True))


@pytest.mark.parametrize(("font", "kind"), CUSTOMARY_FONTS)
def test_customary_chinese_fonts_get_a_fitting_substitute(one_font_pdfs, font, kind):
    pdf = one_font_pdfs[font]
    assert squeeze(pdftotext(pdf)) == "一、坚持和加强党的全面领导"
    names = [name for name, _ in pdffonts(pdf)]
    assert len(names) == 1, names
    name = names[0]
    if kind == "Sans":
        assert "Sans" in name or "Hei" in name, name
        assert "Serif" not in name, name
    else:
        assert "Serif" in name or "Kai" in name or "Ming" in name, name


def test_same_stem_in_two_folders_gives_two_pdfs(tmp_path):
    a = write_sample_minutes(
        tmp_path / "九月" / "会议记录.docx", title="九月支委会", date=dt.date(2024, 9, 10), paragraphs=1
    )
    b = write_sample_minutes(
        tmp_path / "十月" / "会议记录.docx", title="十月支委会", date=dt.date(2024, 10, 10), paragraphs=1
    )
    pa, pb = convert_to_pdf([a, b], tmp_path / "out")
    assert pa != pb
    assert "九月支委会" in squeeze(pdftotext(pa))
    assert "十月支委会" in squeeze(pdftotext(pb))


def test_many_files_share_one_libreoffice_start(tmp_path):
    docs = [
        write_sample_minutes(
            tmp_path / f"d{i}.docx", title=f"党小组会记录{i}", date=dt.date(2024, 9, i + 1), paragraphs=1
        )
        for i in range(5)
    ]
    seen = []
    result = convert_documents(
        docs, tmp_path / "out", chunk_size=3, progress=lambda d, t: seen.append((d, t))
    )
    assert not result.failures
    assert result.starts == 2  # 5 files in chunks of 3
    assert seen[-1] == (5, 5)
    for i, doc in enumerate(docs):
        assert f"党小组会记录{i}" in squeeze(pdftotext(result.pdfs[doc]))


def test_missing_libreoffice_gives_a_chinese_error(tmp_path, monkeypatch):
    src = write_sample_minutes(tmp_path / "支委会会议记录.docx", title="支委会", date=dt.date(2024, 9, 1))
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv(SOFFICE_LOCATIONS_ENV, "")
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    with pytest.raises(ConverterError) as info:
        convert_to_pdf([src], tmp_path / "out")
    message = str(info.value)
    assert "未找到 LibreOffice" in message
    assert "支委会会议记录.docx" in message
    assert "安装" in info.value.hint and "导出为PDF" in info.value.hint
    assert not (tmp_path / "out" / "支委会会议记录.pdf").exists()


def test_explicit_soffice_that_does_not_exist_is_reported(tmp_path, monkeypatch):
    src = write_sample_minutes(tmp_path / "a.docx", title="支委会", date=dt.date(2024, 9, 1))
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    with pytest.raises(ConverterError, match=SOFFICE_ENV):
        convert_to_pdf([src], tmp_path / "out")


def test_corrupt_docx_is_named_and_the_rest_of_the_chunk_converts(tmp_path):
    good1 = write_sample_minutes(
        tmp_path / "第一次支委会.docx", title="第一次支委会", date=dt.date(2024, 9, 2), paragraphs=1
    )
    good2 = write_sample_minutes(
        tmp_path / "第二次支委会.docx", title="第二次支委会", date=dt.date(2024, 10, 2), paragraphs=1
    )
    skipped = corrupt_docx(good1, tmp_path / "损坏的记录.docx")  # LibreOffice skips it silently
    garbage = tmp_path / "乱码.docx"
    garbage.write_bytes("这不是一个Word文档".encode() * 20)  # LibreOffice would print it as text
    empty = tmp_path / "空文件.docx"
    empty.write_bytes(b"")

    with pytest.raises(BatchConversionError) as info:
        convert_to_pdf([good1, skipped, garbage, empty, good2], tmp_path / "out", workers=1)
    err = info.value
    assert isinstance(err, ConverterError)
    result = err.result
    assert set(result.failures) == {skipped, garbage, empty}
    assert "损坏的记录.docx" in str(result.failures[skipped])
    assert "LibreOffice 无法打开" in str(result.failures[skipped])
    assert "乱码.docx" in str(result.failures[garbage])
    assert "空文件.docx" in str(result.failures[empty])
    assert "另有 2 个文件" in str(err)
    # The good files of the same chunk were converted all the same.
    assert "第一次支委会" in squeeze(pdftotext(result.pdfs[good1]))
    assert "第二次支委会" in squeeze(pdftotext(result.pdfs[good2]))
    assert not (tmp_path / "out" / "损坏的记录.pdf").exists()
    assert not (tmp_path / "out" / "乱码.pdf").exists()
    # One start for the chunk, one retry alone for the file LibreOffice skipped.
    assert result.starts == 2


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in soffice is a shell script")
def test_a_hang_kills_the_whole_process_group_and_is_not_retried(tmp_path, monkeypatch):
    # A stand-in for a LibreOffice that hangs: it starts a child (like soffice.bin) and waits.
    log = tmp_path / "starts.log"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! >> '{log}'\nwait\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    src = write_sample_minutes(tmp_path / "卡住的记录.docx", title="支委会", date=dt.date(2024, 9, 1))

    with pytest.raises(ConverterError) as info:
        convert_to_pdf([src], tmp_path / "out", stall=1, retries=1)
    assert "没有进展" in str(info.value) and "卡住的记录.docx" in str(info.value)
    assert info.value.result.stalled == [src]
    children = [int(x) for x in log.read_text().split()]
    assert len(children) == 1  # a hang is not retried
    deadline = time.monotonic() + 60  # killed at once; reaping them may lag on a loaded machine
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children)


def test_pdf_inputs_pass_through(tmp_path):
    src = write_sample_minutes(tmp_path / "a.docx", title="党课讲稿", date=dt.date(2024, 9, 1), paragraphs=1)
    (pdf,) = convert_to_pdf([src], tmp_path / "first")
    (again,) = convert_to_pdf([pdf], tmp_path / "second")
    assert again.read_bytes() == pdf.read_bytes()


# --- the documents' own page numbers -------------------------------------------------------

FOOTER = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:p><w:r><w:t>中共某某支部</w:t></w:r></w:p>
  <w:p><w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
    <w:r><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT </w:instrText></w:r>
    <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>
    <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>
  <w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>3</w:t></w:r></w:fldSimple></w:p>
  <w:p><w:fldSimple w:instr=" DATE "><w:r><w:t>2024</w:t></w:r></w:fldSimple></w:p>
</w:ftr>"""


def test_page_number_paragraphs_are_removed_and_the_rest_kept():
    xml, removed = strip_page_number_paragraphs(FOOTER.encode())
    text = xml.decode()
    assert removed == 2
    assert "中共某某支部" in text and "DATE" in text
    assert "PAGE" not in text and "NUMPAGES" not in text
    assert '<w:jc w:val="right"/>' in text  # paragraph properties stay: the footer keeps its height


def test_landscape_pages_get_the_number_at_the_upright_place():
    # An odd number on an upright A4 page: right part of the page, 28 mm from the bottom.
    t = _stamp_transform(1, GBT9704, 600.0, 595.3, 841.9, (0.0, 0.0))
    x, y = t.apply_on((170 * MM, 600.0 + 0.36 * 14))
    assert 100 * MM < x < 595.3 - 26 * MM and abs(y - 28 * MM) < 0.5
    # The same stamp on a landscape page lies along its left edge (the upright page's bottom).
    t = _stamp_transform(1, GBT9704, 600.0, 841.9, 595.3, (0.0, 0.0))
    x, y = t.apply_on((170 * MM, 600.0 + 0.36 * 14))
    assert abs(x - 28 * MM) < 0.5 and 0 < y < 595.3


# --- the bound volume ----------------------------------------------------------------------

BRANCH = "中共某某大学汽车工程学院教工第一党支部"
TERM = "2024—2025学年第一学期"
VOLUME = "组织活动记录"
# (title, date, body paragraphs, footer): 2 paragraphs give 1 page, 4 give 2, 7 give 3.
SPECS = [
    ("支部党员大会会议记录", dt.date(2024, 9, 3), 2, True),
    ("九月支委会会议记录", dt.date(2024, 9, 20), 4, True),
    ("主题党日活动记录", dt.date(2024, 10, 15), 7, True),
    ("党课讲稿弘扬教育家精神", dt.date(2024, 11, 8), 2, False),  # no footer of its own
    ("组织生活会会议记录", dt.date(2025, 1, 10), 4, True),
]
NUMBER = re.compile(r"—\s*(\d+)\s*—")


@pytest.fixture(scope="module")
def volume(tmp_path_factory):
    base = tmp_path_factory.mktemp("volume")
    entries = [
        VolumeEntry(
            title,
            date,
            write_sample_minutes(
                base / "docs" / f"{i}.docx", title=title, date=date, paragraphs=n, footer=footer
            ),
            responsible="第一党小组" if "党日" in title else "教工支部",
            remark="待核实" if i == 1 else "",
        )
        for i, (title, date, n, footer) in enumerate(SPECS)
    ]
    result = build_volume(
        entries,
        base / "out" / "卷册.pdf",
        branch=BRANCH,
        term_label=TERM,
        volume_name=VOLUME,
        work_dir=base / "work",
    )
    return entries, result


def test_volume_counts(volume):
    entries, result = volume
    assert result.pdf.is_file()
    pages = len(PdfReader(result.pdf).pages)
    assert result.page_count == pages
    assert result.front_pages == 1 + result.toc_pages
    assert result.numbered_pages == pages - result.front_pages
    lengths = [e - s + 1 for s, e in zip(result.start_pages, result.end_pages, strict=True)]
    assert all(1 <= n <= 3 for n in lengths), lengths
    assert len(set(lengths)) > 1  # documents of different lengths
    assert result.start_pages[0] == 1
    assert result.end_pages[-1] == result.numbered_pages


def test_volume_cover(volume):
    entries, result = volume
    cover = squeeze(pdftotext(result.pdf, 1))
    assert BRANCH in cover and VOLUME in cover and squeeze(TERM) in cover
    assert "2024年9月3日—2025年1月10日" in cover
    assert f"本卷件数{len(entries)}件" in cover
    assert f"本卷页数{result.numbered_pages}页" in cover
    assert not NUMBER.search(pdftotext(result.pdf, 1))  # the cover is not numbered


def test_volume_toc_matches_the_pages_where_documents_start(volume):
    entries, result = volume
    toc = "".join(pdftotext(result.pdf, p, layout=True) for p in range(2, 2 + result.toc_pages))
    assert "卷内目录" in toc
    assert not NUMBER.search(toc)  # the 卷内目录 is not numbered
    # 序号, 责任者, 文件题名, 日期 (eight digits, GB/T 9705), 页号, 备注
    assert re.search(r"序号\s+责任者\s+文件题名\s+日期\s+页号\s+备注", toc), toc
    rows = {}
    for line in toc.splitlines():
        m = re.match(r"\s*(\d+)\s+(\S+)\s+(\S+)\s+(\d{8})\s+(\d+)(?:—(\d+))?\s*(\S*)$", line)
        if m:
            rows[m.group(3)] = (
                int(m.group(1)),
                m.group(4),
                int(m.group(5)),
                m.group(6),
                m.group(2),
                m.group(7),
            )
    assert len(rows) == len(entries), toc
    pages = {p: pdftotext(result.pdf, p) for p in range(1, result.page_count + 1)}
    for i, entry in enumerate(entries):
        serial, date, start, last, responsible, remark = rows[entry.title]
        assert serial == i + 1
        assert date == entry.date.strftime("%Y%m%d")
        assert (responsible, remark) == (entry.responsible, entry.remark)
        assert start == result.start_pages[i]
        # The page that shows the document's title carries the stamped number of the 卷内目录.
        found = [p for p, text in pages.items() if p > 1 + result.toc_pages and entry.title in squeeze(text)]
        assert len(found) == 1, (entry.title, found)
        assert [int(n) for n in NUMBER.findall(pages[found[0]])] == [start]
    assert rows[entries[-1].title][3] == str(result.end_pages[-1])  # the last row: 11—15


def test_a_long_responsible_body_breaks_between_the_parts_of_its_name():
    assert responsible_lines("汽车运用工程系党支部") == "汽车运用工程系\n党支部"
    assert (
        responsible_lines("中共某某大学汽车工程学院教工第一党支部")
        == "中共某某大学\n汽车工程学院\n教工第一党支部"
    )
    assert responsible_lines("第一党小组") == "第一党小组"


def test_volume_pages_are_numbered_continuously_at_the_gbt9704_place(volume):
    _, result = volume
    out = subprocess.run(
        ["pdftotext", "-bbox", str(result.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", out, re.S)
    for index, (w, h, body) in enumerate(pages[result.front_pages :]):
        number = index + 1
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', body)
        # The last line of the page: "— N —", a single number (the document's own footer is gone).
        bottom = max(float(y1) for _, _, _, y1, _ in words)
        line = [
            (float(x0), float(y0), float(x1), float(y1), t)
            for x0, y0, x1, y1, t in words
            if float(y1) > bottom - 2
        ]
        assert "".join(t for *_, t in sorted(line)) == f"—{number}—"
        left = min(x0 for x0, *_ in line)
        right = max(x1 for _, _, x1, _, _ in line)
        width = float(w)
        if number % 2:  # odd: right-aligned, one 14 pt character inside the text block
            assert abs(right - (width - 26 * MM - 14)) < 2, (number, right)
        else:  # even: left-aligned, one character in
            assert abs(left - (28 * MM + 14)) < 2, (number, left)
        middle = (min(y0 for _, y0, *_ in line) + bottom) / 2
        assert abs((float(h) - middle) - 28 * MM) < 3 * MM  # 7 mm below the 35 mm bottom margin


def test_volume_names_the_document_it_cannot_convert(tmp_path):
    good = write_sample_minutes(
        tmp_path / "好的记录.docx", title="支委会", date=dt.date(2024, 9, 1), paragraphs=1
    )
    bad = corrupt_docx(good, tmp_path / "坏的记录.docx")
    entries = [
        VolumeEntry("支委会", dt.date(2024, 9, 1), good),
        VolumeEntry("坏的", dt.date(2024, 9, 2), bad),
    ]
    with pytest.raises(ConverterError) as info:
        build_volume(
            entries,
            tmp_path / "卷.pdf",
            branch=BRANCH,
            term_label=TERM,
            volume_name=VOLUME,
            work_dir=tmp_path / "work",
        )
    assert "坏的记录.docx" in str(info.value) and VOLUME in str(info.value)
    assert not (tmp_path / "卷.pdf").exists()
    assert not list((tmp_path / "work").iterdir())  # intermediate files are cleaned up


def test_volume_refuses_missing_and_empty(tmp_path):
    with pytest.raises(ConverterError, match="卷内没有文件"):
        build_volume([], tmp_path / "卷.pdf", branch=BRANCH, term_label=TERM, volume_name=VOLUME)
    missing = VolumeEntry("支委会", dt.date(2024, 9, 1), tmp_path / "不存在.docx")
    with pytest.raises(ConverterError, match="不存在.docx"):
        build_volume([missing], tmp_path / "卷.pdf", branch=BRANCH, term_label=TERM, volume_name=VOLUME)


def test_date_range():
    entries = [
        VolumeEntry("a", dt.date(2025, 1, 10), Path("a")),
        VolumeEntry("b", dt.date(2024, 9, 3), Path("b")),
    ]
    assert date_range(entries) == "2024年9月3日—2025年1月10日"
    assert date_range(entries[:1]) == "2025年1月10日"


def test_fontconfig_file_is_shipped_and_valid():
    from pipeline.printing.convert import FONTS_CONF

    assert FONTS_CONF.is_file()
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    for name, expect in (("仿宋_GB2312", "Serif"), ("黑体", "Sans"), ("方正小标宋简体", "Serif")):
        out = subprocess.run(
            ["fc-match", f"{name}:lang=zh-cn", "family"], capture_output=True, text=True, env=env, check=True
        )
        assert expect in out.stdout or "WenQuanYi" in out.stdout, (name, out.stdout)
        assert "warning" not in out.stderr.lower(), out.stderr
