"""Decode the bytes of a text file saved on a Chinese Windows PC.

Notepad writes UTF-8 (with or without BOM), "Unicode" (UTF-16 LE with BOM) and "ANSI"
(GBK, i.e. GB18030 for our purpose). BOMs are certain; strict UTF-8 is nearly certain;
for the rest charset-normalizer picks among the encodings a Chinese PC produces.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from pipeline.errors import UnreadableFileError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be"]


def _looks_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, file_name: str) -> str:
    """The text of a note or CSV file; raises UnreadableFileError for binary junk."""
    if not data.strip():
        raise UnreadableFileError("文件是空的", hint="请确认保存了内容后再放入收件箱。")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(encoding), file_name)
            except UnicodeDecodeError:
                break
    try:
        return _finish(data.decode("utf-8"), file_name)
    except UnicodeDecodeError:
        pass
    utf16 = _looks_utf16_without_bom(data)
    if utf16:
        try:
            return _finish(data.decode(utf16), file_name)
        except UnicodeDecodeError:
            pass
    if b"\x00" not in data:
        best = from_bytes(data, cp_isolation=_CANDIDATES).best()
        if best is not None and best.chaos < 0.2:
            return _finish(str(best), file_name)
    raise UnreadableFileError(
        "无法识别文件的文字编码，可能不是文本文件或已损坏",
        hint="请用记事本打开并“另存为”，编码选择 UTF-8 后重新放入收件箱。",
    )


def _finish(text: str, file_name: str) -> str:
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if text and printable / len(text) < 0.9:
        raise UnreadableFileError(
            "文件里大部分是无法显示的字符，不像是文字笔记",
            hint="请确认放入的是会议笔记（.txt/.md/.docx）或登记表（.xlsx/.csv）。",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")
