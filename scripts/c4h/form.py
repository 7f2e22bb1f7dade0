"""The request form (a GitHub issue form) generated from the taxonomy, and the parser of its bodies.

``render_form`` writes ``.github/ISSUE_TEMPLATE/request-help.yml``; ``render_config`` writes
``config.yml`` beside it (no blank issues, a link to the private channel). ``parse`` reads an
issue body against the form template *as loaded back from that file*: a section starts only at a
line that is exactly ``### <a label the template defines>`` (user text may contain ``###``), and
every value is checked against the template's options. Labels map back to slugs and codes through
the taxonomy. Problems are reported as short sentences that never repeat what the requester
typed, so they are safe to post back on a public issue.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from c4h import listing, paths
from c4h import taxonomy as tx

TEMPLATE_NAME = "request-help.yml"
TITLE = "[Help request] "
SEPARATOR = " — "  # between a code and its name: "CH — Switzerland", "fr — French"
FIRST_TEAMS = "https://www.first.org/members/teams/"  # FIRST's directory of response teams
CODE_OF_CONDUCT = "../blob/HEAD/CODE_OF_CONDUCT.md"  # relative to .../issues/new and .../issues/N

# Urgency labels shown in the form. No commas (GitHub joins multiple choices with ", ").
URGENCY_LABELS = {
    "incident": "Incident: we are under attack now",
    "urgent": "Urgent: we need help within a week",
    "planning": "Planning: we want to improve our security",
}
assert tuple(URGENCY_LABELS) == tx.URGENCIES

# Values GitHub writes for a field left empty ("None" is the choice optional dropdowns offer).
NO_RESPONSE = "_No response_"  # what GitHub writes for an empty optional field
EMPTY = (NO_RESPONSE, "None")

# The fields the parser needs, by id.
FIELD_IDS = ("org_type", "country", "services", "urgency", "languages", "description", "consent")

# Problem codes (``Problem.code``).
NOT_A_FORM = "not-a-form"
UNRECOGNISABLE = "unrecognisable"
MISSING_SECTION = "missing-section"
EMPTY_VALUE = "empty"
UNKNOWN_OPTION = "unknown-option"
ONE_ONLY = "one-only"
DUPLICATE = "duplicate"
UNTICKED = "unticked"
OUT_OF_DATE = "out-of-date"


class FormError(ValueError):
    """The form template or the settings are broken (a maintainer's mistake, not a requester's)."""


# --- rendering -------------------------------------------------------------------------------


def settings_path() -> Path:
    return paths.ROOT / ".github" / "c4h.yml"


def config_path() -> Path:
    return paths.ISSUE_TEMPLATE_DIR / "config.yml"


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """The project settings (``.github/c4h.yml``) as plain data."""
    data = listing.load_plain(path or settings_path())
    if not isinstance(data, dict):
        raise FormError(f"{path or settings_path()}: must be a mapping of settings")
    return data


def _private_channel(settings: Mapping[str, Any]) -> dict[str, str]:
    channel = settings.get("private_channel")
    keys = ("name", "url", "about")
    if not isinstance(channel, dict) or not all(isinstance(channel.get(k), str) for k in keys):
        raise FormError("settings: private_channel needs name, url and about (text)")
    return {k: channel[k] for k in keys}


def country_name(name: str) -> str:
    """An ISO name without commas, for option labels.

    An inverted name turns round a bracket ("Korea, Republic of" → "Korea (Republic of)"); a
    list of places gets "and" ("Bonaire, Sint Eustatius and Saba" → "Bonaire and Sint...").
    """
    head, sep, tail = name.partition(", ")
    if not sep:
        return name.replace(",", "")
    if " and " in tail:
        return f"{head} and {tail}".replace(",", "")
    return f"{head} ({tail.replace(',', '')})"


def country_option(code: str, name: str) -> str:
    return f"{code}{SEPARATOR}{country_name(name)}"


def language_option(code: str, name: str) -> str:
    return f"{code}{SEPARATOR}{name.replace(',', '')}"


def _sort_key(text: str) -> str:
    """Alphabetical order for people: accents and case ignored ("Åland" files under A)."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def _by_name(names: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(names.items(), key=lambda item: (_sort_key(item[1]), item[0]))


