"""The catalogue: listings → the pages and data files of the site, under ``docs/``.

``pages()`` is pure: a catalogue, today's date and the site settings in, ``{path under docs/:
content}`` out, the same bytes for the same input (sorted, no clock other than ``today``).
``write()`` puts them on disk, touching a file only when its content changed (``mkdocs serve``
would otherwise rebuild forever) and deleting generated files that are no longer produced (a
removed provider's page). The CLI (``c4h generate``, ``c4h build``) and the MkDocs hook call these.

Listing text is written by strangers. Every value is escaped where it lands: HTML text and
attributes go through ``esc`` (which also neutralises ``{ } [ ]`` and backticks, so neither
Markdown nor a template engine sees syntax in them), only ``https:`` addresses become links,
inline JSON goes through ``script_json``, XML through ElementTree, CSV cells through
``csv_cell``. Pages are Markdown files made of raw HTML blocks, so no listing text is ever
interpolated into Markdown syntax.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from c4h import files as fs
from c4h import form, listing, paths
from c4h import schema as sch
from c4h import taxonomy as tx
from c4h.model import Catalogue, Offer, Provider

SETTINGS_FILE = paths.ROOT / ".github" / "c4h.yml"

# What the generator owns under docs/: whole folders, and single files. Nothing else is written
# or deleted, so hand-written pages are never touched. Keep in step with .gitignore.
OWNED_DIRS = ("directory", "providers", "services", "api")
OWNED_FILES = ("coverage.md", "guide/field-reference.md", "guide/listing-template.md")

# Cards come in lists of CHUNK, each with `content-visibility: auto`, so the browser lays out
# only the lists on screen. (Measured with 10,000 cards in Chromium: per-card content-visibility
# made each forced layout cost seconds; per chunk, a filter click repaints in 30-40 ms.)
CHUNK = 100
CARD_TEXT = 160  # characters of a description on a service page; the provider page has it all
EFFORT_TEXT = 60  # characters of the effort note on a directory card (page weight: see card)
NEW_WITHIN = timedelta(days=90)  # feed: a listing reviewed this recently counts as new
EXPIRING_WITHIN = timedelta(days=30)  # feed: an offer ending this soon counts as expiring
FEED_ENTRIES = 200  # the newest entries only: a feed is read for what changed

DELIVERY_LABELS = {"remote": "Remote", "on-site": "On site", "hybrid": "Remote and on site"}
COST_LABELS = {"free": "Free", "free-for-eligible": "Free if eligible"}
KIND_LABELS = {
    "company": "Company",
    "nonprofit": "Nonprofit",
    "academic": "University or academic group",
    "government": "Government body",
    "volunteer-group": "Volunteer group",
}


# --- settings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Where the site and its repository live; read from mkdocs.yml and .github/c4h.yml."""

    repo_url: str
    site_url: str
    edit_uri: str = "edit/main/docs/"
    private_url: str = ""  # where to ask privately (.github/c4h.yml)

    @property
    def request_form(self) -> str:
        return f"{self.repo_url.rstrip('/')}/issues/new?template={form.TEMPLATE_NAME}"

    def listing_edit_url(self, pid: str) -> str:
        """The GitHub editor for providers/<pid>.yml (edit_uri points at docs/, its sibling)."""
        base = f"{self.repo_url.rstrip('/')}/{self.edit_uri.strip('/')}/"
        return urljoin(base, f"../providers/{quote(pid)}.yml")

    def local(self, url: str, base: str) -> str:
        """URL as a link from a page whose way back to the site's root is BASE ("../")."""
        root = self.site_url.rstrip("/") + "/"
        return base + url[len(root) :] if url.startswith(root) else url

    def page_url(self, path: str) -> str:
        """An absolute address on the site, for the data files and the feed."""
        return self.site_url.rstrip("/") + "/" + path


def read_settings(mkdocs_yml: Path = paths.MKDOCS_YML, c4h_yml: Path = SETTINGS_FILE) -> Settings:
    """Settings from the project files, read with the safe loader (mkdocs.yml has no tags)."""
    config = listing.load_plain(mkdocs_yml)
    extra = listing.load_plain(c4h_yml) if c4h_yml.is_file() else {}
    channel = (extra or {}).get("private_channel") or {}
    return Settings(
        repo_url=str(config["repo_url"]).rstrip("/"),
        site_url=str(config["site_url"]),
        edit_uri=str(config.get("edit_uri") or "edit/main/docs/"),
        private_url=str(channel.get("url") or ""),
    )


# --- escaping --------------------------------------------------------------------------------

# "&" first; the rest make Markdown and template syntax inert too.
_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
    ("[", "&#91;"),
    ("]", "&#93;"),
    ("`", "&#96;"),
    ("\r", " "),  # a blank line would end the raw HTML block, and the rest would be Markdown
    ("\n", " "),
)
_JSON_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "{": "\\u007b",
    "}": "\\u007d",
}
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_DOUBLE_BRACE = re.compile(r"([{}])(?=[{}])")
_HTTPS_URL = re.compile(sch.HTTPS_URL)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute, inert in Markdown and templates too."""
    text = str(value)
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def paragraphs(value: str) -> str:
    """Escaped text whose line breaks survive."""
    return "<br>".join(esc(line) for line in value.strip().split("\n"))


def safe_url(value: str | None) -> str | None:
    """The address if it is a plain https URL (the only kind that becomes a link), else None.

    The schema's pattern: https, a host with no user name or password, no spaces anywhere.
    """
    if value and _HTTPS_URL.match(value) and not any(c.isspace() for c in value):
        return value
    return None


def link(url: str | None, text: str | None = None) -> str:
    """An https link, or the escaped text of anything else (never a javascript: link)."""
    target = safe_url(url)
    label = esc(text if text is not None else url or "")
    if target is None:
        return label
    return f'<a href="{esc(target)}" rel="nofollow noopener">{label}</a>'


def script_json(data: Any) -> str:
    """JSON to embed in ``<script type="application/json">``: nothing in it can end the tag.

    ``<``, ``>`` and ``&`` inside strings become escapes, so ``</script>`` cannot close the
    element; U+2028/2029 likewise; braces inside strings too, and structural ``{{``/``}}`` get
    a space, so a template engine finds nothing to expand.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def fix(match: re.Match[str]) -> str:
        return "".join(_JSON_UNSAFE.get(c, c) for c in match.group(0))

    text = _JSON_STRING.sub(fix, text)
    return _DOUBLE_BRACE.sub(r"\1 ", text)


