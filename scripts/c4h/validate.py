"""Validate listings: the JSON Schema for shapes, then rules the schema cannot express.

Everything here is pure: it takes files (or parsed documents) and returns findings. The schema
layer's messages are rewritten for people who do not read JSON Schema: each says which field,
what is wrong and what to write instead. Each rule is a small generator of findings.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import fastjsonschema
import jsonschema
import pycountry
from jsonschema import ValidationError
from jsonschema import _keywords as jsonschema_keywords

from c4h import schema as sch
from c4h import taxonomy as tx
from c4h.findings import ERROR, WARNING, Finding
from c4h.listing import Document, FieldPath, format_path, read

STALE_AFTER = timedelta(days=365)
SUFFIX = ".yml"
MAX_ID = 40  # "provider:" + the id must fit GitHub's 50-character label names

# Fields holding one line of text, and fields that may hold paragraphs.
ONE_LINE = {"name", "title"}
PARAGRAPHS = {"description", "conditions", "effort"}

# Tags are the risk (an injected <script>, <img onerror=...>); a lone "<" in "< 50 staff" is not.
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>|<!--")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Unicode category Cc: C0 controls, DEL and C1 controls. Line feed is allowed in paragraphs.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f]")


# --- the schema layer ------------------------------------------------------------------------


def _fast_enum(validator: Any, enums: list[Any], instance: Any, schema: dict[str, Any]) -> Any:
    """``enum`` with set membership for strings: the stock one compares one by one, which made
    country and language checks the slowest part of a run over thousands of listings."""
    if isinstance(instance, str):
        members = _ENUM_SETS.get(id(enums))
        if members is None:
            members = _ENUM_SETS[id(enums)] = frozenset(e for e in enums if isinstance(e, str))
        if instance not in members:
            yield ValidationError(f"{instance!r} is not one of the allowed values")
        return
    yield from jsonschema_keywords.enum(validator, enums, instance, schema)


# Keyed by the identity of the schema's (long-lived) enum lists.
_ENUM_SETS: dict[int, frozenset[str]] = {}


@cache
def _validator(tax: tx.Taxonomy) -> Any:
    base = jsonschema.Draft202012Validator
    cls = jsonschema.validators.extend(base, {"enum": _fast_enum})
    return cls(sch.build(tax))


@cache
def _fast_check(tax: tx.Taxonomy) -> Any:
    """The same schema compiled to Python by fastjsonschema: a quick yes/no for valid files.

    jsonschema walks every keyword through generic dispatch, about 0.5 ms a listing; the
    compiled check takes a tenth of that. Only files it rejects go through jsonschema, whose
    errors carry the paths and details the messages below are made from. A property test
    asserts the two always agree on valid and invalid.
    """
    return fastjsonschema.compile(sch.build(tax), use_formats=False)


_REQUIRED = re.compile(r"^'(.+)' is a required property$")


def schema_findings(doc: Document, tax: tx.Taxonomy) -> list[Finding]:
    """Schema errors, one finding per problem, each with a message meant for a person."""
    try:
        _fast_check(tax)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException as exc:
        fast_error = exc
    seen: set[tuple[str, str]] = set()
    out = []
    for error in _validator(tax).iter_errors(doc.data):
        for fpath, of_key, message in _explain(error, doc.data, tax):
            key = (format_path(fpath), message)
            if key in seen:
                continue
            seen.add(key)
            line, col = doc.place(fpath, of_key)
            out.append(Finding(doc.path, line, col, ERROR, format_path(fpath), message))
    if not out:  # the two libraries disagree: never let the file pass silently
        raw = getattr(fast_error, "path", None) or ["data"]
        fpath = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in raw[1:])
        line, col = doc.place(fpath)
        message = str(fast_error).removeprefix("data.").split(" ", 1)[-1]
        out.append(Finding(doc.path, line, col, ERROR, format_path(fpath), message))
    return out


def _suggest(value: Any, options: Sequence[str]) -> str:
    if not isinstance(value, str):
        return ""
    lowered = {o.lower(): o for o in options}
    if value.lower() in lowered:
        return f"; did you mean '{lowered[value.lower()]}'?"
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.7)
    if not close and len(value) >= 3:
        close = [o for o in options if o.startswith(value.lower())][:1]
    return f"; did you mean '{close[0]}'?" if close else ""


def _field_name(fpath: FieldPath) -> str:
    for part in reversed(fpath):
        if isinstance(part, str):
            return part
    return ""


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "...'"


def _language_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    found = None
    try:
        found = pycountry.languages.lookup(value)
    except LookupError:
        return ""
    code = getattr(found, "alpha_2", None)
    return f"; the ISO 639-1 code for {found.name} is '{code}'" if code else ""


def _explain(
    error: ValidationError, data: Any, tax: tx.Taxonomy
) -> Iterator[tuple[FieldPath, bool, str]]:
    """Turn one jsonschema error into (field path, point at the key?, message)."""
    fpath: FieldPath = tuple(error.absolute_path)
    keyword = error.validator
    value = error.instance
    name = _field_name(fpath)
    in_list = bool(fpath) and isinstance(fpath[-1], int)

    if value is None and keyword not in ("required", "additionalProperties"):
        yield fpath, False, "is empty; write a value or remove the line"
        return
    if keyword == "required":
        match = _REQUIRED.match(error.message)
        missing = match.group(1) if match else "?"
        why = ""
        if "then" in error.schema_path:
            why = (
                " when listed_by is provider: add the GitHub logins of the people who keep this"
                " listing current"
                if missing == "maintainers"
                else " when listed_by is curator: list the public pages the facts come from"
            )
        else:
            why = ": " + _describe(tax, fpath, missing)
        where = "the offer" if fpath and fpath[0] == "offers" else "the listing"
        yield (*fpath, missing), True, f"{where} is missing the required field '{missing}'{why}"
        return
    if keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed)):
            hint = _suggest(extra, allowed) or "; allowed here: " + ", ".join(allowed)
            yield (*fpath, extra), True, f"unknown field '{extra}'{hint}"
        return
    if keyword == "type":
        yield fpath, False, _type_message(error.validator_value, value)
        return
    if keyword in ("enum", "anyOf") and not (keyword == "anyOf" and name == "contact"):
        yield fpath, False, _enum_message(fpath, name, in_list, value, tax)
        return
    if keyword in ("anyOf", "minProperties") and name == "contact":
        yield fpath, True, "give at least an email or a url where requests reach you"
        return
    if keyword == "pattern":
        yield fpath, False, _pattern_message(error.validator_value, name, value)
        return
    if keyword == "maxLength":
        yield (
            fpath,
            False,
            (
                f"is {len(value):,} characters long; the limit is {error.validator_value:,}: shorten it"
            ),
        )
        return
    if keyword == "minLength":
        if value.strip() == "":
            yield fpath, False, "is empty; write a value or remove the line"
        else:
            yield fpath, False, f"is too short; write at least {error.validator_value} characters"
        return
    if keyword == "minItems":
        yield fpath, False, "is empty; list at least one value"
        return
    if keyword == "maxItems":
        yield fpath, False, f"lists {len(value)} values; the limit is {error.validator_value}"
        return
    if keyword == "uniqueItems":
        seen, twice = set(), []
        for item in value:
            marker = repr(item)
            if marker in seen:
                twice.append(_show(item))
            seen.add(marker)
        yield fpath, False, f"lists {', '.join(twice)} more than once: remove the repeat"
        return
    if keyword in ("minimum", "maximum"):
        bounds = error.schema
        yield (
            fpath,
            False,
            (f"must be a whole number from {bounds.get('minimum', 0)} to {bounds.get('maximum')}"),
        )
        return
    yield fpath, False, error.message  # a keyword this table does not know yet


def _describe(tax: tx.Taxonomy, fpath: FieldPath, field: str) -> str:
    schema = sch.build(tax)
    props = (
        schema["$defs"]["offer"]["properties"]
        if fpath and fpath[0] == "offers"
        else schema["properties"]
    )
    if fpath == ("contact",):
        props = schema["properties"]["contact"]["properties"]
    elif fpath == ("verified",):
        props = schema["properties"]["verified"]["properties"]
    text = str(props.get(field, {}).get("description", "see schema/listing-template.yml"))
    return text[0].lower() + text[1:] if text else text


def _type_message(expected: Any, value: Any) -> str:
    wanted = expected if isinstance(expected, str) else expected[0]
    if value is None:
        return "is empty; write a value or remove the line"
    words = {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "array": "a list, e.g. [en, fr]",
        "object": "a group of fields (key: value lines indented below it)",
    }
    message = f"must be {words.get(wanted, wanted)}"
    if wanted == "string" and isinstance(value, bool | int | float):
        kind = "true/false" if isinstance(value, bool) else "a number"
        message += f"; YAML read {_show(value)} as {kind}: put it in quotes"
    elif wanted == "array" and isinstance(value, str):
        message = f"must be a list: write [{value}]"
    return message


def _enum_message(fpath: FieldPath, name: str, in_list: bool, value: Any, tax: tx.Taxonomy) -> str:
    shown = _show(value)
    if name == "country":
        hint = _suggest(value, list(tax.countries))
        return f"{shown} is not an ISO 3166-1 alpha-2 country code{hint or ' (two capital letters, e.g. CH)'}"
    if name == "regions":
        options = list(tax.countries) + list(tax.region_slugs)
        hint = _suggest(value, options)
        return (
            f"{shown} is neither a country code (CH) nor a region from schema/taxonomy.yml"
            f" (europe, western-africa...) nor global{hint}"
        )
    if name == "languages":
        hint = _language_hint(value) or _suggest(value, list(tax.languages))
        return f"{shown} is not an ISO 639-1 language code (two lower-case letters, e.g. en){hint}"
    if name == "category":
        hint = _suggest(value, list(tax.category_slugs))
        return f"{shown} is not a service category of schema/taxonomy.yml{hint}"
    if name == "eligible":
        hint = _suggest(value, list(tax.org_type_slugs))
        return (
            f"{shown} is not an organisation type of schema/taxonomy.yml{hint}; allowed: "
            + ", ".join(tax.org_type_slugs)
        )
    choices = {
        "kind": tx.PROVIDER_KINDS,
        "delivery": tx.DELIVERY,
        "cost": tx.COSTS,
        "listed_by": tx.LISTED_BY,
    }.get(name, ())
    return (
        f"{shown} is not allowed here; write one of: {', '.join(choices)}{_suggest(value, choices)}"
    )


def _pattern_message(pattern: str, name: str, value: Any) -> str:
    shown = _show(value)
    if pattern == sch.HTTPS_URL:
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        if scheme and scheme != "https":
            return f"{shown} must be an https:// address ({scheme}: links are not allowed)"
        return f"{shown} must be a full https:// address with a host, e.g. https://example.org/help"
    if pattern == sch.SLUG:
        return f"{shown} must be a slug: lower-case letters, digits and single hyphens, e.g. remote-incident-response"
    if pattern == sch.DATE:
        return f"{shown} must be a date written YYYY-MM-DD, e.g. 2026-12-01"
    if pattern == sch.EMAIL:
        return f"{shown} is not an email address (name@example.org)"
    if pattern == sch.GITHUB_LOGIN:
        return f"{shown} is not a GitHub login (letters, digits and single hyphens, without @)"
    return f"{shown} does not match {pattern}"


# --- the rule layer --------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    tax: tx.Taxonomy
    today: date


def _texts(data: Any, fpath: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*fpath, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*fpath, i))
    elif isinstance(data, str):
        yield fpath, data


HTTPS_URL = re.compile(sch.HTTPS_URL)

# One quick scan per text; the detailed checks run only on texts it flags.
SUSPICIOUS = re.compile("[<\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def rule_plain_text(data: dict[str, Any], ctx: Context) -> Iterator[tuple[FieldPath, str, str]]:
    """Text fields are plain text: no HTML tags, no control characters, no bidi overrides."""
    for fpath, text in _texts(data):
        if not SUSPICIOUS.search(text):
            continue
        name = _field_name(fpath)
        tag = HTML_TAG.search(text)
        if tag:
            yield (
                fpath,
                ERROR,
                (
                    f"must be plain text: remove the HTML {_show(tag.group(0))} (the site shows text"
                    " exactly as written)"
                ),
            )
        pattern = CONTROL if name in PARAGRAPHS else CONTROL_OR_NEWLINE
        bad = pattern.findall(text)
        if bad:
            what = "line breaks" if set(bad) <= {"\n", "\r"} else "control characters"
            codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
            yield fpath, ERROR, f"must not contain {what} ({codes}); write it on one line"
        if BIDI.search(text):
            yield fpath, ERROR, "must not contain bidirectional override characters"


def _urls(data: dict[str, Any]) -> Iterator[tuple[FieldPath, Any]]:
    yield ("website",), data.get("website")
    contact = data.get("contact")
    if isinstance(contact, dict):
        yield ("contact", "url"), contact.get("url")
        yield ("contact", "pgp_key"), contact.get("pgp_key")
    sources = data.get("sources")
    for i, url in enumerate(sources if isinstance(sources, list) else []):
        yield ("sources", i), url
    offers = data.get("offers")
    for i, offer in enumerate(offers if isinstance(offers, list) else []):
        if isinstance(offer, dict):
            yield ("offers", i, "url"), offer.get("url")


def rule_urls(data: dict[str, Any], ctx: Context) -> Iterator[tuple[FieldPath, str, str]]:
    """URLs that passed the pattern (https, no credentials) still need a real host name."""
    for fpath, text in _urls(data):
        if not isinstance(text, str) or not HTTPS_URL.match(text):
            continue  # absent, or the schema layer already explained it
        try:
            parts = urlsplit(text)
            host = parts.hostname or ""
            _ = parts.port
        except ValueError:
            yield fpath, ERROR, f"{_show(text)} is not a valid address"
            continue
        if "." not in host or host.endswith(".") or ".." in host:
            yield fpath, ERROR, f"{_show(text)} has no valid host name (e.g. example.org)"


def rule_email(data: dict[str, Any], ctx: Context) -> Iterator[tuple[FieldPath, str, str]]:
    contact = data.get("contact")
    email = contact.get("email") if isinstance(contact, dict) else None
    if isinstance(email, str) and re.match(sch.EMAIL, email):
        domain = email.rsplit("@", 1)[1]
        if ".." in email or domain.startswith(".") or domain.endswith(".") or "." not in domain:
            yield ("contact", "email"), ERROR, f"{_show(email)} is not a plausible email address"


def _real_date(value: Any) -> date | None:
    if isinstance(value, str) and re.match(sch.DATE, value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def rule_dates(data: dict[str, Any], ctx: Context) -> Iterator[tuple[FieldPath, str, str]]:
    """Dates are real; last_reviewed is not in the future; stale listings, expired offers."""
    candidates: list[tuple[FieldPath, Any]] = [(("last_reviewed",), data.get("last_reviewed"))]
    verified = data.get("verified")
    if isinstance(verified, dict):
        candidates.append((("verified", "on"), verified.get("on")))
    offers = data.get("offers")
    for i, offer in enumerate(offers if isinstance(offers, list) else []):
        if isinstance(offer, dict):
            candidates.append((("offers", i, "valid_until"), offer.get("valid_until")))
    for fpath, value in candidates:
        if not (isinstance(value, str) and re.match(sch.DATE, value)):
            continue  # missing, or the schema already explained the format
        day = _real_date(value)
        if day is None:
            yield fpath, ERROR, f"'{value}' is not a real date"
            continue
        field = fpath[-1]
        if field in ("last_reviewed", "on") and day > ctx.today:
            yield fpath, ERROR, f"{value} is in the future; write the day it actually happened"
        elif field == "last_reviewed" and ctx.today - day > STALE_AFTER:
            days = (ctx.today - day).days
            yield (
                fpath,
                WARNING,
                (
                    f"stale: last reviewed {days} days ago; check the listing is still true and set"
                    " today's date"
                ),
            )
        elif field == "valid_until" and day < ctx.today:
            yield (
                fpath,
                WARNING,
                (f"expired on {value}: the offer is hidden; extend the date or remove the offer"),
            )


def rule_offer_ids(data: dict[str, Any], ctx: Context) -> Iterator[tuple[FieldPath, str, str]]:
    offers = data.get("offers")
    first: dict[str, int] = {}
    for i, offer in enumerate(offers if isinstance(offers, list) else []):
        oid = offer.get("id") if isinstance(offer, dict) else None
        if not isinstance(oid, str):
            continue
        if oid in first:
            yield (
                ("offers", i, "id"),
                ERROR,
                (
                    f"'{oid}' is already the id of offers[{first[oid]}]; offer ids must be unique"
                    " within a listing"
                ),
            )
        else:
            first[oid] = i


def rule_curated_has_no_maintainers(
    data: dict[str, Any], ctx: Context
) -> Iterator[tuple[FieldPath, str, str]]:
    if data.get("listed_by") == "curator" and data.get("maintainers"):
        yield (
            ("maintainers",),
            ERROR,
            (
                "a curated listing has no maintainers; when the provider takes the listing over,"
                " set listed_by: provider"
            ),
        )


RULES = (
    rule_plain_text,
    rule_urls,
    rule_email,
    rule_dates,
    rule_offer_ids,
    rule_curated_has_no_maintainers,
)


def rule_findings(doc: Document, ctx: Context) -> list[Finding]:
    if not isinstance(doc.data, dict):
        return []
    out = []
    for rule in RULES:
        for fpath, severity, message in rule(doc.data, ctx):
            line, col = doc.place(fpath)
            out.append(Finding(doc.path, line, col, severity, format_path(fpath), message))
    return out


def file_name_findings(path: Path, display: str) -> list[Finding]:
    stem, suffix = path.stem, path.suffix
    out = []
    if suffix != SUFFIX:
        out.append(
            Finding(
                display, 1, 1, ERROR, "", f"listing files end in {SUFFIX}: rename to {stem}{SUFFIX}"
            )
        )
    if len(stem) > MAX_ID and re.match(sch.SLUG, stem):
        out.append(
            Finding(
                display,
                1,
                1,
                ERROR,
                "",
                f"the file name '{stem}' is {len(stem)} characters long; a listing id has at most"
                f" {MAX_ID} (it becomes the GitHub label provider:<id>, limited to 50): shorten it",
            )
        )
    elif not re.match(sch.SLUG, stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "provider-name"
        out.append(
            Finding(
                display,
                1,
                1,
                ERROR,
                "",
                f"the file name '{stem}' is the listing's id and must be a slug (lower-case letters,"
                f" digits and single hyphens): rename it to {suggestion}{SUFFIX}",
            )
        )
    return out


# --- whole files and directories -------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """What one file contributed: its findings, and the keys the cross-file checks compare."""

    display: str
    findings: tuple[Finding, ...]
    name: str | None
    website: str | None
    name_place: tuple[int, int]
    website_place: tuple[int, int]
    data: Any = None  # the listing's data, when it has no error (for model.load)


def check_document(doc: Document, path: Path, ctx: Context) -> Checked:
    found = file_name_findings(path, doc.path) + list(doc.problems)
    name = website = None
    name_place = website_place = (1, 1)
    if isinstance(doc.data, dict):
        # A field the reader already rejected (a bad tag) is not explained a second time.
        flagged = {f.field for f in doc.problems if f.field}
        found += [
            f
            for f in schema_findings(doc, ctx.tax) + rule_findings(doc, ctx)
            if f.field not in flagged
        ]
        if isinstance(doc.data.get("name"), str):
            name = doc.data["name"]
            name_place = doc.place(("name",))
        if isinstance(doc.data.get("website"), str):
            website = doc.data["website"]
            website_place = doc.place(("website",))
    valid = not any(f.severity == ERROR for f in found)
    return Checked(
        doc.path,
        tuple(found),
        name,
        website,
        name_place,
        website_place,
        doc.data if valid else None,
    )


def check_file(path: Path, display: str, ctx: Context) -> Checked:
    return check_document(read(path, display), path, ctx)


def normal_name(name: str) -> str:
    return " ".join(name.casefold().split())


def normal_website(url: str) -> str:
    return url.casefold().rstrip("/")


def cross_findings(checked: Iterable[Checked]) -> list[Finding]:
    """Provider names and websites must be unique across all listings (case-insensitive)."""
    items = list(checked)
    out = []
    for attr, label, normal in (
        ("name", "name", normal_name),
        ("website", "website", normal_website),
    ):
        groups: dict[str, list[Checked]] = {}
        for item in items:
            value = getattr(item, attr)
            if value:
                groups.setdefault(normal(value), []).append(item)
        for group in groups.values():
            if len(group) < 2:
                continue
            for item in group:
                others = ", ".join(o.display for o in group if o is not item)
                line, col = getattr(item, f"{attr}_place")
                out.append(
                    Finding(
                        item.display,
                        line,
                        col,
                        ERROR,
                        attr,
                        f"the {label} {_show(getattr(item, attr))} is already used by {others};"
                        " each provider is listed once (add offers to the existing listing)",
                    )
                )
    return out


def listing_files(directory: Path) -> list[Path]:
    """Every file a listing could be in: .yml, plus misnamed .yaml files so they are caught."""
    if not directory.is_dir():
        return []
    found = [p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file()]
    return sorted(found, key=lambda p: p.name)


def display_path(path: Path) -> str:
    """Paths as the user would type them: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def display_paths(paths: Sequence[Path]) -> list[str]:
    """display_path for many files, resolving each folder once rather than each file."""
    folders: dict[Path, str] = {}
    out = []
    for path in paths:
        if path.parent not in folders:
            folders[path.parent] = display_path(path.parent)
        folder = folders[path.parent]
        out.append(path.name if folder == "." else f"{folder}/{path.name}")
    return out


