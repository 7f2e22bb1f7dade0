"""The catalogue generator's pure functions, on real cases.

The fixture catalogue (tests/fixtures/catalogue/, all valid) plus one listing that no validator
would pass (real <script> tags, javascript: URLs) are generated once; each test looks at a part
of the output. See catalogue_support.py for the listings.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import catalogue_support as cs
from c4h import generate as g
from c4h import model
from c4h import schema as sch
from c4h import taxonomy as tx

TAX = tx.default()


@pytest.fixture(scope="module")
def cat() -> model.Catalogue:
    return cs.fixture_catalogue()


@pytest.fixture(scope="module")
def files(cat: model.Catalogue) -> dict[str, str]:
    return g.pages(cat, cs.TODAY, cs.SETTINGS, g.read_template())


def keys_in(page: str) -> list[str]:
    return re.findall(r'<li data-offer="([^"]+)"', page)


CURRENT = sorted(
    [
        "alpine-health-cert/emergency-response",
        "alpine-health-cert/phishing-training",
        "global-dns-shield/protective-dns",
        "hostile-in-memory/xss",
        "old-clinic-helpers/ending-soon",
        "old-clinic-helpers/policy-templates",
        "sahel-cyber-volunteers/backup-setup",
        "tricky-but-valid/tricky-offer",
    ]
)
EXPIRED = "old-clinic-helpers/expired-audit"


# --- escaping, one function at a time --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text", "plain text"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('" onmouseover="x', "&quot; onmouseover=&quot;x"),
        ("AT&T", "AT&amp;T"),
        ("&lt;already&gt;", "&amp;lt;already&amp;gt;"),
        ("{{ config }} {% raw %}", "&#123;&#123; config &#125;&#125; &#123;% raw %&#125;"),
        ("[x](javascript:alert(1))", "&#91;x&#93;(javascript:alert(1))"),
        ("`code`", "&#96;code&#96;"),
        ("it's", "it's"),
        ("one\n\ntwo\r\n", "one  two  "),  # a blank line would end the raw HTML block
    ],
)
def test_esc(text: str, expected: str) -> None:
    assert g.esc(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
        ('https://example.org/"onmouseover="x', 'https://example.org/"onmouseover="x'),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("http://example.org", None),
        ("//example.org", None),
        ("https://user:pw@example.org", None),
        ("https://exa mple.org", None),
        ("https://", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert g.safe_url(url) == expected


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        (
            'https://example.org/"x',
            None,
            '<a href="https://example.org/&quot;x" rel="nofollow noopener">'
            "https://example.org/&quot;x</a>",
        ),
        ("javascript:alert(1)", None, "javascript:alert(1)"),
        ("javascript:alert(1)", "<b>click</b>", "&lt;b&gt;click&lt;/b&gt;"),
    ],
)
def test_link_only_for_https(url: str, text: str | None, expected: str) -> None:
    assert g.link(url, text) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"a": "</script><script>alert(1)</script>"},
        {"a": "<!-- -->", "b": ["&amp;", "\u2028\u2029"]},
        {"a": {"b": {"c": "{{ x }}"}}},
        ["}}", "{{", "]]>"],
    ],
)
def test_script_json_cannot_end_the_script_and_round_trips(value: Any) -> None:
    text = g.script_json(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029", "{{", "}}"):
        assert bad not in text
    assert json.loads(text) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("https://evil")', '\'=HYPERLINK("https://evil")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (3, 3),
    ],
)
def test_csv_cell(value: object, expected: object) -> None:
    assert g.csv_cell(value) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 20, "short"),
        ("one two three four five six", 15, "one two three…"),
        ("  spaced\n  out  ", 20, "spaced out"),
        ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"),
        ("Ends with a comma, then more words", 19, "Ends with a comma…"),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    assert g.truncate(text, limit) == expected
    assert len(g.truncate(text, limit)) <= limit


@pytest.mark.parametrize(
    ("regions", "tokens"),
    [
        (("europe", "CH"), ("europe",)),
        (("global", "US"), ("global",)),
        (("western-europe", "europe"), ("europe",)),
        (("US", "GB"), ("GB", "US")),
        (("northern-america", "US", "FR"), ("FR", "northern-america")),
        (("western-africa",), ("western-africa",)),
    ],
)
def test_area_tokens_drop_what_another_area_contains(
    regions: tuple[str, ...], tokens: tuple[str, ...]
) -> None:
    assert g.area_tokens(regions, TAX) == tokens
    covered = frozenset().union(*(TAX.expand(r) for r in regions))
    assert frozenset().union(*(TAX.expand(t) for t in tokens)) == covered


@pytest.mark.parametrize(
    ("slugs", "mask"),
    [
        (["hospital"], "1"),
        (["care-facility", "hospital"], "3"),
        (["ingo"], "800"),
        (list(TAX.org_type_slugs), "fff"),
        ([], "0"),
    ],
)
def test_org_mask(slugs: list[str], mask: str) -> None:
    assert g.org_mask(slugs, TAX) == mask


def test_ask_url_uses_the_form_labels() -> None:
    url = g.ask_url(
        cs.SETTINGS,
        TAX,
        services=["incident-response", "backup-recovery"],
        country="CH",
        org_type="clinic",
        languages=["fr", "de"],
    )
    assert url == (
        "https://github.com/cyber4health/c4h-directory/issues/new?template=request-help.yml"
        "&services=Incident%20response%20and%20recovery%2C%20Backup%20and%20recovery"
        "&country=CH%20%E2%80%94%20Switzerland"
        "&org_type=Clinic%20or%20practice"
        "&languages=fr%20%E2%80%94%20French%2C%20de%20%E2%80%94%20German"
    )


def test_settings_come_from_mkdocs_yml_and_c4h_yml() -> None:
    site = g.read_settings()
    assert site.repo_url == "https://github.com/cyber4health/c4h-directory"
    assert site.site_url == "https://cyber4health.github.io/c4h-directory/"
    assert (
        site.private_url == "https://cyber4health.github.io/c4h-directory/guide/private-requests/"
    )
    assert site.listing_edit_url("quad9") == (
        "https://github.com/cyber4health/c4h-directory/edit/main/providers/quad9.yml"
    )


# --- the hostile listing, in every output ----------------------------------------------------


class _Elements(HTMLParser):
    """Every element with its attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_markdown_pages_hold_no_markup_from_listings(files: dict[str, str]) -> None:
    pages = {path: text for path, text in files.items() if path.endswith(".md")}
    assert len(pages) > 10
    for path, text in pages.items():
        if path != "guide/listing-template.md":  # Markdown + a code block; the rest raw HTML
            body = text.split("---\n\n", 1)[1].rstrip("\n")
            assert "\n\n" not in body, path  # a blank line would end the raw HTML block
        for raw in (
            "<script>window",
            "</script><script>",
            "<img src=x",
            "](javascript:",
            "{{",
            "}}",
        ):
            assert raw not in text, (path, raw)
        parser = _Elements()
        parser.feed(text)
        for tag, attrs in parser.elements:
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            for name in ("href", "src"):
                value = attrs.get(name)
                if value is not None:
                    assert re.match(r"(https://|mailto:|\.\./|#|[a-z0-9-]+/$)", value), (
                        path,
                        value,
                    )
            if tag == "script":
                assert attrs.get("type") == "application/json", path
        for script in parser.scripts:
            json.loads(script)  # data only, and whole


