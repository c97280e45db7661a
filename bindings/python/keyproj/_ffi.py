"""The one place Python meets libkeyproj.so.1: finding and loading the library, the
table of ctypes prototypes for every kp_* function in capi/keyproj.h, the checked
call, and the handle that frees a kp_* object exactly once.

Every function that returns a kp_status is checked by ctypes itself (its errcheck):
a status other than KP_OK raises the KeyprojError subclass of that code, carrying
kp_status_name and kp_last_error_message. errcheck runs on the calling thread
straight after the call, before any other kp_* call there, so the message is the
one the failing call left (it is per thread in the library).

ctypes releases the GIL during each foreign call, so several Python threads can
make reports from one ledger at once (capi/README.md, "Threads").
"""

import contextlib
import ctypes
import os
import re
import threading
from pathlib import Path
from typing import Callable, Iterator, List, Optional, Tuple

from ._version import ABI_VERSION, __version__
from .errors import KeyprojError, error_class

# ---- C types -------------------------------------------------------------------------

kp_status = ctypes.c_int32
# The restype of the prototypes that return a kp_status: bound as kp_status, and
# checked. (A marker of its own, as kp_status is ctypes.c_int32 like other results.)
STATUS = object()
size_t = ctypes.c_size_t
c_char_pp = ctypes.POINTER(ctypes.c_char_p)


# One opaque type per handle kind (as keyproj.h), so ctypes itself refuses a report
# where a ledger is expected.
class kp_ledger(ctypes.Structure):
    pass


class kp_diagnostics(ctypes.Structure):
    pass


class kp_report_request(ctypes.Structure):
    pass


class kp_report(ctypes.Structure):
    pass


kp_ledger_p = ctypes.POINTER(kp_ledger)
kp_diagnostics_p = ctypes.POINTER(kp_diagnostics)
kp_report_request_p = ctypes.POINTER(kp_report_request)
kp_report_p = ctypes.POINTER(kp_report)


class kp_ledger_builder(ctypes.Structure):
    pass


kp_ledger_builder_p = ctypes.POINTER(kp_ledger_builder)


class kp_buffer(ctypes.Structure):
    # data is POINTER(c_char), not c_char_p: a workbook or GB18030 text may hold NULs.
    _fields_ = [("data", ctypes.POINTER(ctypes.c_char)), ("size", size_t)]


class kp_partial_input(ctypes.Structure):
    # Borrowed for the call: the bytes of a partial (.kpp) and its name for messages.
    _fields_ = [("name", ctypes.c_char_p), ("data", ctypes.c_char_p), ("size", size_t)]


class kp_load_options(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("encoding", ctypes.c_int32),
        ("lenient", ctypes.c_int32),
        ("merge_duplicates", ctypes.c_int32),
        ("fx_rates", ctypes.c_char_p),
        ("threads", ctypes.c_int32),  # version 2
    ]


class kp_render_options(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("money_unit", ctypes.c_int32),
        ("encoding", ctypes.c_int32),
        ("text_template", ctypes.c_char_p),
        ("dossier_by", ctypes.c_char_p),  # version 2
        ("charts", ctypes.c_int32),  # version 2: the workbook's sheet 图表 (1, the default) or not (0)
        ("places", ctypes.c_char_p),  # version 3: "start_rate=0,plan_completion=2"
    ]


class kp_column(ctypes.Structure):
    # values is void* (its element type depends on `type`); every pointer is borrowed
    # for the kp_ledger_builder_add_columns call only.
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("name", ctypes.c_char_p),
        ("type", ctypes.c_int32),
        ("scale", ctypes.c_int32),
        ("values", ctypes.c_void_p),
        ("offsets", ctypes.POINTER(ctypes.c_int32)),
        ("validity", ctypes.POINTER(ctypes.c_uint8)),
        ("validity_bytes", size_t),
    ]


# The struct versions this package fills (KP_*_OPTIONS_VERSION, KP_COLUMN_VERSION).
LOAD_OPTIONS_VERSION = 2
RENDER_OPTIONS_VERSION = 3
COLUMN_VERSION = 1

