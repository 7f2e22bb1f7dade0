"""Triage a request for help: read the issue, match it, then make GitHub show exactly that.

The core is pure: ``plan`` turns an issue (and what the bot did before, read from its marker)
into the desired labels, providers, assignees and comment; ``render_comment`` writes the
comment. ``run`` is the shell: it reads from GitHub, plans, and applies only the difference,
comment last. The comment's first line is a marker holding a hash of the plan, the providers
already notified and the logins the bot assigned, so a run on an unchanged issue stops after
reading, and a run after an edit notifies only providers it had not notified before.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from c4h import form as fm
from c4h import match as mt
from c4h import taxonomy as tx
from c4h.github import Client, CommentData, IssueData
from c4h.model import Catalogue, Provider

VERSION = "1"
MARKER = "<!-- c4h:triage"
OWNED_PREFIXES = ("service:", "country:", "org:", "urgency:", "provider:", "triage:")
REDACT = "needs-redaction"
SKIP_LABELS = ("maintenance", "no-triage")  # issues the bot leaves alone (the sweep's own issue)
MATCHED, NO_MATCH, INVALID = "triage:matched", "triage:no-match", "triage:invalid"
FIRST_TEAMS = "https://www.first.org/members/teams/"
ENISA_CSIRTS = "https://www.enisa.europa.eu/topics/eu-incident-response-and-cyber-crisis-management/csirts-network"
MAX_ASSIGNEES = 10  # GitHub keeps at most 10 assignees on an issue

COLORS = {
    "service:": ("1d76db", "Service asked for: {}"),
    "country:": ("fbca04", "Country: {}"),
    "org:": ("0e8a16", "Organisation type: {}"),
    "provider:": ("5319e7", "Notified provider: {}"),
}
FIXED_LABELS = {
    "urgency:incident": ("b60205", "Under attack now"),
    "urgency:urgent": ("d93f0b", "Help needed within a week"),
    "urgency:planning": ("c5def5", "Planning ahead"),
    MATCHED: ("0e8a16", "The bot matched providers to this request"),
    NO_MATCH: ("fbca04", "No listed provider fits: a maintainer looks for help"),
    INVALID: ("e11d21", "The bot could not read the request form"),
    REDACT: ("b60205", "May hold personal or identifying data: a maintainer should redact it"),
}


def owned(label: str) -> bool:
    return label.startswith(OWNED_PREFIXES) or label == REDACT


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    description: str


def label_spec(name: str, tax: tx.Taxonomy, providers: Mapping[str, Provider]) -> Label:
    if name in FIXED_LABELS:
        color, description = FIXED_LABELS[name]
        return Label(name, color, description)
    prefix, _, value = name.partition(":")
    color, template = COLORS[prefix + ":"]
    describe: dict[str, Callable[[str], str]] = {
        "service": lambda v: tax.category(v).label,
        "country": lambda v: tax.countries.get(v, v),
        "org": lambda v: tax.org_type(v).label,
        "provider": lambda v: providers[v].name if v in providers else v,
    }
    text = template.format(describe[prefix](value))
    return Label(name, color, text[:100])  # GitHub's limit for label descriptions


# --- personal data ---------------------------------------------------------------------------

# Every repetition is bounded, so no pattern can backtrack quadratically on a 65,536-character
# body (the largest GitHub accepts).
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PERSONAL = (
    ("an email address", re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")),
    ("a URL", re.compile(r"(?i)\b(?:https?|ftp)://\S{1,2000}|\bwww\.\S{1,2000}")),
    (
        "an IP address",
        re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b"),
    ),
    (
        "an IP address",
        re.compile(
            r"(?i)\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,7}:[0-9a-f]{0,4}\b"
        ),
    ),
    ("a hostname", re.compile(rf"(?i)\b{_LABEL}(?:\.{_LABEL}){{0,8}}\.(?:[a-z]{{2,24}})\b")),
    (
        "a phone number",
        re.compile(
            r"(?:\+|\b00)\d[\d ()./-]{6,20}\d|\b\d{2,4}[ ./-]\d{2,4}[ ./-]\d{2,4}[ ./-]?\d{2,4}\b"
        ),
    ),
)
_NOT_HOSTS = re.compile(r"(?i)^(?:e\.g|i\.e|etc|vs|approx)\.?$")


def personal_data(text: str) -> tuple[str, ...]:
    """The kinds of identifying data TEXT seems to hold (emails, phones, addresses, hosts).

    Each kind found is cut out before the next is looked for, so the domain of an email
    address does not also count as a hostname.
    """
    found: list[str] = []
    for kind, pattern in _PERSONAL:
        hits = [
            h
            for h in pattern.finditer(text)
            if not (kind == "a hostname" and _NOT_HOSTS.match(h.group(0)))
        ]
        if hits and kind not in found:
            found.append(kind)
        if kind in ("an email address", "a URL"):
            text = pattern.sub(" ", text)
    return tuple(found)


# --- the marker ------------------------------------------------------------------------------

_MARKER_LINE = re.compile(
    r"^<!-- c4h:triage v(?P<v>\d+) state=(?P<state>[0-9a-f]+)"
    r"(?: notified=(?P<notified>[a-z0-9,-]*))?(?: assigned=(?P<assigned>[A-Za-z0-9,-]*))? -->"
)


@dataclass(frozen=True)
class Previous:
    """What an earlier run recorded in its comment's marker."""

    comment_id: int
    state: str
    notified: tuple[str, ...] = ()
    assigned: tuple[str, ...] = ()
    duplicates: tuple[int, ...] = ()  # more bot comments with a marker (from a failed run)


