"""The pages a secretary reads (GET): each asks the backend, then renders a template."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from pipeline.web import backend, uploads
from pipeline.web.base import Branch, WebState, refusal, render, route
from pipeline.web.model import Ready

MEDIA = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
VIEWABLE = {".docx", ".doc", ".wps", ".odt", ".rtf", ".xlsx"}


def _state(request: Request) -> WebState:
    return request.app.state.web


def _today(request: Request):
    return _state(request).today()


async def index(request: Request, branch: None) -> Response:
    state = _state(request)
    if len(state.branches) == 1:
        return RedirectResponse(f"/w/{next(iter(state.branches))}/", status_code=303)
    today = _today(request)
    columns = [await run_in_threadpool(_overview, b, today) for b in state.branches.values()]
    return render(request, "overview.html", {"columns": columns, "page": "overview"})


def _overview(branch: Branch, today):
    from pipeline.web.model import Overview

    try:
        ws = branch.workspace()
        return Overview(
            branch.key,
            backend.branch_name(ws),
            backend.status(ws, today),
            backend.development_due(ws, today),
            len(backend.failures(ws)),
        )
    except backend.Error as err:
        return Overview(branch.key, branch.root.name, None, None, 0, error=str(err).splitlines()[0])


async def home(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    data = await run_in_threadpool(backend.home, ws, _today(request))
    return render(request, "home.html", {"branch": branch, "home": data, "page": "home"})


async def upload_page(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    _hash, limit = backend.web_settings(ws)
    names = request.query_params.getlist("f")
    after = _int(request.query_params.get("after"))
    context = {
        "branch": branch,
        "page": "upload",
        "kinds": uploads.UPLOAD_KINDS,
        "limit_mb": limit // (1024 * 1024),
        "names": names,
        "after": after,
        "results": _results(branch, names, after),
        "refused": branch.refused.get(request.query_params.get("r", ""), []),
    }
    return render(request, "upload.html", context)


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _results(branch: Branch, names: list[str], after: int) -> list:
    """Each uploaded file's outcome, or that it still waits in the inbox."""
    from pipeline.web.model import Outcome

    seen: dict[str, Outcome] = {}
    for _seq, outcome in branch.outcomes_after(after):
        seen.setdefault(outcome.name, outcome)
    out = []
    for name in names:
        if name in seen:
            out.append(seen[name])
        elif (branch.root / "inbox" / name).exists():
            out.append(Outcome(name, "waiting", "等待处理"))
        else:
            out.append(Outcome(name, "waiting", "正在处理"))
    return out


async def upload_status(request: Request, branch: Branch) -> Response:
    names = request.query_params.getlist("f")
    results = _results(branch, names, _int(request.query_params.get("after")))
    return render(request, "_outcomes.html", {"branch": branch, "results": results})