@cache
def vocabulary(tax: tx.Taxonomy) -> dict[str, dict[str, str]]:
    """For each choice field, its option labels (in form order) → slug or code."""
    return {
        "org_type": {t.label: t.slug for t in tax.org_types},
        "country": {country_option(c, n): c for c, n in _by_name(tax.countries)},
        "services": {t.label: t.slug for t in tax.categories},
        "urgency": {label: slug for slug, label in URGENCY_LABELS.items()},
        "languages": {language_option(c, n): c for c, n in _by_name(tax.languages)},
    }


INTRO = """\
**This issue is public, and it stays public.** Anyone can read it, and GitHub keeps every \
earlier version of it, so text you delete later can still be found.

**Under attack right now?** Contact your national CERT or CSIRT first \
([FIRST lists response teams by country]({first})). Then write to us through \
[{name}]({url}) rather than here.
"""

WHAT_TO_WRITE = """\
**Tell us only what we need to find help:** the type of organisation, the country, the help \
you need, how urgent it is and the languages you can work in.

**Never write here:**
- names of patients or staff, or any health information;
- the name of your organisation, if you would rather not be seen asking;
- IP addresses, hostnames, email addresses or phone numbers;
- ransom notes, screenshots or any detail of an incident.

A bot answers with the providers that may fit, and says why. Share details with a provider \
only in private, once you have checked who they are.
"""


def _dropdown(
    fid: str,
    label: str,
    description: str,
    options: Iterable[str],
    *,
    required: bool,
    multiple: bool = False,
) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": label, "description": description}
    if multiple:
        attributes["multiple"] = True
    attributes["options"] = list(options)
    return {
        "type": "dropdown",
        "id": fid,
        "attributes": attributes,
        "validations": {"required": required},
    }


