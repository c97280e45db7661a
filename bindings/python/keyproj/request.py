"""A report's request: the keyword arguments of Ledger.report as one kp_report_request."""

import ctypes
import datetime
import os
from decimal import Decimal
from pathlib import Path
from typing import Mapping, Optional, Sequence, Tuple, Union

from . import _ffi
from ._ffi import cstr, lib, opt_cstr
from .errors import KeyprojError, error_class

GroupBy = Union[str, Sequence[Union[str, Sequence[str]]]]


def _ids(value, what: str) -> str:
    if isinstance(value, str):
        return value
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


def _from_file(error: KeyprojError, path: str) -> KeyprojError:
    """The same error, its message also naming the file the text came from."""
    return error_class(error.status)(error.function, error.status, error.status_name, f"{path}: {error.message}")


def _centipoints(points) -> int:
    if isinstance(points, float):
        raise TypeError("behind_points: give an int, a str or a Decimal (a binary float is not exact)")
    d = Decimal(str(points)) * 100
    if d != d.to_integral_value():
        raise ValueError(f"behind_points {points}: at most two decimals (hundredths of a point)")
    return int(d)


def make_request(*, as_of=None, filter: Optional[str] = None, group_by: Optional[GroupBy] = None,
                 indicators=None, custom: Optional[Mapping] = None, schedule: Optional[str] = None,
                 targets=None, targets_group_by=None, scheme=None, scores_group_by=None,
                 scope_name: Optional[str] = None, regions=None, stalled_months: Optional[int] = None,
                 deadline_day: Optional[int] = None, behind_points=None,
                 threads: Optional[int] = None, countdown_days: Optional[int] = None,
                 signed_months: Optional[int] = None, land_start_days: Optional[int] = None,
                 funnel: Optional[str] = None, subtotals: bool = True) -> "_ffi.Handle":
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
        if isinstance(as_of, datetime.datetime):
            as_of = as_of.date()
        if isinstance(as_of, datetime.date):
            as_of = as_of.isoformat()
        lib.kp_report_request_set_as_of(r, cstr(as_of, "as_of"))
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
    if regions is not None:
        lib.kp_report_request_set_regions_from_csv(r, cstr(regions, "regions"))
    if schedule is not None:
        lib.kp_report_request_set_schedule(r, cstr(schedule, "schedule"))
    for cid, spec in (custom or {}).items():
        label = unit = None
        if isinstance(spec, str):
            expression = spec
        elif isinstance(spec, Mapping):
            expression, label, unit = spec["expression"], spec.get("label"), spec.get("unit")
        else:
            expression, label, unit = (tuple(spec) + (None, None))[:3]
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
        lib.kp_report_request_set_indicators(r, cstr(_ids(indicators, "indicators"), "indicators"))
