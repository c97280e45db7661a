"""A computed report: its tables, rows of exact Decimal values, and its documents."""

import ctypes
import datetime
import json
import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple, Union

from . import _ffi
from ._ffi import cstr, lib, opt_cstr, pystr
from .catalogue import template_text
from .errors import KeyprojError
from .request import _from_file

_byref = ctypes.byref


class Column(NamedTuple):
    """A table's column: the indicator id, its unit ("count", "money" in 万元,
    "rate" as a fraction, "points", "multiple", "months") and its header as the
    reports print it ("开工率（%）", "累计完成投资（万元）")."""

    id: str
    unit: str
    label: str = ""


class Project(NamedTuple):
    """A listed project and why it is listed (its note; None when the list keeps
    none): note_key ("reported_on", "max_days_overdue", "total_investment_fen"),
    note_label ("报送日期"), note (the exact figure as an int in the unit its key names,
    or the text: a date, "未报送") and note_text as reports print it ("92天")."""

    code: str
    name: str
    note_key: Optional[str] = None
    note_label: Optional[str] = None
    note: Union[int, str, None] = None
    note_text: Optional[str] = None


def _unit_name(code: int) -> str:
    return _ffi.UNITS[code] if 0 <= code < len(_ffi.UNITS) else f"unit {code}"


_BUILT_IN_TEMPLATES = ("monthly", "quarter", "leader")


def _template(template) -> Tuple[Optional[bytes], Optional[str]]:
    """template= as the text the library reads, and the file it came from: a built-in
    name ("monthly", "quarter", "leader": what --template NAME gives), a path (a path
    object, or a one-line str without braces naming an existing file, or ending in
    .txt, or holding a path separator: FileNotFoundError when there is no such file),
    else the template text itself."""
    if template is None:
        return None, None
    if isinstance(template, str) and template in _BUILT_IN_TEMPLATES:
        return template_text(template).encode("utf-8"), None
    if isinstance(template, os.PathLike) or (
            isinstance(template, str) and "\n" not in template and "{" not in template
            and (os.path.isfile(template) or template.endswith(".txt") or os.sep in template)):
        path = Path(template)
        return path.read_bytes(), str(path)  # OSError names the path
    return cstr(template, "template"), None


def _places(places) -> Optional[bytes]:
    """places= as kp_render_options.places reads it: {"start_rate": 0} or
    "start_rate=0,plan_completion=2" (`keyproj report --places`)."""
    if places is None:
        return None
    if isinstance(places, Mapping):
        items = []
        for key, n in places.items():
            if isinstance(n, bool) or not isinstance(n, int):
                raise TypeError(f"places[{key!r}]: expected an int from 0 to 6, got {type(n).__name__}")
            items.append(f"{key}={n}")
        places = ",".join(items)
    return cstr(places, "places")


def _render_options(unit: str, encoding: Optional[str], template: Optional[bytes],
                    dossier_by: Optional[str] = None, places=None) -> _ffi.kp_render_options:
    opts = _ffi.kp_render_options()
    lib.kp_render_options_init(_byref(opts), _ffi.RENDER_OPTIONS_VERSION)
    try:
        opts.money_unit = _ffi.MONEY_UNITS[unit]
    except KeyError:
        raise ValueError(f"unit {unit!r}: use 'wan' (万元) or 'yi' (亿元)") from None
    if encoding is not None:
        try:
            opts.encoding = _ffi.ENCODINGS[encoding.lower()]
        except KeyError:
            raise ValueError(f"encoding {encoding!r}: use 'utf-8' or 'gb18030'") from None
    opts.text_template = opt_cstr(template, "template")
    opts.dossier_by = opt_cstr(dossier_by, "by")
    opts.places = _places(places)
    return opts


def _document_text(data: bytes, format: str, encoding: Optional[str]) -> Union[str, bytes]:
    """A rendered document as returned: the bytes with an encoding (for a file: CSV in
    UTF-8 keeps the BOM Excel needs), else a str -- text, not a file, so without the
    BOM (pd.read_csv(io.StringIO(...)) would take it into the first column's name)."""
    if encoding is not None:
        return data
    return data.decode("utf-8-sig" if format == "csv" else "utf-8")


_TARGET_NUMBERS = frozenset(("schedule", "target", "actual", "progress", "gap"))
_SCORE_NUMBERS = frozenset(("total", "input", "points"))


