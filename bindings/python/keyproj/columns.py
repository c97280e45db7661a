"""A table given as columns -- lists, numpy arrays, a pandas DataFrame -- as the C
ABI's kp_column batches (capi/keyproj.h, "A ledger from the host's own data").

What each column becomes (the C side then reads every cell by the CSV loader's rules):

  numpy int64           KP_COLUMN_INT64, scale 0 (or the scale of a (values, scale) pair)
  numpy int32           KP_COLUMN_INT32 (int8/int16/uint8/uint16: one copy to int32;
                        uint32/uint64, or any int with a scale: one copy to int64)
  numpy float64         KP_COLUMN_DOUBLE (NaN = missing; read as the shortest repr)
  numpy bool            KP_COLUMN_BOOL
  numpy datetime64[D]   KP_COLUMN_DATE32 (always a copy: int64 days to int32; NaT = missing;
                        other units are converted to days, refused when not whole days)
  numpy str/bytes       KP_COLUMN_CSTR (one NUL-terminated copy + a pointer per row, made
                        without a Python loop; non-ASCII str is encoded cell by cell)
  numpy object, lists   by the values' Python types: all bool -> BOOL; all int -> INT64
                        (scale as above); all float -> DOUBLE; all datetime.date -> DATE32;
                        anything else (str, Decimal, a mix) -> UTF8 text, exact: a Decimal
                        as its digits, a float as its repr's digits, never through binary.
                        None, NaN, pandas NA/NaT are missing.

numpy arrays of a fixed-width dtype are passed without copying (their own memory)
when C-contiguous in native byte order; otherwise they are copied once. A masked
array's mask, and pandas' NA in nullable columns, become the validity bitmap.

numpy and pandas are never imported here: a value is treated as an array only when
the caller's program has imported numpy itself (the package stays standard-library only).
"""

import array
import ctypes
import datetime
import itertools
import math
import numbers
import sys
from bisect import bisect_left
from decimal import Decimal
from typing import List, Optional

from . import _ffi

_UTF8, _CSTR, _INT64, _DOUBLE, _DATE32, _BOOL, _INT32 = (
    _ffi.COLUMN_TYPES[k] for k in ("utf8", "cstr", "int64", "double", "date32", "bool", "int32"))
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_INT32_MIN, _INT32_MAX = -(1 << 31), (1 << 31) - 1
_I32P = ctypes.POINTER(ctypes.c_int32)
# A str holding a lone surrogate ("\udcff", what os.fsdecode makes of a byte that is
# not UTF-8) has no UTF-8: its surrogate is passed as the three bytes it would take,
# which the library finds not UTF-8 and reports as a problem at its row and column --
# the row left out in lenient mode -- as it does for such bytes from C.
_UTF8_ERRORS = "surrogatepass"
_U8P = ctypes.POINTER(ctypes.c_uint8)


