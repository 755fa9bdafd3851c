"""Run a part of the notes corpus end to end through `zhibu run` and compare the minutes field by field.

The workspace gets a probe template (one ``【变量】值`` paragraph per template variable) in place of
the default layouts, so the comparison reads exactly what the minutes template receives, whatever
the house layout looks like. Used by tests/test_notes_corpus.py and benchmarks/notes_accuracy.py.

A manifest entry: ``outcome`` (filed/failed), ``reason`` (words the refusal must contain),
``fields`` (every fact the note states, as the minutes must print it; a list gives the accepted
spellings), ``optional`` (facts a reader may or may not derive: compared when printed, not counted;
under a key ``fields`` states too, more accepted spellings of the stated value),
``ambiguous`` ({field: why}: the note can be read two ways there, so a value printed for it is neither
right nor invented: it is listed apart, and counted as invented only with ``count_ambiguous``).
A printed value that differs from the stated one is a **wrong value**; a value printed for a field
the note does not state is an **invented value** (a topic that is a span of the note excepted).
A topic that is one title is the same value with or without its 书名号; a 时间 printed as the date
alone (no clock read) is a blank clock, not a wrong value.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from pipeline.commands.cli import cli
from pipeline.errors import ZhibuError
from pipeline.ingest.docxnote import docx_to_text
from pipeline.ingest.textfile import decode_text

HERE = Path(__file__).resolve().parent
PARTS = (
    "tuning",
    "heldout",
    "fresh",
    "heldout2",
    "patterns",
    "round2",
    "round3",
    "round4",
    "round5",
    "round6",
    "round7",
)
PROBE_KEYS = (
    "会议类型",
    "日期",
    "时间",
    "地点",
    "主持人",
    "主讲人",
    "记录人",
    "应到",
    "实到",
    "出席人员",
    "缺席人员",
    "列席人员",
    "听课人员",
    "主题",
    "谈话人",
    "谈话对象",
)
_PROBE_LINE = re.compile(r"^【(?P<key>[^】]+)】(?P<value>.*)$")


@dataclass
class NoteResult:
    name: str
    expected_outcome: str
    outcome: str = "missing"
    reason: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # human-readable differences
    fields_stated: int = 0
    fields_right: int = 0
    wrong: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # printed where the note reads two ways

    @property
    def outcome_ok(self) -> bool:
        return self.outcome == self.expected_outcome and not any(m.startswith("原因") for m in self.misses)


def probe_template() -> bytes:
    doc = Document()
    for key in PROBE_KEYS:
        doc.add_paragraph(f"【{key}】{{{{ {key} }}}}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def manifest(part: str | Path) -> dict[str, dict]:
    return json.loads((_folder(part) / "manifest.json").read_text(encoding="utf-8"))


def _folder(part: str | Path) -> Path:
    """A part of the committed corpus by name, or any folder holding notes and a manifest.json."""
    return part if isinstance(part, Path) else HERE / part


def read_probe(path: Path) -> dict[str, str]:
    values = {}
    for p in Document(str(path)).paragraphs:
        m = _PROBE_LINE.match(p.text)
        if m:
            values[m.group("key")] = m.group("value").strip()
    return values


def _outputs_by_source(output: str) -> dict[str, list[str]]:
    """`zhibu run` prints ``[已处理] <name>`` and then ``→ <output>`` lines."""
    found: dict[str, list[str]] = {}
    current = None
    for line in output.splitlines():
        s = line.strip()
        m = re.match(r"^\[(.+?)\]\s+(.+)$", s)
        if m:
            current = m.group(2).strip()
            found.setdefault(current, [])
        elif s.startswith("→") and current is not None:
            found[current].append(s.lstrip("→").strip())
    return found


def run_part(part: str | Path, root: Path, count_ambiguous: bool = False) -> tuple[list[NoteResult], str]:
    """Copy the part's notes into a fresh workspace at ``root``, run zhibu, compare. A value printed
    for a field the manifest marks ambiguous is set apart, or counted as invented with ``count_ambiguous``."""
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for name in ("会议记录.docx", "谈心谈话记录.docx"):
        (root / "templates" / name).write_bytes(probe_template())
    expected = manifest(part)
    for name in expected:
        target = root / "inbox" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_folder(part) / name, target)
    run = runner.invoke(cli, ["run", "-w", str(root)], catch_exceptions=False)
    outputs = _outputs_by_source(run.output)
    results = [
        _compare(name, entry, root, outputs, _note_text(_folder(part) / name), count_ambiguous)
        for name, entry in expected.items()
    ]
    return results, run.output


def _note_text(path: Path) -> str:
    """The note's text, for telling a topic taken from it; "" for a file that is no note at all."""
    try:
        return docx_to_text(path) if path.suffix == ".docx" else decode_text(path.read_bytes(), path.name)
    except ZhibuError:
        return ""