def _decimals(keys):
    """A json object_hook reading the exact decimal strings of `keys` as Decimal."""
    def hook(obj: dict) -> dict:
        for k in keys & obj.keys():
            if isinstance(obj[k], str):
                obj[k] = Decimal(obj[k])
        return obj
    return hook


def _document_format(format: str, what: str, workbook: Optional[str] = None) -> int:
    """The KP_FORMAT_* code of a document format; "xlsx" is refused naming the method
    that writes a workbook (a file, not a document in memory)."""
    if format == "xlsx" and workbook is not None:
        raise ValueError(f"{what}: format 'xlsx': a workbook is written to a file, not returned; "
                         f"use {workbook}")
    try:
        return _ffi.DOCUMENT_FORMATS[format]
    except KeyError:
        raise ValueError(f"{what}: format {format!r}: use one of {', '.join(_ffi.DOCUMENT_FORMATS)}") from None


class Row(Mapping):
    """One row: a mapping column id -> decimal.Decimal (None where not applicable:
    a rate over zero), exactly as kp_report_value_text gives it (money in 万元 with
    every decimal, rates as fractions with 6 decimals).

    .group maps each group-by dimension to this row's key ({"county": "610403"});
    it is {} for the whole-scope row, which is always a table's last row.

    A row pickles as its plain values (group, labels, values, is_total): the
    unpickled row is a mapping as this one, without its report, so display() and
    projects() are not available there.
    """

    __slots__ = ("_table", "_index", "group", "labels", "_values", "_total")

    def __init__(self, table: "Table", index: int, group: Dict[str, str], labels: Dict[str, str],
                 values: Dict[str, Optional[Decimal]]):
        self._table = table   # None in a row unpickled (_detached_row)
        self._index = index
        self.group = group    # dimension -> key ("county": "610302"); {} for the whole scope
        self.labels = labels  # dimension -> the key as reports print it ("county": "渭滨区")
        self._values = values
        self._total = None    # is_total of a row without its table

    def __reduce__(self):
        return _detached_row, (self.group, self.labels, self._values, self.is_total, self._index)

    def __copy__(self) -> "Row":
        row = Row(self._table, self._index, self.group, self.labels, self._values)
        row._total = self._total
        return row

    def __deepcopy__(self, memo) -> "Row":
        row = Row(self._table, self._index, dict(self.group), dict(self.labels), dict(self._values))
        row._total = self._total  # (str, Decimal and None are immutable: dict() copies deeply enough)
        return row

    def _report_table(self) -> "Table":
        if self._table is None:
            raise ValueError("keyproj: this row was unpickled: it holds its values, not its report "
                             "(display() and projects() need the report)")
        return self._table

    def __getitem__(self, column: str) -> Optional[Decimal]:
        try:
            return self._values[column]
        except KeyError:
            raise KeyError(f"column {column!r} is not in this row (columns: {', '.join(self._values)})") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    @property
    def is_total(self) -> bool:
        if self._table is None:
            return self._total
        return self._index == len(self._table.rows) - 1

    def display(self, column: str, unit: str = "wan") -> str:
        """The text reports print for a cell ("83.3%", "262.90", "—"); money in
        unit 'wan' (万元) or 'yi' (亿元)."""
        out = ctypes.c_char_p()
        money = _ffi.MONEY_UNITS.get(unit)
        if money is None:
            raise ValueError(f"unit {unit!r}: use 'wan' (万元) or 'yi' (亿元)")
        t = self._report_table()
        with t._handle.use() as rep:
            lib.kp_report_value_display(rep, t._index, self._index, t._column_index(column), money, _byref(out))
            return pystr(out.value)

    def rounded(self, column: str, places: int) -> Optional[Decimal]:
        """The cell's exact value rounded half-up once to `places` decimals, in the
        units of the row's values (a rate as a fraction: places=3 is a percent with
        one decimal, as display() prints it). The values themselves carry a rate to 6
        decimals only, so rounding one of them again can differ from the report
        (0.5384996... is 0.538500 there, 53.9% when rounded again, 53.8% printed);
        this rounds the exact figure. None where not applicable. places 0 to 18."""
        if isinstance(places, bool) or not isinstance(places, int):
            raise TypeError(f"places: expected an int, got {type(places).__name__}")
        out = ctypes.c_int64()
        applicable = ctypes.c_int32()
        t = self._report_table()
        with t._handle.use() as rep:
            lib.kp_report_value_int64(rep, t._index, self._index, t._column_index(column), places,
                                      _byref(out), _byref(applicable))
        return Decimal(out.value).scaleb(-places) if applicable.value else None

    def projects(self, column: str) -> List[Project]:
        """The projects behind a cell of an indicator that lists them (late_reports,
        stalled, ...); [] for other indicators."""
        t = self._report_table()
        col = t._column_index(column)
        n = ctypes.c_size_t()
        code, name = ctypes.c_char_p(), ctypes.c_char_p()
        key, label, text = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
        has_number, number = ctypes.c_int32(), ctypes.c_int64()
        with t._handle.use() as rep:
            lib.kp_report_project_count(rep, t._index, self._index, col, _byref(n))
            found = []
            for i in range(n.value):
                lib.kp_report_project(rep, t._index, self._index, col, i, _byref(code), _byref(name))
                lib.kp_report_project_note(rep, t._index, self._index, col, i, _byref(key), _byref(label),
                                           _byref(has_number), _byref(number), _byref(text))
                if key.value is None:
                    found.append(Project(pystr(code.value), pystr(name.value)))
                    continue
                shown = pystr(text.value)
                found.append(Project(pystr(code.value), pystr(name.value), pystr(key.value), pystr(label.value),
                                     number.value if has_number.value else shown, shown))
            return found

    def __repr__(self) -> str:
        return f"Row(group={self.group!r}, values={self._values!r})"


