"""Word documents to PDF with LibreOffice in headless mode.

What makes this robust (the lessons of unoserver, docx2pdf, gotenberg and JODConverter):

* **A private LibreOffice profile per run** (``-env:UserInstallation=file:///tmp/...``). Without
  it, a LibreOffice window the secretary has open receives the job through its pipe and the
  command returns at once without converting anything; two zhibu runs would also fight over
  one profile. The profile is made once per call and reused by its chunks; after a killed
  LibreOffice it is thrown away, since a half-written profile can hang the next start.
* **Many files per LibreOffice start.** Starting LibreOffice costs about a second; one
  ``soffice --convert-to pdf --outdir OUT a.docx b.docx ...`` call converts a whole chunk.
* **Every file copied to a short ASCII name** in a per-chunk folder (``0001.docx``...): two
  inputs with the same name in different folders cannot overwrite each other's PDF, Chinese
  and odd characters in paths cannot trip LibreOffice or a non-UTF-8 locale, and no
  ``.~lock`` file is left beside the secretary's original.
* **The input filter is forced** (``--infilter``) from the file's first bytes. LibreOffice
  otherwise imports a damaged .docx as plain text and "succeeds" with a PDF of garbage.
  Empty and obviously damaged files are refused before LibreOffice sees them.
* **Exit codes are not trusted.** LibreOffice exits 0 when it skipped a file ("Error: source
  file could not be loaded"), so each expected PDF is checked: it exists, is not empty and
  pypdf reads at least one page from it.
* **A timeout per start that kills the whole process group** (``soffice`` is a launcher; the
  real ``soffice.bin`` is its child) and **a retry**: a file that failed is retried on its
  own, so one bad file costs one extra start and never blocks the files after it. After a
  timeout or crash, the first file without output is the suspect (LibreOffice works in
  argument order); the files after it go on without losing a try.
* **Fonts**: on Linux the customary Chinese font names (仿宋_GB2312, 黑体, 方正小标宋简体 ...)
  are mapped to installed free fonts through the fontconfig file shipped in
  ``pipeline/resources/fontconfig/fonts.conf``, passed in ``FONTCONFIG_FILE``.

``convert_to_pdf`` is the simple API (raises when any file failed, after converting all the
others); ``convert_documents`` returns successes and failures for callers that report per file.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from pipeline.errors import ConverterError, Location

log = logging.getLogger(__name__)

#: An explicit soffice executable; wins over PATH and the usual locations.
SOFFICE_ENV = "ZHIBU_SOFFICE"
#: Replaces the list of usual install locations (os.pathsep-separated; empty means none).
#: Meant for tests and unusual installs.
SOFFICE_LOCATIONS_ENV = "ZHIBU_SOFFICE_LOCATIONS"

DEFAULT_CHUNK_SIZE = 20
FONTS_CONF = Path(__file__).resolve().parent.parent / "resources" / "fontconfig" / "fonts.conf"
_SYSTEM_FONTS_CONF_INCLUDE = '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'

INSTALL_HINT = (
    "请安装免费的 LibreOffice（Windows/macOS 从 https://zh-cn.libreoffice.org/ 下载安装；"
    "Debian/Ubuntu 运行 sudo apt install libreoffice-writer-nogui fonts-noto-cjk），然后重新运行。"
    f"如果已安装在其他位置，请把环境变量 {SOFFICE_ENV} 设为 soffice 程序的完整路径。"
    "也可以用 Word 或 WPS 打开该文件，选择“文件→导出为PDF”。"
)

_WORD_EXTENSIONS = {".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".odt", ".ott", ".rtf", ".wps"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def usual_soffice_locations() -> list[str]:
    """Where LibreOffice is installed when it is not on PATH."""
    override = os.environ.get(SOFFICE_LOCATIONS_ENV)
    if override is not None:
        return [p for p in override.split(os.pathsep) if p.strip()]
    if sys.platform == "win32":
        roots = [
            os.environ.get("ProgramFiles", r"C:\Program Files"),
            os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)"),
            os.environ.get("ProgramW6432", r"C:\Program Files"),
            r"C:\Program Files",
            r"C:\Program Files (x86)",
        ]
        found: list[str] = []
        for root in dict.fromkeys(roots):
            found.append(os.path.join(root, "LibreOffice", "program", "soffice.exe"))
            found += sorted(glob.glob(os.path.join(root, "LibreOffice*", "program", "soffice.exe")))
        return list(dict.fromkeys(found))
    if sys.platform == "darwin":
        return [
            "/Applications/LibreOffice.app/Contents/MacOS/soffice",
            os.path.expanduser("~/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        ]
    return [
        "/usr/bin/soffice",
        "/usr/local/bin/soffice",
        "/usr/lib/libreoffice/program/soffice",
        "/usr/lib64/libreoffice/program/soffice",
        *sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True),
        "/snap/bin/libreoffice",
    ]


def find_soffice(*, about: str | None = None) -> Path:
    """The LibreOffice executable, or a Chinese ConverterError that says how to install it.

    ``about`` names the file the conversion was for; it goes into the error's location.
    """
    explicit = os.environ.get(SOFFICE_ENV, "").strip()
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return Path(explicit)
        raise ConverterError(
            f"环境变量 {SOFFICE_ENV} 指向的 LibreOffice 程序「{explicit}」不存在或不能运行，无法转换为 PDF",
            hint=INSTALL_HINT,
            location=Location(file=about),
        )
    for name in ("soffice", "libreoffice"):
        hit = shutil.which(name)
        if hit:
            return Path(hit)
    for candidate in usual_soffice_locations():
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise ConverterError(
        "未找到 LibreOffice，无法转换为 PDF",
        hint=INSTALL_HINT,
        location=Location(file=about),
    )


# --- results ------------------------------------------------------------------------------------


@dataclass
class ConversionResult:
    """What one conversion call produced: PDFs by input, and a Chinese error per failed input."""

    pdfs: dict[Path, Path] = field(default_factory=dict)
    failures: dict[Path, ConverterError] = field(default_factory=dict)
    #: How many times LibreOffice was started (the benchmark and the logs report it).
    starts: int = 0


class BatchConversionError(ConverterError):
    """One or more files of a batch failed; the others were converted.

    ``str()`` names the first failed file; ``result`` holds every PDF made and every failure.
    """

    def __init__(self, result: ConversionResult) -> None:
        self.result = result
        first = next(iter(result.failures.values()))
        others = len(result.failures) - 1
        message = first.message
        if others:
            message += f"（另有 {others} 个文件也未能转换）"
        super().__init__(message, hint=first.hint, location=first.location)


# --- the work --------------------------------------------------------------------------------


@dataclass
class _Job:
    source: Path  # as given by the caller
    index: int  # position among the distinct inputs; names the temp copy
    infilter: str | None
    attempts: int = 0
    reason: str = ""


@dataclass
class _Run:
    timed_out: bool
    returncode: int | None
    stdout: str
    stderr: str

    @property
    def clean(self) -> bool:
        return not self.timed_out and self.returncode == 0


def _display(path: Path) -> str:
    return path.name


def sniff_input(path: Path) -> tuple[str | None, str | None]:
    """(LibreOffice input filter, or None to let it detect; Chinese problem, or None)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        return None, "文件不存在"
    except OSError as exc:
        return None, f"文件无法读取（{exc.strerror or exc}）"
    if size == 0:
        return None, "文件是空的（0 字节）"
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        except (zipfile.BadZipFile, OSError, KeyError, ValueError):
            return None, "文件已损坏（Word 文档的压缩包结构不完整）"
        if "word/document.xml" in names:
            return "MS Word 2007 XML", None
        if "content.xml" in names and "opendocument.text" in mimetype:
            return "writer8", None
        return None, "文件不是 Word 文档，或已损坏（压缩包里没有正文）"
    if head.startswith(_OLE_MAGIC):
        # A .doc, a .wps, a .doc renamed to .docx, or an encrypted .docx: let LibreOffice detect.
        return None, None
    if head.startswith(b"{\\rtf"):
        return "Rich Text Format", None
    if suffix in _WORD_EXTENSIONS:
        return None, "文件已损坏或不是 Word 文档（文件内容与扩展名不符）"
    return None, None  # .txt, .html...: LibreOffice detects the type itself


