"""The Starlette application of ``zhibu serve``: the pages' and actions' routes, the static files,
the session, the error handlers, behind the Host/Origin guard."""

from __future__ import annotations

import secrets

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from pipeline.web import actions, pages
from pipeline.web.base import HERE, WebState, branch_page, refusal, refuse_asgi
from pipeline.web.security import BodyTooLarge, Guard


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    code = {404: "not_found", 405: "method"}.get(status, "not_found")
    return refusal(request, status if status in (404, 405) else 400, code)


async def too_large(request: Request, exc: Exception) -> Response:
    return refusal(request, 413, "too_large")


def create_app(state: WebState) -> Guard:
    routes = [
        *pages.routes(branch_page),
        *actions.routes(branch_page),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=secrets.token_urlsafe(32),
                session_cookie=f"zhibu_{state.port}",
                same_site="strict",
                max_age=12 * 3600,
            )
        ],
        exception_handlers={HTTPException: http_error, BodyTooLarge: too_large},
    )
    app.state.web = state
    max_body = 4 * state.upload_limit + 1024 * 1024
    return Guard(app, port=state.port, lan=state.lan, max_body=max_body, refuse=refuse_asgi)
