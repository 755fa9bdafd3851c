"""The workbench's defences, each a small piece with one job.

* ``Guard`` (ASGI middleware, outermost): the Host header must name this server by an address,
  never by a domain name (a foreign domain rebound to 127.0.0.1 is refused); a request whose
  Origin is another site, or that a foreign page made (``Sec-Fetch-Site: cross-site``, except
  following a plain link), is refused; a request body is bounded.
* CSRF: a random token per session, in every form and in the header of every script request;
  each state-changing request must carry it (``check_csrf``).
* Passwords: scrypt (``hashlib.scrypt``), salted, parameters kept with the hash; login attempts
  from one address slowed after a few failures.

Refusals are rendered by the app's Chinese error page (``refuse`` callback).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BodyTooLarge(Exception):
    """The request body passed the limit while it was read."""


# --- passwords ------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def valid_hash(stored: str) -> bool:
    parts = stored.split("$")
    return (
        len(parts) == 6 and parts[0] == "scrypt" and all(parts[1:4]) and all(x.isdigit() for x in parts[1:4])
    )


class LoginThrottle:
    """After ``allowed`` failures from one address, each further try waits ``pause`` seconds."""

    def __init__(self, allowed: int = 5, pause: float = 30.0):
        self.allowed, self.pause = allowed, pause
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait_left(self, address: str) -> float:
        with self._lock:
            count, last = self._failures.get(address, (0, 0.0))
        if count < self.allowed:
            return 0.0
        return max(0.0, last + self.pause - time.monotonic())

    def failed(self, address: str) -> None:
        with self._lock:
            count, _ = self._failures.get(address, (0, 0.0))
            self._failures[address] = (count + 1, time.monotonic())

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


# --- CSRF -----------------------------------------------------------------------------------


def csrf_token(session: dict) -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(session: dict, given: str | None) -> bool:
    token = session.get("csrf")
    return bool(token and given and hmac.compare_digest(str(token), str(given)))


# --- hosts and origins ------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_host(value: str) -> tuple[str, int | None]:
    parts = urlsplit(f"//{value}")
    try:
        return (parts.hostname or ""), parts.port
    except ValueError:
        return "", None


def host_allowed(value: str, port: int, lan: bool) -> bool:
    """The Host header names this server: loopback (or, on a LAN, any address literal) and our
    port. A domain name never passes: that is how DNS rebinding reaches a local server."""
    host, given_port = _split_host(value)
    if given_port != port or not host:
        return False
    if is_loopback(host):
        return True
    if not lan:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def same_origin(origin: str, host_header: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme == "http" and parts.netloc.lower() == host_header.lower()


class Guard:
    """Outermost ASGI middleware: Host, Origin and Sec-Fetch-Site checks, body size limit."""

    def __init__(self, app, *, port: int, lan: bool, max_body: int, refuse: Callable[..., Awaitable[None]]):
        self.app, self.port, self.lan, self.max_body, self.refuse = app, port, lan, max_body, refuse

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self.problem(scope["method"], headers)
        if problem:
            await self.refuse(scope, receive, send, *problem)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await self.refuse(scope, receive, send, 413, "too_large")
            return
        await self._bounded(scope, receive, send)

    def problem(self, method: str, headers: dict) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if not host_allowed(host, self.port, self.lan):
            return 403, "host"
        origin = headers.get("origin")
        if origin and origin != "null" and not same_origin(origin, host):
            return 403, "origin"
        if method not in SAFE_METHODS and origin == "null":
            return 403, "origin"
        site = headers.get("sec-fetch-site", "")
        navigating = headers.get("sec-fetch-mode") == "navigate" and method in SAFE_METHODS
        if site == "cross-site" and not navigating:
            return 403, "origin"
        referer = headers.get("referer")
        if (
            method not in SAFE_METHODS
            and not origin
            and referer
            and not same_origin(f"{urlsplit(referer).scheme}://{urlsplit(referer).netloc}", host)
        ):
            return 403, "origin"
        return None

    async def _bounded(self, scope, receive, send) -> None:
        seen = 0
        started = False

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self.refuse(scope, receive, send, 413, "too_large")