class Column:
    """One column converted once; batch() fills a kp_column for rows [start, stop).

    Fixed-width values sit at `addr` (itemsize bytes each; for numpy text, CSTR
    pointers). Text from lists (UTF8) is one buffer at `addr` with int64 `offsets`
    (array 'q', rebased to int32 per batch, so a column may hold more than 2 GiB of
    text in all). Missing values: `present`, a numpy bool array, or `missing`, the
    sorted indices of missing values (lists), or neither. `keep` owns the memory.
    """

    __slots__ = ("where", "name", "type", "scale", "rows", "addr", "itemsize", "offsets", "present",
                 "missing", "keep")

    def __init__(self, where: str, name: bytes, ctype: int, rows: int, addr: int, keep, *, itemsize: int = 0,
                 scale: int = 0, offsets=None, present=None, missing: Optional[List[int]] = None):
        self.where, self.name, self.type, self.scale, self.rows = where, name, ctype, scale, rows
        self.addr, self.itemsize, self.offsets, self.keep = addr, itemsize, offsets, keep
        self.present, self.missing = present, missing

    def batch(self, col: "_ffi.kp_column", start: int, stop: int, hold: list) -> None:
        """Fills col for rows [start, stop); hold keeps what it points to alive."""
        col.version = _ffi.COLUMN_VERSION
        col.name = self.name
        col.type = self.type
        col.scale = self.scale
        if self.type == _UTF8:
            base = int(self.offsets[start])
            if stop - start and self.offsets[stop] - base > _INT32_MAX:
                raise ValueError(f"{self.where}: rows {start + 1}-{stop} hold more than 2 GiB of text; "
                                 f"give a smaller batch_rows")
            offs = array.array("i", [o - base for o in self.offsets[start:stop + 1]])
            hold.append(offs)
            col.values = self.addr + base
            col.offsets = ctypes.cast(offs.buffer_info()[0], _I32P)
        else:
            col.values = self.addr + start * self.itemsize if self.addr else None
            col.offsets = None
        bits = None
        if self.present is not None:
            np = sys.modules["numpy"]
            chunk = self.present[start:stop]
            if not chunk.all():
                bits = np.packbits(chunk, bitorder="little")
                hold.append(bits)
                bits_addr, nbytes = bits.ctypes.data, bits.size
        elif self.missing:
            lo, hi = bisect_left(self.missing, start), bisect_left(self.missing, stop)
            if hi > lo:
                nbytes = (stop - start + 7) // 8
                bits = (ctypes.c_uint8 * nbytes).from_buffer(bytearray(b"\xff" * nbytes))
                for i in self.missing[lo:hi]:
                    i -= start
                    bits[i >> 3] &= ~(1 << (i & 7)) & 0xFF
                hold.append(bits)
                bits_addr = ctypes.addressof(bits)
        if bits is None:
            col.validity, col.validity_bytes = None, 0
        else:
            col.validity, col.validity_bytes = ctypes.cast(bits_addr, _U8P), nbytes


def convert(table: str, name, value) -> Column:
    """The column `name` of `table` (a keyword of Ledger.from_columns) as a Column."""
    if not isinstance(name, str):
        raise TypeError(f"{table}: column name {name!r}: expected str, got {type(name).__name__}")
    where = f"{table}.{name}"
    cname = _ffi.cstr(name, f"{table}: column name")
    scale = None
    pair = ""  # how a 2-tuple was read, for the errors that follow from it
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], int) and not isinstance(value[1], bool):
        value, scale = value
        pair = f" (a 2-tuple is read as (values, scale): pass two values as a list, [{value!r}, {scale!r}])"
        if not 0 <= scale <= 18:
            raise ValueError(f"{where}: scale {scale}: must be 0-18 (decimal places of an int64 column){pair}")
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, (pd.Series, pd.Index)):
        return _from_pandas(where, cname, value, scale, np, pd)
    if np is not None and isinstance(value, np.ndarray):
        present = None
        if isinstance(value, np.ma.MaskedArray):
            mask = np.ma.getmaskarray(value)
            present = ~mask if mask.any() else None
            value = value.data
        return _from_numpy(where, cname, value, scale, present, np)
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(f"{where}: expected a sequence of values (a list, a numpy array, a pandas Series), "
                        f"got {type(value).__name__}{pair}")
    return _from_list(where, cname, list(value), scale)


def _from_pandas(where, cname, series, scale, np, pd) -> Column:
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        return _from_numpy(where, cname, series.to_numpy(copy=False), scale, None, np)
    # An extension dtype: nullable Int64/boolean/Float64 (values + NA mask: one copy),
    # string, categorical, tz-aware dates (their Python objects).
    kind = getattr(getattr(dtype, "numpy_dtype", None), "kind", None)
    if kind in ("i", "u", "b", "f"):
        mask = series.isna().to_numpy()
        fill = {"b": False, "f": np.nan}.get(kind, 0)
        values = series.to_numpy(dtype=dtype.numpy_dtype, na_value=fill)
        return _from_numpy(where, cname, values, scale, ~mask if mask.any() else None, np)
    return _from_list(where, cname, series.to_numpy(dtype=object).tolist(), scale)


def _no_scale(where, scale, what):
    if scale:
        raise TypeError(f"{where}: a scale applies to int64 columns only, not to {what}")


