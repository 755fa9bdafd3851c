"""How a register's column vocabulary is written down (``Spec``, ``KindSpec``; each register kind
declares its own in ``pipeline.kinds``), and the columns every register shares: 序号 and the like
(ignored) and the columns that are never read (身份证号, 电话 … in Chinese and English)."""

from __future__ import annotations

from dataclasses import dataclass

SCAN_ROWS = 20  # header must start within the first 20 non-empty rows


@dataclass(frozen=True)
class Spec:
    key: str
    label: str  # the canonical Chinese column name, for messages
    aliases: tuple[str, ...]  # exact labels (after normalization); the label itself included
    weight: int = 2  # distinctive columns weigh more


@dataclass(frozen=True)
class KindSpec:
    kind: str
    fields: tuple[Spec, ...]
    required: tuple[tuple[str, ...], ...]  # every group needs one of its keys
    minimum: int  # distinct recognized columns needed
    title_words: tuple[str, ...]  # words in a title row that name this register

    def field(self, key: str) -> Spec:
        return next(f for f in self.fields if f.key == key)


def S(key: str, label: str, *aliases: str, weight: int = 2) -> Spec:
    return Spec(key, label, (label, *aliases), weight)


IGNORED = S(
    "_ignored", "序号", "编号", "序", "No", "NO", "No.", "序列号", "错误原因", weight=0
)  # 错误原因: our 待修正 files

# Columns that are never read, stored or copied anywhere (domain.md §6: sensitive).
SENSITIVE = S(
    "_sensitive",
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "身份证",
    "证件号码",
    "证件号",
    "联系电话",
    "电话",
    "手机",
    "手机号",
    "手机号码",
    "联系方式",
    "办公电话",
    "移动电话",
    "电话号码",
    "家庭住址",
    "住址",
    "通讯地址",
    "家庭地址",
    "现住址",
    "电子邮箱",
    "邮箱",
    "电子邮件",
    "微信",
    "微信号",
    "QQ",
    "QQ号",
    "固定电话",
    "座机",
    "联系地址",
    "护照号码",
    # traditional characters
    "身份證",
    "身份證號",
    "身份證號碼",
    "證件號碼",
    "聯繫電話",
    "聯絡電話",
    "電話",
    "手機",
    "手機號碼",
    "行動電話",
    "住址",
    "通訊地址",
    "聯絡地址",
    "電子郵件",
    "電郵",
    "郵箱",
    "微信號",
    weight=0,
)
# English labels, compared without case, spaces and punctuation (ID No., E-mail, Mobile No.).
SENSITIVE_ENGLISH = {
    "id", "idno", "idnumber", "idcard", "idcardno", "idcardnumber", "identitycard", "identityno",
    "identitynumber", "passport", "passportno", "passportnumber", "phone", "phoneno", "phonenumber",
    "mobile", "mobileno", "mobilenumber", "mobilephone", "cellphone", "cell", "cellno", "tel", "telno",
    "telephone", "telephoneno", "contactnumber", "contactno", "contactphone", "email", "emailaddress",
    "mail", "address", "homeaddress", "wechat", "wechatid", "weixin", "qq", "qqno",
}  # fmt: skip
# Parts of a label that make it sensitive wherever they appear in it (紧急联系人电话, 家庭电话).
SENSITIVE_PARTS = (
    "电话",
    "電話",
    "手机",
    "手機",
    "身份证",
    "身份證",
    "身份号",
    "住址",
    "邮箱",
    "郵箱",
    "座机",
)


def words(text: str) -> tuple[str, ...]:
    """Labels written as one space-separated string (no label holds a space: spaces never count)."""
    return tuple(text.split())
