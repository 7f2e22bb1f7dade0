"""Match a request for help against the offers of the directory, explaining every choice.

Pure: no files, no network. An offer matches when it is current (not expired), not paused
(capacity 0), in a category the request asks for, serves the country, is open to the
organisation type and shares a language with the request (when languages were given).

Providers, not offers, are what gets notified, so matching offers are grouped by provider and
the providers ranked by these keys, in order:

1. providers already notified on this issue (``keep``) that still match, so an edit of the
   issue does not swap the providers already working on it;
2. for urgency ``incident``, providers with an emergency offer;
3. providers covering more of the requested services;
4. providers with fewer open requests (``load``), so the work spreads;
5. provider id (a stable tie-break).

Then at most ``limit`` providers are chosen: kept ones first, then in rank order one for each
requested service nobody chosen covers yet, then the rest in rank order. The offers of requested
categories that fail exactly one test are the near misses, each with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from c4h import taxonomy as tx
from c4h.form import Request
from c4h.model import Catalogue, Offer, Provider

NEAR_MISSES = 5  # how many near misses a result keeps
NO_LOAD: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True)
class Match:
    """A provider chosen for a request, with the offers that fit and why."""

    provider: Provider
    offers: tuple[Offer, ...]
    reasons: tuple[str, ...]
    open_requests: int
    emergency: bool  # at least one of the offers helps with an attack in progress
    kept: bool  # already notified on this issue

    @property
    def provider_id(self) -> str:
        return self.provider.id


@dataclass(frozen=True)
class NearMiss:
    """An offer of a requested category that fails exactly one test."""

    offer: Offer
    reason: str

    @property
    def provider_id(self) -> str:
        return self.offer.provider_id


@dataclass(frozen=True)
class MatchResult:
    request: Request
    matches: tuple[Match, ...]
    near_misses: tuple[NearMiss, ...]
    emergency: tuple[Offer, ...]  # emergency offers serving the country, any category
    more: tuple[str, ...]  # ids of providers that also match but were left out by the limit

    @property
    def provider_ids(self) -> tuple[str, ...]:
        return tuple(m.provider_id for m in self.matches)


class Index:
    """A catalogue's offers grouped by category, for one day: build once, match many times."""

    def __init__(self, catalogue: Catalogue, today: date) -> None:
        self.catalogue = catalogue
        self.today = today
        self.tax = catalogue.tax
        self.providers: dict[str, Provider] = {p.id: p for p in catalogue.providers}
        self.by_category: dict[str, list[Offer]] = {}
        self.emergency: list[Offer] = []
        for provider in catalogue.providers:
            for offer in provider.offers:
                self.by_category.setdefault(offer.category, []).append(offer)
                if offer.emergency and _open(offer, today):
                    self.emergency.append(offer)
        for offers in self.by_category.values():
            offers.sort(key=lambda o: (o.provider_id, o.id))
        self.emergency.sort(key=lambda o: (o.provider_id, o.id))
        # the countries of each region slug, to say how an offer reaches a country
        self.regions = {r.slug: r.countries for r in self.tax.regions}


def _open(offer: Offer, today: date) -> bool:
    return offer.current(today) and not offer.paused


# The last index built from a Catalogue, so that calling match() with the same catalogue again
# does not rebuild it. Keyed by identity; the provider count guards against in-place changes.
_last: dict[str, tuple[Catalogue, int, Index]] = {}


def index(catalogue: Catalogue | Index, today: date) -> Index:
    """An Index for TODAY: the one given, or one built (and remembered for the next call)."""
    if isinstance(catalogue, Index):
        return catalogue if catalogue.today == today else Index(catalogue.catalogue, today)
    last = _last.get("index")
    fresh = last and last[0] is catalogue and last[1] == len(catalogue.providers)
    if last and fresh and last[2].today == today:
        return last[2]
    built = Index(catalogue, today)
    _last["index"] = (catalogue, len(catalogue.providers), built)
    return built