def test_hostile_text_is_shown_as_text(files: dict[str, str]) -> None:
    page = files["providers/hostile-in-memory/index.md"]
    assert (
        "<h1>Hostile &lt;script&gt;window.__c4hPwned = 1; alert('pwned')&lt;/script&gt; &amp; Co</h1>"
        in page
    )
    assert 'title: "Hostile &lt;script&gt;' in page  # the theme prints the title unescaped
    assert "<dd>javascript:window.__c4hPwned=5</dd>" in page  # not a link
    assert "&#91;click me&#93;(javascript:window.__c4hPwned=4)" in page
    tricky = files["providers/tricky-but-valid/index.md"]
    assert 'href="https://tricky.example.org/&quot;onmouseover=&quot;window.__c4hPwned=7"' in tricky
    assert "&amp;lt;script&amp;gt;" in tricky  # entities stay entities, never become tags


def test_hostile_text_in_json_round_trips(files: dict[str, str]) -> None:
    offers = {o["key"]: o for o in json.loads(files["api/v1/offers.json"])["offers"]}
    hostile = offers["hostile-in-memory/xss"]
    assert hostile["title"] == f"Offer {cs.CLOSE} {cs.IMG}"
    assert hostile["url"] == "javascript:window.__c4hPwned=6"  # data, as written
    providers = {p["id"]: p for p in json.loads(files["api/v1/providers.json"])["providers"]}
    assert providers["hostile-in-memory"]["name"] == f"Hostile {cs.SCRIPT} & Co"


