"""Print a document as the secretary would (LibreOffice → PDF) and read the pages back.

Shared by the layout tests (tests/test_layout_*.py) and ``benchmarks/gallery.py``. Word
documents go through zhibu's own converter; workbooks (.xlsx) through a direct LibreOffice
call with the same private profile and font mapping, since the converter takes Word files only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.office.soffice import find_soffice, fontconfig_file, new_profile, soffice_env
from pipeline.printing.convert import convert_documents


def have_tools() -> bool:
    try:
        find_soffice()
    except Exception:
        return False
    return all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm"))


def to_pdf(paths: list[Path], out_dir: Path) -> dict[Path, Path]:
    """PDF of every document (Word through the converter, workbooks straight through soffice)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    words = [p for p in paths if p.suffix.lower() != ".xlsx"]
    books = [p for p in paths if p.suffix.lower() == ".xlsx"]
    pdfs: dict[Path, Path] = {}
    if words:
        result = convert_documents(words, out_dir, stall=120)
        if result.failures:
            raise RuntimeError(f"conversion failed: {result.failures}")
        pdfs.update({Path(k): Path(v) for k, v in result.pdfs.items()})
    for i, book in enumerate(books):
        pdfs[book] = _calc_to_pdf(book, out_dir, i)
    return pdfs


def _calc_to_pdf(book: Path, out_dir: Path, i: int) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / f"book{i}.xlsx"
        shutil.copyfile(book, src)
        profile = new_profile(root, 0)
        cmd = [
            str(find_soffice()),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root / "out"),
            str(src),
        ]
        env = soffice_env(fontconfig_file(root))
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=180)
        dest = out_dir / f"{book.stem}.pdf"
        shutil.copyfile(root / "out" / f"book{i}.pdf", dest)
    return dest


def page_texts(pdf: Path, *, layout: bool = False) -> list[str]:
    """The text of each page (pdftotext; pages are separated by form feeds)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def page_lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def fonts(pdf: Path) -> list[str]:
    """Font names embedded in the PDF (pdffonts), subset prefix removed."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True).stdout.decode()
    names = []
    for line in out.splitlines()[2:]:
        name = line.split()[0] if line.split() else ""
        names.append(re.sub(r"^[A-Z]{6}\+", "", name))
    return names


def font_sizes(pdf: Path) -> list[float]:
    """The smallest font size of each page's upright text (pdfplumber; a page number stamped turned
    with a landscape page is left aside, its glyph box does not give its size)."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [
            min([c["size"] for c in page.chars if c["text"].strip() and c["upright"]], default=99.0)
            for page in doc.pages
        ]


def page_size_pt(pdf: Path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(str(pdf)).pages]


def to_png(pdf: Path, stem: Path, *, first_only: bool = True, dpi: int = 60) -> list[Path]:
    """Render pages to PNG files ``<stem>-<n>.png``."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    args = ["pdftoppm", "-png", "-r", str(dpi)] + (["-f", "1", "-l", "1"] if first_only else [])
    subprocess.run(args + [str(pdf), str(stem)], check=True, capture_output=True)
    return sorted(stem.parent.glob(stem.name + "-*.png"))
