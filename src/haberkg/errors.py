"""Errors a user can act on, each with its exit code.

Exit codes (documented in the README and in ``haberkg --help``):

* 0: success; the data conforms.
* 1: the input is well-formed but violates a check (SHACL, grounding, queries, format).
* 2: bad input (syntax, encoding, missing file, bad query) or an internal error.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2


class HaberkgError(Exception):
    """An error reported to the user as one line, with a location when there is one."""

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def located(self) -> str:
        """``file:line:column: message`` (the parts that are known)."""
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.message}"

    def __str__(self) -> str:
        return self.located()


class InputError(HaberkgError):
    """Bad input: a file that cannot be read, decoded or parsed."""


class CheckFailed(HaberkgError):
    """Well-formed input that fails a check (grounding, queries, format)."""

    exit_code = EXIT_VIOLATIONS
