"""The request form: what ``c4h form`` generates, and how issue bodies are read back.

Bodies are built from the template the way GitHub renders them: ``### <label>``, a blank line,
the value, a blank line; empty fields as ``_No response_``; ticked boxes as ``- [X] <label>``.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from c4h import cli, form, listing, paths
from c4h import taxonomy as tx
from c4h.form import Invalid, Request

TAX = tx.default()
SETTINGS = form.load_settings()
FORM: dict[str, Any] = listing.parse_text(form.render_form(TAX, SETTINGS), "form").data
FIELDS = {f.id: f for f in form.fields(FORM)}
CONSENT = FIELDS["consent"].options

IR = "Incident response and recovery"
PENTEST = "Penetration testing"
CH = "CH — Switzerland"
FR_LANG = "fr — French"
DE_LANG = "de — German"
INCIDENT = "Incident: we are under attack now"

VALUES: dict[str, Any] = {
    "org_type": "Hospital",
    "country": CH,
    "services": [IR, PENTEST],
    "urgency": INCIDENT,
    "languages": [FR_LANG, DE_LANG],
    "description": "About 40 staff and one part-time IT person.",
    "consent": ["X", "X"],
}
EXPECTED = Request(
    org_type="hospital",
    country="CH",
    services=("incident-response", "penetration-testing"),
    urgency="incident",
    languages=("fr", "de"),
    description="About 40 staff and one part-time IT person.",
    consent=True,
)


def github_body(**changes: Any) -> str:
    """A body as GitHub writes it for VALUES with CHANGES (None: the field left empty)."""
    values = {**VALUES, **changes}
    parts = []
    for f in form.fields(FORM):
        value = values.get(f.id)
        if f.type == "checkboxes":
            marks = value or [" "] * len(f.options)
            text = "\n".join(f"- [{m}] {o}" for m, o in zip(marks, f.options, strict=True))
        elif value is None or value == []:
            text = "_No response_"
        elif isinstance(value, list):
            text = ", ".join(value)
        else:
            text = value
        parts.append(f"### {f.label}\n\n{text}")
    return "\n\n".join(parts)


def codes(result: Request | Invalid) -> tuple[str, ...]:
    assert isinstance(result, Invalid), result
    return tuple(f"{p.field}:{p.code}" for p in result.problems)


# --- the generated form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fid", "kind", "required", "multiple"),
    [
        ("org_type", "dropdown", True, False),
        ("country", "dropdown", True, False),
        ("services", "dropdown", True, True),
        ("urgency", "dropdown", True, False),
        ("languages", "dropdown", False, True),
        ("description", "textarea", False, False),
        ("consent", "checkboxes", True, False),
    ],
)
def test_field(fid: str, kind: str, required: bool, multiple: bool) -> None:
    f = FIELDS[fid]
    assert (f.type, f.required, f.multiple) == (kind, required, multiple)


def test_fields_in_order_and_nothing_else() -> None:
    assert list(FIELDS) == list(form.FIELD_IDS)
    assert [b["type"] for b in FORM["body"][:2]] == ["markdown", "markdown"]


def test_options_come_from_the_taxonomy() -> None:
    assert FIELDS["org_type"].options == tuple(t.label for t in TAX.org_types)
    assert FIELDS["services"].options == tuple(t.label for t in TAX.categories)
    assert FIELDS["urgency"].options == (
        INCIDENT,
        "Urgent: we need help within a week",
        "Planning: we want to improve our security",
    )
    assert len(FIELDS["country"].options) == len(TAX.countries) == 249
    assert len(FIELDS["languages"].options) == len(TAX.languages)


@pytest.mark.parametrize(
    ("fid", "option"),
    [
        ("country", CH),
        ("country", "KR — Korea (Republic of)"),
        ("country", "VG — Virgin Islands (British)"),
        ("country", "BQ — Bonaire and Sint Eustatius and Saba"),
        ("country", "AX — Åland Islands"),
        ("languages", FR_LANG),
        ("languages", "nb — Norwegian Bokmål"),
    ],
)
def test_option_label_format(fid: str, option: str) -> None:
    assert option in FIELDS[fid].options


@pytest.mark.parametrize("fid", ["country", "languages"])
def test_countries_and_languages_sorted_by_name(fid: str) -> None:
    names = [o.split(" — ", 1)[1] for o in FIELDS[fid].options]
    assert names.index("Afghanistan" if fid == "country" else "Abkhazian") == 0
    if fid == "country":  # accents ignored: Åland files under A, before Albania
        assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]
        assert names[-1] == "Zimbabwe"


def test_no_option_holds_a_comma_or_a_reserved_word() -> None:
    for f in FIELDS.values():
        for option in f.options:
            assert "," not in option, (f.id, option)
            assert option not in ("None", "_No response_")


def test_consent_boxes_are_both_required_and_link_the_code_of_conduct() -> None:
    consent = FIELDS["consent"]
    assert consent.required_options == consent.options
    assert len(consent.options) == 2
    assert "no personal data and no patient or incident details" in consent.options[0]
    assert "[code of conduct](../blob/HEAD/CODE_OF_CONDUCT.md)" in consent.options[1]
    assert (paths.ROOT / "CODE_OF_CONDUCT.md").is_file()


def test_description_is_plain_markdown() -> None:
    block = next(b for b in FORM["body"] if b.get("id") == "description")
    assert "render" not in block["attributes"]


@pytest.mark.parametrize(
    "phrase",
    [
        "This issue is public, and it stays public.",
        "national CERT or CSIRT",
        "https://www.first.org/members/teams/",
        SETTINGS["private_channel"]["url"],
        "the type of organisation, the country, the help you need, how urgent it is",
        "names of patients or staff",
        "the name of your organisation, if you would rather not be seen asking",
        "IP addresses, hostnames, email addresses or phone numbers",
        "ransom notes, screenshots or any detail of an incident",
    ],
)
def test_warnings_say_plainly_what_to_write_and_not(phrase: str) -> None:
    text = "\n".join(b["attributes"]["value"] for b in FORM["body"] if b["type"] == "markdown")
    assert phrase in text


def test_header_title_and_no_labels() -> None:
    rendered = form.render_form(TAX, SETTINGS)
    assert rendered.startswith("# Generated by `c4h form` from schema/taxonomy.yml")
    assert "make generate" in rendered.splitlines()[1]
    assert FORM["title"] == "[Help request] "
    assert "labels" not in FORM


def test_config() -> None:
    data = listing.parse_text(form.render_config(SETTINGS), "config").data
    assert data["blank_issues_enabled"] is False
    assert data["contact_links"][0] == SETTINGS["private_channel"]
    assert data["contact_links"][1]["url"] == "https://www.first.org/members/teams/"


def test_settings_without_a_private_channel_are_refused() -> None:
    with pytest.raises(form.FormError, match="private_channel needs name, url and about"):
        form.render_config({"private_channel": {"name": "x"}})


def test_the_files_in_the_repository_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["form", "--check"]) == 0
    assert capsys.readouterr().out == "2 generated file(s) up to date\n"
    assert form.load_form() == FORM


def test_check_detects_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / ".github" / "ISSUE_TEMPLATE"
    monkeypatch.setattr(paths, "ISSUE_TEMPLATE_DIR", folder)
    monkeypatch.setattr(paths, "REQUEST_FORM", folder / "request-help.yml")
    assert cli.main(["form", "--check"]) == 1
    assert cli.main(["form"]) == 0
    assert cli.main(["form", "--check"]) == 0
    target = folder / "request-help.yml"
    target.write_text(target.read_text().replace("Hospital", "Hospitals"))
    capsys.readouterr()
    assert cli.main(["form", "--check"]) == 1
    assert capsys.readouterr().out.endswith(
        "request-help.yml: out of date; run `c4h form` and commit the result\n"
    )


# --- parsing -------------------------------------------------------------------------------------


def test_a_body_as_github_renders_it() -> None:
    assert form.parse(github_body(), FORM) == EXPECTED


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("CRLF", github_body().replace("\n", "\r\n"), EXPECTED),
        ("CR only", github_body().replace("\n", "\r"), EXPECTED),
        ("no languages", github_body(languages=None), replace(EXPECTED, languages=())),
        ("languages None", github_body(languages="None"), replace(EXPECTED, languages=())),
        ("no description", github_body(description=None), replace(EXPECTED, description="")),
        ("lower-case x", github_body(consent=["x", "x"]), EXPECTED),
        (
            "trailing spaces after a heading",
            github_body().replace("### Country", "### Country  "),
            EXPECTED,
        ),
        ("text before the first heading", "Hello!\n\n" + github_body(), EXPECTED),
        ("comma without space", github_body(services=f"{IR},{PENTEST}"), EXPECTED),
        ("one value per line", github_body(services=f"{IR}\n{PENTEST}"), EXPECTED),
        ("a value twice", github_body(services=[IR, PENTEST, IR]), EXPECTED),
        ("case and spacing differ", github_body(country="ch —  switzerland"), EXPECTED),
        (
            "one service",
            github_body(services=[IR]),
            replace(EXPECTED, services=("incident-response",)),
        ),
    ],
)
def test_accepted_variants(name: str, body: str, expected: Request) -> None:
    assert form.parse(body, FORM) == expected


@pytest.mark.parametrize(
    ("name", "description"),
    [
        ("a markdown heading", "### Our setup\n\nWe run ### things."),
        ("a heading the template does not define", "### Budget\n\nNone at all."),
        ("a heading with a label's text but indented", "We wrote:\n  ### Urgency\nhere"),
        ("a task list", f"- [X] {CONSENT[0]}\n- [ ] todo"),
    ],
)
def test_text_in_the_description_is_content(name: str, description: str) -> None:
    result = form.parse(github_body(description=description), FORM)
    assert isinstance(result, Request)
    assert result.description == description


def test_a_task_list_in_the_description_does_not_tick_consent() -> None:
    body = github_body(description=f"- [X] {CONSENT[0]}\n- [X] {CONSENT[1]}", consent=None)
    assert codes(form.parse(body, FORM)) == ("consent:unticked",)


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("null body", None, (":not-a-form",)),
        ("empty body", "", (":not-a-form",)),
        ("free text", "Please help, we are hit by ransomware!", (":not-a-form",)),
        ("unknown headings only", "### Budget\n\n### Contact\n\nme", (":not-a-form",)),
        ("one section left", "### Country\n\nCH — Switzerland\n", (":unrecognisable",)),
        ("consent unticked", github_body(consent=[" ", " "]), ("consent:unticked",)),
        ("consent with []", github_body(consent=["", ""]), ("consent:unticked",)),
        ("one box ticked", github_body(consent=["X", " "]), ("consent:unticked",)),
        ("unknown service", github_body(services=[IR, "Free lunch"]), ("services:unknown-option",)),
        ("unknown country", github_body(country="XX — Atlantis"), ("country:unknown-option",)),
        (
            "two countries in one",
            github_body(country=f"{CH}, FR — France"),
            ("country:unknown-option",),
        ),
        (
            "two lines in a single choice",
            github_body(urgency=f"{INCIDENT}\nmore"),
            ("urgency:one-only",),
        ),
        ("required left empty", github_body(org_type=None), ("org_type:empty",)),
        ("required None", github_body(services="None"), ("services:empty",)),
        (
            "section removed",
            github_body().replace(f"### Urgency\n\n{INCIDENT}\n\n", ""),
            ("urgency:missing-section",),
        ),
        (
            "heading indented",
            github_body().replace("### Country", " ### Country"),
            ("org_type:one-only", "country:missing-section"),
        ),
        ("heading repeated", github_body() + f"\n\n### Country\n\n{CH}", ("country:duplicate",)),
        (
            "heading repeated in the description",
            github_body(description=f"See below.\n### Urgency\n\n{INCIDENT}"),
            ("urgency:duplicate",),
        ),
        (
            "several problems",
            github_body(org_type=None, languages=["xx — Nothing"], consent=None),
            ("org_type:empty", "languages:unknown-option", "consent:unticked"),
        ),
    ],
)
def test_refused_bodies(name: str, body: str | None, expected: tuple[str, ...]) -> None:
    assert codes(form.parse(body, FORM)) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            None,
            "This issue does not follow the request form, so the bot cannot read it. Please"
            " open a new request with the form.",
        ),
        (
            github_body(services=["@attacker <img src=x>"]),
            '"Help needed" holds a value that the form does not offer; please choose from its 22'
            " options.",
        ),
        (
            github_body(services=["@a", "@b"]),
            '"Help needed" holds 2 values that the form does not offer; please choose from its 22'
            " options.",
        ),
        (
            github_body(org_type=None),
            '"Type of organisation" is required: please choose one of its 12 options.',
        ),
        (
            github_body(services=None),
            '"Help needed" is required: please choose at least one of its 22 options.',
        ),
        (
            github_body(urgency=f"{INCIDENT}\n@x"),
            '"Urgency" takes one choice only; please keep just one.',
        ),
        (github_body(consent=None), 'Please tick both boxes under "Before you submit".'),
        (
            github_body() + f"\n\n### Country\n\n{CH}\n\n### Country\n\n@x",
            'The section "Country" appears 3 times; please keep only one.',
        ),
        (
            github_body().replace("### Urgency", "### Urgent"),
            'The section "Urgency" is missing; please put it back or open a new request with the'
            " form.",
        ),
    ],
)
def test_messages_never_echo_the_body(body: str | None, message: str) -> None:
    result = form.parse(body, FORM)
    assert isinstance(result, Invalid)
    assert message in result.messages
    assert "@" not in " ".join(result.messages)


def test_what_was_understood_despite_problems() -> None:
    result = form.parse(github_body(urgency=None), FORM)
    assert isinstance(result, Invalid)
    assert dict(result.understood) == {
        "org_type": ("hospital",),
        "country": ("CH",),
        "services": ("incident-response", "penetration-testing"),
        "languages": ("fr", "de"),
    }


def test_an_option_the_taxonomy_no_longer_knows() -> None:
    stale: dict[str, Any] = listing.parse_text(form.render_form(TAX, SETTINGS), "form").data
    block = next(b for b in stale["body"] if b.get("id") == "services")
    block["attributes"]["options"].append("Retired service")
    body = github_body(services=["Retired service"])
    assert codes(form.parse(body, stale)) == ("services:out-of-date",)


def test_a_huge_body_is_read_quickly() -> None:
    description = ("Lots of text ### and more. " * 40 + "\n") * 1000  # about 1 MB
    assert len(description) > 1_000_000
    start = time.perf_counter()
    result = form.parse(github_body(description=description), FORM)
    assert time.perf_counter() - start < 1.0
    assert isinstance(result, Request)
    assert result.description == description.strip()


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ({}, "the form template has no body list"),
        ({"body": [{"type": "dropdown", "attributes": {}}]}, "body[0] has no label"),
        ({"body": []}, "lacks the fields org_type, country, services"),
    ],
)
def test_a_broken_template_is_a_maintainer_error(template: dict[str, Any], error: str) -> None:
    with pytest.raises(form.FormError, match=re.escape(error)):
        form.parse(github_body(), template)


def test_fingerprint_follows_the_form() -> None:
    assert form.fingerprint(FORM) == form.fingerprint(form.load_form())
    assert re.fullmatch(r"[0-9a-f]{12}", form.fingerprint(FORM))
    changed: dict[str, Any] = listing.parse_text(form.render_form(TAX, SETTINGS), "form").data
    changed["body"][2]["attributes"]["options"].append("Dentist")
    assert form.fingerprint(changed) != form.fingerprint(FORM)


# --- prefilled links -------------------------------------------------------------------------


def test_prefill_url() -> None:
    url = form.prefill_url(
        "https://github.com/c4h/directory/",
        services=["incident-response", "penetration-testing"],
        country="CH",
        org_type="hospital",
        languages=["fr"],
    )
    assert url == (
        "https://github.com/c4h/directory/issues/new?template=request-help.yml"
        "&services=Incident%20response%20and%20recovery%2C%20Penetration%20testing"
        "&country=CH%20%E2%80%94%20Switzerland&org_type=Hospital"
        "&languages=fr%20%E2%80%94%20French"
    )


def test_prefill_url_with_nothing_chosen() -> None:
    url = form.prefill_url("https://github.com/c4h/directory")
    assert url == "https://github.com/c4h/directory/issues/new?template=request-help.yml"


def test_prefill_url_refuses_unknown_slugs() -> None:
    with pytest.raises(KeyError):
        form.prefill_url("https://github.com/c4h/directory", services=["magic"])


@pytest.mark.parametrize("service", TAX.category_slugs)
def test_prefilled_values_parse_back(service: str) -> None:
    countries = list(TAX.countries)
    languages = list(TAX.languages)
    for i, org in enumerate(TAX.org_type_slugs):
        country, language = countries[i * 20], languages[i * 15]
        url = form.prefill_url(
            "https://github.com/o/r",
            services=[service],
            country=country,
            org_type=org,
            languages=[language],
        )
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        body = github_body(
            services=query["services"],
            country=query["country"],
            org_type=query["org_type"],
            languages=query["languages"],
        )
        assert form.parse(body, FORM) == Request(
            org_type=org,
            country=country,
            services=(service,),
            urgency="incident",
            languages=(language,),
            description=EXPECTED.description,
        )


def test_every_country_and_language_parses_back() -> None:
    for code in TAX.countries:
        query = urllib.parse.urlsplit(form.prefill_url("https://x", country=code)).query
        label = dict(urllib.parse.parse_qsl(query))["country"]
        result = form.parse(github_body(country=label), FORM)
        assert isinstance(result, Request) and result.country == code
    for code in TAX.languages:
        query = urllib.parse.urlsplit(form.prefill_url("https://x", languages=[code])).query
        label = dict(urllib.parse.parse_qsl(query))["languages"]
        result = form.parse(github_body(languages=[label]), FORM)
        assert isinstance(result, Request) and result.languages == (code,)
