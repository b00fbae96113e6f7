"""Read the directory and streams of an OLE2 compound file (.xls, .doc, .wps), from its bytes.

Old Excel workbooks, old Word and WPS documents, PowerPoint files and
password-protected .docx/.xlsx packages share one container (MS-CFB): a
small file system of storages and streams inside the file. The names in
its directory tell these forms apart, and a workbook's records are read from
its "Workbook" stream. :class:`Compound` follows the header, the FAT and
the directory chain itself and raises one of :data:`DAMAGE` for a file it
cannot follow; :func:`root_stream_names` and :func:`entry_names` give the
names and never raise.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

#: The first eight bytes of every OLE2 compound file.
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: What :class:`Compound` raises for a damaged or truncated file.
DAMAGE = (struct.error, IndexError, ValueError)

_FREE = 0xFFFFFFFA  # sector ids from here on are markers (end of chain, free, FAT, DIFAT)
_NO_ENTRY = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the directory: its name, kind and place in the tree, and its stream's first sector and size."""

    name: str
    kind: int  # 1 storage, 2 stream, 5 root, 0 unused
    left: int
    right: int
    child: int
    start: int
    size: int


class Compound:
    """The directory and streams of an OLE2 compound file (MS-CFB), read from bytes.

    Raises one of :data:`DAMAGE` for bytes that are no compound file or a
    malformed one.

    Parameters
    ----------
    data
        The file's bytes.

    Examples
    --------
    >>> Compound(MAGIC + bytes(504))
    Traceback (most recent call last):
    ValueError: bad sector size
    """

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise ValueError("not an OLE2 compound file")
        self._data = data
        sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if not 7 <= sector_shift <= 16 or not 2 <= mini_shift <= sector_shift:
            raise ValueError("bad sector size")
        self._size = 1 << sector_shift
        self._mini_size = 1 << mini_shift
        fat_count, directory_start = struct.unpack_from("<II", data, 44)
        self._cutoff, minifat_start, _, difat_start, difat_count = struct.unpack_from("<IIIII", data, 56)
        fat_sectors = [sector for sector in struct.unpack_from("<109I", data, 76) if sector < _FREE]
        per_difat = self._size // 4 - 1
        sector = difat_start
        # A damaged count or a looping DIFAT chain must not outrun the file's own sectors.
        for _ in range(min(difat_count, len(data) // self._size)):
            if sector >= _FREE or len(fat_sectors) >= fat_count:
                break
            ids = struct.unpack_from(f"<{per_difat + 1}I", self._sector(sector))
            fat_sectors.extend(i for i in ids[:per_difat] if i < _FREE)
            sector = ids[per_difat]
        fat_sectors = fat_sectors[:fat_count]
        self._fat = self._ids(b"".join(self._sector(i) for i in fat_sectors))
        directory = self._chain_bytes(directory_start)
        self._entries = [self._entry(directory[i : i + 128]) for i in range(0, len(directory) - 127, 128)]
        if not self._entries or self._entries[0].kind != _ROOT:
            raise ValueError("no root entry")
        self._minifat_start = minifat_start

    @staticmethod
    def _ids(raw: bytes) -> tuple[int, ...]:
        return struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4])

    def _sector(self, sector: int) -> bytes:
        offset = (sector + 1) * self._size
        if offset >= len(self._data):
            raise ValueError(f"sector {sector} beyond the end of the file")
        return self._data[offset : offset + self._size]

    def _chain(self, start: int, table: tuple[int, ...]) -> list[int]:
        chain: list[int] = []
        sector = start
        while sector < _FREE:
            if len(chain) > len(table):
                raise ValueError("sector chain loops")
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int) -> bytes:
        return b"".join(self._sector(sector) for sector in self._chain(start, self._fat))

    @staticmethod
    def _entry(raw: bytes) -> Entry:
        name_length = min(struct.unpack_from("<H", raw, 64)[0], 64)
        name = raw[: max(0, name_length - 2)].decode("utf-16-le", errors="replace")
        kind = raw[66]
        left, right, child = struct.unpack_from("<III", raw, 68)
        start, size = struct.unpack_from("<II", raw, 116)
        return Entry(name, kind, left, right, child, start, size)

    def _root_entries(self) -> list[Entry]:
        """The entries directly under the root storage (a red-black tree of siblings)."""
        found: list[Entry] = []
        seen: set[int] = set()
        stack = [self._entries[0].child]
        while stack:
            index = stack.pop()
            if index == _NO_ENTRY or index in seen or index >= len(self._entries):
                continue
            seen.add(index)
            entry = self._entries[index]
            found.append(entry)
            stack.extend((entry.left, entry.right))
        return found

    def root_streams(self) -> dict[str, Entry]:
        """The streams directly under the root, by case-folded name."""
        return {entry.name.casefold(): entry for entry in self._root_entries() if entry.kind == _STREAM}

    def read(self, entry: Entry) -> bytes:
        """A stream's bytes, from the mini stream when it is smaller than the cutoff."""
        if entry.size >= self._cutoff:
            return self._chain_bytes(entry.start)[: entry.size]
        mini_stream = self._chain_bytes(self._entries[0].start)
        minifat = self._ids(self._chain_bytes(self._minifat_start))
        parts = []
        for sector in self._chain(entry.start, minifat):
            offset = sector * self._mini_size
            if offset >= len(mini_stream):
                raise ValueError(f"mini sector {sector} beyond the mini stream")
            parts.append(mini_stream[offset : offset + self._mini_size])
        return b"".join(parts)[: entry.size]


def root_stream_names(data: bytes) -> frozenset[str]:
    """The case-folded names of the streams directly under the root of an OLE2 file.

    Empty for bytes that are no compound file or a damaged one: the caller
    asks whether a stream is there, and damage means it cannot be found.

    Parameters
    ----------
    data
        The file's bytes.

    Examples
    --------
    >>> root_stream_names(b"PK\\x03\\x04"), root_stream_names(MAGIC + bytes(504))
    (frozenset(), frozenset())
    """
    try:
        return frozenset(Compound(data).root_streams())
    except DAMAGE:
        return frozenset()


def entry_names(data: bytes) -> list[str]:
    """The names of every storage and stream in an OLE2 file's directory, whatever its depth, and the root's.

    Names are as written (not case-folded), in directory order; unused
    entries are left out. Empty for bytes that are no compound file or a
    damaged one.

    Parameters
    ----------
    data
        The file's bytes.

    Examples
    --------
    >>> entry_names(b"PK\\x03\\x04"), entry_names(MAGIC + b"\\xff" * 1024)
    ([], [])
    """
    try:
        entries = Compound(data)._entries
    except DAMAGE:
        return []
    return [entry.name for entry in entries if entry.kind in (_STORAGE, _STREAM, _ROOT) and entry.name]
