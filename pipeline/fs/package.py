"""Office Open XML packages (.docx, .xlsx) made byte-stable: the same content gives the same bytes."""

from __future__ import annotations

import io
import re
import zipfile

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def stable_package(data: bytes) -> bytes:
    """The same Office package (.docx or .xlsx) with fixed member timestamps, so that equal
    content gives equal bytes.

    This makes ``zhibu batch`` idempotent: a document that did not change is not rewritten and
    no history copy is made. The "modified" time of the core properties (openpyxl sets it to
    the moment of saving) is set to the "created" time, which the builders fix to the day.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                created = _CREATED.search(member)
                if created:
                    stamp = created.group(1).replace(b"\\", b"\\\\")
                    member = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", member)
            dst.writestr(fixed, member)
    return out.getvalue()
