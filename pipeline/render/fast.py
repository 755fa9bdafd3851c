"""Fast batch rendering of Word templates: compile once, render many.

A plain docxtpl loop re-reads the package, re-runs docxtpl's tag pre-processing (``patch_xml``)
and recompiles Jinja for every record. ``CompiledTemplate`` does all of that once per template;
per record it renders only the templated parts (document body, headers, footers, footnotes and
the core properties) and writes the .docx by copying every other zip member byte for byte.

Per record, each step mirrors what docxtpl 0.20's ``render()`` + ``save()`` do, in the same
order (so the first error raised is the same too). Wherever possible docxtpl's own helpers are
called (``patch_xml``, ``resolve_listing``, ``fix_tables``) rather than copied.

Two escape hatches keep the output identical to plain docxtpl where this path cannot follow:

* a record whose context holds objects bound to a ``DocxTemplate`` (``InlineImage``,
  ``Subdoc``, or a ``DocxTemplate`` itself, e.g. one prepared with ``replace_pic``,
  ``replace_media``, ``replace_zipname`` or ``build_url_id``) needs python-docx's document
  object: it is rendered by plain docxtpl on that very ``DocxTemplate``;
* a template whose package this path cannot reproduce faithfully (no core-properties part,
  encrypted or zip64 members, ...) is rendered by plain docxtpl for every record;
  ``fallback_reason`` says why.

``RichText``, ``RichTextParagraph`` and ``Listing`` need no document object and go through the
fast path unchanged.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import nsmap
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

from pipeline.errors import ArchiveError, Location, TemplateError, UnsupportedPackage, ZhibuError
from pipeline.fs.files import atomic_write_bytes
from pipeline.render.docx_zip import ZipLayout
from pipeline.render.environment import make_environment, translate_render_error
from pipeline.render.fast_body import BodyShortcut
from pipeline.render.fast_parallel import BatchResult, RecordFailure, run_batch
from pipeline.render.limits import RenderLimits, current_limits, set_limits

__all__ = ["BatchResult", "CompiledTemplate", "RecordFailure", "render_batch"]

# docxtpl.render_properties renders these core properties, in this order.
_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_P_SPLIT = re.compile(r"<w:p([ >])")
_LISTING_CHARS = "\t\a\n\f"
# python-docx's Document.sections counts exactly these (CT_Document.sectPr_lst).
_SECTIONS_XPATH = etree.XPath("./w:p/w:pPr/w:sectPr | ./w:sectPr", namespaces=nsmap)
_DOCPR_XPATH = etree.XPath("//wp:docPr", namespaces=nsmap)


def _elements(found: object) -> list[etree._Element]:
    """The elements an XPath of elements found (its result is typed as any XPath value)."""
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


# patch_xml, resolve_listing and fix_tables never touch the instance's document, so one
# detached instance lets us run exactly docxtpl's code.
_DOCXTPL = DocxTemplate(None)


class CompiledTemplate:
    """A Word template compiled once; ``render_bytes`` gives one complete .docx per record."""

    def __init__(self, path: str | os.PathLike[str], *, autoescape: bool = True) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.autoescape = autoescape
        self._env = make_environment()
        # docxtpl only switches autoescape on; set it both ways so the parameter always counts.
        self._env.autoescape = autoescape
        self.fallback_reason: str | None = None
        self.docxtpl_renders = 0  # records rendered by plain docxtpl (see module docstring)
        try:
            self._compile(self.path.read_bytes())
        except UnsupportedPackage as exc:
            self.fallback_reason = str(exc)
        except jinja2.TemplateError as exc:
            raise translate_render_error(exc, self.name) from exc
        except (OSError, zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
            raise TemplateError(
                f"无法读取模板文件（{exc}）",
                hint="请确认模板存在，并且是用 Word 另存为的 .docx 文件。",
                location=Location(file=self.name),
            ) from exc

    @property
    def is_fast(self) -> bool:
        return self.fallback_reason is None

    # --- compile ---------------------------------------------------------------------------

    def _compile_xml(self, src_xml: str) -> jinja2.Template | str:
        """docxtpl's patch_xml plus the first half of render_xml_part, then Jinja compilation;
        for a part without any Jinja tag, its (constant) rendered text instead."""
        return self._compile_text(_P_SPLIT.sub(r"\n<w:p\1", _DOCXTPL.patch_xml(src_xml)))

    def _compile_text(self, source: str) -> jinja2.Template | str:
        template = self._env.from_string(source)
        if any(tag in source for tag in ("{{", "{%", "{#")):
            return template
        return template.render()  # text only: every record renders exactly this

    def _compile(self, data: bytes) -> None:
        # Load the package with python-docx once, so parts are found exactly as docxtpl finds them.
        doc = Document(BytesIO(data))
        package = doc.part.package
        try:
            core_part = package.part_related_by(RT.CORE_PROPERTIES)
        except KeyError:
            # python-docx would invent a core-properties part (with a timestamp) on the fly.
            raise UnsupportedPackage("no core-properties part") from None

        root = doc.element
        self._document_member = doc.part.partname.membername
        body_xml = etree.tostring(root.body, encoding="unicode")
        self._body = self._compile_xml(body_xml)
        self._body_index = list(root).index(root.body)
        # Everything of document.xml except the body, which each record replaces.
        self._skeleton = copy.deepcopy(root)
        self._skeleton[self._body_index].clear()

        self._headers_footers: list[tuple[str, jinja2.Template | str]] = []
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for rel in doc.part.rels.values():
                if rel.reltype != uri or rel.is_external or not rel.target_part.blob:
                    continue
                member = rel.target_part.partname.membername
                if member in (m for m, _ in self._headers_footers):
                    raise UnsupportedPackage(f"{member} is the target of several relationships")
                xml = etree.tostring(parse_xml(rel.target_part.blob), encoding="unicode")
                self._headers_footers.append((member, self._compile_xml(xml)))

        # python-docx keeps footnotes as an untyped part, so docxtpl renders its raw bytes.
        self._footnotes = [
            (part.partname.membername, self._compile_xml(part.blob.decode("utf-8")))
            for part in package.parts
            if part.content_type == _FOOTNOTES_CT
        ]

        self._shortcut = BodyShortcut.build(
            self._env, _DOCXTPL.patch_xml(body_xml), serialize_part_xml(self._skeleton), bool(self._footnotes)
        )

        self._core_member = core_part.partname.membername
        self._core_element = copy.deepcopy(core_part.element)
        props = core_part.core_properties
        self._core_templates = [self._compile_text(getattr(props, p)) for p in _CORE_PROPERTIES]
        self._core_cache: tuple[tuple[str, ...], bytes] | None = None

        rendered = {self._document_member, self._core_member}
        rendered |= {m for m, _ in self._headers_footers} | {m for m, _ in self._footnotes}
        self._zip = ZipLayout(data, rendered)
        # Serialized headers and footers without any Jinja tag, by member (the same every time).
        self._constant_parts: dict[str, bytes] = {}

    # --- render ----------------------------------------------------------------------------

    def render_bytes(self, context: Mapping[str, Any]) -> bytes:
        """Render one record into a complete .docx (bytes)."""
        bound = bound_docx_template(context)
        try:
            with self._env.budget_scope():  # one time and size budget for all parts
                if bound is not None or not self.is_fast:
                    return self._render_with_docxtpl(context, bound)
                return self._zip.build(self._render_parts(context))
        except ZhibuError:
            raise
        except Exception as exc:  # like minutes.render_docx: every failure reads as a zhibu error
            raise translate_render_error(exc, self.name) from exc

    def render_to(self, context: Mapping[str, Any], dest: str | os.PathLike[str]) -> None:
        """Render one record to ``dest`` atomically (temp file beside it, fsync, os.replace)."""
        write_atomic(self.render_bytes(context), Path(dest))

    def _finish(self, xml: str) -> str:
        """The second half of docxtpl's render_xml_part."""
        # docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", xml), as two plain replacements.
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        # resolve_listing only rewrites these characters (inside w:t), so without any of them it
        # returns its input unchanged; skipping it then saves a third of the render time.
        if not any(char in xml for char in _LISTING_CHARS):
            return xml
        return _DOCXTPL.resolve_listing(xml)

    def _render_parts(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        if self._shortcut is not None and (document := self._shortcut.render(context)) is not None:
            out[self._document_member] = document
            self._render_others(context, out, sections=0)  # (no footnotes: see BodyShortcut)
            return out
        # Body: build_xml, fix_tables, fix_docpr_ids, map_tree, then python-docx's serializer.
        # (lxml parses UTF-8 bytes faster than a str holding Chinese text; same tree)
        body = _DOCXTPL.fix_tables(self._finish(_render(self._body, context)).encode("utf-8"))
        for number, elt in enumerate(_elements(_DOCPR_XPATH(body)), start=1001):
            elt.attrib["id"] = str(number)  # docxtpl restarts at 1000 on every render
        root = copy.deepcopy(self._skeleton)
        root.replace(root[self._body_index], body)
        out[self._document_member] = serialize_part_xml(root)
        self._render_others(context, out, sections=len(_elements(_SECTIONS_XPATH(body))))
        return out

    def _render_others(self, context: Mapping[str, Any], out: dict[str, bytes], sections: int) -> None:
        """Headers, footers, core properties and footnotes, in docxtpl's order."""
        # Headers then footers: rendered text is re-parsed into a new XmlPart, then serialized.
        for member, template in self._headers_footers:
            if member in self._constant_parts:
                out[member] = self._constant_parts[member]
                continue
            xml = self._finish(_render(template, context))
            out[member] = serialize_part_xml(parse_xml(xml.encode("utf-8")))
            if isinstance(template, str):
                self._constant_parts[member] = out[member]

        out[self._core_member] = self._render_core(context)

        # render_footnotes loops over the sections and renders every footnotes part each time,
        # so a second section renders the already rendered XML again; do the same.
        notes: dict[str, str] = {}
        for _ in range(sections):
            for member, template in self._footnotes:
                if member in notes:
                    template = self._compile_xml(notes[member])
                notes[member] = self._finish(_render(template, context))
        out.update((member, xml.encode("utf-8")) for member, xml in notes.items())

    def _render_core(self, context: Mapping[str, Any]) -> bytes:
        values = tuple(_render(t, context) for t in self._core_templates)
        if self._core_cache is None or self._core_cache[0] != values:
            element = copy.deepcopy(self._core_element)
            props = CoreProperties(element)
            for name, value in zip(_CORE_PROPERTIES, values, strict=True):
                setattr(props, name, value)  # adds empty elements too, exactly like docxtpl
            self._core_cache = (values, serialize_part_xml(element))
        return self._core_cache[1]

    def _render_with_docxtpl(self, context: Mapping[str, Any], tpl: DocxTemplate | None) -> bytes:
        self.docxtpl_renders += 1
        tpl = tpl if tpl is not None else DocxTemplate(self.path)
        tpl.render(context, self._env, self.autoescape)
        buf = BytesIO()
        tpl.save(buf)
        return buf.getvalue()


def _render(template: jinja2.Template | str, context: Mapping[str, Any]) -> str:
    return template if isinstance(template, str) else template.render(context)


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), bytes, date, datetime, time})


