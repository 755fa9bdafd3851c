"""What a file really is: the one detector of inputs saved under the wrong extension."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pipeline.errors import UnsupportedFileError
from pipeline.ingest.filetype import actual_format, check_extension
from tests.support.fault_cases4 import _docx_bytes
from tests.support.faults import xlsx


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, fmt)
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # an old Office file's header, then its directory


CONTENT = {
    "xls": lambda: OLE + "Workbook".encode("utf-16-le") + b"\0" * 64,
    "doc": lambda: OLE + "WordDocument".encode("utf-16-le") + b"\0" * 64,
    "xlsx": lambda: xlsx([("党员名册", [["序号", "姓名"], [1, "沈轶娜"]], False)]),
    "docx": _docx_bytes,
    "pdf": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    "jpg": lambda: _image("JPEG"),
    "png": lambda: _image("PNG"),
}


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        ("xlsx", "名册.docx", "这个文件实际上是 Excel 表格，请把扩展名改为 .xlsx 后重新放入"),
        ("xlsx", "名册.csv", "这个文件实际上是 Excel 表格，请把扩展名改为 .xlsx 后重新放入"),
        ("xlsx", "名册", "这个文件实际上是 Excel 表格，请把扩展名改为 .xlsx 后重新放入"),
        ("docx", "支委会.xlsx", "这个文件实际上是 Word 文档，请把扩展名改为 .docx 后重新放入"),
        ("docx", "支委会.txt", "这个文件实际上是 Word 文档，请把扩展名改为 .docx 后重新放入"),
        ("pdf", "支委会.docx", "这个文件实际上是 PDF 文件，请把扩展名改为 .pdf 后重新放入"),
        ("jpg", "合影.txt", "这个文件实际上是 JPG 图片，请把扩展名改为 .jpg 后重新放入"),
        ("xls", "名册.xlsx", "这个文件实际上是 Excel 97-2003 表格，请把扩展名改为 .xls 后重新放入"),
        ("doc", "支委会.docx", "这个文件实际上是 Word 97-2003 文档，请把扩展名改为 .doc 后重新放入"),
    ],
)
def test_the_wrong_extension_is_named(tmp_path, content, name, said):
    path = tmp_path / name
    path.write_bytes(CONTENT[content]())
    with pytest.raises(UnsupportedFileError) as caught:
        check_extension(path)
    assert said in str(caught.value)


@pytest.mark.parametrize(
    ("content", "name"),
    [("xlsx", "名册.xlsx"), ("xlsx", "名册.xls"), ("xls", "名册.et"), ("doc", "支委会.wps"), ("docx", "支委会.docx"), ("docx", "支委会.doc"),
     ("pdf", "支委会.pdf"), ("jpg", "合影.jpeg"), ("png", "合影.jpg"), ("png", "合影.png")],
)  # fmt: skip
def test_what_zhibu_reads_by_its_extension_passes(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(CONTENT[content]())
    check_extension(path)


def test_text_and_broken_packages_are_left_to_the_readers(tmp_path):
    for name, data in [
        ("支委会.txt", "会议类型：支委会\n".encode()),
        ("坏.docx", b"PK\x03\x04broken"),
        ("空.txt", b""),
    ]:
        (tmp_path / name).write_bytes(data)
        assert actual_format(tmp_path / name) is None
        check_extension(tmp_path / name)
