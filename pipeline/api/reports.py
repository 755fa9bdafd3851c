"""The reports ``pipeline.api`` returns: plain data, complete enough for a summary on the console,
a ``--json`` document or a web page. Nothing here prints.

Paths in reports are relative to the workspace root (``outbox/…``, ``inbox/失败/…``) unless a
field says otherwise; messages are the secretary's Chinese text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConverterError, ExitCode, StorageError
from pipeline.filing.dry_run import FileCheck
from pipeline.filing.outcome import Outcome, Status
from pipeline.learn import Learned
from pipeline.printing.volume import VolumeResult
from pipeline.records.calendar import Term
from pipeline.render.template_check import TemplateCheck
from pipeline.term.assess_run import AssessReport as AssessReport  # re-exported: the report of assess
from pipeline.term.batch import TermReport, Written
from pipeline.term.compliance import Compliance
from pipeline.term.documents import TermDocument
from pipeline.term.dues_papers import DuesReport
from pipeline.term.rerender import RerenderReport
from pipeline.term.search import Hit

# progress(done, total, what): called once with done 0 before the first item (the total known),
# then as items end; ``what`` names the item just done (an input, a document, a step).
Progress = Callable[[int, int, str], None]


def _code(failed: bool) -> ExitCode:
    return ExitCode.INPUT_FAILED if failed else ExitCode.OK


@dataclass
class RunReport:
    """``run``: what became of each input of the inbox, and what the pass found on the way."""

    outcomes: list[Outcome] = field(default_factory=list)
    recovered: int = 0  # filings a crash interrupted, finished at the start
    waiting: list[str] = field(default_factory=list)  # files earlier filings wait for (open in Word …)
    stopped: StorageError | None = None  # a full or read-only disk stopped the pass: the rest stays
    notice: str | None = None  # zhibu.toml's branch name or committee is not filled in yet

    @property
    def counts(self) -> Counter[Status]:
        return Counter(o.status for o in self.outcomes)

    @property
    def documents(self) -> int:
        return sum(len(o.outputs) for o in self.outcomes)

    @property
    def exit_code(self) -> ExitCode:
        if self.stopped is not None:
            return self.stopped.exit_code
        return _code(any(o.status.needs_attention for o in self.outcomes))

    def as_dict(self) -> dict:
        """As ``zhibu run --json`` prints it."""
        return {"recovered": self.recovered, "inputs": [o.as_dict() for o in self.outcomes]}


@dataclass
class DemoReport:
    filled_branch: bool  # zhibu.toml was the untouched default and got the sample branch
    copied: list[str]  # the sample inputs put into the inbox
    inbox: Path  # absolute
    outbox: Path  # absolute
    run: RunReport

    @property
    def exit_code(self) -> ExitCode:
        """The sample meant to fail (示例-错误…) failing is the demo working."""
        failed = any(
            o.status == Status.FAILED and not o.name.startswith("示例-错误") for o in self.run.outcomes
        )
        return self.run.stopped.exit_code if self.run.stopped else _code(failed)


@dataclass
class CheckReport:
    files: list[FileCheck]

    @property
    def problems(self) -> int:
        return sum(len(f.errors) for f in self.files)

    @property
    def exit_code(self) -> ExitCode:
        return _code(bool(self.problems))

    def as_dict(self) -> dict:
        return {"files": [f.as_dict() for f in self.files], "problems": self.problems}


@dataclass
class BatchReport:
    """``batch``: the term documents written, per term, and the minutes made again first."""

    terms: list[TermReport] = field(default_factory=list)
    rerendered: list[tuple[Term, RerenderReport]] = field(default_factory=list)
    dues: DuesReport | None = None  # the 党费 papers of the year (--year), when the registers were filed
    assessment: AssessReport | None = None  # the year's 考核自评 (--year)

    @property
    def exit_code(self) -> ExitCode:
        failed = any(r.problems for _, r in self.rerendered) or any(t.errors for t in self.terms)
        failed = failed or bool(self.assessment and self.assessment.errors)
        return _code(failed or bool(self.dues and self.dues.errors))

    def as_dict(self) -> dict:
        rerender = [
            {"term": t.id, "updated": r.updated, "unchanged": r.unchanged, "problems": r.problems}
            for t, r in self.rerendered
        ]
        terms = [
            {
                "term": t.term.id,
                "as_of": t.as_of.isoformat() if t.as_of else None,
                "files": [{"path": f.path, "status": f.status, "history": f.history} for f in t.files],
                "compliance": t.compliance.messages() if t.compliance else [],
                "warnings": t.warnings,
                "errors": t.errors,
            }
            for t in self.terms
        ]
        return {
            "rerender": rerender,
            "terms": terms,
            "dues": self.dues.as_dict() if self.dues else None,
            "assessment": self.assessment.as_dict() if self.assessment else None,
        }


@dataclass
class StatusReport:
    """``status``: the term's compliance, and the 发展党员 reminders (empty without a register)."""

    compliance: Compliance
    development: dict  # the 发展党员 part of ``--json``
    development_lines: list[tuple[str, str | None]]  # (line, colour) of its printed section
    dues: dict = field(default_factory=lambda: {"dues": None})  # the 党费 part of ``--json``
    dues_lines: list[tuple[str, str | None]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # what the term's documents lack (to fill in)
    assessment: dict = field(default_factory=lambda: {"assessment": None})  # the year's projected score
    assessment_lines: list[tuple[str, str | None]] = field(default_factory=list)

    def as_dict(self) -> dict:
        c = self.compliance
        exempt = c.ruleset.exempt_months
        out = {
            "term": c.term.id,
            "term_name": c.term.label,
            "start": c.start.isoformat(),
            "end": c.end.isoformat(),
            "today": c.today.isoformat(),
            "due": [x.as_dict(exempt) for x in c.due],
            "missing": [x.as_dict(exempt) for x in c.missing],
            "quorum": c.quorum,
            "warnings": c.warnings,
            "unattributed": [
                {"id": m.id, "date": m.date.isoformat(), "type": m.type, "title": m.title, "path": m.path}
                for m in c.unattributed
            ],
            "counts": c.counts,
            "total": c.total,
            "notes": c.notes,
            "same_day": [
                {
                    "date": x.first.date.isoformat(),
                    "type": x.first.type,
                    "paths": [x.first.path, x.second.path],
                    "conflicts": list(x.facts),
                }
                for x in c.clashes
            ],
            "documents": self.documents,
            "checks": [x.as_dict(exempt) for x in c.checks],
        } | self.development
        return out | self.dues | self.assessment


@dataclass
class SearchReport:
    query: str
    method: str  # "fts5-trigram", "like" or "none"
    hits: list[Hit]
    limit: int

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "method": self.method,
            "count": len(self.hits),
            "results": [h.as_dict() for h in self.hits],
        }


