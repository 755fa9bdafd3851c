"""What changes something (POST): uploads, the term batch and volume, settings, login. Each checks
the CSRF token first; nothing is done for a request without it."""

from __future__ import annotations

import asyncio
import shutil
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.web import backend, uploads
from pipeline.web.base import Branch, WebState, explain, refusal, render, route
from pipeline.web.model import Settings
from pipeline.web.security import check_csrf, verify_password

MAX_FILES = 50
MAX_ROWS = 40  # committee members or terms in one settings form


def _state(request: Request) -> WebState:
    return request.app.state.web


async def _form(request: Request, **limits):
    form = await request.form(max_files=limits.get("max_files", 0), max_fields=400)
    token = form.get("csrf")
    return form, check_csrf(request.session, token if isinstance(token, str) else None)


def _writable(request: Request, branch: Branch) -> Response | None:
    return None if branch.writable else refusal(request, 409, "read_only")


async def upload(request: Request, branch: Branch) -> Response:
    form, ok = await _form(request, max_files=MAX_FILES)
    if not ok:
        return refusal(request, 403, "csrf")
    if (refused := _writable(request, branch)) is not None:
        return refused
    ws = branch.workspace()
    _hash, limit = backend.web_settings(ws)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    saved, refusals = [], []
    after = branch.seq
    for item in files:
        try:
            name = await run_in_threadpool(
                uploads.save_upload, ws, item.filename or "", _copier(item), item.size or 0, limit
            )
            saved.append(name)
        except backend.Error as err:
            reason, advice = explain(err, ws.root)
            refusals.append({"name": item.filename, "reason": reason, "advice": advice})
        finally:
            await item.close()
    if not files:
        refusals.append(
            {"name": "", "reason": ["没有选择文件。"], "advice": ["把文件拖到虚线框里，或点“选择文件”。"]}
        )
    token = branch.keep_refusals(refusals) if refusals else ""
    query = urlencode([("after", after), ("r", token), *(("f", n) for n in saved)])
    return RedirectResponse(f"/w/{branch.key}/upload?{query}", status_code=303)


def _copier(item: UploadFile):
    def copy(fh) -> None:
        item.file.seek(0)
        shutil.copyfileobj(item.file, fh, 1024 * 1024)

    return copy


async def term_batch(request: Request, branch: Branch) -> Response:
    return await _term_job(request, branch, "batch")


async def term_print(request: Request, branch: Branch) -> Response:
    return await _term_job(request, branch, "print")


async def _term_job(request: Request, branch: Branch, kind: str) -> Response:
    form, ok = await _form(request)
    if not ok:
        return refusal(request, 403, "csrf")
    if (refused := _writable(request, branch)) is not None:
        return refused
    state = _state(request)
    ws = branch.workspace()
    today = state.today()
    term = backend.pick_term(ws, str(form.get("term") or "") or None, today)
    if kind == "batch":

        def work(job):
            return backend.run_term_batch(ws, term, today, job.progress)

        title = f"生成{term.label}的学期材料（台账、汇编、计划、发展党员材料）"
    else:

        def work(job):
            job.progress(0, 1, "正在用 LibreOffice 转换并合成卷册")
            return backend.build_term_volume(ws, term)

        title = f"生成{term.label}的装订卷册（PDF）"
    job = state.jobs.start((branch.key, kind, term.id), title, work)
    return RedirectResponse(f"/w/{branch.key}/term?term={term.id}&job={job.id}", status_code=303)


def _rows(form, *names: str, by_first: bool = False) -> list[tuple[str, ...]]:
    """The filled rows of a table of the form: any cell filled, or with ``by_first`` the first
    (a committee row's 职务 always has a value)."""
    columns = [[str(v) for v in form.getlist(n)][:MAX_ROWS] for n in names]
    width = max((len(c) for c in columns), default=0)
    rows = [tuple(c[i].strip() if i < len(c) else "" for c in columns) for i in range(width)]
    return [r for r in rows if (r[0] if by_first else any(r))]


async def save_settings(request: Request, branch: Branch) -> Response:
    form, ok = await _form(request)
    if not ok:
        return refusal(request, 403, "csrf")
    if (refused := _writable(request, branch)) is not None:
        return refused
    wanted = Settings(
        name=str(form.get("name", "")),
        school=str(form.get("school", "")),
        department=str(form.get("department", "")),
        committee=[(r[0], r[1]) for r in _rows(form, "member", "role", by_first=True)],
        terms=[
            (r[0], r[1], r[2], r[3]) for r in _rows(form, "term_id", "term_start", "term_end", "term_plan")
        ],
    )
    ws = branch.workspace()
    try:
        await run_in_threadpool(backend.save_settings, ws, wanted)
    except backend.Error as err:
        reason, advice = explain(err, ws.root)
        context = {
            "branch": branch,
            "page": "settings",
            "settings": wanted,
            "saved": False,
            "problem": (reason, advice),
        }
        return render(request, "settings.html", context, 400)
    await run_in_threadpool(_restart_watcher, branch)
    return RedirectResponse(f"/w/{branch.key}/settings?saved=1", status_code=303)


def _restart_watcher(branch: Branch) -> None:
    """The watcher reads zhibu.toml when it starts: start it again so the new values apply."""
    if branch.watch is not None:
        branch.watch.stop()
        branch.watch.start()


async def login(request: Request) -> Response:
    state = _state(request)
    form, ok = await _form(request)
    if not ok:
        return refusal(request, 403, "csrf")
    address = request.client.host if request.client else ""
    nxt = str(form.get("next") or "/")
    nxt = nxt if nxt.startswith("/") and not nxt.startswith("//") else "/"
    wait = state.throttle.wait_left(address)
    if wait > 0:
        problem = f"口令错误的次数太多，请 {int(wait) + 1} 秒后再试。"
        return render(request, "login.html", {"next": nxt, "problem": problem}, 429)
    good = await run_in_threadpool(verify_password, str(form.get("password") or ""), state.password_hash)
    if not good:
        state.throttle.failed(address)
        await asyncio.sleep(0.5)
        return render(request, "login.html", {"next": nxt, "problem": "口令不对，请重新输入。"}, 403)
    state.throttle.succeeded(address)
    request.session.clear()
    request.session["auth"] = True
    return RedirectResponse(nxt, status_code=303)


async def logout(request: Request) -> Response:
    form, ok = await _form(request)
    if not ok:
        return refusal(request, 403, "csrf")
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def routes(branch_page) -> list:
    return [
        route("/login", login, ["POST"]),
        route("/logout", logout, ["POST"]),
        route("/w/{key}/upload", branch_page(upload), ["POST"]),
        route("/w/{key}/term/batch", branch_page(term_batch), ["POST"]),
        route("/w/{key}/term/print", branch_page(term_print), ["POST"]),
        route("/w/{key}/settings", branch_page(save_settings), ["POST"]),
    ]
