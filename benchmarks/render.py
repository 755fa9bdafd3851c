"""Benchmark: zhibu's batch renderer against docxtpl and against the floor, in one run.

    python benchmarks/render.py [--docs N] [--jobs J] [--template small|default|PATH] [--out DIR]

Renders the same N minutes (``pipeline.render.minutes.sample_context(i)``, made before the clock
starts) five ways, each in a
fresh Python process so that its time and peak memory are its own:

* floor: what any renderer must at least do per document — copy the template's zip members
  raw, deflate only the parts docxtpl renders (document, headers, footers, footnotes, core
  properties; their content is taken from zhibu's output, untimed), write the file and fsync;
* zhibu on 1 and on J processes (``render_batch``; atomic write with fsync);
* docxtpl on 1 and on J processes (``DocxTemplate(path)``, ``render``, ``save`` per record, as
  its documentation shows, with its default autoescaping environment; no fsync).

Templates: ``small`` (default) is benchmarks/minutes-word-small.docx, the minutes template as an
office suite saves it (see benchmarks/small_template.py); ``default`` is templates/会议记录.docx,
built with python-docx and carrying 790 KB of style XML that docxtpl re-serializes per document.

Wall time is what the ratios use; CPU time (all processes of a way) is printed beside it, since
on a shared machine wall time also measures the neighbours. Output goes to a RAM disk (/dev/shm) when there is one, so that the disk's fsync latency
(about 9 ms per file on this machine's virtual disk) does not hide the renderers' own cost;
``--out`` writes elsewhere. Prints ms per document for each way, checks that zhibu's rendered
parts equal docxtpl's, and ends with ``render per document X ms; floor Y ms; ratio Z`` and
``vs docxtpl on J processes: R×``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # runs from a checkout without installing the package

TEMPLATES = {
    "small": ROOT / "benchmarks" / "minutes-word-small.docx",
    "default": ROOT / "templates" / "会议记录.docx",
}
MB = 1024 * 1024
RENDERED_TYPES = ("document.main+xml", "header+xml", "footer+xml", "footnotes+xml", "core-properties+xml")


# --- the floor --------------------------------------------------------------------------------


def rendered_members(template: Path) -> set[str]:
    """Members of the template whose content type is one docxtpl renders."""
    from lxml import etree

    with zipfile.ZipFile(template) as zf:
        root = etree.fromstring(zf.read("[Content_Types].xml"))
    return {
        e.get("PartName").lstrip("/")
        for e in root
        if e.get("PartName") and e.get("ContentType", "").endswith(RENDERED_TYPES)
    }


class FloorWriter:
    """A minimal .docx writer: unchanged members copied raw, the given parts deflated."""

    def __init__(self, template: Path, changed: set[str]) -> None:
        data = template.read_bytes()
        self.members = []  # (name, raw local record or None, info)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                start = info.header_offset
                name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
                end = start + 30 + name_len + extra_len + info.compress_size
                raw = None if info.filename in changed else data[start:end]
                self.members.append((info.filename, raw, info))

    def build(self, parts: dict[str, bytes]) -> bytes:
        chunks, central, offset = [], [], 0
        for name, raw, info in self.members:
            encoded = name.encode("utf-8")
            if raw is None:
                payload = parts[name]
                comp = zlib.compressobj(6, zlib.DEFLATED, -15)
                packed = comp.compress(payload) + comp.flush()
                crc, csize, usize, method = zlib.crc32(payload), len(packed), len(payload), 8
                header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, method, 0, 0x21,
                                     crc, csize, usize, len(encoded), 0)  # fmt: skip
                raw = header + encoded + packed
            else:
                crc, csize, usize, method = info.CRC, info.compress_size, info.file_size, info.compress_type
            central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0x800, method, 0,
                                       0x21, crc, csize, usize, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)  # fmt: skip
            chunks.append(raw)
            offset += len(raw)
        directory = b"".join(central)
        n = len(self.members)
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(directory), offset, 0)
        return b"".join([*chunks, directory, end])


def measure_floor(template: Path, docs: int, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of floor work for ``docs`` documents (parts prepared untimed)."""
    from pipeline.render.fast import CompiledTemplate
    from pipeline.render.minutes import sample_context

    changed = rendered_members(template)
    writer = FloorWriter(template, changed)
    compiled = CompiledTemplate(template)
    spent = cpu = 0.0
    for i in range(docs):
        with zipfile.ZipFile(io.BytesIO(compiled.render_bytes(sample_context(i)))) as zf:
            parts = {name: zf.read(name) for name in changed}
        start, cpu_start = time.perf_counter(), time.process_time()
        with open(out / f"{i:05d}.docx", "wb") as fh:
            fh.write(writer.build(parts))
            fh.flush()
            os.fsync(fh.fileno())
        spent += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
    return spent, cpu


# --- one measured run (in its own process) ---------------------------------------------------


_CONTEXTS: list[dict] = []  # made before the clock starts (forked docxtpl workers inherit them)


def _docxtpl_share(template: str, out: str, docs: int, jobs: int, k: int) -> None:
    from docxtpl import DocxTemplate

    for i in range(k, docs, jobs):
        tpl = DocxTemplate(template)
        tpl.render(_CONTEXTS[i], autoescape=True)
        tpl.save(f"{out}/{i:05d}.docx")