def marker(state: str, notified: Iterable[str], assigned: Iterable[str]) -> str:
    return (
        f"{MARKER} v{VERSION} state={state} notified={','.join(notified)}"
        f" assigned={','.join(assigned)} -->"
    )


def previous(comments: Sequence[CommentData], bot: str) -> Previous | None:
    """The bot's own comment: the marker on its first line AND written by the bot's login."""
    mine = []
    for comment in comments:
        if comment.author.casefold() != bot.casefold():
            continue  # anyone can paste the marker; only the bot's comment counts
        first = comment.body.split("\n", 1)[0].strip()
        hit = _MARKER_LINE.match(first)
        if hit:
            mine.append((comment, hit))
    if not mine:
        return None
    comment, hit = mine[0]
    return Previous(
        comment.id,
        hit.group("state"),
        _split(hit.group("notified")),
        _split(hit.group("assigned")),
        tuple(c.id for c, _ in mine[1:]),
    )


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


# --- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    site_url: str
    form_url: str
    private_url: str
    private_name: str
    limit: int = 3


@dataclass(frozen=True)
class Plan:
    number: int
    outcome: str  # MATCHED, NO_MATCH or INVALID
    labels: tuple[str, ...]  # every owned label the issue should carry
    request: fm.Request | None
    invalid: fm.Invalid | None
    result: mt.MatchResult | None
    personal: tuple[str, ...]
    providers: tuple[str, ...]  # chosen provider ids
    new_providers: tuple[str, ...]  # chosen and never notified before
    notified: tuple[str, ...]  # every provider ever notified on this issue
    wanted_assignees: tuple[str, ...]  # maintainers of newly chosen providers
    drop_assignees: tuple[str, ...]  # assigned by the bot, for providers no longer chosen
    keep_assigned: tuple[str, ...]  # assigned by the bot earlier, still wanted
    state: str


