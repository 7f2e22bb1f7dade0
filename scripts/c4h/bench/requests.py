"""Benchmark of the request pipeline (issue form → match → triage).

Usage: python -m c4h.bench.requests [--listings N] [--requests R] [--no-record]

1. GitHub requests per triage, counted on the local imitation of the REST API used by the
   tests (tests/github_fake.py), with PyGithub unmodified: a first run on a repository whose
   labels exist (target: at most 6) and a re-run on the unchanged issue (at most 3, all reads).
2. Match time per request over N synthetic listings (default 10,000) after loading, against a
   floor measured in the same run: one pass over every offer comparing its category.
   Target: at most 50 ms per request.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date

from c4h import form, github, match, model, paths, triage
from c4h import taxonomy as tx
from c4h.bench import measure, synthetic

TODAY = date(2026, 12, 1)
TARGET_FIRST, TARGET_RERUN, TARGET_MS = 6, 3, 50.0


def count_requests() -> tuple[list[str], list[str]]:
    sys.path.insert(0, str(paths.ROOT / "tests"))
    # the tests' imitation of the REST API, imported from tests/ at run time
    from github_fake import FakeGitHub  # type: ignore[import-not-found]  # noqa: PLC0415

    tax = tx.default()
    template = form.load_form()
    catalogue = model.load(paths.ROOT / "tests" / "fixtures" / "triage" / "providers", TODAY)
    config = triage.Config(
        "https://example.org/", "https://example.org/new", "https://example.org/p", "private"
    )
    with FakeGitHub() as fake:
        fake.add_repo("o/r", assignable=["alice", "carol"])
        for name in (
            "service:incident-response",
            "country:CH",
            "org:hospital",
            "urgency:incident",
            "provider:alpha",
            "provider:beta",
            "triage:matched",
        ):
            fake.add_label("o/r", name, "ededed", "")
        body = form.github_body(
            template,
            tax,
            org_type="hospital",
            country="CH",
            services=["incident-response"],
            urgency="incident",
            description="Our file server was encrypted this morning.",
        )
        fake.add_issue("o/r", 1, "[Help request] ", body)
        client = github.Client(
            fake.url, "t", "o/r", polite=False, policy=github.Policy(log=lambda _: None)
        )

        def once() -> list[str]:
            fake.clear_log()
            triage.run(
                client,
                1,
                catalogue=catalogue,
                form=template,
                config=config,
                today=TODAY,
                bot=fake.bot_login,
            )
            return [f"{r.method} {r.path}" for r in fake.log]

        return once(), once()


def time_matching(listings: int, requests: int) -> tuple[float, float, float, int]:
    tax = tx.default()
    catalogue = model.from_dicts(list(synthetic.listings(listings, "2026-11-01")), tax)
    index = match.Index(catalogue, TODAY)
    rng = random.Random(7)
    countries = list(tax.countries)
    asks = [
        form.Request(
            org_type=rng.choice(tax.org_type_slugs),
            country=rng.choice(countries),
            services=tuple(rng.sample(tax.category_slugs, rng.randint(1, 3))),
            urgency=rng.choice(tx.URGENCIES),
            languages=tuple(rng.sample(["en", "fr", "de", "es"], rng.randint(0, 2))),
        )
        for _ in range(requests)
    ]
    offers = catalogue.offers
    times, floors = [], []
    for ask in asks:
        start = time.perf_counter()
        wanted = set(ask.services)
        sum(1 for o in offers if o.category in wanted)  # the floor: one pass over every offer
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        match.match(ask, index, TODAY, limit=3)
        times.append(time.perf_counter() - start)
    times.sort()
    return (
        measure.median(times) * 1000,
        times[int(len(times) * 0.95)] * 1000,
        measure.median(floors) * 1000,
        len(offers),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)

    first, rerun = count_requests()
    median_ms, p95_ms, floor_ms, offers = time_matching(args.listings, args.requests)
    rerun_reads = all(call.startswith("GET ") for call in rerun)
    ok = (
        len(first) <= TARGET_FIRST
        and len(rerun) <= TARGET_RERUN
        and rerun_reads
        and median_ms <= TARGET_MS
    )
    table = (
        f"Request pipeline. Machine: {measure.machine()}.\n\n"
        "| measure | result | target |\n|---|---|---|\n"
        f"| GitHub requests, first triage (labels exist) | {len(first)}: "
        f"{', '.join(first)} | ≤ {TARGET_FIRST} |\n"
        f"| GitHub requests, re-run on the unchanged issue | {len(rerun)}: "
        f"{', '.join(rerun)} | ≤ {TARGET_RERUN}, all reads |\n"
        f"| match time per request, {args.listings:,} listings ({offers:,} offers), median of "
        f"{args.requests} | {median_ms:.2f} ms (p95 {p95_ms:.2f} ms) | ≤ {TARGET_MS:.0f} ms |\n"
        f"| floor: one pass over every offer comparing its category | {floor_ms:.2f} ms "
        f"(match / floor = {median_ms / floor_ms:.2f}) | |\n"
    )
    return measure.report(table, ok, "requests", keep=not args.no_record)


if __name__ == "__main__":
    raise SystemExit(main())