def test_csv_guards_formulas_and_keeps_text(files: dict[str, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(files["api/v1/offers.csv"], newline="")))
    by_key = {row["key"]: row for row in rows}
    assert by_key["hostile-in-memory/xss"]["effort"].startswith("'=HYPERLINK(")
    assert by_key["hostile-in-memory/xss"]["conditions"].startswith("'+cmd|")
    assert by_key["tricky-but-valid/tricky-offer"]["conditions"] == "'@SUM(A1:A2) and +1 and -1"
    assert by_key["hostile-in-memory/xss"]["title"] == f"Offer {cs.CLOSE} {cs.IMG}"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_feed_is_xml_with_text_only(files: dict[str, str]) -> None:
    root = ET.fromstring(files["api/v1/feed.xml"].encode())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text or "" for t in root.findall("a:entry/a:title", ns)]
    assert f"New or updated: Offer {cs.CLOSE} {cs.IMG} (Hostile {cs.SCRIPT} & Co)" in titles
    assert not root.findall(".//script")
    assert "<script>" not in files["api/v1/feed.xml"]


# --- what is shown, and what is not ----------------------------------------------------------


def test_directory_lists_every_current_offer_once(files: dict[str, str]) -> None:
    page = files["directory/index.md"]
    assert sorted(keys_in(page)) == CURRENT
    assert EXPIRED not in page
    assert page.count('<script type="application/json">') == 1
    assert '<span id="result-count">8</span>' in page
    assert 'aria-live="polite"' in page
    assert '<a href="../guide/private-requests/">Ask privately</a>' in page


def test_expired_offers_are_absent_everywhere_but_their_provider_page(
    files: dict[str, str],
) -> None:
    for path, text in files.items():
        if path == "providers/old-clinic-helpers/index.md":
            assert "Offers that have ended" in text
            assert 'data-offer="old-clinic-helpers/expired-audit"' in text
            assert "Ended on 2026-06-30" in text
        else:
            assert EXPIRED not in text, path
            assert "expired-audit" not in text, path


@pytest.mark.parametrize(
    ("key", "badge", "present"),
    [
        ("old-clinic-helpers/policy-templates", "Stale: last checked 2025-01-15", True),
        ("global-dns-shield/protective-dns", "Stale", False),
        ("sahel-cyber-volunteers/backup-setup", "Paused: no new requests", True),
        ("alpine-health-cert/emergency-response", "Helps during an attack", True),
        ("alpine-health-cert/emergency-response", "Verified", True),
        ("global-dns-shield/protective-dns", "Verified", False),
    ],
)
def test_badges_on_cards(files: dict[str, str], key: str, badge: str, present: bool) -> None:
    card = re.search(rf'<li data-offer="{re.escape(key)}".*?</li>', files["directory/index.md"])
    assert card is not None
    assert (badge in card.group(0)) is present


