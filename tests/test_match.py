"""The matcher: which providers a request goes to, in which order, and why; and `c4h match`."""

from __future__ import annotations

import json
import random
import time
from datetime import date
from typing import Any

import pytest

from c4h import cli, match, model
from c4h import taxonomy as tx
from c4h.form import Request

TODAY = date(2026, 6, 1)
ALL_ORGS = list(tx.default().org_type_slugs)


def offer(oid: str = "help", category: str = "incident-response", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": oid,
        "title": f"Offer {oid}",
        "category": category,
        "description": "Help.",
        "regions": ["global"],
        "eligible": ALL_ORGS,
        "delivery": "remote",
        "cost": "free",
    }
    return {**data, **extra}


def provider(pid: str, *offers: dict[str, Any], languages: tuple[str, ...] = ("en",)) -> Any:
    return (
        pid,
        {
            "name": pid.title(),
            "website": f"https://{pid}.example",
            "country": "CH",
            "kind": "company",
            "description": "A provider.",
            "contact": {"url": f"https://{pid}.example/contact"},
            "listed_by": "provider",
            "languages": list(languages),
            "last_reviewed": "2026-05-01",
            "offers": list(offers) or [offer()],
        },
    )


def catalogue(*providers: Any) -> model.Catalogue:
    return model.from_dicts(list(providers))


def request(**changes: Any) -> Request:
    values: dict[str, Any] = {
        "org_type": "hospital",
        "country": "CH",
        "services": ("incident-response",),
        "urgency": "planning",
        "languages": (),
    }
    return Request(**{**values, **changes})


def run(cat: model.Catalogue, req: Request | None = None, **kw: Any) -> match.MatchResult:
    return match.match(req or request(), cat, TODAY, **kw)


# --- filters: each one, with the near miss it leaves --------------------------------------------


@pytest.mark.parametrize(
    ("name", "offer_fields", "request_fields", "near_miss"),
    [
        ("fits", {}, {}, None),
        ("other country", {"regions": ["FR"]}, {"country": "BR"}, "does not serve BR"),
        ("other continent", {"regions": ["europe"]}, {"country": "BR"}, "does not serve BR"),
        ("not eligible", {"eligible": ["hospital"]}, {"org_type": "clinic"}, "not for clinic"),
        ("expired", {"valid_until": "2026-01-01"}, {}, "expired on 2026-01-01"),
        ("last day", {"valid_until": "2026-06-01"}, {}, None),
        ("paused", {"capacity": 0}, {}, "paused (capacity 0)"),
        ("capacity left", {"capacity": 5}, {}, None),
        (
            "no shared language",
            {"languages": ["en"]},
            {"languages": ("fr",)},
            "no shared language (offers en)",
        ),
        ("shares one", {"languages": ["en", "fr"]}, {"languages": ("fr", "it")}, None),
        ("any language", {"languages": ["ja"]}, {"languages": ()}, None),
        ("any organisation", {"eligible": ["ngo"]}, {"org_type": None}, None),
    ],
)
def test_filters(
    name: str, offer_fields: dict[str, Any], request_fields: dict[str, Any], near_miss: str | None
) -> None:
    result = run(catalogue(provider("acme", offer(**offer_fields))), request(**request_fields))
    if near_miss is None:
        assert result.provider_ids == ("acme",)
        assert result.near_misses == ()
    else:
        assert result.provider_ids == ()
        assert [(n.offer.key, n.reason) for n in result.near_misses] == [("acme/help", near_miss)]


@pytest.mark.parametrize(
    ("name", "offer_fields"),
    [
        ("another category", {"category": "takedown"}),
        ("two tests failed", {"regions": ["FR"], "valid_until": "2026-01-01"}),
        ("three tests failed", {"regions": ["FR"], "capacity": 0, "eligible": ["ngo"]}),
    ],
)
def test_not_even_a_near_miss(name: str, offer_fields: dict[str, Any]) -> None:
    result = run(catalogue(provider("acme", offer(**offer_fields))))
    assert (result.matches, result.near_misses) == ((), ())


@pytest.mark.parametrize(
    ("regions", "reason"),
    [
        (["CH"], "serves CH"),
        (["western-europe"], "serves CH (via western-europe)"),
        (["europe"], "serves CH (via europe)"),
        (["global"], "serves CH (worldwide)"),
        (["global", "europe", "FR"], "serves CH (via europe)"),
        (["europe", "western-europe"], "serves CH (via western-europe)"),
        (["global", "CH"], "serves CH"),
    ],
)
def test_how_a_country_is_reached(regions: list[str], reason: str) -> None:
    (m,) = run(catalogue(provider("acme", offer(regions=regions)))).matches
    assert m.reasons[1] == reason


