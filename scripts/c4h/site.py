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
from collections.abc import Callable
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
    warnings: int = 0  # findings of severity warning in the listings (stale, expired)


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
    return _build(lambda: load(providers_dir, today), site_dir, today, builder=builder, root=root)


def build_catalogue(
    cat: Catalogue,
    site_dir: Path,
    today: date,
    *,
    builder: str = "mkdocs",
    root: Path = paths.ROOT,
) -> Built:
    """Build the site of CAT (already validated, or deliberately not: tests) into SITE_DIR."""
    return _build(lambda: cat, site_dir, today, builder=builder, root=root)


def _build(
    get_catalogue: Callable[[], Catalogue],
    site_dir: Path,
    today: date,
    *,
    builder: str,
    root: Path,
) -> Built:
    """The steps, ordered to use both cores of a small machine.

    The builder starts first and imports itself (a third of a second) while the listings are
    validated; it then waits for its configuration. The open-data files and the directory's
    cards are generated while it builds, and put into the built site afterwards.
    """
    started = time.perf_counter()
    if builder not in BUILDERS:
        raise BuildError(f"unknown builder {builder!r}; choose one of {', '.join(BUILDERS)}")
    _check_site_dir(site_dir, root)
    config = _config(root / "mkdocs.yml")
    settings = generate.read_settings(root / "mkdocs.yml")
    template = generate.read_template(root / "schema" / "listing-template.yml")
    with tempfile.TemporaryDirectory(prefix="c4h-build-") as tmp:
        project = Path(tmp)
        running = _start(builder, project)
        try:
            cat = get_catalogue()
            docs = project / "docs"
            shutil.copytree(root / "docs", docs, ignore=_skip_generated(root / "docs"))
            if (root / OVERRIDES).is_dir():
                shutil.copytree(root / OVERRIDES, project / OVERRIDES)
            files = generate.pages(cat, today, settings, template, for_build=True)
            files.update(dict.fromkeys(generate.API_FILES, ""))  # stand-ins: links must resolve
            generate.write(files, docs, fresh=True)
            for key in SERVE_ONLY:
                config.pop(key, None)
            config.update(docs_dir="docs", site_dir="site")
            if (project / OVERRIDES).is_dir():
                config.setdefault("theme", {})["custom_dir"] = OVERRIDES
            config_file = project / "mkdocs.yml"
            config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
            assert running.stdin is not None
            running.stdin.write(f"{config_file}\n")
            running.stdin.close()
            data = generate.api_files(cat, today, settings)
            cards = generate.directory_cards(cat, today)
        except BaseException:
            _stop(running)
            raise
        _finish(builder, running, project)
        built = project / "site"
        for rel, content in data.items():
            (built / rel).write_text(content, encoding="utf-8")
        directory = built / "directory" / "index.html"
        try:
            html = generate.fill_cards(directory.read_text(encoding="utf-8"), cards)
        except (OSError, ValueError) as exc:
            raise BuildError(f"{builder} build: {exc}") from None
        directory.write_text(html, encoding="utf-8")
        if site_dir.exists():
            shutil.rmtree(site_dir)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(project / "site"), str(site_dir))
    offers = sum(len(p.current_offers(today)) for p in cat.providers)
    seconds = time.perf_counter() - started
    return Built(site_dir, len(cat.providers), offers, seconds, len(cat.findings))


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


# Run in the builder's process: import the builder, then wait for the configuration's path on
# stdin (an empty line: c4h gave up), then build as `<builder> build --strict -f PATH` would.
_WARM_START = """
import sys
if sys.argv[1] == "mkdocs":
    from mkdocs.__main__ import cli
    import material.plugins.search.plugin, markdown, pymdownx.superfences, pymdownx.highlight
else:
    from zensical.main import cli
config = sys.stdin.readline().strip()
if not config:
    sys.exit(1)
cli(["build", "--strict", "-f", config], prog_name=sys.argv[1])
"""


def _start(builder: str, project: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", _WARM_START, builder],
        cwd=project,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(running: subprocess.Popen[str]) -> None:
    """End a builder that will not be needed, and close its pipes."""
    running.kill()
    for pipe in (running.stdin, running.stdout):
        if pipe is not None and not pipe.closed:
            pipe.close()
    running.wait()


def _finish(builder: str, running: subprocess.Popen[str], project: Path) -> None:
    assert running.stdout is not None
    with running.stdout:
        output = running.stdout.read()  # stdin was closed already: no communicate()
    running.wait()
    if running.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-30:])
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
