"""Defect: bench/run.py hid the work folder with ``--work \\S+``; given last on the command
line, the folder was followed by the JSON string's closing quote, which went with it, and
the results file no longer parsed (the report failed after a whole run); on the page the
closing backtick went the same way."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

from ..conftest import ROOT


def _bench_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    return run


def test_a_work_folder_given_last_broke_the_results_file() -> None:
    run = _bench_run()
    text = json.dumps({"command": "python bench/run.py --work /srv/bench/w2",
                       "file": "/srv/bench/w2/n1/plain.nt"})
    assert json.loads(run.scrub(text)) == {"command": "python bench/run.py --work DIR",
                                           "file": "plain.nt"}
    # the page quotes the command between backticks
    assert run.scrub("* `python bench/run.py --work /srv/w2`: started") == \
        "* `python bench/run.py --work DIR`: started"


def test_an_empty_argument_vanished_from_the_recorded_command() -> None:
    """``--article-sizes ''`` was recorded as ``--article-sizes`` (not typeable again)."""
    run = _bench_run()
    shown = run.shown_command(["--article-sizes", "", "--validate-tools", "haberkg,Jena SHACL"])
    assert shown == "python bench/run.py --article-sizes '' --validate-tools 'haberkg,Jena SHACL'"
