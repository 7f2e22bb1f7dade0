"""The site in a real browser: Debian's headless Chromium, driven by Playwright.

The pages are served by http.server on 127.0.0.1. Most tests use the fixture site (the listings
of tests/fixtures/catalogue/ plus the unvalidated hostile listing, see catalogue_support.py);
the accessibility checks use the real listings. Every page a test opens is watched: a console
error, an uncaught exception, a dialog, or a request to any host but 127.0.0.1 fails the test.

No Chromium (at /usr/bin/chromium or $C4H_CHROMIUM): the tests are skipped, unless
C4H_REQUIRE_BROWSER=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import catalogue_support as cs
from c4h import generate as g
from c4h import taxonomy as tx
from c4h.bench import measure

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM, ARGS = measure.CHROMIUM, measure.CHROMIUM_ARGS  # shared with the benchmarks
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}

ALL = [
    "alpine-health-cert/emergency-response",
    "alpine-health-cert/phishing-training",
    "global-dns-shield/protective-dns",
    "hostile-in-memory/xss",
    "old-clinic-helpers/ending-soon",
    "old-clinic-helpers/policy-templates",
    "sahel-cyber-volunteers/backup-setup",
    "tricky-but-valid/tricky-offer",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("C4H_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and C4H_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        _unavailable(f"no Chromium at {CHROMIUM} (install Debian's chromium or set C4H_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page closed mid-download (a test ending) is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def served() -> Iterator[Callable[[str], str]]:
    """name of a built site → its base URL, served from a thread on 127.0.0.1."""
    servers: dict[str, http.server.ThreadingHTTPServer] = {}
    builds = {"fixture": cs.fixture_site, "real": cs.real_site, "zensical": cs.real_site_zensical}

    def base(name: str) -> str:
        if name not in servers:
            handler = functools.partial(_Quiet, directory=str(builds[name]()))
            server = _QuietServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[name] = server
        return f"http://127.0.0.1:{servers[name].server_port}/"

    yield base
    for server in servers.values():
        server.shutdown()
        server.server_close()


class Watched:
    """A page plus what it did: console errors, page errors, dialogs, outside requests."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            self.outside.append(request.url)


@pytest.fixture
def open_page(browser: Any, served: Callable[[str], str]) -> Iterator[Callable[..., Watched]]:
    contexts = []
    watched: list[Watched] = []

    def open_(path: str, site: str = "fixture", viewport: dict[str, int] = DESKTOP) -> Watched:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        context.set_default_timeout(10_000)
        base = served(site)

        def local_sitemap(route: Any) -> None:
            # Material's instant navigation only follows links listed in sitemap.xml, whose
            # addresses name the real site; here the site runs on 127.0.0.1:<port>.
            response = route.fetch()
            route.fulfill(
                response=response, body=response.text().replace(cs.SETTINGS.site_url, base)
            )

        context.route("**/sitemap.xml", local_sitemap)
        w = Watched(context.new_page())
        watched.append(w)
        w.page.goto(base + path)
        if path.startswith("directory/"):
            w.page.wait_for_selector("#c4h-directory.c4h-ready")
        return w

    yield open_
    for context in contexts:
        context.close()
    for w in watched:
        assert w.errors == []
        assert w.dialogs == []
        assert w.outside == []


# --- helpers ---------------------------------------------------------------------------------


def shown(page: Any) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('#c4h-offers li[data-offer]')]"
        ".filter(li => !li.hidden).map(li => li.dataset.offer).sort()"
    )


def result_count(page: Any) -> int:
    return int(page.text_content("#result-count"))


def option_count(page: Any, name: str, value: str) -> int:
    box = f'input[name="{name}"][value="{value}"]'
    return int(page.text_content(f"label:has({box}) .c4h-n"))


def country_option(page: Any, code: str) -> str:
    return page.evaluate(f"document.querySelector('#c4h-country-add option[value={code}]').text")


def query(page: Any) -> dict[str, list[str]]:
    """The filters in the address, once the script has written it (a moment after the list)."""
    page.wait_for_selector("#c4h-directory:not([data-url-pending])", state="attached")
    return parse_qs(page.evaluate("location.search").lstrip("?"))


def add_country(page: Any, code: str) -> None:
    page.select_option("#c4h-country-add", code)
    page.click("#c4h-country-button")


