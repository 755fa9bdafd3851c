"""The web workbench's pieces that need no server: passwords, host checks, zhibu.toml edits,
reason files, and the rule that only pipeline/web/backend.py (and uploads.py, which places uploads in the
inbox) call into the rest of zhibu."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from pipeline.config import DEFAULT_CONFIG_TEXT, demo_config_text, parse_config
from pipeline.errors import ConfigError, ZhibuError
from pipeline.web import backend, uploads
from pipeline.web.files import scrub
from pipeline.web.model import Settings
from pipeline.web.security import (
    Guard,
    check_csrf,
    csrf_token,
    hash_password,
    host_allowed,
    valid_hash,
    verify_password,
)
from pipeline.web.settings_file import apply_settings, with_password
from pipeline.web.text import marked_parts, reason_body, split_advice

WEB = Path(__file__).resolve().parents[1] / "pipeline" / "web"


def test_password_hash_is_salted_scrypt_and_verifies():
    first, second = hash_password("支部口令2024"), hash_password("支部口令2024")
    assert first != second and first.startswith("scrypt$16384$8$1$") and valid_hash(first)
    assert "支部口令2024" not in first
    assert verify_password("支部口令2024", first)
    assert not verify_password("支部口令2025", first)
    assert not verify_password("支部口令2024", "")
    assert not verify_password("x", "md5$1$2$3$4$5")


@pytest.mark.parametrize(
    "host,lan,ok",
    [
        ("127.0.0.1:8700", False, True),
        ("localhost:8700", False, True),
        ("[::1]:8700", False, True),
        ("127.0.0.1:8701", False, False),  # another port
        ("rebind.example.com:8700", False, False),  # DNS rebinding
        ("192.168.1.20:8700", False, False),  # LAN address while serving loopback only
        ("192.168.1.20:8700", True, True),
        ("rebind.example.com:8700", True, False),  # a domain name is refused on a LAN too
        ("", False, False),
    ],
)
def test_host_header(host, lan, ok):
    assert host_allowed(host, 8700, lan) is ok


def test_origin_checks():
    guard = Guard(None, port=8700, lan=False, max_body=10, refuse=None)
    own = {"host": "127.0.0.1:8700"}
    assert guard.problem("POST", own | {"origin": "http://127.0.0.1:8700"}) is None
    assert guard.problem("POST", own | {"origin": "http://evil.example"}) == (403, "origin")
    assert guard.problem("POST", own | {"origin": "null"}) == (403, "origin")
    assert guard.problem("POST", own | {"referer": "http://evil.example/page"}) == (403, "origin")
    assert guard.problem("GET", own | {"sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors"}) == (
        403,
        "origin",
    )
    # Following a link from elsewhere to the workbench is allowed (a GET changes nothing).
    assert guard.problem("GET", own | {"sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate"}) is None
    assert guard.problem("GET", {"host": "evil.example:8700"}) == (403, "host")


def test_csrf_token_per_session():
    session: dict = {}
    token = csrf_token(session)
    assert csrf_token(session) == token and len(token) > 30
    assert check_csrf(session, token)
    assert (
        not check_csrf(session, None) and not check_csrf(session, "") and not check_csrf(session, token[:-1])
    )
    assert not check_csrf({}, token)


def _settings(**change) -> Settings:
    base = dict(
        name="测试学院教工第一党支部",
        school="某某大学",
        department="测试学院",
        committee=[("甄一帆", "书记"), ("", "委员"), ("柏青", "")],
        terms=[("2026-2027-1", "2026-09-07", "2027-01-17", ""), ("", "", "", "")],
    )
    return Settings(**(base | change))


def test_settings_edit_keeps_comments_and_passes_the_config_check():
    text = apply_settings(DEFAULT_CONFIG_TEXT, _settings())
    for line in DEFAULT_CONFIG_TEXT.splitlines():
        if line.startswith("#") or "#" in line and not line.startswith(("name", "school", "department")):
            assert line in text  # every explanation stays where it was
    cfg = parse_config(text)
    assert cfg.branch_name == "测试学院教工第一党支部"
    assert cfg.branch.school == "某某大学"
    assert [(c.name, c.role) for c in cfg.committee] == [("甄一帆", "书记"), ("柏青", "委员")]
    assert cfg.calendar.bounds(cfg.calendar.term_of(dt.date(2026, 10, 1))) == (
        dt.date(2026, 9, 7),
        dt.date(2027, 1, 17),
    )
    # Edited again (the demo file has [[committee]] tables already): replaced in place, not doubled.
    again = apply_settings(demo_config_text(), _settings(committee=[("甄一帆", "书记")], terms=[]))
    tables = [line for line in again.splitlines() if line.startswith("[[")]
    assert tables == ["[[committee]]"]
    assert parse_config(again).committee[0].name == "甄一帆"
    # A setting the page does not show (a term's as_of) stays when the term is saved again.
    term = ("2026-2027-1", "2026-09-07", "2027-01-17", "")
    dated = apply_settings(DEFAULT_CONFIG_TEXT, _settings(terms=[term])).replace(
        "end = 2027-01-17", "end = 2027-01-17\nas_of = 2027-01-10"
    )
    kept = parse_config(apply_settings(dated, _settings(terms=[term])))
    assert kept.term_as_of("2026-2027-1") == dt.date(2027, 1, 10)


def test_settings_errors_are_chinese_and_name_the_row():
    with pytest.raises(ValueError, match="学期第1行的开始日期「2026-13-01」不是日期"):
        apply_settings(
            DEFAULT_CONFIG_TEXT, _settings(terms=[("2026-2027-1", "2026-13-01", "2027-01-17", "")])
        )
    with pytest.raises(ValueError, match="支委第1行的职务「主任」不对"):
        apply_settings(DEFAULT_CONFIG_TEXT, _settings(committee=[("甄一帆", "主任")]))
    # A term id zhibu cannot read is refused by zhibu's own check, naming the key.
    bad = apply_settings(DEFAULT_CONFIG_TEXT, _settings(terms=[("2026秋", "2026-09-07", "2027-01-17", "")]))
    with pytest.raises(ConfigError, match=r"calendar.terms\[1\].id"):
        parse_config(bad)


def test_password_hash_written_into_a_web_section():
    text = with_password(DEFAULT_CONFIG_TEXT, hash_password("口令口令口令"))
    cfg = parse_config(text)
    assert verify_password("口令口令口令", cfg.web.password_hash)
    assert parse_config(DEFAULT_CONFIG_TEXT).web.max_upload_mb == 50


def test_reason_file_split_into_what_is_wrong_and_what_to_do():
    text = (
        "文件：坏.txt\n时间：2026-12-01 10:00\n结果：未能处理，原文件已移到本文件夹，没有丢失。\n\n原因：\n"
        "文件「坏.txt」：缺少会议时间\n处理办法：请在笔记开头加一行「时间：2024年10月8日」。\n\n"
        "改正后，把文件重新放回 inbox 文件夹即可（本说明文件可以删除）。\n"
    )
    assert split_advice(reason_body(text)) == (
        ["文件「坏.txt」：缺少会议时间"],
        ["请在笔记开头加一行「时间：2024年10月8日」。"],
    )


def test_snippet_marks():
    assert marked_parts("…召开【支委会】讨论【发展】", "【", "】") == [
        ("…召开", False),
        ("支委会", True),
        ("讨论", False),
        ("发展", True),
    ]
    assert marked_parts("没有标记", "【", "】") == [("没有标记", False)]


def test_scrub_removes_the_workspace_folder(tmp_path):
    root = tmp_path / "支部"
    assert (
        scrub(f"「{root}」不是工作区；「{root}/inbox/x.txt」", root)
        == "「工作区」不是工作区；「inbox/x.txt」"
    )


def test_upload_names_and_types(tmp_path):
    from tests.conftest import Zhibu

    z = Zhibu(tmp_path / "ws")
    z("init", z.root, ok=True)
    ws = backend.open_workspace(z.root)
    write = lambda fh: fh.write("会议类型：支委会\n".encode())  # noqa: E731
    assert uploads.save_upload(ws, "..\\..\\支委会.txt", write, 20, 100) == "支委会.txt"
    assert uploads.save_upload(ws, "支委会.txt", write, 20, 100) == "支委会 (2).txt"  # never over a file
    assert (z.root / "inbox" / "支委会.txt").read_text(encoding="utf-8") == "会议类型：支委会\n"
    with pytest.raises(ZhibuError, match="不支持 .exe"):
        uploads.save_upload(ws, "setup.exe", write, 20, 100)
    with pytest.raises(ZhibuError, match="超过了上传上限"):
        uploads.save_upload(ws, "大.txt", write, 2 * 1048576, 1048576)
    with pytest.raises(ZhibuError, match="临时文件"):
        uploads.save_upload(ws, "~$会议.docx", write, 20, 100)
    assert sorted(p.name for p in (z.root / "inbox").iterdir() if p.is_file()) == [
        "支委会 (2).txt",
        "支委会.txt",
    ]


def test_downloads_only_inside_the_archive(tmp_path):
    from tests.conftest import Zhibu

    z = Zhibu(tmp_path / "ws")
    z("init", z.root, ok=True)
    ws = backend.open_workspace(z.root)
    (z.root / "outbox" / "a.docx").write_bytes(b"x")
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    (z.root / "outbox" / "link.txt").symlink_to(secret)
    assert backend.workspace_file(ws, "outbox/a.docx") == (z.root / "outbox" / "a.docx").resolve()
    for rel in ("zhibu.toml", "../secret.txt", "outbox/../zhibu.toml", "outbox/link.txt", "/etc/passwd",
                ".zhibu/index.sqlite3", "outbox/../../secret.txt", "C:/x", "outbox/missing.docx", ""):  # fmt: skip
        assert backend.workspace_file(ws, rel) is None, rel


def test_only_the_backend_imports_the_rest_of_zhibu():
    for path in WEB.glob("*.py"):
        if path.name in ("backend.py", "uploads.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                assert not name.startswith("pipeline.") or name.startswith("pipeline.web"), (path.name, name)
