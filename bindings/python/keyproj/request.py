"""A report's request: the keyword arguments of Ledger.report as one kp_report_request."""

import ctypes
import datetime
import numbers
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Mapping, Optional, Sequence, Tuple, Union

from . import _ffi
from ._ffi import cstr, lib, opt_cstr
from .columns import not_a_date
from .errors import KeyprojError, error_class

GroupBy = Union[str, Sequence[Union[str, Sequence[str]]]]


def _ids(value, what: str) -> str:
    if isinstance(value, str):
        return value
    if not hasattr(value, "__iter__"):
        raise TypeError(f"{what}: expected a str or a list of str, got {type(value).__name__}")
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{what}: expected str items, got {type(item).__name__}")
    return ",".join(items)


def _toml(value, what: str) -> Tuple[bytes, Optional[str]]:
    """TOML text, or the bytes of the file it names: a path object, or a str with
    neither a newline nor '=' (which every TOML document has)."""
    if isinstance(value, os.PathLike) or (isinstance(value, str) and "\n" not in value and "=" not in value):
        path = Path(value)
        return path.read_bytes(), str(path)  # OSError names the path
    return cstr(value, what), None


def _schedule(value):
    """schedule= as kp_report_request_set_schedule reads it: "curve:FILE" (as the CLI's
    --schedule takes it: a file of 12 cumulative percents, by commas, spaces or lines)
    becomes "curve:" and the file's text; "curve:8,16,...", "months" and "days" pass."""
    if isinstance(value, str) and value.startswith("curve:"):
        spec = value[len("curve:"):]
        if "," not in spec and spec.strip() and not spec.replace(".", "").split()[0].isdigit():
            return "curve:" + Path(spec).read_text(encoding="utf-8-sig")  # OSError names the path
    return value


def _from_file(error: KeyprojError, path: str) -> KeyprojError:
    """The same error, its message also naming the file the text came from."""
    return error_class(error.status)(error.function, error.status, error.status_name, f"{path}: {error.message}")


def _centipoints(points) -> int:
    if isinstance(points, float):
        raise TypeError("behind_points: give an int, a str or a Decimal (a binary float is not exact)")
    if isinstance(points, bool) or not isinstance(points, (numbers.Integral, str, Decimal)):
        raise TypeError(f"behind_points: expected an int, a str or a Decimal, got {type(points).__name__}")
    try:
        d = Decimal(points if isinstance(points, (str, Decimal)) else int(points)) * 100
    except InvalidOperation:
        raise ValueError(f"behind_points {points!r}: not a number (points, as 5 or '2.5')") from None
    if not d.is_finite():
        raise ValueError(f"behind_points {points!r}: not a number (points, as 5 or '2.5')")
    if d != d.to_integral_value():
        raise ValueError(f"behind_points {points}: at most two decimals (hundredths of a point)")
    return int(d)


_DATE_EXPECTED = "a date is expected (a datetime.date, '2024-09-30', or '2024-09' for the month's end)"


def _as_of(value) -> bytes:
    """as_of as the text kp_report_request_set_as_of reads: a str as given; a date
    (datetime.date, a datetime or pandas Timestamp at midnight without a timezone,
    a numpy datetime64 of a whole day) as YYYY-MM-DD; a numpy datetime64 of month
    precision as YYYY-MM, the month's end (as the str "2024-09")."""
    if isinstance(value, (str, bytes)):
        return cstr(value, "as_of")
    np = sys.modules.get("numpy")  # never imported here: only a caller's numpy value is one
    if np is not None and isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError(f"as_of: NaT is not a date; {_DATE_EXPECTED}")
        unit = np.datetime_data(value.dtype)[0]
        if unit == "M":
            return str(value).encode("ascii")  # "2024-09": the month's end
        if unit in ("Y", "W"):
            raise ValueError(f"as_of {value!r}: a datetime64 of day or month precision is expected, not {unit}")
        day = value.astype("datetime64[D]")
        if day != value:
            raise ValueError(f"as_of: {value!r} is not a whole day; {_DATE_EXPECTED}")
        return str(day).encode("ascii")
    if type(value).__name__ == "NaTType":  # pandas.NaT, a datetime subclass
        raise ValueError(f"as_of: NaT is not a date; {_DATE_EXPECTED}")
    if isinstance(value, datetime.datetime):  # and pandas.Timestamp
        problem = not_a_date(value)
        if problem:
            raise ValueError(f"as_of: {value!r} {problem}; {_DATE_EXPECTED}")
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat().encode("ascii")
    raise TypeError(f"as_of: expected a str, a datetime.date, a pandas Timestamp or a numpy datetime64; "
                    f"got {type(value).__name__}")


def _custom(cid, spec) -> tuple:
    """(expression, label, unit) of one custom indicator."""
    if isinstance(spec, str):
        return spec, None, None
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"expression", "label", "unit"}
        if "expression" not in spec or unknown:
            raise ValueError(f"custom {cid}: a mapping needs 'expression' and may have 'label' and 'unit'"
                             + (f" (not {', '.join(map(repr, sorted(map(str, unknown))))})" if unknown else ""))
        return spec["expression"], spec.get("label"), spec.get("unit")
    if isinstance(spec, (tuple, list)) and 1 <= len(spec) <= 3:
        return (tuple(spec) + (None, None))[:3]
    raise TypeError(f"custom {cid}: expected an expression (str), a mapping {{'expression', 'label', 'unit'}} "
                    f"or a tuple (expression, label, unit); got {type(spec).__name__}")