def bound_docx_template(context: Any) -> DocxTemplate | None:
    """The DocxTemplate that objects in ``context`` are bound to (InlineImage.tpl, Subdoc.tpl),
    or a DocxTemplate found in it directly; None when the context is plain data."""
    stack, seen = [context], set()
    while stack:
        value = stack.pop()
        if type(value) in _PLAIN_TYPES:
            continue
        if isinstance(value, Mapping | list | tuple | set | frozenset):
            if id(value) not in seen:  # guard against self-referencing data
                seen.add(id(value))
                stack.extend(value.values() if isinstance(value, Mapping) else value)
        elif isinstance(value, DocxTemplate):
            return value
        elif isinstance(getattr(value, "tpl", None), DocxTemplate):
            return value.tpl
    return None


def write_atomic(data: bytes, dest: Path) -> None:
    """Write ``data`` to ``dest`` so that readers see either the old file or the whole new one.

    Goes through the archive's atomic write, whose temporary names start-up recovery knows.
    """
    try:
        atomic_write_bytes(Path(dest), data)
    except OSError as exc:
        raise ArchiveError(
            f"无法写入文件「{Path(dest).name}」（{exc.strerror or exc}）",
            hint="请确认目标文件夹存在、有写入权限，且该文件没有在 Word 中打开。",
            location=Location(file=str(dest)),
        ) from exc