def valid_pdf_pages(path: Path) -> int:
    """Number of pages of a PDF, 0 when it is missing, empty, truncated or unreadable."""
    try:
        if path.stat().st_size == 0:
            return 0
        with path.open("rb") as fh:
            if not fh.read(1024).lstrip().startswith(b"%PDF-"):
                return 0
        return len(PdfReader(path, strict=False).pages)
    except Exception:  # noqa: BLE001 - any failure to read means "not a usable PDF"
        return 0


def _fontconfig_file(root: Path) -> Path | None:
    """The fontconfig file LibreOffice should use, or None where fontconfig is not used."""
    if sys.platform in ("win32", "darwin", "cygwin"):
        return None
    if not FONTS_CONF.is_file():
        log.warning("zhibu's fontconfig file %s is missing: Chinese fonts may come out as sans", FONTS_CONF)
        return None
    system = os.environ.get("FONTCONFIG_FILE", "").strip()
    if not system and os.path.isfile("/etc/fonts/fonts.conf"):
        return FONTS_CONF
    # The user has a config of their own (or the system one lives elsewhere): include that one.
    if not system:
        for candidate in ("/usr/local/etc/fonts/fonts.conf", "/opt/homebrew/etc/fonts/fonts.conf"):
            if os.path.isfile(candidate):
                system = candidate
                break
    text = FONTS_CONF.read_text(encoding="utf-8")
    include = f'<include ignore_missing="yes">{system}</include>' if system else ""
    wrapped = root / "fonts.conf"
    wrapped.write_text(text.replace(_SYSTEM_FONTS_CONF_INCLUDE, include), encoding="utf-8")
    return wrapped