def test_every_reason() -> None:
    cat = catalogue(
        provider(
            "acme",
            offer("ir", regions=["europe"], emergency=True, languages=["fr", "en"]),
            offer("pt", "penetration-testing", regions=["CH"], languages=["fr"]),
        )
    )
    req = request(services=("incident-response", "penetration-testing"), languages=("fr",))
    (m,) = run(cat, req, load={"acme": 2}).matches
    assert [o.key for o in m.offers] == ["acme/ir", "acme/pt"]
    assert m.reasons == (
        "offers incident-response",
        "offers penetration-testing",
        "serves CH",
        "eligible: hospital",
        "speaks fr",
        "emergency help 24/7",
        "2 open requests",
    )
    assert (m.open_requests, m.emergency, m.kept) == (2, True, False)


@pytest.mark.parametrize(("load", "reason"), [(0, "no open requests"), (1, "1 open request")])
def test_open_requests_reason(load: int, reason: str) -> None:
    (m,) = run(catalogue(provider("acme")), load={"acme": load}).matches
    assert m.reasons[-1] == reason


# --- ranking -------------------------------------------------------------------------------------


def test_incident_ranks_emergency_offers_first() -> None:
    cat = catalogue(
        provider("alpha"),
        provider("bravo", offer(emergency=True)),
        provider("charlie"),
    )
    assert run(cat, request(urgency="incident")).provider_ids == ("bravo", "alpha", "charlie")
    assert run(cat, request(urgency="urgent")).provider_ids == ("alpha", "bravo", "charlie")


def test_emergency_outranks_load_for_an_incident() -> None:
    cat = catalogue(provider("alpha"), provider("bravo", offer(emergency=True)))
    ranked = run(cat, request(urgency="incident"), load={"bravo": 9}).provider_ids
    assert ranked == ("bravo", "alpha")


def test_fewer_open_requests_first() -> None:
    cat = catalogue(*(provider(p) for p in ("alpha", "bravo", "charlie", "delta")))
    result = run(cat, load={"alpha": 3, "bravo": 0, "charlie": 1})
    assert result.provider_ids == ("bravo", "delta", "charlie")
    assert result.more == ("alpha",)


def test_at_most_limit_providers_with_their_offers_grouped() -> None:
    cat = catalogue(
        provider("alpha", offer("one"), offer("two")),
        provider("bravo"),
        provider("charlie"),
        provider("delta"),
    )
    result = run(cat)
    assert result.provider_ids == ("alpha", "bravo", "charlie")
    assert [o.key for o in result.matches[0].offers] == ["alpha/one", "alpha/two"]
    assert result.more == ("delta",)
    assert run(cat, limit=1).provider_ids == ("alpha",)


def test_providers_covering_more_services_first() -> None:
    cat = catalogue(
        provider("alpha"),
        provider("bravo", offer("ir"), offer("pt", "penetration-testing")),
    )
    req = request(services=("incident-response", "penetration-testing"))
    assert run(cat, req).provider_ids == ("bravo", "alpha")


def test_every_requested_service_gets_a_provider_when_one_exists() -> None:
    cat = catalogue(
        provider("alpha"),
        provider("bravo"),
        provider("charlie"),
        provider("zulu", offer("train", "awareness-training")),
    )
    req = request(services=("incident-response", "awareness-training"))
    result = run(cat, req, load={"zulu": 7})
    assert result.provider_ids == ("alpha", "bravo", "zulu")
    assert result.more == ("charlie",)


def test_kept_providers_stay_first_while_they_match() -> None:
    cat = catalogue(*(provider(p) for p in ("alpha", "bravo", "charlie", "delta")))
    load = {"delta": 5}
    result = run(cat, load=load, keep=["delta"])
    assert result.provider_ids == ("delta", "alpha", "bravo")
    assert result.matches[0].kept
    assert result.matches[0].reasons[-1] == "already notified on this issue"
    # delta's offer pauses: it no longer matches, so it is not kept
    paused = catalogue(
        *(provider(p) for p in ("alpha", "bravo", "charlie")), provider("delta", offer(capacity=0))
    )
    assert run(paused, load=load, keep=["delta"]).provider_ids == ("alpha", "bravo", "charlie")


def test_same_result_whatever_the_order_of_listings() -> None:
    providers = [
        provider(p, offer(emergency=i % 2 == 0), offer("b", regions=["europe"]))
        for i, p in enumerate(("alpha", "bravo", "charlie", "delta", "echo"))
    ]
    providers.append(provider("foxtrot", offer(regions=["FR"])))
    first = run(catalogue(*providers), request(urgency="incident"), load={"alpha": 1})
    for seed in range(5):
        random.Random(seed).shuffle(providers)
        again = run(catalogue(*providers), request(urgency="incident"), load={"alpha": 1})
        assert match.as_dict(again) == match.as_dict(first)
    assert first.provider_ids == ("charlie", "echo", "alpha")


# --- near misses and emergency contacts ----------------------------------------------------------


def test_near_misses_are_few_sorted_and_not_from_matched_providers() -> None:
    misses = [provider(f"p{i}", offer(regions=["FR"])) for i in range(7, 0, -1)]
    matched = provider("alpha", offer("ok"), offer("far", regions=["FR"]))
    result = run(catalogue(matched, *misses))
    assert result.provider_ids == ("alpha",)
    assert [n.offer.key for n in result.near_misses] == [f"p{i}/help" for i in range(1, 6)]
    assert {n.reason for n in result.near_misses} == {"does not serve CH"}


