"""``zhibu templates check``: each Word template tried with sample data, its variables compared
with what the records provide."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docxtpl import DocxTemplate

from pipeline.errors import ZhibuError
from pipeline.records.types import MEETING_TYPES, MeetingType
from pipeline.render.default_templates import OPTIONAL_VARIABLES
from pipeline.render.development_templates import ROW_NAMES as DEVELOPMENT_ROW_NAMES
from pipeline.render.development_templates import VARIABLES as DEVELOPMENT_VARIABLES
from pipeline.render.environment import make_environment
from pipeline.render.minutes import MINUTES_VARIABLES, build_context, render_docx, sample_meeting

# Loop variables the default templates define themselves.
LOCAL_NAMES = {"节", "段", "项", "末节", "loop"}


@dataclass
class TemplateCheck:
    """One template: the variables it uses that no record gives (an error at every render), those
    of the records it leaves out, and the trial render with sample data of its meeting type."""

    name: str
    meeting_type: str | None = None  # the activity the template is for; None: not tied to one
    unreadable: str | None = None  # why the template could not be read at all
    unknown: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    tried: bool = False  # a trial render ran (templates of a meeting type)
    error: str | None = None  # why the trial render failed

    @property
    def ok(self) -> bool:
        return not (self.unreadable or self.unknown or self.error)


def meeting_type_for(name: str) -> MeetingType | None:
    """The meeting type a template file serves: 党课.docx, or a type's shared template."""
    stem = name.rsplit(".", 1)[0]
    for t in MEETING_TYPES:
        if stem == t.name:
            return t
    return next((t for t in MEETING_TYPES if t.template == name), None)


def check_template(path: Path, branch) -> TemplateCheck:
    """Read ``path``'s variables and, for a meeting type's template, render it with sample data."""
    mtype = meeting_type_for(path.name)
    check = TemplateCheck(path.name, mtype.name if mtype else None)
    try:
        used = DocxTemplate(str(path)).get_undeclared_template_variables(jinja_env=make_environment())
    except Exception as exc:
        check.unreadable = f"{type(exc).__name__}: {exc}"
        return check
    known = DEVELOPMENT_VARIABLES.get(path.name, MINUTES_VARIABLES)
    check.unknown = sorted(set(used) - known - LOCAL_NAMES - DEVELOPMENT_ROW_NAMES - OPTIONAL_VARIABLES)
    check.unused = sorted(known - set(used))
    if mtype:
        check.tried = True
        try:
            context = build_context(sample_meeting(0, mtype.name), branch, "示例学期")
            render_docx(path, context, display_name=f"templates/{path.name}")
        except ZhibuError as err:
            check.error = str(err)
    return check
