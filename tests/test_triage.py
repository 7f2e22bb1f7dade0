"""Triage against a local imitation of the GitHub REST API, driven by unmodified PyGithub.

Every test runs the real shell (c4h.triage.run with c4h.github.Client) over real HTTP to
127.0.0.1 and asserts on the imitation's state and on its request log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from c4h import cli, form, github, model, triage
from c4h import taxonomy as tx
from conftest import FIXTURES
from github_fake import FakeGitHub

REPO = "o/r"
BOT = "github-actions[bot]"
TODAY = date(2026, 12, 4)
TAX = tx.default()
FORM = form.load_form()
CATALOGUE = model.load(FIXTURES / "triage" / "providers", TODAY)
CONFIG = triage.Config(
    site_url="https://example.org/site/",
    form_url="https://github.com/o/r/issues/new?template=request-help.yml",
    private_url="https://example.org/private/",
    private_name="Ask privately",
    limit=3,
)
LABELS_AFTER_FIRST_RUN = [
    "service:incident-response",
    "country:CH",
    "org:hospital",
    "urgency:incident",
    "provider:alpha",
    "provider:beta",
    "triage:matched",
]


def body(
    org: str = "hospital",
    country: str = "CH",
    services: Sequence[str] = ("incident-response",),
    urgency: str = "incident",
    languages: Sequence[str] = (),
    description: str = "Our systems are encrypted.",
    ticks: str = "X",
    newline: str = "\n",
) -> str:
    """A request body exactly as GitHub renders the form."""
    text = form.github_body(
        FORM,
        TAX,
        org_type=org,
        country=country,
        services=services,
        urgency=urgency,
        languages=languages,
        description=description,
        ticks=ticks,
    )
    return text.replace("\n", newline)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.add_repo(REPO, assignable=["alice", "carol", "erin"])
        yield server
    assert server.errors == []


def client(fake: FakeGitHub, **policy: Any) -> github.Client:
    settings = {"backoff": 0.0, "secondary_wait": 0.05, "max_wait": 3.0, "log": lambda _: None}
    return github.Client(
        fake.url, "token", REPO, policy=github.Policy(**{**settings, **policy}), polite=False
    )


def run(fake: FakeGitHub, number: int = 1, dry_run: bool = False, **policy: Any) -> triage.Report:
    return triage.run(
        client(fake, **policy),
        number,
        catalogue=CATALOGUE,
        form=FORM,
        config=CONFIG,
        today=TODAY,
        bot=BOT,
        dry_run=dry_run,
    )


def calls(fake: FakeGitHub) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.log]


def bot_comments(fake: FakeGitHub, number: int = 1) -> list[Any]:
    return [c for c in fake.comments(REPO, number) if c.user == BOT]


def label_names(fake: FakeGitHub, number: int = 1) -> list[str]:
    return list(fake.issue(REPO, number).labels)


def precreate_labels(fake: FakeGitHub) -> None:
    for name in LABELS_AFTER_FIRST_RUN:
        fake.add_label(REPO, name, "123456", "made earlier")


# --- the first run, the re-run, an edit ------------------------------------------------------


def test_first_triage(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    report = run(fake)
    assert label_names(fake) == LABELS_AFTER_FIRST_RUN
    created = {lbl.name: lbl for lbl in fake.labels(REPO)}
    assert (
        created["service:incident-response"].color,
        created["service:incident-response"].description,
    ) == ("1d76db", "Service asked for: Incident response and recovery")
    assert (created["country:CH"].color, created["country:CH"].description) == (
        "fbca04",
        "Country: Switzerland",
    )
    assert created["provider:alpha"].description == "Notified provider: Alpha Response Team"
    assert created["triage:matched"].color == "0e8a16"
    # bob cannot be assigned: mentioned instead
    assert fake.issue(REPO, 1).assignees == ["alice", "carol"]
    [comment] = bot_comments(fake)
    first_line = comment.body.split("\n", 1)[0]
    assert re.fullmatch(
        r"<!-- c4h:triage v1 state=[0-9a-f]{16} notified=alpha,beta assigned=alice,carol -->",
        first_line,
    )
    text = comment.body
    assert text.index("### If you are under attack right now") < text.index(
        "### What we understood"
    )
    assert "[FIRST's directory of teams](https://www.first.org/members/teams/)" in text
    assert "CSIRTs network" in text
    assert "- [Remote incident response](https://example.org/site/providers/alpha/)" in text
    assert "| Urgency | Incident: we are under attack now |" in text
    assert "   - Maintainers: `alice` (assigned), @bob" in text
    assert "   - Maintainers: `carol` (assigned)" in text
    assert "- Incident response in Brazil (delta): does not serve CH" in text
    assert "- Swiss incident help (epsilon): paused \\(capacity 0\\)" in text
    assert "[Ask privately](https://example.org/private/)" in text
    assert report.lines[-1] == "#1: triage:matched, providers alpha, beta"


def test_first_run_on_a_repository_whose_labels_exist_takes_six_requests(fake: FakeGitHub) -> None:
    precreate_labels(fake)
    fake.add_issue(REPO, 1, "[Help request] ", body())
    fake.clear_log()
    run(fake)
    assert calls(fake) == [
        "GET /repos/o/r/issues/1",
        "GET /repos/o/r/issues",  # open matched requests, for the load of each provider
        "GET /repos/o/r/labels",
        "POST /repos/o/r/issues/1/labels",
        "POST /repos/o/r/issues/1/assignees",
        "POST /repos/o/r/issues/1/comments",
    ]


def test_rerun_on_an_unchanged_issue_makes_no_write(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    run(fake)
    fake.clear_log()
    report = run(fake)
    assert fake.writes() == []
    assert calls(fake) == [
        "GET /repos/o/r/issues/1",
        "GET /repos/o/r/issues/1/comments",
        "GET /repos/o/r/issues",
    ]
    assert report.lines[0].startswith("#1: unchanged since the last run")


def test_an_edit_changes_only_what_changed(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    run(fake)
    [comment] = bot_comments(fake)
    fake.update_issue(
        REPO, 1, body=body(services=("incident-response", "awareness-training"), urgency="urgent")
    )
    fake.clear_log()
    run(fake)
    assert calls(fake) == [
        "GET /repos/o/r/issues/1",
        "GET /repos/o/r/issues/1/comments",
        "GET /repos/o/r/issues",
        "GET /repos/o/r/labels",
        "POST /repos/o/r/labels",  # service:awareness-training
        "POST /repos/o/r/labels",  # urgency:urgent
        "POST /repos/o/r/labels",  # provider:gamma
        "DELETE /repos/o/r/issues/1/labels/urgency:incident",
        "POST /repos/o/r/issues/1/labels",
        f"PATCH /repos/o/r/issues/comments/{comment.id}",
    ]
    assert sorted(label_names(fake)) == sorted(
        [
            "service:incident-response",
            "service:awareness-training",
            "country:CH",
            "org:hospital",
            "urgency:urgent",
            "provider:alpha",
            "provider:beta",
            "provider:gamma",
            "triage:matched",
        ]
    )
    [edited] = bot_comments(fake)
    assert edited.id == comment.id
    assert "notified=alpha,beta,gamma assigned=alice,carol -->" in edited.body.split("\n")[0]
    # earlier providers are not pinged again; the curated one gets a link, not a mention
    assert "@bob" not in edited.body
    assert "`bob` (notified earlier)" in edited.body
    assert (
        "Listed by the directory from public sources: reach them through their [contact page](https://gamma.example.org/contact)"
        in edited.body
    )
    assert "### If you are under attack right now" not in edited.body


def test_an_edit_that_drops_a_provider_unassigns_only_what_the_bot_assigned(
    fake: FakeGitHub,
) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    run(fake)
    fake.set_assignable(REPO, ["alice", "carol", "erin", "maria"])
    fake.update_issue(REPO, 1, assignees=["alice", "carol", "maria"])  # maria: a human choice
    fake.update_issue(
        REPO, 1, body=body(org="ngo", urgency="planning")
    )  # alpha does not serve NGOs
    run(fake)
    assert fake.issue(REPO, 1).assignees == ["carol", "maria"]
    assert "provider:alpha" not in label_names(fake)
    [comment] = bot_comments(fake)
    assert "notified=alpha,beta assigned=carol -->" in comment.body.split("\n")[0]


def test_labels_outside_the_owned_prefixes_are_left_alone(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body(), labels=["good first issue", "country:FR"])
    run(fake)
    labels = label_names(fake)
    assert "good first issue" in labels
    assert "country:FR" not in labels and "country:CH" in labels


# --- people and markers ----------------------------------------------------------------------


def test_a_marker_pasted_by_another_user_is_ignored(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    run(fake, dry_run=True)
    pasted = "<!-- c4h:triage v1 state=0123456789abcdef notified=alpha,beta assigned=alice -->"
    fake.add_comment(REPO, 1, pasted + "\nI am the bot, honest.", user="mallory")
    run(fake)
    comments = fake.comments(REPO, 1)
    assert [c.user for c in comments] == ["mallory", BOT]
    assert comments[0].body.startswith(pasted)  # untouched
    assert fake.issue(REPO, 1).assignees == ["alice", "carol"]  # the pasted list fooled nobody


def test_bot_comment_on_the_second_page_is_found(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    for i in range(3):
        fake.add_comment(REPO, 1, f"comment {i}", user=f"user{i}")
    run(fake)
    fake.per_page_default = 2  # the bot's comment is the 4th: on page 2
    fake.clear_log()
    run(fake)
    assert fake.writes() == []
    assert [r.query.get("page", "1") for r in fake.requests("GET", "/comments$")] == ["1", "2"]
    assert len(bot_comments(fake)) == 1


def test_duplicate_bot_comments_are_removed(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    run(fake)
    [first] = bot_comments(fake)
    fake.add_comment(REPO, 1, first.body, user=BOT)  # as left by an interrupted run
    run(fake)
    assert [c.id for c in bot_comments(fake)] == [first.id]


# --- failures ---------------------------------------------------------------------------------


def test_an_ineligible_assignee_is_mentioned(fake: FakeGitHub) -> None:
    fake.set_assignable(REPO, ["carol"])
    fake.add_issue(REPO, 1, "[Help request] ", body())
    report = run(fake)
    assert fake.issue(REPO, 1).assignees == ["carol"]
    [comment] = bot_comments(fake)
    assert "   - Maintainers: @alice, @bob" in comment.body
    assert "assigned=carol -->" in comment.body.split("\n")[0]
    assert "assigned carol; cannot be assigned (mentioned instead): alice, bob" in report.lines


def test_label_creation_race(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    fake.race_label(REPO, "country:CH", color="000000", description="made by someone else")
    run(fake)
    creations = fake.requests("POST", "^/repos/o/r/labels$")
    assert [r.status for r in creations if r.body["name"] == "country:CH"] == [422]
    assert "country:CH" in label_names(fake)
    assert [lbl.name for lbl in fake.labels(REPO)].count("country:CH") == 1


def test_primary_rate_limit_is_waited_out(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    waits: list[float] = []
    fake.fail_rate_limit("GET", "/issues/1$", reset_in=2)
    run(fake, sleep=waits.append)
    assert len(waits) == 1 and 1 <= waits[0] <= 3.5
    assert len(bot_comments(fake)) == 1


def test_a_long_rate_limit_is_not_waited_and_the_next_run_finishes(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    fake.fail_rate_limit("POST", "/issues/1/labels$", reset_in=3600)
    with pytest.raises(
        github.GitHubError,
        match=r"^adding labels to #1: rate limited by GitHub "
        r"until about \d\d:\d\d UTC; not waiting that long \(the next run will "
        r"finish the job\)$",
    ):
        run(fake)
    assert bot_comments(fake) == []
    run(fake)
    assert label_names(fake) == LABELS_AFTER_FIRST_RUN
    assert len(bot_comments(fake)) == 1


@pytest.mark.parametrize(("status", "retry_after"), [(403, 1), (429, 1), (403, None), (429, None)])
def test_secondary_rate_limit(fake: FakeGitHub, status: int, retry_after: int | None) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    fake.fail_secondary_rate_limit("POST", "/comments$", status=status, retry_after=retry_after)
    waits: list[float] = []
    run(fake, sleep=waits.append)
    assert waits == [1.0 if retry_after else 0.05]
    assert len(bot_comments(fake)) == 1


def test_server_error_on_comment_creation_after_it_was_created(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    fake.fail("POST", "/issues/1/comments$", 502, apply=True)  # created, but the answer is 502
    run(fake)
    assert len(bot_comments(fake)) == 1
    assert len(fake.requests("POST", "/comments$")) == 1  # not sent twice


def test_server_errors_then_a_rerun_leaves_one_comment(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    fake.fail("POST", "/issues/1/comments$", 503, times=4, apply=True)
    with pytest.raises(github.GitHubError, match=r"^commenting on #1: GitHub answered 503$"):
        run(fake, attempts=1)
    assert len(bot_comments(fake)) == 1  # it did get created, unknown to the failed run
    run(fake)
    assert len(bot_comments(fake)) == 1
    assert len([lbl for lbl in label_names(fake) if lbl == "triage:matched"]) == 1


def test_a_missing_issue(fake: FakeGitHub) -> None:
    with pytest.raises(
        github.GitHubError, match=r"^reading issue #7: not found on GitHub \(404\) in o/r$"
    ):
        run(fake, number=7)


def test_missing_permissions(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    fake.fail_not_accessible("POST", "/issues/1/labels$")
    with pytest.raises(
        github.GitHubError,
        match=r"^adding labels to #1: GitHub refused it \(403: "
        r"Resource not accessible by integration\); the workflow token needs "
        r"`issues: write`$",
    ):
        run(fake)
    run(fake)  # permission granted: the next run completes
    assert label_names(fake) == LABELS_AFTER_FIRST_RUN
    assert len(bot_comments(fake)) == 1


def test_dry_run_writes_nothing(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body())
    report = run(fake, dry_run=True)
    assert fake.writes() == []
    assert (
        "would add labels service:incident-response, country:CH, org:hospital, urgency:incident, provider:alpha, provider:beta, triage:matched"
        in report.lines
    )
    assert "would assign alice, bob, carol" in report.lines
    assert "would create the triage comment" in report.lines


def test_pull_requests_and_maintenance_issues_are_skipped(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "Listings to review", "<!-- c4h:sweep -->", labels=["maintenance"])
    assert run(fake).lines == ["#1 is labelled maintenance: left alone"]
    assert fake.writes() == []


# --- hostile and broken bodies ----------------------------------------------------------------

HOSTILE = [
    ("null body", None, ["triage:invalid"]),
    ("not a form", "Please help, we are hacked!!", ["triage:invalid"]),
    ("missing sections", body().split("### Help needed")[0], ["triage:invalid"]),
    (
        "unknown option",
        body().replace("Switzerland", "Swaziland-ish"),
        ["service:incident-response", "org:hospital", "urgency:incident", "triage:invalid"],
    ),
    (
        "unticked consent",
        body(ticks=" "),
        [
            "service:incident-response",
            "country:CH",
            "org:hospital",
            "urgency:incident",
            "triage:invalid",
        ],
    ),
]


@pytest.mark.parametrize(("text", "labels"), [pytest.param(t, lbl, id=i) for i, t, lbl in HOSTILE])
def test_unreadable_requests_are_labelled_invalid(
    fake: FakeGitHub, text: str | None, labels: list[str]
) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", text)
    run(fake)
    assert label_names(fake) == labels
    [comment] = bot_comments(fake)
    assert "### The bot could not read this request" in comment.body
    assert fake.issue(REPO, 1).assignees == []


def test_crlf_body_is_read_like_lf(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body(newline="\r\n"))
    run(fake)
    assert label_names(fake) == LABELS_AFTER_FIRST_RUN


def test_nothing_from_the_issue_is_echoed(fake: FakeGitHub) -> None:
    nasty = (
        "@everyone see [this](javascript:alert(1)) <img src=x onerror=alert(1)> #1 "
        "<!-- c4h:triage v1 state=ffffffffffffffff notified= assigned= --> **bold**"
    )
    fake.add_issue(REPO, 1, "@maintainers " + nasty, body(description=nasty))
    run(fake)
    [comment] = bot_comments(fake)
    for fragment in (
        "@everyone",
        "@maintainers",
        "javascript:",
        "<img",
        "**bold**",
        "state=ffffffffffffffff",
    ):
        assert fragment not in comment.body
    assert comment.body.count("<!-- c4h:triage") == 1


def test_a_huge_body(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1, "[Help request] ", body(description="x" * 60_000))
    run(fake)
    assert label_names(fake) == LABELS_AFTER_FIRST_RUN


def test_listing_text_is_inert_in_the_comment(fake: FakeGitHub) -> None:
    fake.add_issue(
        REPO, 1, "[Help request] ", body(services=("awareness-training",), urgency="planning")
    )
    run(fake)
    [comment] = bot_comments(fake)
    assert (
        "**[Gamma \\[Training\\]\\(javascript:alert\\(1\\)\\) @\u2060everyone]"
        "(https://example.org/site/providers/gamma/)**: Phishing training \\*\\*for staff\\*\\* "
        "\\#\u20601"
    ) in comment.body


@pytest.mark.parametrize(
    ("description", "kinds"),
    [
        ("Write to jane.doe@clinic-example.ch", ["an email address"]),
        ("Call +41 22 123 45 67 please", ["a phone number"]),
        ("Our firewall 192.168.10.4 was hit", ["an IP address"]),
        ("The server srv01.hospital.local is down", ["a hostname"]),
        ("See https://intranet.example/x", ["a URL"]),
        ("x" * 65_000 + "." + "x.y" * 20_000, ["a hostname"]),
        ("We need help, e.g. training. About 40 staff.", []),
    ],
)
def test_personal_data_flags_the_issue(
    fake: FakeGitHub, description: str, kinds: list[str]
) -> None:
    assert list(triage.personal_data(description)) == kinds
    fake.add_issue(REPO, 1, "[Help request] ", body(description=description))
    run(fake)
    assert ("needs-redaction" in label_names(fake)) == bool(kinds)
    if kinds:
        [comment] = bot_comments(fake)
        assert f"This issue seems to contain {', '.join(kinds)}." in comment.body


def test_load_spreads_work(fake: FakeGitHub) -> None:
    # alpha already has two open matched requests; with a limit of 1 the next goes to beta
    for n in (2, 3):
        fake.add_issue(REPO, n, "[Help request] ", "x", labels=["triage:matched", "provider:alpha"])
    fake.add_issue(REPO, 1, "[Help request] ", body(urgency="planning"))
    one = triage.Config(**{**CONFIG.__dict__, "limit": 1})
    triage.run(client(fake), 1, catalogue=CATALOGUE, form=FORM, config=one, today=TODAY, bot=BOT)
    assert "provider:beta" in label_names(fake) and "provider:alpha" not in label_names(fake)


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def env(fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    monkeypatch.setenv("GITHUB_TOKEN", "token")
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_API_URL", fake.url)
    monkeypatch.setenv("C4H_GITHUB_POLITE", "0")
    monkeypatch.setenv("C4H_GITHUB_WAIT_SCALE", "0.001")
    return fake


def test_command_with_an_event_file(
    env: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.add_issue(REPO, 5, "[Help request] ", body())
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "opened", "issue": {"number": 5, "body": "ignored"}}))
    providers = str(FIXTURES / "triage" / "providers")
    assert cli.main(["triage", "--event", str(event), "--providers", providers]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "#5: triage:matched, providers alpha, beta"
    assert cli.main(["triage", "--issue", "5", "--providers", providers]) == 0
    assert capsys.readouterr().out.startswith("#5: unchanged since the last run")


@pytest.mark.parametrize(
    ("args", "environment", "code", "message"),
    [
        (
            ["triage"],
            {},
            2,
            "usage error: c4h triage: one of the arguments --issue --event is required",
        ),
        (
            ["triage", "--issue", "9"],
            {},
            1,
            "error: triage of #9 did not finish: reading issue #9: "
            "not found on GitHub (404) in o/r",
        ),
        (
            ["triage", "--issue", "1"],
            {"GITHUB_TOKEN": ""},
            2,
            "usage error: GITHUB_TOKEN is not set (the workflow passes secrets.GITHUB_TOKEN)",
        ),
        (
            ["triage", "--issue", "1"],
            {"GITHUB_REPOSITORY": "nope"},
            2,
            "usage error: GITHUB_REPOSITORY must be owner/name (Actions sets it)",
        ),
    ],
)
def test_command_errors(
    env: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    environment: dict[str, str],
    code: int,
    message: str,
) -> None:
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    assert cli.main(args) == code
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines()[-1] == message
    assert "Traceback" not in captured.err
