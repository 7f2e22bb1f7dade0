"""The site, built for real: with `c4h build` (MkDocs) and with Zensical, each once per session.

Also the shells around the generator: `c4h generate`, the MkDocs hook, `c4h serve`'s live
reload, and the refusals of `c4h build`.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

import catalogue_support as cs
from c4h import cli, generate, mkdocs_hook
from c4h import taxonomy as tx

ROOT = cs.ROOT
SHIPPED = sorted(p.stem for p in (ROOT / "providers").glob("*.yml"))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "c4h", *args],
        cwd=ROOT,
        env={**os.environ, "C4H_TODAY": cs.TODAY.isoformat()},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def site(name: str) -> Path:
    return {"mkdocs": cs.real_site, "zensical": cs.real_site_zensical, "fixture": cs.fixture_site}[
        name
    ]()


# --- the pages exist -------------------------------------------------------------------------

PAGES = [
    "index.html",
    "directory/index.html",
    "providers/index.html",
    "services/index.html",
    "coverage/index.html",
    "open-data/index.html",
    "guide/ask-for-help/index.html",
    "guide/private-requests/index.html",
    "guide/list-your-service/index.html",
    "guide/field-reference/index.html",
    "guide/listing-template/index.html",
    "guide/maintainers/index.html",
    "about/index.html",
    "about/benchmarks/index.html",
    "api/v1/providers.json",
    "api/v1/offers.json",
    "api/v1/offers.csv",
    "api/v1/provider.schema.json",
    "api/v1/taxonomy.json",
    "api/v1/feed.xml",
    "assets/c4h.js",
    "assets/c4h.css",
    *(f"providers/{pid}/index.html" for pid in SHIPPED),
    *(f"services/{slug}/index.html" for slug in tx.default().category_slugs),
]


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_every_page_is_built(builder: str) -> None:
    out = site(builder)
    missing = [p for p in PAGES if not (out / p).is_file()]
    assert missing == []
    directory = (out / "directory" / "index.html").read_text()
    assert len(re.findall(r"<li data-offer=", directory)) == 13
    assert 'id="result-count"' in directory
    provider = (out / "providers" / "quad9" / "index.html").read_text()
    assert "https://github.com/cyber4health/c4h-directory/edit/main/providers/quad9.yml" in provider


@pytest.mark.slow
def test_provider_pages_stay_out_of_the_navigation() -> None:
    home = (site("mkdocs") / "index.html").read_text()
    assert "providers/quad9/" not in home
    assert "services/advisory/" not in home
    assert "directory/" in home


# --- no request to any third party ----------------------------------------------------------

ALLOWED_URLS = ("https://cyber4health.github.io/c4h-directory/",)

# Absolute URLs that appear in the themes' JavaScript without ever being fetched by this site.
# Each needs a reason; a theme upgrade that adds one makes the test fail until someone checks it.
# (The browser tests also watch every request the pages make.)
DORMANT_IN_JS = {
    "http://www.w3.org/": "XML namespace names, not fetched",
    "https://api.github.com/": "repository stars and forks: the header component that asks is"
    " removed by overrides/partials/source.html",
    "https://${e}/api/v4/projects/": "GitLab repository facts: same component",
    "https://unpkg.com/mermaid@": "loaded only on pages with Mermaid diagrams; there are none",
    "https://unpkg.com/resize-observer-polyfill": "loaded only by browsers without ResizeObserver",
    "https://unpkg.com/glightbox@": "Zensical's image lightbox, not configured",
    "https://unpkg.com/pyodide@": "Zensical's runnable Python blocks, not used",
    "https://cdn.jsdelivr.net/pyodide/": "same",
    "https://unpkg.com/ace-builds@": "same",
    "https://bit.ly/2s3ChXG": "a link inside an error message of the search worker",
    "http://chasen.org/": "licence note of the Japanese word splitter (search in ja only)",
    "http://en.wikipedia.org/": "comment in the Thai word splitter (search in th only)",
    "http://msdn.microsoft.com/": "same",
    "http://narwhaljs.org": "same",
    "http://wiki.commonjs.org/": "same",
}

URL = re.compile(r"""(?:https?:)?//[^\s"'`)\\<>]+""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+(?:url\()?\s*['"]?([^'");\s]+)""")


