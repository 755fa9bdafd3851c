"""The document body as text, where docxtpl's parse-and-serialize round trip provably changes nothing.

docxtpl renders the body to a string, parses it (``fix_tables``), renumbers drawing ids and
serializes the document with lxml. For most minutes templates that round trip returns, byte for
byte, the text it was given, and it costs about half of a render. ``BodyShortcut`` skips it when
the output cannot differ:

* at compile time, the environment must autoescape, the template must have no entity of its own
  (docxtpl's parser drops them), no tables (``fix_tables`` may rewrite their grids), no
  drawings (ids are renumbered), no footnotes (counted per section of the parsed body), no
  characters ``resolve_listing`` rewrites, no escaped tags (``{_{``), and a Jinja structure in which
  every ``{% if %}`` and ``{% for %}`` encloses balanced XML and every ``{{ }}`` stands in text,
  never inside a tag. Then every render is well-formed XML whose elements are those of the
  template (already in lxml's form, as it serialized them);
* at render time, every printed value must be plain text (str or a number) without control
  characters; the only differences left are the ones lxml's serializer makes, applied here:
  ``&#34;`` and ``&#39;`` (markupsafe's quote escapes) are written as plain quotes, and an element
  left empty (``<w:t></w:t>``) is written self-closed (``<w:t/>``).

Otherwise ``render`` returns None and the caller takes docxtpl's exact path. Rendered documents
are compared with plain docxtpl's in tests/test_fast_render.py, with arbitrary text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2 import nodes

from pipeline.render.environment import ZhibuSandbox

_LISTING_OR_CR = "\t\a\n\f\r"
_NOT_PLAIN = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_EMPTY_ELEMENT = re.compile(r"<([^\s/<>!?]+)((?:\s[^<>]*)?)(?<!/)></\1>")
# An opening tag followed by Jinja (after optional whitespace, which {%- may strip): the
# element is left empty when that Jinja prints nothing.
_OPEN_BEFORE_JINJA = re.compile(r"<([^\s/<>!?]+)((?:\s[^<>]*)?)(?<!/)>(?=\s*\{)")
_TAG = re.compile(r"<(/?)([^\s/<>!?]+)[^<>]*?(/?)>|[<>]")
_BODY_OPEN = re.compile(r'<w:body(?: xmlns(?::\w+)?="[^"]*")*>')
_PLAIN_TYPES = (str, int, float, bool, type(None))
# A reference to an entity the XML declares itself (kept unresolved by python-docx's parser);
# docxtpl's recovering parser drops it.
_DECLARED_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")


class BodyShortcut:
    """Renders document.xml directly from the body template's text (see module docstring)."""

    def __init__(self, template: jinja2.Template, patched: str, open_tag: str, skeleton: bytes):
        self._template = template
        self._open = len(open_tag)
        prefix, suffix = skeleton.split(b"<w:body/>")
        self._prefix, self._suffix, self._empty = prefix + b"<w:body>", b"</w:body>" + suffix, skeleton
        # Every element a render can leave empty starts with one of these opening tags (the
        # others come out of lxml's serializer already self-closed): (empty form, self-closed).
        found = {m.group(0) for m in _EMPTY_ELEMENT.finditer(patched)}
        found |= {f"{m.group(0)}</{m.group(1)}>" for m in _OPEN_BEFORE_JINJA.finditer(patched)}
        self._empties = sorted((empty, empty[: empty.index(">")] + "/>") for empty in found)

    @classmethod
    def build(
        cls, env: jinja2.Environment, patched: str, skeleton: bytes, has_footnotes: bool
    ) -> BodyShortcut | None:
        """``patched``: the body after docxtpl's patch_xml; ``skeleton``: document.xml serialized
        with an empty body. None when this template must take the exact path."""
        opening = _BODY_OPEN.match(patched)
        if (
            env.autoescape is not True  # unescaped values may hold any XML
            or has_footnotes
            or opening is None
            or not patched.endswith("</w:body>")
            or any(char in patched for char in _LISTING_OR_CR)
            or "{_" in patched
            or "_}" in patched
            or "<w:tbl" in patched
            or "docPr" in patched
            or _DECLARED_ENTITY.search(patched)
            or skeleton.count(b"<w:body/>") != 1
            or not _balanced(env.parse(patched).body)
        ):
            return None
        return cls(env.from_string(patched), patched, opening.group(0), skeleton)

    def render(self, context: Mapping[str, Any]) -> bytes | None:
        plain = PlainValues()
        env = self._template.environment
        if not isinstance(env, ZhibuSandbox):
            raise TypeError("the body shortcut renders with a ZhibuSandbox")
        env.finalize_watch = plain  # see make_environment's finalize
        try:
            xml = self._template.render(context)
        finally:
            env.finalize_watch = None
        if not plain.ok:
            return None
        inner = xml[self._open : -len("</w:body>")]
        if not inner:
            return self._empty
        if "&#3" in inner:
            inner = inner.replace("&#34;", '"').replace("&#39;", "'")
        if "{_" in inner or "_}" in inner:  # printed values; docxtpl unescapes these after rendering
            inner = inner.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        for empty, closed in self._empties:
            if empty in inner:
                inner = inner.replace(empty, closed)
        return self._prefix + inner.encode("utf-8") + self._suffix


class PlainValues:
    """Watches the values a render prints (through the environment's ``finalize``)."""

    __slots__ = ("ok",)

    def __init__(self) -> None:
        self.ok = True

    def see(self, value: Any) -> None:
        if type(value) not in _PLAIN_TYPES or (type(value) is str and _NOT_PLAIN.search(value)):
            self.ok = False


def _balanced(body: list[nodes.Node]) -> bool:
    """Every region of the template (the whole, each branch of an if, each loop body) holds
    balanced XML, and no tag is interrupted (so every printed expression stands in text)."""
    stack: list[str] = []
    for node in body:
        if isinstance(node, nodes.Output):
            texts = [c.data for c in node.nodes if isinstance(c, nodes.TemplateData)]
            if not all(_scan(text, stack) for text in texts):
                return False
        elif isinstance(node, nodes.If):
            if not all(_balanced(b) for b in [node.body, *(e.body for e in node.elif_), node.else_]):
                return False
        elif isinstance(node, nodes.For):
            if node.recursive or not (_balanced(node.body) and _balanced(node.else_)):
                return False
        elif not isinstance(node, nodes.Assign):
            return False  # macros, call and filter blocks, blocks with their own output rules
    return not stack


def _scan(text: str, stack: list[str]) -> bool:
    """Push and pop the tags of ``text``; False when unbalanced or a tag does not end in it."""
    for m in _TAG.finditer(text):
        closing, name, self_closed = m.group(1), m.group(2), m.group(3)
        if name is None:  # a lone < (a tag continued after an expression) or a stray >
            return False
        if closing:
            if not stack or stack.pop() != name:
                return False
        elif not self_closed:
            stack.append(name)
    return True