def _compare(
    name: str,
    entry: dict,
    root: Path,
    outputs: dict[str, list[str]],
    text: str = "",
    count_ambiguous: bool = False,
) -> NoteResult:
    r = NoteResult(name, entry["outcome"])
    reason_files = list((root / "inbox" / "失败").rglob(Path(name).name + ".原因.txt"))
    docs = [o for o in outputs.get(name, []) if o.endswith(".docx") and "原始材料" not in o]
    if reason_files:
        r.outcome = "failed"
        r.reason = reason_files[0].read_text(encoding="utf-8-sig")
    elif docs:
        r.outcome = "filed"
        r.fields = read_probe(root / docs[0])
    if r.outcome != r.expected_outcome:
        r.misses.append(
            f"结果应为{r.expected_outcome}，实际为{r.outcome}" + (f"：{_short(r.reason)}" if r.reason else "")
        )
    for words in entry.get("reason", []):
        if r.outcome == "failed" and words not in r.reason:
            r.misses.append(f"原因中没有「{words}」：{_short(r.reason)}")
    stated = entry.get("fields", {})
    for key, want in stated.items():
        r.fields_stated += 1
        accepted = _accepted(key, want, entry.get("optional", {}))
        got = r.fields.get(key)
        if got in accepted or (key == "主题" and _bare_title(got) in map(_bare_title, accepted)):
            r.fields_right += 1
        elif r.outcome == "filed":
            r.misses.append(f"{key}：应为「{accepted[0]}」，实际为「{got}」")
            if got and not _clock_left_blank(key, got, r.fields):
                r.wrong.append(f"{key}「{got}」")
    if r.outcome == "filed":
        _unstated_values(r, entry, text, count_ambiguous)
    return r


def _accepted(key: str, want: str | list[str], optional: dict) -> list[str]:
    """The spellings accepted for a stated field: its own, and the alternatives ``optional`` lists
    under the same key (a clean spelling of garbled text, "9:30" for "09:30")."""
    accepted = want if isinstance(want, list) else [want]
    more = optional.get(key, [])
    return accepted + [v for v in (more if isinstance(more, list) else [more]) if v not in accepted]


def _clock_left_blank(key: str, got: str, printed: dict[str, str]) -> bool:
    """A 时间 printed as the meeting's date alone is the date with its clock left blank (the minutes
    print the date there when no clock is read): a missed clock, not a wrong value."""
    return key == "时间" and got == printed.get("日期")


def _bare_title(value: str | None) -> str:
    """A topic that is one title: 《认真落实“三会一课”制度》 and 认真落实“三会一课”制度 are the same value."""
    value = value or ""
    return (
        value[1:-1] if value.startswith("《") and value.endswith("》") and value.count("《") == 1 else value
    )


def _unstated_values(r: NoteResult, entry: dict, text: str, count_ambiguous: bool = False) -> None:
    """Values printed for fields the manifest does not state: wrong (optional, differs), invented, or
    set apart (a field the manifest marks ambiguous)."""
    stated, optional = entry.get("fields", {}), entry.get("optional", {})
    ambiguous = {} if count_ambiguous else entry.get("ambiguous", {})
    if entry["outcome"] == "failed":
        # Filed although the note cannot be filed (no year, not a record): its date is made up.
        r.invented.append(f"日期「{r.fields.get('日期', '')}」")
    for key, got in r.fields.items():
        if not got or key in stated or key == "会议类型":
            continue
        if key in optional:
            accepted = optional[key] if isinstance(optional[key], list) else [optional[key]]
            if got not in accepted and not (key == "主题" and _bare_title(got) in map(_bare_title, accepted)):
                r.misses.append(f"{key}：应为「{accepted[0]}」或空白，实际为「{got}」")
                r.wrong.append(f"{key}「{got}」")
            continue
        if _derived(key, got, r.fields, stated, text):
            continue
        if key in ambiguous:
            r.ambiguous.append(f"{key}「{got}」")
            continue
        r.misses.append(f"{key}：笔记没有写，却填了「{got}」")
        r.invented.append(f"{key}「{got}」")


def _derived(key: str, got: str, printed: dict[str, str], stated: dict, text: str) -> bool:
    """Printed values that follow from what the note states (not inventions)."""
    if key == "时间":
        return got == printed.get("日期") or got == stated.get("日期")
    if key == "日期":
        return printed.get("时间", "").startswith(got)
    if key == "主题":
        return got in text  # a topic taken as written from the note
    if key == "缺席人员" and got == "无":
        return stated.get("应到") is not None and stated.get("应到") == stated.get("实到")
    if key == "谈话人":  # the talk template's variable; other minutes never print it
        return got == printed.get("主持人")
    return False


def _short(text: str) -> str:
    m = re.search(r"原因：\s*(.+?)\n\n", text, re.S)
    return " ".join((m.group(1) if m else text).split())[:160]


def summary(results: list[NoteResult]) -> dict[str, float | int]:
    notes = len(results)
    stated = sum(r.fields_stated for r in results)
    return {
        "notes": notes,
        "outcomes_ok": sum(r.outcome_ok for r in results),
        "notes_exact": sum(r.outcome_ok and not r.misses for r in results),
        "fields": stated,
        "fields_ok": sum(r.fields_right for r in results),
        "wrong": sum(len(r.wrong) for r in results),
        "invented": sum(len(r.invented) for r in results),
        "ambiguous": sum(len(r.ambiguous) for r in results),
    }
