"""The GitHub imitation, driven through unmodified PyGithub over real HTTP.

Why: the bot's tests are only as good as the imitation. These tests pin down that PyGithub reads
the fake's answers the way it reads GitHub's (shapes, pagination, errors, retries), and they record
the PyGithub behaviours the bot must allow for (the tests named ``test_pygithub_quirk_*``).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from github import Auth, Github, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.Repository import Repository

from github_fake import FakeGitHub

REPO = "c4h/requests"
BOT = "github-actions[bot]"
Connect = Callable[..., Github]


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.add_repo(REPO, assignable=["alice", "bob"])
        yield server
    assert server.errors == []


@pytest.fixture
def connect(fake: FakeGitHub) -> Iterator[Connect]:
    """Make PyGithub clients as the bot should: no sleeping between requests, lazy objects."""
    clients: list[Github] = []

    def make(retry: GithubRetry | None = None, **options: Any) -> Github:
        options.setdefault("auth", Auth.Token("t"))
        client = Github(
            base_url=fake.url,
            seconds_between_requests=None,
            seconds_between_writes=None,
            retry=retry,
            lazy=True,
            **options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def repo(connect: Connect) -> Repository:
    return connect().get_repo(REPO)


def quick_retry(**options: Any) -> GithubRetry:
    return GithubRetry(total=3, backoff_factor=0, **options)


def statuses(fake: FakeGitHub, method: str = "*", path_regex: str = "") -> list[int]:
    return [r.status for r in fake.requests(method, path_regex)]


# --------------------------------------------------------------------------- reading an issue


def test_issue_reads_body_labels_assignees_and_comment_count(
    fake: FakeGitHub, repo: Repository
) -> None:
    fake.add_issue(
        REPO, 7, "Help", "### Country\r\n\r\nFrance", labels=["kind:request"], assignees=["alice"]
    )
    fake.add_comment(REPO, 7, "first")
    issue = repo.get_issue(7)
    assert issue.body == "### Country\r\n\r\nFrance"
    assert [label.name for label in issue.labels] == ["kind:request"]
    assert issue.labels[0].color == "ededed"
    assert [user.login for user in issue.assignees] == ["alice"]
    assert issue.comments == 1
    assert issue.user.login == "requester"
    assert issue.html_url == f"{fake.url}/c4h/requests/issues/7"
    assert [(r.method, r.path) for r in fake.log] == [("GET", "/repos/c4h/requests/issues/7")]


def test_blank_issue_has_no_body(fake: FakeGitHub, repo: Repository) -> None:
    fake.add_issue(REPO, 1, "Blank", None)
    assert repo.get_issue(1).body is None


# ------------------------------------------------------------------------------------ comments


def test_comments_created_listed_over_three_pages_edited_and_deleted(
    fake: FakeGitHub, repo: Repository
) -> None:
    fake.add_issue(REPO, 1)
    fake.per_page_default = 2
    issue = repo.get_issue(1)
    created = [issue.create_comment(f"comment {n}") for n in range(5)]
    assert {c.user.login for c in created} == {BOT}
    assert statuses(fake, "POST") == [201] * 5

    fake.clear_log()
    assert [c.body for c in issue.get_comments()] == [f"comment {n}" for n in range(5)]
    assert [r.query.get("page") for r in fake.log] == [None, "2", "3"]

    created[1].edit("edited")
    created[0].delete()
    remaining = [c.body for c in fake.comments(REPO, 1)]
    assert remaining == ["edited", "comment 2", "comment 3", "comment 4"]
    assert fake.issue(REPO, 1).comments == 4
    assert issue.get_comment(created[1].id).body == "edited"


def test_page_size_chosen_by_the_client_is_honoured(fake: FakeGitHub, connect: Connect) -> None:
    fake.add_issue(REPO, 1)
    for n in range(5):
        fake.add_comment(REPO, 1, str(n))
    comments = connect(per_page=2).get_repo(REPO).get_issue(1).get_comments()
    assert [c.body for c in comments] == ["0", "1", "2", "3", "4"]
    assert [r.query.get("page") for r in fake.requests("GET", "/comments$")] == [None, "2", "3"]


# -------------------------------------------------------------------------------------- labels


def test_labels_are_listed_page_by_page(fake: FakeGitHub, repo: Repository) -> None:
    names = ["kind:request", "kind:offer", "status:new", "status:matched", "urgency:high"]
    for name in names:
        fake.add_label(REPO, name, "0e8a16", f"about {name}")
    fake.per_page_default = 2
    labels = list(repo.get_labels())
    assert [label.name for label in labels] == names
    assert labels[4].description == "about urgency:high"
    assert len(fake.requests("GET", "/labels$")) == 3
    assert repo.get_labels().totalCount == 5  # read from the Link rel="last" of a per_page=1 call


def test_label_is_created_with_colour_and_description(fake: FakeGitHub, repo: Repository) -> None:
    label = repo.create_label("status:new", "fbca04", "Waiting for triage")
    assert (label.name, label.color) == ("status:new", "fbca04")
    assert fake.labels(REPO)[0].description == "Waiting for triage"
    assert statuses(fake, "POST") == [201]


def test_existing_label_is_422_already_exists_whatever_the_case(
    fake: FakeGitHub, repo: Repository
) -> None:
    fake.add_label(REPO, "Status:New")
    with pytest.raises(GithubException) as raised:
        repo.create_label("status:new", "fbca04")
    assert raised.value.status == 422
    assert raised.value.data == {
        "message": "Validation Failed",
        "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}],
        "documentation_url": "https://docs.github.com/rest/issues/labels#create-a-label",
    }


def test_label_created_by_someone_else_meanwhile_is_a_422(
    fake: FakeGitHub, repo: Repository
) -> None:
    assert list(repo.get_labels()) == []
    fake.race_label(REPO, "status:new", color="000000")
    with pytest.raises(GithubException) as raised:
        repo.create_label("status:new", "fbca04")
    assert raised.value.status == 422
    assert raised.value.data["errors"][0]["code"] == "already_exists"
    assert [(label.name, label.color) for label in fake.labels(REPO)] == [("status:new", "000000")]
    repo.create_label("status:matched", "fbca04")  # the race was one-shot


def test_issue_labels_with_colons_and_spaces_are_added_and_removed(
    fake: FakeGitHub, repo: Repository
) -> None:
    fake.add_issue(REPO, 3, labels=["kind:request"])
    issue = repo.get_issue(3)
    issue.add_to_labels("service:incident-response", "needs triage")
    on_issue = fake.issue(REPO, 3).labels
    assert on_issue == ["kind:request", "service:incident-response", "needs triage"]
    created = fake.label(REPO, "service:incident-response")
    assert created is not None
    assert (created.color, created.description) == ("ededed", None)
    assert fake.log[-1].body == ["service:incident-response", "needs triage"]

    assert repo.get_label("service:incident-response").name == "service:incident-response"
    issue.remove_from_labels("service:incident-response")
    issue.remove_from_labels("needs triage")
    assert fake.issue(REPO, 3).labels == ["kind:request"]
    assert fake.requests("DELETE")[0].path == (
        "/repos/c4h/requests/issues/3/labels/service:incident-response"
    )


def test_pygithub_quirk_removing_an_absent_label_is_not_unknown_object(
    fake: FakeGitHub, repo: Repository
) -> None:
    """GitHub says "Label does not exist", so PyGithub raises a plain 404 GithubException."""
    fake.add_issue(REPO, 3)
    with pytest.raises(GithubException) as raised:
        repo.get_issue(3).remove_from_labels("kind:request")
    assert raised.value.status == 404
    assert not isinstance(raised.value, UnknownObjectException)


# ----------------------------------------------------------------------------------- assignees


def test_ineligible_assignee_is_dropped_silently(fake: FakeGitHub, repo: Repository) -> None:
    fake.add_issue(REPO, 4)
    issue = repo.get_issue(4)
    issue.add_to_assignees("alice", "mallory")
    assert [user.login for user in issue.assignees] == ["alice"]
    assert statuses(fake, "POST") == [201]
    assert repo.has_in_assignees("alice")
    assert not repo.has_in_assignees("mallory")

    fake.add_comment(REPO, 4, "I can help", user="carol")  # commenters become assignable
    issue.add_to_assignees("carol")
    issue.remove_from_assignees("alice")
    assert fake.issue(REPO, 4).assignees == ["carol"]


def test_at_most_ten_assignees(fake: FakeGitHub, repo: Repository) -> None:
    logins = [f"helper{n}" for n in range(12)]
    fake.set_assignable(REPO, logins)
    fake.add_issue(REPO, 5)
    repo.get_issue(5).add_to_assignees(*logins)
    assert fake.issue(REPO, 5).assignees == logins[:10]


# ------------------------------------------------------------------------------ issues (lists)


@pytest.mark.parametrize(
    ("options", "numbers"),
    [
        ({}, [3, 2, 1]),  # open ones, newest first
        ({"state": "closed"}, [4]),
        ({"state": "all"}, [4, 3, 2, 1]),
        ({"labels": ["kind:request"]}, [3, 1]),
        ({"labels": ["kind:request", "service:incident-response"]}, [1]),
        ({"state": "all", "labels": ["service:incident-response"]}, [4, 1]),
        ({"assignee": "alice"}, [2]),
        ({"assignee": "none"}, [3, 1]),
        ({"creator": "someone"}, [3]),
        ({"direction": "asc"}, [1, 2, 3]),
    ],
)
def test_issues_are_filtered(
    fake: FakeGitHub, repo: Repository, options: dict[str, Any], numbers: list[int]
) -> None:
    fake.add_issue(REPO, 1, labels=["kind:request", "service:incident-response"])
    fake.add_issue(REPO, 2, labels=["kind:offer"], assignees=["alice"])
    fake.add_issue(REPO, 3, labels=["Kind:Request"], user="someone")
    fake.add_issue(REPO, 4, labels=["service:incident-response"], state="closed")
    fake.per_page_default = 1  # the filters must survive in the Link URLs
    assert [issue.number for issue in repo.get_issues(**options)] == numbers


def test_issue_is_created_and_closed(fake: FakeGitHub, repo: Repository) -> None:
    issue = repo.create_issue("Need help", "body", labels=["kind:request"], assignees=["bob"])
    assert (issue.number, issue.user.login, issue.state) == (1, BOT, "open")
    assert statuses(fake, "POST") == [201]
    issue.edit(state="closed", body="redacted")
    stored = fake.issue(REPO, 1)
    assert (stored.state, stored.closed_by, stored.body) == ("closed", BOT, "redacted")
    assert (stored.labels, stored.assignees) == (["kind:request"], ["bob"])


def test_pygithub_quirk_listed_issue_refetches_for_an_absent_field(
    fake: FakeGitHub, repo: Repository
) -> None:
    """Listed objects are incomplete: reading a field GitHub leaves out (``pull_request`` on a
    plain issue) costs one GET per issue."""
    fake.add_issue(REPO, 1)
    [issue] = repo.get_issues()
    assert issue.pull_request is None
    assert [r.path for r in fake.log] == [f"/repos/{REPO}/issues", f"/repos/{REPO}/issues/1"]


# ------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "read",
    [
        lambda repo: repo.get_issue(99).title,
        lambda repo: repo.get_issue(1).get_comment(424242).body,
        lambda repo: repo.get_label("nope").color,
        lambda repo: repo._requester.requestJsonAndCheck("GET", "/repos/c4h/nope/issues/1"),
        lambda repo: repo._requester.requestJsonAndCheck("GET", "/no/such/route"),
    ],
)
def test_unknown_objects_raise_unknown_object(
    fake: FakeGitHub, repo: Repository, read: Callable[[Repository], Any]
) -> None:
    fake.add_issue(REPO, 1)
    with pytest.raises(UnknownObjectException):
        read(repo)


def test_missing_or_bad_token_is_401(fake: FakeGitHub, connect: Connect) -> None:
    fake.add_issue(REPO, 1)
    with pytest.raises(GithubException) as raised:
        connect(auth=None).get_repo(REPO).get_issue(1).title  # noqa: B018
    assert raised.value.status == 401
    fake.tokens["good"] = "maintainer"
    fake.reject_unknown_tokens = True
    with pytest.raises(BadCredentialsException):
        connect().get_repo(REPO).get_issue(1).title  # noqa: B018
    comment = connect(auth=Auth.Token("good")).get_repo(REPO).get_issue(1).create_comment("hi")
    assert comment.user.login == "maintainer"


def test_pygithub_quirk_bot_token_cannot_read_its_own_login(connect: Connect) -> None:
    """``GET /user`` answers 403 to GITHUB_TOKEN, so the bot must know its login beforehand."""
    with pytest.raises(GithubException) as raised:
        connect().get_user().login  # noqa: B018
    assert raised.value.status == 403


def test_not_accessible_is_raised_not_retried(fake: FakeGitHub, connect: Connect) -> None:
    fake.add_issue(REPO, 1)
    fake.fail_not_accessible("POST", r"/comments$")
    issue = connect(retry=quick_retry()).get_repo(REPO).get_issue(1)
    with pytest.raises(GithubException) as raised:
        issue.create_comment("hi")
    assert (raised.value.status, raised.value.data["message"]) == (
        403,
        "Resource not accessible by integration",
    )
    assert statuses(fake, "POST") == [403]
    assert fake.comments(REPO, 1) == []


# -------------------------------------------------------------------------- retries and limits


def test_503_once_is_retried(fake: FakeGitHub, connect: Connect) -> None:
    fake.add_issue(REPO, 1, "Help")
    fake.fail("GET", r"/issues/1$", 503)
    assert connect(retry=quick_retry()).get_repo(REPO).get_issue(1).title == "Help"
    assert statuses(fake) == [503, 200]
    assert fake.log[0].injected


def test_pygithub_quirk_exhausted_retries_raise_requests_retry_error(
    fake: FakeGitHub, connect: Connect
) -> None:
    """Not a GithubException: after the last retry urllib3 gives up inside ``requests``."""
    fake.add_issue(REPO, 1)
    fake.fail("GET", r"/issues/1$", 502, times=4)
    with pytest.raises(requests.exceptions.RetryError):
        connect(retry=quick_retry()).get_repo(REPO).get_issue(1).title  # noqa: B018
    assert statuses(fake) == [502] * 4


def test_pygithub_quirk_post_is_retried_after_an_applied_5xx_patch_is_not(
    fake: FakeGitHub, connect: Connect
) -> None:
    """A 502 after the comment was in fact created makes GithubRetry create it twice."""
    fake.add_issue(REPO, 1)
    issue = connect(retry=quick_retry()).get_repo(REPO).get_issue(1)
    fake.fail("POST", r"/comments$", 502, apply=True)
    comment = issue.create_comment("<!-- c4h -->")
    assert [c.body for c in fake.comments(REPO, 1)] == ["<!-- c4h -->"] * 2

    fake.fail("PATCH", r"/comments/\d+$", 502, apply=True)
    with pytest.raises(GithubException) as raised:
        comment.edit("<!-- c4h --> v2")
    assert raised.value.status == 502
    assert fake.comments(REPO, 1)[1].body == "<!-- c4h --> v2"  # applied all the same
    assert statuses(fake, "PATCH") == [502]


def test_primary_rate_limit_is_waited_out(fake: FakeGitHub, connect: Connect) -> None:
    fake.add_issue(REPO, 1, "Help")
    fake.fail_rate_limit("GET", r"/issues/1$", reset_in=1)
    started = time.monotonic()
    assert connect(retry=quick_retry()).get_repo(REPO).get_issue(1).title == "Help"
    assert 0.9 < time.monotonic() - started < 3
    assert statuses(fake) == [403, 200]


def test_rate_limit_headers_replace_the_normal_ones(fake: FakeGitHub, connect: Connect) -> None:
    fake.add_issue(REPO, 1)
    fake.fail_rate_limit("GET", reset_in=30)
    gh = connect()
    with pytest.raises(RateLimitExceededException) as raised:
        gh.get_repo(REPO).get_issue(1).title  # noqa: B018
    assert raised.value.headers is not None
    assert raised.value.headers["x-ratelimit-remaining"] == "0"  # one value, not "4999, 0"
    assert gh.rate_limiting == (0, 5000)
    assert gh.get_repo(REPO).get_issue(1).title
    assert gh.rate_limiting == (5000 - 2, 5000)


@pytest.mark.parametrize(
    ("status", "retry_after", "retried"),
    [
        (403, 0, True),  # Retry-After is honoured
        (403, None, True),  # waits secondary_rate_wait
        (429, 0, True),
        (429, None, False),  # raised as a plain GithubException
    ],
)
def test_secondary_rate_limit(
    fake: FakeGitHub, connect: Connect, status: int, retry_after: int | None, retried: bool
) -> None:
    fake.add_issue(REPO, 1)
    fake.fail_secondary_rate_limit("POST", r"/comments$", status, retry_after)
    issue = connect(retry=quick_retry(secondary_rate_wait=0.1)).get_repo(REPO).get_issue(1)
    if retried:
        issue.create_comment("hi")
        assert statuses(fake, "POST") == [status, 201]
    else:
        with pytest.raises(GithubException) as raised:
            issue.create_comment("hi")
        assert raised.value.status == 429
        assert statuses(fake, "POST") == [429]


# --------------------------------------------------------------------------- log and raw HTTP


def test_log_records_each_request(fake: FakeGitHub, repo: Repository) -> None:
    fake.add_issue(REPO, 1)
    issue = repo.get_issue(1)
    issue.create_comment("hello")
    list(issue.get_comments())
    assert [(r.method, r.path, r.status, r.body) for r in fake.log] == [
        ("POST", "/repos/c4h/requests/issues/1/comments", 201, {"body": "hello"}),
        ("GET", "/repos/c4h/requests/issues/1/comments", 200, None),
    ]
    assert [r.method for r in fake.writes()] == ["POST"]
    assert fake.log[0].login == BOT
    fake.clear_log()
    assert fake.log == []


def raw(
    fake: FakeGitHub, method: str, target: str, body: bytes | None = None
) -> tuple[int, list[tuple[str, str]], Any]:
    """One request without PyGithub, to see headers exactly as sent."""
    connection = http.client.HTTPConnection("127.0.0.1", int(fake.url.rsplit(":", 1)[1]))
    try:
        connection.request(method, target, body, headers={"Authorization": "Bearer t"})
        response = connection.getresponse()
        return response.status, response.getheaders(), json.loads(response.read() or b"null")
    finally:
        connection.close()


def test_headers_are_sent_once_and_links_are_like_githubs(fake: FakeGitHub) -> None:
    for n in range(5):
        fake.add_label(REPO, f"label {n}")
    status, headers, body = raw(fake, "GET", "/repos/c4h/requests/labels?per_page=2&page=2")
    assert status == 200
    assert [label["name"] for label in body] == ["label 2", "label 3"]
    names = [name.lower() for name, _ in headers]
    for name in ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                 "x-ratelimit-used", "x-ratelimit-resource", "content-type"]:  # fmt: skip
        assert names.count(name) == 1, name
    assert dict(headers)["Content-Type"].startswith("application/json")
    base = f"{fake.url}/repos/c4h/requests/labels?per_page=2&page="
    links = [(1, "prev"), (3, "next"), (3, "last"), (1, "first")]
    assert dict(headers)["Link"] == ", ".join(f'<{base}{n}>; rel="{rel}"' for n, rel in links)


def test_unknown_route_and_repo_are_404_not_found(fake: FakeGitHub) -> None:
    for target in ["/repos/c4h/requests/pulls", "/repos/c4h/other", "/repos/c4h/requests/issues/x"]:
        status, _, body = raw(fake, "GET", target)
        assert (status, body["message"]) == (404, "Not Found")


def test_labels_body_may_be_an_object_and_bad_json_is_400(fake: FakeGitHub) -> None:
    fake.add_issue(REPO, 1)
    target = "/repos/c4h/requests/issues/1/labels"
    status, _, body = raw(fake, "POST", target, b'{"labels": ["kind:request"]}')
    assert (status, [label["name"] for label in body]) == (200, ["kind:request"])
    status, _, body = raw(fake, "POST", target, b"[not json")
    assert (status, body["message"]) == (400, "Problems parsing JSON")
    assert fake.errors == []


def test_concurrent_writes_are_all_kept(fake: FakeGitHub, connect: Connect) -> None:
    fake.add_issue(REPO, 1)

    def write(n: int) -> None:
        issue = connect().get_repo(REPO).get_issue(1)
        for k in range(5):
            issue.create_comment(f"{n}.{k}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    comments = fake.comments(REPO, 1)
    assert len({c.id for c in comments}) == len(comments) == fake.issue(REPO, 1).comments == 30