def _soffice_env(fontconfig: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    return env


_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale_CJK" oor:op="fuse"><value>zh-CN</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="CreateBackup" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def _new_profile(root: Path, generation: int) -> Path:
    """A fresh LibreOffice user profile; Chinese is the default Asian language."""
    profile = root / f"profile{generation}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
    return profile


def _kill_tree(proc: subprocess.Popen) -> None:
    """Kill LibreOffice and every child it started (the launcher and soffice.bin)."""
    if sys.platform == "win32":
        if proc.poll() is None:
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run_soffice(
    soffice: Path,
    profile: Path,
    files: Sequence[Path],
    outdir: Path,
    *,
    infilter: str | None,
    convert_to: str,
    timeout: float,
    fontconfig: Path | None,
) -> _Run:
    cmd = [
        str(soffice),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--nocrashreport",
        "--nodefault",
        "--nofirststartwizard",
        "--nolockcheck",
        "--nologo",
        "--norestore",
    ]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", convert_to, "--outdir", str(outdir), *map(str, files)]
    kwargs: dict = {}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(
            subprocess, "CREATE_NO_WINDOW", 0
        )
    else:
        kwargs["start_new_session"] = True  # its own process group, killed as a whole
    log.debug("LibreOffice: %s", " ".join(cmd))
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=str(outdir),
        env=_soffice_env(fontconfig),
        **kwargs,
    )
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_tree(proc)
        out, err = proc.communicate()
    finally:
        # A launcher that exited may leave soffice.bin behind: never leave a process running.
        _kill_tree(proc)
    run = _Run(
        timed_out=timed_out,
        returncode=proc.returncode,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
    )
    log.debug("LibreOffice exit %s%s: %s %s", run.returncode, " (timeout)" if timed_out else "", out, err)
    return run