def plan(
    issue: IssueData,
    *,
    before: Previous | None,
    catalogue: Catalogue | mt.Index,
    form: Mapping[str, Any],
    config: Config,
    today: date,
    load: Mapping[str, int],
    tax: tx.Taxonomy,
) -> Plan:
    """The desired state of the issue, as data; the same inputs always give the same plan."""
    parsed = fm.parse(issue.body, form, tax)
    notified_before = before.notified if before else ()
    assigned_before = before.assigned if before else ()
    request = parsed if isinstance(parsed, fm.Request) else None
    invalid = parsed if isinstance(parsed, fm.Invalid) else None
    result = None
    if request:
        result = mt.match(
            request, catalogue, today, load=load, limit=config.limit, keep=notified_before
        )
        understood: dict[str, tuple[str, ...]] = {
            "services": request.services,
            "country": (request.country,),
            "org_type": (request.org_type,) if request.org_type else (),
            "urgency": (request.urgency,),
        }
    else:
        assert invalid is not None
        understood = {k: tuple(v) for k, v in invalid.understood.items()}
    text = issue.title + "\n" + (request.description if request else (issue.body or ""))
    personal = personal_data(text)

    labels = [f"service:{s}" for s in understood.get("services", ())]
    labels += [f"country:{c}" for c in understood.get("country", ())]
    labels += [f"org:{o}" for o in understood.get("org_type", ())]
    labels += [f"urgency:{u}" for u in understood.get("urgency", ())]
    providers: tuple[str, ...] = result.provider_ids if result else ()
    labels += [f"provider:{p}" for p in providers]
    outcome = INVALID if invalid else (MATCHED if providers else NO_MATCH)
    labels.append(outcome)
    if personal:
        labels.append(REDACT)

    new = tuple(p for p in providers if p not in notified_before)
    notified = tuple(dict.fromkeys((*notified_before, *new)))
    by_id = {m.provider_id: m.provider for m in (result.matches if result else ())}
    maintainers_of = {p: by_id[p].maintainers for p in providers}
    wanted = tuple(dict.fromkeys(login for p in new for login in maintainers_of[p]))
    still = {login.casefold() for p in providers for login in maintainers_of[p]}
    keep_assigned = tuple(a for a in assigned_before if a.casefold() in still)
    drop = tuple(a for a in assigned_before if a.casefold() not in still)

    state_data = {
        "v": VERSION,
        "labels": sorted(labels),
        "providers": list(providers),
        "offers": [[o.key for o in m.offers] for m in (result.matches if result else ())],
        "near": [[n.offer.key, n.reason] for n in (result.near_misses if result else ())],
        "emergency": [o.key for o in (result.emergency if result else ())],
        "problems": [[p.code, p.field, p.message] for p in (invalid.problems if invalid else ())],
        "personal": list(personal),
        "config": [config.site_url, config.form_url, config.private_url, config.limit],
        "form": fm.fingerprint(form),
    }
    state = hashlib.sha256(json.dumps(state_data, sort_keys=True).encode()).hexdigest()[:16]
    return Plan(
        number=issue.number,
        outcome=outcome,
        labels=tuple(dict.fromkeys(labels)),
        request=request,
        invalid=invalid,
        result=result,
        personal=personal,
        providers=providers,
        new_providers=new,
        notified=notified,
        wanted_assignees=wanted,
        drop_assignees=drop,
        keep_assigned=keep_assigned,
        state=state,
    )


# --- the comment -----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md(text: str) -> str:
    """Listing text made inert in a GitHub comment: no markup, no @mention, no link."""
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # a word joiner breaks @mentions, #references and autolinked addresses, invisibly
    for token in ("@", "://", "www."):
        text = text.replace(token, token[0] + "\u2060" + token[1:])
    return re.sub(r"#(?=\d)", "#\u2060", text)


def md_url(url: str) -> str:
    """A URL for a Markdown link target: characters that could end the link are encoded."""
    return "".join(f"%{ord(c):02X}" if c in " ()<>[]\"'`\\" else c for c in url)


def _labels(tax: tx.Taxonomy, request: fm.Request) -> list[tuple[str, str]]:
    langs = ", ".join(f"{c} — {tax.languages.get(c, c)}" for c in request.languages)
    urgency = {slug: label for label, slug in fm.vocabulary(tax)["urgency"].items()}
    return [
        ("Organisation", tax.org_type(request.org_type).label if request.org_type else "not given"),
        ("Country", f"{request.country} — {tax.countries.get(request.country, request.country)}"),
        ("Help with", "; ".join(tax.category(s).label for s in request.services)),
        ("Urgency", urgency.get(request.urgency, request.urgency)),
        ("Languages", langs or "any"),
    ]


