"""haberkg: a Turkish news article as a grounded linked-data knowledge graph."""

# The one place the version is written (pyproject.toml reads it from here, so that the CLI
# does not pay for importlib.metadata at start-up).
__version__ = "0.1.0"
