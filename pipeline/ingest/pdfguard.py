"""Check a PDF before any reader or OCR engine touches it.

A PDF can be encrypted (an open password), truncated, or built to exhaust a reader: thousands
of pages, a page of several square metres, an image of a billion pixels, or a stream of a few
kilobytes that inflates to gigabytes (a "PDF bomb"). Each is refused here with a Chinese
reason, using qpdf (through pikepdf) which reads the structure without rendering anything;
streams are inflated incrementally and never beyond the limit.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import UnreadableFileError, UnsupportedFileError

# A page larger than A0 (841 x 1189 mm) is no record: 3370 x 3370 pt is about A0's long side.
MAX_PAGE_POINTS = 3370
# What one stream may inflate to: a scanned A4 page at 600 dpi in colour is about 100 MB raw.
MAX_STREAM_BYTES = 200 * 1024 * 1024
MAX_OBJECTS = 200_000
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PdfLimits:
    """The [scan] settings that bound what is read: pages per file and pixels per page."""

    max_pages: int = 30
    max_megapixels: float = 60.0


def check_pdf(path: Path, limits: PdfLimits) -> int:
    """Raise an InputError if ``path`` is not a PDF zhibu may read; return its page count."""
    import pikepdf

    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise UnreadableFileError(
            "文件已损坏或不是 PDF 文件（开头没有 PDF 标记）",
            hint="请用 PDF 阅读器打开原文件确认能正常显示，再重新导出或扫描。",
        )
    try:
        with pikepdf.open(path) as pdf:
            return _check_open(pdf, limits)
    except pikepdf.PasswordError:
        raise UnsupportedFileError(
            "这个 PDF 设置了打开密码，无法读取",
            hint="请在 PDF 阅读器或 WPS 中取消密码（或用“打印为 PDF”另存一份不加密的），再放入收件箱。",
        ) from None
    except pikepdf.PdfError as exc:
        raise UnreadableFileError(
            f"PDF 文件已损坏，无法读取（{str(exc)[:80]}）",
            hint="请用 PDF 阅读器打开原文件确认能正常显示，再重新导出或扫描。",
        ) from None


def _check_open(pdf, limits: PdfLimits) -> int:
    import pikepdf

    count = len(pdf.pages)
    if count == 0:
        raise UnreadableFileError("这个 PDF 一页也没有", hint="请确认导出或扫描完整后再放入收件箱。")
    if count > limits.max_pages:
        raise UnsupportedFileError(
            f"这个 PDF 有 {count} 页，超过了一份记录的上限（{limits.max_pages} 页）",
            hint="请按会议拆成几个文件再放入；确需更多页时，在 zhibu.toml 的 [scan] 中调大 max_pages。",
        )
    if len(pdf.objects) > MAX_OBJECTS:
        raise UnreadableFileError(
            f"PDF 内部有 {len(pdf.objects)} 个对象，远超正常文档，已拒绝处理",
            hint="这可能是损坏或恶意构造的文件，请重新导出后再放入。",
        )
    for number, page in enumerate(pdf.pages, start=1):
        _check_page(page, number, limits)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            _check_stream(obj)
    return count


def _check_page(page, number: int, limits: PdfLimits) -> None:
    box = [float(v) for v in page.mediabox]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if width > MAX_PAGE_POINTS or height > MAX_PAGE_POINTS:
        raise UnsupportedFileError(
            f"PDF 第{number}页的页面有 {width / 72 * 25.4:.0f}×{height / 72 * 25.4:.0f} 毫米，远大于正常纸张",
            hint="请确认这是会议记录的扫描件或导出的 PDF；海报、图纸不能作为记录归档。",
        )
    for name, image in _page_images(page):
        pixels = int(image.get("/Width", 0)) * int(image.get("/Height", 0))
        if pixels > limits.max_megapixels * 1_000_000:
            raise UnsupportedFileError(
                f"PDF 第{number}页的图片「{name}」有 {pixels / 1e6:.0f} 百万像素，超过上限"
                f"（{limits.max_megapixels:g} 百万像素）",
                hint="扫描时选 300 dpi 即可；确需更大的图片时，在 zhibu.toml 的 [scan] 中调大 max_megapixels。",
            )


def _page_images(page):
    try:
        # get_images (pikepdf 10) also finds the images inside form XObjects.
        images = page.get_images() if hasattr(page, "get_images") else page.images
        return [(str(k), v) for k, v in images.items()]
    except Exception:  # a malformed resource dictionary: the stream check still applies
        return []


def _check_stream(stream) -> None:
    """Inflate a Flate stream piece by piece; refuse it when it would pass MAX_STREAM_BYTES."""
    import pikepdf

    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    if "/FlateDecode" not in names:
        return
    try:
        raw = stream.read_raw_bytes()
    except pikepdf.PdfError:
        return  # unreadable streams are reported by the reader itself
    inflater = zlib.decompressobj()
    size, data = 0, raw
    try:
        while data:
            out = inflater.decompress(data, _CHUNK)
            size += len(out)
            if size > MAX_STREAM_BYTES:
                raise UnreadableFileError(
                    f"PDF 里有一段数据解压后超过 {MAX_STREAM_BYTES // (1024 * 1024)} MB，像是恶意构造的“PDF 炸弹”",
                    hint="请确认文件来源；正常的记录请重新导出或扫描后再放入。",
                )
            data = inflater.unconsumed_tail
    except zlib.error:
        return  # a damaged stream: the reader reports what it can
