"""What every page and action of the workbench shares: the served branches (``Branch``, ``WebState``),
the templates, the Chinese error pages, a branch's page with its login check, the route helper.

Every page is rendered on the server from what ``pipeline.web.backend`` returns; the few lines of
JavaScript (``static/app.js``) only poll progress and turn a drop into an upload.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from pipeline.web import backend, model
from pipeline.web.jobs import Jobs
from pipeline.web.security import BodyTooLarge, LoginThrottle, csrf_token
from pipeline.web.text import split_advice
from pipeline.web.watching import WatchSession

log = logging.getLogger("zhibu.web")
HERE = Path(__file__).parent
KEEP_OUTCOMES = 500

REFUSALS = {
    "host": (
        "请求被拒绝",
        "这个请求不是从本机的 zhibu 工作台页面发出的（地址不对），已拒绝。",
        "请在浏览器地址栏输入 zhibu serve 显示的地址。",
    ),
    "origin": (
        "请求被拒绝",
        "这个请求来自其他网站，已拒绝，工作区没有任何改动。",
        "请直接在 zhibu 工作台的页面上操作。",
    ),
    "csrf": (
        "页面已过期",
        "提交的表单缺少有效的安全校验码，已拒绝，工作区没有任何改动。",
        "请回到上一页，刷新后重新提交。",
    ),
    "too_large": (
        "文件太大",
        "上传的内容超过了大小上限，已拒绝，没有保存任何文件。",
        "请分几次上传，或把文件直接复制到工作区的 inbox 文件夹。",
    ),
    "login": ("需要登录", "请先输入口令登录。", "回到登录页输入口令。"),
    "not_found": (
        "找不到这个页面",
        "地址不对，或者这个文件已经不在工作区里了。",
        "请从页面上方的菜单重新进入。",
    ),
    "file": (
        "不能下载这个文件",
        "只能下载工作区 outbox、inbox/失败 和 表格模板 文件夹里的文件。",
        "请从“文档”页面下载。",
    ),
    "read_only": (
        "这个工作区只能查看",
        "另一个 zhibu 程序（zhibu watch 或 zhibu run）正在处理这个工作区，这里不能上传或修改。",
        "请关闭另一个程序后重新启动 zhibu serve。",
    ),
    "method": ("请求方式不对", "这个地址不能这样访问。", "请从页面上的按钮操作。"),
}


class Branch:
    """One served workspace: its pages, its watcher and what the watcher filed."""

    def __init__(self, key: str, root: Path):
        self.key = key
        self.root = root
        self.watch: WatchSession | None = None
        self.outcomes: list[tuple[int, model.Outcome]] = []  # (sequence, outcome), newest last
        self.seq = 0
        self.refused: dict[str, list] = {}  # upload refusals by a random token, for the page after
        self._lock = threading.Lock()
        self._ws: backend.Workspace | None = None
        self._version: tuple[int, int] | None = None

    def workspace(self) -> backend.Workspace:
        """The workspace, read again when zhibu.toml changed (edited on the 设置 page or by hand)."""
        try:
            st = (self.root / "zhibu.toml").stat()
            version = (st.st_mtime_ns, st.st_size)
        except OSError:
            version = None
        if self._ws is None or version != self._version:
            self._ws, self._version = backend.open_workspace(self.root), version
        return self._ws

    def record(self, outcome) -> None:
        """Called by the watcher's thread for every file it processed."""
        view = backend.outcome_view(outcome, self.workspace())
        with self._lock:
            self.seq += 1
            self.outcomes.append((self.seq, view))
            del self.outcomes[:-KEEP_OUTCOMES]

    def keep_refusals(self, refusals: list) -> str:
        token = secrets.token_urlsafe(8)
        with self._lock:
            self.refused[token] = refusals
            while len(self.refused) > 50:
                del self.refused[next(iter(self.refused))]
        return token

    def outcomes_after(self, seq: int) -> list[tuple[int, model.Outcome]]:
        with self._lock:
            return [(s, o) for s, o in self.outcomes if s > seq]

    @property
    def writable(self) -> bool:
        return self.watch is not None and self.watch.running

    @property
    def name(self) -> str:
        try:
            return backend.branch_name(self.workspace())
        except backend.Error:
            return self.root.name


class WebState:
    def __init__(
        self, branches: list[Branch], *, port: int, lan: bool, password_hash: str, upload_limit: int
    ):
        self.branches = {b.key: b for b in branches}
        self.port, self.lan = port, lan
        self.password_hash = password_hash
        self.login_required = lan
        self.upload_limit = upload_limit
        self.jobs = Jobs(lambda exc: explain(exc, *(b.root for b in branches)))
        self.throttle = LoginThrottle()
        self.today: Callable[[], dt.date] = dt.date.today


def explain(exc: BaseException, *roots: Path) -> tuple[list[str], list[str]]:
    """(what went wrong, what to do) for the secretary; never a traceback or a machine path."""
    if isinstance(exc, backend.Error):
        text = str(exc)
        for root in roots:
            text = backend.scrub(text, root)
        return split_advice(text)
    log.error("web: unexpected error", exc_info=exc)
    return [f"程序内部错误（{type(exc).__name__}）。"], [
        "请把工作区 .zhibu 文件夹里的 zhibu.log 发给技术支持人员。"
    ]


templates = Jinja2Templates(directory=str(HERE / "templates"))


def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    state: WebState = request.app.state.web
    branch = context.get("branch")
    base = {
        "csrf": csrf_token(request.session),
        "branches": list(state.branches.values()),
        "several": len(state.branches) > 1,
        "logged_in": bool(request.session.get("auth")),
        "login_required": state.login_required,
        "branch": branch,
    }
    return templates.TemplateResponse(request, name, base | context, status_code=status)


def error_page(
    request: Request, status: int, title: str, reason: list[str], advice: list[str]
) -> HTMLResponse:
    context = {"title": title, "reason": reason, "advice": advice, "branch": None}
    return render(request, "error.html", context, status)


def refusal(request: Request, status: int, code: str) -> HTMLResponse:
    title, reason, advice = REFUSALS[code]
    return error_page(request, status, title, [reason], [advice])


async def refuse_asgi(scope, receive, send, status: int, code: str) -> None:
    """The Guard's refusals, as the same Chinese error page (outside the session middleware)."""
    title, reason, advice = REFUSALS[code]
    scope = dict(scope, session={})
    response = templates.TemplateResponse(
        Request(scope, receive),
        "error.html",
        {"title": title, "reason": [reason], "advice": [advice], "branch": None, "csrf": "", "branches": []},
        status_code=status,
    )
    await response(scope, receive, send)


def branch_page(handler: Callable) -> Callable:
    """A page of one branch: login checked, the branch found, errors shown as Chinese pages."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        state: WebState = request.app.state.web
        if state.login_required and not request.session.get("auth"):
            if request.method in ("GET", "HEAD"):
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            return refusal(request, 403, "login")
        branch = state.branches.get(request.path_params.get("key", ""))
        if branch is None and "key" in request.path_params:
            return refusal(request, 404, "not_found")
        try:
            return await handler(request, branch)
        except BodyTooLarge:
            return refusal(request, 413, "too_large")
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Chinese page
            roots = [branch.root] if branch else [b.root for b in state.branches.values()]
            reason, advice = explain(exc, *roots)
            status = 400 if isinstance(exc, backend.Error) else 500
            return error_page(request, status, "无法完成", reason, advice)

    return endpoint


def route(path: str, endpoint: Callable, methods: list[str] | None = None) -> Route:
    return Route(path, endpoint, methods=methods or ["GET"])
