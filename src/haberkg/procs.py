"""Child processes that die with their parent.

haberkg starts two kinds of long-lived children: the HermiT JVM (through owlready2)
and the query workers of ``haberkg serve``. If haberkg itself is killed (``kill -9``,
the OOM killer, a CI timeout) they must not run on, orphaned. :func:`die_with_parent`
asks Linux to send the calling process SIGKILL when its parent dies
(``PR_SET_PDEATHSIG``, kept across ``exec``) and closes the race the man page warns
of (the parent dying before the call). Elsewhere it does nothing.

``python -m haberkg.procs JAVA PARENT_PID ARGS...`` starts ``JAVA ARGS...`` that way:
owlready2 is given a two-line script that runs it as its Java executable.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> bool:
    """Be killed when ``parent`` dies; False if this platform cannot do it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(137)
    return True


def main() -> None:
    java, parent = sys.argv[1], int(sys.argv[2])
    die_with_parent(parent)
    os.execvp(java, [java, *sys.argv[3:]])


if __name__ == "__main__":
    main()
