"""The web workbench in a real browser: `zhibu serve` on a fresh workspace, Debian's chromium.

Every page is saved as a screenshot under the pytest tmp dir (``web-shots/``) to be looked at.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import Workbook, load_workbook
from selenium.webdriver.common.by import By

from pipeline.config import demo_config_text
from tests.support.browser import (
    Server,
    body,
    chromium,
    declared_length,
    downloads,
    free_port,
    screenshot,
    wait_file,
    wait_text,
)
from tests.support.docs import docx_text
from tests.support.watch import env, init_workspace

pytestmark = pytest.mark.slow

TODAY = dt.date.today()
MEETING_DAY = TODAY - dt.timedelta(days=10)
TOPIC = "研究年终民主评议党员工作安排"
GOOD_NOTE = (
    f"会议类型：支委会\n会议主题：{TOPIC}\n时间：{MEETING_DAY.year}年{MEETING_DAY.month}月{MEETING_DAY.day}日 下午2:30\n"
    "地点：明德楼305\n主持人：沈轶娜\n记录人：缪巧军\n参会人员：沈轶娜、夏渊、缪巧军\n"
    "会议内容：\n组织委员夏渊介绍了年终民主评议党员的时间安排和测评表。\n决议：\n同意按计划开展民主评议。\n"
)
BAD_NOTE = "会议类型：支委会\n会议主题：没有写日期的笔记\n主持人：沈轶娜\n会议内容：\n讨论了工作。\n"
APPLICANT = "林初晴"


def make_workspace(root: Path, *, branch: str | None = None) -> Path:
    init_workspace(root)
    text = demo_config_text().replace("settle_seconds = 1.0", "settle_seconds = 0.3")
    if branch:
        text = text.replace('name = "汽车运用工程系党支部"', f'name = "{branch}"', 1)
    (root / "zhibu.toml").write_text(text + "\n[web]\nmax_upload_mb = 1\n", encoding="utf-8")
    return root


def development_register(path: Path) -> Path:
    """One applicant who applied three months ago and was never talked to: the talk is overdue."""
    wb = Workbook()
    ws = wb.active
    ws.title = "发展党员"
    ws.append(
        ["序号", "姓名", "性别", "出生年月", "所在单位", "申请入党日期", "谈话日期", "确定积极分子日期"]
    )
    ws.append(
        [1, APPLICANT, "女", "2001-05", "测试学院", (TODAY - dt.timedelta(days=90)).isoformat(), "", ""]
    )
    wb.save(path)
    return path


class Site:
    def __init__(self, root: Path, server: Server, driver, profile: Path, shots: Path):
        self.root, self.server, self.driver, self.profile, self.shots = root, server, driver, profile, shots

    def open(self, path: str):
        self.driver.get(self.server.url + path)
        return self

    def shot(self, name: str) -> Path:
        return screenshot(self.driver, self.shots / f"{name}.png")

    def upload_with_input(self, *paths: Path) -> None:
        self.open("/w/1/upload")
        self.driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
        self.driver.find_element(By.ID, "send").click()

    def drop(self, name: str, text: str) -> None:
        """A file dropped onto the page, as a drag from the desktop delivers it."""
        self.open("/w/1/upload")
        self.driver.execute_script(
            "const dt = new DataTransfer();"
            "dt.items.add(new File([arguments[1]], arguments[0], {type: 'text/plain'}));"
            "const zone = document.getElementById('drop');"
            "zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true}));"
            "zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true}));",
            name,
            text,
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("web")
    root = make_workspace(base / "支部工作区")
    server = Server([root]).wait_started()
    profile = base / "chromium"
    driver = chromium(profile)
    try:
        yield Site(root, server, driver, profile, base / "web-shots")
    finally:
        driver.quit()
        assert server.stop() == 0, server.output()


def _no_machine_path(site: Site) -> None:
    source = site.driver.page_source
    assert str(site.root) not in source and "Traceback" not in source and "/tmp/" not in source


def test_upload_a_note_see_its_document_and_download_it(site, tmp_path):
    note = tmp_path / "年终评议支委会.txt"
    note.write_text(GOOD_NOTE, encoding="utf-8")
    site.upload_with_input(note)
    wait_text(site.driver, "已处理")
    text = body(site.driver)
    assert "年终评议支委会.txt" in text and f"{MEETING_DAY.isoformat()} 支委会 {TOPIC}.docx" in text
    site.shot("上传-成功")
    site.driver.find_element(By.PARTIAL_LINK_TEXT, f"{TOPIC}.docx").click()
    got = wait_file(downloads(site.profile), ".docx")
    assert got.name == f"{MEETING_DAY.isoformat()} 支委会 {TOPIC}.docx"
    content = docx_text(got)
    assert "年终民主评议党员的时间安排" in content and "沈轶娜" in content
    _no_machine_path(site)


def test_a_dropped_bad_note_shows_its_reason_and_what_to_do(site):
    site.drop("没有日期的笔记.txt", BAD_NOTE)
    wait_text(site.driver, "失败")
    text = body(site.driver)
    assert "没有日期的笔记.txt" in text and "缺少会议时间" in text and "怎么办" in text
    assert (site.root / "inbox" / "失败" / "没有日期的笔记.txt").is_file()
    site.shot("上传-失败")
    _no_machine_path(site)


def test_oversized_and_foreign_uploads_are_refused(site, tmp_path):
    big = tmp_path / "太大的笔记.txt"
    big.write_bytes(("会议类型：支委会\n" + "内容" * 400_000).encode("utf-8"))  # 2.4 MB > 1 MB
    program = tmp_path / "程序.exe"
    program.write_bytes(b"MZ")
    site.upload_with_input(big, program)
    wait_text(site.driver, "没有上传的文件")
    text = body(site.driver)
    assert "超过了上传上限 1 MB" in text and "不支持 .exe" in text
    assert (
        not (site.root / "inbox" / "太大的笔记.txt").exists()
        and not (site.root / "inbox" / "程序.exe").exists()
    )
    site.shot("上传-拒绝")
    # A request body beyond the server's bound is refused before it is read.
    status, page = declared_length(site.server, "/w/1/upload", 50 * 1024 * 1024)
    assert status == 413 and "文件太大" in page


def test_home_lists_an_overdue_item_and_the_failure(site, tmp_path):
    site.upload_with_input(development_register(tmp_path / "发展党员登记表.xlsx"))
    wait_text(site.driver, "已处理")
    site.open("/w/1/")
    text = body(site.driver)
    assert "已逾期" in text and f"{APPLICANT}：派人谈话" in text
    assert "处理失败的文件" in text and "没有日期的笔记.txt" in text and "缺少会议时间" in text
    assert TOPIC in text  # 最近归档
    assert "本月还要做的" in text or "本月和本季度要求的活动都已完成" in text
    status = subprocess.run(
        [sys.executable, "-m", "pipeline", "status", "-w", str(site.root), "--json"],
        capture_output=True,
        text=True,
        env=env(),
        check=True,
    )
    projected = json.loads(status.stdout)["assessment"]  # the same projection as zhibu status
    assert f"可计分的指标得 {projected['measured']} 分" in text
    assert f"都得满分时 {projected['projected']} 分（{projected['projected_grade']}）" in text
    site.shot("首页")
    _no_machine_path(site)
    site.open("/w/1/development")
    text = body(site.driver)
    assert APPLICANT in text and "递交入党申请书" in text and "已逾期" in text
    site.shot("发展党员")


def test_search_finds_the_filed_record(site):
    site.open("/w/1/search")
    box = site.driver.find_element(By.NAME, "q")
    box.send_keys("民主评议党员工作")
    box.submit()
    wait_text(site.driver, "找到 1 份")
    marks = [m.text for m in site.driver.find_elements(By.TAG_NAME, "mark")]
    assert "民主评议党员工作" in marks and TOPIC in body(site.driver)
    site.shot("搜索")
    site.open(f"/w/1/search?q={quote('没有这个词语')}")
    assert "没有找到包含“没有这个词语”的文档" in body(site.driver)


def test_documents_page_and_the_pdf_view(site):
    site.open("/w/1/docs")
    text = body(site.driver)
    assert TOPIC in text and "支委会 1 份" in text
    site.shot("文档")
    link = site.driver.find_element(By.LINK_TEXT, "PDF").get_attribute("href")
    path = link.split("/w/1/")[1]
    site.open(f"/w/1/{path}")
    site.shot("PDF-转换中")
    deadline = time.monotonic() + 180
    status, page = site.server.request(f"/w/1/{path}")
    while not page.startswith("%PDF") and time.monotonic() < deadline:
        assert status == 200 and "转换为 PDF" in page
        time.sleep(1)
        status, page = site.server.request(f"/w/1/{path}")
    assert page.startswith("%PDF")
    pdf = site.shots / "view.pdf"
    with urllib.request.urlopen(site.server.url + f"/w/1/{path}", timeout=60) as resp:
        assert resp.headers["Content-Type"] == "application/pdf"
        pdf.write_bytes(resp.read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "年终民主评议党员" in text.replace(" ", "")


def test_a_term_batch_runs_from_the_page(site):
    site.open("/w/1/term")
    site.driver.find_element(By.XPATH, "//button[text()='生成学期材料']").click()
    wait_text(site.driver, "已完成", timeout=180)
    text = body(site.driver)
    assert "三会一课台账.xlsx（新建）" in text and "工作计划.docx（新建）" in text
    # No 成果登记表, no roster and a 发展党员 register of applications only: the 汇编 would have no
    # content, so none is written, and the page says what to import.
    assert "成果汇编.docx" not in text and "还没有导入成果登记表" in text
    site.shot("学期材料")
    ledger = next(site.root.glob("outbox/*/*/*三会一课台账.xlsx"))
    book = load_workbook(ledger, read_only=True)
    assert "合规检查" in book.sheetnames
    rows = [" ".join(str(c) for c in r if c) for r in book["支委会"].iter_rows(values_only=True)]
    assert any(TOPIC in r for r in rows)


def test_settings_saved_with_the_same_validation(site):
    site.open("/w/1/settings")
    name = site.driver.find_element(By.NAME, "name")
    name.clear()
    name.send_keys("测试学院教工第一党支部")
    site.driver.find_element(By.XPATH, "//button[text()='保存']").click()
    wait_text(site.driver, "已保存到 zhibu.toml")
    toml = (site.root / "zhibu.toml").read_text(encoding="utf-8")
    assert 'name = "测试学院教工第一党支部"' in toml and "# 支部全称" in toml
    site.shot("设置")
    before = toml
    site.driver.find_elements(By.NAME, "term_id")[0].send_keys("2026秋")
    site.driver.find_elements(By.NAME, "term_start")[0].send_keys("2026-09-07")
    site.driver.find_elements(By.NAME, "term_end")[0].send_keys("2027-01-17")
    site.driver.find_element(By.XPATH, "//button[text()='保存']").click()
    wait_text(site.driver, "没有保存")
    text = body(site.driver)
    assert "calendar.terms[1].id" in text and "2024-2025-1" in text
    assert (site.root / "zhibu.toml").read_text(encoding="utf-8") == before
    site.shot("设置-错误")
    # The watcher runs again with the new settings: a note is still filed.
    site.drop("设置后的笔记.txt", GOOD_NOTE.replace(TOPIC, "设置之后的支委会"))
    wait_text(site.driver, "已处理")


def test_refusals_are_chinese_pages(site):
    url = site.server.url
    for rel in ("../zhibu.toml", "outbox/../zhibu.toml", ".zhibu/index.sqlite3", "%2Fetc%2Fpasswd"):
        status, page = site.server.request(f"/w/1/file?path={rel}")
        assert status == 404 and "不能下载这个文件" in page and "[branch]" not in page
    site.open("/w/1/file?path=../zhibu.toml")
    site.shot("错误-下载")
    own = {"Origin": url, "Content-Type": "application/x-www-form-urlencoded"}
    status, page = site.server.request(
        "/w/1/term/batch", method="POST", data=b"term=2026-2027-1", headers=own
    )
    assert status == 403 and "安全校验码" in page
    status, page = site.server.request("/w/1/", headers={"Host": f"rebind.example.com:{site.server.port}"})
    assert status == 403 and "地址不对" in page
    foreign = own | {"Origin": "http://evil.example"}
    status, page = site.server.request("/w/1/settings", method="POST", data=b"name=x", headers=foreign)
    assert status == 403 and "来自其他网站" in page
    status, page = site.server.request("/w/9/")
    assert status == 404 and "找不到这个页面" in page
    status, page = site.server.request("/w/1/docs?term=2026")
    assert status == 400 and "学期「2026」的写法不对" in page
    assert "Traceback" not in page and str(site.root) not in page
    site.open("/w/1/docs?term=2026")
    site.shot("错误-学期")
    assert "Traceback" not in site.server.output()


def test_a_second_writer_is_refused_cleanly(site):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "serve",
            "--no-browser",
            "--port",
            str(free_port()),
            "-w",
            str(site.root),
        ],
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )
    assert out.returncode == 3 and "已经有另一个 zhibu 程序" in out.stderr and "Traceback" not in out.stderr
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(site.root)],
        capture_output=True,
        text=True,
        env=env(),
    )
    assert run.returncode == 3 and "另一个 zhibu 程序" in run.stderr


def test_several_branches_side_by_side(tmp_path, site):
    a = make_workspace(tmp_path / "甲", branch="测试学院教工第一党支部")
    b = make_workspace(tmp_path / "乙", branch="测试学院学生第二党支部")
    development_register(a / "inbox" / "发展党员登记表.xlsx")
    server = Server([a, b, site.root]).wait_started()
    try:
        assert "只能查看" in server.output()  # the first site's workspace is held by its own server
        deadline = time.monotonic() + 120  # until 甲's watcher has filed its register
        while True:
            site.driver.get(server.url + "/")
            text = body(site.driver)
            if text.count(f"{APPLICANT}：派人谈话") == 2 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert text.count(f"{APPLICANT}：派人谈话") == 2
        assert "各支部总览" in text and "测试学院教工第一党支部" in text and "测试学院学生第二党支部" in text
        assert text.count("已结束的周期缺项") == 3
        screenshot(site.driver, site.shots / "总览.png")
        site.driver.get(server.url + "/w/3/term")
        assert "只能查看" in body(site.driver)
        assert site.driver.find_element(By.XPATH, "//button[text()='生成学期材料']").get_attribute("disabled")
    finally:
        assert server.stop() == 0


def test_lan_needs_a_password_and_a_login(tmp_path, site):
    from pipeline.web import backend
    from pipeline.web.security import hash_password

    root = make_workspace(tmp_path / "局域网")
    refused = subprocess.run(
        [sys.executable, "-m", "pipeline", "serve", "--no-browser", "--host", "0.0.0.0", "-w", str(root)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )
    assert refused.returncode == 3 and "必须先设置登录口令" in refused.stderr
    backend.set_password_hash(backend.open_workspace(root), hash_password("支部口令2026"))
    server = Server([root], "--host", "0.0.0.0").wait_started()
    try:
        driver = site.driver
        driver.get(server.url + "/w/1/docs")
        assert "登录支部文书工作台" in body(driver)
        screenshot(driver, site.shots / "登录.png")
        driver.find_element(By.NAME, "password").send_keys("不对的口令")
        driver.find_element(By.XPATH, "//button[text()='登录']").click()
        wait_text(driver, "口令不对")
        driver.find_element(By.NAME, "password").send_keys("支部口令2026")
        driver.find_element(By.XPATH, "//button[text()='登录']").click()
        wait_text(driver, "学期材料")
        assert driver.current_url.endswith("/w/1/docs")
        cookie = next(c for c in driver.get_cookies() if c["name"] == f"zhibu_{server.port}")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        status, _page = server.request("/w/1/docs")  # no session: back to the login page
        assert status == 200 and "登录支部文书工作台" in _page
    finally:
        assert server.stop() == 0
