"""Index columns filled once for rows filed before the column existed, from what is on disk."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from pipeline.records.archived import talk_pair

log = logging.getLogger("zhibu")
_LABELS = ("谈话人", "谈话对象")


def _document_fields(path: Path) -> dict[str, str]:
    """The 谈话人/谈话对象 lines a talk template prints, read from the archived document."""
    from docx import Document

    fields: dict[str, str] = {}
    for p in Document(str(path)).paragraphs[:30]:
        text = p.text.replace("\u3000", "").replace(" ", "").replace(":", "：")
        label, sep, value = text.partition("：")
        if sep and label in _LABELS and label not in fields:
            fields[label] = value.strip()
    return fields


def talk_people(db: sqlite3.Connection, index: Path) -> None:
    """谈话人 and 谈话对象 of every talk record filed without them: from its document's lines,
    else the 主持人 and the title (沈轶娜与张伟谈话). The index is ``<workspace>/.zhibu/…``."""
    root = index.parent.parent
    rows = db.execute(
        "SELECT id, path, title, chair FROM outputs WHERE meeting_type = '谈心谈话' AND talker IS NULL"
    ).fetchall()
    for r in rows:
        fields: dict[str, str] = {}
        path = root / (r["path"] or "")
        if path.suffix.lower() == ".docx" and path.is_file():
            try:
                fields = _document_fields(path)
            except Exception as exc:  # noqa: BLE001 - a damaged document only loses the names
                log.info("cannot read the talk record %s: %s", path, exc)
        named = talk_pair(r["title"] or "")
        talker = fields.get("谈话人") or (r["chair"] or "").strip() or named[0]
        partner = fields.get("谈话对象") or named[1]
        db.execute("UPDATE outputs SET talker = ?, partner = ? WHERE id = ?", (talker, partner, r["id"]))
