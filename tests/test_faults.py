"""Every fault case of ``tests/fault_cases.py`` holds: nothing lost, nothing leaked, no traceback."""

from __future__ import annotations

import os

import pytest

from pipeline.ingest.sheets.header import is_sensitive_label
from pipeline.ingest.sheets.sensitive import looks_sensitive, valid_id_number
from tests.support.fault_cases import FAULTS
from tests.support.faults import IDS

CASES = [
    pytest.param(f, marks=[pytest.mark.slow] if f.slow else [], id=f"{f.family}-{f.name}") for f in FAULTS
]


@pytest.mark.parametrize("fault", CASES)
def test_fault_holds(fault, tmp_path):
    if fault.needs_root and os.geteuid() != 0:
        pytest.skip("needs root (mounts a small file system)")
    verdict = fault.try_it(tmp_path)
    assert verdict.held, (verdict.lost, verdict.leaked, verdict.tracebacks, verdict.problems)


@pytest.mark.parametrize(
    "label",
    ["ID", "ID No.", "id no", "Phone", "Mobile No.", "Tel", "E-mail", "EMAIL", "手機號碼", "固定电话",
     "紧急联系人电话", "身份證號", "联系电话*（必填）", "家庭住址"],
)  # fmt: skip
def test_sensitive_labels(label):
    assert is_sensitive_label(label)


@pytest.mark.parametrize(
    "label",
    [
        "姓名",
        "党员身份",
        "身份",
        "Title",
        "Hotel",
        "备注",
        "地点",
        "会议地址说明很长很长很长很长很长很长很长很长",
    ],
)
def test_ordinary_labels_are_not_sensitive(label):
    assert not is_sensitive_label(label)


def test_id_and_mobile_values():
    assert all(valid_id_number(i) for i in IDS)
    assert (
        looks_sensitive(IDS[0]) and looks_sensitive(f"证件：{IDS[1]}。") and looks_sensitive(IDS[2].lower())
    )
    for phone in ["13902170001", "139-0217-0002", "+86 139 0217 0003", "0086-13902170004", 13902170005]:
        assert looks_sensitive(phone), phone
    # wrong check digit, too short or too long, landline, dates and amounts: kept
    for value in ["310115198503070018", "1390217000", "139021700012", "021-62345678", "2024-10-08 14:30",
                  20241008, 3.5, None, "", "12345678901"]:  # fmt: skip
        assert not looks_sensitive(value), value