class _Requests(HTMLParser):
    """The URLs an HTML page makes the browser fetch by itself (not links a person follows).

    A request: src, srcset, poster, data, background on any element (img, script, iframe, audio,
    video, source, track, embed, object, input); href on <link> (stylesheets, icons, preloads,
    manifests; canonical too, to be safe); a <meta http-equiv="refresh"> target; url() and
    @import in <style> and style attributes. Not a request: <a href> and <form action>, which
    only navigate when someone follows them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.links: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name in ("src", "poster", "data", "background"):
            if name in values:
                self.urls.append(values[name])
        if "srcset" in values:
            self.urls += [part.strip().split(" ")[0] for part in values["srcset"].split(",")]
        if tag == "link" and "href" in values:
            self.urls.append(values["href"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls.append(values.get("content", "").partition("url=")[2])
        if "style" in values:
            self.urls += _css_urls(values["style"])
        if tag in ("a", "area") and "href" in values:
            self.links.append(values["href"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += _css_urls(data)


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def _third_party(url: str) -> bool:
    url = url.strip()
    if url.startswith(ALLOWED_URLS):
        return False
    return bool(re.match(r"(?i)([a-z][a-z0-9+.-]*:)?//", url)) and not url.startswith("data:")


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["mkdocs", "zensical", "fixture"])
def test_no_request_to_a_third_party(builder: str) -> None:
    out = site(builder)
    problems = []
    checked = 0
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".html":
            parser = _Requests()
            parser.feed(path.read_text(encoding="utf-8"))
            problems += [f"{rel}: {u}" for u in parser.urls if _third_party(u)]
            problems += [
                f"{rel}: script link {u}"
                for u in parser.links
                if u.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ]
        elif path.suffix == ".css":
            problems += [f"{rel}: {u}" for u in _css_urls(path.read_text()) if _third_party(u)]
        elif path.suffix == ".js":
            code = re.sub(r"/\*[\s\S]*?\*/", "", path.read_text(encoding="utf-8", errors="replace"))
            for url in URL.findall(code):
                if url.startswith("//") or url.startswith(tuple(DORMANT_IN_JS)):
                    continue  # "//..." here is a comment or a regular expression, not a URL
                problems.append(f"{rel}: {url}")
        else:
            continue
        checked += 1
    assert checked > 50
    assert problems == []


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["mkdocs", "fixture"])
def test_internal_links_resolve(builder: str) -> None:
    out = site(builder)
    broken = []
    for page in out.rglob("*.html"):
        parser = _Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.links + parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if parts.path.startswith("/"):  # 404.html: absolute, under the site's own path
                base = urlsplit(ALLOWED_URLS[0]).path
                assert parts.path.startswith(base), f"{page}: {url}"
                target = (out / unquote(parts.path[len(base) :])).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(out)}: {url}")
    assert broken == []


# --- building from another folder, and refusing to -------------------------------------------


def _docs_snapshot() -> dict[str, float]:
    return {
        p.relative_to(ROOT).as_posix(): p.stat().st_mtime
        for p in (ROOT / "docs").rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_build_from_another_folder_leaves_the_checkout_alone(tmp_path: Path) -> None:
    providers = tmp_path / "listings"
    shutil.copytree(cs.FIXTURES, providers)
    (providers / "global-dns-shield.yml").rename(providers / "zz-only-in-tmp.yml")
    before = _docs_snapshot()
    result = run_cli("build", "--providers", str(providers), "--site-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert re.match(
        r"built 5 providers, 7 current offers into .*out/ with mkdocs in ", result.stdout
    )
    assert (tmp_path / "out" / "providers" / "zz-only-in-tmp" / "index.html").is_file()
    assert _docs_snapshot() == before
    assert not (ROOT / "docs" / "providers" / "zz-only-in-tmp").exists()


def test_build_refuses_listings_with_errors(tmp_path: Path) -> None:
    providers = tmp_path / "listings"
    providers.mkdir()
    shutil.copy(cs.FIXTURES / "global-dns-shield.yml", providers / "broken.yml")
    text = (providers / "broken.yml").read_text().replace("kind: nonprofit", "kind: charity")
    (providers / "broken.yml").write_text(text)
    result = run_cli("build", "--providers", str(providers), "--site-dir", str(tmp_path / "out"))
    assert result.returncode == 1
    assert re.search(r"broken\.yml:\d+:\d+: error: kind: ", result.stdout)
    assert result.stderr == (
        "error: 1 error(s) in the listings; fix them first (c4h validate shows them)\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--providers", "no/such/folder"],
            "usage error: --providers no/such/folder: no such folder\n",
        ),
        (
            ["--builder", "jekyll"],
            "usage error: c4h build: argument --builder: invalid choice: 'jekyll'",
        ),
    ],
)
def test_build_usage_errors(args: list[str], message: str) -> None:
    result = run_cli("build", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)


def test_build_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("precious")
    result = run_cli("build", "--providers", str(cs.FIXTURES), "--site-dir", str(tmp_path))
    assert result.returncode == 1
    assert "does not look like a built site (no index.html)" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "precious"


@pytest.mark.parametrize("target", [".", "docs", "providers/x"])
def test_build_refuses_site_dirs_inside_the_checkout_sources(target: str) -> None:
    result = run_cli("build", "--providers", str(cs.FIXTURES), "--site-dir", str(ROOT / target))
    assert result.returncode == 1
    assert "--site-dir" in result.stderr


# --- c4h generate and the hook ---------------------------------------------------------------


def test_generate_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    args = ["generate", "--providers", str(cs.FIXTURES), "--docs-dir", str(docs)]
    assert cli.main(args) == 0
    assert re.match(r"\d+ written, 0 unchanged, 0 deleted under ", capsys.readouterr().out)
    assert cli.main([*args, "--check"]) == 0
    assert capsys.readouterr().out.endswith("generated file(s) up to date\n")
    (docs / "coverage.md").write_text("stale")
    assert cli.main([*args, "--check"]) == 1
    assert capsys.readouterr().out == f"{docs / 'coverage.md'}: out of date; run `c4h generate`\n"


def test_hook_generates_once_and_then_leaves_files_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C4H_PROVIDERS", str(cs.FIXTURES))
    docs = tmp_path / "docs"
    docs.mkdir()
    config = {
        "config_file_path": str(ROOT / "mkdocs.yml"),
        "repo_url": "https://github.com/cyber4health/c4h-directory",
        "site_url": "https://cyber4health.github.io/c4h-directory/",
        "edit_uri": "edit/main/docs/",
        "docs_dir": str(docs),
    }
    mkdocs_hook.on_pre_build(config)
    page = docs / "providers" / "alpine-health-cert" / "index.md"
    assert page.is_file()
    stamp = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    time.sleep(0.01)
    mkdocs_hook.on_pre_build(config)
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == stamp


# --- c4h serve: editing a listing updates the page, and the rebuilds stop ---------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _wait_for(port: int, path: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, body = _get(port, path)
            if status == 200 and text in body:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_serve_follows_an_edited_listing(tmp_path: Path) -> None:
    """`c4h serve` on a copy of the project (serve writes into its docs/, not the checkout's)."""
    project = tmp_path / "project"
    shutil.copytree(
        ROOT / "docs",
        project / "docs",
        ignore=shutil.ignore_patterns(
            *generate.OWNED_DIRS, "coverage.md", "field-reference.md", "listing-template.md"
        ),
    )
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "schema", project / "schema")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["hooks"] = [str(ROOT / "scripts" / "c4h" / "mkdocs_hook.py")]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    providers = project / "providers"
    shutil.copytree(cs.FIXTURES, providers)
    port = _free_port()
    code = (
        "import sys; from pathlib import Path; from c4h import site; "
        f"sys.exit(site.serve(Path({str(providers)!r}), '127.0.0.1:{port}', "
        f"root=Path({str(project)!r})))"
    )
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "C4H_TODAY": cs.TODAY.isoformat()},
            start_new_session=True,
        )
    try:
        page = "/c4h-directory/providers/alpine-health-cert/"  # serve mounts the site at site_url's path
        assert _wait_for(port, page, "Alpine Health CERT", 60), log.read_text()
        listing = providers / "alpine-health-cert.yml"
        listing.write_text(
            listing.read_text().replace(
                "name: Alpine Health CERT", "name: Alpine Health CERT Renamed"
            )
        )
        assert _wait_for(port, page, "Alpine Health CERT Renamed", 60), log.read_text()
        time.sleep(3)  # an endless rebuild loop would show up as more builds
        builds = log.read_text().count("Building documentation")
        time.sleep(3)
        assert log.read_text().count("Building documentation") == builds, log.read_text()
        assert builds <= 4, log.read_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