def _failures(offer: Offer, request: Request, languages: frozenset[str], today: date) -> list[str]:
    """Why OFFER does not fit REQUEST (its category aside); empty when it fits."""
    out: list[str] = []
    if offer.expired(today):
        out.append(f"expired on {offer.valid_until}")
    if offer.paused:
        out.append("paused (capacity 0)")
    if not offer.covers(request.country):
        out.append(f"does not serve {request.country}")
    if request.org_type and request.org_type not in offer.eligible:
        out.append(f"not for {request.org_type}")
    if languages and languages.isdisjoint(offer.languages):
        out.append(f"no shared language (offers {', '.join(offer.languages)})")
    return out


def _route(offer: Offer, country: str, idx: Index) -> tuple[int, str]:
    """How OFFER reaches COUNTRY: (size of the area, the reason), smallest area first."""
    best: tuple[int, str] | None = None
    for area in offer.regions:
        if area == country:
            return (1, f"serves {country}")
        if area == tx.GLOBAL:
            candidate = (1_000_000, f"serves {country} (worldwide)")
        elif country in idx.regions.get(area, ()):
            candidate = (len(idx.regions[area]), f"serves {country} (via {area})")
        else:
            continue
        if best is None or candidate < best:
            best = candidate
    return best or (1_000_000, f"serves {country}")


def _requests(n: int) -> str:
    if n == 0:
        return "no open requests"
    return "1 open request" if n == 1 else f"{n} open requests"


def _reasons(
    offers: Sequence[Offer], request: Request, idx: Index, load: int, kept: bool
) -> tuple[str, ...]:
    out: list[str] = []
    for category in request.services:
        if any(o.category == category for o in offers):
            out.append(f"offers {category}")
    out.append(min(_route(o, request.country, idx) for o in offers)[1])
    if request.org_type:
        out.append(f"eligible: {request.org_type}")
    if request.languages:
        spoken = {lang for o in offers for lang in o.languages}
        shared = [lang for lang in request.languages if lang in spoken]
        out.append("speaks " + ", ".join(shared))
    if any(o.emergency for o in offers):
        out.append("emergency help 24/7")
    out.append(_requests(load))
    if kept:
        out.append("already notified on this issue")
    return tuple(out)


def match(
    request: Request,
    catalogue: Catalogue | Index,
    today: date,
    *,
    load: Mapping[str, int] = NO_LOAD,
    limit: int = 3,
    keep: Sequence[str] = (),
) -> MatchResult:
    """The providers that fit REQUEST (at most LIMIT), the near misses and emergency contacts.

    LOAD: provider id → requests already assigned and still open. KEEP: ids of providers
    already notified on this issue; those that still match stay chosen.
    """
    idx = index(catalogue, today)
    incident = request.urgency == "incident"
    languages = frozenset(request.languages)
    fitting: dict[str, list[Offer]] = {}
    misses: list[NearMiss] = []
    for category in dict.fromkeys(request.services):
        for offer in idx.by_category.get(category, ()):
            failed = _failures(offer, request, languages, today)
            if not failed:
                fitting.setdefault(offer.provider_id, []).append(offer)
            elif len(failed) == 1:
                misses.append(NearMiss(offer, failed[0]))

    kept_ids = set(keep)
    order = {category: i for i, category in enumerate(request.services)}

    def offer_key(o: Offer) -> tuple[Any, ...]:
        return (not (incident and o.emergency), order[o.category], o.id)

    def rank(pid: str) -> tuple[Any, ...]:
        offers = fitting[pid]
        emergency = incident and any(o.emergency for o in offers)
        covered = len({o.category for o in offers})
        return (pid not in kept_ids, not emergency, -covered, load.get(pid, 0), pid)

    ranked = sorted(fitting, key=rank)
    chosen = _choose(ranked, fitting, kept_ids, limit)
    matches = []
    for pid in sorted(chosen, key=rank):
        offers = sorted(fitting[pid], key=offer_key)
        n = load.get(pid, 0)
        matches.append(
            Match(
                provider=idx.providers[pid],
                offers=tuple(offers),
                reasons=_reasons(offers, request, idx, n, pid in kept_ids),
                open_requests=n,
                emergency=any(o.emergency for o in offers),
                kept=pid in kept_ids,
            )
        )
    misses = [m for m in misses if m.provider_id not in fitting]
    misses.sort(key=lambda m: (m.offer.provider_id, m.offer.id))
    emergency = [
        o
        for o in idx.emergency
        if o.covers(request.country) and (not request.org_type or request.org_type in o.eligible)
    ]
    return MatchResult(
        request=request,
        matches=tuple(matches),
        near_misses=tuple(misses[:NEAR_MISSES]),
        emergency=tuple(emergency),
        more=tuple(pid for pid in ranked if pid not in chosen),
    )