@pytest.mark.parametrize(
    ("key", "attrs"),
    [
        (
            "alpine-health-cert/emergency-response",
            'data-s="incident-response" data-a="europe" data-l="de fr" data-o="7" '
            'data-d="hybrid" data-e>',
        ),
        (
            "global-dns-shield/protective-dns",
            'data-s="protective-dns" data-a="global" data-l="en es" data-o="fff" data-d="remote">',
        ),
        (
            "old-clinic-helpers/policy-templates",
            'data-s="policy-compliance" data-a="northern-america" data-l="en es" data-o="14" '
            'data-d="remote">',
        ),
    ],
)
def test_card_facet_data(files: dict[str, str], key: str, attrs: str) -> None:
    assert f'<li data-offer="{key}" {attrs}' in files["directory/index.md"]


def test_directory_embeds_the_region_map_once(files: dict[str, str]) -> None:
    page = files["directory/index.md"]
    data = json.loads(re.search(r'<script type="application/json">(.*?)</script>', page).group(1))
    assert data["regions"]["western-africa"] == sorted(TAX.region("western-africa").countries)
    assert [slug for slug, _ in data["services"]] == [  # those with a current offer, in order
        "incident-response",
        "digital-forensics",
        "awareness-training",
        "protective-dns",
        "backup-recovery",
        "policy-compliance",
        "advisory",
    ]
    assert data["formLabels"]["country"]["KR"] == "KR — Korea (Republic of)"
    assert data["formLabels"]["languages"] == {
        "de": "de — German",
        "en": "en — English",
        "es": "es — Spanish",
        "fr": "fr — French",
    }
    assert page.count("western-africa") == 2  # the map, and the one card that lists it
    names = [name for _, name in data["countries"]]
    assert names.index("Åland Islands") < names.index("Albania")
    assert "\n\n" not in page.partition("---\n\n")[2]  # one raw HTML block, no blank line


@pytest.mark.parametrize(
    ("category", "region", "count"),
    [
        ("protective-dns", "africa", 1),  # worldwide counts everywhere
        ("protective-dns", "polynesia", 1),
        ("incident-response", "europe", 2),  # Alpine (europe) + hostile (CH)
        ("incident-response", "western-europe", 2),
        ("incident-response", "eastern-europe", 1),
        ("incident-response", "americas", 0),
        ("backup-recovery", "western-africa", 1),  # paused, but still on offer
        ("backup-recovery", "northern-africa", 0),
        ("risk-assessment", "northern-america", 0),  # expired
        ("policy-compliance", "northern-america", 1),
        ("advisory", "americas", 1),
        ("awareness-training", "western-europe", 1),
        ("awareness-training", "eastern-europe", 0),
    ],
)
def test_coverage_counts(cat: model.Catalogue, category: str, region: str, count: int) -> None:
    assert g.coverage(cat, cs.TODAY)[(category, region)] == count


def test_coverage_page_marks_gaps(files: dict[str, str]) -> None:
    page = files["coverage.md"]
    assert page.count('class="c4h-gap"') == sum(
        1
        for (_, region), n in g.coverage(cs.fixture_catalogue(), cs.TODAY).items()
        if n == 0 and region in {r.slug for r in TAX.regions}
    )
    assert "providers wanted here" in page


def test_service_pages_group_by_continent(files: dict[str, str]) -> None:
    page = files["services/incident-response/index.md"]
    worldwide = page.partition('<section id="africa">')[0]
    assert keys_in(worldwide) == []
    europe = re.search(r'<section id="europe">.*?</section>', page, re.S).group(0)
    assert sorted(keys_in(europe)) == [
        "alpine-health-cert/emergency-response",
        "hostile-in-memory/xss",
    ]
    assert "providers wanted" in re.search(
        r'<section id="americas">.*?</section>', page, re.S
    ).group(0)
    assert 'href="../../directory/?service=incident-response"' in page


# --- open data -------------------------------------------------------------------------------