# --- the directory ---------------------------------------------------------------------------


def test_the_static_list_is_complete_and_controls_come_from_the_script(
    open_page: Callable[..., Watched],
) -> None:
    page = open_page("directory/").page
    assert shown(page) == ALL
    assert result_count(page) == 8
    assert page.is_hidden(".c4h-nojs")
    assert page.get_attribute("#c4h-directory", "data-generation") == "1"
    for legend in ("Urgency", "Service", "Country", "Language", "Your organisation", "How"):
        assert page.locator("legend", has_text=legend).count() == 1
    assert page.get_attribute(".c4h-status", "aria-live") == "polite"


def test_without_javascript_the_list_is_there_and_no_controls(
    browser: Any, served: Callable[[str], str]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served("fixture") + "directory/")
        assert page.locator("#c4h-offers li[data-offer]").count() == 8
        assert page.locator("#c4h-controls input").count() == 0
        assert page.is_visible(".c4h-nojs")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("action", "param", "expected"),
    [
        (
            "service=incident-response",
            {"service": ["incident-response"]},
            ["alpine-health-cert/emergency-response", "hostile-in-memory/xss"],
        ),
        (
            "country=FR",
            {"country": ["FR"]},
            [
                "alpine-health-cert/emergency-response",
                "alpine-health-cert/phishing-training",
                "global-dns-shield/protective-dns",
                "tricky-but-valid/tricky-offer",
            ],
        ),
        (
            "lang=es",
            {"lang": ["es"]},
            ["global-dns-shield/protective-dns", "old-clinic-helpers/policy-templates"],
        ),
        (
            "org=ngo",
            {"org": ["ngo"]},
            ["global-dns-shield/protective-dns", "sahel-cyber-volunteers/backup-setup"],
        ),
        ("delivery=on-site", {"delivery": ["on-site"]}, ["sahel-cyber-volunteers/backup-setup"]),
        ("emergency=1", {"emergency": ["1"]}, ["alpine-health-cert/emergency-response"]),
        ("q=backups", {"q": ["backups"]}, ["sahel-cyber-volunteers/backup-setup"]),
    ],
)
def test_each_facet_filters(
    open_page: Callable[..., Watched], action: str, param: dict[str, list[str]], expected: list[str]
) -> None:
    page = open_page("directory/").page
    name, value = action.split("=")
    if name == "country":
        add_country(page, value)
    elif name == "q":
        page.fill("#c4h-q", value)
        page.wait_for_function(
            f"document.querySelector('#result-count').textContent === '{len(expected)}'"
        )
    else:
        page.check(f'input[name="{name}"][value="{value}"]')
    assert shown(page) == expected
    assert result_count(page) == len(expected)
    assert page.text_content("#result-text") == " of 8 offers match your choices"
    assert query(page) == param


def test_counts_update_with_the_other_facets(open_page: Callable[..., Watched]) -> None:
    page = open_page("directory/").page
    assert option_count(page, "service", "incident-response") == 2
    assert option_count(page, "lang", "es") == 2
    assert country_option(page, "FR") == "France (4)"
    assert country_option(page, "US") == "United States (3)"  # ending-soon, policy, DNS

    page.check('input[name="service"][value="incident-response"]')
    assert option_count(page, "service", "incident-response") == 2  # own facet: unchanged
    assert option_count(page, "service", "awareness-training") == 1  # would add one (OR)
    assert option_count(page, "lang", "es") == 0
    assert option_count(page, "lang", "fr") == 1
    assert option_count(page, "emergency", "1") == 1
    assert country_option(page, "CH") == "Switzerland (2)"  # Alpine (europe), hostile (CH)
    assert country_option(page, "FR") == "France (1)"
    assert country_option(page, "US") == "United States (0)"

    page.check('input[name="service"][value="awareness-training"]')  # OR within a facet
    assert result_count(page) == 3
    add_country(page, "FR")  # AND across facets
    assert shown(page) == [
        "alpine-health-cert/emergency-response",
        "alpine-health-cert/phishing-training",
    ]
    assert option_count(page, "country", "FR") == 2
    assert option_count(page, "service", "incident-response") == 1
    assert query(page) == {
        "service": ["incident-response", "awareness-training"],
        "country": ["FR"],
    }


