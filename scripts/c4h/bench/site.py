"""Benchmark of the catalogue build and the directory page, in one run.

Usage: python -m c4h.bench.site [--small N] [--large N] [--clicks K] [--no-record]

1. `c4h build` of N synthetic listings (default 1,000, three offers each) against a floor built
   in the same run: MkDocs + Material over N plain Markdown pages of the same average size as
   our provider pages, kept out of the navigation. Target: ratio at most 1.3.
2. The same build at 10,000 listings: at most 11 times the 1,000-listing time (linear).
3. The directory page's transfer size (gzip -6) at 1,000 listings: at most 250 KB.
4. Filtering 10,000 offers in headless Chromium: median time from a facet click to the next
   frame after the list was updated. Target: at most 50 ms.

The synthetic listings are those of the tests (tests/catalogue_support.py): words drawn from a
wide vocabulary and an effort note on every offer, so pages compress about as badly as prose.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from c4h import generate, model, paths, site
from c4h.bench import measure
from c4h.bench.synthetic import WORDS

TODAY = date(2026, 12, 1)
TARGET_RATIO, TARGET_LINEAR, TARGET_KB, TARGET_MS = 1.3, 11.0, 250.0, 50.0


def _support() -> Any:
    sys.path.insert(0, str(paths.ROOT / "tests"))
    import catalogue_support  # type: ignore[import-not-found]  # noqa: PLC0415

    return catalogue_support


def build_listings(count: int, work: Path) -> tuple[float, Path]:
    """Write COUNT listings and time `c4h build` over them (validation included)."""
    support = _support()
    folder = work / f"providers-{count}"
    support.write_listings(support.synthetic_listings(count), folder)
    out = work / f"site-{count}"
    c4h = str(Path(sys.executable).with_name("c4h"))
    env = {**os.environ, "C4H_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run(
        [c4h, "build", "--providers", str(folder), "--site-dir", str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start, out


def provider_page_size() -> int:
    """Average size of our provider pages' Markdown, measured from a generated docs folder."""
    support = _support()
    cat = model.from_dicts(support.synthetic_listings(50))
    pages = generate.pages(cat, TODAY, generate.read_settings(), generate.read_template())
    sizes = [
        len(v.encode())
        for k, v in pages.items()
        if str(k).startswith("providers/")
        and str(k).endswith(".md")
        and str(k) != "providers/index.md"
    ]
    return sum(sizes) // len(sizes)


def floor_build(count: int, size: int, work: Path) -> float:
    """MkDocs + Material over COUNT plain Markdown pages of SIZE bytes, out of the nav.

    The floor is our own site minus what the project adds: the same mkdocs.yml (theme,
    features, navigation, stylesheet and script), the hand-written pages, one-line stand-ins
    for the generated pages the navigation names, and COUNT plain pages where the provider
    pages would be. No validation, no generation, no hook.
    """
    project = work / f"floor-{count}"
    docs = project / "docs"
    shutil.copytree(paths.DOCS, docs, ignore=site._skip_generated(paths.DOCS))
    if (paths.ROOT / "overrides").is_dir():
        shutil.copytree(paths.ROOT / "overrides", project / "overrides")
    config = yaml.safe_load((paths.ROOT / "mkdocs.yml").read_text())
    for key in ("hooks", "watch"):
        config.pop(key, None)
    for page in _nav_pages(config.get("nav", [])):
        target = docs / page
        if generate.owned(page) or not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"# {page}\n\nA stand-in page.\n")
    (docs / "pages").mkdir()
    for i in range(count):
        text, n = [f"# Page {i}\n"], 0
        while sum(len(t) + 1 for t in text) < size:
            n += 1
            text.append(" ".join(WORDS[(i + n + k) % len(WORDS)] for k in range(12)) + ".\n")
        (docs / "pages" / f"page-{i:05d}.md").write_text("\n".join(text))
    config["not_in_nav"] = "/pages/*\n/providers/*/\n/services/*/\n"
    config.update(docs_dir="docs", site_dir="site")
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
        check=True,
        env=env,
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_pages(item)]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_pages(value)]
    return []


def page_weight(built: Path) -> tuple[float, float]:
    """gzip size in KB of the directory page, and of our own script and stylesheet."""
    html = (built / "directory" / "index.html").read_bytes()
    ours = sum(
        len(gzip.compress((built / "assets" / f).read_bytes(), 6)) for f in ("c4h.js", "c4h.css")
    )
    return len(gzip.compress(html, 6)) / 1000, ours / 1000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed page is no error
            super().handle_error(request, client_address)