def make_request(*, as_of=None, filter: Optional[str] = None, group_by: Optional[GroupBy] = None,
                 indicators=None, custom: Optional[Mapping] = None, schedule: Optional[str] = None,
                 targets=None, targets_group_by=None, scheme=None, scores_group_by=None,
                 scope_name: Optional[str] = None, regions=None, stalled_months: Optional[int] = None,
                 deadline_day: Optional[int] = None, behind_points=None,
                 threads: Optional[int] = None, countdown_days: Optional[int] = None,
                 signed_months: Optional[int] = None, land_start_days: Optional[int] = None,
                 funnel: Optional[str] = None, subtotals: bool = True,
                 baseline: bool = True) -> "_ffi.Handle":
    """A kp_report_request (as a Handle) holding the arguments; see Ledger.report."""
    ptr = _ffi.kp_report_request_p()
    lib.kp_report_request_new(ctypes.byref(ptr))
    handle = _ffi.Handle(ptr, lib.kp_report_request_free, "report request")
    try:
        _fill(ptr, as_of, filter, group_by, indicators, custom, schedule, targets, targets_group_by, scheme,
              scores_group_by, scope_name, regions, stalled_months, deadline_day, behind_points, threads,
              countdown_days, signed_months, land_start_days)
        if funnel is not None:
            lib.kp_report_request_set_funnel(ptr, cstr(_ids(funnel, "funnel"), "funnel"))
        if not subtotals:
            lib.kp_report_request_set_subtotals(ptr, 0)
        if not baseline:
            lib.kp_report_request_set_baseline(ptr, 0)
    except BaseException:
        handle.close()
        raise
    return handle


def _fill(r, as_of, filter, group_by, indicators, custom, schedule, targets, targets_group_by, scheme,
          scores_group_by, scope_name, regions, stalled_months, deadline_day, behind_points, threads,
          countdown_days, signed_months, land_start_days):
    # Order matters: custom indicators before the targets and scheme that name them,
    # and the indicators last, as they may name any of those.
    for name, value in (("stalled_months", stalled_months), ("deadline_day", deadline_day), ("threads", threads),
                        ("countdown_days", countdown_days), ("signed_months", signed_months),
                        ("land_start_days", land_start_days)):
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{name}: expected int, got {type(value).__name__}")
            lib.kp_report_request_set_threshold(r, _ffi.THRESHOLDS[name], value)
    if behind_points is not None:
        lib.kp_report_request_set_threshold(r, _ffi.THRESHOLDS["behind_centipoints"], _centipoints(behind_points))
    if as_of is not None:
        lib.kp_report_request_set_as_of(r, _as_of(as_of))
    if filter is not None:
        lib.kp_report_request_set_filter(r, cstr(filter, "filter"))
    if group_by is not None:
        groupings = [group_by] if isinstance(group_by, str) else list(group_by)
        if not groupings:
            lib.kp_report_request_clear_groupings(r)
        for g in groupings:
            lib.kp_report_request_add_grouping(r, cstr(_ids(g, "group_by"), "group_by"))
    if scope_name is not None:
        lib.kp_report_request_set_scope_name(r, cstr(scope_name, "scope_name"))
    if regions is False:  # no names: groups labelled with their codes
        lib.kp_report_request_set_regions_from_csv(r, b"")
    elif regions is not None:
        lib.kp_report_request_set_regions_from_csv(r, cstr(regions, "regions"))
    if schedule is not None:
        lib.kp_report_request_set_schedule(r, cstr(_schedule(schedule), "schedule"))
    if custom is not None and not isinstance(custom, Mapping):
        raise TypeError(f"custom: expected a mapping {{id: expression}}, got {type(custom).__name__}")
    for cid, spec in (custom or {}).items():
        expression, label, unit = _custom(cid, spec)
        lib.kp_report_request_add_custom_indicator(r, cstr(cid, "custom id"), cstr(expression, f"custom {cid}"),
                                                   opt_cstr(label, f"custom {cid} label"),
                                                   opt_cstr(unit, f"custom {cid} unit"))
    for value, setter, what in ((targets, lib.kp_report_request_set_targets_toml, "targets"),
                                (scheme, lib.kp_report_request_set_scheme_toml, "scheme")):
        if value is None:
            continue
        text, path = _toml(value, what)
        try:
            setter(r, text)
        except KeyprojError as e:
            if path is None:
                raise
            raise _from_file(e, path) from None
    if targets_group_by is not None:
        lib.kp_report_request_set_targets_group_by(r, cstr(_ids(targets_group_by, "targets_group_by"), "targets_group_by"))
    if scores_group_by is not None:
        lib.kp_report_request_set_scores_group_by(r, cstr(_ids(scores_group_by, "scores_group_by"), "scores_group_by"))
    if indicators is not None:
        ids = _ids(indicators, "indicators")
        if not ids.replace(",", "").strip():  # the library would read "" as the standard dashboard
            raise ValueError(f"indicators {indicators!r}: empty: pass None for the standard dashboard")
        lib.kp_report_request_set_indicators(r, cstr(ids, "indicators"))
