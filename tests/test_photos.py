"""Photos dropped with a note: placed upright in the minutes, small, originals archived beside the note."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from pipeline.render.minutes import PHOTO_MARK

NOTE = """会议类型：主题党日
会议名称：参观红色教育基地
时间：2024年10月25日 9:00
地点：市革命历史纪念馆
主持人：柏青原
记录人：聂思远
出席人员：柏青原、聂思远、岑晓彤
活动内容：
全体党员参观了纪念馆并重温入党誓词。
"""
RED = (220, 20, 20)


def photo(
    width: int, height: int, *, fmt="JPEG", orientation: int | None = None, noise=False, quality=85
) -> bytes:
    """A test photo: a gradient, a red band along the top of the stored pixels, optional noise."""
    im = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    if noise:
        grain = Image.effect_noise((width, height), 90).convert("RGB")
        im = Image.blend(im, grain, 0.6)
    band = Image.new("RGB", (width, max(height // 8, 1)), RED)
    im.paste(band, (0, 0))
    out = io.BytesIO()
    if fmt == "PNG":
        im = im.convert("RGBA")
        im.putpixel((0, height - 1), (0, 0, 0, 0))
        im.save(out, "PNG")
    else:
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
        im.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def _images(docx: Path) -> list[Image.Image]:
    doc = Document(str(docx))
    blobs = []
    for blip in doc.element.body.iter(qn("a:blip")):
        part = doc.part.related_parts[blip.get(qn("r:embed"))]
        blobs.append(Image.open(io.BytesIO(part.blob)))
    return blobs


def _extents(docx: Path) -> list[tuple[int, int]]:
    doc = Document(str(docx))
    return [(int(e.get("cx")), int(e.get("cy"))) for e in doc.element.body.iter(qn("wp:extent"))]


@pytest.mark.slow
def test_six_photos_in_a_note_folder(ws):
    folder = "2024-10-25 主题党日"
    big = photo(4000, 3000, noise=True, quality=97)
    assert len(big) > 8 * 1024 * 1024  # a phone photo of many MB
    files = {
        "01-参观展馆.jpg": big,
        "02-重温入党誓词.jpg": photo(800, 600, orientation=6),  # stored landscape, shown portrait
        "03-集体合影.png": photo(1200, 800, fmt="PNG"),
        "04-聆听讲解.jpg": photo(1600, 1200, noise=True),
        "IMG_2034.jpg": photo(1024, 768),
        "05-交流发言.jpeg": photo(900, 1200),
    }
    ws.drop(f"{folder}/笔记.txt", NOTE)
    for name, data in files.items():
        ws.drop(f"{folder}/{name}", data)
    result = ws.run(ok=True)
    assert "6 张照片已放入记录" in result.output
    [out] = ws.outputs("**/会议记录/**/*.docx")
    assert out.stat().st_size < 3 * 1024 * 1024

    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "活动照片" in paragraphs
    # Above the signatures.
    assert paragraphs.index("活动照片") < next(i for i, t in enumerate(paragraphs) if "签字" in t)
    [table] = [t for t in doc.tables if "参观展馆" in "".join(c.text for r in t.rows for c in r.cells)]
    assert len(table.columns) == 2 and len(table.rows) == 3
    captions = [c.text.strip() for r in table.rows for c in r.cells]
    assert captions == ["参观展馆", "重温入党誓词", "集体合影", "聆听讲解", "交流发言", ""]

    images = _images(out)
    assert len(images) == 6
    assert all(max(im.size) <= 1280 for im in images)
    rotated = images[1]
    assert rotated.height > rotated.width  # upright: portrait as the camera showed it
    # Orientation 6 turns the stored top edge (the red band) to the right-hand side.
    right = rotated.getpixel((rotated.width - 5, rotated.height // 2))
    left = rotated.getpixel((5, rotated.height // 2))
    assert right[0] > 180 and right[1] < 80 and not (left[0] > 180 and left[1] < 80)
    # Scaled to fit half the text width (156 mm), portrait photos no taller than 110 mm.
    section = doc.sections[0]
    half = (section.page_width - section.left_margin - section.right_margin) // 2
    assert all(cx <= half and cy <= 110 * 36000 + 1 for cx, cy in _extents(out))

    # The originals are archived unchanged beside the note; nothing stays in the inbox.
    archived = next((ws.root / "outbox").rglob("笔记 照片"))
    assert {p.name: p.read_bytes() for p in archived.iterdir()} == files
    assert not [p for p in (ws.root / "inbox" / folder).glob("*") if p.is_file()]


def test_photos_named_after_the_note(ws):
    ws.drop("2024-10-25 主题党日.txt", NOTE)
    ws.drop("2024-10-25 主题党日-参观展馆.jpg", photo(640, 480))
    ws.drop("2024-10-25 主题党日-2.png", photo(320, 240, fmt="PNG"))
    ws.drop("其他活动.jpg", photo(100, 100))  # belongs to no note: not taken
    result = ws.run()
    assert "2 张照片已放入记录" in result.output
    [out] = ws.outputs("**/会议记录/**/*.docx")
    assert len(_images(out)) == 2
    text = "\n".join(c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells)
    assert "参观展馆" in text and "2" not in text  # a bare number is no caption
    # The lone image is an input of its own: refused with a reason, never lost.
    assert (ws.root / "inbox" / "失败" / "其他活动.jpg").is_file()
    reason = (ws.root / "inbox" / "失败" / "其他活动.jpg.原因.txt").read_text(encoding="utf-8-sig")
    assert "找不到对应的会议笔记" in reason and "其他活动.jpg" in reason


def test_placeholder_in_a_template_places_the_photos(ws):
    template = ws.root / "templates" / "主题党日.docx"
    doc = Document(str(ws.root / "templates" / "会议记录.docx"))
    doc.add_paragraph("{{ 活动照片 }}")
    doc.add_paragraph("以上照片由组织委员拍摄。")
    doc.save(template)
    ws("templates", "check", "-w", ws.root, ok=True)
    ws.drop("2024-10-25 主题党日.txt", NOTE)
    ws.drop("2024-10-25 主题党日-合影.jpg", photo(640, 480))
    ws.drop("2024-10-26 主题党日.txt", NOTE.replace("25日", "26日").replace("参观", "学习"))
    ws.run(ok=True)
    with_photo, without = sorted(ws.outputs("**/会议记录/**/*.docx"))
    body = Document(str(with_photo)).element.body
    kids = list(body)
    table = next(i for i, el in enumerate(kids) if el.tag == qn("w:tbl") and "合影" in _text(el))
    assert "以上照片由组织委员拍摄" in _text(kids[table + 1])
    assert PHOTO_MARK not in _text(body)
    assert "活动照片" not in [p.text for p in Document(str(with_photo)).paragraphs]  # the user placed it
    assert PHOTO_MARK not in _text(Document(str(without)).element.body)
    assert not _images(without)


def test_unreadable_photo_is_reported_and_archived(ws):
    ws.drop("2024-10-25 主题党日/笔记.txt", NOTE)
    ws.drop("2024-10-25 主题党日/坏照片.jpg", b"\xff\xd8 not a jpeg")
    ws.drop("2024-10-25 主题党日/合影.jpg", photo(640, 480))
    result = ws.run(ok=True)
    assert "2 张照片中 1 张已放入记录，1 张无法读取：「坏照片.jpg」" in result.output
    [out] = ws.outputs("**/会议记录/**/*.docx")
    assert len(_images(out)) == 1
    archived = next((ws.root / "outbox").rglob("笔记 照片"))
    assert sorted(p.name for p in archived.iterdir()) == ["合影.jpg", "坏照片.jpg"]


def test_caption_rules():
    from pipeline.learn.photo_pages import caption

    assert caption(Path("2024-10-25 主题党日-1-参观展馆.jpg"), "2024-10-25 主题党日") == "参观展馆"
    assert caption(Path("参观展馆.jpg"), "笔记") == "参观展馆"
    assert caption(Path("IMG_20241025_101112.jpg"), "笔记") == ""
    assert caption(Path("微信图片_20241025.jpg"), "笔记") == ""
    assert caption(Path("3号楼前合影.jpg"), "笔记") == "3号楼前合影"


@pytest.mark.slow
def test_rerender_keeps_the_photos(ws):
    ws.drop("2024-10-25 主题党日.txt", NOTE)
    ws.drop("2024-10-25 主题党日-合影.jpg", photo(640, 480))
    ws.run(ok=True)
    template = ws.root / "templates" / "会议记录.docx"
    doc = Document(str(template))
    doc.add_paragraph("（本记录由支部组织委员归档）")
    doc.save(template)
    ws(
        "batch",
        "-w",
        ws.root,
        "--term",
        "2024-2025-1",
        "--rerender",
        "--jobs",
        "1",
        "--date",
        "2025-02-20",
        ok=True,
    )
    [out] = ws.outputs("**/会议记录/**/*.docx")
    text = [p.text for p in Document(str(out)).paragraphs]
    assert "（本记录由支部组织委员归档）" in text and "活动照片" in text
    assert len(_images(out)) == 1