def _from_numpy(where, cname, arr, scale, present, np) -> Column:
    if arr.ndim != 1:
        raise ValueError(f"{where}: expected a 1-dimensional array, got shape {arr.shape}")
    kind = arr.dtype.kind
    if kind in ("O", "U", "S") and present is not None:
        # A masked array of text or objects: masked cells are missing.
        values = arr.tolist()
        for i in np.flatnonzero(~present).tolist():
            values[i] = None
        return _from_list(where, cname, values, scale)
    if kind == "O":
        return _from_list(where, cname, arr.tolist(), scale)
    if kind in ("U", "S"):
        _no_scale(where, scale, "text")
        return _text_from_numpy(where, cname, arr, np)
    rows = len(arr)
    if kind == "b":
        _no_scale(where, scale, "bool")
        arr, ctype = arr.view(np.uint8), _BOOL
    elif kind in ("i", "u"):
        if arr.dtype.itemsize == 8 and kind == "u" and rows and arr.max() > _INT64_MAX:
            raise ValueError(f"{where}: {int(arr.max())} does not fit an int64")
        if scale is None and (arr.dtype.itemsize < 4 or (arr.dtype.itemsize == 4 and kind == "i")):
            arr, ctype = arr.astype(np.int32, copy=False), _INT32
        else:
            arr, ctype = arr.astype(np.int64, copy=False), _INT64
    elif kind == "f":
        _no_scale(where, scale, "float")
        if arr.dtype.itemsize != 8:
            raise TypeError(f"{where}: {arr.dtype} is not read exactly (its decimal digits are not the ones "
                            f"typed); give float64, decimal text or int64 with a scale")
        ctype = _DOUBLE
    elif kind == "M":
        _no_scale(where, scale, "dates")
        nat = np.isnat(arr)
        days = arr.astype("datetime64[D]")
        if np.datetime_data(arr.dtype)[0] != "D":
            partial = (days != arr) & ~nat
            if partial.any():
                # A time of day: the cells as a CSV file would hold them, so that each
                # such cell is a problem at its row (a date column takes whole days)
                # and the others are read.
                texts = np.datetime_as_string(arr, unit="s").tolist()
                return _from_list(where, cname, [None if n else t.replace("T", " ")
                                                 for t, n in zip(texts, nat.tolist())], scale)
        days = days.view(np.int64)
        if nat.any():
            days = np.where(nat, 0, days)
            present = ~nat if present is None else present & ~nat
        if rows and (days.min() < _INT32_MIN or days.max() > _INT32_MAX):
            raise ValueError(f"{where}: a date outside int32 days since 1970-01-01")
        arr, ctype = days.astype(np.int32), _DATE32
    else:
        raise TypeError(f"{where}: numpy dtype {arr.dtype} is not a column type keyproj reads")
    if not arr.flags.c_contiguous or not arr.dtype.isnative:
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("="))  # the one copy
    return Column(where, cname, ctype, rows, arr.ctypes.data if rows else 0, arr, itemsize=arr.dtype.itemsize,
                  scale=scale or 0, present=present)