def _detached_row(group, labels, values, total, index) -> Row:
    """A Row unpickled: its values without its table (Row.__reduce__)."""
    row = Row(None, index, group, labels, values)
    row._total = total
    return row


class Table:
    """One table of a report (one per grouping): .title, .group_by (dimensions),
    .columns (Column(id, unit)), .rows (the groups in ascending key order, then the
    whole-scope row), .total (that last row).

    It reads its report's C handle, so it cannot be pickled nor deep-copied: send
    to_pandas() or its rows (which pickle as their plain values) instead."""

    __reduce_ex__ = _ffi.refuse_pickle(
        "Table", "send table.to_pandas() or its rows (which pickle as their plain values) instead")

    def __copy__(self) -> "Table":
        table = Table.__new__(Table)
        table.__dict__.update(self.__dict__)  # the same report, rows and columns
        return table

    def __deepcopy__(self, memo):
        raise TypeError("cannot deep-copy a keyproj.Table: it reads its report's handle; a report is "
                        "immutable, so use the table itself, or to_pandas() or its rows for values of your own")

    def __init__(self, handle: "_ffi.Handle", index: int, rep):
        # The report's handle, not the report: no reference cycle, so a report
        # nobody holds (nor any of its tables or rows) is freed at once.
        self._handle = handle
        self._index = index
        n = ctypes.c_size_t()
        s = ctypes.c_char_p()
        i32 = ctypes.c_int32()
        lib.kp_report_table_title(rep, index, _byref(s))
        self.title: str = pystr(s.value)
        lib.kp_report_group_dimension_count(rep, index, _byref(n))
        dims = []
        for d in range(n.value):
            lib.kp_report_group_dimension(rep, index, d, _byref(s))
            dims.append(pystr(s.value))
        self.group_by: Tuple[str, ...] = tuple(dims)
        lib.kp_report_table_groups_overlap(rep, index, _byref(i32))
        # True when a project is in several groups (a tag grouping): the group rows
        # do not add up to the whole-scope row.
        self.groups_overlap: bool = i32.value != 0
        lib.kp_report_column_count(rep, index, _byref(n))
        columns = []
        for c in range(n.value):
            lib.kp_report_column_id(rep, index, c, _byref(s))
            column_id = pystr(s.value)
            lib.kp_report_column_unit(rep, index, c, _byref(i32))
            lib.kp_report_column_label(rep, index, c, _ffi.MONEY_UNITS["wan"], _byref(s))
            columns.append(Column(column_id, _unit_name(i32.value), pystr(s.value)))
        self.columns: Tuple[Column, ...] = tuple(columns)
        self._positions = {c.id: i for i, c in enumerate(columns)}
        lib.kp_report_row_count(rep, index, _byref(n))
        row_count = n.value
        rows = []
        for r in range(row_count):
            group = {}
            labels = {}
            if r != row_count - 1:
                for d, dim in enumerate(dims):
                    lib.kp_report_group_key(rep, index, r, d, _byref(s))
                    group[dim] = pystr(s.value)
                    lib.kp_report_group_label(rep, index, r, d, _byref(s))
                    labels[dim] = pystr(s.value)
            values = {}
            for c, col in enumerate(columns):
                lib.kp_report_value_text(rep, index, r, c, _byref(s))
                values[col.id] = None if s.value is None else Decimal(s.value.decode("ascii"))
            rows.append(Row(self, r, group, labels, values))
        self.rows: List[Row] = rows

    def column_label(self, column: str, unit: str = "wan") -> str:
        """A column's header as the reports print it in `unit` ("累计完成投资（亿元）"
        with unit="yi"); Column.label is the 万元 form."""
        money = _ffi.MONEY_UNITS.get(unit)
        if money is None:
            raise ValueError(f"unit {unit!r}: use 'wan' (万元) or 'yi' (亿元)")
        s = ctypes.c_char_p()
        with self._handle.use() as rep:
            lib.kp_report_column_label(rep, self._index, self._column_index(column), money, _byref(s))
        return pystr(s.value)

    def _column_index(self, column: str) -> int:
        try:
            return self._positions[column]
        except KeyError:
            raise KeyError(f"column {column!r} is not in table {self.title!r} "
                           f"(columns: {', '.join(self._positions)})") from None

    @property
    def total(self) -> Row:
        return self.rows[-1]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __getitem__(self, index) -> Row:
        """table[i]: the i-th row (the whole-scope row last, table[-1]); table["610402"]
        (or a tuple of keys, one per dimension: table["industry", "610402"]): the group
        row of those keys. KeyError naming the table when no group has them."""
        if isinstance(index, (int, slice)):
            return self.rows[index]
        keys = index if isinstance(index, tuple) else (index,)
        if len(keys) != len(self.group_by) or not all(isinstance(k, str) for k in keys):
            raise KeyError(f"{index!r}: a group of table {self.title!r} is named by {len(self.group_by)} key(s), "
                           f"one per dimension ({', '.join(self.group_by) or 'none'}), each a str")
        for row in self.rows[:-1]:
            if tuple(row.group.values()) == keys:
                return row
        raise KeyError(f"{index!r}: no group of table {self.title!r} has this key "
                       f"(keys: {', '.join(repr(tuple(r.group.values()) if len(keys) > 1 else r.group[self.group_by[0]]) for r in self.rows[:5])}"
                       f"{', ...' if len(self.rows) > 6 else ''})")

    def to_pandas(self, numbers: str = "decimal"):
        """The table as a pandas DataFrame: one column per indicator, one row per
        group, the whole-scope row last.

        numbers="decimal" (the default): object columns of decimal.Decimal, exact,
        None where not applicable. numbers="float": float64 columns (float() of the
        same exact decimal text, so rates are the 6-decimal fraction), NaN where
        not applicable; for charts, never for figures that are published or compared.
        Either way a count column (Column.unit "count": projects, started, ...) is
        pandas' nullable "Int64": exact whole numbers, <NA> where not applicable.

        The index is the group key, named after the dimension (a MultiIndex for a
        cross table). A group whose key is empty -- the （未填） group of projects
        with no leader, department, tag, ... -- has the key None there (pandas'
        missing value; NaN in a MultiIndex level), and the whole-scope row has ""
        in each dimension, so df.loc[""] (df.loc[("", "")] for a cross table) is the
        whole scope alone and df.drop(index="") leaves every group. (Row.group keeps
        the empty key "", as kp_report_group_key gives it.) df.attrs holds "title",
        "units" (column id -> unit) and "labels" (column id -> its header as reports
        print it, Column.label: "开工率（%）").
        """
        import pandas as pd  # only when asked: pandas is optional for the package

        if numbers not in ("decimal", "float"):
            raise ValueError(f"numbers {numbers!r}: use 'decimal' or 'float'")
        ids = [c.id for c in self.columns]
        last = len(self.rows) - 1
        # The whole scope is "" in each dimension; a group's empty key is None, so the
        # two never share an index value.
        keys = [tuple("" if r == last else (row.group.get(d) or None) for d in self.group_by)
                for r, row in enumerate(self.rows)]
        if len(self.group_by) == 1:
            index = pd.Index([k[0] for k in keys], name=self.group_by[0], dtype=object)
        elif self.group_by:
            index = pd.MultiIndex.from_tuples(keys, names=list(self.group_by))
        else:
            index = pd.Index([""] * len(keys))
        data = {}
        for c in self.columns:
            values = [row[c.id] for row in self.rows]
            if c.unit == "count" and all(v is None or v == v.to_integral_value() for v in values):
                data[c.id] = pd.Series(pd.array([None if v is None else int(v) for v in values], dtype="Int64"),
                                       index=index)
            elif numbers == "decimal":
                data[c.id] = pd.Series(values, index=index, dtype=object)
            else:
                data[c.id] = pd.Series([float("nan") if v is None else float(v) for v in values], index=index,
                                       dtype="float64")
        df = pd.DataFrame(data, index=index, columns=ids)
        df.attrs["title"] = self.title
        df.attrs["units"] = {c.id: c.unit for c in self.columns}
        df.attrs["labels"] = {c.id: c.label for c in self.columns}
        return df

    def __repr__(self) -> str:
        return f"<keyproj.Table {self.title!r}: {len(self.rows)} rows x {len(self.columns)} columns>"


