"""The controlled vocabulary, read from ``schema/taxonomy.yml``, plus ISO code lists.

Country and language codes come from ``pycountry`` (ISO 3166-1 alpha-2 and ISO 639-1), never
from hand-written lists. Region slugs expand to sets of country codes; ``global`` covers all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from c4h import listing, paths

GLOBAL = "global"

PROVIDER_KINDS = ("company", "nonprofit", "academic", "government", "volunteer-group")
LISTED_BY = ("provider", "curator")
DELIVERY = ("remote", "on-site", "hybrid")
COSTS = ("free", "free-for-eligible")
URGENCIES = ("incident", "urgent", "planning")
CSF_FUNCTIONS = ("Govern", "Identify", "Protect", "Detect", "Respond", "Recover")


@dataclass(frozen=True)
class Term:
    """One entry of a controlled list: a slug, a human label and a one-line description."""

    slug: str
    label: str
    description: str = ""
    function: str = ""  # NIST CSF 2.0 function, for service categories only


@dataclass(frozen=True)
class Region:
    slug: str
    label: str
    countries: frozenset[str]
    subregions: tuple[str, ...] = ()  # set for continents


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per source
class Taxonomy:
    categories: tuple[Term, ...]
    org_types: tuple[Term, ...]
    regions: tuple[Region, ...]
    countries: dict[str, str]  # alpha-2 → English name, sorted by code
    languages: dict[str, str]  # ISO 639-1 → English name, sorted by code

    @property
    def category_slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.categories)

    @property
    def org_type_slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.org_types)

    @property
    def region_slugs(self) -> tuple[str, ...]:
        return (GLOBAL, *(r.slug for r in self.regions))

    def category(self, slug: str) -> Term:
        return _index(self.categories)[slug]

    def org_type(self, slug: str) -> Term:
        return _index(self.org_types)[slug]

    def region(self, slug: str) -> Region:
        return {r.slug: r for r in self.regions}[slug]

    def expand(self, area: str) -> frozenset[str]:
        """Countries an area entry covers: a country code, a region slug or ``global``."""
        if area == GLOBAL:
            return frozenset(self.countries)
        if area in self.countries:
            return frozenset((area,))
        for region in self.regions:
            if region.slug == area:
                return region.countries
        return frozenset()

    def area_label(self, area: str) -> str:
        if area == GLOBAL:
            return "Worldwide"
        if area in self.countries:
            return self.countries[area]
        for region in self.regions:
            if region.slug == area:
                return region.label
        return area


def _index(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {t.slug: t for t in terms}


def iso_countries() -> dict[str, str]:
    return {c.alpha_2: c.name for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)}


def iso_languages() -> dict[str, str]:
    found = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    return {lang.alpha_2: lang.name for lang in sorted(found, key=lambda lang: lang.alpha_2)}


class TaxonomyError(Exception):
    """The taxonomy file itself is broken (a maintainer's mistake, reported with its place)."""


def parse(data: Any, source: str = "taxonomy.yml") -> Taxonomy:
    """Build a Taxonomy from the YAML data, checking it is coherent."""
    countries = iso_countries()
    problems: list[str] = []
    if not isinstance(data, dict):
        raise TaxonomyError(f"{source}: must be a mapping with categories, org_types, regions")

    def terms(key: str, with_function: bool) -> tuple[Term, ...]:
        out = []
        for i, item in enumerate(data.get(key) or []):
            try:
                term = Term(
                    slug=str(item["slug"]),
                    label=str(item["label"]),
                    description=str(item.get("description", "")),
                    function=str(item.get("function", "")) if with_function else "",
                )
            except (KeyError, TypeError):
                problems.append(f"{source}: {key}[{i}]: needs slug and label")
                continue
            if with_function and term.function not in CSF_FUNCTIONS:
                problems.append(
                    f"{source}: {key}[{i}] ({term.slug}): function must be one of "
                    + ", ".join(CSF_FUNCTIONS)
                )
            if "," in term.label:
                problems.append(f"{source}: {key}[{i}] ({term.slug}): labels may not hold commas")
            out.append(term)
        return tuple(out)

    categories = terms("categories", with_function=True)
    org_types = terms("org_types", with_function=False)

    raw_regions = data.get("regions") or []
    subs: dict[str, frozenset[str]] = {}
    for i, item in enumerate(raw_regions):
        if "countries" in item:
            codes = [str(c) for c in item["countries"]]
            unknown = [c for c in codes if c not in countries]
            if unknown:
                problems.append(
                    f"{source}: regions[{i}] ({item.get('slug')}): unknown country codes "
                    + ", ".join(unknown)
                )
            subs[str(item["slug"])] = frozenset(codes)
    regions = []
    for i, item in enumerate(raw_regions):
        slug, label = str(item.get("slug")), str(item.get("label"))
        if "countries" in item:
            regions.append(Region(slug, label, subs[slug]))
        elif "subregions" in item:
            parts = tuple(str(s) for s in item["subregions"])
            missing = [s for s in parts if s not in subs]
            if missing:
                problems.append(
                    f"{source}: regions[{i}] ({slug}): unknown subregions " + ", ".join(missing)
                )
            covered = frozenset().union(*(subs.get(s, frozenset()) for s in parts))
            regions.append(Region(slug, label, covered, parts))
        else:
            problems.append(f"{source}: regions[{i}] ({slug}): needs countries or subregions")

    slugs = [t.slug for t in categories] + [t.slug for t in org_types] + [r.slug for r in regions]
    for kind, items in (("categories", categories), ("org_types", org_types), ("regions", regions)):
        seen: set[str] = set()
        for item in items:
            if item.slug in seen:
                problems.append(f"{source}: {kind}: duplicate slug {item.slug}")
            seen.add(item.slug)
    if GLOBAL in slugs:
        problems.append(f"{source}: '{GLOBAL}' is built in and may not be defined")
    if problems:
        raise TaxonomyError("\n".join(problems))
    return Taxonomy(categories, org_types, tuple(regions), countries, iso_languages())


def load(path: Path = paths.TAXONOMY) -> Taxonomy:
    return parse(listing.load_plain(path), str(path))


@cache
def default() -> Taxonomy:
    """The repository's taxonomy, read once per process."""
    return load()
