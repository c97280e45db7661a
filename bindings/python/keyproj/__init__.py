"""keyproj: the key-project ledger engine (重点项目台账) from Python.

A pure-Python package over libkeyproj.so.1 (the C ABI, capi/keyproj.h) through
ctypes: standard library only, any CPython 3.8+, no compiler.

    import keyproj
    with keyproj.Ledger.from_csv("examples/data") as ledger:
        report = ledger.report(as_of="2024-09", group_by="county",
                               indicators=["projects", "start_rate", "investment_ytd"])
        for row in report.tables[0]:
            print(row.group, row["investment_ytd"])     # Decimal, 万元, exact
        df = report.tables[0].to_pandas()                # needs pandas
    # or from data in memory: lists, numpy arrays, DataFrames (Ledger.from_columns)
    ledger = keyproj.Ledger.from_columns({"code": codes, "name": names}, monthly=monthly_df)

Where the library is found, in order: $KEYPROJ_LIBRARY; libkeyproj.so.1 beside
this package; in a checkout, build/dev/capi and build/release/capi; the system
loader. Importing checks that its ABI is the one this package was written for.
"""

from ._ffi import library_path, library_version
from ._version import ABI_VERSION, __version__
from .catalogue import (Dimension, Indicator, LedgerColumn, dimensions, indicators, ledger_columns,
                        standard_dashboard, template_text)
from .errors import (InvalidArgumentError, KeyprojError, LoadError, NotFoundError, OutOfRangeError,
                     PermissionDeniedError, Problem, ReportNote, UnavailableError)
from .ledger import Ledger
from .partial import combine_partials, merge_partials
from .report import Column, Project, Report, Row, Table

__all__ = [
    "ABI_VERSION", "Column", "Dimension", "Indicator", "InvalidArgumentError", "KeyprojError", "Ledger",
    "LedgerColumn", "LoadError", "NotFoundError", "OutOfRangeError", "PermissionDeniedError", "Problem", "Project",
    "Report", "ReportNote", "Row", "Table", "UnavailableError", "__version__", "dimensions", "indicators",
    "ledger_columns", "library_path", "library_version", "standard_dashboard", "template_text", "merge_partials",
    "combine_partials",
]
