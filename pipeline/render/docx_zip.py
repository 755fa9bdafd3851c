"""Writing a .docx from a template's zip members: unchanged members are copied as they are
stored (never decompressed), rendered parts are deflated afresh in their place."""

from __future__ import annotations

import functools
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from io import BytesIO

from pipeline.errors import UnsupportedPackage

_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory record
_END = struct.Struct("<4s4H2LH")  # end of central directory
_UTF8_NAME = 0x800
_DATA_DESCRIPTOR = 0x8
_DEFLATE_LEVEL = 6  # zipfile's (and so python-docx's) default


@dataclass(frozen=True)
class _Entry:
    """One zip member: its header fields and, once known, its local record (header + data)."""

    name: str
    raw_name: bytes
    flags: int
    method: int
    version: int  # needed to extract
    crc: int
    csize: int
    usize: int
    dos_time: int
    dos_date: int
    made_by: tuple[int, int]  # create_version, create_system
    attrs: tuple[int, int]  # internal_attr, external_attr
    record: bytes = field(default=b"", repr=False)

    @classmethod
    def of(cls, info: zipfile.ZipInfo) -> _Entry:
        y, mo, d, h, mi, s = info.date_time
        flags = info.flag_bits & ~_DATA_DESCRIPTOR  # sizes go into the local header instead
        return cls(
            info.filename, info.orig_filename.encode("utf-8" if flags & _UTF8_NAME else "cp437"),
            flags, info.compress_type, info.extract_version, info.CRC, info.compress_size,
            info.file_size, (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d,
            (info.create_version, info.create_system), (info.internal_attr, info.external_attr),
        )  # fmt: skip

    def with_data(self, data: bytes) -> _Entry:
        header = _LOCAL.pack(
            b"PK\x03\x04", self.version, self.flags, self.method, self.dos_time, self.dos_date,
            self.crc, self.csize, self.usize, len(self.raw_name), 0,
        )  # fmt: skip
        return replace(self, record=header + self.raw_name + data)

    @functools.cached_property
    def _central_head(self) -> bytes:
        return _CENTRAL.pack(
            b"PK\x01\x02", *self.made_by, self.version, 0, self.flags, self.method,
            self.dos_time, self.dos_date, self.crc, self.csize, self.usize,
            len(self.raw_name), 0, 0, 0, *self.attrs, 0,
        )[:-4]  # fmt: skip

    def central_record(self, offset: int) -> bytes:
        return self._central_head + offset.to_bytes(4, "little") + self.raw_name


class ZipLayout:
    """The template's members in their original order as ready-made raw records (never
    decompressed); for each record the rendered ones are deflated afresh in their place."""

    def __init__(self, data: bytes, rendered: set[str]) -> None:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise UnsupportedPackage("duplicate zip member names")
        if not rendered <= set(names):
            raise UnsupportedPackage(f"parts missing from the zip: {sorted(rendered - set(names))}")
        if len(infos) >= 0xFFFF or len(data) >= 0xFFFFFFFF:
            raise UnsupportedPackage("zip64 package")
        self._entries: list[_Entry] = []
        # The last payload deflated for each rendered member and its entry: parts that come out
        # the same for every record (core properties, plain footers) are deflated once.
        self._fresh: dict[str, tuple[bytes, _Entry]] = {}
        for info in infos:
            if info.flag_bits & 0x1:
                raise UnsupportedPackage(f"encrypted zip member {info.filename}")
            self._entries.append(_Entry.of(info).with_data(_raw_data(data, info)))

    def build(self, rendered: Mapping[str, bytes]) -> bytes:
        chunks: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for entry in self._entries:
            if entry.name in rendered:
                payload = rendered[entry.name]
                last = self._fresh.get(entry.name)
                if last is None or last[0] != payload:
                    last = self._fresh[entry.name] = (payload, _deflated(entry, payload))
                entry = last[1]
            central.append(entry.central_record(offset))
            chunks.append(entry.record)
            offset += len(entry.record)
        directory = b"".join(central)
        count = len(self._entries)
        end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
        return b"".join([*chunks, directory, end])


def _raw_data(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes, exactly as stored in the template."""
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise UnsupportedPackage(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_len + extra_len
    return data[begin : begin + info.compress_size]


def _deflated(entry: _Entry, payload: bytes) -> _Entry:
    compressor = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15)
    packed = compressor.compress(payload) + compressor.flush()
    fresh = replace(
        entry, flags=entry.flags & _UTF8_NAME, method=zipfile.ZIP_DEFLATED,
        version=max(entry.version, 20), crc=zlib.crc32(payload), csize=len(packed), usize=len(payload),
    )  # fmt: skip
    return fresh.with_data(packed)
