"""Scans made in the tests from records zhibu renders itself.

A note is filed by zhibu, its minutes printed to PDF by LibreOffice (a PDF with a text layer, as
Word/WPS export), then rasterised by poppler at 150-300 dpi and spoilt as a scanner or a phone
spoils a page: a slight skew, grain, JPEG artefacts, a 90° turn. A stand-in for handwriting is
drawn glyph by glyph, each tilted, sheared and wobbled. And hostile PDFs: encrypted, truncated,
a stream that inflates to hundreds of megabytes, too many pages, an enormous page.
"""

from __future__ import annotations

import io
import math
import random
import subprocess
import tempfile
import zlib
from pathlib import Path

import img2pdf
import numpy as np
import pikepdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.commands.cli import cli
from pipeline.config import demo_config_text
from pipeline.office.convert import convert_documents

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

# Invented meetings (names and places are made up), one per record.
NOTES = {
    "支委会": """会议类型：支委会
会议名称：研究秋季学期党员发展工作
时间：2024年10月15日 下午3:00
地点：实训楼四楼会议室
主持人：柯景行
记录人：严素秋
应到人数：5
出席人员：柯景行、严素秋、祁望舒、詹立言、宁澄
缺席人员：无
会议内容：
组织委员严素秋汇报了三名入党积极分子的培养情况。
决议：
同意将祁望舒同志的考察材料报学院党委。
""",
    "支部党员大会": """会议类型：支部党员大会
会议名称：学习党的二十届三中全会精神
时间：2024年11月20日 14:30
地点：图书馆报告厅
主持人：柯景行
记录人：严素秋
应到人数：12
实到人数：11
缺席人员：邵明远（出差）
会议内容：
全体党员集中学习全会公报，结合教学科研工作开展讨论。
""",
    "党课": """会议类型：党课
会议名称：坚定理想信念　争做四有好老师
时间：2024年12月6日 15:00
地点：行政楼二楼报告厅
主持人：柯景行
主讲人：柯景行
记录人：严素秋
会议内容：
书记结合师德师风建设讲授专题党课，全体党员认真听讲并交流体会。
""",
}


