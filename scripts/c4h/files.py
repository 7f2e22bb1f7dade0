"""Writing generated files: only when the content changed, and a --check mode for CI."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write PATH only if its content differs; returns whether it wrote.

    ``mkdocs serve`` watches the docs folder: rewriting an unchanged file would trigger a
    rebuild, which would regenerate, which would rewrite... so an unchanged file is left alone.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def stale(files: Mapping[Path, str | bytes]) -> list[Path]:
    """The files whose content on disk differs from what would be generated."""
    out = []
    for path, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            current = path.read_bytes()
        except OSError:
            current = None
        if current != data:
            out.append(path)
    return out
