"""The indicator catalogue, for a host's menus and for checking ids."""

import ctypes
import functools
from typing import List, NamedTuple

from ._ffi import UNITS, cstr, lib, pystr


class Indicator(NamedTuple):
    """A catalogue indicator: id ("start_rate"), Chinese label, unit ("rate"),
    default display places and a one-line definition."""

    id: str
    label: str
    unit: str
    places: int
    definition: str


@functools.lru_cache(maxsize=None)  # the catalogue is static in the library
def _indicators() -> tuple:
    ident, label, definition = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
    unit, places = ctypes.c_int32(), ctypes.c_int32()
    out = []
    for i in range(lib.kp_catalogue_count()):
        lib.kp_catalogue_get(i, ctypes.byref(ident), ctypes.byref(label), ctypes.byref(unit), ctypes.byref(places),
                             ctypes.byref(definition))
        unit_name = UNITS[unit.value] if 0 <= unit.value < len(UNITS) else f"unit {unit.value}"
        out.append(Indicator(pystr(ident.value), pystr(label.value), unit_name, places.value,
                             pystr(definition.value)))
    return tuple(out)


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