def csv_cell(value: object) -> object:
    """A CSV value that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA):
        return "'" + value
    return value


def front_matter(title: str, **meta: Any) -> str:
    """YAML front matter. The title is HTML-escaped: themes print ``page.meta.title`` raw."""
    lines = ["---", f"title: {json.dumps(esc(title))}"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value)}")
    return "\n".join([*lines, "---", "", ""])


def truncate(text: str, limit: int | None = None) -> str:
    """At most LIMIT characters, cut at a word boundary, with an ellipsis when cut."""
    limit = CARD_TEXT if limit is None else limit
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


# --- vocabulary helpers ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocab:
    """Lookups the pages make thousands of times, built once per taxonomy."""

    categories: dict[str, tx.Term]
    orgs: dict[str, tx.Term]
    org_bits: dict[str, int]
    all_orgs: frozenset[str]


@lru_cache(maxsize=4)
def vocab(tax: tx.Taxonomy) -> _Vocab:
    return _Vocab(
        categories={t.slug: t for t in tax.categories},
        orgs={t.slug: t for t in tax.org_types},
        org_bits={t.slug: 1 << i for i, t in enumerate(tax.org_types)},
        all_orgs=frozenset(tax.org_type_slugs),
    )


def category_label(slug: str, tax: tx.Taxonomy) -> str:
    term = vocab(tax).categories.get(slug)
    return term.label if term else slug


def org_label(slug: str, tax: tx.Taxonomy) -> str:
    term = vocab(tax).orgs.get(slug)
    return term.label if term else slug


@lru_cache(maxsize=4096)
def _q(text: str) -> str:
    return quote(text, safe="")


def language_name(code: str, tax: tx.Taxonomy) -> str:
    return tax.languages.get(code, code)


@lru_cache(maxsize=4096)
def area_tokens(regions: tuple[str, ...], tax: tx.Taxonomy) -> tuple[str, ...]:
    """An offer's regions without the ones another of its regions contains (facet data).

    ``[europe, CH]`` → ``[europe]``; ``global`` swallows everything. What remains covers the
    same countries, and the directory script counts each offer once per country.
    """
    areas = sorted(set(regions))
    if tx.GLOBAL in areas:
        return (tx.GLOBAL,)
    covered = {a: tax.expand(a) for a in areas}
    keep = []
    for a in areas:
        inside = any(
            b != a and covered[a] <= covered[b] and (covered[a] != covered[b] or b < a)
            for b in areas
        )
        if not inside:
            keep.append(a)
    return tuple(keep)


def ask_url(
    site: Settings,
    tax: tx.Taxonomy,
    *,
    services: Sequence[str] = (),
    country: str | None = None,
    org_type: str | None = None,
    languages: Sequence[str] = (),
) -> str:
    """The request form prefilled with these choices, labelled exactly as the form labels them."""
    return form.prefill_url(
        site.repo_url,
        services=services,
        country=country,
        org_type=org_type,
        languages=languages,
        tax=tax,
    )


def form_labels(tax: tx.Taxonomy, languages: Iterable[str]) -> dict[str, dict[str, str]]:
    """Option labels of the request form by slug or code, for the directory's ask button."""
    by_value = {
        fid: {v: k for k, v in options.items()} for fid, options in form.vocabulary(tax).items()
    }
    wanted = set(languages)
    by_value["languages"] = {c: label for c, label in by_value["languages"].items() if c in wanted}
    del by_value["urgency"]
    return by_value


def _labels(items: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in items)


def _org_labels(slugs: Sequence[str], tax: tx.Taxonomy) -> str:
    if vocab(tax).all_orgs <= set(slugs):
        return "Every kind of healthcare organisation"
    return ", ".join(org_label(s, tax) for s in slugs)


def _areas(regions: Sequence[str], tax: tx.Taxonomy) -> str:
    return ", ".join(tax.area_label(a) for a in regions)


def _day(value: date) -> str:
    return value.isoformat()


def current_offers(cat: Catalogue, today: date) -> list[tuple[Provider, Offer]]:
    """Every offer still on offer today, in directory order (provider name, then listing order)."""
    return [(p, o) for p in cat.providers for o in p.offers if o.current(today)]


# --- cards -----------------------------------------------------------------------------------


def badges(provider: Provider, offer: Offer, today: date) -> str:
    out = []
    if offer.emergency:
        out.append('<span class="c4h-badge c4h-badge--urgent">Helps during an attack</span>')
    if offer.paused:
        out.append('<span class="c4h-badge c4h-badge--paused">Paused: no new requests</span>')
    if provider.stale(today):
        out.append(
            '<span class="c4h-badge c4h-badge--stale">Stale: last checked '
            f"{_day(provider.last_reviewed)}</span>"
        )
    if provider.verified:
        out.append('<span class="c4h-badge c4h-badge--verified">Verified</span>')
    return f'<p class="c4h-badges">{"".join(out)}</p>' if out else ""


def org_mask(slugs: Iterable[str], tax: tx.Taxonomy) -> str:
    """Organisation types as a hex bit mask in taxonomy order (bit 0 = the first type)."""
    bits = vocab(tax).org_bits
    return format(sum(bits.get(s, 0) for s in set(slugs)), "x")


