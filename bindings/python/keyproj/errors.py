"""Exceptions raised by keyproj: a failed C call, and a ledger that did not load."""

from typing import NamedTuple, Sequence


class KeyprojError(Exception):
    """A kp_* call returned a status other than KP_OK.

    .status is the kp_status code (an absl::StatusCode, or keyproj's own from 1000
    up), .status_name its name ("INVALID_ARGUMENT"), .message the library's message
    (kp_last_error_message, read on the calling thread right after the call), and
    .function the C function that failed.
    """

    def __init__(self, function: str, status: int, status_name: str, message: str):
        self.function = function
        self.status = status
        self.status_name = status_name
        self.message = message
        super().__init__(f"{function}: {status_name}: {message}" if message else f"{function}: {status_name}")

    def __reduce__(self):
        # Pickled by its constructor's arguments (and any attribute set since), so it
        # crosses processes (multiprocessing, concurrent.futures, dask) whole: the
        # default would call __init__ with the one formatted message.
        return type(self), (self.function, self.status, self.status_name, self.message), dict(self.__dict__)


class InvalidArgumentError(KeyprojError, ValueError):
    """KP_INVALID_ARGUMENT: a value the library does not accept (named in the message)."""


class NotFoundError(KeyprojError, LookupError, FileNotFoundError):
    """KP_NOT_FOUND: a folder or file that is not there -- so also a FileNotFoundError
    (an OSError), as Python's own open raises; .errno and .filename are None, the
    message names the path -- or a built-in template name that is not one."""


class OutOfRangeError(KeyprojError, IndexError):
    """KP_OUT_OF_RANGE: an index past its bound, or a value too large for its type."""


class PermissionDeniedError(KeyprojError, PermissionError):
    """KP_PERMISSION_DENIED: a file the library may not read or replace (an OSError,
    as PermissionError; .errno and .filename are None, the message names the path)."""


class UnavailableError(KeyprojError, OSError):
    """KP_UNAVAILABLE: a file that could not be read or written -- a missing folder
    to write into, a full disk (an OSError; .errno and .filename are None, the
    message names the path and the system's reason)."""


class ReportNote(UserWarning):
    """Warned by Ledger.report for each of Report.notes: something a reader should know
    before taking the figures for reported ones -- the report date is past the
    ledger's last month with figures (those months count as no investment) or before
    its first, or few projects reach the default date's month, or a filter value no
    project of the ledger has (region=610499, leader=张山). The report is made all
    the same; `warnings.simplefilter("error", keyproj.ReportNote)` makes them errors."""


class Problem(NamedTuple):
    """One problem a load found: file ("monthly.csv"), 1-based line (0: the whole
    file), 1-based column (0: the whole row), reason, the column's header (may be
    "") and the whole text ("monthly.csv:17:3: investment: ...")."""

    file: str
    line: int
    column: int
    reason: str
    field: str = ""
    text: str = ""

    def __str__(self) -> str:
        return self.text or f"{self.file}:{self.line}:{self.column}: {self.reason}"


class LoadError(InvalidArgumentError):
    """A strict load refused the ledger: .problems lists every problem found."""

    def __init__(self, function: str, status: int, status_name: str, message: str, problems: Sequence[Problem]):
        super().__init__(function, status, status_name, message)
        self.problems = list(problems)

    def __reduce__(self):
        return (type(self), (self.function, self.status, self.status_name, self.message, self.problems),
                dict(self.__dict__))

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"  {p}" for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"  ... and {len(self.problems) - 20} more")
        return "\n".join(lines)


# The exception class of each status code; KeyprojError for any other (callers must
# accept codes they do not know).
_BY_STATUS = {3: InvalidArgumentError, 5: NotFoundError, 7: PermissionDeniedError, 11: OutOfRangeError,
              14: UnavailableError}


def error_class(status: int) -> type:
    return _BY_STATUS.get(status, KeyprojError)
