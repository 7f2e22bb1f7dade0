"""The weekly sweep keeps one maintenance issue, updated in place, closed when empty."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from c4h import github, model, sweep
from conftest import FIXTURES
from github_fake import FakeGitHub

REPO = "o/r"


def catalogue(offers: dict[str, str | None], reviewed: str = "2026-11-01") -> model.Catalogue:
    data = []
    for pid, valid_until in offers.items():
        offer = {
            "id": "help",
            "title": "Help",
            "category": "advisory",
            "description": "Advice for small clinics, by phone.",
            "regions": ["global"],
            "eligible": ["clinic"],
            "delivery": "remote",
            "cost": "free",
        }
        if valid_until:
            offer["valid_until"] = valid_until
        data.append(
            (
                pid,
                {
                    "name": pid.title(),
                    "website": f"https://{pid}.example.org",
                    "country": "CH",
                    "kind": "nonprofit",
                    "description": "A provider used by the sweep tests.",
                    "contact": {"url": f"https://{pid}.example.org"},
                    "listed_by": "provider",
                    "maintainers": [f"{pid}-owner"],
                    "languages": ["en"],
                    "last_reviewed": reviewed,
                    "offers": [offer],
                },
            )
        )
    return model.from_dicts(data)


TODAY = date(2026, 12, 4)


def test_report_lines() -> None:
    cat = catalogue(
        {"old": "2026-12-01", "soon": "2026-12-20", "later": "2027-06-01", "open": None},
        reviewed="2025-11-01",
    )
    lines = sweep.report(cat, TODAY)
    assert lines[:3] == [
        "- `providers/old.yml`: stale, last reviewed 2025-11-01 — ask `old-owner` to check it and "
        "update `last_reviewed`",
        "- `providers/old.yml`: offer `help` expired on 2026-12-01 (hidden)",
        "- `providers/soon.yml`: stale, last reviewed 2025-11-01 — ask `soon-owner` to check it "
        "and update `last_reviewed`",
    ]
    assert "- `providers/soon.yml`: offer `help` expires on 2026-12-20" in lines
    assert not any("later.yml`: offer" in line for line in lines)
    assert all("@" not in line for line in lines)  # a weekly report must not ping anyone


def test_the_shipped_listings_need_no_review() -> None:
    assert sweep.report(model.load(FIXTURES.parent.parent / "providers", TODAY), TODAY) == []


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.add_repo(REPO)
        yield server


def client(fake: FakeGitHub) -> github.Client:
    return github.Client(
        fake.url, "t", REPO, polite=False, policy=github.Policy(backoff=0, log=lambda _: None)
    )


def test_one_issue_updated_in_place_then_closed(fake: FakeGitHub) -> None:
    expired = catalogue({"old": "2026-12-01"})
    assert sweep.run(client(fake), expired, TODAY).lines == [
        "created maintenance issue #1 (1 items)"
    ]
    [issue] = fake.issues(REPO)
    assert issue.labels == ["maintenance"] and issue.title == "Listings to review"
    assert issue.body.startswith("<!-- c4h:sweep -->\nFound by the weekly sweep on 2026-12-04.")
    fake.clear_log()
    assert sweep.run(client(fake), expired, TODAY).lines == ["maintenance issue #1 is up to date"]
    assert fake.writes() == []
    both = catalogue({"old": "2026-12-01", "new": "2026-11-30"})
    assert sweep.run(client(fake), both, TODAY).lines == ["updated maintenance issue #1"]
    assert len(fake.issues(REPO)) == 1
    assert sweep.run(client(fake), catalogue({"fine": None}), TODAY).lines == [
        "closed maintenance issue #1 (nothing left)"
    ]
    assert fake.issue(REPO, 1).state == "closed"


def test_nothing_to_review_creates_nothing(fake: FakeGitHub) -> None:
    assert sweep.run(client(fake), catalogue({"fine": None}), TODAY).lines == [
        "nothing to review; no maintenance issue needed"
    ]
    assert fake.writes() == []
