"""MkDocs hook: regenerate the catalogue before every build, so `c4h serve` follows the listings.

Thin on purpose: it calls the same functions as `c4h generate`. Files are written only when
their content changed; otherwise `mkdocs serve`, which watches docs/, would rebuild forever.
Listings with errors are left out and reported as warnings (a strict build then fails; during
`serve` the page of a listing being edited comes back once the listing is valid again).
The listings folder is providers/, or C4H_PROVIDERS (set by `c4h serve --providers DIR`).
Zensical ignores hooks; `c4h build --builder zensical` generates before it runs.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

from c4h import generate, model, paths
from c4h import taxonomy as tx

log = logging.getLogger("mkdocs.plugins.c4h")


def _today() -> date:
    fixed = os.environ.get("C4H_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def on_pre_build(config: Any) -> None:
    providers = Path(os.environ.get("C4H_PROVIDERS") or paths.PROVIDERS)
    today = _today()
    cat = model.load(providers, today, tx.load())  # fresh: taxonomy.yml may have been edited
    for finding in cat.errors:
        log.warning("left out: %s", finding.text())
    base = generate.read_settings(Path(config["config_file_path"]))
    settings = generate.Settings(
        repo_url=str(config["repo_url"]).rstrip("/"),
        site_url=str(config["site_url"]),
        edit_uri=str(config["edit_uri"] or base.edit_uri),
        private_url=base.private_url,
    )
    files = generate.pages(cat, today, settings, generate.read_template())
    changes = generate.write(files, Path(config["docs_dir"]))
    if changes.written or changes.deleted:
        log.info(
            "c4h: %d generated file(s) written, %d deleted, from %d listing(s) in %s",
            len(changes.written),
            len(changes.deleted),
            len(cat.providers),
            providers,
        )