def _check_chunk(args: tuple[list[tuple[str, str]], date, bool]) -> list[Checked]:
    items, today, keep_data = args
    ctx = Context(tx.default(), today)
    checked = [check_file(Path(p), d, ctx) for p, d in items]
    if not keep_data:  # sending the data back to the parent costs time; validate needs none
        checked = [dataclasses.replace(c, data=None) for c in checked]
    return checked


PARALLEL_FROM = 400  # below this many files, starting worker processes costs more than it saves


def check_paths(
    paths: Sequence[Path], ctx: Context, jobs: int = 0, *, keep_data: bool = False
) -> list[Checked]:
    """Check files, in worker processes when there are many (each file is independent).

    KEEP_DATA: return each valid listing's data too (model.load builds the catalogue from it).
    """
    items = [(str(p), d) for p, d in zip(paths, display_paths(paths), strict=True)]
    workers = jobs or min(os.cpu_count() or 1, 4)
    if workers < 2 or len(items) < PARALLEL_FROM or ctx.tax is not tx.default():
        return [check_file(Path(p), d, ctx) for p, d in items]  # data kept: nothing to send
    _fast_check(ctx.tax)  # compiled once here; the forked workers inherit it
    size = max(50, len(items) // (workers * 4))
    chunks = [(items[i : i + size], ctx.today, keep_data) for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [c for part in pool.map(_check_chunk, chunks) for c in part]


def validate(
    files: Sequence[Path], providers_dir: Path, ctx: Context, jobs: int = 0
) -> tuple[list[Finding], int]:
    """Check FILES (or, when none are named, every listing in PROVIDERS_DIR).

    Uniqueness is always checked against the whole directory, so a new file that repeats an
    existing provider's name is caught even when only that file is named.
    """
    named = list(files)
    targets = named or listing_files(providers_dir)
    checked = check_paths(targets, ctx, jobs)
    context = []
    if named:  # the rest of the folder, read for its names and websites only
        target_set = {p.resolve() for p in named}
        context = [
            check_name_and_website(p)
            for p in listing_files(providers_dir)
            if p.resolve() not in target_set
        ]
    findings = [f for c in checked for f in c.findings]
    shown = {c.display for c in checked}
    findings += [f for f in cross_findings(checked + context) if f.path in shown]
    return sorted(set(findings)), len(targets)


def check_name_and_website(path: Path) -> Checked:
    """Only what the cross-file checks need from a listing that was not named."""
    doc = read(path, display_path(path))
    data = doc.data if isinstance(doc.data, dict) else {}
    name, website = data.get("name"), data.get("website")
    return Checked(
        doc.path,
        (),
        name if isinstance(name, str) else None,
        website if isinstance(website, str) else None,
        doc.place(("name",)),
        doc.place(("website",)),
    )
