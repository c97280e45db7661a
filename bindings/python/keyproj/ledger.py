"""A loaded ledger: immutable, shareable between threads, the source of reports."""

import ctypes
import os
import warnings
from decimal import Decimal
from pathlib import Path
from typing import List, Mapping, Optional, Sequence, Union

from . import _ffi
from . import columns as _columns
from ._ffi import cstr, lib, pystr
from .errors import KeyprojError, LoadError, Problem, ReportNote
from .report import Report
from .request import make_request

_byref = ctypes.byref


def _fx_text(fx) -> Optional[bytes]:
    """"USD=7.1,EUR=7.8", or a mapping {"USD": "7.1"} of exact rates (str, int or
    Decimal: a binary float is refused)."""
    if fx is None:
        return None
    if isinstance(fx, str):
        return cstr(fx, "fx")
    items = []
    for cur, rate in fx.items():
        if isinstance(rate, float):
            raise TypeError(f"fx {cur}: give the rate as a str or Decimal (a binary float is not exact)")
        items.append(f"{cur}={rate}")
    return cstr(",".join(items), "fx")


def _read_problems(diags) -> List[Problem]:
    """Every problem in a kp_diagnostics (which the caller frees)."""
    if not diags:
        return []
    n = ctypes.c_size_t()
    lib.kp_diagnostics_count(diags, _byref(n))
    file, field, reason, text = (ctypes.c_char_p() for _ in range(4))
    line, column = ctypes.c_int64(), ctypes.c_int32()
    problems = []
    for i in range(n.value):
        lib.kp_diagnostics_get(diags, i, _byref(file), _byref(line), _byref(column), _byref(field), _byref(reason))
        lib.kp_diagnostics_text(diags, i, _byref(text))
        problems.append(Problem(pystr(file.value), line.value, column.value, _ffi.python_names(pystr(reason.value)),
                                pystr(field.value), _ffi.python_names(pystr(text.value))))
    return problems


def _load_options(lenient: bool, fx, merge_duplicates: bool, threads: int = 0) -> "_ffi.kp_load_options":
    opts = _ffi.kp_load_options()
    lib.kp_load_options_init(_byref(opts), _ffi.LOAD_OPTIONS_VERSION)
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise ValueError(f"threads {threads!r}: 0 (one per hardware thread), 1 (this thread) or more")
    opts.threads = threads
    opts.lenient = 1 if lenient else 0
    opts.merge_duplicates = 1 if merge_duplicates else 0
    opts.fx_rates = _fx_text(fx)
    return opts


def _load(call):
    """Runs call(out, diags), a kp_* call that makes a kp_ledger and its problems:
    (the kp_ledger_p, the problems); a strict failure with problems is LoadError."""
    ledger = _ffi.kp_ledger_p()
    diags = _ffi.kp_diagnostics_p()
    try:
        try:
            call(_byref(ledger), _byref(diags))
        except KeyprojError as e:
            problems = _read_problems(diags)
            if problems:
                raise LoadError(e.function, e.status, e.status_name, e.message, problems) from None
            raise
        return ledger, _read_problems(diags)
    finally:
        lib.kp_diagnostics_free(diags)


