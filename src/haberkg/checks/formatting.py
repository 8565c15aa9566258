"""The hand-edited Turtle files are laid out as ``haberkg fmt`` writes them."""

from __future__ import annotations

from pathlib import Path

from haberkg.errors import CheckFailed, display_path
from haberkg.sources.project import Project
from haberkg.sources.read import parse_file, read_text
from haberkg.sources.turtle_format import format_turtle


def unformatted(project: Project, paths: list[Path] | None = None) -> list[str]:
    """The files ``haberkg fmt`` would change (each parsed first, for its syntax errors)."""
    bad = []
    for path in paths or project.hand_edited_turtle:
        parse_file(path)
        text = read_text(path)
        if format_turtle(text, source=display_path(path)) != text:
            bad.append(display_path(path))
    return bad


def check_format(project: Project, paths: list[Path] | None = None) -> None:
    bad = unformatted(project, paths)
    if bad:
        raise CheckFailed("not formatted (run `haberkg fmt`): " + ", ".join(bad))