def filed_record_pdfs(root: Path, out: Path, names: tuple[str, ...] = tuple(NOTES)) -> dict[str, Path]:
    """Each note filed by zhibu in a workspace of its own, its minutes printed to PDF."""
    from click.testing import CliRunner

    runner = CliRunner()
    runner.invoke(cli, ["init", str(root)], catch_exceptions=False)
    (root / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")
    for name in names:
        (root / "inbox" / f"{name}.txt").write_text(NOTES[name], encoding="utf-8")
    result = runner.invoke(cli, ["run", "-w", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    made = {}
    for docx in sorted((root / "outbox").rglob("*.docx")):
        kind = next((n for n in names if f" {n} " in docx.name), None)
        if kind:
            made[kind] = docx
    converted = convert_documents(list(made.values()), out, workers=1)
    assert not converted.failures, converted.failures
    return {kind: converted.pdfs[docx] for kind, docx in made.items()}


def rasterise(pdf: Path, dpi: int) -> list[Image.Image]:
    """The pages of a PDF as greyscale images (poppler's pdftoppm)."""
    with tempfile.TemporaryDirectory(prefix="zhibu-test-raster-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p"], check=True)
        pages = []
        for png in sorted(Path(tmp).glob("p-*.png")):
            with Image.open(png) as im:
                pages.append(im.copy())
        return pages


def spoil(page: Image.Image, *, skew: float = 1.0, noise: float = 12.0, seed: int = 7) -> Image.Image:
    """A scanner's page: turned by ``skew`` degrees, with grain."""
    im = page.convert("L").rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    grain = np.random.default_rng(seed).normal(0, noise, (im.height, im.width))
    return Image.fromarray((np.asarray(im, dtype=np.float32) + grain).clip(0, 255).astype(np.uint8))


def phone_photo(page: Image.Image) -> Image.Image:
    """A page photographed sideways: turned 90°, slightly tilted, a little soft, warm paper."""
    im = spoil(page, skew=-1.5, noise=8).filter(ImageFilter.GaussianBlur(0.6))
    rgb = Image.merge("RGB", (im, im.point(lambda v: v * 0.97), im.point(lambda v: v * 0.9)))
    return rgb.rotate(90, expand=True)


def jpeg(image: Image.Image, quality: int = 60, dpi: int = 200) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def image_pdf(images: list[Image.Image], dpi: int = 200) -> bytes:
    """An image-only PDF, as a scanner writes it (JPEG pages, no text layer)."""
    return img2pdf.convert([jpeg(im, 70, dpi) for im in images])


def scrawl(lines: list[str], seed: int = 3, tilt: float = 8.0) -> Image.Image:
    """A stand-in for a handwritten page: each character tilted (up to ``tilt`` degrees), sheared
    and wobbled. RapidOCR still reads much of it at 8°; at 35° it reads next to nothing sure."""
    rng = random.Random(seed)
    page = Image.new("L", (1654, 2339), 250)  # A4 at 200 dpi
    y = 220
    for line in lines:
        x = 160
        for ch in line:
            size = rng.randint(55, 72)
            glyph = _glyph(ch, size, rng, tilt)
            ink = Image.new("L", glyph.size, rng.randint(20, 70))
            page.paste(ink, (x, y + rng.randint(-20, 20)), glyph)
            x += int(size * rng.uniform(0.8, 1.0))
            if x > page.width - 200:
                break
        y += rng.randint(110, 150)
    return page


def _glyph(ch: str, size: int, rng: random.Random, tilt: float) -> Image.Image:
    font = ImageFont.truetype(CJK_FONT, size)
    glyph = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(glyph).text(
        (size // 2, size // 3), ch, fill=255, font=font, stroke_width=rng.randint(1, 3)
    )
    shear = rng.uniform(-0.3, 0.3)
    glyph = glyph.transform(
        glyph.size,
        Image.Transform.AFFINE,
        (1, shear, -shear * size, rng.uniform(-0.3, 0.3), 1, 0),
        resample=Image.Resampling.BICUBIC,
    )
    rows = np.asarray(glyph.rotate(rng.uniform(-tilt, tilt), resample=Image.Resampling.BICUBIC))
    amp, freq = rng.uniform(2, 6), rng.uniform(0.05, 0.12)
    wobbled = np.stack([np.roll(row, int(amp * math.sin(freq * r))) for r, row in enumerate(rows)])
    return Image.fromarray(wobbled).filter(ImageFilter.GaussianBlur(1.2))


# --- hostile PDFs ----------------------------------------------------------------------------


def encrypted(pdf: Path, target: Path) -> Path:
    with pikepdf.open(pdf) as doc:
        doc.save(target, encryption=pikepdf.Encryption(user="mima123", owner="mima456"))
    return target


def truncated(pdf: Path, target: Path) -> Path:
    data = pdf.read_bytes()
    target.write_bytes(data[: len(data) // 3])
    return target


def bomb(target: Path, megabytes: int = 300) -> Path:
    """A one-page PDF whose content stream is a few hundred KB and inflates to ``megabytes``."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    packed = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    doc = pikepdf.new()
    doc.add_blank_page()
    stream = pikepdf.Stream(doc, packed)
    stream.Filter = pikepdf.Name.FlateDecode
    doc.pages[0].Contents = doc.make_indirect(stream)
    doc.save(target)
    return target


def pixel_bomb(target: Path, side: int = 20000) -> Path:
    """A page holding a 1-bit image of ``side`` x ``side`` pixels that packs into a few KB."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (side // 8)
    packed = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    doc = pikepdf.new()
    doc.add_blank_page()
    image = pikepdf.Stream(doc, packed)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = side, side, 1
    image.ColorSpace, image.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.FlateDecode
    page = doc.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=doc.make_indirect(image)))
    page.Contents = doc.make_indirect(pikepdf.Stream(doc, b"q 612 0 0 792 0 0 cm /Im0 Do Q"))
    doc.save(target)
    return target


def many_pages(target: Path, pages: int) -> Path:
    doc = pikepdf.new()
    for _ in range(pages):
        doc.add_blank_page()
    doc.save(target)
    return target


def giant_page(target: Path) -> Path:
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(14400, 14400))  # 5 m by 5 m
    doc.save(target)
    return target


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
