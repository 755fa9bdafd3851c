"""The LibreOffice converter: parallel workers, a real hang, hostile links, leftovers, publish."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.fs.files import PARTIAL_SUFFIX, publish
from pipeline.fs.leftovers import pid_alive, sweep_leftovers
from pipeline.office.convert import convert_documents
from pipeline.office.isolate import isolated_copy
from pipeline.office.soffice import SOFFICE_ENV
from pipeline.printing import write_sample_minutes
from tests.support.office import (
    HANG_MARKER,
    RecordingServer,
    fake_soffice,
    field_docx,
    linked_image_docx,
    png_bytes,
)

REPO = Path(__file__).resolve().parents[1]


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode("utf-8").split())


def images_in(pdf: Path) -> int:
    count = 0
    for page in PdfReader(pdf).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        count += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --- parallel workers ----------------------------------------------------------------------------


@pytest.mark.slow
def test_two_workers_take_one_chunk_each_and_every_file_is_checked(tmp_path):
    docs = [
        write_sample_minutes(tmp_path / f"记录{i}.docx", title=f"第{i}次支委会", date=dt.date(2024, 9, i + 1))
        for i in range(6)
    ]
    damaged = tmp_path / "损坏.docx"
    damaged.write_bytes(b"PK\x03\x04" + b"x" * 100)
    result = convert_documents([*docs, damaged], tmp_path / "out", workers=2)
    assert result.starts == 2  # few files: one chunk per worker
    assert set(result.failures) == {damaged} and "损坏.docx" in str(result.failures[damaged])
    for i, doc in enumerate(docs):
        assert f"第{i}次支委会" in pdf_text(result.pdfs[doc])
    assert not list((tmp_path / "out").glob(f"*{PARTIAL_SUFFIX}"))


# --- a LibreOffice that hangs --------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in soffice is a script")
def test_a_hanging_document_is_killed_skipped_and_named_in_the_summary(ws, tmp_path, monkeypatch):
    folder = ws.root / "待打印"  # outside outbox/: documents there without an index mean a lost index
    good1 = write_sample_minutes(folder / "第一份.docx", title="第一份记录", date=dt.date(2024, 9, 2))
    hang = write_sample_minutes(folder / "卡住的记录.docx", title=HANG_MARKER, date=dt.date(2024, 9, 3))
    good2 = write_sample_minutes(folder / "第三份.docx", title="第三份记录", date=dt.date(2024, 9, 4))
    monkeypatch.setenv(SOFFICE_ENV, str(fake_soffice(tmp_path)))
    config = ws.root / "zhibu.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("workers = 0", "workers = 1").replace("stall_seconds = 30", "stall_seconds = 6")
    )

    result = ws("pdf", "-w", ws.root, good1, hang, good2)
    out = result.output
    assert result.exit_code == 1, out
    assert "卡住的记录.docx" in out and "没有进展" in out
    assert "LibreOffice 在 「卡住的记录.docx」 上卡住，已结束并跳过" in out
    # The batch went on without it: the files before and after it were converted.
    assert "第一份记录" in pdf_text(folder / "第一份.pdf")
    assert "第三份记录" in pdf_text(folder / "第三份.pdf")
    assert not (folder / "卡住的记录.pdf").exists()
    # Nothing of the hang is left running.
    leftovers = subprocess.run(["pgrep", "-f", "sleep 600"], capture_output=True, text=True).stdout.split()
    assert not [p for p in leftovers if pid_alive(int(p))]


# --- documents never reach outside -----------------------------------------------------------


@pytest.mark.slow
def test_linked_images_and_include_fields_fetch_nothing(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes((0, 200, 0)))
    (outside / "secret.txt").write_text("机密内容不应出现", encoding="utf-8")
    with RecordingServer() as server:
        docs = [
            linked_image_docx(tmp_path / "网络图片.docx", f"{server.url}/logo.png", "网络图片文档"),
            linked_image_docx(tmp_path / "本机图片.docx", (outside / "secret.png").as_uri(), "本机图片文档"),
            linked_image_docx(tmp_path / "系统文件.docx", "file:///etc/hostname", "系统文件文档"),
            field_docx(
                tmp_path / "插入图片域.docx", f'INCLUDEPICTURE "{server.url}/field.png" \\d', "图片占位"
            ),
            field_docx(tmp_path / "插入文字域.docx", f'INCLUDETEXT "{outside / "secret.txt"}"', "文字占位"),
        ]
        result = convert_documents(docs, tmp_path / "out", workers=1)
        assert server.requests == []  # not one request reached the server
    assert not result.failures, result.failures
    for doc, label in zip(docs[:3], ("网络图片文档", "本机图片文档", "系统文件文档"), strict=True):
        pdf = result.pdfs[doc]
        assert label in pdf_text(pdf) and "正文结束" in pdf_text(pdf)
        assert images_in(pdf) == 0  # nothing was fetched and embedded
    assert "图片占位" in pdf_text(result.pdfs[docs[3]])
    included = pdf_text(result.pdfs[docs[4]])
    assert "文字占位" in included and "机密内容不应出现" not in included


def test_the_isolated_copy_keeps_hyperlinks_and_the_shown_field_result(tmp_path):
    src = field_docx(
        tmp_path / "域.docx", 'INCLUDETEXT "\\\\\\\\server\\\\share\\\\a.docx"', "上次显示的文字"
    )
    dst = tmp_path / "copy.docx"
    assert isolated_copy(src, dst, "MS Word 2007 XML") is None
    body = zipfile.ZipFile(dst).read("word/document.xml").decode()
    assert "INCLUDETEXT" not in body and "fldChar" not in body and "上次显示的文字" in body

    linked = linked_image_docx(tmp_path / "图.docx", "http://example.invalid/a.png")
    with zipfile.ZipFile(linked) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://www.12371.cn/" TargetMode="External"/></Relationships>',
    )
    with zipfile.ZipFile(linked) as zin, zipfile.ZipFile(tmp_path / "图2.docx", "w") as zout:
        for info in zin.infolist():
            data = rels.encode() if info.filename == "word/_rels/document.xml.rels" else zin.read(info)
            zout.writestr(info, data)
    assert isolated_copy(tmp_path / "图2.docx", dst, "MS Word 2007 XML") is None
    copied = zipfile.ZipFile(dst).read("word/_rels/document.xml.rels").decode()
    assert "example.invalid" not in copied and "https://www.12371.cn/" in copied


def test_a_binary_document_with_a_fetching_field_is_refused_in_chinese(tmp_path):
    doc = tmp_path / "旧文档.doc"
    doc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + ' INCLUDEPICTURE "http://x/a.png" '.encode("utf-16-le")
    )
    result = convert_documents([doc], tmp_path / "out", workers=1)
    err = str(result.failures[doc])
    assert "旧文档.doc" in err and "INCLUDEPICTURE" in err and "为安全起见不转换" in err


# --- publish and leftovers -----------------------------------------------------------------------


def test_publish_replaces_atomically_and_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "卷册.pdf"
    target.write_bytes(b"old")
    publish(target, data=b"new")
    assert target.read_bytes() == b"new"

    def broken(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        publish(target, write=broken)
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["卷册.pdf"]


def test_the_sweep_removes_only_what_no_live_process_owns(tmp_path):
    system, state, outbox = tmp_path / "tmp", tmp_path / ".zhibu", tmp_path / "outbox"
    for d in (system, state, outbox / "2024"):
        d.mkdir(parents=True)
    gone, me = dead_pid(), os.getpid()
    dead = [
        system / f"zhibu-office-{gone}-abcd1234",
        state / f"volume-{gone}-abcd1234",
        state / "rerender-x1y2z3a4",
    ]
    live = [
        system / f"zhibu-office-{me}-abcd1234",
        state / f"pdf-{me}-abcd1234",
        system / "zhibu-office-oldname1",
    ]
    for d in dead + live:
        d.mkdir()
        (d / "copy.docx").write_bytes(b"minutes")
    dead_partial = outbox / "2024" / f".卷册.pdf.{gone}-0123abcd{PARTIAL_SUFFIX}"
    live_partial = outbox / "2024" / f".台账.xlsx.{me}-0123abcd{PARTIAL_SUFFIX}"
    for f in (dead_partial, live_partial):
        f.write_bytes(b"half")
    unrelated = system / "someone-elses-folder"
    unrelated.mkdir()

    removed = sweep_leftovers(state=state, trees=[outbox], holds_lock=True, system_temp=system)
    assert set(removed) == {*dead, dead_partial}
    assert all(p.exists() for p in [*live, live_partial, unrelated])
    # An untagged folder of an older version goes once it is old enough.
    old = time.time() - 7 * 3600
    os.utime(system / "zhibu-office-oldname1", (old, old))
    assert sweep_leftovers(system_temp=system) == [system / "zhibu-office-oldname1"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_kill_9_during_print_leaves_nothing_after_the_next_start(ws, tmp_path):
    ws("demo", "-w", ws.root, ok=True)
    # The term documents made first (print would make them), so the first LibreOffice print starts
    # is the volume's.
    ws("batch", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    system = tmp_path / "systmp"
    system.mkdir()
    env = {**os.environ, "TMPDIR": str(system), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "print", "-w", str(ws.root), "--term", "2024-2025-1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(system.glob("zhibu-office-*/batch*/in/*")):
        time.sleep(0.1)
    assert list(system.glob("zhibu-office-*")), "print never started LibreOffice"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list((ws.root / ".zhibu").glob("volume-*")) and list(system.glob("zhibu-office-*"))

    subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(ws.root)], env=env, check=False, timeout=300
    )
    assert not list(system.iterdir())
    assert not list((ws.root / ".zhibu").glob("volume-*"))
    # The LibreOffice the killed print left running was ended with its folder.
    left = subprocess.run(["pgrep", "-f", str(system)], capture_output=True, text=True).stdout.split()
    assert not [p for p in left if pid_alive(int(p))]


def test_an_unwritable_temp_folder_fails_each_file_in_chinese_instead_of_losing_it(tmp_path, monkeypatch):
    import tempfile

    doc = write_sample_minutes(tmp_path / "记录.docx", title="支委会", date=dt.date(2024, 9, 2))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "不存在的文件夹"))
    result = convert_documents([doc], tmp_path / "out", workers=2)
    assert "记录.docx" in str(result.failures[doc]) and "转换时出错" in str(result.failures[doc])
    assert not result.pdfs
