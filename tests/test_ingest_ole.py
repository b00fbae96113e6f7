"""Tests for lib.ingest.ole: which names an OLE2 directory gives, and what forms.detect makes of them."""

from __future__ import annotations

import struct

import pytest
from test_ingest_docx import _ole2

from lib.ingest.docx import is_old_word
from lib.ingest.forms import detect
from lib.ingest.grid import Unreadable
from lib.ingest.ole import entry_names, root_stream_names

_DIRECTORY = 1024  # _ole2 puts the directory in sector 1, after the header and the FAT sector


def _nested(storage: str, stream: str) -> bytes:
    """An OLE2 file whose root holds one storage, and the storage one stream."""
    data = bytearray(_ole2(storage, stream))
    storage_entry = _DIRECTORY + 128
    data[storage_entry + 0x42] = 1  # a storage, not a stream
    struct.pack_into("<II", data, storage_entry + 0x48, 0xFFFFFFFF, 2)  # no right sibling; child 2
    return bytes(data)


def test_password_protected_office_file_is_refused_as_encrypted() -> None:
    with pytest.raises(Unreadable) as raised:
        detect(_ole2("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"))
    assert raised.value.code == "encrypted"
    assert raised.value.message.startswith("文件有密码保护")


def test_encrypted_package_below_the_root_is_no_password_protected_file() -> None:
    data = _nested("ObjectPool", "EncryptedPackage")
    assert "encryptedpackage" not in root_stream_names(data)
    with pytest.raises(Unreadable) as raised:
        detect(data)
    assert raised.value.code == "not_a_document"


def test_entry_names_reach_below_the_root_so_an_embedded_word_document_counts() -> None:
    data = _nested("ObjectPool", "WordDocument")
    assert entry_names(data) == ["Root Entry", "ObjectPool", "WordDocument"]
    assert root_stream_names(data) == frozenset()
    assert is_old_word(data)
