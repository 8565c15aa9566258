"""Defect: the access log had client, request, status, size and time, but not the referrer
and user agent a publisher reads logs for (the combined log format has both). Each line
now ends with them, quoted."""

from __future__ import annotations

import logging

import pytest
from starlette.testclient import TestClient


def test_access_log_lacked_referrer_and_user_agent(site: TestClient,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="haberkg.access"):
        site.get("/robots.txt", headers={"User-Agent": 'bot "x"', "Referer": "https://a.test/"})
    lines = [r.getMessage() for r in caplog.records if "/robots.txt" in r.getMessage()]
    assert lines and lines[0].endswith('"https://a.test/" "bot \\"x\\""')
