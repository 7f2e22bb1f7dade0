"""The weekly sweep: one maintenance issue, updated in place, listing what needs review.

Pure ``report`` (expired and soon-expiring offers, stale listings, listings that fail
validation) and a thin ``run`` that keeps exactly one open issue carrying the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from c4h.github import Client
from c4h.model import Catalogue

MARKER = "<!-- c4h:sweep -->"
LABEL = "maintenance"
TITLE = "Listings to review"
SOON = timedelta(days=30)


def report(catalogue: Catalogue, today: date) -> list[str]:
    """Markdown bullet lines, empty when nothing needs attention."""
    out: list[str] = []
    for provider in catalogue.providers:
        path = f"`providers/{provider.id}.yml`"
        if provider.stale(today):
            out.append(
                f"- {path}: stale, last reviewed {provider.last_reviewed} — ask"
                f" {_who(provider.maintainers)} to check it and update `last_reviewed`"
            )
        for offer in provider.offers:
            if offer.valid_until is None:
                continue
            if offer.expired(today):
                out.append(f"- {path}: offer `{offer.id}` expired on {offer.valid_until} (hidden)")
            elif offer.valid_until - today <= SOON:
                out.append(f"- {path}: offer `{offer.id}` expires on {offer.valid_until}")
    broken = sorted({f.path for f in catalogue.errors})
    out += [f"- `{path}`: fails validation (run `c4h validate {path}`)" for path in broken]
    return out


def _who(maintainers: tuple[str, ...]) -> str:
    # Logins in code spans: the sweep issue must not ping people every week.
    return ", ".join(f"`{m}`" for m in maintainers) if maintainers else "a directory maintainer"


def body(lines: list[str], today: date) -> str:
    if not lines:
        return f"{MARKER}\nAll listings were current on {today}.\n"
    return (
        f"{MARKER}\nFound by the weekly sweep on {today}. This issue is updated in place; it"
        " closes itself when nothing is left.\n\n" + "\n".join(lines) + "\n"
    )


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)


def run(client: Client, catalogue: Catalogue, today: date, dry_run: bool = False) -> Outcome:
    outcome = Outcome()
    items = report(catalogue, today)
    text = body(items, today)
    mine = [i for i in client.issue_bodies_with(LABEL) if (i.body or "").startswith(MARKER)]
    current = mine[0] if mine else None
    if current is None:
        if not items:
            outcome.lines.append("nothing to review; no maintenance issue needed")
            return outcome
        if not dry_run:
            number = client.create_issue(TITLE, text, [LABEL])
            outcome.lines.append(f"created maintenance issue #{number} ({len(items)} items)")
        else:
            outcome.lines.append(f"would create a maintenance issue ({len(items)} items)")
        return outcome
    old_items = [line for line in (current.body or "").splitlines() if line.startswith("- ")]
    if old_items == items:
        outcome.lines.append(f"maintenance issue #{current.number} is up to date")
        return outcome
    if not dry_run:
        client.edit_issue(current.number, body=text, state="open" if items else "closed")
    done = "update" if items else "close"
    past = "updated" if items else "closed"
    note = "" if items else " (nothing left)"
    outcome.lines.append(
        f"{'would ' + done if dry_run else past} maintenance issue #{current.number}{note}"
    )
    return outcome