def measure(mode: str, template: Path, docs: int, jobs: int, out: Path) -> dict:
    from pipeline.render.fast import render_batch
    from pipeline.render.fast_parallel import peak_rss
    from pipeline.render.minutes import sample_context

    out.mkdir(parents=True, exist_ok=True)
    if mode != "floor":
        _CONTEXTS[:] = [sample_context(i) for i in range(docs)]
    workers: dict[int, int] = {}
    failures = 0
    start, cpu_start = time.perf_counter(), cpu_seconds()
    if mode == "floor":
        elapsed, cpu = measure_floor(template, docs, out)
    elif mode == "docxtpl":
        if jobs == 1:
            _docxtpl_share(str(template), str(out), docs, 1, 0)
        else:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                pool.starmap(_docxtpl_share, [(str(template), str(out), docs, jobs, k) for k in range(jobs)])
        elapsed = time.perf_counter() - start
    else:
        records = ((_CONTEXTS[i], out / f"{i:05d}.docx") for i in range(docs))
        result = render_batch(template, records, workers=jobs)
        elapsed = time.perf_counter() - start
        failures, workers = len(result.failures), result.worker_peak_rss
    if mode != "floor":
        cpu = cpu_seconds() - cpu_start
    return {
        "elapsed": elapsed,
        "cpu": cpu,
        "failures": failures,
        "main_rss": peak_rss(),
        "worker_rss": sorted(workers.values()),
    }


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (pool workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_measure(mode: str, jobs: int, args: argparse.Namespace, template: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--_measure", mode, "--docs", str(args.docs), "--jobs", str(jobs)]
    cmd += ["--template", str(template), "--_out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"{mode} run failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- comparing outputs ------------------------------------------------------------------------


def xml_parts(path: Path) -> dict[str, bytes]:
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True)
    with zipfile.ZipFile(path) as zf:
        return {
            n: etree.tostring(etree.fromstring(zf.read(n), parser), method="c14n")
            for n in zf.namelist()
            if n.endswith((".xml", ".rels")) and n != "[Content_Types].xml"
        }


def same_output(a: Path, b: Path) -> bool:
    """Every XML part of ``a`` equal, after normalisation, in ``b`` (which opens with python-docx)."""
    from docx import Document

    Document(io.BytesIO(b.read_bytes()))
    pa, pb = xml_parts(a), xml_parts(b)
    return pa.keys() == pb.keys() and all(pb[name] == xml for name, xml in pa.items())


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents per run (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for zhibu and docxtpl (default 2)")
    parser.add_argument("--template", default="small", help="small (default), default, or a .docx path")
    parser.add_argument("--out", type=Path, help="where documents are written (default: a RAM disk)")
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    parser.add_argument("--_out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    template = TEMPLATES.get(args.template, Path(args.template))

    if args._measure:
        print(json.dumps(measure(args._measure, template, args.docs, args.jobs, args._out)))
        return
    if not template.is_file():
        sys.exit(f"template not found: {template}")
    base = args.out or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    work = Path(tempfile.mkdtemp(prefix="zhibu-bench-", dir=base))
    print(f"template: {template.relative_to(ROOT) if template.is_relative_to(ROOT) else template}"
          f" ({template.stat().st_size:,} bytes), context sample_context(i)")  # fmt: skip
    print(f"documents per run: {args.docs}; written to {work.parent} (fsync for floor and zhibu)")
    try:
        ways = [("floor", 1), ("zhibu", 1), ("docxtpl", 1)]
        if args.jobs != 1:
            ways += [("zhibu", args.jobs), ("docxtpl", args.jobs)]
        ms: dict[tuple[str, int], float] = {}
        cpu: dict[tuple[str, int], float] = {}
        for mode, jobs in ways:
            r = run_measure(mode, jobs, args, template, work / f"{mode}{jobs}")
            ms[mode, jobs] = r["elapsed"] / args.docs * 1000
            cpu[mode, jobs] = r["cpu"] / args.docs * 1000
            memory = f"peak RSS {r['main_rss'] / MB:.0f} MB"
            if r["worker_rss"]:
                memory += " + workers " + " + ".join(f"{w / MB:.0f}" for w in r["worker_rss"]) + " MB"
            label = "floor (raw copy, deflate, fsync)" if mode == "floor" else f"{mode}, {jobs} process(es)"
            print(f"{label:<34} {ms[mode, jobs]:8.3f} ms/doc  {1000 / ms[mode, jobs]:7.1f} docs/s"
                  f"  CPU {cpu[mode, jobs]:7.3f} ms/doc  {memory}")  # fmt: skip
            if r["failures"]:
                print(f"  {r['failures']} failed records")
        samples = sorted({0, args.docs // 2, args.docs - 1})
        j = args.jobs
        ok = all(same_output(work / f"docxtpl{j}" / f"{i:05d}.docx", work / f"zhibu{j}" / f"{i:05d}.docx")
                 for i in samples)  # fmt: skip
        print(f"zhibu's XML parts equal docxtpl's (records {samples}): {'yes' if ok else 'NO'}")
        print(f"vs docxtpl on 1 process: {ms['docxtpl', 1] / ms['zhibu', 1]:.1f}×"
              f" (CPU time: {cpu['docxtpl', 1] / cpu['zhibu', 1]:.1f}×)")  # fmt: skip
        print(f"CPU time per document vs floor: {cpu['zhibu', 1] / cpu['floor', 1]:.2f}")
        floor, one = ms["floor", 1], ms["zhibu", 1]
        print(f"render per document {one:.3f} ms; floor {floor:.3f} ms; ratio {one / floor:.2f}")
        print(f"vs docxtpl on {j} processes: {ms['docxtpl', j] / ms['zhibu', j]:.1f}×"
              f" (CPU time: {cpu['docxtpl', j] / cpu['zhibu', j]:.1f}×)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
