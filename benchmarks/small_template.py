"""Build benchmarks/minutes-word-small.docx: zhibu's minutes template as an office suite saves it.

    python benchmarks/small_template.py

The default template (templates/会议记录.docx) is built with python-docx, whose package carries
about 790 KB of style XML (every built-in style, plus stylesWithEffects.xml). A template the
secretary saves from Word or WPS carries only the styles in use, about 30 KB. This script saves
the default template through LibreOffice (which drops stylesWithEffects.xml and the thumbnail)
and then keeps only the styles the document uses (and those they are based on), as Word does;
the Jinja tags stay as they are. The result is committed, so the benchmark needs no LibreOffice.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "templates" / "会议记录.docx"
TARGET = ROOT / "benchmarks" / "minutes-word-small.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLE_REFERENCE = re.compile(r'w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')


def save_through_libreoffice(source: Path, folder: Path) -> Path:
    profile = (folder / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return folder / "out" / source.name


def used_styles_only(styles_xml: bytes, other_parts: list[bytes]) -> bytes:
    """styles.xml without the styles nothing refers to (directly or through basedOn/next/link)."""
    root = etree.fromstring(styles_xml)
    styles = {s.get(f"{{{W}}}styleId"): s for s in root.iter(f"{{{W}}}style")}
    keep = {i for i, s in styles.items() if s.get(f"{{{W}}}default") == "1"}
    keep |= {ref for part in other_parts for ref in STYLE_REFERENCE.findall(part.decode("utf-8"))}
    todo = list(keep)
    while todo:
        style = styles.get(todo.pop())
        for tag in ("basedOn", "next", "link"):
            found = None if style is None else style.find(f"{{{W}}}{tag}")
            if found is not None and found.get(f"{{{W}}}val") not in keep:
                keep.add(found.get(f"{{{W}}}val"))
                todo.append(found.get(f"{{{W}}}val"))
    for style_id, style in styles.items():
        if style_id not in keep:
            root.remove(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice (soffice) is needed to build the small template")
    with tempfile.TemporaryDirectory(prefix="zhibu-small-") as tmp:
        saved = save_through_libreoffice(SOURCE, Path(tmp))
        with zipfile.ZipFile(saved) as zf:
            members = {info: zf.read(info) for info in zf.infolist()}
    others = [data for info, data in members.items() if info.filename.startswith("word/") and
              info.filename.endswith(".xml") and info.filename != "word/styles.xml"]  # fmt: skip
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members.items():
            if info.filename == "word/styles.xml":
                data = used_styles_only(data, others)
            out.writestr(info.filename, data)
    TARGET.write_bytes(buf.getvalue())
    print(f"{TARGET.relative_to(ROOT)}: {len(buf.getvalue()):,} bytes")


if __name__ == "__main__":
    main()