def render_comment(p: Plan, config: Config, tax: tx.Taxonomy, assigned: Iterable[str]) -> str:
    """The bot's comment. ASSIGNED: logins GitHub actually assigned (the rest are mentioned)."""
    assigned_now = {a.casefold() for a in assigned}
    recorded = [a for a in (*p.keep_assigned, *p.wanted_assignees) if a.casefold() in assigned_now]
    lines = [marker(p.state, p.notified, dict.fromkeys(recorded)), ""]
    private = f"[{md(config.private_name)}]({md_url(config.private_url)})"
    request, result = p.request, p.result

    if request and request.urgency == "incident":
        lines += [
            "### If you are under attack right now",
            "",
            "1. Call your national CERT or CSIRT now: find it in [FIRST's directory of teams]"
            f"({FIRST_TEAMS}) or, in Europe, the [CSIRTs network]({ENISA_CSIRTS}).",
            "2. Disconnect affected machines from the network, but do not switch them off or"
            " wipe them: evidence helps recovery.",
            f"3. Do not post incident details here. For anything sensitive use {private}.",
        ]
        if result and result.emergency:
            lines += ["", "Offers that help during an attack, 24/7, where you are:", ""]
            for offer in result.emergency:
                page = f"{config.site_url.rstrip('/')}/providers/{offer.provider_id}/"
                lines.append(f"- [{md(offer.title)}]({md_url(page)})")
        lines.append("")

    if p.invalid:
        lines += ["### The bot could not read this request", ""]
        lines += [f"- {md(m)}" for m in p.invalid.messages]
        lines += [
            "",
            f"Please edit this issue to fix it, or [open a new request with the form]"
            f"({md_url(config.form_url)}). The bot reads it again after every edit.",
        ]
    elif request and result:
        lines += ["### What we understood", "", "| | |", "|---|---|"]
        lines += [f"| {k} | {md(v)} |" for k, v in _labels(tax, request)]
        lines.append("")
        if result.matches:
            lines += ["### Providers who may help", ""]
            for i, m in enumerate(result.matches, 1):
                page = f"{config.site_url.rstrip('/')}/providers/{m.provider_id}/"
                offers = ", ".join(md(o.title) for o in m.offers)
                lines.append(f"{i}. **[{md(m.provider.name)}]({md_url(page)})**: {offers}")
                lines.append(f"   - Why: {md('; '.join(m.reasons))}")
                lines.append(f"   - {_contact_line(m, p, assigned_now)}")
            lines += [
                "",
                "### What happens next",
                "",
                "The providers above have been told about this request. They answer here or"
                " through the contact shown; you choose whom to work with. Nobody may ask you"
                " for money. If nobody answers within three working days, a directory"
                " maintainer follows up.",
            ]
        else:
            lines += [
                "### No listed provider fits yet",
                "",
                "A directory maintainer will look for help and answer here.",
            ]
        if result.near_misses:
            lines += ["", "<details><summary>Close, but not matching</summary>", ""]
            for n in result.near_misses:
                lines.append(f"- {md(n.offer.title)} ({md(n.offer.provider_id)}): {md(n.reason)}")
            lines += ["", "</details>"]
    lines += [
        "",
        "### Privacy",
        "",
        "This issue is public and stays public, edits included. Do not write names of patients"
        " or staff, addresses, phone numbers, IP addresses, hostnames or details of an incident."
        f" For anything that cannot be public, use {private}.",
    ]
    if p.personal:
        lines += [
            "",
            f"> [!WARNING]\n> This issue seems to contain {', '.join(p.personal)}. Please edit"
            " it to remove anything that identifies you; a maintainer has been asked to check.",
        ]
    return "\n".join(lines) + "\n"


def _contact_line(m: mt.Match, p: Plan, assigned_now: set[str]) -> str:
    provider = m.provider
    if provider.maintainers:
        new = m.provider_id in p.new_providers
        parts = []
        for login in provider.maintainers:
            if login.casefold() in assigned_now:
                parts.append(f"`{login}` (assigned)")
            elif new:
                parts.append(f"@{login}")  # the notification for those who cannot be assigned
            else:
                parts.append(f"`{login}` (notified earlier)")
        return "Maintainers: " + ", ".join(parts)
    contact = []
    if provider.contact.url:
        contact.append(f"[contact page]({md_url(provider.contact.url)})")
    if provider.contact.email:
        contact.append(f"[{md(provider.contact.email)}](mailto:{md_url(provider.contact.email)})")
    return "Listed by the directory from public sources: reach them through their " + (
        " or ".join(contact) or "website"
    )


# --- applying the plan -----------------------------------------------------------------------


@dataclass
class Report:
    """What a run did (or, with --dry-run, would do), as lines for the log."""

    number: int
    lines: list[str] = field(default_factory=list)
    writes: int = 0

    def add(self, line: str, write: bool = True) -> None:
        self.lines.append(line)
        self.writes += int(write)


