"""Templates without bounds: rendering has a time limit and a size limit (zhibu.toml [render]).

Each hostile template goes into the workspace's templates/ folder and is run through the real
CLI in its own process, so that the process's peak memory is measured: the run must finish, the
note that uses the template goes to 失败 with a Chinese reason naming the template, the other
note of the run is filed, and memory stays far below what the template asked for.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import TemplateLimitError
from pipeline.render.environment import make_environment, translate_render_error
from pipeline.render.limits import RenderLimits, set_limits
from tests.support.watch import REPO, env, wait_until
from tests.support.workspaces import new_workspace
from tests.test_hostile import full_text, note

MB = 1024 * 1024
# zhibu run on a small workspace peaks near 100 MB; a template's 300-million-character string
# alone would take 300 MB to 1.2 GB.
MEMORY_BOUND = 300 * MB

HOSTILE = {
    "nested-loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "percent-width": "{{ '%300000000s' % 主题 }}",
    "center": "{{ 主题|center(10**9) }}",
    "ljust": "{{ 主题.ljust(10**9) }}",
    "tilde-doubling": (
        "{% set ns = namespace(s=主题) %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s }}"
    ),
    "list-plus-doubling": (
        "{% set ns = namespace(l=[主题]) %}{% for i in range(60) %}{% set ns.l = ns.l + ns.l %}"
        "{% endfor %}{{ ns.l|length }}"
    ),
    "loop-of-big-values": "{% for i in range(100000) %}{{ 主题.rjust(1999000) }}{% endfor %}",
}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """One workspace made by zhibu init, copied for each test (init costs a process start)."""
    return new_workspace(tmp_path_factory.mktemp("limits") / "ws")


def make_workspace(fresh: Path, root: Path, time_limit: float = 2.0) -> Path:
    shutil.copytree(fresh, root)
    config = root / "zhibu.toml"
    text = config.read_text(encoding="utf-8").replace(
        "time_limit_seconds = 10", f"time_limit_seconds = {time_limit}"
    )
    config.write_text(text, encoding="utf-8")
    return root


def hostile_template(root: Path, payload: str, type_: str = "支委会") -> None:
    template = Document(str(root / "templates" / "会议记录.docx"))
    template.add_paragraph(payload)
    template.save(str(root / "templates" / f"{type_}.docx"))


# Runs zhibu in a grandchild and reports its peak memory: a child forked from this (large) test
# process would count the test process's pages in its own high-water mark.
MEASURE = """
import os, subprocess, sys
proc = subprocess.run([sys.executable, "-m", "pipeline", *sys.argv[1:]])
peak = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN).ru_maxrss
print(f"\\nPEAK-KB {peak}")
sys.exit(proc.returncode)
"""


def run_with_peak(*args: str, timeout: float = 120) -> tuple[int, str, int]:
    """Run ``python -m pipeline *args``: exit code, output, and its peak RSS (bytes)."""
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], cwd=REPO, env=env(), timeout=timeout,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    output = proc.stdout.decode("utf-8", "replace")
    output, _, peak = output.rpartition("\nPEAK-KB ")
    return proc.returncode, output, int(peak) * 1024


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="peak memory is read with resource")


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_template_without_bounds_is_stopped_and_the_run_goes_on(fresh, tmp_path, case):
    # The time limit stops the loops; the other cases must be stopped by their size, at once,
    # and a loaded machine must not let the clock stop them first.
    root = make_workspace(fresh, tmp_path / "ws", time_limit=1.0 if case == "nested-loops" else 120)
    hostile_template(root, HOSTILE[case])
    (root / "inbox" / "支委会.txt").write_text(note("无界模板"), encoding="utf-8")
    (root / "inbox" / "党小组会.txt").write_text(note("正常记录", type_="党小组会"), encoding="utf-8")

    code, output, peak = run_with_peak("run", "-w", str(root))

    assert code == 1, output
    reason_file = root / "inbox" / "失败" / "支委会.txt.原因.txt"
    log = root / ".zhibu" / "zhibu.log"
    assert reason_file.exists(), output + (log.read_text(encoding="utf-8") if log.exists() else "")
    reason = reason_file.read_text(encoding="utf-8-sig")
    assert "templates/支委会.docx" in reason and "安全沙箱停止" in reason, reason
    limit = "渲染时间超过了上限" if case == "nested-loops" else "生成的内容超过了上限"
    assert limit in reason and "[render]" in reason, reason
    assert "templates/支委会.docx" in output and limit in output, output
    assert "Traceback" not in output
    filed = [p for p in (root / "outbox").rglob("*.docx") if "原始材料" not in p.parts]
    assert [p.name for p in filed] == [f.name for f in filed if "党小组会" in f.name] and len(filed) == 1
    assert "正常记录" in full_text(filed[0])
    assert peak < MEMORY_BOUND, f"peak {peak / MB:.0f} MB"


@pytest.mark.slow
def test_templates_check_reports_the_template_instead_of_hanging(fresh, tmp_path):
    root = make_workspace(fresh, tmp_path / "ws", time_limit=1)
    hostile_template(root, HOSTILE["nested-loops"], "党课")
    code, output, peak = run_with_peak("templates", "check", "-w", str(root))
    assert "templates/党课.docx" in output and "渲染时间超过了上限（1 秒）" in output, output
    assert peak < MEMORY_BOUND


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_the_limits_are_settings(tmp_path):
    """A template that needs more than the default gets it when zhibu.toml says so."""
    source = "{{ 主题.ljust(3000000) }}"
    env_ = make_environment()
    try:
        with pytest.raises(Exception) as caught:
            env_.from_string(source).render(主题="学习")
        err = translate_render_error(caught.value, "templates/大模板.docx")
        assert isinstance(err, TemplateLimitError)
        assert str(err).startswith(
            "文件「templates/大模板.docx」：模板生成的内容超过了上限（2,000,000 个字符）"
        )
        set_limits(RenderLimits(max_output_chars=5_000_000))
        assert len(make_environment().from_string(source).render(主题="学习")) == 3_000_000
    finally:
        set_limits(RenderLimits())


def test_ordinary_templates_are_untouched_by_the_guards():
    env_ = make_environment()
    source = (
        "{% for p in 人员 %}{{ loop.index }}.{{ p ~ '同志' }}{% if not loop.last %}、{% endif %}{% endfor %}"
        "|{{ 人员|join('、') }}|{{ '%s年' % 2024 }}|{{ '{}月'.format(9) }}|{{ 人员 + ['周婷'] }}"
        "|{{ '—' * 3 }}|{{ 2 ** 10 }}|{{ 'a'|center(5) }}|{{ '<b>' ~ 'x' }}"
    )
    out = env_.from_string(source).render(人员=["夏渊", "缪巧军"])
    assert out == (
        "1.夏渊同志、2.缪巧军同志|夏渊、缪巧军|2024年|9月|[&#39;夏渊&#39;, &#39;缪巧军&#39;, &#39;周婷&#39;]"
        "|———|1024|  a  |&lt;b&gt;x"
    )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_watch_stops_on_the_first_ctrl_c_while_a_template_runs(fresh, tmp_path):
    root = make_workspace(fresh, tmp_path / "ws", time_limit=600)
    hostile_template(root, HOSTILE["nested-loops"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", "-w", str(root), "--settle", "0.1"],
        cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        line = b""
        while b"Ctrl" not in line:  # the banner: the watcher is running
            line = proc.stdout.readline()
            assert line, "watch ended before its banner"
        start = cpu_seconds(proc.pid)
        (root / "inbox" / "支委会.txt").write_text(note("无界模板"), encoding="utf-8")
        # Reading and planning the note take a fraction of a second of CPU; once the watcher has
        # spent 3 s more than when it was idle, it is inside the endless render (however loaded
        # the machine, which only stretches the wall time).
        wait_until(lambda: cpu_seconds(proc.pid) - start > 3, what="the watcher to be inside the render")
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    output = proc.stdout.read().decode("utf-8", "replace")
    assert code == 130, output
    assert "已立即停止" in output and "Traceback" not in output, output
    # the note was being rendered: it stays in the inbox to be processed again, not in 失败
    assert (root / "inbox" / "支委会.txt").exists()
    assert not (root / "inbox" / "失败" / "支委会.txt.原因.txt").exists()
