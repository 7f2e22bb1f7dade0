"""Build and serve the site: validate the listings, generate the pages, run MkDocs or Zensical.

A build never writes into the checkout. It copies the hand-written ``docs/`` (without generated
files) and ``overrides/`` into a temporary project, generates the catalogue there from the
chosen listings folder, writes a copy of ``mkdocs.yml`` without the hook (generation is already
done) and runs the builder on it; the result moves to the site folder. So
``c4h build --providers /tmp/x --site-dir /tmp/site`` leaves nothing of /tmp/x behind, and the
same steps serve both builders (Zensical needs docs and site inside the project folder).

``serve`` runs ``mkdocs serve`` on the checkout itself; the hook (``mkdocs_hook.py``) then
generates into ``docs/`` before every rebuild, writing only files whose content changed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from c4h import generate, listing, model, paths
from c4h.findings import Finding
from c4h.model import Catalogue

BUILDERS = ("mkdocs", "zensical")
OVERRIDES = "overrides"
# Keys of mkdocs.yml that only matter for `serve` on the checkout.
SERVE_ONLY = ("hooks", "watch")
SERVE_ADDRESS = "127.0.0.1:8000"


class BuildError(Exception):
    """The site could not be built; the message says why."""


class ListingErrors(BuildError):
    """Listings with errors: the build refuses to publish a partial catalogue."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(
            f"{len(findings)} error(s) in the listings; fix them first (c4h validate shows them)"
        )


@dataclass(frozen=True)
class Built:
    site_dir: Path
    providers: int
    offers: int
    seconds: float


def load(providers_dir: Path, today: date) -> Catalogue:
    """The valid catalogue of a folder, or ListingErrors if any listing has an error."""
    if not providers_dir.is_dir():
        raise BuildError(f"{providers_dir}: no such folder of listings")
    cat = model.load(providers_dir, today)
    if cat.errors:
        raise ListingErrors(cat.errors)
    return cat


def build(
    providers_dir: Path,
    site_dir: Path,
    today: date,
    builder: str = "mkdocs",
    root: Path = paths.ROOT,
) -> Built:
    started = time.perf_counter()
    cat = load(providers_dir, today)
    return build_catalogue(cat, site_dir, today, builder=builder, root=root, started=started)


def build_catalogue(
    cat: Catalogue,
    site_dir: Path,
    today: date,
    *,
    builder: str = "mkdocs",
    root: Path = paths.ROOT,
    started: float | None = None,
) -> Built:
    """Build the site of CAT (already validated, or deliberately not: tests) into SITE_DIR."""
    started = time.perf_counter() if started is None else started
    if builder not in BUILDERS:
        raise BuildError(f"unknown builder {builder!r}; choose one of {', '.join(BUILDERS)}")
    _check_site_dir(site_dir, root)
    config = _config(root / "mkdocs.yml")
    settings = generate.read_settings(root / "mkdocs.yml")
    template = generate.read_template(root / "schema" / "listing-template.yml")
    with tempfile.TemporaryDirectory(prefix="c4h-build-") as tmp:
        project = Path(tmp)
        docs = project / "docs"
        shutil.copytree(root / "docs", docs, ignore=_skip_generated(root / "docs"))
        if (root / OVERRIDES).is_dir():
            shutil.copytree(root / OVERRIDES, project / OVERRIDES)
        generate.write(generate.pages(cat, today, settings, template), docs)
        for key in SERVE_ONLY:
            config.pop(key, None)
        config.update(docs_dir="docs", site_dir="site")
        if (project / OVERRIDES).is_dir():
            config.setdefault("theme", {})["custom_dir"] = OVERRIDES
        config_file = project / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
        _run(builder, config_file, project)
        if site_dir.exists():
            shutil.rmtree(site_dir)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(project / "site"), str(site_dir))
    offers = sum(len(p.current_offers(today)) for p in cat.providers)
    return Built(site_dir, len(cat.providers), offers, time.perf_counter() - started)


def _config(path: Path) -> dict[str, Any]:
    data = listing.load_plain(path)
    if not isinstance(data, dict):
        raise BuildError(f"{path}: not a mapping")
    return data


def _skip_generated(docs: Path) -> Any:
    """A copytree filter leaving out what the generator owns (it is regenerated anyway)."""

    top = docs.resolve()

    def ignore(directory: str, names: list[str]) -> list[str]:
        rel = Path(directory).resolve().relative_to(top).as_posix()
        prefix = "" if rel == "." else rel + "/"
        return [n for n in names if generate.owned(prefix + n)]

    return ignore


def _check_site_dir(site_dir: Path, root: Path) -> None:
    """Refuse to replace a folder that is not a built site (the build deletes it first)."""
    target = site_dir.resolve()
    if target == root.resolve() or target in root.resolve().parents:
        raise BuildError(f"--site-dir {site_dir}: would replace the checkout")
    for protected in (root / "docs", root / "providers", root / "schema", root / "scripts"):
        if target == protected.resolve() or protected.resolve() in target.parents:
            raise BuildError(
                f"--site-dir {site_dir}: inside {protected.name}/, pick another folder"
            )
    if target.is_file():
        raise BuildError(f"--site-dir {site_dir}: is a file")
    if target.is_dir() and any(target.iterdir()) and not (target / "index.html").is_file():
        raise BuildError(
            f"--site-dir {site_dir}: exists and does not look like a built site (no index.html);"
            " the build replaces the folder, so give an empty or new one"
        )


def _run(builder: str, config_file: Path, project: Path) -> None:
    if builder == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    else:
        command = [sys.executable, "-m", "zensical", "build", "--strict", "-f", str(config_file)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        tail = "\n".join(output[-30:])
        raise BuildError(f"{builder} build failed:\n{tail}")
    if not (project / "site" / "index.html").is_file():
        raise BuildError(f"{builder} build produced no site/index.html")


def serve(providers_dir: Path, address: str = SERVE_ADDRESS, root: Path = paths.ROOT) -> int:
    """``mkdocs serve`` with live reload; the hook regenerates from PROVIDERS_DIR on each change."""
    if not providers_dir.is_dir():
        raise BuildError(f"{providers_dir}: no such folder of listings")
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--livereload",
        "-a",
        address,
        "-f",
        str(root / "mkdocs.yml"),
    ]
    if providers_dir.resolve() != (root / "providers").resolve():
        command += ["-w", str(providers_dir)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "C4H_PROVIDERS": str(providers_dir.resolve())}
    server = subprocess.Popen(command, cwd=root, env=env)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop the server too, not orphan it
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
