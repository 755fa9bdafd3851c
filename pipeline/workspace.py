"""A workspace: the folder the secretary works in (inbox/, outbox/, templates/, zhibu.toml).

Program state lives in the hidden ``.zhibu/`` folder: the SQLite index, the lock, the log.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pipeline.config import CONFIG_NAME, Config, load_config
from pipeline.errors import TemplateMissingError, WorkspaceError
from pipeline.inbox import FAILED_DIR_NAME
from pipeline.ingest.legacy import docx_template

FORMS_DIR_NAME = "表格模板"


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.inbox = self.root / "inbox"
        self.outbox = self.root / "outbox"
        self.templates = self.root / "templates"
        self.failed = self.inbox / FAILED_DIR_NAME
        self.forms = self.root / FORMS_DIR_NAME
        self.state = self.root / ".zhibu"
        self.index_path = self.state / "index.sqlite3"
        self.lock_path = self.state / "lock"
        self.log_path = self.state / "zhibu.log"
        self.config_path = self.root / CONFIG_NAME

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """Open an existing workspace, creating its working folders if they are missing."""
        ws = cls(root)
        if not ws.config_path.is_file():
            raise WorkspaceError(
                f"「{ws.root}」不是 zhibu 工作区（缺少 {CONFIG_NAME}）",
                hint=f'运行 zhibu init "{ws.root}" 创建工作区，或用 -w 指定正确的工作区文件夹。',
            )
        ws.ensure_folders()
        return ws

    def ensure_folders(self) -> None:
        """Create the working folders that are missing; a file (or a link to one) where a folder
        belongs is a ``WorkspaceError`` naming it, never replaced."""
        for folder in (self.inbox, self.outbox, self.templates, self.failed, self.state):
            if folder.exists() and not folder.is_dir():
                raise self._not_a_folder(folder)
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):  # made a file meanwhile
                raise self._not_a_folder(folder) from None

    def _not_a_folder(self, folder: Path) -> WorkspaceError:
        rel = folder.relative_to(self.root).as_posix()
        return WorkspaceError(
            f"工作区「{self.root}」里的「{rel}」是一个文件，不是文件夹，zhibu 无法使用这个工作区",
            hint=f"请把这个文件改名或移到别处（先看看里面是什么），zhibu 会重新建立「{rel}」文件夹；然后重新运行。",
        )

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    def meeting_template(self, mtype) -> Path:
        """templates/<类型>.docx when the secretary made one for this activity, else the shared one."""
        own = docx_template(self.templates / f"{mtype.name}.docx")  # a .doc template is converted
        return own if own.is_file() else self.template(mtype.template)

    def template(self, name: str) -> Path:
        path = docx_template(self.templates / name)
        if not path.is_file():
            raise TemplateMissingError.of(str(path.relative_to(self.root)))
        return path
