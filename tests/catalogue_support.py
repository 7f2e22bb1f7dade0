"""Shared helpers of the catalogue tests: the fixed date, synthetic and hostile listings, and
the built sites (each built once per test session, however many test files use it).

Two catalogues feed the sites:
- ``tests/fixtures/catalogue/``: small valid listings (they pass ``c4h validate``) with known
  facets, one of them as hostile as validation allows (``](javascript:...)``, ``{{ ... }}``,
  entity-encoded tags, an unclosed ``<img onerror=...``).
- ``hostile_listing()``: real ``<script>``, ``</script>`` and ``<img onerror>`` text, which the
  validator rejects, so it is added in memory (``model.from_dicts``) to prove the generator
  escapes whatever reaches it.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from c4h import generate, model, site
from c4h import taxonomy as tx
from c4h.model import Catalogue

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "catalogue"
TODAY = date(2026, 12, 4)
SETTINGS = generate.Settings(
    repo_url="https://github.com/cyber4health/c4h-directory",
    site_url="https://cyber4health.github.io/c4h-directory/",
    edit_uri="edit/main/docs/",
    private_url="https://cyber4health.github.io/c4h-directory/guide/private-requests/",
)

# Strings a hostile listing puts in its texts; the page must show them as text.
SCRIPT = "<script>window.__c4hPwned = 1; alert('pwned')</script>"
CLOSE = "</script><script>window.__c4hPwned = 2</script>"
IMG = "<img src=x onerror=\"window.__c4hPwned = 3; alert('img')\">"
MD_LINK = "[click me](javascript:window.__c4hPwned=4)"
TEMPLATE = "{{ config.repo_url }} {% raw %}"
HOSTILE_TEXTS = (SCRIPT, CLOSE, IMG, MD_LINK, TEMPLATE)


def hostile_listing() -> tuple[str, dict[str, Any]]:
    """A listing no validator would let through, to test escaping on its own."""
    text = " ".join(HOSTILE_TEXTS)
    return (
        "hostile-in-memory",
        {
            "name": f"Hostile {SCRIPT} & Co",
            "website": "javascript:window.__c4hPwned=5",
            "country": "CH",
            "kind": "company",
            "description": f"Description {text} \u2028 line separator",
            "contact": {"email": "x@example.org", "url": "javascript:alert(1)"},
            "listed_by": "curator",
            "sources": ["https://example.org/?q=<script>", "data:text/html,<script>alert(1)"],
            "languages": ["en"],
            "last_reviewed": "2026-11-30",
            "offers": [
                {
                    "id": "xss",
                    "title": f"Offer {CLOSE} {IMG}",
                    "category": "incident-response",
                    "description": f"Offer text {text}",
                    "url": "javascript:window.__c4hPwned=6",
                    "effort": f'=HYPERLINK("https://evil.example") {MD_LINK}',
                    "regions": ["CH"],
                    "eligible": ["hospital"],
                    "languages": ["en"],
                    "delivery": "remote",
                    "cost": "free",
                    "conditions": f"+cmd|' /C calc'!A0 {TEMPLATE}",
                    "valid_until": "2026-12-20",
                }
            ],
        },
    )


def fixture_catalogue(with_hostile: bool = True) -> Catalogue:
    """The fixture listings (validated), plus the in-memory hostile one."""
    cat = model.load(FIXTURES, TODAY)
    assert not cat.errors, [f.text() for f in cat.errors]
    if with_hostile:
        extra = model.from_dicts([hostile_listing()], cat.tax)
        cat = Catalogue(
            sorted(cat.providers + extra.providers, key=lambda p: p.name.casefold()),
            cat.findings,
            cat.tax,
        )
    return cat


# --- synthetic listings (page weight, and a recipe for the benchmarks) -----------------------

_WORDS = [
    "security",
    "clinic",
    "hospital",
    "staff",
    "network",
    "attack",
    "ransomware",
    "backup",
    "recovery",
    "phishing",
    "training",
    "volunteers",
    "organisation",
    "systems",
    "support",
    "remote",
    "incident",
    "response",
    "access",
    "patients",
    "data",
    "monitoring",
    "alerts",
    "vulnerability",
    "scanning",
    "exposure",
    "internet",
    "services",
    "report",
    "weekly",
    "guidance",
    "small",
    "rural",
    "regional",
    "national",
    "partners",
    "experts",
    "policy",
    "assessment",
    "maturity",
    "review",
    "devices",
    "medical",
    "operational",
    "technology",
    "endpoints",
    "protection",
    "filtering",
    "domains",
    "certificates",
    "email",
    "spoofing",
    "identity",
    "accounts",
    "passwords",
    "multi-factor",
    "exercise",
    "tabletop",
    "crisis",
    "plan",
    "decision",
    "leaders",
    "recover",
    "restore",
    "encrypted",
    "files",
    "logs",
    "forensic",
    "analysis",
    "malware",
    "threat",
    "intelligence",
    "feeds",
    "sharing",
    "community",
    "nonprofit",
    "government",
    "university",
    "students",
    "supervised",
    "free",
    "charge",
    "eligible",
    "conditions",
    "capacity",
    "request",
    "week",
    "month",
    "hours",
    "days",
    "help",
    "team",
    "contact",
    "portal",
]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def synthetic_listings(
    count: int, offers: int = 3, seed: int = 1
) -> list[tuple[str, dict[str, Any]]]:
    """COUNT realistic listings of OFFERS offers each, different text everywhere.

    Words are drawn at random, so pages compress about as badly as real prose does.
    """
    tax = tx.default()
    rng = random.Random(seed)
    countries = list(tax.countries)
    languages = [
        "en",
        "fr",
        "de",
        "es",
        "it",
        "pt",
        "nl",
        "pl",
        "sv",
        "ar",
        "zh",
        "ja",
        "ru",
        "sw",
        "hi",
        "tr",
        "el",
        "cs",
        "ro",
        "uk",
    ]
    areas = [*tax.region_slugs, *countries]
    out = []
    for i in range(count):
        pid = f"provider-{i:05d}"
        offer_list = []
        for j in range(offers):
            kind = rng.random()
            if kind < 0.25:
                regions = ["global"]
            elif kind < 0.6:
                regions = rng.sample(areas[:30], rng.randint(1, 2))
            else:
                regions = rng.sample(countries, rng.randint(1, 4))
            offer_list.append(
                {
                    "id": f"offer-{j}",
                    "title": _sentence(rng, rng.randint(3, 8)).rstrip("."),
                    "category": rng.choice(tax.category_slugs),
                    "description": " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(4)),
                    "effort": _sentence(rng, 20),
                    "regions": regions,
                    "eligible": sorted(rng.sample(tax.org_type_slugs, rng.randint(2, 12))),
                    "languages": sorted(rng.sample(languages, rng.randint(1, 3))),
                    "delivery": rng.choice(tx.DELIVERY),
                    "cost": rng.choice(tx.COSTS),
                    "emergency": rng.random() < 0.1,
                    "url": f"https://example.org/{pid}/{j}",
                }
            )
        out.append(
            (
                pid,
                {
                    "name": f"Synthetic {rng.choice(_WORDS).title()} {i:05d}",
                    "website": f"https://example.org/{pid}",
                    "country": rng.choice(countries),
                    "kind": rng.choice(tx.PROVIDER_KINDS),
                    "description": " ".join(_sentence(rng, 12) for _ in range(3)),
                    "contact": {"email": f"help@{pid}.example.org"},
                    "listed_by": "curator",
                    "sources": [f"https://example.org/{pid}/source"],
                    "languages": ["en"],
                    "last_reviewed": "2026-10-01",
                    "offers": offer_list,
                },
            )
        )
    return out


def write_listings(listings: list[tuple[str, dict[str, Any]]], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for pid, data in listings:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (directory / f"{pid}.yml").write_text(text, encoding="utf-8")


# --- built sites, once per session -----------------------------------------------------------

_TMP = Path(tempfile.mkdtemp(prefix="c4h-sites-"))


def _cleanup() -> None:
    shutil.rmtree(_TMP, ignore_errors=True)


atexit.register(_cleanup)


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "C4H_TODAY": TODAY.isoformat()}


@cache
def real_site() -> Path:
    """The shipped listings, built the way a user does: ``c4h build`` into a temporary folder."""
    out = _TMP / "real"
    result = subprocess.run(
        [sys.executable, "-m", "c4h", "build", "--site-dir", str(out)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@cache
def real_site_zensical() -> Path:
    out = _TMP / "real-zensical"
    result = subprocess.run(
        [sys.executable, "-m", "c4h", "build", "--builder", "zensical", "--site-dir", str(out)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@cache
def fixture_site() -> Path:
    """The fixture listings plus the unvalidated hostile one, built with MkDocs."""
    out = _TMP / "fixture"
    site.build_catalogue(fixture_catalogue(), out, TODAY)
    return out