@dataclass
class PdfReport:
    """``pdf``: each document converted (absolute paths: source → PDF) or why not."""

    sources: list[Path] = field(default_factory=list)
    pdfs: dict[Path, Path] = field(default_factory=dict)
    failures: dict[Path, ConverterError] = field(default_factory=dict)
    stalled: list[Path] = field(default_factory=list)  # LibreOffice hung on these and was ended

    @property
    def exit_code(self) -> ExitCode:
        return _code(bool(self.failures))


@dataclass
class VolumeReport:
    """``print_term``: the bound volume of a term."""

    term: Term
    documents: int
    volume: VolumeResult  # volume.pdf is its absolute path
    made: list[Written] = field(default_factory=list)  # term documents made first (not there yet)
    warnings: list[str] = field(default_factory=list)  # of those, and of the records bound
    contents: list[TermDocument] = field(default_factory=list)  # what was bound, in order


@dataclass
class IndexCheck:
    """``diagnose``: what is wrong between the index and the archive on disk ([] when nothing)."""

    problems: list[str]

    @property
    def exit_code(self) -> ExitCode:
        return _code(bool(self.problems))


@dataclass
class InitReport:
    root: Path  # absolute
    created: list[str]  # relative to the root


@dataclass
class FormsReport:
    folder: Path  # absolute
    written: list[str]  # names in the folder
    kept: list[str]  # there already, not overwritten


@dataclass
class ProfileReport:
    text: str  # the 党组织简介
    day: dt.date | None = None  # the date it is stated as of and dated
    docx: str | None = None  # the Word copy, when asked for


@dataclass
class RenderReport:
    """``render``: one document per register row, in ``folder`` (absolute)."""

    folder: Path
    rows: int  # rows that make a document
    skipped: list[str] = field(default_factory=list)  # rows with errors, not rendered
    succeeded: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (where the row is, why)

    @property
    def exit_code(self) -> ExitCode:
        return _code(bool(self.failures) or not self.rows)


@dataclass
class TemplatesReport:
    """``templates_check``: every template of templates/ tried."""

    checks: list[TemplateCheck]

    @property
    def exit_code(self) -> ExitCode:
        return _code(not self.checks or any(not c.ok for c in self.checks))


@dataclass
class RestoreReport:
    written: list[str]
    backup: Path | None  # the folder the replaced templates were copied to (absolute)


@dataclass
class LearnReport:
    """``templates_learn``: what was learned, where the template went, and its trial."""

    learned: Learned
    template: str  # templates/<类型>.docx
    backup: Path | None  # the earlier template of that name, copied here (absolute)
    check: TemplateCheck

    @property
    def exit_code(self) -> ExitCode:
        return _code(not self.check.ok)