def test_a_url_with_filters_reproduces_the_view(open_page: Callable[..., Watched]) -> None:
    page = open_page(
        "directory/?service=incident-response&service=awareness-training&country=CH&lang=fr"
    ).page
    assert shown(page) == [
        "alpine-health-cert/emergency-response",
        "alpine-health-cert/phishing-training",
    ]
    assert page.is_checked('input[name="service"][value="incident-response"]')
    assert page.is_checked('input[name="service"][value="awareness-training"]')
    assert page.is_checked('input[name="lang"][value="fr"]')
    assert page.is_checked('#c4h-country-chosen input[value="CH"]')
    assert page.text_content("summary") == "Filters (4 active)"
    expected = g.ask_url(
        cs.SETTINGS,
        tx.default(),
        services=["incident-response", "awareness-training"],
        country="CH",
        languages=["fr"],
    )
    assert page.get_attribute("#c4h-ask", "href") == expected


def test_unknown_values_in_the_url_are_ignored(open_page: Callable[..., Watched]) -> None:
    page = open_page("directory/?service=nope&country=XX&lang=zz&emergency=0").page
    assert shown(page) == ALL
    assert page.text_content("summary") == "Filters"


def test_back_and_forward(open_page: Callable[..., Watched]) -> None:
    page = open_page("directory/").page
    page.check('input[name="service"][value="incident-response"]')
    assert query(page) == {"service": ["incident-response"]}
    page.check('input[name="delivery"][value="hybrid"]')
    assert query(page) == {"service": ["incident-response"], "delivery": ["hybrid"]}
    assert shown(page) == ["alpine-health-cert/emergency-response"]
    page.go_back()
    page.wait_for_function("document.querySelector('#result-count').textContent === '2'")
    assert not page.is_checked('input[name="delivery"][value="hybrid"]')
    assert page.is_checked('input[name="service"][value="incident-response"]')
    page.go_back()
    page.wait_for_function("document.querySelector('#result-count').textContent === '8'")
    assert not page.is_checked('input[name="service"][value="incident-response"]')
    page.go_forward()
    page.wait_for_function("document.querySelector('#result-count').textContent === '2'")
    assert query(page) == {"service": ["incident-response"]}


def test_keyboard_only(open_page: Callable[..., Watched]) -> None:
    page = open_page("directory/").page
    keys = page.keyboard
    page.focus("#c4h-q")  # the starting point; from here on, only keys
    keys.type("dns")
    page.wait_for_function("document.querySelector('#result-count').textContent === '1'")
    keys.press("Tab")  # the first checkbox: "helps with an attack in progress now"
    keys.press("Space")
    assert result_count(page) == 0
    assert page.is_visible("#c4h-none")
    keys.press("Space")
    assert result_count(page) == 1
    keys.press("Shift+Tab")
    keys.press("Control+a")
    keys.press("Backspace")
    page.wait_for_function("document.querySelector('#result-count').textContent === '8'")

    page.focus("#c4h-country-add")  # arrows on a closed list step through the countries...
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    assert result_count(page) == 8  # ...without applying anything
    keys.type("France")
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "c4h-country-button"
    keys.press("Enter")
    assert result_count(page) == 4
    keys.press("Tab")  # the chosen country, ticked; unticking removes it
    keys.press("Space")
    assert result_count(page) == 8
    assert page.evaluate("document.activeElement.id") == "c4h-country-add"
    keys.type("Senegal")
    keys.press("Enter")  # Enter on the list adds too
    assert shown(page) == [
        "global-dns-shield/protective-dns",
        "sahel-cyber-volunteers/backup-setup",
    ]

    page.focus("#c4h-clear")
    keys.press("Enter")
    assert result_count(page) == 8
    assert query(page) == {}


def test_it_keeps_working_after_instant_navigation(open_page: Callable[..., Watched]) -> None:
    w = open_page("")
    page = w.page
    page.wait_for_load_state("networkidle")  # Material reads sitemap.xml before it intercepts
    page.evaluate("window.__sameDocument = true")
    page.click("article a:has-text('Browse the directory')")  # hrefs are absolute by now
    page.wait_for_selector("#c4h-directory.c4h-ready")
    assert page.evaluate("window.__sameDocument") is True  # no full reload: instant navigation
    page.check('input[name="emergency"]')
    assert shown(page) == ["alpine-health-cert/emergency-response"]
    page.click("#c4h-offers li:not([hidden]) h2 a")
    page.wait_for_selector(".c4h-provider")
    assert page.evaluate("window.__sameDocument") is True
    page.go_back()
    page.wait_for_selector("#c4h-directory.c4h-ready")
    page.wait_for_function("document.querySelector('#result-count').textContent === '1'")
    assert page.is_checked('input[name="emergency"]')
    page.uncheck('input[name="emergency"]')
    assert result_count(page) == 8
    assert page.locator("#c4h-controls form").count() == 1  # set up once, not twice


