"""The listing's JSON Schema (2020-12), generated from the taxonomy.

``schema/provider.schema.json`` is written by ``c4h schema`` and checked by ``c4h schema --check``
in CI, so its enums can never drift from ``schema/taxonomy.yml``. The descriptions below are the
single source of the field help that editors show and that the site's field reference prints.
"""

from __future__ import annotations

import json
from typing import Any

from c4h import taxonomy as tx

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
GITHUB_LOGIN = r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$"
HTTPS_URL = r"^https://[^\s/?#@]+(?:[/?#]\S*)?$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

# Length limits of text fields: long enough to say what matters, short enough for a card.
LIMITS = {
    "name": 120,
    "title": 120,
    "description": 1000,
    "offer_description": 1500,
    "conditions": 1000,
    "effort": 500,
    "url": 300,
}
MAX_OFFERS = 50
MAX_LIST = 300  # countries, languages, sources... per list


def _text(description: str, limit: int, minimum: int = 1) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": minimum,
        "maxLength": limit,
        "description": description,
    }


def _url(description: str) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": HTTPS_URL,
        "maxLength": LIMITS["url"],
        "format": "uri",
        "description": description,
    }


def _list(items: dict[str, Any], description: str, minimum: int = 1) -> dict[str, Any]:
    return {
        "type": "array",
        "items": items,
        "minItems": minimum,
        "maxItems": MAX_LIST,
        "uniqueItems": True,
        "description": description,
    }


