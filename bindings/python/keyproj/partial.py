"""Partials that travel (docs/scale-out.md): each shard's Ledger.partial(...) bytes,
merged anywhere and in any order into the report of the union of the shards."""

import ctypes
import os
from typing import Iterable, Optional, Sequence, Union

from . import _ffi
from ._ffi import lib
from .report import Report

PartialLike = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]


def _inputs(partials: Union[PartialLike, Iterable[PartialLike]], names: Optional[Sequence[str]], what: str):
    """The partials as a kp_partial_input array (and the bytes it borrows)."""
    if isinstance(partials, (str, bytes, bytearray, memoryview, os.PathLike)):
        partials = [partials]  # one partial (a path or its bytes), not a sequence of them
    if isinstance(names, str):
        names = [names]
    items = []
    for i, p in enumerate(partials):
        if isinstance(p, (bytes, bytearray, memoryview)):
            items.append((f"partial {i + 1}", bytes(p)))
        else:
            with open(p, "rb") as f:
                items.append((os.fspath(p), f.read()))
    if names is not None:
        if len(names) != len(items):
            raise ValueError(f"{what}: {len(names)} names for {len(items)} partials")
        items = [(str(n), data) for n, (_, data) in zip(names, items)]
    if not items:
        raise ValueError(f"{what}: no partials (give at least one)")
    inputs = (_ffi.kp_partial_input * len(items))()
    for i, (name, data) in enumerate(items):
        inputs[i].name = _ffi.cstr(name, "name")
        inputs[i].data = data  # c_char_p keeps a reference; the size says how many bytes
        inputs[i].size = len(data)
    return inputs, items


def merge_partials(partials: Union[PartialLike, Iterable[PartialLike]], names: Optional[Sequence[str]] = None) -> Report:
    """The report of the union of the shards whose partials are given: bytes from
    Ledger.partial (or combine_partials), or paths of .kpp files (`keyproj report
    --partial-out`). Value for value the report of the union ledger, project lists in
    code order. names: what errors call each partial (default: a path, else "partial N").
    A single path or bytes object is one partial.

    The merged report renders as any report but as "text" (the report text reads the
    whole ledger), without dossiers, and write_xlsx needs charts=False.
    Raises, naming the partial: KeyprojError with status_name "DATA_LOSS" for corrupt,
    truncated or foreign bytes ("FAILED_PRECONDITION" for another format version), as
    for a damaged snapshot; InvalidArgumentError for partials of different requests
    (naming the setting) and shards sharing a project."""
    inputs, items = _inputs(partials, names, "merge_partials")
    out = _ffi.kp_report_p()
    lib.kp_report_merge_partials(inputs, len(items), ctypes.byref(out))
    # The funnel, when asked for, is the C ABI's last table (Report): the partial's
    # `funnel` setting says whether it was (docs/scale-out.md, the file's grammar).
    funnel = b"\nsetting\tfunnel\t-\n" not in items[0][1]
    return Report(out, funnel=funnel)


def combine_partials(partials: Union[PartialLike, Iterable[PartialLike]], names: Optional[Sequence[str]] = None) -> bytes:
    """One partial of the union of the given partials' shards, which merges with others
    as theirs would: a tree reduce (combine within a province, merge at the centre).
    Raises as merge_partials."""
    inputs, items = _inputs(partials, names, "combine_partials")
    buf = _ffi.kp_buffer()
    lib.kp_partial_combine(inputs, len(items), ctypes.byref(buf))
    return _ffi.take_buffer(buf)