# --- hostile listings ------------------------------------------------------------------------

NO_HANDLERS = (
    "[...document.querySelectorAll('*')].filter(el => [...el.attributes]"
    ".some(a => a.name.startsWith('on'))).length"
)


@pytest.mark.parametrize(
    "path",
    [
        "directory/",
        "providers/hostile-in-memory/",
        "providers/tricky-but-valid/",
        "services/incident-response/",
        "services/digital-forensics/",
        "providers/",
    ],
)
def test_hostile_listing_renders_as_inert_text(
    open_page: Callable[..., Watched], path: str
) -> None:
    page = open_page(path).page
    page.mouse.move(10, 10)
    for link in page.locator("a").all()[:200]:
        if link.is_visible():
            link.hover()
    assert page.evaluate("window.__c4hPwned") is None
    assert page.evaluate(NO_HANDLERS) == 0
    assert (
        page.evaluate(
            "[...document.scripts].filter(s => s.textContent.includes('__c4hPwned')).length"
        )
        == 0
    )


def test_hostile_text_reads_as_written(open_page: Callable[..., Watched]) -> None:
    page = open_page("providers/hostile-in-memory/").page
    assert page.text_content("h1") == f"Hostile {cs.SCRIPT} & Co"
    assert page.title().startswith(f"Hostile {cs.SCRIPT} & Co")
    assert page.locator("a[href^='javascript:']").count() == 0
    tricky = open_page("providers/tricky-but-valid/").page
    assert tricky.text_content("h1") == 'Tricky & "Quoted" Co {{ config.site_name }}'
    link = tricky.locator("dd a", has_text="tricky.example.org/").first
    assert (
        link.get_attribute("href") == 'https://tricky.example.org/"onmouseover="window.__c4hPwned=7'
    )


def test_hostile_listing_in_search_results(open_page: Callable[..., Watched]) -> None:
    page = open_page("").page
    page.wait_for_load_state("networkidle")
    page.click(".md-search__input")
    page.keyboard.type("Hostile")
    page.wait_for_selector(".md-search-result__item")
    assert "<script>window.__c4hPwned" in page.text_content(".md-search-result__list")
    assert page.evaluate("window.__c4hPwned") is None
    assert page.evaluate(NO_HANDLERS) == 0


# --- small screens, accessibility, every page ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "",
        "directory/",
        "providers/hostile-in-memory/",
        "providers/tricky-but-valid/",
        "coverage/",
        "services/incident-response/",
        "guide/field-reference/",
        "open-data/",
    ],
)
def test_no_horizontal_scrolling_at_375_px(open_page: Callable[..., Watched], path: str) -> None:
    page = open_page(path, viewport=PHONE).page
    if path == "directory/":
        assert not page.evaluate("document.querySelector('.c4h-filters').open")
        page.click(".c4h-filters > summary")
        add_country(page, "FR")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("path", ["", "directory/", "providers/ncsc-uk/"])
def test_axe_finds_no_serious_violation(open_page: Callable[..., Watched], path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(path, site="real").page
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "services/",
        "providers/",
        "coverage/",
        "guide/field-reference/",
        "guide/listing-template/",
        "guide/ask-for-help/",
        "open-data/",
        "about/",
    ],
)
def test_pages_load_without_errors(open_page: Callable[..., Watched], path: str) -> None:
    page = open_page(path).page
    assert page.locator("h1").count() == 1


def test_the_zensical_build_filters_too(open_page: Callable[..., Watched]) -> None:
    page = open_page("directory/?service=incident-response", site="zensical").page
    assert result_count(page) == 2
    page.check('input[name="emergency"]')
    assert result_count(page) == 2
    page.check('input[name="delivery"][value="remote"]')
    assert result_count(page) == 2
