"""Load a large release with Virtuoso's bulk loader, then verify it like any upload.

A Graph Store ``PUT`` makes Virtuoso parse the whole file inside one HTTP request and one
transaction; its bulk loader reads the file from the server's own disk without a
transaction log (the figures are in docs/triplestores.md). ``haberkg load --bulk-dir DIR``:

1. copies ``dist/haberkg.nt`` into ``DIR``, a folder the server may read (one of its
   ``DirsAllowed``; for a server on another machine, a shared folder at the same path),
   under a name of its own (written under a temporary name, then renamed);
2. through Virtuoso's ``isql`` client: clears the graph, registers the file
   (``ld_dir``), runs ``rdf_loader_run()`` and ``checkpoint``, and reads the file's row
   of ``DB.DBA.load_list`` for an error;
3. removes the copy, then reads the graph back through the Graph Store endpoint and
   compares it with the release, as the plain upload does.

Unlike the one ``PUT``, this is not atomic: the graph is empty, then partly loaded,
between the clear and the end of the load. ``isql`` takes the password on its command
line, where other users of the machine can read it in the process list: where that
matters, use the Graph Store upload.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from haberkg.errors import CheckFailed, InputError
from haberkg.store.gsp import LoadResult, public, read_back, target

# an IRI that can stand between < > in SPARQL and between ' ' in SQL as it is
SAFE_GRAPH = re.compile(r"[^\x00-\x20<>\"{}|^`\\']+")
ISQL_HINT = ("install Virtuoso's isql (Debian/Ubuntu: apt-get install "
             "virtuoso-opensource-7-bin, whose client is isql-vt) or give --isql-command")


def _sql(text: str) -> str:
    return text.replace("'", "''")


def _isql(command: str, address: str, auth: tuple[str, str], sql: str, timeout: float
          ) -> str:
    """Run SQL through isql (tied to this process: it dies if haberkg is killed)."""
    argv = [sys.executable, "-m", "haberkg.procs", command, str(os.getpid()), address,
            auth[0], auth[1], "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", f"exec={sql}"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise InputError(f"isql did not finish within {timeout:g} s; the graph may be partly "
                         "loaded: run `haberkg load` again", path=address) from None
    output = done.stdout + done.stderr
    error = next((line.strip() for line in output.splitlines() if "*** Error" in line), None)
    if error is not None or done.returncode != 0:
        shown = (error or output.strip().splitlines()[-1:] or ["no output"])[0]
        raise InputError(f"Virtuoso refused: {shown.replace(auth[1], '***')}", path=address)
    return output


def bulk_load(release: Path, store: str, graph: str, auth: tuple[str, str] | None,
              folder: Path, isql_address: str, isql_command: str = "isql-vt",
              timeout: float = 3600.0) -> LoadResult:
    """Bulk-load the release into ``graph`` and compare what the store then holds."""
    from haberkg.release.reader import RELEASE_READ
    from haberkg.sources.read import parse_file

    if not release.is_file():
        raise InputError("no release here: run `haberkg build` first", path=str(release))
    if auth is None:
        raise InputError("the bulk loader needs Virtuoso's SQL credentials: give --user or "
                         "--auth-env")
    if not SAFE_GRAPH.fullmatch(graph):
        raise InputError("the bulk loader takes a graph IRI without spaces, quotes or "
                         "<>\"{}|^`\\ characters", path=graph)
    if shutil.which(isql_command) is None:
        raise InputError(f"no {isql_command} on PATH: {ISQL_HINT}")
    folder = folder.absolute()
    if not folder.is_dir():
        raise InputError("no such folder (give one of the server's DirsAllowed)",
                         path=str(folder))
    expected = {q.triple for q in parse_file(release, RELEASE_READ)}
    with release.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()[:16]
    name = f"haberkg-{digest}.nt"
    copy, part = folder / name, folder / f".{name}.part"
    start = time.perf_counter()
    try:
        try:
            shutil.copyfile(release, part)
            os.replace(part, copy)
        except OSError as exc:
            raise InputError(f"cannot copy the release there: {exc.strerror or exc}",
                             path=str(folder)) from None
        path = _sql(str(folder / name))
        _isql(isql_command, isql_address, auth,
              f"SPARQL CLEAR GRAPH <{graph}>; "
              f"DELETE FROM DB.DBA.load_list WHERE ll_file = '{path}'; "
              f"ld_dir('{_sql(str(folder))}', '{_sql(name)}', '{graph}'); "
              "rdf_loader_run(); checkpoint;", timeout)
        errors = _isql(isql_command, isql_address, auth,
                       "SELECT ll_error FROM DB.DBA.load_list "
                       f"WHERE ll_file = '{path}' AND ll_error IS NOT NULL;", timeout)
        registered = _isql(isql_command, isql_address, auth,
                           f"SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_file = '{path}';",
                           timeout)
    finally:
        part.unlink(missing_ok=True)
        copy.unlink(missing_ok=True)
    if errors.strip():  # VERBOSE=OFF: the rows alone, nothing when there is none
        raise CheckFailed("Virtuoso's bulk loader failed on the release: "
                          + " ".join(errors.split())[:300], path=isql_address)
    if registered.split() != ["1"]:
        raise InputError("Virtuoso did not register the file: is the folder one of its "
                         "DirsAllowed, and the same path on the server?", path=str(folder))
    elapsed = time.perf_counter() - start
    found = read_back(store, graph, auth, expected)
    return LoadResult(public(target(store, graph)), graph, len(expected), found, elapsed)