def build(tax: tx.Taxonomy) -> dict[str, Any]:
    """The schema as a dict: enums from the taxonomy and ISO lists, help on every property."""
    countries = list(tax.countries)
    languages = list(tax.languages)
    date = {"type": "string", "pattern": DATE, "format": "date"}
    area = {
        "anyOf": [
            {"enum": countries, "description": "A country: ISO 3166-1 alpha-2 code, upper case."},
            {
                "enum": list(tax.region_slugs),
                "description": "A region from schema/taxonomy.yml, or global.",
            },
        ]
    }
    offer: dict[str, Any] = {
        "type": "object",
        "description": "One free service the provider offers to healthcare organisations.",
        "additionalProperties": False,
        "required": [
            "id",
            "title",
            "category",
            "description",
            "regions",
            "eligible",
            "delivery",
            "cost",
        ],
        "properties": {
            "id": {
                "type": "string",
                "pattern": SLUG,
                "maxLength": 64,
                "description": "Short identifier of the offer, unique within this listing: lower-case"
                " words joined by hyphens, e.g. remote-incident-response.",
            },
            "title": _text("The offer's name as a requester would say it.", LIMITS["title"]),
            "category": {
                "enum": list(tax.category_slugs),
                "description": "The service category (schema/taxonomy.yml). If an offer spans"
                " several, list it once per category with different ids.",
            },
            "description": _text(
                "What exactly is offered and how it is delivered. Plain text, no HTML or Markdown.",
                LIMITS["offer_description"],
                20,
            ),
            "url": _url(
                "Optional https page where an organisation requests or starts using this offer."
            ),
            "effort": _text(
                "Optional, and honest: what the beneficiary must invest (staff time, prerequisites,"
                ' data they must share). "Free" still costs time.',
                LIMITS["effort"],
            ),
            "regions": _list(
                area,
                "Where the offer is available: country codes (CH), regions (europe,"
                " western-africa) or global.",
            ),
            "eligible": _list(
                {"enum": list(tax.org_type_slugs)},
                "Which kinds of organisation may receive it (schema/taxonomy.yml org_types).",
            ),
            "languages": _list(
                {"enum": languages},
                "Languages the offer is delivered in (ISO 639-1). Defaults to the listing's languages.",
            ),
            "delivery": {
                "enum": list(tx.DELIVERY),
                "description": "remote, on-site or hybrid.",
            },
            "cost": {
                "enum": list(tx.COSTS),
                "description": "free: free for everyone eligible. free-for-eligible: free only"
                " under the conditions stated (say which in conditions).",
            },
            "capacity": {
                "type": "integer",
                "minimum": 0,
                "maximum": 1000,
                "description": "Optional: how many requests you can take on at once. 0 pauses the"
                " offer: it stays listed but is not matched to new requests.",
            },
            "response_time_hours": {
                "type": "integer",
                "minimum": 1,
                "maximum": 720,
                "description": "Optional: how many hours until a first answer to a request.",
            },
            "emergency": {
                "type": "boolean",
                "description": "Optional: true when you help with an attack in progress, around"
                " the clock. Such offers are shown first to organisations under attack.",
            },
            "valid_until": {
                **date,
                "description": "Optional: last day the offer is available (YYYY-MM-DD). Expired"
                " offers disappear from the catalogue and from matching.",
            },
            "conditions": _text(
                "Optional: eligibility details and conditions in plain text.", LIMITS["conditions"]
            ),
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Provider listing",
        "description": "A provider of free cybersecurity help for healthcare organisations, and"
        " its offers. One file per provider: providers/<id>.yml, where <id> is a slug.",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "name",
            "website",
            "country",
            "kind",
            "description",
            "contact",
            "listed_by",
            "languages",
            "last_reviewed",
            "offers",
        ],
        "properties": {
            "name": _text("The provider's name, as it presents itself.", LIMITS["name"], 2),
            "website": _url("The provider's main website (https)."),
            "country": {
                "enum": countries,
                "description": "Country of the provider's headquarters: ISO 3166-1 alpha-2 code,"
                " upper case (CH, US, FR).",
            },
            "kind": {
                "enum": list(tx.PROVIDER_KINDS),
                "description": "What kind of organisation the provider is.",
            },
            "description": _text(
                "What the provider is, in two or three sentences of plain text.",
                LIMITS["description"],
                20,
            ),
            "contact": {
                "type": "object",
                "description": "How a healthcare organisation reaches you: an email, a URL, or both.",
                "additionalProperties": False,
                "minProperties": 1,
                "anyOf": [{"required": ["email"]}, {"required": ["url"]}],
                "properties": {
                    "email": {
                        "type": "string",
                        "pattern": EMAIL,
                        "maxLength": 254,
                        "description": "A monitored address for requests.",
                    },
                    "url": _url("A contact or request page (https)."),
                    "pgp_key": _url("Optional: where your PGP key can be fetched (https)."),
                },
            },
            "listed_by": {
                "enum": list(tx.LISTED_BY),
                "description": "provider: submitted by the provider itself (then maintainers is"
                " required). curator: compiled by the directory from public sources (then"
                " sources is required).",
            },
            "maintainers": _list(
                {"type": "string", "pattern": GITHUB_LOGIN},
                "GitHub logins of the people at the provider who keep this listing current and"
                " receive requests. Only they (and directory maintainers) may change it.",
            ),
            "sources": _list(
                _url("A public page supporting the listing."),
                "Public pages the listing's facts come from (https). Required for curated listings.",
            ),
            "languages": _list(
                {"enum": languages},
                "Languages you can help in: ISO 639-1 codes, lower case (en, fr, es).",
            ),
            "last_reviewed": {
                **date,
                "description": "The day someone last checked this listing is still true"
                " (YYYY-MM-DD). Listings not reviewed for a year are marked stale.",
            },
            "verified": {
                "type": "object",
                "description": "Set by directory maintainers only: who checked the provider's"
                " identity and offers, and when.",
                "additionalProperties": False,
                "required": ["by", "on"],
                "properties": {
                    "by": {
                        "type": "string",
                        "pattern": GITHUB_LOGIN,
                        "description": "GitHub login of the directory maintainer who verified it.",
                    },
                    "on": {**date, "description": "Date of the verification (YYYY-MM-DD)."},
                },
            },
            "offers": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_OFFERS,
                "items": {"$ref": "#/$defs/offer"},
                "description": "The free services offered; at least one.",
            },
        },
        "allOf": [
            {
                "if": {
                    "properties": {"listed_by": {"const": "provider"}},
                    "required": ["listed_by"],
                },
                "then": {"required": ["maintainers"]},
            },
            {
                "if": {
                    "properties": {"listed_by": {"const": "curator"}},
                    "required": ["listed_by"],
                },
                "then": {"required": ["sources"]},
            },
        ],
        "$defs": {"offer": offer},
    }


def render(tax: tx.Taxonomy) -> str:
    return json.dumps(build(tax), indent=2, ensure_ascii=False) + "\n"


def field_reference(schema: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(field path, required, description) for every property, in schema order."""
    rows: list[tuple[str, bool, str]] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        required = set(node.get("required", []))
        for name, prop in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            if "$ref" in prop.get("items", {}):
                rows.append((path, name in required, prop.get("description", "")))
                walk(schema["$defs"]["offer"], f"{path}[].")
                continue
            rows.append((path, name in required, prop.get("description", "")))
            if prop.get("type") == "object":
                walk(prop, f"{path}.")

    walk(schema, "")
    return rows