# --- batches ---------------------------------------------------------------------------------


def render_record(compiled: CompiledTemplate, index: int, context: Any, dest: Path) -> RecordFailure | None:
    """Render one batch record; any error becomes a RecordFailure instead of an exception."""
    try:
        compiled.render_to(context, dest)
    except ZhibuError as exc:
        return RecordFailure(index, Path(dest), str(exc))
    except Exception as exc:  # a broken record must not stop the batch
        return RecordFailure(index, Path(dest), str(translate_render_error(exc, compiled.name)))
    return None


def render_batch(
    template: str | os.PathLike[str],
    jobs: Iterable[tuple[Mapping[str, Any], str | os.PathLike[str]]],
    *,
    workers: int | None = None,
    autoescape: bool = True,
) -> BatchResult:
    """Render every ``(context, dest)`` of ``jobs`` with ``template``.

    ``jobs`` is consumed lazily and at most a few chunks are in flight, so memory stays flat
    however long the batch. ``workers`` defaults to the number of CPUs; each worker process
    compiles the template once. A record that fails is listed in ``BatchResult.failures`` and
    the others go on; a broken template raises ``TemplateError`` before anything is rendered.
    """
    # Compiling here first makes a broken template fail once, before any worker starts.
    compiled = CompiledTemplate(template, autoescape=autoescape)
    make = functools.partial(_worker_template, str(template), autoescape, current_limits())
    return run_batch(
        compiled,
        make,
        render_record,
        jobs,
        workers=workers or os.cpu_count() or 1,
        stays_here=lambda ctx: bound_docx_template(ctx) is not None,  # InlineImage, Subdoc
    )


def _worker_template(path: str, autoescape: bool, limits: RenderLimits) -> CompiledTemplate:
    """A worker's template; the limits travel along (a spawned worker starts from defaults)."""
    set_limits(limits)
    return CompiledTemplate(path, autoescape=autoescape)