class Report(_ffi.Closeable):
    """A computed report (Ledger.report). It keeps what it was computed from alive,
    so it stays readable after its ledger is closed. Close it (or use it as a
    context manager) to free it at once; otherwise it is freed when collected.

    Immutable, so copy.copy and copy.deepcopy give the report itself. It cannot be
    pickled (to another process): send to_pandas(), its tables' rows (which pickle
    as their plain values) or render("json"); or a shard's Ledger.partial(...) bytes
    to merge there (keyproj.merge_partials)."""

    __reduce_ex__ = _ffi.refuse_pickle(
        "Report", "send report.to_pandas(), the rows of its tables (which pickle as their plain values) or "
                  "report.render('json') instead; or Ledger.partial(...) bytes, merged there with "
                  "keyproj.merge_partials")

    def __copy__(self) -> "Report":
        return self  # immutable

    def __deepcopy__(self, memo) -> "Report":
        return self

    def __init__(self, ptr, funnel: bool = False):
        self._handle = _ffi.Handle(ptr, lib.kp_report_free, "report")
        n = ctypes.c_size_t()
        as_of = ctypes.c_char_p()
        scope = ctypes.c_char_p()
        with self._handle.use() as rep:
            lib.kp_report_scope(rep, _byref(as_of), _byref(scope))
            # The date the report is as of (the month's end asked for, or the ledger's
            # last reported month) and the scope's name ("全市").
            self.as_of: datetime.date = datetime.date.fromisoformat(pystr(as_of.value))
            self.scope_name: str = pystr(scope.value)
            # What a reader should know before taking the figures for reported ones
            # (English sentences; Ledger.report warns each as a keyproj.ReportNote).
            lib.kp_report_note_count(rep, _byref(n))
            note = ctypes.c_char_p()
            self.notes: List[str] = []
            for i in range(n.value):
                lib.kp_report_note(rep, i, _byref(note))
                self.notes.append(pystr(note.value))
            lib.kp_report_table_count(rep, _byref(n))
            self.tables: List[Table] = [Table(self._handle, i, rep) for i in range(n.value)]
            # The 招商 funnel, asked for with funnel=...: the C ABI's last table.
            self.funnel: Optional[Table] = self.tables.pop() if funnel else None

    def _document(self, fn, what: str, format: str, unit: str, encoding: Optional[str],
                  template=None, dossier_by: Optional[str] = None, places=None) -> Union[str, bytes]:
        code = _document_format(format, what, "Report.write_xlsx(path)")
        text, path = _template(template)
        opts = _render_options(unit, encoding, text, dossier_by, places)
        buf = _ffi.kp_buffer()
        try:
            with self._handle.use() as rep:
                fn(rep, code, _byref(opts), _byref(buf))
        except KeyprojError as e:
            if path is None:
                raise
            raise _from_file(e, path) from None
        return _document_text(_ffi.take_buffer(buf), format, encoding)

    def render(self, format: str = "table", unit: str = "wan", encoding: Optional[str] = None,
               template=None, places=None) -> Union[str, bytes]:
        """The report as one document, what `keyproj report --format F` prints:
        format "table", "json", "csv", "markdown" (or "md") or "text" (the
        paragraphs of a monthly report; template: a built-in name "monthly",
        "quarter" or "leader", a template file's path, or the template text --
        docs/report-text.md). Money in
        unit 'wan' (万元) or 'yi' (亿元). With encoding=None a str; with
        encoding="utf-8" or "gb18030" the bytes in that encoding. A workbook is
        not a document: write_xlsx(path) writes one ("xlsx" here is a ValueError).
        places: display places of indicators, {"start_rate": 0} or "start_rate=0"
        (`--places`; the rows' values keep every digit)."""
        return self._document(lib.kp_report_render, "render", format, unit, encoding, template, places=places)

    def render_targets(self, format: str = "table", unit: str = "wan",
                       encoding: Optional[str] = None, places=None) -> Union[str, bytes]:
        """The target statuses (the report needs targets=): "table", "json", "csv" or "md"."""
        return self._document(lib.kp_report_render_targets, "render_targets", format, unit, encoding,
                              places=places)

    def render_scores(self, format: str = "table", unit: str = "wan",
                      encoding: Optional[str] = None, places=None) -> Union[str, bytes]:
        """The scores, ranked (the report needs scheme=): "table", "json" or "csv"."""
        return self._document(lib.kp_report_render_scores, "render_scores", format, unit, encoding,
                              places=places)

    def write_xlsx(self, path: Union[str, os.PathLike], unit: str = "wan", charts: bool = True,
                   places=None) -> None:
        """Writes the report as an Excel workbook to path: a printed sheet per table
        and the others (目标, 项目清单, ...), and with charts=True (the default) the
        sheet 图表 (investment by month against 序时进度, the groups ranked by
        plan_completion); charts=False for a bare workbook of tables.

        Raises UnavailableError (an OSError) when the file cannot be written (a
        missing folder, a full disk), PermissionDeniedError (a PermissionError) when
        it may not be."""
        opts = _render_options(unit, None, None, places=places)
        opts.charts = 1 if charts else 0
        with self._handle.use() as rep:
            lib.kp_report_write_xlsx(rep, _byref(opts), cstr(path, "path"))

    def dossiers(self, by: str = "leader", template: Optional[str] = None, format: str = "text",
                 unit: str = "wan", encoding: Optional[str] = None,
                 path: Union[str, os.PathLike, None] = None, places=None) -> Union[str, bytes, None]:
        """Dossiers (专报, docs/report-text.md "Dossiers"): the report text once per
        group of `by` ("leader", "department", "county", ...), a heading per group --
        what `keyproj report --dossier BY` writes. template: as for render (None:
        the leader dossier, examples/templates/leader.txt). format "text" or
        "markdown" ("md"): the document (a str, or bytes with an encoding); "xlsx": a
        sheet per group written to path, returns None."""
        if format == "xlsx":
            if path is None:
                raise ValueError("dossiers: format 'xlsx' needs path=")
            text, source = _template(template)
            opts = _render_options(unit, None, text, by, places)
            try:
                with self._handle.use() as rep:
                    lib.kp_report_write_xlsx(rep, _byref(opts), cstr(path, "path"))
            except KeyprojError as e:
                if source is None:
                    raise
                raise _from_file(e, source) from None
            return None
        if format not in ("text", "markdown", "md"):
            raise ValueError(f"dossiers: format {format!r}: use 'text', 'markdown' (or 'md') or 'xlsx'")
        return self._document(lib.kp_report_render, "dossiers", format, unit, encoding, template, by, places)

    def target_statuses(self) -> List[dict]:
        """The target statuses as data (the report needs targets=), what
        render_targets("json") holds: a dict per group -- the whole scope, or each
        group of targets_group_by and the whole scope last -- with "group" (codes),
        "labels" (names), "schedule" (序时进度, a Decimal fraction) and "status": a
        dict per target with "indicator", "label", "bound" (">=", "<="), "target",
        "actual", "progress", "gap" (Decimal, None where not applicable; rates as
        fractions, money in 万元) and "status" ("met", "on_track", "behind", ...)."""
        doc = json.loads(self.render_targets("json"), object_hook=_decimals(_TARGET_NUMBERS))
        return doc["targets"]

    def scores(self) -> List[dict]:
        """The assessment ranking as data (the report needs scheme=), what
        render_scores("json") holds: a dict per group, best first, with "rank" (int;
        equal totals share one), "group" (the key), "label" (as the table prints it),
        "total" (Decimal points) and "rules": {rule id: {"input", "points"}} (Decimal,
        None where not applicable)."""
        doc = json.loads(self.render_scores("json"), object_hook=_decimals(_SCORE_NUMBERS))
        return doc["groups"]

    def to_pandas(self, numbers: str = "decimal") -> list:
        """A pandas DataFrame per table, in order (Table.to_pandas says what they hold)."""
        return [t.to_pandas(numbers) for t in self.tables]

    def __repr__(self) -> str:
        if self._handle.closed:
            return "<keyproj.Report (closed)>"
        return f"<keyproj.Report: {len(self.tables)} tables>"
