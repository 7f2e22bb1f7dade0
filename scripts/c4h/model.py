"""Typed providers and offers, built from listings that passed validation.

Everything downstream (the catalogue, the matcher, triage) works on these, never on raw dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from c4h import taxonomy as tx
from c4h.findings import ERROR, Finding
from c4h.validate import STALE_AFTER, Context, check_paths, cross_findings, listing_files


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    url: str | None = None
    pgp_key: str | None = None


@dataclass(frozen=True)
class Verified:
    by: str
    on: date


@dataclass(frozen=True)
class Offer:
    provider_id: str
    id: str
    title: str
    category: str
    description: str
    regions: tuple[str, ...]
    eligible: tuple[str, ...]
    languages: tuple[str, ...]  # the offer's own, or else the listing's
    delivery: str
    cost: str
    countries: frozenset[str]  # every country the regions cover
    url: str | None = None
    effort: str | None = None
    capacity: int | None = None
    response_time_hours: int | None = None
    emergency: bool = False
    valid_until: date | None = None
    conditions: str | None = None

    @property
    def key(self) -> str:
        """``<provider-id>/<offer-id>``: unique across the directory."""
        return f"{self.provider_id}/{self.id}"

    @property
    def paused(self) -> bool:
        return self.capacity == 0

    def expired(self, today: date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    def current(self, today: date) -> bool:
        return not self.expired(today)

    def covers(self, country: str) -> bool:
        return country in self.countries


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    website: str
    country: str
    kind: str
    description: str
    contact: Contact
    listed_by: str
    languages: tuple[str, ...]
    last_reviewed: date
    offers: tuple[Offer, ...]
    maintainers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    verified: Verified | None = None
    path: str = ""

    def stale(self, today: date) -> bool:
        return today - self.last_reviewed > STALE_AFTER

    def current_offers(self, today: date) -> tuple[Offer, ...]:
        return tuple(o for o in self.offers if o.current(today))

    @property
    def curated(self) -> bool:
        return self.listed_by == "curator"


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def build_provider(pid: str, data: dict[str, Any], tax: tx.Taxonomy, path: str = "") -> Provider:
    """A Provider from a listing's data; the data must have passed validation."""
    languages = tuple(data["languages"])
    offers = []
    for raw in data["offers"]:
        regions = tuple(raw["regions"])
        countries: frozenset[str] = frozenset().union(*(tax.expand(r) for r in regions))
        offers.append(
            Offer(
                provider_id=pid,
                id=raw["id"],
                title=raw["title"],
                category=raw["category"],
                description=raw["description"],
                regions=regions,
                eligible=tuple(raw["eligible"]),
                languages=tuple(raw.get("languages") or languages),
                delivery=raw["delivery"],
                cost=raw["cost"],
                countries=countries,
                url=raw.get("url"),
                effort=raw.get("effort"),
                capacity=raw.get("capacity"),
                response_time_hours=raw.get("response_time_hours"),
                emergency=bool(raw.get("emergency", False)),
                valid_until=_day(raw.get("valid_until")),
                conditions=raw.get("conditions"),
            )
        )
    contact = data["contact"]
    verified = data.get("verified")
    return Provider(
        id=pid,
        name=data["name"],
        website=data["website"],
        country=data["country"],
        kind=data["kind"],
        description=data["description"],
        contact=Contact(contact.get("email"), contact.get("url"), contact.get("pgp_key")),
        listed_by=data["listed_by"],
        languages=languages,
        last_reviewed=date.fromisoformat(data["last_reviewed"]),
        offers=tuple(offers),
        maintainers=tuple(data.get("maintainers") or ()),
        sources=tuple(data.get("sources") or ()),
        verified=Verified(verified["by"], date.fromisoformat(verified["on"])) if verified else None,
        path=path,
    )


@dataclass
class Catalogue:
    """All valid providers of a folder, and the findings of the ones left out."""

    providers: list[Provider]
    findings: list[Finding] = field(default_factory=list)
    tax: tx.Taxonomy = field(default_factory=tx.default)

    @property
    def offers(self) -> list[Offer]:
        return [o for p in self.providers for o in p.offers]

    def provider(self, pid: str) -> Provider:
        return next(p for p in self.providers if p.id == pid)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def load(directory: Path, today: date | None = None, tax: tx.Taxonomy | None = None) -> Catalogue:
    """Read and validate every listing of DIRECTORY; invalid ones are left out, with findings.

    Files are checked in worker processes when there are many (validate.check_paths).
    """
    tax = tax or tx.default()
    ctx = Context(tax, today or date.today())
    files = listing_files(directory)
    checked = check_paths(files, ctx, keep_data=True)
    dupes = cross_findings(checked)
    bad = {f.path for f in dupes}
    providers, findings = [], list(dupes)
    for path, result in zip(files, checked, strict=True):
        findings += result.findings
        if result.data is None or result.display in bad:
            continue
        providers.append(build_provider(path.stem, result.data, tax, result.display))
    return Catalogue(sorted(providers, key=lambda p: p.name.casefold()), sorted(findings), tax)


def from_dicts(
    listings: Sequence[tuple[str, dict[str, Any]]], tax: tx.Taxonomy | None = None
) -> Catalogue:
    """A catalogue from in-memory listings (tests, benchmarks); no validation."""
    tax = tax or tx.default()
    return Catalogue([build_provider(pid, data, tax) for pid, data in listings], [], tax)


def fresh(today: date, days: int) -> date:
    return today - timedelta(days=days)