def _failure_text(run: _Run, timeout: float, produced_invalid: bool) -> str:
    if run.timed_out:
        return f"LibreOffice 转换超时（超过 {timeout:g} 秒），已强制结束"
    if produced_invalid:
        return "LibreOffice 生成的 PDF 无效（空文件或没有页面）"
    if run.returncode not in (0, None):
        return f"LibreOffice 意外退出（退出代码 {run.returncode}），未能转换"
    return "LibreOffice 无法打开这个文件（可能已损坏、设置了打开密码或格式不受支持）"


def _unique_names(sources: Sequence[Path], suffix: str) -> list[str]:
    """Output names: the input's stem, with " (2)", " (3)"... when stems repeat."""
    seen: dict[str, int] = {}
    names = []
    for src in sources:
        stem = src.stem or "document"
        key = stem.casefold()  # Windows and macOS file names ignore case
        seen[key] = seen.get(key, 0) + 1
        names.append(f"{stem}{suffix}" if seen[key] == 1 else f"{stem} ({seen[key]}){suffix}")
    return names


def _publish(tmp_file: Path, dest: Path) -> None:
    """Copy into place atomically: a reader never sees a half-written PDF."""
    partial = dest.with_name(f".{dest.name}.zhibu-partial")
    shutil.copyfile(tmp_file, partial)
    os.replace(partial, dest)