def test_offer_records(files: dict[str, str]) -> None:
    data = json.loads(files["api/v1/offers.json"])
    assert data["generated"] == "2026-12-04"
    assert data["count"] == len(CURRENT)
    assert sorted(o["key"] for o in data["offers"]) == CURRENT
    record = next(o for o in data["offers"] if o["key"] == "alpine-health-cert/emergency-response")
    assert list(record) == list(g.OFFER_COLUMNS)
    assert record["countries"] == sorted(TAX.region("europe").countries)
    assert record | {"countries": None} == {
        "key": "alpine-health-cert/emergency-response",
        "provider_id": "alpine-health-cert",
        "id": "emergency-response",
        "title": "Round-the-clock incident response for Alpine hospitals",
        "category": "incident-response",
        "category_label": "Incident response and recovery",
        "description": "Two volunteers join a call within four hours of an attack, day or night,"
        " and guide the hospital's own staff through containment and recovery.",
        "url": None,
        "effort": "Someone with administrator access must be on the calls.",
        "regions": ["europe"],
        "countries": None,
        "eligible": ["hospital", "clinic", "care-facility"],
        "languages": ["fr", "de"],
        "delivery": "hybrid",
        "cost": "free",
        "capacity": 2,
        "paused": False,
        "response_time_hours": 4,
        "emergency": True,
        "valid_until": None,
        "conditions": None,
        "provider_name": "Alpine Health CERT",
        "provider_website": "https://alpine-health-cert.example.org",
        "provider_country": "CH",
        "provider_kind": "nonprofit",
        "provider_page": "https://cyber4health.github.io/c4h-directory/providers/alpine-health-cert/"
        "#offer-emergency-response",
        "contact_email": "help@alpine-health-cert.example.org",
        "contact_url": "https://alpine-health-cert.example.org/contact",
        "listed_by": "provider",
        "last_reviewed": "2026-11-20",
        "stale": False,
        "verified": True,
        "verified_on": "2026-11-21",
    }


def test_provider_records(files: dict[str, str]) -> None:
    data = json.loads(files["api/v1/providers.json"])
    by_id = {p["id"]: p for p in data["providers"]}
    assert data["count"] == 6
    old = by_id["old-clinic-helpers"]
    assert old["stale"] is True
    assert [o["id"] for o in old["offers"]] == ["policy-templates", "ending-soon"]
    assert by_id["alpine-health-cert"]["verified"] == {
        "by": "directory-maintainer",
        "on": "2026-11-21",
    }
    assert by_id["global-dns-shield"]["sources"] == ["https://dns-shield.example.org/about"]


def test_csv_has_a_row_per_current_offer(files: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(files["api/v1/offers.csv"], newline="")))
    assert rows[0] == list(g.OFFER_COLUMNS)
    assert sorted(r[0] for r in rows[1:]) == CURRENT
    assert files["api/v1/offers.csv"].count("\r\n") == len(CURRENT) + 1


def test_feed_entries_are_new_or_ending() -> None:
    """New: reviewed within 90 days (Sahel, 94 days ago, is not). Ending: within 30 days."""
    entries = g.feed_entries(cs.fixture_catalogue(), cs.TODAY)
    found = sorted((kind, p.id, o.id, day.isoformat()) for kind, day, p, o in entries)
    assert found == [
        ("expiring", "hostile-in-memory", "xss", "2026-11-20"),
        ("expiring", "old-clinic-helpers", "ending-soon", "2026-11-20"),
        ("new", "alpine-health-cert", "emergency-response", "2026-11-20"),
        ("new", "alpine-health-cert", "phishing-training", "2026-11-20"),
        ("new", "hostile-in-memory", "xss", "2026-11-30"),
        ("new", "tricky-but-valid", "tricky-offer", "2026-12-01"),
    ]


def test_schema_is_published_as_is(files: dict[str, str]) -> None:
    assert files["api/v1/provider.schema.json"] == sch.render(TAX)


# --- generated guide pages -------------------------------------------------------------------


