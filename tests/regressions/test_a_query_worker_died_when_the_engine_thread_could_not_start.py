"""Defect: under load, a query worker of `haberkg serve` died while answering ("can't start
new thread"): the 1 GiB stack of the previous engine thread was still mapped for a moment
after it was joined, and a second one did not fit under the worker's memory cap, so the
client got 503 instead of its answer. Starting the engine thread is now tried again for a
short while; a lasting refusal still fails."""

from __future__ import annotations

import threading

import pytest

from haberkg.sparql import run


def _refuse(times: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = threading.Thread.start

    def start(self: threading.Thread) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise RuntimeError("can't start new thread")
        real(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    return calls


def test_a_refused_start_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _refuse(3, monkeypatch)
    assert run.deep_stack(lambda: 6 * 7) == 42
    assert len(calls) == 4


def test_a_lasting_refusal_still_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse(10**9, monkeypatch)
    monkeypatch.setattr(run, "START_PATIENCE", 0.05)
    with pytest.raises(RuntimeError, match="can't start new thread"):
        run.deep_stack(lambda: 1)