class Ledger(_ffi.Closeable):
    """A ledger of key projects, loaded once and then read-only: any number of
    threads may make reports from it at once. Close it (or use it as a context
    manager) to free it at once; reports made from it stay valid.

    Immutable, so copy.copy and copy.deepcopy give the ledger itself. It cannot be
    pickled (to another process): send its folder (.path) or a snapshot written by
    pack(path), and open that there with Ledger.open(path).
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("keyproj.Ledger: open one with Ledger.from_csv(path) or Ledger.from_columns(...)")

    __reduce_ex__ = _ffi.refuse_pickle(
        "Ledger", "send its folder (ledger.path) or a snapshot file written by ledger.pack(path) instead, "
                  "and open that with keyproj.Ledger.open(path) in the other process")

    def __copy__(self) -> "Ledger":
        return self  # immutable

    def __deepcopy__(self, memo) -> "Ledger":
        return self

    @classmethod
    def _from_handle(cls, ptr, problems: Sequence[Problem] = (), path: Optional[Path] = None) -> "Ledger":
        """Takes ownership of an opened kp_ledger* (a kp_ledger_p). Every way of
        making a ledger ends here."""
        self = cls.__new__(cls)
        self._handle = _ffi.Handle(ptr, lib.kp_ledger_free, "ledger")
        self.problems: List[Problem] = list(problems)
        self.path: Optional[Path] = path  # the folder it was loaded from, absolute; None if not from files
        return self

    @classmethod
    def from_csv(cls, path: Union[str, os.PathLike], *, encoding: Optional[str] = "auto", lenient: bool = False,
                 fx: Union[None, str, Mapping[str, Union[str, int, Decimal]]] = None,
                 merge_duplicates: bool = False, threads: int = 0) -> "Ledger":
        """Loads the ledger folder at path (projects.csv and the files beside it).

        encoding: "auto" (UTF-8, else GB18030; None too), "utf-8" or "gb18030" ("gbk",
          "gb2312": read as GB18030, their superset). lenient: load
        the good rows and keep the bad ones in .problems, instead of refusing the
        whole ledger. fx: exchange rates to 元 for funding.csv ("USD=7.1,EUR=7.8" or
        {"USD": "7.1"}). merge_duplicates: add up two monthly rows of one project and
        month (else they are a problem). threads: threads reading the files, 0 (one
        per hardware thread) or a count; the ledger is the same whatever the count.

        Raises LoadError (.problems: each with file, line, column and reason) when a
        strict load finds problems, NotFoundError when the folder or its
        projects.csv is missing, and KeyprojError for anything else.
        """
        return cls._open(lib.kp_ledger_open_csv, path, encoding, lenient, fx, merge_duplicates, threads)

    @classmethod
    def _open(cls, opener, path, encoding: Optional[str], lenient: bool, fx, merge_duplicates: bool,
              threads: int) -> "Ledger":
        """opener(path, options, out, diags) -- kp_ledger_open_csv or kp_ledger_open."""
        opts = _load_options(lenient, fx, merge_duplicates, threads)
        if encoding is None:
            encoding = "auto"
        code = _ffi.ENCODINGS.get(encoding.lower()) if isinstance(encoding, str) else None
        if code is None:
            raise ValueError(f"encoding {encoding!r}: use 'auto' (or None), 'utf-8' or 'gb18030'")
        opts.encoding = code
        ledger, problems = _load(lambda out, diags: opener(cstr(path, "path"), _byref(opts), out, diags))
        return cls._from_handle(ledger, problems, Path(os.fsdecode(path)).resolve())

    @classmethod
    def from_columns(cls, projects, monthly=None, funding=None, plans=None, problems=None, baseline=None,
                     approvals=None, *,
                     lenient: bool = False, fx: Union[None, str, Mapping[str, Union[str, int, Decimal]]] = None,
                     merge_duplicates: bool = False, batch_rows: int = 65536, threads: int = 0) -> "Ledger":
        """Builds a ledger from data the program holds: each table (the files of a
        ledger folder: projects.csv, monthly.csv, ..., approvals.csv) as columns, named by their CSV
        headers ("code", "investment", or the Chinese "项目代码"): a mapping of column
        name to values -- lists, numpy arrays, pandas Series -- or a pandas DataFrame.

        Every cell is read by the CSV loader's rules, so the ledger (and its problems)
        are those of the same data written as CSV. A column that names no field (the
        sample's 项目联系人) is kept as an extra column, as a CSV file's is, so a
        DataFrame from pandas.read_csv or read_excel can be passed as it is. Values by type (keyproj/columns.py):
        str, Decimal and mixed lists are read as text, exactly; int and numpy int64 are
        whole numbers -- for an amount, 万元 -- unless given as a pair (values, scale):
        ({"investment": (np.array([12345678]), 4)} is 1234.5678 万元, i.e. in 元);
        float is read as its repr's digits (0.1 is 0.1), NaN is missing; bool, date
        and numpy datetime64 (days; other units converted) are typed columns; a
        datetime with a time of day or a timezone, a datetime.time and a pandas Period
        are read as the text a CSV file would hold ("2024-03-01 08:00:00", "2024-03":
        a month's Period is its month, the others are problems at their rows); None, a
        masked array's mask or pandas' NA is missing. numpy arrays of int64, int32,
        float64 and bool are read in place, without a copy, when C-contiguous in native
        byte order (else copied once); datetime64 is always converted to int32 days and
        str/bytes arrays copied once into NUL-terminated cells (both vectorised).

        Tables are passed in batches of batch_rows rows (a row's number in a problem
        counts across batches). lenient, fx and merge_duplicates: as from_csv. threads:
        0 (the default) reads a big batch on two threads on a machine of several cores,
        1 on this thread only, 2 or more on two; the ledger and its problems are the
        same either way.

        Raises LoadError (.problems: file such as "monthly.csv", line = the row's
        1-based number in its table, column = the column's 1-based position in its
        table, field and reason) when a strict build finds bad cells; KeyprojError
        (InvalidArgumentError) with the library's message for a table it cannot read
        (a required column missing, a type the field does not take); TypeError or
        ValueError for values no column type holds (naming table.column), and for a
        str holding a NUL character -- naming the row too.
        """
        if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
            raise ValueError(f"batch_rows {batch_rows!r}: must be a positive int")
        given = dict(projects=projects, monthly=monthly, funding=funding, plans=plans, problems=problems,
                     baseline=baseline, approvals=approvals)
        if projects is None:
            raise TypeError("from_columns: the projects table is required")
        # Converted before the builder exists: a Python-side error leaves nothing to free.
        tables = [(_ffi.TABLES[t], _columns.table_columns(t, v)) for t, v in given.items() if v is not None]
        opts = _load_options(lenient, fx, merge_duplicates, threads)
        builder = _ffi.kp_ledger_builder_p()
        lib.kp_ledger_builder_new(_byref(opts), _byref(builder))
        try:
            for table, cols in tables:
                rows = cols[0].rows if cols else 0
                batch = (_ffi.kp_column * max(len(cols), 1))()
                for start in range(0, max(rows, 1), batch_rows):
                    stop = min(start + batch_rows, rows)
                    hold = []  # what batch points into, alive until the call returns
                    for col, c in zip(batch, cols):
                        c.batch(col, start, stop, hold)
                    lib.kp_ledger_builder_add_columns(builder, table, stop - start, batch, len(cols))
            ledger, found = _load(lambda out, diags: lib.kp_ledger_builder_finish(builder, out, diags))
        finally:
            lib.kp_ledger_builder_free(builder)
        return cls._from_handle(ledger, found)

    @property
    def project_count(self) -> int:
        n = ctypes.c_size_t()
        with self._handle.use() as ptr:
            lib.kp_ledger_project_count(ptr, _byref(n))
        return n.value

    def report(self, *, as_of=None, filter: Optional[str] = None, group_by=None, indicators=None,
               custom: Optional[Mapping] = None, schedule: Optional[str] = None, targets=None,
               targets_group_by=None, scheme=None, scores_group_by=None, scope_name: Optional[str] = None,
               regions=None, stalled_months: Optional[int] = None, deadline_day: Optional[int] = None,
               behind_points=None, threads: Optional[int] = None, countdown_days: Optional[int] = None,
               signed_months: Optional[int] = None, land_start_days: Optional[int] = None,
               funnel: Optional[str] = None, subtotals: bool = True, baseline: bool = True) -> Report:
        """Computes a report (keyproj::MakeReport, the flow of `keyproj report`).

        as_of: "2024-09-30", "2024-09" (the month's end), a datetime.date, a
          datetime or pandas Timestamp at midnight without a timezone (any other is
          a ValueError: a date is expected), or a numpy datetime64 of a day or of a
          month (its end); default the end of the ledger's last month with figures.
        filter: the scope, "region=6104,category=industry|urban"; default all.
        group_by: one grouping ("county", or "category,county" for a cross table),
          or a list of them for several tables ([] for none, "" for the whole scope
          alone); default one table by category.
        indicators: ids, a list or "a,b,c"; default (None) the standard dashboard
          ([] or "" is a ValueError).
        custom: {id: expression}, {id: {"expression", "label", "unit"}} or
          {id: (expression, label, unit)}; each a column after the indicators
          unless `indicators` places it.
        schedule: "months", "days" or "curve:8,16,...,100".
        targets, scheme: TOML text, or a path (a path object, or a str with no
          newline and no '='); targets_group_by, scores_group_by: dimensions.
        scope_name: the scope in titles ("全市"). regions: a regions.csv or a folder
          holding one; default the ledger folder's regions.csv when there is one
          (as the CLI), False for none.
        stalled_months, deadline_day, threads: ints; behind_points: points below
          序时进度 (int, str or Decimal, hundredths at most). countdown_days
          (start_countdown's window, 30) and signed_months (signed_not_started, 6): ints.
        land_start_days: int, 0..366 (default 30): land_to_start_ytd (拿地即开工)
          counts a start at most this many days after the land item was done.
        funnel: the 招商 funnel (Report.funnel, a Table titled 招商引资项目推进情况):
          None for none, "" for the whole scope, "county" (dimensions) for a row per
          group and the whole scope last.
        subtotals: a table grouped by county whose counties lie in several cities
          prints each city's 小计 row after its counties (render "table", "csv",
          "md", write_xlsx; the rows read here and JSON are the counties alone);
          False for the counties alone (`keyproj report --no-subtotals`).
        baseline: 同比 against baseline.csv's bases where the ledger has them (True,
          the default); False against last year's figures of the ledger itself
          (`keyproj report --no-baseline`).

        Raises KeyprojError (InvalidArgumentError for a bad value, with the
        library's message naming it).
        """
        request = self._request(
            as_of=as_of, filter=filter, group_by=group_by, indicators=indicators, custom=custom,
            schedule=schedule, targets=targets, targets_group_by=targets_group_by, scheme=scheme,
            scores_group_by=scores_group_by, scope_name=scope_name, regions=regions,
            stalled_months=stalled_months, deadline_day=deadline_day, behind_points=behind_points,
            threads=threads, countdown_days=countdown_days, signed_months=signed_months,
            land_start_days=land_start_days, funnel=funnel, subtotals=subtotals, baseline=baseline)
        out = _ffi.kp_report_p()
        self._run(request, lambda ledger, req: lib.kp_report_make(ledger, req, _byref(out)))
        report = Report(out, funnel=funnel is not None)
        for note in report.notes:
            warnings.warn(note, ReportNote, stacklevel=2)
        return report

    def problem_list(self, *, as_of=None, filter: Optional[str] = None, group_by: str = "owner",
                 overdue: bool = False, format: str = "table", encoding: Optional[str] = None) -> Union[str, bytes]:
        """The problem list (问题清单, `keyproj problems`): the open problems of
        problems.csv at as_of (default the end of the ledger's last month) in the scope
        `filter`, grouped by group_by ("owner" 责任单位, "kind" or "project"), only the
        overdue ones with overdue=True, the most overdue first, as one document: format
        "table", "json", "csv", "md" or "text". With encoding=None a str; with "utf-8" or
        "gb18030" the bytes. Raises KeyprojError (a bad date, filter or group_by)."""
        from .report import _document_format, _document_text, _render_options  # one place for each
        code = _document_format(format, "problems")
        opts = _render_options("wan", encoding, None)
        request = make_request(as_of=as_of, filter=filter, group_by=[])
        buf = _ffi.kp_buffer()
        self._run(request, lambda ledger, req: lib.kp_ledger_render_problems(
            ledger, req, cstr(group_by, "group_by"), 1 if overdue else 0, code, ctypes.byref(opts), ctypes.byref(buf)))
        return _document_text(_ffi.take_buffer(buf), format, encoding)

    def __repr__(self) -> str:
        if self._handle.closed:
            return "<keyproj.Ledger (closed)>"
        where = "from columns" if self.path is None else repr(str(self.path))
        return f"<keyproj.Ledger {where}: {self.project_count} projects>"

    def _request(self, *, regions=None, **kwargs):
        """A kp_report_request from report()'s arguments; regions default to the ledger
        folder's regions.csv when there is one (as the CLI), False for none."""
        if regions is None and self.path is not None and (self.path / "regions.csv").is_file():
            regions = self.path
        return make_request(regions=regions, **kwargs)

    def partial(self, **kwargs) -> bytes:
        """This ledger's partial (a .kpp file's bytes) for a report asked with report()'s
        arguments: the exact aggregates of one shard, which keyproj.merge_partials adds
        up with other shards' into the report of their union (docs/scale-out.md). Give
        every shard the same arguments, as_of included. Raises InvalidArgumentError for
        what cannot be merged exactly (targets, scheme, a filter by project code)."""
        buf = _ffi.kp_buffer()
        self._run(self._request(**kwargs), lambda ledger, req: lib.kp_partial_make(ledger, req, _byref(buf)))
        return _ffi.take_buffer(buf)

    def _run(self, request, call) -> None:
        """call(ledger, request) on the handles; the request is closed afterwards."""
        try:
            with self._handle.use() as ledger, request.use() as req:
                call(ledger, req)
        finally:
            request.close()

    @classmethod
    def open(cls, path: Union[str, os.PathLike], *, encoding: Optional[str] = "auto", lenient: bool = False,
             fx: Union[None, str, Mapping[str, Union[str, int, Decimal]]] = None,
             merge_duplicates: bool = False, threads: int = 0) -> "Ledger":
        """Opens a ledger folder (as from_csv, its regions.csv read too), a
        workbook (.xlsx, a sheet per table: problems located as sheet!cell, the
        Problem's file the sheet, its line and column the cell's) or a
        snapshot file written by pack() or `keyproj pack` (mapped, not parsed: it
        opens in milliseconds; the load options applied when it was packed). The
        ledger keeps the region names that came with it for its reports.

        Raises as from_csv; a truncated, corrupted or crafted snapshot is a
        KeyprojError (status DATA_LOSS) naming the file, the section and the offset.
        """
        return cls._open(lib.kp_ledger_open, path, encoding, lenient, fx, merge_duplicates, threads)

    def pack(self, path: Union[str, os.PathLike]) -> None:
        """Writes this ledger (with the region names it came with) as a snapshot
        file at path, replaced atomically; Ledger.open(path) opens it again.
        Raises UnavailableError (an OSError) when it cannot be written."""
        with self._handle.use() as ptr:
            lib.kp_ledger_pack(ptr, cstr(path, "path"))