def _schema_paths(node: dict[str, Any], schema: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for name, prop in node.get("properties", {}).items():
        out.append(prefix + name)
        if "$ref" in prop.get("items", {}):
            out += _schema_paths(schema["$defs"]["offer"], schema, f"{prefix}{name}[].")
        elif prop.get("type") == "object":
            out += _schema_paths(prop, schema, f"{prefix}{name}.")
    return out


def test_field_reference_covers_every_schema_property(files: dict[str, str]) -> None:
    schema = sch.build(TAX)
    page = files["guide/field-reference.md"]
    found = _schema_paths(schema, schema)
    assert len(found) > 30
    for path in found:
        assert f"<code>{g.esc(path)}</code>" in page, path
    for description in (d for _, _, d in sch.field_reference(schema)):
        assert g.esc(description) in page


def test_template_page_shows_the_whole_template(files: dict[str, str]) -> None:
    assert g.read_template().rstrip() in files["guide/listing-template.md"]


# --- determinism, writing, deleting ----------------------------------------------------------


def test_output_is_deterministic(cat: model.Catalogue, files: dict[str, str]) -> None:
    again = g.pages(cat, cs.TODAY, cs.SETTINGS, g.read_template())
    assert again == files
    assert list(again) == sorted(again)


def test_write_keeps_unchanged_files_and_deletes_dropped_ones(
    tmp_path: Path, cat: model.Catalogue, files: dict[str, str]
) -> None:
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "index.md").write_text("hand-written")
    (docs / "guide" / "ask-for-help.md").write_text("hand-written too")
    first = g.write(files, docs)
    assert sorted(first.written) == sorted(files)
    page = docs / "directory" / "index.md"
    os.utime(page, (1_000_000, 1_000_000))

    second = g.write(files, docs)
    assert second.written == [] and second.deleted == []
    assert page.stat().st_mtime == 1_000_000

    fewer = model.Catalogue([p for p in cat.providers if p.id != "tricky-but-valid"], [], cat.tax)
    third = g.write(g.pages(fewer, cs.TODAY, cs.SETTINGS, g.read_template()), docs)
    assert third.deleted == ["providers/tricky-but-valid/index.md"]
    assert not (docs / "providers" / "tricky-but-valid").exists()
    assert "directory/index.md" in third.written
    assert (docs / "index.md").read_text() == "hand-written"
    assert (docs / "guide" / "ask-for-help.md").read_text() == "hand-written too"


def test_write_refuses_paths_it_does_not_own(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"index\.md: not a generated path"):
        g.write({"index.md": "x"}, tmp_path)


def test_outdated_lists_changed_missing_and_extra_files(
    tmp_path: Path, files: dict[str, str]
) -> None:
    g.write(files, tmp_path)
    assert g.outdated(files, tmp_path) == []
    (tmp_path / "coverage.md").write_text("edited by hand")
    (tmp_path / "providers" / "gone").mkdir()
    (tmp_path / "providers" / "gone" / "index.md").write_text("left over")
    (tmp_path / "services" / "advisory" / "index.md").unlink()
    assert g.outdated(files, tmp_path) == [
        "coverage.md",
        "providers/gone/index.md",
        "services/advisory/index.md",
    ]


# --- weight ----------------------------------------------------------------------------------


def test_directory_stays_light_at_a_thousand_listings() -> None:
    """Issue 3: the directory page ≤ 250 KB gzip at 1,000 listings (~3,000 offers).

    The Markdown here lacks the theme's header, navigation and footer (about 10 KB gzip; `make
    bench` measures the built page), so it must stay under 240 KB. The synthetic text, with an
    effort note on every offer, compresses about as badly as real prose.
    """
    cat = model.from_dicts(cs.synthetic_listings(1000))
    page = g.directory_page(cat, date(2026, 12, 4), cs.SETTINGS)
    assert len(keys_in(page)) == 3000
    assert len(gzip.compress(page.encode(), 6)) < 240_000


def test_open_data_page_documents_every_offer_field() -> None:
    page = (cs.ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
    for column in g.OFFER_COLUMNS:
        assert f"| `{column}` |" in page, column
    for name in (
        "offers.json",
        "offers.csv",
        "providers.json",
        "taxonomy.json",
        "feed.xml",
        "provider.schema.json",
    ):
        assert f"api/v1/{name}" in page
    assert f"at most {g.FEED_ENTRIES}" in page
    assert f"last {g.NEW_WITHIN.days} days" in page
    assert f"next {g.EXPIRING_WITHIN.days} days" in page