def _text_from_numpy(where, cname, arr, np) -> Column:
    """A fixed-width str/bytes array as KP_COLUMN_CSTR, vectorised: the cells' bytes
    copied once into rows of width+1 (so each ends in a NUL) and a pointer per row.
    (Cheaper than compacting into one UTF8 buffer: no per-row lengths to find.)"""
    rows = len(arr)
    if rows == 0:
        return Column(where, cname, _CSTR, 0, 0, None, itemsize=ctypes.sizeof(ctypes.c_void_p))
    if arr.dtype.kind == "U" and arr.dtype.itemsize:
        codes = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("=")).view(np.uint32).reshape(rows, -1)
        if codes.size and codes.max() >= 0x80:  # not ASCII: encode each cell (_UTF8_ERRORS)
            arr = np.char.encode(arr, "utf-8", _UTF8_ERRORS)
            codes = None
    else:
        codes = None
    if codes is None:  # bytes: the UTF-8 of each cell, NUL-padded
        codes = np.ascontiguousarray(arr).view(np.uint8).reshape(rows, -1) if arr.dtype.itemsize else \
            np.zeros((rows, 0), dtype=np.uint8)
    width = codes.shape[1]
    if width > 1:
        # numpy pads with NULs and keeps inner ones; a NUL would end a C string early.
        inner = (codes[:, :-1] == 0) & (codes[:, 1:] != 0)
        if inner.any():
            i = int(np.flatnonzero(inner.any(axis=1))[0])
            raise ValueError(f"{where}: row {i + 1}: contains a NUL character")
    cells = np.zeros((rows, width + 1), dtype=np.uint8)
    cells[:, :width] = codes  # the one copy (code points below 0x80 are their UTF-8 bytes)
    pointers = np.arange(rows, dtype=np.uintp) * np.uintp(width + 1) + np.uintp(cells.ctypes.data)
    return Column(where, cname, _CSTR, rows, pointers.ctypes.data if rows else 0, (cells, pointers),
                  itemsize=pointers.itemsize)


# ---- Lists (and numpy object arrays): typed by their values --------------------------------


def _is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType")


def _kind(t: type, where: str) -> str:
    if t is type(None) or t.__name__ in ("NAType", "NaTType"):
        return "none"
    np = sys.modules.get("numpy")
    if issubclass(t, bool) or (np is not None and issubclass(t, np.bool_)):
        return "bool"
    if issubclass(t, numbers.Integral):
        return "int"
    if issubclass(t, float) or (np is not None and issubclass(t, np.floating)):
        return "float"
    if issubclass(t, Decimal):
        return "decimal"
    if issubclass(t, datetime.datetime):
        return "datetime"
    if issubclass(t, datetime.date):
        return "date"
    if issubclass(t, str):
        return "str"
    if issubclass(t, datetime.time) or t.__name__ == "Period":
        return "other"  # read as its text (_text): a pandas Period as "2024-03"
    raise TypeError(f"{where}: a value of type {t.__name__} is not a cell keyproj reads "
                    f"(str, int, float, Decimal, bool, datetime.date or None)")


def not_a_date(v: datetime.datetime) -> Optional[str]:
    """Why a datetime (or pandas Timestamp) is not a plain date -- "has a timezone",
    "is not a whole day" -- or None when it is one: midnight, naive. (Shared with
    report's as_of, so the two accept and refuse the same values.)"""
    if v.tzinfo is not None:
        return "has a timezone"
    if v.time() != datetime.time(0) or getattr(v, "nanosecond", 0):
        return "is not a whole day"
    return None


def _as_date(v, where, i):
    if isinstance(v, datetime.datetime):
        problem = not_a_date(v)
        if problem:
            raise ValueError(f"{where}: row {i + 1}: {v!r} {problem}; a date is expected")
        return v.date()
    return v


def _text(v, where: str, i: int) -> Optional[str]:
    """A cell as the text a CSV file would hold, exactly."""
    if _is_missing(v):
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
        return "1" if v else "0"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, float) or type(v).__module__ == "numpy":
        return format(Decimal(repr(float(v))), "f")  # the shortest digits, in plain notation
    if isinstance(v, datetime.datetime) and not_a_date(v):
        # As a CSV file would hold it: the cell is then a problem at its row ("not a
        # date ... a time of day only 00:00:00"), the others are read.
        return v.isoformat(sep=" ")
    if isinstance(v, datetime.date):
        return _as_date(v, where, i).isoformat()
    if isinstance(v, datetime.time) or type(v).__name__ == "Period":
        return str(v)  # "08:00:00"; a Period's own spelling: "2024-03", "2024-03-05", "2024Q1"
    raise TypeError(f"{where}: row {i + 1}: a value of type {type(v).__name__} is not a cell keyproj reads")