def card(
    provider: Provider,
    offer: Offer,
    tax: tx.Taxonomy,
    today: date,
    base: str,
) -> str:
    """One offer as a compact card: facet data in data-* attributes, the text escaped.

    A card says what the offer is, where, in which languages, at what cost, and what it asks
    of the organisation (the start of its effort note): what a clinic needs to decide whether
    to open it. Who may ask is a filter (the organisation facet), and the description and the
    full eligibility stay on the provider page: measured at 1,000 listings, an eligibility
    line on every card cost 25 KB gzip and the 160-character description 120 KB, against the
    page's 250 KB budget.
    """
    attrs = [
        f'data-offer="{esc(offer.key)}"',
        f'data-s="{esc(offer.category)}"',
        f'data-a="{esc(" ".join(area_tokens(tuple(offer.regions), tax)))}"',
        f'data-l="{esc(" ".join(sorted(set(offer.languages))))}"',
        f'data-o="{org_mask(offer.eligible, tax)}"',
        f'data-d="{esc(offer.delivery)}"',
    ]
    if offer.emergency:
        attrs.append("data-e")
    href = f"{base}providers/{_q(provider.id)}/#offer-{_q(offer.id)}"
    facts = " · ".join(
        (
            esc(_areas(offer.regions, tax)),
            esc(_labels(offer.languages, tax.languages)),
            esc(DELIVERY_LABELS.get(offer.delivery, offer.delivery)),
            esc(COST_LABELS.get(offer.cost, offer.cost)),
        )
    )
    return (
        f"<li {' '.join(attrs)}>"
        f'<h2><a href="{esc(href)}">{esc(offer.title)}</a></h2>'
        f"<p>{esc(provider.name)} · {esc(category_label(offer.category, tax))}</p>"
        f'<p class="c4h-facts">{facts}</p>'
        + (
            f'<p class="c4h-facts">Asks of you: {esc(truncate(offer.effort, EFFORT_TEXT))}</p>'
            if offer.effort
            else ""
        )
        + f"{badges(provider, offer, today)}</li>"
    )


def service_entry(provider: Provider, offer: Offer, tax: tx.Taxonomy, today: date) -> str:
    """One offer on a service page: title, the start of its description, provider, where."""
    href = f"../../providers/{_q(provider.id)}/#offer-{_q(offer.id)}"
    facts = " · ".join(
        (
            esc(provider.name),
            esc(_areas(offer.regions, tax)),
            esc(_labels(offer.languages, tax.languages)),
            esc(COST_LABELS.get(offer.cost, offer.cost)),
        )
    )
    return (
        f'<li data-offer="{esc(offer.key)}"><a href="{esc(href)}">{esc(offer.title)}</a><br>'
        f"{esc(truncate(offer.description))}<br>"
        f'<span class="c4h-muted">{facts}</span>{badges(provider, offer, today)}</li>'
    )


# --- directory -------------------------------------------------------------------------------


