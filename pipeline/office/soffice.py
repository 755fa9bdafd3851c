"""Starting LibreOffice headless: where it is, its private profile, its fonts, and a watchdog.

* **A private profile per worker** (``-env:UserInstallation=file:///tmp/...``). Without it, a
  LibreOffice window the secretary has open receives the job through its pipe and the command
  returns at once without converting anything; two workers would also fight over one profile.
  The profile turns off macros and blocks links from documents, and sends every internet
  request to a closed local port, so a hostile document cannot make LibreOffice fetch a URL.
* **A watchdog instead of one long timeout.** LibreOffice converts the files of a start in
  argument order and writes each result as it goes; a start that produces no new output for
  ``stall`` seconds (plus a third more for start-up, and 10 s per MB of the file) is stuck: it is killed
  with its whole process group (``soffice`` is a launcher; the real ``soffice.bin`` is its
  child), and the caller learns which file it was working on.
* **Fonts**: on Linux the customary Chinese font names (仿宋_GB2312, 黑体, 方正小标宋简体 ...)
  are mapped to installed free fonts through ``pipeline/resources/fontconfig/fonts.conf``.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConverterMissingError, Location
from pipeline.fs.leftovers import KILL_FILE

log = logging.getLogger("zhibu.office")

#: An explicit soffice executable; wins over PATH and the usual locations.
SOFFICE_ENV = "ZHIBU_SOFFICE"
#: Replaces the list of usual install locations (os.pathsep-separated; empty means none).
SOFFICE_LOCATIONS_ENV = "ZHIBU_SOFFICE_LOCATIONS"

FONTS_CONF = Path(__file__).resolve().parent.parent / "resources" / "fontconfig" / "fonts.conf"
_SYSTEM_FONTS_CONF_INCLUDE = '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'

INSTALL_HINT = (
    "请安装免费的 LibreOffice（Windows/macOS 从 https://zh-cn.libreoffice.org/ 下载安装；"
    "Debian/Ubuntu 运行 sudo apt install libreoffice-writer-nogui fonts-noto-cjk），然后重新运行。"
    f"如果已安装在其他位置，请把环境变量 {SOFFICE_ENV} 设为 soffice 程序的完整路径。"
    "也可以用 Word 或 WPS 打开该文件，选择“文件→导出为PDF”。"
)

#: Extra time before the first output of a start (LibreOffice's own start-up), as a share of
#: the stall limit: 10 s more for the first file at the default 30 s.
STARTUP_SHARE = 1 / 3
#: Extra seconds per MB of the file being converted (large documents with many images).
SECONDS_PER_MB = 10.0


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
        raise ConverterMissingError(
            f"环境变量 {SOFFICE_ENV} 指向的 LibreOffice 程序「{explicit}」不存在或不能运行，无法转换",
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
    raise ConverterMissingError(
        "未找到 LibreOffice，无法转换", hint=INSTALL_HINT, location=Location(file=about)
    )


def fontconfig_file(root: Path) -> Path | None:
    """The fontconfig file LibreOffice should use, or None where fontconfig is not used."""
    if sys.platform in ("win32", "darwin", "cygwin"):
        return None
    if not FONTS_CONF.is_file():
        log.warning("缺少 zhibu 的字体配置文件 %s：中文可能显示为无衬线字体", FONTS_CONF)
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


def soffice_env(fontconfig: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    # No proxy from the environment: the profile's own (closed) proxy applies.
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ftp_proxy", "no_proxy"):
        env.pop(key, None)
    return env


def _item(path: str, name: str, value: str) -> str:
    return (
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
    )


_SETTINGS = [
    ("/org.openoffice.Office.Linguistic/General", "DefaultLocale_CJK", "zh-CN"),
    ("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
    ("/org.openoffice.Office.Common/Save/Document", "CreateBackup", "false"),
    # No macros, and no linked images or objects from the document.
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    # Every internet request goes to a proxy on a closed local port (port 9, "discard").
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetFTPProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
]

PROFILE_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "\n".join(_item(*s) for s in _SETTINGS)
    + "\n</oor:items>\n"
)


def new_profile(root: Path, generation: int) -> Path:
    """A fresh LibreOffice user profile; Chinese is the default Asian language."""
    profile = root / f"profile{generation}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    return profile


def kill_tree(proc: subprocess.Popen) -> None:
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


@dataclass
class Run:
    """How one LibreOffice start ended."""

    stalled: bool  # killed by the watchdog
    returncode: int | None
    output: str  # stdout and stderr, for the log

    @property
    def clean(self) -> bool:
        return not self.stalled and self.returncode == 0


def _allowance(path: Path, stall: float) -> float:
    try:
        size_mb = path.stat().st_size / 1e6
    except OSError:
        size_mb = 0.0
    return stall + SECONDS_PER_MB * size_mb


def _outputs(outdir: Path) -> int:
    try:
        return sum(1 for _ in outdir.iterdir())
    except OSError:
        return 0


def _command(soffice: Path, profile: Path, files, outdir: Path, infilter, convert_to) -> list[str]:
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
    return cmd + ["--convert-to", convert_to, "--outdir", str(outdir), *map(str, files)]


def run_soffice(
    soffice: Path,
    profile: Path,
    files: Sequence[Path],
    outdir: Path,
    *,
    infilter: str | None,
    convert_to: str,
    stall: float,
    fontconfig: Path | None,
    cancel: threading.Event | None = None,
) -> Run:
    """Convert ``files`` into ``outdir`` in one start; kill it when it stops making progress.

    Setting ``cancel`` (Ctrl-C in the main thread) kills it at once.
    """
    kwargs: dict = {}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(
            subprocess, "CREATE_NO_WINDOW", 0
        )
    else:
        kwargs["start_new_session"] = True  # its own process group, killed as a whole
    cmd = _command(soffice, profile, files, outdir, infilter, convert_to)
    log.debug("启动 LibreOffice：%s", " ".join(cmd))
    log_file = outdir.parent / "soffice.log"
    # LibreOffice's own temporary files inside the worker's folder: one killed with zhibu leaves
    # nothing in the system's temporary folder that the start-up sweep would not remove with it.
    temp = profile.parent / "tmp"
    temp.mkdir(exist_ok=True)
    env = soffice_env(fontconfig) | {"TMPDIR": str(temp), "TMP": str(temp), "TEMP": str(temp)}
    with open(log_file, "wb") as out:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=str(outdir),
            env=env, **kwargs,
        )  # fmt: skip
        # A zhibu killed now leaves this LibreOffice to the start-up sweep.
        (profile.parent / KILL_FILE).write_text(str(proc.pid))
        try:
            stalled = _watch(proc, files, outdir, stall, cancel)
        finally:
            # A launcher that exited may leave soffice.bin behind: never leave a process running.
            kill_tree(proc)
            proc.wait()
    text = log_file.read_bytes().decode("utf-8", "replace")
    log.debug(
        "LibreOffice 结束，退出码 %s%s：%s", proc.returncode, "（卡住后被结束）" if stalled else "", text
    )
    return Run(stalled=stalled, returncode=None if stalled else proc.returncode, output=text)


def _watch(
    proc: subprocess.Popen, files: Sequence[Path], outdir: Path, stall: float, cancel: threading.Event | None
) -> bool:
    """Wait for ``proc``; True when it stopped making progress (no new output in time) or was cancelled.

    Each file has its own allowance, counted from the previous output (from the start, plus a share of
    ``stall`` for LibreOffice's start-up, for the first one).
    """
    done = 0
    deadline = time.monotonic() + stall * STARTUP_SHARE + _allowance(files[0], stall)
    while True:
        try:
            proc.wait(timeout=0.2)
            return False
        except subprocess.TimeoutExpired:
            pass
        now_done = _outputs(outdir)
        if now_done != done:
            done = now_done
            following = files[min(done, len(files) - 1)]
            deadline = time.monotonic() + _allowance(following, stall)
        elif time.monotonic() > deadline or (cancel is not None and cancel.is_set()):
            return True
