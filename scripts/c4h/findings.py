"""Findings: what the validator (and the safe reader) report. Data, formatted by the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: ``path:line:col: severity: field: message``."""

    path: str
    line: int
    column: int
    severity: str
    field: str
    message: str

    def text(self) -> str:
        field = self.field or "(file)"
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {field}: {self.message}"

    def annotation(self) -> str:
        """A GitHub Actions workflow command, so the finding shows on the pull request's diff."""
        kind = "error" if self.severity == ERROR else "warning"
        props = ",".join(
            f"{k}={_escape_property(str(v))}"
            for k, v in (
                ("file", self.path),
                ("line", self.line),
                ("col", self.column),
                ("title", self.field or "listing"),
            )
        )
        return f"::{kind} {props}::{_escape_data(self.message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary(findings: Iterable[Finding], listings: int) -> str:
    items = list(findings)
    errors = sum(1 for f in items if f.severity == ERROR)
    warnings = len(items) - errors
    return (
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(listings, 'listing')}"
    )


def to_json(findings: Iterable[Finding], listings: int) -> str:
    items = sorted(findings)
    errors = sum(1 for f in items if f.severity == ERROR)
    return json.dumps(
        {
            "findings": [asdict(f) for f in items],
            "errors": errors,
            "warnings": len(items) - errors,
            "listings": listings,
            "summary": summary(items, listings),
        },
        indent=2,
        ensure_ascii=False,
    )
