"""Test helpers for the LibreOffice converter: hostile documents, a recording server, a fake soffice."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import stat
import struct
import sys
import threading
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.shared import Mm

HANG_MARKER = "此文件会让转换程序卡住"


def png_bytes(rgb=(200, 30, 30), size: int = 40) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _rewrite(path: Path, edit) -> None:
    with zipfile.ZipFile(path) as zin:
        items = {i.filename: zin.read(i) for i in zin.infolist()}
    edit(items)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items.items():
            zout.writestr(name, data)


def linked_image_docx(path: Path, url: str, text: str = "外部图片测试") -> Path:
    """A .docx whose only image is not embedded but linked to ``url`` (TargetMode="External")."""
    doc = Document()
    doc.add_paragraph(text)
    doc.add_picture(io.BytesIO(png_bytes()), width=Mm(20))
    doc.add_paragraph("正文结束")
    doc.save(path)

    def edit(items):
        rels = items["word/_rels/document.xml.rels"].decode()
        m = re.search(r'<Relationship Id="(rId\d+)" Type="([^"]+/image)" Target="[^"]+"/>', rels)
        rid = m.group(1)
        rels = rels.replace(
            m.group(0), f'<Relationship Id="{rid}" Type="{m.group(2)}" Target="{url}" TargetMode="External"/>'
        )
        items["word/_rels/document.xml.rels"] = rels.encode()
        body = items["word/document.xml"].decode().replace(f'r:embed="{rid}"', f'r:link="{rid}"')
        items["word/document.xml"] = body.encode()
        for name in [n for n in items if n.startswith("word/media/")]:
            del items[name]

    _rewrite(path, edit)
    return path


def field_docx(path: Path, instr: str, shown: str, text: str = "域测试") -> Path:
    """A .docx with one complex field (``instr``) whose last shown result is ``shown``."""
    doc = Document()
    doc.add_paragraph(text)
    doc.add_paragraph("FIELDHERE")
    doc.save(path)
    runs = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )

    def edit(items):
        body = items["word/document.xml"].decode()
        body = re.sub(
            r"<w:r>(?:(?!<w:r>).)*?FIELDHERE</w:t></w:r>", lambda _: runs, body, count=1, flags=re.S
        )
        assert instr.split()[0] in body
        items["word/document.xml"] = body.encode()

    _rewrite(path, edit)
    return path


class RecordingServer:
    """A loopback HTTP server that records every request it gets (and answers with a PNG)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                outer.requests.append(f"{self.command} {self.path}")
                body = png_bytes((0, 0, 200))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


FAKE_SOFFICE = """#!{python}
# A LibreOffice that hangs on documents holding the marker and converts the others with the
# real one, one file per start, in argument order (as LibreOffice does).
import subprocess, sys, zipfile
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
files = args[args.index("--outdir") + 2:]
options = args[:args.index("--outdir")]
for f in files:
    try:
        body = zipfile.ZipFile(f).read("word/document.xml").decode("utf-8")
    except Exception:
        body = ""
    if {marker!r} in body:
        subprocess.run(["sleep", "600"])  # a child, like soffice.bin
    subprocess.run([{real!r}, *options, "--outdir", outdir, f],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
"""


def fake_soffice(folder: Path) -> Path:
    """An executable stand-in for soffice that hangs on :data:`HANG_MARKER` documents."""
    real = shutil.which("soffice")
    assert real, "LibreOffice is needed for this test"
    fake = folder / "soffice"
    fake.write_text(FAKE_SOFFICE.format(python=sys.executable, marker=HANG_MARKER, real=real))
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return fake
