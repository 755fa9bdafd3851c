"""zhibu as a library: every verb of the ``zhibu`` command, for any caller (the command line,
the web workbench, a script).

Each function takes a workspace (its folder, or an open ``Workspace``) and options, and returns a
report of ``pipeline.api.reports``; none prints. A problem the secretary must fix is raised as a
``ZhibuError`` (``pipeline.errors``): ``str()`` is the Chinese message, ``exit_code`` what a
command ends with. The long calls (``run``, ``demo``, ``batch``, ``pdf``, ``print_term``,
``render``) take ``progress(done, total, what)``. Lines logged during a call go to the
workspace's support log, ``.zhibu/zhibu.log``.

* filing — ``run``, ``watching`` (the watcher of ``zhibu watch``), ``check``, ``demo``,
  ``diagnose`` and ``rebuild`` (``zhibu doctor``);
* the term — ``batch``, ``status``, ``search``; the year — ``assess``; printing — ``pdf``, ``print_term``;
* the workspace — ``init``, ``forms``, ``profile``, ``render``, ``templates_check``,
  ``templates_restore``, ``templates_learn``; ``open_workspace``.

The reports (``RunReport`` …) are importable from here too.
"""

from pipeline.api.assessment import assess
from pipeline.api.common import open_workspace
from pipeline.api.filing import check, demo, diagnose, rebuild, run, watching
from pipeline.api.printing import VOLUME_NAME, conversion_settings, file_title, pdf, print_term
from pipeline.api.reports import (
    AssessReport,
    BatchReport,
    CheckReport,
    DemoReport,
    FormsReport,
    IndexCheck,
    InitReport,
    LearnReport,
    PdfReport,
    ProfileReport,
    Progress,
    RenderReport,
    RestoreReport,
    RunReport,
    SearchReport,
    StatusReport,
    TemplatesReport,
    VolumeReport,
)
from pipeline.api.term import batch, search, status
from pipeline.api.workspace import (
    forms,
    init,
    profile,
    render,
    templates_check,
    templates_learn,
    templates_restore,
)
from pipeline.rebuild import RebuildReport

__all__ = [
    "AssessReport",
    "assess",
    "VOLUME_NAME",
    "BatchReport",
    "CheckReport",
    "DemoReport",
    "FormsReport",
    "IndexCheck",
    "InitReport",
    "LearnReport",
    "PdfReport",
    "ProfileReport",
    "Progress",
    "RebuildReport",
    "RenderReport",
    "RestoreReport",
    "RunReport",
    "SearchReport",
    "StatusReport",
    "TemplatesReport",
    "VolumeReport",
    "batch",
    "check",
    "conversion_settings",
    "demo",
    "diagnose",
    "file_title",
    "forms",
    "init",
    "open_workspace",
    "pdf",
    "print_term",
    "profile",
    "rebuild",
    "render",
    "run",
    "search",
    "status",
    "templates_check",
    "templates_learn",
    "templates_restore",
    "watching",
]