# Enumerations of keyproj.h, by the names Python callers use.
# GBK and GB2312 are read as GB18030, their superset (as the library's own names do).
ENCODINGS = {"auto": 0, "utf8": 1, "utf-8": 1, "gb18030": 2, "gbk": 2, "gb2312": 2}
FORMATS = {"table": 0, "json": 1, "csv": 2, "markdown": 3, "md": 3, "text": 4, "xlsx": 5}
# The formats of a document in memory (kp_report_render and the like): not xlsx,
# which only kp_report_write_xlsx writes (to a file).
DOCUMENT_FORMATS = {name: code for name, code in FORMATS.items() if name != "xlsx"}
MONEY_UNITS = {"wan": 0, "万元": 0, "yi": 1, "亿元": 1}
UNITS = ("count", "money", "rate", "points", "multiple", "months")  # KP_UNIT_* in order
THRESHOLDS = {"stalled_months": 0, "deadline_day": 1, "behind_centipoints": 2, "threads": 3,
              "countdown_days": 4, "land_start_days": 5, "signed_months": 6}
# KP_TABLE_*, by the keyword names of Ledger.from_columns.
TABLES = {"projects": 0, "monthly": 1, "funding": 2, "plans": 3, "problems": 4, "baseline": 5, "approvals": 6}
# KP_COLUMN_*.
COLUMN_TYPES = {"utf8": 1, "cstr": 2, "int64": 3, "double": 4, "date32": 5, "bool": 6, "int32": 7}

# ---- The prototypes: every function of capi/keyproj.h, in its order -------------------------
# (name, restype, argtypes). A restype of STATUS means a kp_status, checked.

_i32p = ctypes.POINTER(ctypes.c_int32)
_i64p = ctypes.POINTER(ctypes.c_int64)
_dblp = ctypes.POINTER(ctypes.c_double)
_szp = ctypes.POINTER(size_t)
_str = ctypes.c_char_p
_rq = kp_report_request_p
_rp = kp_report_p

