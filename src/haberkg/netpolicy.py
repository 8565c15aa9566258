"""The one network policy of haberkg.

haberkg reaches the network only where the user names a URL on the command line
(``haberkg load --to URL``, ``--endpoint URL``), and only through :func:`client`: an
HTTP client with a time limit on every request, no redirects followed (a store that
redirects an upload elsewhere is reported, not obeyed), and proxy and certificate
settings taken from the command, never from environment variables such as
``HTTP_PROXY`` (``trust_env=False``). Everything else, the processes that evaluate
SPARQL and SHACL above all, runs confined by :mod:`haberkg.sandbox` with no network.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from haberkg import __version__
from haberkg.errors import InputError

DEFAULT_TIMEOUT = 60.0
USER_AGENT = f"haberkg/{__version__}"


def check_url(url: str) -> str:
    """An http(s) URL with a host, or a one-line error naming it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("not an http:// or https:// URL", path=url)
    return url


def client(timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """The HTTP client every outbound request goes through."""
    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                        trust_env=False, headers={"User-Agent": USER_AGENT})
