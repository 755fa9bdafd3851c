"""Photos of an activity: found beside a note, placed in the minutes, archived with the note.

A note comes with photos when it sits in its own folder with images
(``inbox/2024-10-25 主题党日/笔记.txt`` + ``*.jpg``) or when images are named after it
(``2024-10-25 主题党日-参观展馆.jpg`` beside ``2024-10-25 主题党日.txt``). The minutes get a
活动照片 section (or the photos go where the template has ``{{ 活动照片 }}``): two per row,
scaled to the text width, upright (EXIF rotation applied), each captioned with its file name,
downsampled so a phone photo of 12 MB adds a few hundred KB. The originals are archived
unchanged in a folder beside the archived note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.images import IMAGE_SUFFIXES, NOTE_SUFFIXES, SEPARATE_FOLDERS, lead_page
from pipeline.ingest.result import IngestResult
from pipeline.learn.asis import FiledAsIs
from pipeline.records.meeting import Meeting

# Folders whose files are not one activity's note and photos.
NOT_NOTE_FOLDERS = SEPARATE_FOLDERS


@dataclass
class MeetingWithPhotos(Meeting):
    photos: list[Path] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # photos that could not be placed


def _is_image(path: Path) -> bool:
    """A photo file; a link (shortcut) never is one: it is an input of its own, refused as a link,
    so that nothing is archived as a link and nothing outside the inbox is copied."""
    return (
        path.suffix.lower() in IMAGE_SUFFIXES
        and not path.name.startswith(("~$", "."))
        and not path.is_symlink()
    )


def _notes_in(folder: Path) -> list[Path]:
    try:
        return sorted(
            p
            for p in folder.iterdir()
            if p.is_file() and p.suffix.lower() in NOTE_SUFFIXES and not p.name.startswith(("~$", "."))
        )
    except OSError:
        return []


def note_of_photo(photo: Path, inbox: Path) -> Path | None:
    """The input a photo is filed with, when it is still in the inbox: its note, or (for an image
    dropped without a note: a scanned record, ``pipeline.ingest.images``) the record's first page."""
    if not _is_image(photo):
        return None
    return _note_of(photo, inbox) or lead_page(photo, inbox)


def _note_of(photo: Path, inbox: Path) -> Path | None:
    folder = photo.parent
    notes = _notes_in(folder)
    named = [n for n in notes if photo.stem.startswith(n.stem) and photo.stem != n.stem]
    if named:
        return max(named, key=lambda n: len(n.stem))
    if folder != inbox and folder.name not in NOT_NOTE_FOLDERS and len(notes) == 1:
        return notes[0]
    return None


def waiting_reason(path: Path, inbox: Path, name: str) -> str | None:
    """Why an input is not processed on its own: it goes with its note or its first page."""
    owner = note_of_photo(path, inbox)
    if owner is None:
        return None
    if _is_image(owner):
        return f"「{name}」是扫描件「{owner.name}」的其中一页，会和第一页一起处理。"
    return f"照片「{name}」会和它的会议笔记一起处理。"


def photos_of_note(note: Path, inbox: Path) -> list[Path]:
    try:
        images = sorted(p for p in note.parent.iterdir() if p.is_file() and _is_image(p))
    except OSError:
        return []
    return [p for p in images if _note_of(p, inbox) == note]


def attach(result: IngestResult, note: Path, inbox: Path) -> IngestResult:
    """The reading of a note, its meeting carrying the photos found with it. A record filed as it
    is (a finished .docx or PDF) carries them too: they are archived beside it, not placed."""
    if len(result.meetings) != 1:
        return result
    m = result.meetings[0]
    if isinstance(m, FiledAsIs):
        m.photos = photos_of_note(note, inbox)
        return result
    if result.kind != "note" or type(m) is not Meeting:
        return result
    found = photos_of_note(note, inbox)
    if found:
        fields = {k: getattr(m, k) for k in Meeting.__dataclass_fields__}
        result.meetings = [MeetingWithPhotos(**fields, photos=found)]
    return result


def plan_archive(result: IngestResult, plan, outcome) -> None:
    """Move the photos into ``<archived note> 照片/``, and the later pages of a scan into
    ``<archived first page> 其余各页/``, in the same commit as the note."""
    photos = [p for m in result.meetings for p in getattr(m, "photos", [])]
    pages = [p for m in result.meetings for p in getattr(m, "pages", [])]
    placed = not any(isinstance(m, FiledAsIs) for m in result.meetings)
    if photos:
        folder = _move_beside(plan, photos, "照片")
        if not placed:  # a placed photo is counted once the minutes are made (``report_placed``)
            outcome.warnings.append(f"{len(photos)} 张照片归档在 {plan.rel(folder)}")
    if pages:
        folder = _move_beside(plan, pages, "其余各页")
        outcome.warnings.append(f"扫描件共 {len(pages) + 1} 页，第 2 页起的原件归档在 {plan.rel(folder)}")


def report_placed(result: IngestResult, plan, outcome) -> None:
    """What was really done with the photos placed in the minutes: how many were placed, and which
    could not be read (those are archived with the note all the same)."""
    for m in result.meetings:
        if not isinstance(m, MeetingWithPhotos) or not m.photos:
            continue
        folder = plan.rel(beside_folder(plan.original_dest))
        total, bad = len(m.photos), m.unreadable
        if not bad:
            outcome.warnings.append(f"{total} 张照片已放入记录，原图归档在 {folder}")
            continue
        names = "、".join(f"「{name}」" for name in bad)
        outcome.warnings.append(
            f"{total} 张照片中 {total - len(bad)} 张已放入记录，{len(bad)} 张无法读取：{names}"
            f"（不是能打开的图片；原件仍随笔记归档在 {folder}）"
        )


def _move_beside(plan, files: list[Path], label: str) -> Path:
    from pipeline.fs.files import sha256_file, unique_path

    folder = beside_folder(plan.original_dest, label)
    taken: set[Path] = set()
    for path in files:
        dest = unique_path(folder / path.name, taken)
        taken.add(dest)
        plan.extra_moves.append((path, dest, sha256_file(path)))
    return folder


# What is kept beside an archived note: its photos, and the later pages of a scan.
BESIDE_LABELS = ("照片", "其余各页")


def beside_folder(archived_note: Path, label: str = "照片") -> Path:
    """Where the photos (or later scanned pages) of an archived note are kept: ``<note> 照片/``."""
    return archived_note.parent / f"{archived_note.stem} {label}"


def archived_photos(archived_note: Path) -> list[Path]:
    folder = beside_folder(archived_note)
    return sorted(p for p in folder.glob("*") if _is_image(p)) if folder.is_dir() else []


# --- the images ---------------------------------------------------------------------------