def by_name(text: str) -> str:
    """Alphabetical order for people: accents and case ignored ("Åland" files under A)."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def facet_data(cat: Catalogue, offers: Sequence[Offer], site: Settings) -> dict[str, Any]:
    """What the directory script needs once per page: vocabularies and the region map."""
    tax = cat.tax
    used_services = {o.category for o in offers}
    used_languages = sorted({lang for o in offers for lang in o.languages})
    used_delivery = {o.delivery for o in offers}
    return {
        "services": [[t.slug, t.label] for t in tax.categories if t.slug in used_services],
        "orgs": [[t.slug, t.label] for t in tax.org_types],
        "delivery": [[d, DELIVERY_LABELS[d]] for d in tx.DELIVERY if d in used_delivery],
        "languages": sorted(
            ([c, language_name(c, tax)] for c in used_languages), key=lambda x: by_name(x[1])
        ),
        "countries": sorted(
            ([c, n] for c, n in tax.countries.items()), key=lambda x: by_name(x[1])
        ),
        "regions": {r.slug: sorted(r.countries) for r in tax.regions},
        "form": site.request_form,
        "formLabels": form_labels(tax, used_languages),
        "formJoin": ", ",  # GitHub joins the choices of a multiple dropdown this way
    }


def _private_note(site: Settings) -> str:
    if not site.private_url:
        return ""
    return (
        '<p class="c4h-private">The request is public. Cannot say it in public? '
        f'<a href="{esc(site.local(site.private_url, "../"))}">Ask privately</a>.</p>'
    )


# In a build, the directory page goes through the site builder with this empty element, and
# the cards are put into the built HTML afterwards (site.py): Markdown would otherwise parse
# every tag of thousands of cards (0.3–0.7 s at 1,000 listings) only to copy them unchanged.
CARDS_SLOT = '<div id="c4h-offers" class="c4h-offers" data-cards="later"></div>'


def directory_cards(cat: Catalogue, today: date) -> str:
    """The cards of the directory, in lists of CHUNK (see the stylesheet's content-visibility)."""
    cards = [card(p, o, cat.tax, today, "../") for p, o in current_offers(cat, today)]
    return "\n".join(
        '<ol class="c4h-cards c4h-chunk">\n' + "\n".join(cards[i : i + CHUNK]) + "\n</ol>"
        for i in range(0, len(cards), CHUNK)
    )


def fill_cards(html: str, cards: str) -> str:
    """The built directory page with its cards in place of CARDS_SLOT (exactly one)."""
    if html.count(CARDS_SLOT) != 1:
        raise ValueError("the built directory page does not hold exactly one slot for the cards")
    return html.replace(CARDS_SLOT, f'<div id="c4h-offers" class="c4h-offers">\n{cards}\n</div>')


def directory_page(cat: Catalogue, today: date, site: Settings, *, cards: bool = True) -> str:
    """The directory; with CARDS false, an empty slot the build fills in (fill_cards)."""
    pairs = current_offers(cat, today)
    offers_html = (
        f'<div id="c4h-offers" class="c4h-offers">\n{directory_cards(cat, today)}\n</div>'
        if cards
        else CARDS_SLOT
    )
    total = len(pairs)
    data = script_json(facet_data(cat, [o for _, o in pairs], site))
    return (
        front_matter("Directory of free help", hide=["navigation", "toc"], search={"exclude": True})
        + f"""<div id="c4h-directory" class="c4h-directory" data-total="{total}">
<h1>Directory of free help</h1>
<p class="c4h-lead">Every free offer in the directory. Each card says where the offer is \
available, in which languages, what it costs and what it asks of you. Choose your kind of \
organisation to see only what you may ask for; open a card for the details and how to ask.</p>
<p class="c4h-nojs">To narrow the list without JavaScript, <a href="../services/">browse by \
service</a>.</p>
<div id="c4h-controls" class="c4h-controls"></div>
<div class="c4h-results">
<div class="c4h-summary">
<p class="c4h-status" role="status" aria-live="polite" aria-atomic="true"><span \
id="result-count">{total}</span> <span id="result-text">{"offer" if total == 1 else "offers"}\
</span></p>
<p class="c4h-ask"><a id="c4h-ask" class="md-button md-button--primary" \
href="{esc(site.request_form)}">Ask for help with these</a></p>
</div>{_private_note(site)}
{offers_html}
<p id="c4h-none" class="c4h-none" hidden>No offer matches all your choices. Remove a filter, or \
<a href="{esc(site.request_form)}">ask for help</a> anyway: maintainers may know someone.</p>
</div>
<template id="c4h-data"><script type="application/json">{data}</script></template>
</div>
"""
    )


# --- provider pages --------------------------------------------------------------------------


def _row(label: str, value: str) -> str:
    """One name and value of a fields list; nothing when there is no value."""
    return f"<dt>{esc(label)}</dt><dd>{value}</dd>" if value else ""


def _contact(provider: Provider) -> str:
    parts = []
    c = provider.contact
    if c.email:
        parts.append(f'<a href="mailto:{esc(quote(c.email, safe="@"))}">{esc(c.email)}</a>')
    if c.url:
        parts.append(link(c.url))
    if c.pgp_key:
        parts.append("PGP key: " + link(c.pgp_key))
    return "<br>".join(parts)


def _ask_provider(provider: Provider, site: Settings, tax: tx.Taxonomy, today: date) -> str:
    c = provider.contact
    direct = f"mailto:{quote(c.email, safe='@')}" if c.email else safe_url(c.url) or ""
    services = list(dict.fromkeys(o.category for o in provider.current_offers(today)))
    via_form = ask_url(site, tax, services=services)
    out = []
    if direct:
        out.append(
            f'<a class="md-button md-button--primary" href="{esc(direct)}">Ask this provider</a>'
        )
    out.append(f'<a class="md-button" href="{esc(via_form)}">Ask through the directory</a>')
    out.append(
        f'<a class="md-button" href="{esc(site.listing_edit_url(provider.id))}">'
        "Edit this listing</a>"
    )
    return f'<p class="c4h-actions">{" ".join(out)}</p>'


def offer_section(offer: Offer, tax: tx.Taxonomy, today: date, expired: bool = False) -> str:
    term = vocab(tax).categories[offer.category]
    rows = [
        _row("Service", f'<a href="../../services/{esc(term.slug)}/">{esc(term.label)}</a>'),
        _row("What it is", paragraphs(offer.description)),
        _row("Who can ask", esc(_org_labels(offer.eligible, tax))),
        _row("Where", esc(_areas(offer.regions, tax))),
        _row("Languages", esc(_labels(offer.languages, tax.languages))),
        _row("How", esc(DELIVERY_LABELS.get(offer.delivery, offer.delivery))),
        _row("Cost", esc(COST_LABELS.get(offer.cost, offer.cost))),
        _row("What it asks of you", paragraphs(offer.effort) if offer.effort else ""),
        _row("Conditions", paragraphs(offer.conditions) if offer.conditions else ""),
        _row(
            "Helps during an attack",
            "Yes: help with an attack in progress, at any hour" if offer.emergency else "",
        ),
        _row(
            "Capacity",
            "Paused: not taking new requests for now"
            if offer.paused
            else (f"{offer.capacity} requests at a time" if offer.capacity else ""),
        ),
        _row(
            "First answer",
            f"Within {offer.response_time_hours} hours" if offer.response_time_hours else "",
        ),
        _row("Available until", _day(offer.valid_until) if offer.valid_until else ""),
        _row("Start here", link(offer.url) if offer.url else ""),
    ]
    cls = "c4h-offer c4h-offer--expired" if expired else "c4h-offer"
    note = (
        f'<p class="c4h-badges"><span class="c4h-badge c4h-badge--stale">Ended on '
        f"{_day(offer.valid_until)}</span></p>"
        if expired and offer.valid_until
        else ""
    )
    return (
        f'<section class="{cls}" data-offer="{esc(offer.key)}">'
        f'<h2 id="offer-{esc(offer.id)}">{esc(offer.title)}</h2>{note}'
        f'<dl class="c4h-fields">{"".join(rows)}</dl></section>'
    )


def provider_page(provider: Provider, tax: tx.Taxonomy, today: date, site: Settings) -> str:
    p = provider
    status = []
    if p.verified:
        status.append(
            '<span class="c4h-badge c4h-badge--verified">Verified by directory maintainers on '
            f"{_day(p.verified.on)}</span>"
        )
    else:
        status.append('<span class="c4h-badge">Not verified yet</span>')
    if p.stale(today):
        status.append(
            '<span class="c4h-badge c4h-badge--stale">Stale: not checked for over a year</span>'
        )
    origin = (
        "Written by directory maintainers from public sources; the provider has not taken it over."
        if p.curated
        else "Submitted and kept current by the provider."
    )
    maintainers = ", ".join(
        f'<a href="https://github.com/{esc(quote(m))}">{esc(m)}</a>' for m in p.maintainers
    )
    sources = "".join(f"<li>{link(s)}</li>" for s in p.sources)
    facts = "".join(
        (
            _row("Website", link(p.website)),
            _row("Based in", esc(tax.countries.get(p.country, p.country))),
            _row("Kind", esc(KIND_LABELS.get(p.kind, p.kind))),
            _row("Helps in", esc(_labels(p.languages, tax.languages))),
            _row("Contact", _contact(p)),
            _row("Last reviewed", _day(p.last_reviewed)),
            _row(
                "Verified",
                f"Yes, by {esc(p.verified.by)} on {_day(p.verified.on)}"
                if p.verified
                else "Not yet",
            ),
            _row("Listing", esc(origin)),
            _row("Kept current by", maintainers),
            _row("Sources", f"<ul>{sources}</ul>" if sources else ""),
        )
    )
    current = p.current_offers(today)
    ended = [o for o in p.offers if not o.current(today)]
    offers = "\n".join(offer_section(o, tax, today) for o in current)
    if ended:
        offers += '\n<h2 class="c4h-ended">Offers that have ended</h2>\n' + "\n".join(
            offer_section(o, tax, today, expired=True) for o in ended
        )
    if not current:
        offers = '<p class="c4h-none">This provider has no current offer.</p>\n' + offers
    return (
        front_matter(p.name)
        + f"""<div class="c4h-provider" data-provider="{esc(p.id)}">
<h1>{esc(p.name)}</h1>
<p class="c4h-badges">{"".join(status)}</p>
<p class="c4h-description">{paragraphs(p.description)}</p>
{_ask_provider(p, site, tax, today)}
<dl class="c4h-fields">{facts}</dl>
<p class="c4h-back"><a href="../../directory/">Back to the directory</a></p>
{offers}
</div>
"""
    )


def providers_index(cat: Catalogue, today: date) -> str:
    items = []
    for p in cat.providers:
        count = len(p.current_offers(today))
        stale = ' <span class="c4h-badge c4h-badge--stale">Stale</span>' if p.stale(today) else ""
        items.append(
            f'<li><a href="{esc(quote(p.id))}/">{esc(p.name)}</a> '
            f'<span class="c4h-muted">{count} offer{"" if count == 1 else "s"}</span>{stale}</li>'
        )
    return (
        front_matter("Providers A to Z")
        + '<div class="c4h-providers">\n<h1>Providers A to Z</h1>\n'
        + f"<p>{len(cat.providers)} providers list free help here.</p>\n"
        + f'<ul class="c4h-plain">\n{chr(10).join(items)}\n</ul>\n</div>\n'
    )


# --- services --------------------------------------------------------------------------------


def continents(tax: tx.Taxonomy) -> list[tx.Region]:
    return [r for r in tax.regions if r.subregions]


def subregions(tax: tx.Taxonomy, continent: tx.Region) -> list[tx.Region]:
    return [tax.region(s) for s in continent.subregions]


def services_index(cat: Catalogue, today: date) -> str:
    tax = cat.tax
    counts = Counter(o.category for _, o in current_offers(cat, today))
    groups = []
    for function in tx.CSF_FUNCTIONS:
        terms = [t for t in tax.categories if t.function == function]
        if not terms:
            continue
        items = "".join(
            f'<li><a href="{esc(t.slug)}/">{esc(t.label)}</a> '
            f'<span class="c4h-muted">{counts[t.slug]} offer{"" if counts[t.slug] == 1 else "s"}'
            f"</span><br>{esc(t.description)}</li>"
            for t in terms
        )
        groups.append(f'<h2>{esc(function)}</h2>\n<ul class="c4h-plain">{items}</ul>')
    return (
        front_matter("Services") + '<div class="c4h-services">\n<h1>Services</h1>\n'
        "<p>Free help, grouped by the kind of service. The headings follow the functions of "
        "the NIST Cybersecurity Framework 2.0. Each page lists the offers of one service by "
        "continent, and works without JavaScript. To filter by country or language, use the "
        '<a href="../directory/">directory</a>.</p>\n' + "\n".join(groups) + "\n</div>\n"
    )


def service_page(cat: Catalogue, slug: str, today: date, site: Settings) -> str:
    tax = cat.tax
    term = tax.category(slug)
    pairs = [(p, o) for p, o in current_offers(cat, today) if o.category == slug]
    worldwide = [(p, o) for p, o in pairs if tx.GLOBAL in o.regions]
    local = [(p, o) for p, o in pairs if tx.GLOBAL not in o.regions]
    sections = []
    jump = ['<a href="#worldwide">Worldwide</a>']

    def block(anchor: str, title: str, items: list[tuple[Provider, Offer]]) -> str:
        if items:
            entries = "\n".join(service_entry(p, o, tax, today) for p, o in items)
            body = f'<ul class="c4h-plain c4h-entries">\n{entries}\n</ul>'
        else:
            body = (
                '<p class="c4h-gap-note">No offer here yet: providers wanted. '
                '<a href="../../guide/list-your-service/">List your service</a>.</p>'
            )
        return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>\n{body}</section>'

    sections.append(block("worldwide", "Available worldwide", worldwide))
    for continent in continents(tax):
        jump.append(f'<a href="#{esc(continent.slug)}">{esc(continent.label)}</a>')
        inside = [(p, o) for p, o in local if o.countries & continent.countries]
        sections.append(block(continent.slug, f"In {continent.label}", inside))
    others = " · ".join(
        f'<a href="../{esc(t.slug)}/">{esc(t.label)}</a>' for t in tax.categories if t.slug != slug
    )
    ask = ask_url(site, tax, services=[slug])
    return (
        front_matter(term.label, search={"exclude": True})
        + f"""<div class="c4h-service" data-service="{esc(slug)}">
<h1>{esc(term.label)}</h1>
<p class="c4h-lead">{esc(term.description)}</p>
<p>{len(pairs)} current offer{"" if len(pairs) == 1 else "s"}. \
<a href="../../directory/?service={quote(slug)}">Filter them in the directory</a> \
· <a href="{esc(ask)}">Ask for help with this</a></p>
<nav class="c4h-jump" aria-label="Regions"><p>Jump to: {" · ".join(jump)}</p></nav>
{chr(10).join(sections)}
<h2>Other services</h2>
<p class="c4h-others">{others}</p>
</div>
"""
    )


# --- coverage --------------------------------------------------------------------------------


def coverage(cat: Catalogue, today: date) -> dict[tuple[str, str], int]:
    """(category, region) → number of current offers available somewhere in the region.

    Regions are the taxonomy's continents and sub-regions; worldwide offers count everywhere.
    """
    tax = cat.tax
    counts: dict[tuple[str, str], int] = {
        (t.slug, r.slug): 0 for t in tax.categories for r in tax.regions
    }
    for _, offer in current_offers(cat, today):
        for region in tax.regions:
            if offer.countries & region.countries:
                counts[(offer.category, region.slug)] += 1
    return counts


def _coverage_table(
    cat: Catalogue, counts: Mapping[tuple[str, str], int], regions: Sequence[tx.Region], title: str
) -> str:
    head = "".join(f'<th scope="col">{esc(r.label)}</th>' for r in regions)
    rows = []
    for term in cat.tax.categories:
        cells = []
        for r in regions:
            n = counts[(term.slug, r.slug)]
            if n:
                cells.append(f"<td>{n}</td>")
            else:
                cells.append(
                    '<td class="c4h-gap">0<span class="c4h-gap-label">'
                    " providers wanted here</span></td>"
                )
        rows.append(
            f'<tr><th scope="row"><a href="../services/{esc(term.slug)}/">{esc(term.label)}</a>'
            f"</th>{''.join(cells)}</tr>"
        )
    return (
        f'<div class="c4h-table-wrap"><table class="c4h-coverage"><caption>{esc(title)}</caption>'
        f'<thead><tr><th scope="col">Service</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def coverage_page(cat: Catalogue, today: date) -> str:
    tax = cat.tax
    counts = coverage(cat, today)
    gaps = sum(1 for v in counts.values() if v == 0)
    tables = [_coverage_table(cat, counts, continents(tax), "Offers by continent")]
    for continent in continents(tax):
        tables.append(f'<h2 id="{esc(continent.slug)}">{esc(continent.label)}</h2>')
        tables.append(
            _coverage_table(
                cat,
                counts,
                subregions(tax, continent),
                f"Offers in the regions of {continent.label}",
            )
        )
    return (
        front_matter("Coverage")
        + '<div class="c4h-coverage-page">\n<h1>Coverage: where help is missing</h1>\n'
        "<p>Each number is how many current offers of a service are available in at least one "
        "country of a region. Offers available worldwide count everywhere. "
        f"<strong>Highlighted cells have no offer: providers wanted here.</strong> {gaps} of "
        f"{len(counts)} service and region pairs have none yet.</p>\n"
        '<p>You offer one of these for free? <a href="../guide/list-your-service/">List your '
        "service</a>.</p>\n" + "\n".join(tables) + "\n</div>\n"
    )


# --- open data -------------------------------------------------------------------------------


def offer_fields(offer: Offer, tax: tx.Taxonomy) -> dict[str, Any]:
    return {
        "id": offer.id,
        "key": offer.key,
        "title": offer.title,
        "category": offer.category,
        "category_label": category_label(offer.category, tax),
        "description": offer.description,
        "url": offer.url,
        "effort": offer.effort,
        "regions": list(offer.regions),
        "countries": sorted(offer.countries),
        "eligible": list(offer.eligible),
        "languages": list(offer.languages),
        "delivery": offer.delivery,
        "cost": offer.cost,
        "capacity": offer.capacity,
        "paused": offer.paused,
        "response_time_hours": offer.response_time_hours,
        "emergency": offer.emergency,
        "valid_until": _day(offer.valid_until) if offer.valid_until else None,
        "conditions": offer.conditions,
    }


def provider_record(p: Provider, tax: tx.Taxonomy, today: date, site: Settings) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "website": p.website,
        "country": p.country,
        "kind": p.kind,
        "description": p.description,
        "contact": {"email": p.contact.email, "url": p.contact.url, "pgp_key": p.contact.pgp_key},
        "listed_by": p.listed_by,
        "maintainers": list(p.maintainers),
        "sources": list(p.sources),
        "languages": list(p.languages),
        "last_reviewed": _day(p.last_reviewed),
        "stale": p.stale(today),
        "verified": {"by": p.verified.by, "on": _day(p.verified.on)} if p.verified else None,
        "page": site.page_url(f"providers/{_q(p.id)}/"),
        "offers": [offer_fields(o, tax) for o in p.current_offers(today)],
    }


# One flat record per current offer: the offer's fields, then what a consumer needs of its
# provider, prefixed provider_. This order is the CSV's column order.
OFFER_COLUMNS = (
    "key",
    "provider_id",
    "id",
    "title",
    "category",
    "category_label",
    "description",
    "url",
    "effort",
    "regions",
    "countries",
    "eligible",
    "languages",
    "delivery",
    "cost",
    "capacity",
    "paused",
    "response_time_hours",
    "emergency",
    "valid_until",
    "conditions",
    "provider_name",
    "provider_website",
    "provider_country",
    "provider_kind",
    "provider_page",
    "contact_email",
    "contact_url",
    "listed_by",
    "last_reviewed",
    "stale",
    "verified",
    "verified_on",
)


def offer_record(
    p: Provider, offer: Offer, tax: tx.Taxonomy, today: date, site: Settings
) -> dict[str, Any]:
    fields = offer_fields(offer, tax)
    record = {
        **fields,
        "provider_id": p.id,
        "provider_name": p.name,
        "provider_website": p.website,
        "provider_country": p.country,
        "provider_kind": p.kind,
        "provider_page": site.page_url(f"providers/{_q(p.id)}/#offer-{_q(offer.id)}"),
        "contact_email": p.contact.email,
        "contact_url": p.contact.url,
        "listed_by": p.listed_by,
        "last_reviewed": _day(p.last_reviewed),
        "stale": p.stale(today),
        "verified": p.verified is not None,
        "verified_on": _day(p.verified.on) if p.verified else None,
    }
    return {key: record[key] for key in OFFER_COLUMNS}


def offers_csv(records: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OFFER_COLUMNS)
    for record in records:
        row = []
        for key in OFFER_COLUMNS:
            value = record[key]
            if isinstance(value, list):
                value = " ".join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif value is None:
                value = ""
            row.append(csv_cell(value))
        writer.writerow(row)
    return out.getvalue()


def taxonomy_record(tax: tx.Taxonomy) -> dict[str, Any]:
    return {
        "categories": [
            {"slug": t.slug, "label": t.label, "description": t.description, "function": t.function}
            for t in tax.categories
        ],
        "org_types": [
            {"slug": t.slug, "label": t.label, "description": t.description} for t in tax.org_types
        ],
        "regions": [
            {
                "slug": r.slug,
                "label": r.label,
                "subregions": list(r.subregions),
                "countries": sorted(r.countries),
            }
            for r in tax.regions
        ],
        "countries": tax.countries,
        "languages": tax.languages,
    }


def _json(meta: Mapping[str, Any], key: str, records: Sequence[Any]) -> str:
    """META plus a list of records under KEY, one record per line (diffable, and fast to write)."""
    head = json.dumps(meta, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return f'{head}, "count": {len(records)}, "{key}": [\n{body}\n]}}\n'


ATOM = "http://www.w3.org/2005/Atom"


def feed_entries(cat: Catalogue, today: date) -> list[tuple[str, date, Provider, Offer]]:
    """(kind, updated, provider, offer) for the feed, newest first.

    kind "new": the listing was reviewed within NEW_WITHIN days (new or re-checked offers);
    kind "expiring": the offer ends within EXPIRING_WITHIN days; dated the day it entered that
    window, so the entry does not change from one day to the next.
    """
    entries = []
    for p, o in current_offers(cat, today):
        if today - p.last_reviewed <= NEW_WITHIN:
            entries.append(("new", p.last_reviewed, p, o))
        if o.valid_until is not None and o.valid_until - today <= EXPIRING_WITHIN:
            entries.append(("expiring", o.valid_until - EXPIRING_WITHIN, p, o))
    entries.sort(key=lambda e: (-e[1].toordinal(), e[2].id, e[3].id, e[0]))
    return entries[:FEED_ENTRIES]


def atom_feed(cat: Catalogue, today: date, site: Settings) -> str:
    def clean(text: str) -> str:
        return _XML_BAD.sub("", text)

    ET.register_namespace("", ATOM)
    host = urlsplit(site.site_url).hostname or "localhost"
    root = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: clean(v) for k, v in attrs.items()})
        if text is not None:
            el.text = clean(text)
        return el

    add(root, "title", "Free cybersecurity help for healthcare: new and ending offers")
    add(root, "id", site.page_url("api/v1/feed.xml"))
    add(root, "updated", f"{_day(today)}T00:00:00Z")
    add(root, "link", href=site.page_url("api/v1/feed.xml"), rel="self")
    add(root, "link", href=site.page_url("directory/"), rel="alternate")
    author = add(root, "author")
    add(author, "name", "Directory maintainers")
    for kind, updated, p, o in feed_entries(cat, today):
        entry = add(root, "entry")
        if kind == "new":
            title = f"New or updated: {o.title} ({p.name})"
            tag = f"tag:{host},{_day(updated)}:offers/{o.key}/reviewed"
        else:
            assert o.valid_until is not None
            title = f"Ends on {_day(o.valid_until)}: {o.title} ({p.name})"
            tag = f"tag:{host},{_day(o.valid_until)}:offers/{o.key}/ends"
        add(entry, "title", title)
        add(entry, "id", tag)
        add(entry, "updated", f"{_day(updated)}T00:00:00Z")
        add(entry, "link", href=site.page_url(f"providers/{quote(p.id)}/#offer-{quote(o.id)}"))
        add(entry, "category", term=o.category, label=category_label(o.category, cat.tax))
        add(entry, "summary", o.description, type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def api_files(cat: Catalogue, today: date, site: Settings) -> dict[str, str]:
    tax = cat.tax
    records = [offer_record(p, o, tax, today, site) for p, o in current_offers(cat, today)]
    providers = [provider_record(p, tax, today, site) for p in cat.providers]
    meta = {"generated": _day(today)}
    return {
        "api/v1/providers.json": _json(meta, "providers", providers),
        "api/v1/offers.json": _json(meta, "offers", records),
        "api/v1/offers.csv": offers_csv(records),
        "api/v1/provider.schema.json": sch.render(tax),
        "api/v1/taxonomy.json": json.dumps(taxonomy_record(tax), ensure_ascii=False, indent=1)
        + "\n",
        "api/v1/feed.xml": atom_feed(cat, today, site),
    }


# --- guide pages generated from the schema ---------------------------------------------------


def field_reference_page(tax: tx.Taxonomy) -> str:
    rows = "".join(
        f"<tr><td><code>{esc(path)}</code></td><td>{'required' if required else 'optional'}</td>"
        f"<td>{esc(description)}</td></tr>"
        for path, required, description in sch.field_reference(sch.build(tax))
    )
    categories = "".join(
        f"<tr><td><code>{esc(t.slug)}</code></td><td>{esc(t.label)}</td>"
        f"<td>{esc(t.description)}</td><td>{esc(t.function)}</td></tr>"
        for t in tax.categories
    )
    orgs = "".join(
        f"<tr><td><code>{esc(t.slug)}</code></td><td>{esc(t.label)}</td>"
        f"<td>{esc(t.description)}</td></tr>"
        for t in tax.org_types
    )
    regions = "".join(
        f"<tr><td><code>{esc(r.slug)}</code></td><td>{esc(r.label)}</td><td>"
        + (esc(", ".join(r.subregions)) if r.subregions else esc(" ".join(sorted(r.countries))))
        + "</td></tr>"
        for r in tax.regions
    )
    return (
        front_matter("Field reference")
        + f"""<div class="c4h-reference">
<h1>Field reference</h1>
<p>Every field of a listing, as the schema defines it. This page is generated from \
<code>schema/provider.schema.json</code>, so it always matches what the checks accept. \
Fields under <code>offers[]</code> belong to each offer. "Required" inside an offer means \
required for each offer.</p>
<p>Also required, depending on <code>listed_by</code>: <code>maintainers</code> when the \
provider lists itself, <code>sources</code> when directory maintainers wrote the listing.</p>
<div class="c4h-table-wrap"><table><thead><tr><th scope="col">Field</th>\
<th scope="col">Required</th><th scope="col">What to write</th></tr></thead>
<tbody>{rows}</tbody></table></div>
<h2 id="categories">Service categories</h2>
<p>Values of <code>offers[].category</code>.</p>
<div class="c4h-table-wrap"><table><thead><tr><th scope="col">Slug</th><th scope="col">Label</th>\
<th scope="col">Meaning</th><th scope="col">CSF function</th></tr></thead>
<tbody>{categories}</tbody></table></div>
<h2 id="org-types">Organisation types</h2>
<p>Values of <code>offers[].eligible</code>.</p>
<div class="c4h-table-wrap"><table><thead><tr><th scope="col">Slug</th><th scope="col">Label</th>\
<th scope="col">Meaning</th></tr></thead>
<tbody>{orgs}</tbody></table></div>
<h2 id="regions">Regions</h2>
<p>Values of <code>offers[].regions</code>, besides country codes and <code>global</code>.</p>
<div class="c4h-table-wrap"><table><thead><tr><th scope="col">Slug</th><th scope="col">Name</th>\
<th scope="col">Covers</th></tr></thead>
<tbody>{regions}</tbody></table></div>
</div>
"""
    )


def template_page(template: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", template)), default=0)
    fence = "`" * max(3, longest + 1)
    return (
        front_matter("Listing template") + "# Listing template\n\n"
        "Copy this file to `providers/<your-listing-id>.yml` and replace every value. It is "
        "`schema/listing-template.yml` in the repository, shown here in full. The "
        "[field reference](field-reference.md) explains each field.\n\n"
        f"{fence}yaml\n{template.rstrip()}\n{fence}\n"
    )


# --- everything ------------------------------------------------------------------------------


def pages(
    cat: Catalogue, today: date, site: Settings, template: str, *, for_build: bool = False
) -> dict[str, str]:
    """Every generated file: path relative to docs/ → content.

    FOR_BUILD (``c4h build``): the open-data files (api/v1/*) are left out and the directory's
    cards replaced by a slot; the build makes both while the site builder runs and puts them
    into the built site afterwards.
    """
    tax = cat.tax
    out: dict[str, str] = {
        "directory/index.md": directory_page(cat, today, site, cards=not for_build),
        "providers/index.md": providers_index(cat, today),
        "services/index.md": services_index(cat, today),
        "coverage.md": coverage_page(cat, today),
        "guide/field-reference.md": field_reference_page(tax),
        "guide/listing-template.md": template_page(template),
    }
    for p in cat.providers:
        out[f"providers/{p.id}/index.md"] = provider_page(p, tax, today, site)
    for term in tax.categories:
        out[f"services/{term.slug}/index.md"] = service_page(cat, term.slug, today, site)
    if not for_build:
        out.update(api_files(cat, today, site))
    return dict(sorted(out.items()))


API_FILES = (
    "api/v1/providers.json",
    "api/v1/offers.json",
    "api/v1/offers.csv",
    "api/v1/provider.schema.json",
    "api/v1/taxonomy.json",
    "api/v1/feed.xml",
)


def owned(rel: str) -> bool:
    """Whether a path under docs/ belongs to the generator."""
    return rel in OWNED_FILES or rel.split("/", 1)[0] in OWNED_DIRS


def existing(docs_dir: Path) -> list[str]:
    """Generated files currently on disk (relative paths)."""
    found = [f for f in OWNED_FILES if (docs_dir / f).is_file()]
    for d in OWNED_DIRS:
        root = docs_dir / d
        if root.is_dir():
            found += [p.relative_to(docs_dir).as_posix() for p in root.rglob("*") if p.is_file()]
    return sorted(found)


@dataclass(frozen=True)
class Changes:
    written: list[str]
    deleted: list[str]
    unchanged: int


def write(files: Mapping[str, str], docs_dir: Path, *, fresh: bool = False) -> Changes:
    """Write what changed, delete generated files no longer produced, leave the rest alone.

    FRESH: DOCS_DIR holds no generated file yet (a build's temporary copy), so every file is
    written without first reading what is there.
    """
    for rel in files:
        if not owned(rel):
            raise ValueError(f"{rel}: not a generated path (see OWNED_DIRS and OWNED_FILES)")
    if fresh:
        made: set[Path] = set()
        for rel, content in files.items():
            target = docs_dir / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_text(content, encoding="utf-8")
        return Changes(list(files), [], 0)
    written = [
        rel for rel, content in files.items() if fs.write_if_changed(docs_dir / rel, content)
    ]
    deleted = [rel for rel in existing(docs_dir) if rel not in files]
    for rel in deleted:
        (docs_dir / rel).unlink()
    for d in OWNED_DIRS:  # drop folders emptied by deletions, deepest first
        root = docs_dir / d
        if root.is_dir():
            for sub in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
                if not any(sub.iterdir()):
                    sub.rmdir()
    return Changes(written, deleted, len(files) - len(written))


def outdated(files: Mapping[str, str], docs_dir: Path) -> list[str]:
    """Generated files that differ on disk, are missing, or should no longer exist."""
    stale = fs.stale({docs_dir / rel: content for rel, content in files.items()})
    differ = [p.relative_to(docs_dir).as_posix() for p in stale]
    extra = [rel for rel in existing(docs_dir) if rel not in files]
    return sorted(differ + extra)


def read_template(path: Path = paths.TEMPLATE) -> str:
    return path.read_text(encoding="utf-8")