def form_data(tax: tx.Taxonomy, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The issue form as plain data (what ``render_form`` writes)."""
    channel = _private_channel(settings)
    vocab = vocabulary(tax)
    intro = INTRO.format(first=FIRST_TEAMS, name=channel["name"], url=channel["url"])
    body: list[dict[str, Any]] = [
        {"type": "markdown", "attributes": {"value": intro}},
        {"type": "markdown", "attributes": {"value": WHAT_TO_WRITE}},
        _dropdown(
            "org_type",
            "Type of organisation",
            "What kind of organisation needs help?",
            vocab["org_type"],
            required=True,
        ),
        _dropdown(
            "country",
            "Country",
            "Where the organisation is.",
            vocab["country"],
            required=True,
        ),
        _dropdown(
            "services",
            "Help needed",
            "Choose one or more kinds of help.",
            vocab["services"],
            required=True,
            multiple=True,
        ),
        _dropdown(
            "urgency",
            "Urgency",
            "How soon do you need help?",
            vocab["urgency"],
            required=True,
        ),
        _dropdown(
            "languages",
            "Languages",
            "Languages you can work in (optional).",
            vocab["languages"],
            required=False,
            multiple=True,
        ),
        {
            "type": "textarea",
            "id": "description",
            "attributes": {
                "label": "Anything else providers should know",
                "description": (
                    "Optional. For example the size of the organisation, what you already have"
                    " in place, or when you are available. No names, addresses or incident"
                    " details."
                ),
                "placeholder": "About 40 staff, one part-time IT person, mostly cloud services.",
            },
            "validations": {"required": False},
        },
        {
            "type": "checkboxes",
            "id": "consent",
            "attributes": {
                "label": "Before you submit",
                "options": [
                    {
                        "label": "This issue holds no personal data and no patient or incident"
                        " details.",
                        "required": True,
                    },
                    {
                        "label": f"I will follow the [code of conduct]({CODE_OF_CONDUCT}).",
                        "required": True,
                    },
                ],
            },
        },
    ]
    for item in body:
        for option in item["attributes"].get("options", []):
            text = option if isinstance(option, str) else option["label"]
            assert "," not in text, f"comma in option {text!r}"
            assert text not in EMPTY, f"reserved option {text!r}"
    return {
        "name": "Ask for free help",
        "description": "Ask for free cybersecurity help for a healthcare organisation (public).",
        "title": TITLE,
        "body": body,
    }


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so the generated form reads like a hand-written one."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, indent=2
    )


HEADER = """\
# Generated by `c4h form` from schema/taxonomy.yml and .github/c4h.yml: do not edit by hand.
# Change those files (or scripts/c4h/form.py), then run `make generate`; CI runs `c4h form --check`.
"""


def render_form(tax: tx.Taxonomy, settings: Mapping[str, Any]) -> str:
    """The issue form YAML for ``.github/ISSUE_TEMPLATE/request-help.yml``."""
    return HEADER + _dump(form_data(tax, settings))


def render_config(settings: Mapping[str, Any]) -> str:
    """``.github/ISSUE_TEMPLATE/config.yml``: no blank issues; the private channel first."""
    channel = _private_channel(settings)
    data = {
        "blank_issues_enabled": False,
        "contact_links": [
            channel,
            {
                "name": "Under attack now? Contact your national CERT or CSIRT",
                "url": FIRST_TEAMS,
                "about": "FIRST lists incident response teams by country. Contact them first.",
            },
        ],
    }
    return HEADER + _dump(data)


def files(tax: tx.Taxonomy, settings: Mapping[str, Any]) -> dict[Path, str]:
    """Every generated file of the form, by path (for ``c4h form`` and its --check)."""
    return {paths.REQUEST_FORM: render_form(tax, settings), config_path(): render_config(settings)}


def load_form(path: Path | None = None) -> dict[str, Any]:
    """The form template as written on disk (what the parser reads bodies against)."""
    data = listing.load_plain(path or paths.REQUEST_FORM)
    if not isinstance(data, dict):
        raise FormError(f"{path or paths.REQUEST_FORM}: not an issue form")
    return data


@cache
def _labels(tax: tx.Taxonomy) -> dict[str, dict[str, str]]:
    """For each choice field, slug or code → option label (``vocabulary`` turned round)."""
    return {fid: {v: k for k, v in choices.items()} for fid, choices in vocabulary(tax).items()}


def prefill_url(
    repo_url: str,
    *,
    services: Sequence[str] = (),
    country: str | None = None,
    org_type: str | None = None,
    languages: Sequence[str] = (),
    tax: tx.Taxonomy | None = None,
) -> str:
    """A link to the form with choices filled in, from slugs and codes.

    Multiple choices are joined with ", ", as GitHub writes them in the body. Unknown slugs or
    codes raise KeyError: a broken link on the site is a bug to catch when building it.
    """
    labels = _labels(tax or tx.default())
    query: list[tuple[str, str]] = [("template", TEMPLATE_NAME)]
    if services:
        query.append(("services", ", ".join(labels["services"][s] for s in services)))
    if country:
        query.append(("country", labels["country"][country]))
    if org_type:
        query.append(("org_type", labels["org_type"][org_type]))
    if languages:
        query.append(("languages", ", ".join(labels["languages"][c] for c in languages)))
    encoded = urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
    return f"{repo_url.rstrip('/')}/issues/new?{encoded}"


# --- the template, as the parser sees it -----------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One submitted field of the template (markdown blocks are never submitted)."""

    id: str
    type: str  # dropdown, checkboxes, textarea or input
    label: str
    required: bool
    multiple: bool = False
    options: tuple[str, ...] = ()
    required_options: tuple[str, ...] = ()  # checkboxes that must be ticked

    @property
    def heading(self) -> str:
        return f"### {self.label}"


def fields(form: Mapping[str, Any]) -> tuple[Field, ...]:
    """The template's submitted fields, in order; FormError if the template is malformed."""
    body = form.get("body") if isinstance(form, Mapping) else None
    if not isinstance(body, list):
        raise FormError("the form template has no body list")
    out: list[Field] = []
    for i, item in enumerate(body):
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "markdown":
            continue
        attrs = item.get("attributes") if isinstance(item, dict) else None
        if not isinstance(attrs, dict) or not isinstance(attrs.get("label"), str):
            raise FormError(f"the form template's body[{i}] has no label")
        raw = attrs.get("options") or []
        if kind == "checkboxes":
            options = tuple(str(o.get("label", "")) for o in raw if isinstance(o, dict))
            needed = tuple(
                str(o["label"]) for o in raw if isinstance(o, dict) and o.get("required")
            )
        else:
            options, needed = tuple(str(o) for o in raw), ()
        validations = item.get("validations") or {}
        out.append(
            Field(
                id=str(item.get("id") or f"body[{i}]"),
                type=str(kind),
                label=attrs["label"].strip(),
                required=bool(validations.get("required")) or bool(needed),
                multiple=bool(attrs.get("multiple")),
                options=options,
                required_options=needed,
            )
        )
    labels = [f.label for f in out]
    if len(set(labels)) != len(labels):
        raise FormError("the form template has two fields with the same label")
    missing = [fid for fid in FIELD_IDS if fid not in {f.id for f in out}]
    if missing:
        raise FormError("the form template lacks the fields " + ", ".join(missing))
    return tuple(out)


def fingerprint(form: Mapping[str, Any]) -> str:
    """A short hash of what the parser depends on (labels, options): it changes with the form."""
    spec = [[f.id, f.type, f.label, f.multiple, list(f.options)] for f in fields(form)]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:12]


