"""The indicator catalogue, the group-by dimensions and the ledger tables' columns,
for a host's menus and for checking ids."""

import ctypes
import functools
from typing import List, NamedTuple

from ._ffi import TABLES, UNITS, cstr, lib, pystr


class Indicator(NamedTuple):
    """A catalogue indicator: id ("start_rate"), Chinese label, unit ("rate"),
    default display places, a one-line definition, whether its groups add up to the
    whole scope (additive: counts and sums, not rates), whether its cells list the
    projects behind them (lists_projects: Row.projects) and whether the standard
    dashboard shows it (dashboard)."""

    id: str
    label: str
    unit: str
    places: int
    definition: str
    additive: bool = False
    lists_projects: bool = False
    dashboard: bool = False


@functools.lru_cache(maxsize=None)  # the catalogue is static in the library
def _indicators() -> tuple:
    ident, label, definition = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
    unit, places, flags = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
    dashboard = set(standard_dashboard())
    out = []
    for i in range(lib.kp_catalogue_count()):
        lib.kp_catalogue_get(i, ctypes.byref(ident), ctypes.byref(label), ctypes.byref(unit), ctypes.byref(places),
                             ctypes.byref(definition))
        lib.kp_catalogue_flags(i, ctypes.byref(flags))
        unit_name = UNITS[unit.value] if 0 <= unit.value < len(UNITS) else f"unit {unit.value}"
        ident_text = pystr(ident.value)
        out.append(Indicator(ident_text, pystr(label.value), unit_name, places.value, pystr(definition.value),
                             additive=bool(flags.value & INDICATOR_ADDITIVE),
                             lists_projects=bool(flags.value & INDICATOR_LISTS_PROJECTS),
                             dashboard=ident_text in dashboard))
    return tuple(out)


INDICATOR_ADDITIVE = 1        # KP_INDICATOR_ADDITIVE
INDICATOR_LISTS_PROJECTS = 2  # KP_INDICATOR_LISTS_PROJECTS


def indicators() -> List[Indicator]:
    """Every catalogue indicator, in the catalogue's order."""
    return list(_indicators())


def standard_dashboard() -> List[str]:
    """The ids of the standard dashboard (a report's default indicators), in column order."""
    ident = ctypes.c_char_p()
    out = []
    for i in range(lib.kp_standard_dashboard_count()):
        lib.kp_standard_dashboard_get(i, ctypes.byref(ident))
        out.append(pystr(ident.value))
    return out


def template_text(name: str) -> str:
    """The text of a built-in report template, for Report.render("text", template=...)
    and Report.dossiers(template=...): "monthly" (the default monthly report),
    "quarter" (the quarter bulletin, 季通报) or "leader" (the leader dossier, 包抓领导专报).
    Raises NotFoundError for another name."""
    text = ctypes.c_char_p()
    lib.kp_template_text(cstr(name, "name"), ctypes.byref(text))
    return pystr(text.value)


class Dimension(NamedTuple):
    """A group-by dimension: id ("county", what Ledger.report's group_by takes and
    Table.group_by gives) and Chinese label ("县区")."""

    id: str
    label: str


def dimensions() -> List[Dimension]:
    """Every group-by dimension, in the library's order."""
    ident, label = ctypes.c_char_p(), ctypes.c_char_p()
    out = []
    for i in range(lib.kp_dimension_count()):
        lib.kp_dimension_get(i, ctypes.byref(ident), ctypes.byref(label))
        out.append(Dimension(pystr(ident.value), pystr(label.value)))
    return out


class LedgerColumn(NamedTuple):
    """A column of a ledger table: the header from_csv and from_columns match -- id
    ("total_investment") or Chinese ("总投资（万元）") --, the other headers they accept
    and whether the table must have it. Any other column is kept as an extra."""

    id: str
    chinese: str
    aliases: tuple
    required: bool


def ledger_columns(table: str) -> List[LedgerColumn]:
    """The columns of a ledger table ("projects", "monthly", "funding", "plans",
    "problems", "baseline", "approvals": Ledger.from_columns' keywords), in
    ledger-format.md's order. Raises ValueError for another table name."""
    if table not in TABLES:
        raise ValueError(f"table {table!r}: expected one of {', '.join(TABLES)}")
    n = ctypes.c_size_t()
    lib.kp_table_column_count(TABLES[table], ctypes.byref(n))
    ident, chinese, aliases, required = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_int32()
    out = []
    for i in range(n.value):
        lib.kp_table_column_get(TABLES[table], i, ctypes.byref(ident), ctypes.byref(chinese), ctypes.byref(aliases),
                                ctypes.byref(required))
        text = pystr(aliases.value)
        out.append(LedgerColumn(pystr(ident.value), pystr(chinese.value), tuple(text.split("|")) if text else (),
                                bool(required.value)))
    return out