def test_emergency_offers_serving_the_country_in_any_category() -> None:
    cat = catalogue(
        provider("alpha", offer("dns", "protective-dns", emergency=True)),
        provider("bravo", offer(emergency=True, regions=["FR"])),
        provider("charlie", offer(emergency=True, capacity=0)),
        provider("delta", offer(emergency=True, valid_until="2026-01-01")),
        provider("echo", offer(emergency=True, eligible=["ngo"])),
        provider("foxtrot", offer(emergency=True, regions=["europe"])),
        provider("golf"),
    )
    result = run(cat, request(urgency="incident"))
    assert [o.key for o in result.emergency] == ["alpha/dns", "foxtrot/help"]
    assert result.provider_ids == ("foxtrot", "golf")


# --- the index -----------------------------------------------------------------------------------


def test_an_index_gives_the_same_result() -> None:
    cat = catalogue(provider("alpha"), provider("bravo", offer(valid_until="2026-07-01")))
    idx = match.Index(cat, TODAY)
    assert match.as_dict(match.match(request(), idx, TODAY)) == match.as_dict(run(cat))
    later = date(2026, 8, 1)  # an index for another day is rebuilt, not trusted
    assert match.match(request(), idx, later).provider_ids == ("alpha",)


def test_match_time_over_10000_listings() -> None:
    rnd = random.Random(4)
    tax = tx.default()
    areas = [*tax.region_slugs, *list(tax.countries)[:50]]
    listings = [
        provider(
            f"p{i:05d}",
            *(
                offer(
                    f"o{j}",
                    rnd.choice(tax.category_slugs),
                    regions=rnd.sample(areas, 2),
                    eligible=rnd.sample(ALL_ORGS, 4),
                    emergency=rnd.random() < 0.1,
                    capacity=rnd.choice([None, 0, 5]),
                )
                for j in range(2)
            ),
            languages=tuple(rnd.sample(["en", "fr", "de", "es"], 2)),
        )
        for i in range(10_000)
    ]
    idx = match.Index(model.from_dicts(listings), TODAY)
    requests = [
        request(
            org_type=rnd.choice(ALL_ORGS),
            country=rnd.choice(list(tax.countries)),
            services=tuple(rnd.sample(tax.category_slugs, 2)),
            urgency=rnd.choice(tx.URGENCIES),
            languages=("fr",),
        )
        for _ in range(50)
    ]
    start = time.perf_counter()
    for req in requests:
        match.match(req, idx, TODAY)
    assert (time.perf_counter() - start) / len(requests) < 0.05


# --- c4h match -----------------------------------------------------------------------------------


def test_cli_text(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["match", "--service", "incident-response", "--country", "FR", "--org-type", "hospital"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Request: incident-response; organisation type hospital; FR (France); urgency planning;"
        " languages any"
    )
    assert "  1. No More Ransom (no-more-ransom)" in out
    assert "  - nhs-england/csoc-cyber-services: does not serve FR" in out
    why = next(line for line in out if line.startswith("     why: "))
    assert why.startswith("     why: offers incident-response; serves FR (worldwide); eligible:")


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "match",
        "--service",
        "incident-response",
        "--country",
        "gb",
        "--urgency",
        "incident",
        "--language",
        "EN",
        "--json",
    ]
    assert cli.main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["request"] == {
        "org_type": None,
        "country": "GB",
        "services": ["incident-response"],
        "urgency": "incident",
        "languages": ["en"],
    }
    assert [m["provider"] for m in data["matches"]][:1] == ["nhs-england"]
    assert "nhs-england/csoc-cyber-services" in data["emergency"]


def test_cli_no_match_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["match", "--service", "takedown", "--country", "FR"]) == 1
    assert "No provider matches." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["--service", "magic", "--country", "FR"],
            "usage error: --service magic: unknown; choose from incident-response, digital-",
        ),
        (
            ["--service", "takedown", "--country", "XX"],
            "usage error: --country XX: unknown; choose from AD, AE, AF,",
        ),
        (
            ["--service", "takedown", "--country", "FR", "--org-type", "dentist"],
            "usage error: --org-type dentist: unknown; choose from hospital, care-facility,",
        ),
        (
            ["--service", "takedown", "--country", "FR", "--language", "xx"],
            "usage error: --language xx: unknown; choose from aa, ab,",
        ),
        (
            ["--service", "takedown", "--country", "FR", "--urgency", "now"],
            "usage error: --urgency now: unknown; choose from incident, urgent, planning",
        ),
        (
            ["--service", "takedown", "--country", "FR", "--providers", "/nonexistent"],
            "usage error: --providers /nonexistent: no such folder",
        ),
        (["--country", "FR"], "usage error: c4h match: the following arguments are required:"),
    ],
)
def test_cli_usage_errors(args: list[str], error: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["match", *args]) == 2
    assert capsys.readouterr().err.startswith(error)