PROTOTYPES: List[Tuple[str, object, list]] = [
    ("kp_status_name", _str, [ctypes.c_int32]),
    ("kp_last_error_message", _str, []),
    ("kp_version", _str, []),
    ("kp_version_number", ctypes.c_int32, []),
    ("kp_abi_version", ctypes.c_int32, []),
    ("kp_buffer_dispose", None, [ctypes.POINTER(kp_buffer)]),
    # loading
    ("kp_load_options_init", STATUS, [ctypes.POINTER(kp_load_options), ctypes.c_uint32]),
    ("kp_ledger_open_csv", STATUS,
     [_str, ctypes.POINTER(kp_load_options), ctypes.POINTER(kp_ledger_p), ctypes.POINTER(kp_diagnostics_p)]),
    ("kp_ledger_project_count", STATUS, [kp_ledger_p, _szp]),
    ("kp_ledger_free", None, [kp_ledger_p]),
    # load problems
    ("kp_diagnostics_count", STATUS, [kp_diagnostics_p, _szp]),
    ("kp_diagnostics_get", STATUS, [kp_diagnostics_p, size_t, c_char_pp, _i64p, _i32p, c_char_pp, c_char_pp]),
    ("kp_diagnostics_text", STATUS, [kp_diagnostics_p, size_t, c_char_pp]),
    ("kp_diagnostics_free", None, [kp_diagnostics_p]),
    # a ledger from column arrays (0.2)
    ("kp_ledger_builder_new", STATUS, [ctypes.POINTER(kp_load_options), ctypes.POINTER(kp_ledger_builder_p)]),
    ("kp_ledger_builder_add_columns", STATUS,
     [kp_ledger_builder_p, ctypes.c_int32, size_t, ctypes.POINTER(kp_column), size_t]),
    ("kp_ledger_builder_finish", STATUS,
     [kp_ledger_builder_p, ctypes.POINTER(kp_ledger_p), ctypes.POINTER(kp_diagnostics_p)]),
    ("kp_ledger_builder_free", None, [kp_ledger_builder_p]),
    # requests
    ("kp_report_request_new", STATUS, [ctypes.POINTER(_rq)]),
    ("kp_report_request_free", None, [_rq]),
    ("kp_report_request_set_as_of", STATUS, [_rq, _str]),
    ("kp_report_request_set_filter", STATUS, [_rq, _str]),
    ("kp_report_request_add_grouping", STATUS, [_rq, _str]),
    ("kp_report_request_clear_groupings", STATUS, [_rq]),
    ("kp_report_request_set_indicators", STATUS, [_rq, _str]),
    ("kp_report_request_add_custom_indicator", STATUS, [_rq, _str, _str, _str, _str]),
    ("kp_report_request_set_schedule", STATUS, [_rq, _str]),
    ("kp_report_request_set_targets_toml", STATUS, [_rq, _str]),
    ("kp_report_request_set_targets_group_by", STATUS, [_rq, _str]),
    ("kp_report_request_set_funnel", STATUS, [_rq, _str]),
    ("kp_report_request_set_subtotals", STATUS, [_rq, ctypes.c_int32]),
    ("kp_report_request_set_baseline", STATUS, [_rq, ctypes.c_int32]),
    ("kp_report_request_set_scheme_toml", STATUS, [_rq, _str]),
    ("kp_report_request_set_scores_group_by", STATUS, [_rq, _str]),
    ("kp_report_request_set_scope_name", STATUS, [_rq, _str]),
    ("kp_report_request_set_threshold", STATUS, [_rq, ctypes.c_int32, ctypes.c_int64]),
    ("kp_report_request_set_regions_from_csv", STATUS, [_rq, _str]),
    # reports
    ("kp_report_make", STATUS, [kp_ledger_p, _rq, ctypes.POINTER(_rp)]),
    ("kp_report_free", None, [_rp]),
    ("kp_report_table_count", STATUS, [_rp, _szp]),
    ("kp_report_table_title", STATUS, [_rp, size_t, c_char_pp]),
    ("kp_report_table_groups_overlap", STATUS, [_rp, size_t, _i32p]),
    ("kp_report_row_count", STATUS, [_rp, size_t, _szp]),
    ("kp_report_column_count", STATUS, [_rp, size_t, _szp]),
    ("kp_report_column_id", STATUS, [_rp, size_t, size_t, c_char_pp]),
    ("kp_report_column_unit", STATUS, [_rp, size_t, size_t, _i32p]),
    ("kp_report_column_label", STATUS, [_rp, size_t, size_t, ctypes.c_int32, c_char_pp]),
    ("kp_report_group_dimension_count", STATUS, [_rp, size_t, _szp]),
    ("kp_report_group_dimension", STATUS, [_rp, size_t, size_t, c_char_pp]),
    ("kp_report_group_key", STATUS, [_rp, size_t, size_t, size_t, c_char_pp]),
    ("kp_report_group_label", STATUS, [_rp, size_t, size_t, size_t, c_char_pp]),
    ("kp_report_scope", STATUS, [_rp, c_char_pp, c_char_pp]),
    ("kp_report_note_count", STATUS, [_rp, _szp]),
    ("kp_report_note", STATUS, [_rp, size_t, c_char_pp]),
    ("kp_report_value_text", STATUS, [_rp, size_t, size_t, size_t, c_char_pp]),
    ("kp_report_value_display", STATUS, [_rp, size_t, size_t, size_t, ctypes.c_int32, c_char_pp]),
    ("kp_report_value_int64", STATUS, [_rp, size_t, size_t, size_t, ctypes.c_int32, _i64p, _i32p]),
    ("kp_report_value_double", STATUS, [_rp, size_t, size_t, size_t, _dblp, _i32p]),
    ("kp_report_project_count", STATUS, [_rp, size_t, size_t, size_t, _szp]),
    ("kp_report_project", STATUS, [_rp, size_t, size_t, size_t, size_t, c_char_pp, c_char_pp]),
    ("kp_report_project_note", STATUS, [_rp, size_t, size_t, size_t, size_t, c_char_pp, c_char_pp, _i32p, _i64p,
                                        c_char_pp]),
    # rendering
    ("kp_render_options_init", STATUS, [ctypes.POINTER(kp_render_options), ctypes.c_uint32]),
    ("kp_template_text", STATUS, [_str, ctypes.POINTER(ctypes.c_char_p)]),
    ("kp_report_render", STATUS,
     [_rp, ctypes.c_int32, ctypes.POINTER(kp_render_options), ctypes.POINTER(kp_buffer)]),
    ("kp_report_write_xlsx", STATUS, [_rp, ctypes.POINTER(kp_render_options), _str]),
    ("kp_report_render_targets", STATUS,
     [_rp, ctypes.c_int32, ctypes.POINTER(kp_render_options), ctypes.POINTER(kp_buffer)]),
    ("kp_report_render_scores", STATUS,
     [_rp, ctypes.c_int32, ctypes.POINTER(kp_render_options), ctypes.POINTER(kp_buffer)]),
    # the problem list (0.4)
    ("kp_ledger_render_problems", STATUS,
     [kp_ledger_p, _rq, _str, ctypes.c_int32, ctypes.c_int32, ctypes.POINTER(kp_render_options),
      ctypes.POINTER(kp_buffer)]),
    # catalogue
    ("kp_catalogue_count", size_t, []),
    ("kp_catalogue_get", STATUS, [size_t, c_char_pp, c_char_pp, _i32p, _i32p, c_char_pp]),
    ("kp_catalogue_flags", STATUS, [size_t, _i32p]),
    ("kp_dimension_count", size_t, []),
    ("kp_dimension_get", STATUS, [size_t, c_char_pp, c_char_pp]),
    ("kp_table_column_count", STATUS, [ctypes.c_int32, _szp]),
    ("kp_table_column_get", STATUS, [ctypes.c_int32, size_t, c_char_pp, c_char_pp, c_char_pp, _i32p]),
    ("kp_standard_dashboard_count", size_t, []),
    ("kp_standard_dashboard_get", STATUS, [size_t, c_char_pp]),
    # partials (0.5)
    ("kp_partial_make", STATUS, [kp_ledger_p, _rq, ctypes.POINTER(kp_buffer)]),
    ("kp_report_merge_partials", STATUS, [ctypes.POINTER(kp_partial_input), size_t, ctypes.POINTER(_rp)]),
    ("kp_partial_combine", STATUS, [ctypes.POINTER(kp_partial_input), size_t, ctypes.POINTER(kp_buffer)]),
    # snapshots (0.5, KP_1.4)
    ("kp_ledger_open", STATUS,
     [_str, ctypes.POINTER(kp_load_options), ctypes.POINTER(kp_ledger_p), ctypes.POINTER(kp_diagnostics_p)]),
    ("kp_ledger_pack", STATUS, [kp_ledger_p, _str]),
]

