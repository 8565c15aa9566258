"""Errors a user can act on, each with its exit code, and how places are shown.

Exit codes (documented in the README and in ``haberkg --help``), as pySHACL uses them:

* 0: success; the data conforms.
* 1: the input is well-formed but fails a check (SHACL, grounding, queries, format).
* 2: bad input: syntax, encoding, a missing or unreadable file, a query that does not
  parse or that would leave the process, unusable shapes, a limit exceeded.
* 3: an internal error (a bug in haberkg or in a library it uses, or a crashed
  reasoner); ``--debug`` or ``HABERKG_DEBUG=1`` prints the traceback.
"""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path) -> str:
    """A path as shown to users: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the cwd, or a symlink loop
        return str(path)


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a code-point index of ``text``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3


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
    """Bad input: a file that cannot be read, decoded or parsed, or a bad option."""


class LimitExceeded(InputError):
    """Input over one of haberkg's limits (bytes, nesting depth, entity expansion)."""


QUERY_REFUSALS = ("size", "escape", "syntax", "depth", "network", "update", "dataset")


class QueryRefused(InputError):
    """A SPARQL query that does not parse, or that would leave the process.

    ``kind`` says why: ``size``, ``escape``, ``syntax``, ``depth``, ``network``,
    ``update`` or ``dataset``.
    """

    def __init__(self, kind: str, message: str, line: int | None = None,
                 column: int | None = None, *, path: str | None = None) -> None:
        if kind not in QUERY_REFUSALS:
            raise ValueError(f"unknown refusal kind {kind!r}")
        super().__init__(" ".join(message.split()), path=path, line=line, column=column)
        self.kind = kind

    def __reduce__(self) -> tuple[object, ...]:
        # a refusal survives pickling (from a query worker to the server)
        return (_refused, (self.kind, self.message, self.line, self.column, self.path))


class ShapesError(InputError):
    """A shapes graph that SHACL (or pySHACL) cannot use."""


class CheckFailed(HaberkgError):
    """Well-formed input that fails a check (grounding, queries, format)."""

    exit_code = EXIT_VIOLATIONS


class InternalError(HaberkgError):
    """Something haberkg or a tool it drives got wrong; not the user's input."""

    exit_code = EXIT_INTERNAL


def _refused(kind: str, message: str, line: int | None, column: int | None,
             path: str | None) -> QueryRefused:
    return QueryRefused(kind, message, line, column, path=path)
