"""CLI conventions: -w before or after the command, -q/-v, --json, exit codes, the Chinese catalogue."""

from __future__ import annotations

import io
import json
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from pipeline.commands.base import LOCALE_DIR
from pipeline.errors import ExitCode
from tests.helpers import note


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


def test_quiet_and_verbose_are_accepted_by_every_command(ws):
    for args in (("run",), ("status",), ("batch", "--term", "2024-2025-1"), ("forms",)):
        assert ws("-q", *args[:1], "-w", ws.root, *args[1:], "-v").exit_code in (0, 1), args


def test_compiled_catalogue_matches_its_source():
    folder = Path(LOCALE_DIR) / "zh_CN" / "LC_MESSAGES"
    source = read_po(io.BytesIO((folder / "click.po").read_bytes()))
    compiled = read_mo(io.BytesIO((folder / "click.mo").read_bytes()))

    def entries(catalog):
        return {_key(m.id): _key(m.string) for m in catalog if m.id}

    assert entries(source) == entries(compiled)


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_readme_check_example_works_as_written():
    import re
    import subprocess
    import sys

    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `zhibu check"))
    example = re.findall(r"`(zhibu check [^`…]+)`", row)[-1]
    args = example.split()[1:]
    done = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "将生成：outbox/" in done.stdout and "Traceback" not in done.stderr
