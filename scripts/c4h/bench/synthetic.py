"""Deterministic synthetic listings for benchmarks: realistic sizes, 1–5 offers each."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from c4h import taxonomy as tx

WORDS = [
    "security",
    "incident",
    "response",
    "hospital",
    "clinic",
    "network",
    "backup",
    "recovery",
    "training",
    "staff",
    "phishing",
    "ransomware",
    "patch",
    "vulnerability",
    "scanning",
    "assessment",
    "remote",
    "support",
    "volunteer",
    "analysts",
    "report",
    "weekly",
    "monthly",
    "devices",
    "servers",
    "cloud",
    "email",
    "domain",
    "policy",
    "governance",
    "exercise",
    "tabletop",
    "detection",
    "monitoring",
    "alerts",
    "advisory",
    "guidance",
    "free",
    "eligible",
    "partner",
    "organisation",
    "regional",
    "national",
    "team",
    "experienced",
    "certified",
    "forensic",
    "malware",
    "access",
]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, 8, 16) for _ in range(sentences))


def listing(i: int, rng: random.Random, tax: tx.Taxonomy, today: str) -> dict[str, Any]:
    countries = list(tax.countries)
    regions = [r.slug for r in tax.regions]
    languages = ["en", "fr", "de", "es", "it", "pt", "nl", "ar", "ru", "zh"]
    provider_languages = rng.sample(languages, rng.randint(1, 3))
    offers = []
    for j in range(rng.randint(1, 5)):
        area = rng.random()
        if area < 0.2:
            where = ["global"]
        elif area < 0.6:
            where = rng.sample(regions, rng.randint(1, 2))
        else:
            where = rng.sample(countries, rng.randint(1, 4))
        offer: dict[str, Any] = {
            "id": f"offer-{j + 1}",
            "title": _sentence(rng, 3, 6).rstrip("."),
            "category": rng.choice(tax.category_slugs),
            "description": _text(rng, rng.randint(2, 4)),
            "regions": where,
            "eligible": rng.sample(tax.org_type_slugs, rng.randint(2, 8)),
            "delivery": rng.choice(tx.DELIVERY),
            "cost": rng.choice(tx.COSTS),
        }
        if rng.random() < 0.5:
            offer["effort"] = _text(rng, 1)
        if rng.random() < 0.3:
            offer["capacity"] = rng.randint(1, 10)
        if rng.random() < 0.2:
            offer["emergency"] = True
        if rng.random() < 0.3:
            offer["conditions"] = _text(rng, 1)
        offers.append(offer)
    data: dict[str, Any] = {
        "name": f"Synthetic Provider {i:05d}",
        "website": f"https://provider-{i:05d}.example.org",
        "country": rng.choice(countries),
        "kind": rng.choice(tx.PROVIDER_KINDS),
        "description": _text(rng, 2),
        "contact": {"email": f"help@provider-{i:05d}.example.org"},
        "listed_by": "provider",
        "maintainers": [f"maintainer-{i:05d}"],
        "languages": provider_languages,
        "last_reviewed": today,
        "offers": offers,
    }
    return data


def listings(count: int, today: str, seed: int = 4242) -> Iterator[tuple[str, dict[str, Any]]]:
    rng = random.Random(seed)
    tax = tx.default()
    for i in range(count):
        yield f"provider-{i:05d}", listing(i, rng, tax, today)


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (
        text.lstrip("-+").isdigit()
        or text.lower() in ("true", "false", "null", "~", "")
        or ": " in text
        or " #" in text
        or text[:1] in "[]{}&*!|>'\"%@`#,?-:"
    ):
        return "'" + text.replace("'", "''") + "'"
    return text


def to_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML as a person would write it (with the schema line on top)."""
    lines = ["# yaml-language-server: $schema=../schema/provider.schema.json"]

    def emit(obj: Any, indent: str) -> None:
        for key, value in obj.items():
            if isinstance(value, dict):
                lines.append(f"{indent}{key}:")
                emit(value, indent + "  ")
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                lines.append(f"{indent}{key}:")
                for item in value:
                    first = True
                    for k, v in item.items():
                        prefix = f"{indent}  - " if first else f"{indent}    "
                        first = False
                        if isinstance(v, list):
                            lines.append(f"{prefix}{k}: [{', '.join(_yaml_scalar(x) for x in v)}]")
                        elif isinstance(v, str) and len(v) > 80:
                            lines.append(f"{prefix}{k}: >-")
                            lines.append(f"{indent}      {v}")
                        else:
                            lines.append(f"{prefix}{k}: {_yaml_scalar(v)}")
            elif isinstance(value, list):
                lines.append(f"{indent}{key}: [{', '.join(_yaml_scalar(x) for x in value)}]")
            elif isinstance(value, str) and len(value) > 80:
                lines.append(f"{indent}{key}: >-")
                lines.append(f"{indent}  {value}")
            else:
                lines.append(f"{indent}{key}: {_yaml_scalar(value)}")

    emit(data, "")
    return "\n".join(lines) + "\n"


def write(directory: Path, count: int, today: str, seed: int = 4242) -> int:
    """Write COUNT listings to DIRECTORY; returns the number of offers."""
    directory.mkdir(parents=True, exist_ok=True)
    offers = 0
    for pid, data in listings(count, today, seed):
        (directory / f"{pid}.yml").write_text(to_yaml(data), encoding="utf-8")
        offers += len(data["offers"])
    return offers