def _choose(
    ranked: Sequence[str], fitting: Mapping[str, Iterable[Offer]], kept: set[str], limit: int
) -> set[str]:
    """Kept providers, then one per service still uncovered, then the best of the rest."""
    chosen: list[str] = [pid for pid in ranked if pid in kept][:limit]
    covered = {o.category for pid in chosen for o in fitting[pid]}
    for pid in ranked:
        if len(chosen) >= limit:
            break
        categories = {o.category for o in fitting[pid]}
        if pid not in chosen and categories - covered:
            chosen.append(pid)
            covered |= categories
    for pid in ranked:
        if len(chosen) >= limit:
            break
        if pid not in chosen:
            chosen.append(pid)
    return set(chosen)


def as_dict(result: MatchResult) -> dict[str, Any]:
    """The result as plain data (``c4h match --json``)."""
    r = result.request
    return {
        "request": {
            "org_type": r.org_type,
            "country": r.country,
            "services": list(r.services),
            "urgency": r.urgency,
            "languages": list(r.languages),
        },
        "matches": [
            {
                "provider": m.provider_id,
                "name": m.provider.name,
                "offers": [o.key for o in m.offers],
                "reasons": list(m.reasons),
                "open_requests": m.open_requests,
                "emergency": m.emergency,
                "kept": m.kept,
            }
            for m in result.matches
        ],
        "more": list(result.more),
        "near_misses": [{"offer": n.offer.key, "reason": n.reason} for n in result.near_misses],
        "emergency": [o.key for o in result.emergency],
    }


def as_text(result: MatchResult, tax: tx.Taxonomy) -> list[str]:
    """The result as lines for a terminal (``c4h match``)."""
    r = result.request
    who = r.org_type or "any"
    langs = ", ".join(r.languages) if r.languages else "any"
    name = tax.countries.get(r.country, r.country)
    out = [
        f"Request: {', '.join(r.services)}; organisation type {who}; {r.country} ({name});"
        f" urgency {r.urgency}; languages {langs}",
        "",
        f"Matches ({len(result.matches)}):" if result.matches else "No provider matches.",
    ]
    for i, m in enumerate(result.matches, 1):
        out.append(f"  {i}. {m.provider.name} ({m.provider_id})")
        out.extend(f"     - {o.key}: {o.title}" for o in m.offers)
        out.append(f"     why: {'; '.join(m.reasons)}")
    if result.more:
        out.append(f"  also matching, beyond the limit: {', '.join(result.more)}")
    if result.near_misses:
        out += ["", f"Near misses ({len(result.near_misses)}):"]
        out.extend(f"  - {n.offer.key}: {n.reason}" for n in result.near_misses)
    if r.urgency == "incident":
        out += ["", f"Emergency help serving {r.country} ({len(result.emergency)}):"]
        out.extend(f"  - {o.key}: {o.title}" for o in result.emergency)
        if not result.emergency:
            out.append("  none listed: contact the national CERT or CSIRT")
    return out