def count_load(issues: Iterable[tuple[int, Sequence[str]]], number: int) -> dict[str, int]:
    """Open matched requests per provider (from their provider: labels), this issue aside."""
    load: dict[str, int] = {}
    for n, labels in issues:
        if n == number:
            continue
        for label in labels:
            if label.startswith("provider:"):
                pid = label.removeprefix("provider:")
                load[pid] = load.get(pid, 0) + 1
    return load


def run(
    client: Client,
    number: int,
    *,
    catalogue: Catalogue,
    form: Mapping[str, Any],
    config: Config,
    today: date,
    bot: str,
    dry_run: bool = False,
) -> Report:
    """Triage issue NUMBER on GitHub; raises GitHubError when it cannot finish."""
    tax = catalogue.tax
    report = Report(number)
    issue = client.issue(number)
    if issue.is_pull_request:
        report.add(f"#{number} is a pull request: nothing to do", write=False)
        return report
    skip = [lbl for lbl in issue.labels if lbl in SKIP_LABELS]
    if skip:
        report.add(f"#{number} is labelled {skip[0]}: left alone", write=False)
        return report
    comments = client.comments(number) if issue.comments else []
    before = previous(comments, bot)
    load = count_load(client.open_issues_with(MATCHED), number)
    p = plan(
        issue,
        before=before,
        catalogue=catalogue,
        form=form,
        config=config,
        today=today,
        load=load,
        tax=tax,
    )
    if before and before.state == p.state and not before.duplicates:
        report.add(
            f"#{number}: unchanged since the last run (state {p.state}); nothing to do", write=False
        )
        return report

    providers = {pr.id: pr for pr in catalogue.providers}
    act = (lambda line: report.add(f"would {line}")) if dry_run else None

    # 1. labels: create missing ones, then remove and add on the issue (owned prefixes only)
    current = set(issue.labels)
    to_add = [name for name in p.labels if name not in current]
    to_remove = [name for name in issue.labels if owned(name) and name not in p.labels]
    if to_add:
        existing = client.labels()
        for name in to_add:
            if name.casefold() not in existing:
                spec = label_spec(name, tax, providers)
                create = partial(client.create_label, spec.name, spec.color, spec.description)
                _do(report, act, f"create label {name}", create)
    for name in to_remove:
        _do(report, act, f"remove label {name}", partial(client.remove_label, number, name))
    if to_add:
        _do(
            report,
            act,
            f"add labels {', '.join(to_add)}",
            lambda: client.add_labels(number, to_add),
        )

    # 2. assignees: maintainers of newly chosen providers; drop those of providers let go
    assigned = set(issue.assignees)
    if p.drop_assignees:
        drop = [a for a in p.drop_assignees if a in assigned]
        if drop:
            _do(report, act, f"unassign {', '.join(drop)}", lambda: client.unassign(number, drop))
            assigned -= set(drop)
    wanted = [a for a in p.wanted_assignees if a not in assigned]
    room = MAX_ASSIGNEES - len(assigned)
    if wanted and room > 0:
        asked = wanted[:room]
        if dry_run:
            report.add(f"would assign {', '.join(asked)}")
        else:
            after = client.assign(number, asked)
            assigned = set(after)
            got = [a for a in asked if a in assigned]
            missed = [a for a in asked if a not in assigned]
            report.add(
                f"assigned {', '.join(got) or 'nobody'}"
                + (
                    f"; cannot be assigned (mentioned instead): {', '.join(missed)}"
                    if missed
                    else ""
                )
            )

    # 3. the comment, last: its marker says all of the above is done
    body = render_comment(p, config, tax, assigned)
    if before:
        cid = before.comment_id
        _do(report, act, f"edit comment {cid}", lambda: client.edit_comment(number, cid, body))
        for extra in before.duplicates:
            _do(
                report,
                act,
                f"delete duplicate comment {extra}",
                partial(client.delete_comment, number, extra),
            )
    elif dry_run:
        report.add("would create the triage comment")
    else:

        def find() -> int | None:
            found = previous(client.comments(number), bot)
            return found.comment_id if found else None

        cid = client.create_comment(number, body, find)
        report.add(f"created comment {cid}")
    report.add(f"#{number}: {p.outcome}, providers {', '.join(p.providers) or 'none'}", write=False)
    return report


def _do(
    report: Report, act: Callable[[str], None] | None, what: str, fn: Callable[[], Any]
) -> None:
    if act is not None:
        act(what)
        return
    fn()
    report.add(what)
