"""zhibu pdf / zhibu print through the CLI, with real LibreOffice (issue 6)."""

from __future__ import annotations

import subprocess

from pypdf import PdfReader


def _text(pdf, page):
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_print_volume_of_the_demo_term(ws):
    ws("demo", "-w", ws.root, ok=True)
    result = ws("print", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    volume = ws.root / result.output.strip().splitlines()[-1]
    assert volume.is_file() and volume.name == "2024-2025学年第一学期 组织活动记录卷.pdf"
    reader = PdfReader(str(volume))
    cover = _text(volume, 1).replace(" ", "")
    assert "汽车运用工程系党支部" in cover and "2024—2025学年第一学期" in cover and "本卷件数6件" in cover
    toc = _text(volume, 2)
    toc = toc.replace(" ", "")
    # Titles wrap inside their cell; the row of the 支委会 shows its date and start page 3.
    assert "卷内目录" in toc and "支委会会议记录（讨论确定发展对" in toc and "2024年10月8日3\n" in toc
    # Every page after the front matter carries Chinese text (fonts embedded, nothing blank).
    for page in range(3, len(reader.pages) + 1):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in _text(volume, page)), page


def test_pdf_beside_each_document_of_a_term(ws):
    ws("demo", "-w", ws.root, ok=True)
    result = ws("pdf", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    docs = ws.outputs()
    assert docs and "失败 0 份" in result.output
    for doc in docs:
        pdf = doc.with_suffix(".pdf")
        assert pdf.is_file() and len(PdfReader(str(pdf)).pages) >= 1


def test_pdf_without_arguments_is_a_chinese_usage_error(ws):
    result = ws("pdf", "-w", ws.root)
    assert result.exit_code != 0 and "请指定要转换的文件" in result.output


def test_print_of_an_empty_term_says_so(ws):
    result = ws("print", "-w", ws.root, "--term", "2023-2024-2", ok=False)
    assert "还没有任何已归档的文档" in result.output