# ---- Finding and loading the library ------------------------------------------------------

LIBRARY_NAME = f"libkeyproj.so.{ABI_VERSION}"
_PACKAGE_DIR = Path(__file__).resolve().parent


def candidates() -> List[Tuple[str, str]]:
    """Where the library is looked for, in order, as (why, path-or-name).

    KEYPROJ_LIBRARY, when set, is the only place: a library named on purpose that
    does not load is an error, not a reason to take another one.
    """
    explicit = os.environ.get("KEYPROJ_LIBRARY")
    if explicit:
        return [("KEYPROJ_LIBRARY", explicit)]
    found = [("beside the package", str(_PACKAGE_DIR / LIBRARY_NAME))]
    repo = _PACKAGE_DIR.parents[2] if len(_PACKAGE_DIR.parents) > 2 else None
    if repo is not None and (repo / "capi" / "keyproj.h").is_file():  # running from a checkout
        for preset in ("dev", "release"):
            found.append((f"the build tree (build/{preset})", str(repo / "build" / preset / "capi" / LIBRARY_NAME)))
    found.append(("the system loader", LIBRARY_NAME))
    return found


def _load() -> Tuple[ctypes.CDLL, str]:
    tried = []
    for why, where in candidates():
        if os.sep in where and not os.path.exists(where):
            tried.append(f"  {why}: {where}: no such file")
            continue
        try:
            return ctypes.CDLL(where), where
        except OSError as e:
            tried.append(f"  {why}: {where}: {e}")
    raise ImportError(
        f"keyproj: cannot load {LIBRARY_NAME}; tried, in order:\n" + "\n".join(tried) +
        "\nBuild it (cmake --build build/dev --target keyproj_capi) or set KEYPROJ_LIBRARY to its path.")


def _version_number(text: str) -> int:
    major, minor, patch = (int(p) for p in text.split("."))
    return major * 10000 + minor * 100 + patch


# C option fields a message names -> the Python argument that sets them (the C layer
# names its own fields in place of the library's options in the same way).
_PYTHON_NAMES = (("'merge_duplicates=1'", "merge_duplicates=True"),)
# kp_load_options.fx_rates "USD=RATE" is the argument fx={"USD": RATE}.
_FX_RATE = re.compile(r"'fx_rates=([A-Za-z]{3})=RATE'")


def python_names(text: str) -> str:
    """A C message or problem with the C option fields it names as Python arguments."""
    for c_name, py_name in _PYTHON_NAMES:
        text = text.replace(c_name, py_name)
    return _FX_RATE.sub(r"fx={'\1': 'RATE'}", text)


def make_error(function: str, status: int) -> KeyprojError:
    """The exception for a failed call; reads the calling thread's last message."""
    message = python_names(lib.kp_last_error_message().decode("utf-8", "replace"))
    name = lib.kp_status_name(status).decode("ascii", "replace")
    return error_class(status)(function, status, name, message)


