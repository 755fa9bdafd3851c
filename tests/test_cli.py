"""CLI conventions: -w before or after the command, -q/-v, --json, exit codes, the Chinese catalogue."""

from __future__ import annotations

import io
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import click
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from pipeline.commands.base import LOCALE_DIR
from pipeline.commands.cli import cli
from pipeline.errors import ExitCode
from tests.conftest import REPO
from tests.support.browser import free_port
from tests.support.docs import note
from tests.support.watch import DEADLINE, env, wait_until

SAMPLES = REPO / "pipeline" / "samples"


def test_workspace_option_before_and_after_the_command(ws, tmp_path):
    ws.drop(
        "支委会.txt", note(会议类型="支委会", 时间="2024年10月8日 14:30", 主持人="沈轶娜", 会议内容="学习。")
    )
    result = ws("-w", ws.root, "run", "--json", ok=True)
    report = json.loads(result.output)
    assert [i["status"] for i in report["inputs"]] == ["processed"]
    (doc,) = ws.outputs()
    assert "支委会" in doc.name
    after = ws("status", "-w", ws.root, "--json", ok=True)
    assert json.loads(after.output)  # the same workspace, named after the command
    fresh = tmp_path / "新工作区"
    ws("-w", fresh, "init", ok=True)
    assert (fresh / "zhibu.toml").is_file() and (fresh / "templates").is_dir()
    ws("templates", "-w", fresh, "check", ok=True)


def test_exit_codes_name_what_went_wrong(ws, tmp_path):
    assert ws("run", "-w", tmp_path / "没有这个工作区").exit_code == ExitCode.WORKSPACE
    assert ws("run", "-w", ws.root, "多余").exit_code == ExitCode.USAGE
    ws.drop("坏笔记.txt", "只有一句话，没有日期也没有会议类型。")
    assert ws("run", "-w", ws.root).exit_code == ExitCode.INPUT_FAILED
    assert ws("run", "-w", ws.root).exit_code == ExitCode.OK  # nothing left to do


def test_usage_errors_are_chinese_without_english_leftovers(ws):
    result = ws("run", "-w", ws.root, "甲", "乙")
    assert "多余的参数（甲 乙）" in result.output and "Got unexpected" not in result.output
    result = ws("run", "--没有这个选项")
    assert "没有选项" in result.output and "No such option" not in result.output
    helptext = ws("search", "--help").output
    assert "[默认：50" in helptext and "default" not in helptext


def _leaf_commands(group: click.Group, path: tuple[str, ...] = ()):
    """Every command the CLI has, as its path of names (``templates learn``), read from click."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaf_commands(command, (*path, name))
        else:
            yield (*path, name), command


# Commands that run until they are stopped: started as a process, stopped as the user does. Any
# other command must return; one that does not fails the test instead of hanging it.
RUN_UNTIL_STOPPED = {("watch",), ("serve",)}


def test_quiet_and_verbose_are_accepted_by_every_command(demo_ws, tmp_path):
    ws = demo_ws
    note_file = tmp_path / "支委会.txt"
    note_file.write_text(
        note(会议类型="支委会", 时间="2024年10月8日 14:30", 会议内容="学习。"), encoding="utf-8"
    )
    register = tmp_path / "成果登记表.xlsx"
    shutil.copy(SAMPLES / "成果登记表.xlsx", register)
    # What each parameter of a command is given, by its name: a real input of the kind it takes.
    values = {
        "files": [note_file],
        "directory": [tmp_path / "新工作区"],
        "register": [register],
        "template": ["--template", "会议记录"],
        "record": [ws.outputs("**/支委会/*.docx")[0]],
        "words": ["发展对象"],
        "port": ["--port", str(free_port())],  # never the default port another program may hold
        "no_browser": ["--no-browser"],
    }
    commands = dict(_leaf_commands(cli))
    assert len(commands) >= 17 and ("templates", "learn") in commands and ("print",) in commands
    for path, command in commands.items():
        named = [p for p in command.params if p.name in values or p.required]
        missing = [p.name for p in named if p.name not in values]
        assert not missing, f"zhibu {' '.join(path)}: give the test a value for {missing}"
        args = [str(v) for p in named for v in values[p.name]]
        if path in RUN_UNTIL_STOPPED:
            code, output = _run_until_stopped(ws.root, path, args)
        else:
            code, output = _run_to_the_end(ws, path, ["-q", *path, "-w", ws.root, *args, "-v"])
        assert code != ExitCode.USAGE and "用法错误" not in output, (path, output)
        assert "程序内部错误" not in output and "Traceback" not in output, (path, output)


def _run_to_the_end(ws, path: tuple[str, ...], args: list) -> tuple[int, str]:
    """Run the command in this process (on a thread of its own, so that a command that never
    returns fails the test instead of hanging it)."""
    done: list = []

    def invoke() -> None:
        try:
            done.append(ws(*args))
        except BaseException as exc:  # raised again below, in the test's own thread
            done.append(exc)

    thread = threading.Thread(target=invoke, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert done, (
        f"zhibu {' '.join(path)} did not return: if it runs until stopped, add it to RUN_UNTIL_STOPPED"
    )
    if isinstance(done[0], BaseException):
        raise done[0]
    return done[0].exit_code, done[0].output


def _run_until_stopped(root: Path, path: tuple[str, ...], args: list[str]) -> tuple[int, str]:
    """Start the command in its own process, let it file one note, stop it with SIGTERM."""
    (root / "inbox" / "党小组会.txt").write_text(
        note(会议类型="党小组会", 时间="2024年10月15日 14:30", 会议内容="学习。"), encoding="utf-8"
    )
    cmd = [sys.executable, "-m", "pipeline", "-q", *path, "-w", str(root), *args, "-v"]
    with subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        try:
            wait_until(
                lambda: proc.poll() is not None or not (root / "inbox" / "党小组会.txt").exists(),
                what=f"zhibu {' '.join(path)} to take the note",
            )
            proc.send_signal(signal.SIGTERM)
            output = proc.communicate(timeout=DEADLINE)[0].decode("utf-8", "replace")
        finally:
            proc.kill()
    return proc.returncode, output


def test_compiled_catalogue_matches_its_source():
    folder = Path(LOCALE_DIR) / "zh_CN" / "LC_MESSAGES"
    source = read_po(io.BytesIO((folder / "click.po").read_bytes()))
    compiled = read_mo(io.BytesIO((folder / "click.mo").read_bytes()))

    def entries(catalog):
        return {_key(m.id): _key(m.string) for m in catalog if m.id}

    assert entries(source) == entries(compiled)


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_readme_check_example_works_as_written(tmp_path):
    """Typed in the root of a fresh clone: the repository's workspace files and no index yet
    (a copy, so that what `zhibu demo` left in this checkout's own workspace plays no part)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `zhibu check"))
    example = re.findall(r"`(zhibu check [^`…]+)`", row)[-1]
    args = example.split()[1:]
    clone = tmp_path / "zhibu"
    shutil.copytree(REPO / "templates", clone / "templates")
    shutil.copy(REPO / "zhibu.toml", clone / "zhibu.toml")
    for folder in ("inbox", "outbox"):
        (clone / folder).mkdir()
    for arg in args:
        if (REPO / arg).is_file():
            (clone / arg).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / arg, clone / arg)
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=clone, env=env(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "将生成：outbox/" in done.stdout and "Traceback" not in done.stderr
