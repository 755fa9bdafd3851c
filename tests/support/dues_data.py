"""An invented branch's 党费 for 2024: a roster, a 发展党员登记表, a 党费基数核算表 and the
党费收缴登记表 in both layouts (by month, and one row a payment), written with openpyxl.

Every band and its boundaries, two retirees either side of 5000, a student, a 预备党员 accepted
in March, a transfer out in June, a quarterly payer, 3 and 6 months unpaid (and 6 with a
recorded reason), a wrong branch-computed amount, a reduction decided by the branch, a month
waived, a member of the roster without a base, 补交 and 预交 beyond six months. Amounts typed as
treasurers type them (15, 15.00, ￥15, 15元, 三十元, 0, 免交). The income figures are chosen to be
unique strings, so that a test can look for them in the index bytes and the log.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

BRANCH = "测试学院教工第一党支部"
TODAY = "2025-01-10"  # the year 2024 has ended

# name, 人员类别, 计算基数 (None: components or 基本离退休费), 比例, 月交纳额 as the branch wrote it, 备注
BASES = [
    ("林晓舟", "在职", 3000.00, "0.5%", 15, ""),
    ("苏明远", "在职", 3000.01, "1%", 30, ""),
    ("周若溪", "在职", 5000.00, "1.5%", 75, ""),  # wrong: 5000.00 is in the 1% band
    ("陈启航", "在职", 5000.01, "1.5%", 75, ""),
    ("何静姝", "在职", 10000.00, "1.5%", 150, ""),
    ("郑远山", "在职", 10000.01, "2%", 200, ""),
    ("许清和", "在职", None, "1%", 45.63, ""),  # from the salary components
    ("罗秋白", "退休", None, "0.5%", 24.06, ""),  # 基本离退休费 4811.11
    ("唐晚晴", "离退休", None, "1%", 52.35, ""),  # 基本离退休费 5234.56
    ("宋小满", "学生", None, "", 0.2, ""),
    ("韩初阳", "在职", 3812.34, "1%", 38.12, "2024年3月接收为预备党员"),
    ("冯致远", "在职", 6043.21, "1.5%", 90.65, ""),
    ("梁安澜", "在职", 4512.88, "1%", 45.13, "按季度交纳"),
    ("蒋一帆", "在职", 5634.56, "1.5%", 84.52, ""),
    ("谢长风", "在职", 7023.45, "1.5%", 105.35, ""),
    ("顾南星", "在职", 6512.34, "1.5%", 97.69, ""),
    ("曹雨桐", "在职", 4023.45, "1%", 40.23, ""),
    ("钟晓岚", "在职", 3645.67, "1%", 18.00, "家庭困难，经支委会研究同意减半交纳"),
]
COMPONENTS = {  # 许清和: (2891.37 + 1233.13 + 2101.19 + 155.41) − (85.37 + 523.24 + 130.81 + 32.70 + 784.86 + 261.62) = 4562.50
    "岗位工资": 2891.37,
    "薪级工资": 1233.13,
    "基础性绩效工资": 2101.19,
    "津贴补贴": 155.41,
    "奖励性绩效工资": 1800.00,  # not in the base
    "改革性补贴": 600.00,  # not in the base
    "个人所得税": 85.37,
    "养老保险": 523.24,
    "医疗保险": 130.81,
    "失业保险": 32.70,
    "住房公积金": 784.86,
    "职业年金": 261.62,
}
RETIRED_PAY = {"罗秋白": 4811.11, "唐晚晴": 5234.56}
# Strings that are income figures of this register and nothing else.
INCOME_FIGURES = (
    "3000.01",
    "5000.01",
    "10000.01",
    "4562.5",
    "2891.37",
    "1233.13",
    "2101.19",
    "155.41",
    "784.86",
    "523.24",
    "130.81",
    "261.62",
    "4811.11",
    "5234.56",
    "3812.34",
    "6043.21",
    "4512.88",
    "5634.56",
    "7023.45",
    "6512.34",
    "4023.45",
    "3645.67",
)

# The by-month register: name -> the 12 cells as typed, and the 备注.
E = None
MONTHS = {
    "林晓舟": (["15", 15, "15.00", "￥15", "10", 0, "15元", 15, 15, 15, 15, 15], ""),
    "苏明远": ([30, "三十元", 30, 30, 30, 30, 30, 30, 30, 30, 30, 30], ""),
    "周若溪": ([50] * 12, ""),
    "陈启航": ([75] * 8 + [80] + [75] * 3, ""),
    "何静姝": ([150] * 12, ""),
    "郑远山": ([200] * 12, ""),
    "许清和": ([45.63] * 12, ""),
    "罗秋白": ([24.06, 24.06, "二十四元零六分"] + [24.06] * 9, ""),
    "唐晚晴": ([52.35] * 7 + ["免交"] + [52.35] * 4, "8月因病住院，经支委会研究免交"),
    "宋小满": ([E] * 11 + ["2.40（1-12月）"], "学生党员每年12月一次交清"),
    "韩初阳": ([E, 38.12] + [38.12] * 10, ""),  # February: before the 支部大会 of March
    "冯致远": ([90.65] * 7 + [E] * 5, ""),  # July: after the transfer out in June
    "蒋一帆": ([84.52] * 9 + [E] * 3, ""),
    "谢长风": ([105.35] * 6 + [E] * 6, ""),
    "顾南星": ([97.69] * 4 + [E] * 6 + [97.69] * 2, "5-10月出国访学，经支委会同意回国后补交"),
    "邹立新": ([50] * 12, ""),  # in the roster, no base
    "钟晓岚": ([18] * 12, ""),
}
# The payment-row register: name, 所属月份, 金额, 交纳日期, 收款人, 备注.
PAYMENTS = [
    ("梁安澜", "2024年1-3月", "135.39", dt.date(2024, 3, 28), "周若溪", "第一季度"),
    ("梁安澜", "2024年4-6月", "￥135.39", "2024.6.26", "周若溪", "第二季度"),
    ("梁安澜", "2024年7-9月", 135.39, "2024年9月27日", "周若溪", "第三季度"),
    ("梁安澜", "2024.10-12", "135.39元", dt.date(2024, 12, 20), "周若溪", "第四季度"),
    ("曹雨桐", "2024年3-12月", 402.30, dt.date(2024, 3, 5), "周若溪", "一次预交"),
    ("曹雨桐", "2024年1-2月", 80.46, dt.date(2024, 9, 10), "周若溪", "补交"),
    ("何静姝", "", 2000, dt.date(2024, 7, 1), "周若溪", "自愿交纳大额党费"),  # apart from the months
]

# Roster: name, 性别, 入党时间, 党员类别, 党内职务, 转出时间
ROSTER = [
    ("周若溪", "女", "2005-06-01", "正式", "党支部书记", ""),
    ("林晓舟", "男", "2010-07-01", "正式", "组织委员", ""),
    ("苏明远", "男", "2008-05-12", "正式", "宣传委员", ""),
    ("陈启航", "男", "2012-11-20", "正式", "", ""),
    ("何静姝", "女", "2001-06-18", "正式", "", ""),
    ("郑远山", "男", "1998-12-01", "正式", "", ""),
    ("许清和", "女", "2015-04-22", "正式", "", ""),
    ("罗秋白", "男", "1985-07-01", "正式", "", ""),
    ("唐晚晴", "女", "1990-10-15", "正式", "", ""),
    ("宋小满", "女", "2022-05-04", "正式", "", ""),
    ("韩初阳", "男", "2024-04-08", "预备", "", ""),  # the roster's date is wrong: the register says March
    ("冯致远", "男", "2011-09-09", "正式", "", "2024年6月18日"),
    ("梁安澜", "女", "2013-03-03", "正式", "", ""),
    ("蒋一帆", "男", "2016-06-06", "正式", "", ""),
    ("谢长风", "男", "2009-09-30", "正式", "", ""),
    ("顾南星", "女", "2014-12-12", "正式", "", ""),
    ("曹雨桐", "女", "2017-07-07", "正式", "", ""),
    ("钟晓岚", "女", "2019-01-15", "正式", "", ""),
    ("邹立新", "男", "2018-10-10", "正式", "", ""),
]


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def roster_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([f"{BRANCH}党员名册"])
    ws.append(["序号", "姓名", "性别", "入党时间", "党员类别", "党内职务", "转出时间", "联系电话"])
    for n, row in enumerate(ROSTER, 1):
        ws.append([n, *row, f"1391234{n:04d}"])
    return _bytes(wb)


BASE_HEADER = [
    "序号",
    "姓名",
    "人员类别",
    *COMPONENTS,
    "基本离退休费",
    "计算基数",
    "比例",
    "月交纳额",
    "备注",
]


def base_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "2024年度"
    ws.append([f"{BRANCH}2024年度党费基数核算表"])
    ws.append(BASE_HEADER)
    for n, (name, category, base, rate, due, note) in enumerate(BASES, 1):
        row: list = [n, name, category] + [None] * (len(COMPONENTS) + 1) + [base, rate, due, note]
        if name == "许清和":
            row[3 : 3 + len(COMPONENTS)] = list(COMPONENTS.values())
        if name in RETIRED_PAY:
            row[3 + len(COMPONENTS)] = RETIRED_PAY[name]
        ws.append(row)
    ws.append([])
    ws.append(["填表人：林晓舟"])
    return _bytes(wb)


def months_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "按月登记"
    ws.append([f"{BRANCH}2024年党费收缴登记表"])
    ws.append(["序号", "姓名", *(f"{i}月" for i in range(1, 13)), "备注"])
    for n, (name, (cells, note)) in enumerate(MONTHS.items(), 1):
        ws.append([n, name, *cells, note])
    ws.append(["注：单位为元"])
    return _bytes(wb)


def payments_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "交纳明细"
    ws.append([f"{BRANCH}党费交纳明细（2024年）"])
    ws.append(["序号", "姓名", "所属月份", "金额", "交纳日期", "收款人", "备注"])
    for n, row in enumerate(PAYMENTS, 1):
        ws.append([n, *row])
    return _bytes(wb)


DEVELOPMENT_HEADER = [
    "序号",
    "姓名",
    "申请入党日期",
    "确定积极分子日期",
    "确定发展对象日期",
    "支部大会接收日期",
]


def development_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([f"{BRANCH}发展党员登记表"])
    ws.append(DEVELOPMENT_HEADER)
    ws.append([1, "韩初阳", "2022-03-01", "2022-09-01", "2023-09-15", "2024-03-20"])
    return _bytes(wb)


def drop_all(ws) -> None:
    """The roster first (as a branch has it), then the other registers, all in one run."""
    ws.drop("党员名册.xlsx", roster_workbook())
    ws.run(ok=True)
    ws.drop("发展党员登记表.xlsx", development_workbook())
    ws.drop("2024年度党费基数核算表.xlsx", base_workbook())
    ws.drop("2024年党费收缴登记表.xlsx", months_workbook())
    ws.drop("党费交纳明细.xlsx", payments_workbook())