def _checked(result, func, args):
    """errcheck of every kp_status function: raise on anything but KP_OK."""
    if result != 0:
        raise make_error(func.__name__, result)
    return result


def _bind(cdll: ctypes.CDLL, where: str):
    for name, restype, argtypes in PROTOTYPES:
        try:
            fn = getattr(cdll, name)
        except AttributeError:
            raise ImportError(f"keyproj: {where} has no {name}: not the libkeyproj this package "
                              f"({__version__}) was written for") from None
        fn.argtypes = argtypes
        if restype is STATUS:
            fn.restype = kp_status
            fn.errcheck = _checked
        else:
            fn.restype = restype


lib, library_path = _load()
_bind(lib, library_path)

# The version check: the ABI must be the one this package was written for, and the
# library at least as new as the package (functions are only ever appended).
library_abi = lib.kp_abi_version()
if library_abi != ABI_VERSION:
    raise ImportError(f"keyproj {__version__} (Python) is written for ABI {ABI_VERSION} ({LIBRARY_NAME}), "
                      f"but {library_path} has ABI {library_abi}")
library_version = lib.kp_version().decode("ascii")
if lib.kp_version_number() < _version_number(__version__):
    raise ImportError(f"keyproj {__version__} (Python) needs libkeyproj {__version__} or later, "
                      f"but {library_path} is {library_version}")


# ---- Strings across the boundary ---------------------------------------------------------------


def cstr(value, what: str) -> bytes:
    """A str (or path) as the NUL-terminated UTF-8 the library reads. A NUL inside
    would silently cut the text short, so it is refused, naming the parameter."""
    if isinstance(value, os.PathLike):
        data = os.fsencode(value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, bytes):
        data = value
    else:
        raise TypeError(f"{what}: expected str, got {type(value).__name__}")
    if b"\0" in data:
        raise ValueError(f"{what}: contains a NUL character")
    return data


def opt_cstr(value, what: str) -> Optional[bytes]:
    return None if value is None else cstr(value, what)


def pystr(data: Optional[bytes]) -> Optional[str]:
    return None if data is None else data.decode("utf-8")


def take_buffer(buf: kp_buffer) -> bytes:
    """Copies a kp_buffer's bytes and disposes of it."""
    try:
        return ctypes.string_at(buf.data, buf.size) if buf.data else b""
    finally:
        lib.kp_buffer_dispose(ctypes.byref(buf))


# ---- Handles ----------------------------------------------------------------------------------------


class Handle:
    """Owns one kp_* object and frees it exactly once (llvmlite's ObjectRef).

    use() lends the pointer for the length of a with-block; close() frees it at
    once, or, while other threads are still inside use(), when the last of them
    leaves, so a handle is never freed under a running call. __del__ closes too,
    as a safety net for handles nobody closed.
    """

    __slots__ = ("_ptr", "_free", "_kind", "_lock", "_users", "_closed")

    def __init__(self, ptr, free: Callable, kind: str):
        self._ptr = ptr
        self._free = free
        self._kind = kind
        self._lock = threading.Lock()
        self._users = 0
        self._closed = not ptr  # a NULL pointer owns nothing

    @contextlib.contextmanager
    def use(self) -> Iterator:
        with self._lock:
            if self._closed:
                raise ValueError(f"keyproj: this {self._kind} is closed")
            self._users += 1
        try:
            yield self._ptr
        finally:
            with self._lock:
                self._users -= 1
                last = self._closed and self._users == 0
            if last:
                self._release()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            now = self._users == 0
        if now:
            self._release()

    @property
    def closed(self) -> bool:
        return self._closed

    def _release(self) -> None:
        ptr, self._ptr = self._ptr, None
        if ptr:
            self._free(ptr)

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass


def refuse_pickle(kind: str, instead: str):
    """A __reduce_ex__ that refuses to pickle an object holding a C handle, saying
    what to send instead (rather than ctypes' "objects containing pointers")."""

    def __reduce_ex__(self, protocol):
        raise TypeError(f"cannot pickle a keyproj.{kind}: it holds a handle to the library's memory in this "
                        f"process; {instead}")

    return __reduce_ex__


class Closeable:
    """A Python object over one C handle (self._handle, a Handle): close() frees it
    now (idempotent), and `with` closes it at the block's end."""

    _handle: Handle

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()
