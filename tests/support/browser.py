"""A real browser on a real server: Debian's chromium driven by selenium through Debian's
chromedriver (no browser download), and `zhibu serve` in a subprocess on a free port.

(No tests in here.)
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.watch import env

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
)
WIDTH = 1280
STARTED = "网页工作台已启动"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m pipeline serve -w ROOT… --no-browser --port P`, output in a file."""

    def __init__(self, roots: list[Path], *extra: str, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="zhibu-serve-", suffix=".out")[1])
        args = [sys.executable, "-m", "pipeline", "serve", "--no-browser", "--port", str(self.port), *extra]
        for root in roots:
            args += ["-w", str(root)]
        self._out = open(self.log, "wb")
        self.proc = subprocess.Popen(args, stdout=self._out, stderr=subprocess.STDOUT, env=env())

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_started(self, timeout: float = 60) -> Server:
        end = time.monotonic() + timeout
        while STARTED not in self.output():
            if self.proc.poll() is not None or time.monotonic() > end:
                raise AssertionError(f"zhibu serve did not start:\n{self.output()}")
            time.sleep(0.1)
        return self

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        return self.proc.returncode

    def request(self, path: str, *, method: str = "GET", data: bytes | None = None, headers=None):
        """(status, body text) of a plain request, without a browser."""
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")


def declared_length(server: Server, path: str, length: int) -> tuple[int, str]:
    """A POST announcing a body of ``length`` bytes, of which only a little is sent: a bound on
    the body must refuse it from the headers alone."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(length))
        conn.endheaders()
        conn.send(b"--x\r\n")
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def chromium(profile: Path) -> webdriver.Chrome:
    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={WIDTH},900")
    downloads = profile / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def downloads(profile: Path) -> Path:
    return profile / "downloads"


def screenshot(driver: webdriver.Chrome, path: Path) -> Path:
    """The whole page, not only the window: the window is made as tall as the page first."""
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(WIDTH, min(int(height) + 120, 6000))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    driver.set_window_size(WIDTH, 900)
    return path


def wait_text(driver: webdriver.Chrome, text: str, timeout: float = 90) -> None:
    WebDriverWait(
        driver,
        timeout,
        poll_frequency=0.3,
        ignored_exceptions=(StaleElementReferenceException, NoSuchElementException),
    ).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def body(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def wait_file(folder: Path, suffix: str, timeout: float = 60) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {os.listdir(folder)}")
