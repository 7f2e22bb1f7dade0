"""The only module that talks to GitHub, through PyGithub.

A thin shell: it reads an issue, its comments, the repository's labels and the open matched
requests, and performs single writes. Every call goes through ``Client.call``, which retries
what is safe to retry, waits a bounded time for rate limits and turns every failure into a
``GitHubError`` with one clear sentence. PyGithub's own retry is off so that this policy, and
nothing else, decides (PyGithub would also retry a POST that may already have succeeded).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException
from github.Issue import Issue
from github.IssueComment import IssueComment
from github.Repository import Repository

T = TypeVar("T")


class GitHubError(Exception):
    """A GitHub call that could not be completed; the message says what and why."""


@dataclass(frozen=True)
class IssueData:
    number: int
    title: str
    body: str | None
    state: str
    author: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    comments: int
    is_pull_request: bool


@dataclass(frozen=True)
class CommentData:
    id: int
    author: str
    body: str


@dataclass(frozen=True)
class LabelData:
    name: str
    color: str
    description: str


@dataclass
class Policy:
    """How long to wait and how often to try again. Tests shrink the waits."""

    attempts: int = 4
    backoff: float = 2.0  # seconds before the 2nd try after a 5xx; doubles each time
    secondary_wait: float = 60.0  # a secondary rate limit that gives no Retry-After
    max_wait: float = 120.0  # never wait longer than this for a rate limit; fail instead
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = print
    clock: Callable[[], float] = time.time


@dataclass
class Client:
    """One repository on one GitHub (or an imitation of it at api_url)."""

    api_url: str
    token: str
    repository: str  # owner/name
    policy: Policy = field(default_factory=Policy)
    polite: bool = True  # wait between requests as GitHub asks (off in tests)

    def __post_init__(self) -> None:
        kwargs: dict[str, Any] = {}
        if not self.polite:
            kwargs = {"seconds_between_requests": None, "seconds_between_writes": None}
        self._gh = Github(
            base_url=self.api_url.rstrip("/"),
            auth=Auth.Token(self.token),
            retry=None,
            lazy=True,
            timeout=30,
            **kwargs,
        )
        self._repo: Repository = self._gh.get_repo(self.repository)  # lazy: no request
        self._issues: dict[int, Issue] = {}
        self._comments: dict[int, IssueComment] = {}

    # --- the retry policy --------------------------------------------------------------------

    def call(
        self,
        what: str,
        fn: Callable[[], T],
        *,
        idempotent: bool = True,
        done: Callable[[], T | None] | None = None,
    ) -> T:
        """Run FN, retrying failures that may pass; GitHubError when it cannot succeed.

        A write that is not idempotent (creating a comment) is retried only after DONE
        reports that the first attempt did not in fact take effect.
        """
        policy = self.policy
        for attempt in range(1, policy.attempts + 1):
            try:
                return fn()
            except GithubException as exc:
                wait, reason = self._judge(exc, attempt)
            except requests.RequestException as exc:
                wait = policy.backoff * 2 ** (attempt - 1)
                reason = f"no answer from GitHub ({type(exc).__name__})"
            if wait is None or attempt == policy.attempts:
                raise GitHubError(f"{what}: {reason}") from None
            policy.log(
                f"{what}: {reason}; trying again in {wait:.0f} s ({attempt}/{policy.attempts})"
            )
            policy.sleep(wait)
            if not idempotent and done is not None:
                already = done()
                if already is not None:
                    policy.log(f"{what}: it had worked after all; not repeating it")
                    return already
        raise GitHubError(f"{what}: gave up")  # pragma: no cover - the loop always returns

    def _judge(self, exc: GithubException, attempt: int) -> tuple[float | None, str]:
        """How long to wait before trying again (None: do not), and what went wrong."""
        status = exc.status
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        data = exc.data if isinstance(exc.data, dict) else {}
        message = str(data.get("message") or "")
        policy = self.policy
        if status >= 500:
            return policy.backoff * 2 ** (attempt - 1), f"GitHub answered {status}"
        if status in (403, 429):
            limited = "rate limit" in message.lower() or headers.get("x-ratelimit-remaining") == "0"
            if "retry-after" in headers:
                wait = _number(headers["retry-after"], policy.secondary_wait)
            elif headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
                reset = _number(headers["x-ratelimit-reset"], 0)
                wait = max(0.0, reset - policy.clock()) + 1
            elif limited or status == 429:
                wait = policy.secondary_wait
            else:
                return None, (
                    f"GitHub refused it ({status}: {message or 'forbidden'}); the workflow token"
                    " needs `issues: write`"
                )
            if wait > policy.max_wait:
                until = datetime.fromtimestamp(policy.clock() + wait, UTC).strftime("%H:%M UTC")
                return None, (
                    f"rate limited by GitHub until about {until}; not waiting that long (the next"
                    " run will finish the job)"
                )
            return wait, f"rate limited by GitHub ({status})"
        if status == 401:
            return None, "GitHub rejected the token (401); check GITHUB_TOKEN"
        if status == 404:
            return None, f"not found on GitHub (404) in {self.repository}"
        return None, f"GitHub answered {status}: {message or 'error'}"

    # --- reads ------------------------------------------------------------------------------

    def issue(self, number: int) -> IssueData:
        def fetch() -> IssueData:
            issue = self._repo.get_issue(number)
            _ = issue.title  # the one GET happens here, inside the retry
            self._issues[number] = issue
            return _issue_data(issue)

        return self.call(f"reading issue #{number}", fetch)

    def comments(self, number: int) -> list[CommentData]:
        def fetch() -> list[CommentData]:
            out = []
            for comment in self._live_issue(number).get_comments():
                self._comments[comment.id] = comment
                out.append(CommentData(comment.id, comment.user.login, comment.body or ""))
            return out

        return self.call(f"reading the comments of #{number}", fetch)

    def labels(self) -> dict[str, LabelData]:
        def fetch() -> dict[str, LabelData]:
            return {
                label.name.casefold(): LabelData(label.name, label.color, label.description or "")
                for label in self._repo.get_labels()
            }

        return self.call("reading the repository's labels", fetch)

    def open_issues_with(self, label: str) -> list[tuple[int, tuple[str, ...]]]:
        """(number, label names) of the open issues carrying LABEL."""

        def fetch() -> list[tuple[int, tuple[str, ...]]]:
            # Only fields present in the listing are read: touching another one (such as
            # pull_request) would make PyGithub fetch each issue again.
            return [
                (issue.number, tuple(lbl.name for lbl in issue.labels))
                for issue in self._repo.get_issues(state="open", labels=[label])
            ]

        return self.call(f"listing open issues labelled {label}", fetch)

    # --- writes -----------------------------------------------------------------------------

    def create_label(self, name: str, color: str, description: str) -> None:
        def create() -> None:
            try:
                self._repo.create_label(name, color, description)
            except GithubException as exc:
                if exc.status == 422 and _already_exists(exc):
                    return  # someone (another run) created it first: that is what we wanted
                raise

        self.call(f"creating label {name}", create)

    def add_labels(self, number: int, names: Iterable[str]) -> None:
        names = list(names)
        self.call(
            f"adding labels to #{number}", lambda: self._live_issue(number).add_to_labels(*names)
        )

    def remove_label(self, number: int, name: str) -> None:
        def remove() -> None:
            try:
                self._live_issue(number).remove_from_labels(name)
            except GithubException as exc:
                if exc.status != 404:  # already gone: fine
                    raise

        self.call(f"removing label {name} from #{number}", remove)

    def assign(self, number: int, logins: Iterable[str]) -> tuple[str, ...]:
        """Assign LOGINS; returns who is assigned afterwards (GitHub drops whom it cannot)."""
        logins = list(logins)

        def assign() -> tuple[str, ...]:
            issue = self._live_issue(number)
            issue.add_to_assignees(*logins)
            return tuple(a.login for a in issue.assignees)

        return self.call(f"assigning #{number}", assign)

    def unassign(self, number: int, logins: Iterable[str]) -> None:
        logins = list(logins)
        self.call(
            f"unassigning on #{number}",
            lambda: self._live_issue(number).remove_from_assignees(*logins),
        )

    def create_comment(self, number: int, body: str, find: Callable[[], int | None]) -> int:
        """Create a comment; FIND looks for it after a failure, so it is never made twice."""

        def create() -> int:
            comment = self._live_issue(number).create_comment(body)
            self._comments[comment.id] = comment
            return comment.id

        return self.call(f"commenting on #{number}", create, idempotent=False, done=find)

    def edit_comment(self, number: int, comment_id: int, body: str) -> None:
        self.call(
            f"editing comment {comment_id}", lambda: self._comment(number, comment_id).edit(body)
        )

    def delete_comment(self, number: int, comment_id: int) -> None:
        def delete() -> None:
            try:
                self._comment(number, comment_id).delete()
            except GithubException as exc:
                if exc.status != 404:
                    raise

        self.call(f"deleting comment {comment_id}", delete)

    def create_issue(self, title: str, body: str, labels: Iterable[str]) -> int:
        names = list(labels)

        def create() -> int:
            return self._repo.create_issue(title=title, body=body, labels=names).number

        return self.call("creating an issue", create, idempotent=False)

    def edit_issue(self, number: int, **fields: Any) -> None:
        self.call(f"editing issue #{number}", lambda: self._live_issue(number).edit(**fields))

    def issue_bodies_with(self, label: str, state: str = "open") -> list[IssueData]:
        def fetch() -> list[IssueData]:
            return [_issue_data(i) for i in self._repo.get_issues(state=state, labels=[label])]

        return self.call(f"listing issues labelled {label}", fetch)

    # --- helpers ----------------------------------------------------------------------------

    def _live_issue(self, number: int) -> Issue:
        if number not in self._issues:
            self._issues[number] = self._repo.get_issue(number)  # lazy: no request
        return self._issues[number]

    def _comment(self, number: int, comment_id: int) -> IssueComment:
        """A comment listed earlier in this run (or fetched again when it was not)."""
        if comment_id not in self._comments:
            self._comments[comment_id] = self._live_issue(number).get_comment(comment_id)
        return self._comments[comment_id]


def _issue_data(issue: Issue) -> IssueData:
    return IssueData(
        number=issue.number,
        title=issue.title or "",
        body=issue.body,
        state=issue.state,
        author=issue.user.login if issue.user else "",
        labels=tuple(label.name for label in issue.labels),
        assignees=tuple(a.login for a in issue.assignees),
        comments=issue.comments,
        is_pull_request=issue.pull_request is not None,
    )


def _number(value: str, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _already_exists(exc: GithubException) -> bool:
    data = exc.data if isinstance(exc.data, dict) else {}
    return any(
        isinstance(e, dict) and e.get("code") == "already_exists" for e in data.get("errors", [])
    )