def github_body(
    form: Mapping[str, Any],
    tax: tx.Taxonomy,
    *,
    org_type: str,
    country: str,
    services: Sequence[str],
    urgency: str,
    languages: Sequence[str] = (),
    description: str = "",
    ticks: str = "X",
) -> str:
    """The body GitHub writes for these choices (slugs and codes): for tests and benchmarks."""
    labels = {k: {v: label for label, v in d.items()} for k, d in vocabulary(tax).items()}
    values = {
        "org_type": labels["org_type"][org_type],
        "country": labels["country"][country],
        "services": ", ".join(labels["services"][s] for s in services),
        "urgency": labels["urgency"][urgency],
        "languages": ", ".join(labels["languages"][c] for c in languages) or NO_RESPONSE,
        "description": description or NO_RESPONSE,
    }
    parts = []
    for f in fields(form):
        if f.type == "checkboxes":
            parts.append(f"### {f.label}\n\n" + "\n".join(f"- [{ticks}] {o}" for o in f.options))
        else:
            parts.append(f"### {f.label}\n\n{values[f.id]}")
    return "\n\n".join(parts)


# --- parsing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """A request for help, in slugs and codes. ``org_type`` is None only for ad-hoc queries."""

    org_type: str | None
    country: str  # ISO 3166-1 alpha-2
    services: tuple[str, ...]  # category slugs, in the order given
    urgency: str  # incident, urgent or planning
    languages: tuple[str, ...] = ()  # ISO 639-1; empty: any language
    description: str = ""  # the requester's own words: escape before echoing anywhere
    consent: bool = True  # every required box ticked (always True in a parsed Request)


@dataclass(frozen=True)
class Problem:
    code: str  # one of the constants above (NOT_A_FORM, MISSING_SECTION...)
    field: str  # field id, or "" for the body as a whole
    message: str  # a sentence for the requester; never holds their text

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Invalid:
    """A body that cannot become a Request, with every problem found."""

    problems: tuple[Problem, ...]
    # what could be read anyway, field id → slugs or codes (for labels on an invalid issue)
    understood: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(p.message for p in self.problems)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)

    @property
    def not_a_form(self) -> bool:
        return self.codes == (NOT_A_FORM,)


MSG_NOT_A_FORM = (
    "This issue does not follow the request form, so the bot cannot read it. Please open a new"
    " request with the form."
)
MSG_UNRECOGNISABLE = (
    "Most sections of the request form are missing, so the bot cannot read this issue. Please"
    " open a new request with the form."
)