async def documents(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    term = request.query_params.get("term") or None
    data = await run_in_threadpool(backend.archive, ws, term, _today(request))
    return render(request, "documents.html", {"branch": branch, "archive": data, "page": "docs"})


async def download(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    path = backend.workspace_file(ws, request.query_params.get("path", ""))
    if path is None:
        return refusal(request, 404, "file")
    inline = request.query_params.get("view") == "1" and path.suffix.lower() == ".pdf"
    return FileResponse(
        path,
        filename=path.name,
        media_type=MEDIA.get(path.suffix.lower(), "application/octet-stream"),
        content_disposition_type="inline" if inline else "attachment",
    )


async def pdf_view(request: Request, branch: Branch) -> Response:
    """The PDF of a document: served when converted already, else converted in the background
    while a page waits for it."""
    ws = branch.workspace()
    rel = request.query_params.get("path", "")
    source = backend.workspace_file(ws, rel)
    if source is None:
        return refusal(request, 404, "file")
    if source.suffix.lower() == ".pdf":
        return RedirectResponse(f"/w/{branch.key}/file?view=1&path={_quote(rel)}", status_code=303)
    if source.suffix.lower() not in VIEWABLE:
        return refusal(request, 404, "file")
    target = backend.pdf_cache(ws, source)
    if target.is_file():
        return FileResponse(
            target,
            media_type="application/pdf",
            filename=source.stem + ".pdf",
            content_disposition_type="inline",
        )
    state = _state(request)

    def work(job):
        job.progress(0, 1, "LibreOffice 正在转换")
        backend.convert_for_view(ws, source, target)
        return Ready(f"/w/{branch.key}/pdf?path={_quote(rel)}")

    job = state.jobs.start((branch.key, "pdf", rel), f"转换为 PDF：{source.name}", work)
    return render(request, "job.html", {"branch": branch, "job": job, "page": "docs", "follow": True})


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


async def search(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    q = request.query_params.get("q", "").strip()[:200]
    type_name = request.query_params.get("type", "")
    term = request.query_params.get("term", "")
    hits = await run_in_threadpool(backend.search, ws, q, type_name, term) if q else None
    context = {
        "branch": branch,
        "page": "search",
        "q": q,
        "type": type_name,
        "term": term,
        "hits": hits,
        "types": backend.TYPE_NAMES,
        "terms": [(t.id, t.label) for t in await run_in_threadpool(backend.terms, ws, _today(request))],
    }
    return render(request, "search.html", context)


async def term_page(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    today = _today(request)
    term = backend.pick_term(ws, request.query_params.get("term") or None, today)
    state = _state(request)
    job_id = request.query_params.get("job", "")
    context = {
        "branch": branch,
        "page": "term",
        "term": term,
        "terms": [(t.id, t.label) for t in await run_in_threadpool(backend.terms, ws, today)],
        "files": await run_in_threadpool(backend.term_files, ws, term),
        "count": (await run_in_threadpool(backend.archive, ws, term.id, today)).count,
        "job": state.jobs.get(job_id) if job_id else None,
    }
    return render(request, "term.html", context)


async def job_status(request: Request, branch: Branch) -> Response:
    job = _state(request).jobs.get(request.path_params["job"])
    if job is None or job.key[0] != branch.key:
        return refusal(request, 404, "not_found")
    return render(request, "_job.html", {"branch": branch, "job": job})


async def development(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    today = _today(request)
    people = await run_in_threadpool(backend.people, ws, today)
    due = await run_in_threadpool(backend.development_due, ws, today)
    context = {
        "branch": branch,
        "page": "development",
        "people": people,
        "due": due,
        "today": today.isoformat(),
    }
    return render(request, "development.html", context)


async def settings_page(request: Request, branch: Branch) -> Response:
    ws = branch.workspace()
    context = {
        "branch": branch,
        "page": "settings",
        "settings": backend.settings(ws),
        "saved": request.query_params.get("saved") == "1",
        "problem": None,
    }
    return render(request, "settings.html", context)


async def login_page(request: Request) -> Response:
    nxt = request.query_params.get("next", "/")
    return render(
        request,
        "login.html",
        {"next": nxt if nxt.startswith("/") and not nxt.startswith("//") else "/", "problem": ""},
    )


def routes(branch_page) -> list:
    return [
        route("/", branch_page(index)),
        route("/login", login_page),
        route("/w/{key}/", branch_page(home)),
        route("/w/{key}/upload", branch_page(upload_page)),
        route("/w/{key}/upload/status", branch_page(upload_status)),
        route("/w/{key}/docs", branch_page(documents)),
        route("/w/{key}/file", branch_page(download)),
        route("/w/{key}/pdf", branch_page(pdf_view)),
        route("/w/{key}/search", branch_page(search)),
        route("/w/{key}/term", branch_page(term_page)),
        route("/w/{key}/jobs/{job}", branch_page(job_status)),
        route("/w/{key}/development", branch_page(development)),
        route("/w/{key}/settings", branch_page(settings_page)),
    ]
