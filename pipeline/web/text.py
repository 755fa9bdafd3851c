"""Small pure text helpers of the pages: reason files split into what is wrong and what to do,
search snippets split at their marks."""

from __future__ import annotations

ADVICE_PREFIX = "处理办法："


def split_advice(message: str) -> tuple[list[str], list[str]]:
    """A zhibu message → (lines saying what is wrong, lines saying what to do)."""
    reason: list[str] = []
    advice: list[str] = []
    for line in message.splitlines():
        if line.startswith(ADVICE_PREFIX):
            advice.append(line.removeprefix(ADVICE_PREFIX).strip())
        elif line.strip():
            (advice if advice else reason).append(line.strip())
    return reason, advice


def reason_body(text: str) -> str:
    """The 原因 part of a reason file (文件/时间/结果 lines first, the 改正后 line last)."""
    body = text.split("原因：\n", 1)[-1]
    return body.split("\n\n改正后", 1)[0].strip()


def marked_parts(snippet: str, opening: str, closing: str) -> list[tuple[str, bool]]:
    """``…召开【支委会】讨论…`` → [("…召开", False), ("支委会", True), ("讨论…", False)]."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while opening in rest and closing in rest.split(opening, 1)[1]:
        before, _, tail = rest.partition(opening)
        word, _, rest = tail.partition(closing)
        parts += [(before, False), (word, True)]
    parts.append((rest, False))
    return [p for p in parts if p[0]]