_TASK = re.compile(r"^ {0,3}[-*+] *\[([ xX]?)\] *(.*?)\s*$")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _sections(
    text: str, by_heading: Mapping[str, Field]
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Lines under each template heading; how often each heading occurs."""
    sections: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    current: list[str] = []  # text before the first heading is ignored
    for line in text.split("\n"):
        if line.startswith("### "):
            hit = by_heading.get(line.rstrip(" \t"))
            if hit is not None:
                seen = counts[hit.id] = counts.get(hit.id, 0) + 1
                # the first occurrence counts; a repeated heading's text goes nowhere
                current = sections.setdefault(hit.id, []) if seen == 1 else []
                continue
        current.append(line)
    return sections, counts


def _value(lines: list[str]) -> str:
    value = "\n".join(lines).strip()
    return "" if value in EMPTY else value


def parse(
    body: str | None, form: Mapping[str, Any], tax: tx.Taxonomy | None = None
) -> Request | Invalid:
    """Read an issue body written with FORM (the template loaded back from its file).

    TAX (default: the repository's) maps option labels back to slugs and codes.
    """
    spec = fields(form)
    if not body:
        return Invalid((Problem(NOT_A_FORM, "", MSG_NOT_A_FORM),))
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    sections, counts = _sections(text, {f.heading: f for f in spec})
    if not sections:
        return Invalid((Problem(NOT_A_FORM, "", MSG_NOT_A_FORM),))
    required = [f for f in spec if f.required]
    if sum(1 for f in required if f.id in sections) * 2 < len(required):
        return Invalid((Problem(UNRECOGNISABLE, "", MSG_UNRECOGNISABLE),))

    vocab = vocabulary(tax or tx.default())
    problems: list[Problem] = []
    values: dict[str, tuple[str, ...]] = {}
    description = ""
    consent = True
    for f in spec:
        if counts.get(f.id, 0) > 1:
            problems.append(
                Problem(
                    DUPLICATE,
                    f.id,
                    f'The section "{f.label}" appears {counts[f.id]} times; please keep only one.',
                )
            )
        if f.id not in sections:
            if f.required:
                problems.append(
                    Problem(
                        MISSING_SECTION,
                        f.id,
                        f'The section "{f.label}" is missing; please put it back or open a new'
                        " request with the form.",
                    )
                )
            continue
        lines = sections[f.id]
        if f.type == "checkboxes":
            problem = _checkboxes(f, lines)
            if problem:
                problems.append(problem)
                consent = False
        elif f.type == "dropdown":
            got, problem = _dropdown_value(f, lines, vocab.get(f.id, {}))
            if problem:
                problems.append(problem)
            elif got:
                values[f.id] = got
        elif f.id == "description":
            description = _value(lines)
        elif f.required and not _value(lines):
            problems.append(Problem(EMPTY_VALUE, f.id, f'"{f.label}" is required.'))

    if problems:
        return Invalid(tuple(problems), values)
    org = values.get("org_type", ())
    return Request(
        org_type=org[0] if org else None,
        country=values["country"][0],
        services=values["services"],
        urgency=values["urgency"][0],
        languages=values.get("languages", ()),
        description=description,
        consent=consent,
    )


def _dropdown_value(
    f: Field, lines: list[str], mapping: Mapping[str, str]
) -> tuple[tuple[str, ...], Problem | None]:
    """The slugs or codes chosen in a dropdown, or the problem with it."""
    value = _value(lines)
    count = len(f.options)
    if not value:
        if not f.required:
            return (), None
        choose = "at least one" if f.multiple else "one"
        return (), Problem(
            EMPTY_VALUE,
            f.id,
            f'"{f.label}" is required: please choose {choose} of its {count} options.',
        )
    if f.multiple:
        parts = [p.strip() for p in re.split(r"[,\n]", value)]
        chosen = [p for p in parts if p and p not in EMPTY]
    else:
        chosen = [value]
        if "\n" in value:
            return (), Problem(
                ONE_ONLY,
                f.id,
                f'"{f.label}" takes one choice only; please keep just one.',
            )
    options = {_norm(o): o for o in f.options}
    unknown = [c for c in chosen if _norm(c) not in options]
    if unknown:
        what = "a value" if len(unknown) == 1 else f"{len(unknown)} values"
        return (), Problem(
            UNKNOWN_OPTION,
            f.id,
            f'"{f.label}" holds {what} that the form does not offer; please choose from its'
            f" {count} options.",
        )
    out: list[str] = []
    for c in chosen:
        slug = mapping.get(options[_norm(c)])
        if slug is None:
            return (), Problem(
                OUT_OF_DATE,
                f.id,
                f'"{f.label}" holds an option this directory no longer knows; a maintainer will'
                " look at it.",
            )
        if slug not in out:
            out.append(slug)
    return tuple(out), None


def _checkboxes(f: Field, lines: list[str]) -> Problem | None:
    ticked: set[str] = set()
    for line in lines:
        m = _TASK.match(line)
        if m and m.group(1) in ("x", "X"):
            ticked.add(_norm(m.group(2)))
    if all(_norm(o) in ticked for o in f.required_options):
        return None
    boxes = "both boxes" if len(f.required_options) == 2 else "every box"
    return Problem(UNTICKED, f.id, f'Please tick {boxes} under "{f.label}".')
