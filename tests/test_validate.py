"""c4h validate: every rule of the listing contract, as a table of real cases.

Each case edits a full, valid listing (tests/fixtures/validate/full.yml) and states the exact
lines the validator must print: ``line:col: severity: field: message``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from c4h import cli
from conftest import FIXTURES, ROOT

FULL = (FIXTURES / "validate" / "full.yml").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out.splitlines() + out.err.splitlines()


def edit(old: str, new: str, text: str = FULL) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | bytes,
    name: str = "example.yml",
    *extra: str,
) -> tuple[int, list[str]]:
    folder = tmp_path / "providers"
    folder.mkdir(exist_ok=True)
    target = folder / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    code, lines = run(capsys, "validate", "--providers", str(folder), *extra)
    prefix = f"{target}:"
    return code, [line.removeprefix(prefix) for line in lines]


def test_full_listing_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(tmp_path, capsys, FULL) == (0, ["0 errors, 0 warnings in 1 listing"])


def test_shipped_listings_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run(capsys, "validate", "--providers", str(ROOT / "providers"))
    count = len(list((ROOT / "providers").glob("*.yml")))
    assert count >= 10
    assert (code, lines) == (0, [f"0 errors, 0 warnings in {count} listings"])


def test_template_is_a_valid_listing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = (ROOT / "schema" / "listing-template.yml").read_text(encoding="utf-8")
    assert template.startswith("# yaml-language-server: $schema=../schema/provider.schema.json")
    assert check(tmp_path, capsys, template, "example-provider.yml") == (
        0,
        ["0 errors, 0 warnings in 1 listing"],
    )


def test_every_shipped_listing_starts_with_the_schema_line() -> None:
    for path in sorted((ROOT / "providers").glob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/provider.schema.json", path


# (case id, edit of the full listing, expected lines without the file path and summary)
SHAPE = [
    (
        "unknown field with a suggestion",
        edit("kind: nonprofit", "kind: nonprofit\ndecription: x"),
        ["6:1: error: decription: unknown field 'decription'; did you mean 'description'?"],
    ),
    (
        "unknown offer field",
        edit("    cost: free\n    capacity", "    cost: free\n    price: 0\n    capacity"),
        [
            "30:5: error: offers[0].price: unknown field 'price'; allowed here: id, title, category, "
            "description, url, effort, regions, eligible, languages, delivery, cost, capacity, "
            "response_time_hours, emergency, valid_until, conditions"
        ],
    ),
    (
        "missing required field",
        edit("name: Example Cyber Collective\n", ""),
        [
            "2:1: error: name: the listing is missing the required field 'name': the provider's name, "
            "as it presents itself."
        ],
    ),
    (
        "provider listing without maintainers",
        edit("maintainers: [octocat]\n", ""),
        [
            "2:1: error: maintainers: the listing is missing the required field 'maintainers' when "
            "listed_by is provider: add the GitHub logins of the people who keep this listing current"
        ],
    ),
    (
        "curated listing without sources",
        edit("listed_by: provider\nmaintainers: [octocat]", "listed_by: curator"),
        [
            "2:1: error: sources: the listing is missing the required field 'sources' when listed_by "
            "is curator: list the public pages the facts come from"
        ],
    ),
    (
        "curated listing with maintainers",
        edit("listed_by: provider", "listed_by: curator\nsources: [https://example.org/about]"),
        [
            "14:14: error: maintainers: a curated listing has no maintainers; when the provider takes "
            "the listing over, set listed_by: provider"
        ],
    ),
    (
        "empty contact",
        edit(
            "contact:\n  email: help@example.org\n  url: https://example.org/contact\n"
            "  pgp_key: https://example.org/pgp.asc",
            "contact: {}",
        ),
        ["8:1: error: contact: give at least an email or a url where requests reach you"],
    ),
    (
        "no offers",
        FULL.split("offers:")[0] + "offers: []\n",
        ["17:9: error: offers: is empty; list at least one value"],
    ),
    (
        "negative capacity",
        edit("capacity: 3", "capacity: -1"),
        ["30:15: error: offers[0].capacity: must be a whole number from 0 to 1000"],
    ),
    (
        "number where text is expected",
        edit("title: Remote incident response", "title: 2026"),
        [
            "19:12: error: offers[0].title: must be text; YAML read 2026 as a number: put it in quotes"
        ],
    ),
    (
        "one region written without a list",
        edit("regions: [europe, US]", "regions: europe"),
        ["25:14: error: offers[0].regions: must be a list: write [europe]"],
    ),
    (
        "repeated list value",
        edit("eligible: [hospital, clinic, ngo]", "eligible: [hospital, clinic, hospital]"),
        ["26:15: error: offers[0].eligible: lists 'hospital' more than once: remove the repeat"],
    ),
    (
        "empty value",
        edit("kind: nonprofit", "kind:"),
        ["5:6: error: kind: is empty; write a value or remove the line"],
    ),
    (
        "verified without a date",
        edit("verified: {by: some-login, on: 2026-12-01}", "verified: {by: some-login}"),
        [
            "16:1: error: verified.on: the listing is missing the required field 'on': date of the "
            "verification (YYYY-MM-DD)."
        ],
    ),
    (
        "slug offer id",
        edit("id: remote-incident-response", "id: Remote IR"),
        [
            "18:9: error: offers[0].id: 'Remote IR' must be a slug: lower-case letters, digits and "
            "single hyphens, e.g. remote-incident-response"
        ],
    ),
    (
        "GitHub login with @",
        edit("maintainers: [octocat]", "maintainers: ['@octocat']"),
        [
            "13:15: error: maintainers[0]: '@octocat' is not a GitHub login (letters, digits and single "
            "hyphens, without @)"
        ],
    ),
    (
        "unknown kind",
        edit("kind: nonprofit", "kind: charity"),
        [
            "5:7: error: kind: 'charity' is not allowed here; write one of: company, nonprofit, "
            "academic, government, volunteer-group"
        ],
    ),
]

CODES = [
    (
        "unknown country",
        edit("country: CH", "country: XX"),
        [
            "4:10: error: country: 'XX' is not an ISO 3166-1 alpha-2 country code (two capital "
            "letters, e.g. CH)"
        ],
    ),
    (
        "country in lower case",
        edit("country: CH", "country: ch"),
        [
            "4:10: error: country: 'ch' is not an ISO 3166-1 alpha-2 country code; did you mean 'CH'?"
        ],
    ),
    ("Norway is a country, not false", edit("country: CH", "country: NO"), []),
    (
        "unknown region",
        edit("regions: [europe, US]", "regions: [europa, US]"),
        [
            "25:15: error: offers[0].regions[0]: 'europa' is neither a country code (CH) nor a region "
            "from schema/taxonomy.yml (europe, western-africa...) nor global; did you mean 'europe'?"
        ],
    ),
    ("region as a sub-region slug", edit("regions: [europe, US]", "regions: [western-africa]"), []),
    (
        "three-letter language code",
        edit("languages: [en, fr]", "languages: [en, fre]"),
        [
            "14:17: error: languages[1]: 'fre' is not an ISO 639-1 language code (two lower-case "
            "letters, e.g. en); the ISO 639-1 code for French is 'fr'"
        ],
    ),
    (
        "unknown language",
        edit("languages: [en, fr]", "languages: [en, xx]"),
        [
            "14:17: error: languages[1]: 'xx' is not an ISO 639-1 language code (two lower-case "
            "letters, e.g. en)"
        ],
    ),
    (
        "unknown category",
        edit("category: incident-response", "category: incident"),
        [
            "20:15: error: offers[0].category: 'incident' is not a service category of "
            "schema/taxonomy.yml; did you mean 'incident-response'?"
        ],
    ),
    (
        "unknown organisation type",
        edit("eligible: [hospital, clinic, ngo]", "eligible: [hospitals]"),
        [
            "26:16: error: offers[0].eligible[0]: 'hospitals' is not an organisation type of "
            "schema/taxonomy.yml; did you mean 'hospital'?; allowed: hospital, care-facility, clinic, "
            "laboratory, clinician, pharmaceutical, life-sciences, medical-devices, "
            "public-health-agency, research, ngo, ingo"
        ],
    ),
]

URLS = [
    (
        "http website",
        edit("website: https://example.org", "website: http://example.org"),
        [
            "3:10: error: website: 'http://example.org' must be an https:// address (http: links are "
            "not allowed)"
        ],
    ),
    (
        "javascript link",
        edit("  url: https://example.org/contact", "  url: javascript:alert(1)"),
        [
            "10:8: error: contact.url: 'javascript:alert(1)' must be an https:// address (javascript: "
            "links are not allowed)"
        ],
    ),
    (
        "data link",
        edit("    url: https://example.org/apply", "    url: data:text/html,hi"),
        [
            "23:10: error: offers[0].url: 'data:text/html,hi' must be an https:// address (data: links "
            "are not allowed)"
        ],
    ),
    (
        "no host",
        edit("website: https://example.org", "website: https://"),
        [
            "3:10: error: website: 'https://' must be a full https:// address with a host, e.g. "
            "https://example.org/help"
        ],
    ),
    (
        "host without a domain",
        edit("website: https://example.org", "website: https://localhost"),
        ["3:10: error: website: 'https://localhost' has no valid host name (e.g. example.org)"],
    ),
    (
        "credentials in the URL",
        edit("  pgp_key: https://example.org/pgp.asc", "  pgp_key: https://a:b@example.org/k"),
        [
            "11:12: error: contact.pgp_key: 'https://a:b@example.org/k' must be a full https:// "
            "address with a host, e.g. https://example.org/help"
        ],
    ),
    (
        "email without a domain",
        edit("email: help@example.org", "email: help@example"),
        ["9:10: error: contact.email: 'help@example' is not an email address (name@example.org)"],
    ),
    (
        "implausible email",
        edit("email: help@example.org", "email: help@example..org"),
        ["9:10: error: contact.email: 'help@example..org' is not a plausible email address"],
    ),
]

TEXT = [
    (
        "HTML in a description",
        edit("  A collective of volunteer", "  A <b>collective</b> of volunteer"),
        [
            "6:14: error: description: must be plain text: remove the HTML '<b>' (the site shows text "
            "exactly as written)"
        ],
    ),
    (
        "script tag in a title",
        edit("title: Remote incident response", 'title: "<script>alert(1)</script>"'),
        [
            "19:12: error: offers[0].title: must be plain text: remove the HTML '<script>' (the site "
            "shows text exactly as written)"
        ],
    ),
    ("a lone < is fine", edit("fewer than 500 staff", "< 500 staff"), []),
    (
        "control character",
        edit("title: Remote incident response", 'title: "Remote\\a response"'),
        [
            "19:12: error: offers[0].title: must not contain control characters (U+0007); write it "
            "on one line"
        ],
    ),
    (
        "line break in a name",
        edit("name: Example Cyber Collective", 'name: "Example\\nCollective"'),
        ["2:7: error: name: must not contain line breaks (U+000A); write it on one line"],
    ),
    (
        "bidi override",
        edit("name: Example Cyber Collective", 'name: "Example \\u202e Collective"'),
        ["2:7: error: name: must not contain bidirectional override characters"],
    ),
    (
        "too long",
        edit("name: Example Cyber Collective", "name: " + "x" * 121),
        ["2:7: error: name: is 121 characters long; the limit is 120: shorten it"],
    ),
    (
        "too short",
        edit("    title: Remote incident response", "    title: ''"),
        ["19:12: error: offers[0].title: is empty; write a value or remove the line"],
    ),
]

DATES = [
    (
        "impossible date",
        edit("last_reviewed: 2026-12-01", "last_reviewed: 2026-02-30"),
        ["15:16: error: last_reviewed: '2026-02-30' is not a real date"],
    ),
    (
        "date in another format",
        edit("last_reviewed: 2026-12-01", "last_reviewed: 1 Dec 2026"),
        [
            "15:16: error: last_reviewed: '1 Dec 2026' must be a date written YYYY-MM-DD, e.g. "
            "2026-12-01"
        ],
    ),
    (
        "review in the future",
        edit("last_reviewed: 2026-12-01", "last_reviewed: 2026-12-05"),
        [
            "15:16: error: last_reviewed: 2026-12-05 is in the future; write the day it actually "
            "happened"
        ],
    ),
    (
        "stale listing",
        edit("last_reviewed: 2026-12-01", "last_reviewed: 2025-12-03"),
        [
            "15:16: warning: last_reviewed: stale: last reviewed 366 days ago; check the listing is "
            "still true and set today's date"
        ],
    ),
    (
        "reviewed exactly a year ago is not stale",
        edit("last_reviewed: 2026-12-01", "last_reviewed: 2025-12-04"),
        [],
    ),
    (
        "expired offer",
        edit("valid_until: 2027-06-30", "valid_until: 2026-12-03"),
        [
            "33:18: warning: offers[0].valid_until: expired on 2026-12-03: the offer is hidden; extend "
            "the date or remove the offer"
        ],
    ),
    ("offer valid until today", edit("valid_until: 2027-06-30", "valid_until: 2026-12-04"), []),
]

YAML_HAZARDS = [
    (
        "duplicate key",
        edit("kind: nonprofit", "kind: nonprofit\nkind: company"),
        [
            "6:1: error: kind: duplicate key (first at line 5); YAML would silently keep only the "
            "last one: remove or merge one of them"
        ],
    ),
    (
        "anchor and alias",
        edit("languages: [en, fr]", "languages: &langs [en, fr]").replace(
            "    languages: [en]", "    languages: *langs"
        ),
        [
            "14:12: error: languages: anchor &langs is not allowed; write values out in full",
            "27:16: error: offers[0].languages: alias *langs is not allowed; write the value out",
        ],
    ),
    (
        "custom tag",
        edit("kind: nonprofit", "kind: !python/object nonprofit"),
        [
            "5:7: error: kind: the tag !python/object is not allowed; write plain values (dates as "
            "YYYY-MM-DD)"
        ],
    ),
    (
        "a list instead of a mapping",
        "- name: x\n",
        ["1:1: error: (file): the file must be a mapping of fields (name: ..., website: ...)"],
    ),
    (
        "empty file",
        "",
        ["1:1: error: (file): the file is empty; copy schema/listing-template.yml to start"],
    ),
    (
        "only comments",
        "# yaml-language-server: $schema=../schema/provider.schema.json\n",
        ["1:1: error: (file): the file is empty; copy schema/listing-template.yml to start"],
    ),
    (
        "two documents",
        FULL + "---\nname: other\n",
        [
            "44:1: error: (file): not valid YAML: more than one document (---); keep one listing per "
            "file"
        ],
    ),
    (
        "tab indentation",
        edit("  email: help@example.org", "\temail: help@example.org"),
        ["9:1: error: (file): not valid YAML: a tab character; indent with spaces"],
    ),
    (
        "unclosed bracket",
        edit("languages: [en, fr]", "languages: [en, fr"),
        ["15:14: error: (file): not valid YAML: did not find expected ',' or ']'"],
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(content, expected, id=case)
        for case, content, expected in SHAPE + CODES + URLS + TEXT + DATES + YAML_HAZARDS
    ],
)
def test_listing_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: list[str]
) -> None:
    code, lines = check(tmp_path, capsys, content)
    errors = sum(": error: " in line for line in expected)
    warnings = len(expected) - errors
    assert lines[:-1] == expected
    assert code == (1 if errors else 0)
    e, w = ("error" if errors == 1 else "errors"), ("warning" if warnings == 1 else "warnings")
    assert lines[-1] == f"{errors} {e}, {warnings} {w} in 1 listing"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"name: Caf\xe9 Collective\n",
            "1:10: error: (file): the file is not UTF-8 (byte 0xe9); save it as UTF-8",
        ),
        (
            b"a: b\n" + b"#" * (256 * 1024),
            "1:1: error: (file): the file is 262,149 bytes; the limit is 262,144 (256 KiB)",
        ),
    ],
    ids=["not UTF-8", "over 256 KiB"],
)
def test_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    assert check(tmp_path, capsys, content) == (1, [message, "1 error, 0 warnings in 1 listing"])


def test_alias_bomb_is_rejected_without_expanding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    code, out = check(tmp_path, capsys, "\n".join(lines) + "\n")
    assert code == 1
    assert out[0] == "1:5: error: a0: anchor &a0 is not allowed; write values out in full"
    assert out[-1] == "91 errors, 0 warnings in 1 listing"  # 10 anchors, 81 aliases


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Example_Provider.yml",
            "1:1: error: (file): the file name 'Example_Provider' is the listing's id and must be a "
            "slug (lower-case letters, digits and single hyphens): rename it to example-provider.yml",
        ),
        ("example.yaml", "1:1: error: (file): listing files end in .yml: rename to example.yml"),
        (
            "a" * 41 + ".yml",
            f"1:1: error: (file): the file name '{'a' * 41}' is 41 characters long; a listing id has "
            "at most 40 (it becomes the GitHub label provider:<id>, limited to 50): shorten it",
        ),
    ],
)
def test_file_name_is_the_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, expected: str
) -> None:
    assert check(tmp_path, capsys, FULL, name) == (
        1,
        [expected, "1 error, 0 warnings in 1 listing"],
    )


def test_duplicate_offer_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = edit("  - id: phishing-training", "  - id: remote-incident-response")
    assert check(tmp_path, capsys, content)[1][:-1] == [
        "35:9: error: offers[1].id: 'remote-incident-response' is already the id of offers[0]; "
        "offer ids must be unique within a listing"
    ]


def test_names_and_websites_unique_across_listings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "providers"
    folder.mkdir()
    (folder / "first.yml").write_text(FULL, encoding="utf-8")
    second = edit("name: Example Cyber Collective", "name: EXAMPLE  cyber collective")
    second = edit("website: https://example.org", "website: https://EXAMPLE.org/", second)
    (folder / "second.yml").write_text(second, encoding="utf-8")
    code, lines = run(capsys, "validate", "--providers", str(folder))
    assert code == 1
    assert lines == [
        f"{folder}/first.yml:2:7: error: name: the name 'Example Cyber Collective' is already "
        f"used by {folder}/second.yml; each provider is listed once (add offers to the existing "
        "listing)",
        f"{folder}/first.yml:3:10: error: website: the website 'https://example.org' is already "
        f"used by {folder}/second.yml; each provider is listed once (add offers to the existing "
        "listing)",
        f"{folder}/second.yml:2:7: error: name: the name 'EXAMPLE  cyber collective' is already "
        f"used by {folder}/first.yml; each provider is listed once (add offers to the existing "
        "listing)",
        f"{folder}/second.yml:3:10: error: website: the website 'https://EXAMPLE.org/' is already "
        f"used by {folder}/first.yml; each provider is listed once (add offers to the existing "
        "listing)",
        "4 errors, 0 warnings in 2 listings",
    ]
    # Naming only the new file still compares it with the whole folder.
    code, lines = run(capsys, "validate", "--providers", str(folder), str(folder / "second.yml"))
    assert code == 1
    assert [line.split(": error: ")[1][:9] for line in lines[:-1]] == ["name: the", "website: "]
    assert lines[-1] == "2 errors, 0 warnings in 1 listing"


# --- the command line ------------------------------------------------------------------------


def test_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = edit("last_reviewed: 2026-12-01", "last_reviewed: 2024-01-01")
    code, lines = check(tmp_path, capsys, stale)
    assert (code, lines[-1]) == (0, "0 errors, 1 warning in 1 listing")
    code, lines = check(tmp_path, capsys, stale, "example.yml", "--strict")
    assert (code, lines[-1]) == (1, "0 errors, 1 warning in 1 listing")


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = check(
        tmp_path, capsys, edit("country: CH", "country: XX"), "example.yml", "--format", "json"
    )
    report = json.loads("\n".join(lines))
    assert code == 1
    assert report["errors"] == 1 and report["warnings"] == 0 and report["listings"] == 1
    assert report["findings"] == [
        {
            "path": str(tmp_path / "providers" / "example.yml"),
            "line": 4,
            "column": 10,
            "severity": "error",
            "field": "country",
            "message": "'XX' is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. CH)",
        }
    ]


def test_github_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, lines = check(tmp_path, capsys, edit("country: CH", "country: XX"))
    path = tmp_path / "providers" / "example.yml"
    assert code == 1
    assert lines[-1] == (
        f"::error file={path},line=4,col=10,title=country::'XX' is not an ISO 3166-1 alpha-2 "
        "country code (two capital letters, e.g. CH)"
    )


def test_annotation_escapes_newlines_and_percent() -> None:
    from c4h.findings import Finding

    finding = Finding("a,b:c.yml", 1, 2, "warning", "x", "50% done\nnext")
    assert (
        finding.annotation()
        == "::warning file=a%2Cb%3Ac.yml,line=1,col=2,title=x::50%25 done%0Anext"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--nope"], "usage error: c4h: unrecognized arguments: --nope"),
        (["validate", "missing.yml"], "usage error: missing.yml: no such file"),
        (
            ["validate", "--providers", "no/such/dir"],
            "usage error: --providers no/such/dir: no such folder",
        ),
        (
            ["validate", "--format", "xml"],
            "usage error: c4h validate: argument --format: invalid choice: 'xml' (choose from 'text', 'json')",
        ),
        (["frobnicate"], None),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str | None
) -> None:
    code, lines = run(capsys, *args)
    assert code == 2
    if message:
        assert lines == [message]
    else:
        assert lines[0].startswith(
            "usage error: c4h: argument COMMAND: invalid choice: 'frobnicate'"
        )


def test_schema_file_is_generated_from_the_taxonomy(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "schema", "--check") == (0, ["1 generated file(s) up to date"])


def test_schema_check_detects_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from c4h import paths

    copy = tmp_path / "provider.schema.json"
    copy.write_text(paths.PROVIDER_SCHEMA.read_text(encoding="utf-8").replace('"advisory"', '"x"'))
    monkeypatch.setattr(paths, "PROVIDER_SCHEMA", copy)
    code, lines = run(capsys, "schema", "--check")
    assert code == 1
    assert lines == [f"{copy}: out of date; run `c4h schema` and commit the result"]
    assert run(capsys, "schema") == (0, [f"wrote {copy}"])
    assert run(capsys, "schema", "--check")[0] == 0


def _objects(node: object, where: str = "") -> list[tuple[str, dict[str, object]]]:
    """Every object schema (one with properties) inside NODE, with where it is."""
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append((where or "(root)", node))
        for key, value in node.items():
            found += _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _objects(value, f"{where}/{i}")
    return found


def test_every_property_is_described_and_closed() -> None:
    """Editors show descriptions as help; unknown fields must be refused at every level."""
    schema = json.loads((ROOT / "schema" / "provider.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    objects = [(w, o) for w, o in _objects(schema) if "/if" not in w]
    assert [w for w, _ in objects] == [
        "(root)",
        "/properties/contact",
        "/properties/verified",
        "/$defs/offer",
    ]
    for where, obj in objects:
        assert obj["additionalProperties"] is False, where
        props = obj["properties"]
        assert isinstance(props, dict)
        for name, prop in props.items():
            assert prop.get("description"), f"{where}/{name} has no description"