def _from_list(where, cname, values: list, scale) -> Column:
    rows = len(values)
    kinds = {_kind(t, where) for t in set(map(type, values))}
    kinds.discard("none")
    missing = [i for i, v in enumerate(values) if _is_missing(v)] if rows else []
    if missing:
        gaps = set(missing)
        values = [None if i in gaps else v for i, v in enumerate(values)]  # one spelling of missing
    if kinds == {"int"}:
        ints = [int(v) for v in values if v is not None]
        if min(ints) >= _INT64_MIN and max(ints) <= _INT64_MAX:
            data = array.array("q", [0 if v is None else v for v in values])
            return _fixed(where, cname, _INT64, data, missing, scale or 0)
        # else: an int beyond int64 goes as its digits (text, below)
    if scale:
        _no_scale(where, scale, "values that are not all int")
    if kinds == {"bool"}:
        return _fixed(where, cname, _BOOL, array.array("B", [1 if v else 0 for v in values]), missing)
    if kinds == {"float"}:
        return _fixed(where, cname, _DOUBLE, array.array("d", [math.nan if v is None else v for v in values]),
                      missing)
    if kinds and kinds <= {"date", "datetime"} and not any(
            isinstance(v, datetime.datetime) and not_a_date(v) for v in values):
        days = array.array("i", [0 if v is None else _as_date(v, where, i).toordinal() - _EPOCH_ORDINAL
                                 for i, v in enumerate(values)])
        return _fixed(where, cname, _DATE32, days, missing)
    # Text: one UTF-8 buffer and offsets.
    encoded = [b"" if t is None else t.encode("utf-8", _UTF8_ERRORS)
               for t in (values if kinds <= {"str"} and not missing else
                         [_text(v, where, i) for i, v in enumerate(values)])]
    data = b"".join(encoded)
    if b"\0" in data:  # a NUL would end the cell early where the library reads it as a C string
        i = next(i for i, cell in enumerate(encoded) if b"\0" in cell)
        raise ValueError(f"{where}: row {i + 1}: contains a NUL character")
    data = data or b"\0"  # never NULL values for rows that are all empty
    offsets = array.array("q", [0])
    offsets.extend(itertools.accumulate(map(len, encoded)))
    addr = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value
    return Column(where, cname, _UTF8, rows, addr, data, offsets=offsets, missing=missing)


def _fixed(where, cname, ctype, data: array.array, missing, scale=0) -> Column:
    return Column(where, cname, ctype, len(data), data.buffer_info()[0] if len(data) else 0, data,
                  itemsize=data.itemsize, scale=scale, missing=missing)


def _check_same_index(table: str, items, pd) -> None:
    """Series given one by one are read by position, as every column is. pandas would
    pair their values by index label, so Series whose indexes differ (one of them
    sorted or filtered alone) would pair values of different rows: refused."""
    if pd is None:
        return
    first = None
    for name, values in items:
        if not isinstance(values, pd.Series):
            continue
        if first is None:
            first = (name, values.index)
        elif not values.index.equals(first[1]):
            raise ValueError(
                f"{table}: the pandas Series {first[0]!r} and {name!r} have different indexes: keyproj "
                f"reads columns by position, and pandas would pair their values by index label, so a row's "
                f"values would come from different rows; give them the same index (reindex, or "
                f"reset_index(drop=True) on each), or pass one DataFrame")


def table_columns(table: str, value) -> List[Column]:
    """Every column of a table: a mapping name -> values, or a pandas DataFrame."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, pd.DataFrame):
        items = [(name, value[name]) for name in value.columns]
        if len(set(value.columns)) != len(items):
            raise ValueError(f"{table}: the DataFrame has duplicate column names")
    elif hasattr(value, "items"):
        items = list(value.items())
        _check_same_index(table, items, pd)
    else:
        raise TypeError(f"{table}: expected a mapping of column name to values, or a pandas DataFrame; "
                        f"got {type(value).__name__}")
    columns = [convert(table, name, values) for name, values in items]
    if columns and any(c.rows != columns[0].rows for c in columns):
        sizes = ", ".join(f"{c.where[len(table) + 1:]}: {c.rows}" for c in columns)
        raise ValueError(f"{table}: columns of different lengths ({sizes})")
    return columns