def convert_documents(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    timeout: float = 120,
    retries: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    target: str = "pdf",
    progress: Callable[[int, int], None] | None = None,
) -> ConversionResult:
    """Convert every file it can; report the others, each with a Chinese ConverterError.

    ``target`` is ``"pdf"`` (the default) or ``"docx"`` (to turn a legacy .doc into .docx).
    Output files are ``out_dir/<stem>.<target>``; stems that repeat get " (2)", " (3)"...
    ``timeout`` is the number of seconds one LibreOffice start may take for its chunk; a file
    that failed is tried ``retries`` more times, alone. ``progress(done, total)`` is called as
    files finish. Raises ConverterError only when LibreOffice is missing or ``out_dir`` cannot
    be written.
    """
    if target == "pdf":
        convert_to, suffix = "pdf:writer_pdf_Export", ".pdf"
    elif target == "docx":
        convert_to, suffix = "docx:MS Word 2007 XML", ".docx"
    else:
        raise ValueError(f"unsupported target {target!r}")

    sources = list(dict.fromkeys(Path(p) for p in paths))  # same path twice: convert once
    result = ConversionResult()
    if not sources:
        return result
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConverterError(
            f"无法创建输出文件夹（{exc.strerror or exc}）",
            hint="请检查该文件夹的位置和写入权限。",
            location=Location(file=str(out_dir)),
        ) from exc
    dest_names = dict(zip(sources, _unique_names(sources, suffix), strict=True))
    total = len(sources)

    jobs: list[_Job] = []
    for i, src in enumerate(sources):
        infilter, problem = sniff_input(src)
        if problem:
            result.failures[src] = ConverterError(
                f"{problem}，无法转换为 {suffix[1:].upper()}",
                hint="请用 Word 或 WPS 打开检查该文件，另存为 .docx 后重新放入。",
                location=Location(file=_display(src)),
            )
        elif target == "pdf" and valid_pdf_pages(src):
            _publish(src, out_dir / dest_names[src])  # already a PDF: nothing to convert
            result.pdfs[src] = out_dir / dest_names[src]
        else:
            jobs.append(_Job(src, i, infilter))
    if progress and (result.failures or result.pdfs):
        progress(len(result.failures) + len(result.pdfs), total)
    if not jobs:
        return result

    soffice = find_soffice(about=_display(jobs[0].source))
    root = Path(tempfile.mkdtemp(prefix="zhibu-office-"))
    try:
        fontconfig = _fontconfig_file(root)
        generation = 0
        profile = _new_profile(root, generation)
        # One --infilter per start: jobs with the same filter go together (stable order).
        fresh: deque[_Job] = deque(sorted(jobs, key=lambda j: (j.infilter or "", j.index)))
        alone: deque[_Job] = deque()  # retries run one file per start
        batch_no = 0

        def charge(job: _Job, reason: str) -> None:
            job.attempts += 1
            job.reason = reason
            if job.attempts <= retries:
                alone.append(job)
            else:
                result.failures[job.source] = ConverterError(
                    f"{reason}，无法转换为 {suffix[1:].upper()}",
                    hint="请用 Word 或 WPS 打开该文件检查；能打开时，另存为新的 .docx 再试，"
                    "或在 Word/WPS 中选择“文件→导出为PDF”。",
                    location=Location(file=_display(job.source)),
                )

        while fresh or alone:
            if alone:
                chunk = [alone.popleft()]
            else:
                chunk = [fresh.popleft()]
                while fresh and len(chunk) < chunk_size and fresh[0].infilter == chunk[0].infilter:
                    chunk.append(fresh.popleft())
            batch_no += 1
            batch = root / f"batch{batch_no:04d}"
            (batch / "in").mkdir(parents=True)
            (batch / "out").mkdir()
            inputs = []
            copy_failed = []
            for job in chunk:
                tmp_in = batch / "in" / f"{job.index + 1:04d}{job.source.suffix.lower() or '.bin'}"
                try:
                    shutil.copyfile(job.source, tmp_in)
                    inputs.append(tmp_in)
                except OSError as exc:
                    copy_failed.append(job)
                    result.failures[job.source] = ConverterError(
                        f"文件无法读取（{exc.strerror or exc}），无法转换为 {suffix[1:].upper()}",
                        location=Location(file=_display(job.source)),
                    )
            chunk = [j for j in chunk if j not in copy_failed]
            if not chunk:
                continue
            run = _run_soffice(
                soffice,
                profile,
                inputs,
                batch / "out",
                infilter=chunk[0].infilter,
                convert_to=convert_to,
                timeout=timeout,
                fontconfig=fontconfig,
            )
            result.starts += 1
            missing: list[tuple[_Job, bool]] = []
            for job, tmp_in in zip(chunk, inputs, strict=True):
                produced = batch / "out" / (tmp_in.stem + suffix)
                ok = produced.exists() and (
                    valid_pdf_pages(produced) > 0 if target == "pdf" else produced.stat().st_size > 0
                )
                if ok:
                    dest = out_dir / dest_names[job.source]
                    try:
                        _publish(produced, dest)
                    except OSError as exc:
                        result.failures[job.source] = ConverterError(
                            f"无法写入转换结果「{dest.name}」（{exc.strerror or exc}）",
                            hint="请检查输出文件夹的写入权限和磁盘空间；如果该文件正在被打开，请先关闭。",
                            location=Location(file=_display(job.source)),
                        )
                        continue
                    result.pdfs[job.source] = dest
                else:
                    missing.append((job, produced.exists()))
            shutil.rmtree(batch, ignore_errors=True)

            if missing and run.clean:
                for job, invalid in missing:
                    charge(job, _failure_text(run, timeout, invalid))
            elif missing:
                # Timeout or crash: LibreOffice works in argument order, so the first file
                # without output is the suspect; the files after it were never tried.
                (suspect, invalid), *untried = missing
                charge(suspect, _failure_text(run, timeout, invalid))
                for job, _ in reversed(untried):
                    fresh.appendleft(job)
                # A killed LibreOffice can leave its profile locked or half-written.
                shutil.rmtree(profile, ignore_errors=True)
                generation += 1
                profile = _new_profile(root, generation)
            if progress:
                progress(len(result.failures) + len(result.pdfs), total)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return result


def convert_to_pdf(
    docx_paths: list[Path],
    out_dir: Path,
    *,
    timeout: float = 120,
    retries: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Convert Word documents to PDF in ``out_dir``; the PDFs in the order of the inputs.

    All convertible files are converted even when some fail; then a failure raises
    :class:`BatchConversionError` (a ConverterError naming the first failed file, with
    ``.result`` holding every PDF made and every failure).
    """
    result = convert_documents(
        docx_paths, out_dir, timeout=timeout, retries=retries, chunk_size=chunk_size, progress=progress
    )
    if result.failures:
        raise BatchConversionError(result)
    return [result.pdfs[Path(p)] for p in docx_paths]