CLICK = """async (selector) => {
  const box = document.querySelector(selector);
  return await new Promise((resolve) => {
    const start = performance.now();
    box.click();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
  });
}"""


def filtering(offers: int, clicks: int, work: Path) -> tuple[float, float, int]:
    """Median and p90 ms from a facet click to the next frame, over about OFFERS offers."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    support = _support()
    cat = model.from_dicts(support.synthetic_listings((offers + 2) // 3))
    out = work / "site-filter"
    site.build_catalogue(cat, out, TODAY)
    handler = functools.partial(_Quiet, directory=str(out))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    times: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=measure.CHROMIUM, args=measure.CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_port}/directory/")
            page.wait_for_selector("#c4h-controls fieldset[data-facet=service] input")
            shown = len(page.query_selector_all("[data-offer]"))
            selectors = [
                "fieldset[data-facet=service] input",
                "fieldset[data-facet=org] input",
                "fieldset[data-facet=delivery] input",
                "fieldset[data-facet=lang] input",
            ]
            for i in range(clicks):
                facet = selectors[i % len(selectors)]
                nth = (i // len(selectors)) % 3 + 1
                selector = f"{facet} >> nth={nth - 1}"
                handle = page.locator(selector).element_handle()
                page.evaluate("(el) => el.setAttribute('data-bench', '1')", handle)
                times.append(page.evaluate(CLICK, "[data-bench='1']"))
                page.evaluate("(el) => el.removeAttribute('data-bench')", handle)
                page.wait_for_timeout(150)  # let the deferred address write land between clicks
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    times.sort()
    return measure.median(times), times[int(len(times) * 0.9)], shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--filter-offers", type=int, default=10_000)
    parser.add_argument("--clicks", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of the small pair")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="c4h-bench-site-"))
    try:
        size = provider_page_size()
        smalls, floors = [], []
        for _ in range(args.repeat):  # alternate, so both see the same machine
            seconds, small_site = build_listings(args.small, work)
            smalls.append(seconds)
            html_kb, ours_kb = page_weight(small_site)
            shutil.rmtree(small_site)
            shutil.rmtree(work / f"providers-{args.small}")
            floors.append(floor_build(args.small, size, work))
            shutil.rmtree(work / f"floor-{args.small}")
        small_s, floor_s = measure.median(smalls), measure.median(floors)
        large_s, large_site = build_listings(args.large, work)
        shutil.rmtree(large_site)
        median_ms, p90_ms, shown = filtering(args.filter_offers, args.clicks, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ratio, linear = small_s / floor_s, large_s / small_s
    ok = (
        ratio <= TARGET_RATIO
        and linear <= TARGET_LINEAR
        and html_kb <= TARGET_KB
        and median_ms <= TARGET_MS
    )
    table = (
        f"Catalogue site. Machine: {measure.machine()}. MkDocs 1.6.1, Material 9.8.2, headless"
        " Debian Chromium.\n\n"
        "| measure | result | target |\n|---|---|---|\n"
        f"| floor: our mkdocs.yml, theme and hand-written pages, plus {args.small:,} plain pages"
        f" of {size:,} bytes out of the nav | {floor_s:.1f} s | |\n"
        f"| `c4h build`, {args.small:,} listings ({args.small * 3:,} offers), validation"
        f" included | {small_s:.1f} s (ratio {ratio:.2f}; medians of {args.repeat} alternating"
        f" runs) | ratio ≤ {TARGET_RATIO} |\n"
        f"| `c4h build`, {args.large:,} listings ({args.large * 3:,} offers) | {large_s:.1f} s"
        f" ({linear:.1f} × the {args.small:,}-listing build) | ≤ {TARGET_LINEAR:.0f} × |\n"
        f"| directory page at {args.small:,} listings, gzip | {html_kb:.0f} KB (plus our script"
        f" and stylesheet, {ours_kb:.0f} KB, cached across pages) | ≤ {TARGET_KB:.0f} KB |\n"
        f"| filtering {shown:,} offers: facet click to the next frame, {args.clicks} clicks |"
        f" median {median_ms:.0f} ms (p90 {p90_ms:.0f} ms) | median ≤ {TARGET_MS:.0f} ms |\n"
    )
    return measure.report(table, ok, "site", keep=not args.no_record)


if __name__ == "__main__":
    raise SystemExit(main())
