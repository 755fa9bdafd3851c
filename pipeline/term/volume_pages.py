"""Where each document sits in a printed volume: ``zhibu print`` records, beside the index, the
page numbers of each document of the volume it bound (``.zhibu/volumes/<term>.json``), so the
支撑材料目录 can say "《2024—2025学年第一学期组织活动记录卷》第12—15页". A record is used only
while its volume PDF exists and is the one it describes (same size and time of change).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.fs.files import publish

FOLDER = "volumes"


def record_volume(ws, term_id: str, volume: Path, title: str, pages: dict[str, tuple[int, int]]) -> None:
    """Remember the pages (first, last) of each document (path relative to the workspace root)."""
    stat = volume.stat()
    data = {
        "volume": volume.relative_to(ws.root).as_posix(),
        "title": title,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "pages": {p: list(span) for p, span in pages.items()},
    }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    publish(ws.state / FOLDER / f"{term_id}.json", data=text.encode("utf-8"))


def volume_pages(ws) -> dict[str, str]:
    """Each bound document's place: path (relative to the root) -> 《…卷》第N页 / 第N—M页."""
    out: dict[str, str] = {}
    folder = ws.state / FOLDER
    for record in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            pdf = ws.root / data["volume"]
            stat = pdf.stat()
            if (stat.st_size, stat.st_mtime_ns) != (data["size"], data["mtime_ns"]):
                continue  # the volume was made again or replaced since: its pages are unknown
            for path, (first, last) in data["pages"].items():
                pages = f"第{first}页" if first == last else f"第{first}—{last}页"
                out[path] = f"《{data['title']}》{pages}"
        except (OSError, ValueError, KeyError, TypeError):
            continue  # no volume, or a damaged record: no page is said
    return out
