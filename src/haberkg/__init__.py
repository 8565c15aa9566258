"""haberkg: a Turkish news article as a grounded linked-data knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("haberkg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

