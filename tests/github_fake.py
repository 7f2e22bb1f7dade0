"""A local imitation of the GitHub REST API, for driving PyGithub in tests.

Why: the triage bot talks to GitHub through PyGithub. Mocking PyGithub objects would test our
guesses about PyGithub, not PyGithub. This server speaks real HTTP on 127.0.0.1 with GitHub's JSON
shapes, status codes, ``Link`` pagination and ``X-RateLimit-*`` headers, so unmodified PyGithub
(including its retry logic) runs against it. Its state is plain dataclasses that tests set up and
read back; every request is logged; faults (5xx, rate limits, 403, label races) can be injected.

Usage::

    with FakeGitHub() as fake:
        fake.add_repo("o/r", assignable=["alice"])
        fake.add_issue("o/r", 1, "Need help", body=None, labels=["status:new"])
        gh = Github(base_url=fake.url, auth=Auth.Token("t"), seconds_between_requests=None,
                    seconds_between_writes=None, retry=None, lazy=True)
        ...

Only the standard library is needed for the server; ``pytest`` is imported for the fixture at the
bottom. Paths in the log and in fault patterns are percent-decoded (``/labels/kind:x``).
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

DOCS = "https://docs.github.com/rest"
#: GitHub's own limits that the bot can run into.
MAX_ASSIGNEES = 10
MAX_BODY = 65536
MAX_LABEL_DESCRIPTION = 100
AUTO_LABEL_COLOR = "ededed"
PRIMARY_LIMIT_MESSAGE = "API rate limit exceeded for installation ID 1."
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit and have been temporarily blocked from content "
    "creation. Please retry your request again later."
)
NOT_ACCESSIBLE_MESSAGE = "Resource not accessible by integration"

JSON = Any
HeaderValue = str | Callable[[], str]
_BAD_JSON = object()  # marks a request body that is not JSON


# --------------------------------------------------------------------------------------- state


@dataclass
class Label:
    name: str
    color: str = AUTO_LABEL_COLOR
    description: str | None = None  # GitHub answers null for "no description"
    id: int = 0


@dataclass
class Issue:
    number: int
    title: str
    body: str | None
    user: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)  # names, spelled as the repo's labels
    assignees: list[str] = field(default_factory=list)
    comments: int = 0
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    closed_at: datetime | None = None
    closed_by: str | None = None
    state_reason: str | None = None
    html_url: str = ""  # filled in on the copies that accessors return
    id: int = 0


@dataclass
class Comment:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Repo:
    owner: str
    name: str
    id: int
    labels: dict[str, Label] = field(default_factory=dict)  # key: lower-case name, in order
    issues: dict[int, Issue] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    assignable: set[str] = field(default_factory=set)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class Request:
    """One line of the request log."""

    method: str
    path: str  # percent-decoded, without the query string
    query: dict[str, str]
    status: int
    body: JSON  # the parsed JSON request body, or None
    login: str | None = None
    injected: bool = False  # the status came from an injected fault


@dataclass
class Fault:
    """An injected failure; ``remaining`` counts down to 0 as requests match it."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: JSON
    headers: dict[str, HeaderValue]
    remaining: int
    apply: bool

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and self.method in ("*", method)
            and self.pattern.search(path) is not None
        )


class HttpError(Exception):
    """Raised by a route handler to answer with an error status."""

    def __init__(self, status: int, body: JSON, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class Reply:
    status: int
    body: JSON = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    """What a route handler gets: the parsed request."""

    method: str
    raw_path: str
    query: dict[str, str]
    body: JSON
    login: str
    params: dict[str, str]


def not_found(message: str = "Not Found") -> HttpError:
    return HttpError(404, {"message": message, "documentation_url": DOCS})


def invalid(resource: str, field_: str, code: str = "invalid", message: str = "") -> HttpError:
    error: dict[str, str] = {"resource": resource, "code": code, "field": field_}
    if message:
        error["message"] = message
    body = {"message": "Validation Failed", "errors": [error], "documentation_url": DOCS}
    return HttpError(422, body)


def label_exists() -> HttpError:
    """GitHub's exact answer to creating (or renaming to) a label name that already exists."""
    return HttpError(
        422,
        {
            "message": "Validation Failed",
            "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}],
            "documentation_url": f"{DOCS}/issues/labels#create-a-label",
        },
    )


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


# -------------------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as PyGithub's requests session expects
    timeout = 10  # an idle keep-alive connection must not hold a thread forever
    # Headers and body go out in several small writes; without TCP_NODELAY, Nagle's algorithm
    # and delayed ACKs add about 40 ms to every keep-alive request.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake keeps its own log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeGitHub) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


Route = tuple[str, re.Pattern[str], Callable[["FakeGitHub", Call], Reply]]
_ROUTES: list[Route] = []


def route(method: str, template: str) -> Callable[[Any], Any]:
    """Register a handler for ``METHOD /path/{param}``; each {param} is one path segment."""
    pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")

    def register(handler: Callable[[FakeGitHub, Call], Reply]) -> Any:
        _ROUTES.append((method, pattern, handler))
        return handler

    return register


class FakeGitHub:
    """The imitation: state, HTTP front end, request log and fault injection."""

    def __init__(self, bot_login: str = "github-actions[bot]") -> None:
        #: Login of the token's owner: the author of issues and comments created via the API.
        self.bot_login = bot_login
        #: Token -> login for other actors; unknown tokens act as ``bot_login`` unless
        #: ``reject_unknown_tokens`` is set (then 401 "Bad credentials").
        self.tokens: dict[str, str] = {}
        self.reject_unknown_tokens = False
        self.per_page_default = 30
        self.max_per_page = 100
        self.rate_limit = 5000
        #: Source of timestamps; replace it to control created_at/updated_at.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.log: list[Request] = []
        self.faults: list[Fault] = []
        #: Exceptions raised inside route handlers (answered with 500); should stay empty.
        self.errors: list[Exception] = []
        self._repos: dict[str, Repo] = {}
        self._races: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._user_ids: dict[str, int] = {}
        self._ids = itertools.count(1000)
        self._rate_used = 0
        self._rate_reset = int(time.time()) + 3600
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> FakeGitHub:
        """Bind a free port on 127.0.0.1 and serve from a daemon thread."""
        if self._server is None:
            self._server = _Server(self)
            # a short poll keeps stop() fast: shutdown() waits for the loop to look again
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL to give PyGithub; every URL the server returns starts with it."""
        if self._server is None:
            raise RuntimeError("FakeGitHub is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- setting state

    def add_repo(self, full_name: str, assignable: Iterable[str] = ()) -> None:
        with self._lock:
            if full_name not in self._repos:
                owner, name = full_name.split("/")
                self._repos[full_name] = Repo(owner, name, next(self._ids))
            self._repos[full_name].assignable.update(assignable)

    def set_assignable(self, repo: str, logins: Iterable[str]) -> None:
        """Who may be assigned (collaborators); commenters on an issue may be assigned too."""
        with self._lock:
            self._repo(repo).assignable = set(logins)

    def add_label(
        self, repo: str, name: str, color: str = AUTO_LABEL_COLOR, description: str | None = None
    ) -> Label:
        with self._lock:
            labels = self._repo(repo).labels
            if name.lower() in labels:
                raise ValueError(f"label {name!r} already exists in {repo}")
            labels[name.lower()] = Label(name, color, description, next(self._ids))
            return copy.copy(labels[name.lower()])

    def add_issue(
        self,
        repo: str,
        number: int | None = None,
        title: str = "Request for help",
        body: str | None = None,
        *,
        user: str = "requester",
        labels: Iterable[str] = (),
        state: str = "open",
        assignees: Iterable[str] = (),
    ) -> Issue:
        """Add an issue as if someone had opened it; unknown labels are created in grey."""
        with self._lock:
            r = self._repo(repo)
            number = number if number is not None else max(r.issues, default=0) + 1
            if number in r.issues:
                raise ValueError(f"issue #{number} already exists in {repo}")
            now = self.clock()
            issue = Issue(number, title, body, user, state, [], list(assignees))
            issue.created_at = issue.updated_at = now
            issue.id = next(self._ids)
            if state == "closed":
                issue.closed_at, issue.state_reason = now, "completed"
            issue.labels = self._label_names(r, labels)
            r.issues[number] = issue
            return self.issue(repo, number)

    def update_issue(self, repo: str, number: int, **changes: Any) -> Issue:
        """Change fields of an issue as a human would (e.g. edit the body between bot runs)."""
        with self._lock:
            r = self._repo(repo)
            issue = r.issues[number]
            if "labels" in changes:
                changes["labels"] = self._label_names(r, changes["labels"])
            for name, value in changes.items():
                if not hasattr(issue, name):
                    raise TypeError(f"Issue has no field {name!r}")
                setattr(issue, name, value)
            issue.updated_at = self.clock()
            return self.issue(repo, number)

    def add_comment(self, repo: str, number: int, body: str, user: str = "requester") -> Comment:
        with self._lock:
            return copy.copy(self._new_comment(self._repo(repo), number, body, user))

    def race_label(
        self, repo: str, name: str, color: str | None = None, description: str | None = None
    ) -> None:
        """Make the next ``POST /labels`` for ``name`` lose a race.

        The label is created "by someone else" (with ``color``/``description``, or the requested
        ones if None) just before the request, which therefore gets 422 ``already_exists``.
        """
        with self._lock:
            self._races[(repo, name.lower())] = (color, description)

    # -- reading state (copies, so tests cannot race the server)

    def labels(self, repo: str) -> list[Label]:
        with self._lock:
            return [copy.copy(label) for label in self._repo(repo).labels.values()]

    def label(self, repo: str, name: str) -> Label | None:
        with self._lock:
            found = self._repo(repo).labels.get(name.lower())
            return copy.copy(found) if found else None

    def issue(self, repo: str, number: int) -> Issue:
        with self._lock:
            r = self._repo(repo)
            issue = copy.deepcopy(r.issues[number])
            issue.html_url = self._html_url(r, f"issues/{number}")
            return issue

    def issues(self, repo: str) -> list[Issue]:
        with self._lock:
            return [self.issue(repo, number) for number in sorted(self._repo(repo).issues)]

    def comments(self, repo: str, number: int) -> list[Comment]:
        """Comments on one issue, oldest first."""
        with self._lock:
            found = self._repo(repo).comments.values()
            return [copy.copy(c) for c in found if c.issue_number == number]

    def assignable(self, repo: str) -> set[str]:
        with self._lock:
            return set(self._repo(repo).assignable)

    # -- request log

    def writes(self) -> list[Request]:
        """Every request that was not a GET: what an idempotent bot run must keep empty."""
        with self._lock:
            return [r for r in self.log if r.method != "GET"]

    def requests(self, method: str = "*", path_regex: str = "") -> list[Request]:
        with self._lock:
            pattern = re.compile(path_regex)
            return [r for r in self.log if method in ("*", r.method) and pattern.search(r.path)]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    # -- fault injection

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        body: JSON = None,
        *,
        headers: dict[str, HeaderValue] | None = None,
        times: int = 1,
        apply: bool = False,
    ) -> Fault:
        """Answer the next ``times`` requests matching ``method`` ("*" = any) and ``path_regex``
        (searched in the decoded path) with ``status``/``body``/``headers``.

        Header values may be callables, evaluated when the response is sent. Headers replace the
        normal ones of the same name (case-insensitively). With ``apply=True`` the request is
        carried out first and only its answer is replaced: "a 502 after the comment was created".
        """
        if body is None:
            body = {"message": HTTPStatus(status).phrase, "documentation_url": DOCS}
        fault = Fault(
            method.upper(), re.compile(path_regex), status, body, dict(headers or {}), times, apply
        )
        with self._lock:
            self.faults.append(fault)
        return fault

    def fail_rate_limit(
        self,
        method: str = "*",
        path_regex: str = "",
        reset_in: float = 1.0,
        status: int = 403,
        times: int = 1,
    ) -> Fault:
        """Primary rate limit: Remaining 0, Reset ``reset_in`` seconds after the answer."""
        headers: dict[str, HeaderValue] = {
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Used": lambda: str(self.rate_limit),
            "X-RateLimit-Reset": lambda: str(int(time.time() + reset_in)),
        }
        body = {"message": PRIMARY_LIMIT_MESSAGE, "documentation_url": DOCS}
        return self.fail(method, path_regex, status, body, headers=headers, times=times)

    def fail_secondary_rate_limit(
        self,
        method: str = "*",
        path_regex: str = "",
        status: int = 403,
        retry_after: int | None = None,
        times: int = 1,
    ) -> Fault:
        headers: dict[str, HeaderValue] = {}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        body = {"message": SECONDARY_LIMIT_MESSAGE, "documentation_url": DOCS}
        return self.fail(method, path_regex, status, body, headers=headers, times=times)

    def fail_not_accessible(self, method: str, path_regex: str = "", times: int = 1) -> Fault:
        """What GITHUB_TOKEN gets without the needed ``permissions:``."""
        body = {"message": NOT_ACCESSIBLE_MESSAGE, "documentation_url": DOCS}
        return self.fail(method, path_regex, 403, body, times=times)

    # -- HTTP plumbing

    def _serve(self, handler: _Handler) -> None:
        method = handler.command
        split = urllib.parse.urlsplit(handler.path)
        path = urllib.parse.unquote(split.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(split.query, True).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        login = self._login(handler.headers.get("Authorization"))
        try:
            body: JSON = json.loads(raw) if raw else None
        except ValueError:
            body = _BAD_JSON
        with self._lock:
            fault = next((f for f in self.faults if f.matches(method, path)), None)
            if fault is None or fault.apply:
                reply = self._dispatch(Call(method, split.path, query, body, login or "", {}))
            if fault is not None:
                fault.remaining -= 1
                fault_headers = {k: v() if callable(v) else v for k, v in fault.headers.items()}
                reply = Reply(fault.status, fault.body, fault_headers)
            self._rate_used += 1
            headers = self._standard_headers()
            for name, value in reply.headers.items():  # replace, never duplicate
                for existing in [k for k in headers if k.lower() == name.lower()]:
                    del headers[existing]
                headers[name] = value
            logged_body = None if body is _BAD_JSON else body
            self.log.append(
                Request(method, path, query, reply.status, logged_body, login, fault is not None)
            )
        if isinstance(reply.body, str):
            data = reply.body.encode()
        else:
            data = b"" if reply.body is None else json.dumps(reply.body).encode()
        handler.send_response(reply.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _standard_headers(self) -> dict[str, str]:
        return {
            "Content-Type": "application/json; charset=utf-8",
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(self.rate_limit - self._rate_used, 0)),
            "X-RateLimit-Reset": str(self._rate_reset),
            "X-RateLimit-Used": str(self._rate_used),
            "X-RateLimit-Resource": "core",
        }

    def _login(self, authorization: str | None) -> str | None:
        """``token X`` or ``Bearer X`` -> login; None when no token was sent."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() not in ("token", "bearer") or not token.strip():
            return None
        token = token.strip()
        if token in self.tokens:
            return self.tokens[token]
        return None if self.reject_unknown_tokens else self.bot_login

    def _dispatch(self, call: Call) -> Reply:
        """Authenticate, route and run a handler; errors become replies."""
        if call.body is _BAD_JSON:
            return Reply(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
        if not call.login:
            message = "Bad credentials" if self.reject_unknown_tokens else "Requires authentication"
            return Reply(401, {"message": message, "documentation_url": DOCS})
        for method, pattern, handler in _ROUTES:
            match = pattern.match(call.raw_path)
            if method == call.method and match:
                call.params = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
                try:
                    return handler(self, call)
                except HttpError as error:
                    return Reply(error.status, error.body, error.headers)
                except Exception as error:  # a bug in the fake: answer, and keep it for the test
                    self.errors.append(error)
                    return Reply(500, {"message": f"FakeGitHub bug: {error!r}"})
        return Reply(404, {"message": "Not Found", "documentation_url": DOCS})

    # -- helpers shared by the routes

    def _repo(self, full_name: str) -> Repo:
        try:
            return self._repos[full_name]
        except KeyError:
            raise not_found() from None

    def _call_repo(self, call: Call) -> Repo:
        return self._repo(f"{call.params['owner']}/{call.params['repo']}")

    def _call_issue(self, call: Call) -> tuple[Repo, Issue]:
        r = self._call_repo(call)
        number = call.params["number"]
        issue = r.issues.get(int(number)) if number.isdigit() else None
        if issue is None:
            raise not_found()
        return r, issue

    def _call_comment(self, call: Call) -> tuple[Repo, Comment]:
        r = self._call_repo(call)
        comment_id = call.params["id"]
        comment = r.comments.get(int(comment_id)) if comment_id.isdigit() else None
        if comment is None:
            raise not_found()
        return r, comment

    def _label_names(self, r: Repo, names: Iterable[Any]) -> list[str]:
        """Resolve names case-insensitively, creating unknown labels as GitHub does."""
        result: list[str] = []
        for item in names:
            name = item["name"] if isinstance(item, dict) else str(item)
            if name.lower() not in r.labels:
                r.labels[name.lower()] = Label(name, AUTO_LABEL_COLOR, None, next(self._ids))
            canonical = r.labels[name.lower()].name
            if canonical not in result:
                result.append(canonical)
        return result

    def _new_comment(self, r: Repo, number: int, body: str, user: str) -> Comment:
        now = self.clock()
        comment = Comment(next(self._ids), number, body, user, now, now)
        r.comments[comment.id] = comment
        issue = r.issues[number]
        issue.comments += 1
        issue.updated_at = now
        return comment

    def _may_assign(self, r: Repo, issue: Issue, login: str) -> bool:
        commenters = {c.user for c in r.comments.values() if c.issue_number == issue.number}
        return login.lower() in {x.lower() for x in r.assignable | commenters}

    def _page(self, call: Call, items: list[JSON]) -> Reply:
        """One page of ``items`` with GitHub's Link header (prev, next, last, first)."""

        def number(name: str, default: int) -> int:
            value = call.query.get(name, "")
            return int(value) if value.isdigit() and int(value) > 0 else default

        per_page = min(number("per_page", self.per_page_default), self.max_per_page)
        page = number("page", 1)
        last = max(1, math.ceil(len(items) / per_page))

        def link(to: int, rel: str) -> str:
            query = urllib.parse.urlencode({**call.query, "page": str(to)})
            return f'<{self.url}{call.raw_path}?{query}>; rel="{rel}"'

        links = []
        if page > 1:
            links.append(link(min(page - 1, last), "prev"))
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links.append(link(1, "first"))
        headers = {"Link": ", ".join(links)} if links else {}
        return Reply(200, items[(page - 1) * per_page : page * per_page], headers)

    def _user_id(self, login: str) -> int:
        return self._user_ids.setdefault(login, len(self._user_ids) + 1)

    def _html_url(self, r: Repo, rest: str) -> str:
        return f"{self.url}/{quote(r.owner)}/{quote(r.name)}/{rest}"

    # -- JSON shapes

    def _user_json(self, login: str) -> JSON:
        return {
            "login": login,
            "id": self._user_id(login),
            "node_id": f"U_{self._user_id(login)}",
            "avatar_url": f"{self.url}/avatars/{quote(login)}",
            "gravatar_id": "",
            "url": f"{self.url}/users/{quote(login)}",
            "html_url": f"{self.url}/{quote(login)}",
            "type": "Bot" if login.endswith("[bot]") else "User",
            "site_admin": False,
        }

    def _repo_url(self, r: Repo) -> str:
        return f"{self.url}/repos/{quote(r.owner)}/{quote(r.name)}"

    def _repo_json(self, r: Repo) -> JSON:
        url = self._repo_url(r)
        return {
            "id": r.id,
            "node_id": f"R_{r.id}",
            "name": r.name,
            "full_name": r.full_name,
            "owner": self._user_json(r.owner),
            "private": False,
            "html_url": self._html_url(r, "").rstrip("/"),
            "description": None,
            "fork": False,
            "url": url,
            "issues_url": f"{url}/issues{{/number}}",
            "labels_url": f"{url}/labels{{/name}}",
            "has_issues": True,
            "open_issues_count": sum(i.state == "open" for i in r.issues.values()),
            "default_branch": "main",
            "archived": False,
            "disabled": False,
            "visibility": "public",
        }

    def _label_json(self, r: Repo, label: Label) -> JSON:
        return {
            "id": label.id,
            "node_id": f"LA_{label.id}",
            "url": f"{self._repo_url(r)}/labels/{quote(label.name)}",
            "name": label.name,
            "color": label.color,
            "default": False,
            "description": label.description,
        }

    def _issue_json(self, r: Repo, issue: Issue) -> JSON:
        url = f"{self._repo_url(r)}/issues/{issue.number}"
        assignees = [self._user_json(login) for login in issue.assignees]
        return {
            "id": issue.id,
            "node_id": f"I_{issue.id}",
            "url": url,
            "repository_url": self._repo_url(r),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": self._html_url(r, f"issues/{issue.number}"),
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self._user_json(issue.user),
            "labels": [self._label_json(r, r.labels[name.lower()]) for name in issue.labels],
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": issue.comments,
            "closed_at": iso(issue.closed_at),
            "closed_by": self._user_json(issue.closed_by) if issue.closed_by else None,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "author_association": "NONE",
            "performed_via_github_app": None,
        }

    def _comment_json(self, r: Repo, comment: Comment) -> JSON:
        issue_url = f"{self._repo_url(r)}/issues/{comment.issue_number}"
        return {
            "id": comment.id,
            "node_id": f"IC_{comment.id}",
            "url": f"{self._repo_url(r)}/issues/comments/{comment.id}",
            "html_url": self._html_url(
                r, f"issues/{comment.issue_number}#issuecomment-{comment.id}"
            ),
            "issue_url": issue_url,
            "body": comment.body,
            "user": self._user_json(comment.user),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "author_association": "NONE",
            "performed_via_github_app": None,
        }


# -------------------------------------------------------------------------------------- routes


def _body_text(call: Call, key: str, resource: str, required: bool) -> str | None:
    """A string field of the request body, checked the way GitHub checks it."""
    body = call.body if isinstance(call.body, dict) else {}
    if key not in body or body[key] is None:
        if required:
            raise invalid(resource, key, "missing_field")
        return None
    value = body[key]
    if not isinstance(value, str):
        raise invalid(resource, key)
    if len(value) > MAX_BODY:
        raise invalid(
            resource, key, "custom", f"{key} is too long (maximum is {MAX_BODY} characters)"
        )
    return value


@route("GET", "/user")
def _get_user(fake: FakeGitHub, call: Call) -> Reply:
    """GITHUB_TOKEN (an app installation) cannot read ``/user``: the bot can't ask its login."""
    if call.login.endswith("[bot]"):
        raise HttpError(403, {"message": NOT_ACCESSIBLE_MESSAGE, "documentation_url": DOCS})
    return Reply(200, fake._user_json(call.login))


@route("GET", "/repos/{owner}/{repo}")
def _get_repo(fake: FakeGitHub, call: Call) -> Reply:
    return Reply(200, fake._repo_json(fake._call_repo(call)))


# issues


@route("GET", "/repos/{owner}/{repo}/issues")
def _list_issues(fake: FakeGitHub, call: Call) -> Reply:
    r, q = fake._call_repo(call), call.query
    found = list(r.issues.values())
    if q.get("state", "open") != "all":
        found = [i for i in found if i.state == q.get("state", "open")]
    if q.get("labels"):
        wanted = {name.strip().lower() for name in q["labels"].split(",")}
        found = [i for i in found if wanted <= {name.lower() for name in i.labels}]
    if "assignee" in q:
        who = q["assignee"].lower()
        if who == "none":
            found = [i for i in found if not i.assignees]
        elif who == "*":
            found = [i for i in found if i.assignees]
        else:
            found = [i for i in found if who in {a.lower() for a in i.assignees}]
    if "creator" in q:
        found = [i for i in found if i.user.lower() == q["creator"].lower()]
    if "since" in q:
        since = datetime.fromisoformat(q["since"].replace("Z", "+00:00"))
        found = [i for i in found if i.updated_at >= since]
    sort_key: dict[str, Callable[[Issue], Any]] = {
        "created": lambda i: (i.created_at, i.number),
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (i.comments, i.number),
    }
    found.sort(
        key=sort_key.get(q.get("sort", "created"), sort_key["created"]),
        reverse=q.get("direction", "desc") != "asc",
    )
    return fake._page(call, [fake._issue_json(r, i) for i in found])


@route("POST", "/repos/{owner}/{repo}/issues")
def _create_issue(fake: FakeGitHub, call: Call) -> Reply:
    r = fake._call_repo(call)
    title = _body_text(call, "title", "Issue", required=True)
    body = _body_text(call, "body", "Issue", required=False)
    issue = fake.add_issue(r.full_name, None, title or "", body, user=call.login)
    stored = r.issues[issue.number]
    request = call.body
    stored.labels = fake._label_names(r, request.get("labels") or [])
    wanted = [*(request.get("assignees") or []), request.get("assignee") or ""]
    stored.assignees = [a for a in wanted if a and fake._may_assign(r, stored, a)][:MAX_ASSIGNEES]
    return Reply(201, fake._issue_json(r, stored))


@route("GET", "/repos/{owner}/{repo}/issues/{number}")
def _get_issue(fake: FakeGitHub, call: Call) -> Reply:
    return Reply(200, fake._issue_json(*fake._call_issue(call)))


@route("PATCH", "/repos/{owner}/{repo}/issues/{number}")
def _edit_issue(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    body = call.body if isinstance(call.body, dict) else {}
    if "title" in body:
        issue.title = _body_text(call, "title", "Issue", required=True) or ""
    if "body" in body:
        issue.body = _body_text(call, "body", "Issue", required=False)
    if "state" in body and body["state"] != issue.state:
        if body["state"] not in ("open", "closed"):
            raise invalid("Issue", "state")
        issue.state = body["state"]
        closing = issue.state == "closed"
        issue.closed_at = fake.clock() if closing else None
        issue.closed_by = call.login if closing else None
        issue.state_reason = body.get("state_reason") or ("completed" if closing else "reopened")
    if "labels" in body:
        issue.labels = fake._label_names(r, body["labels"] or [])
    if "assignees" in body:
        wanted = body["assignees"] or []
        issue.assignees = [a for a in wanted if fake._may_assign(r, issue, a)][:MAX_ASSIGNEES]
    issue.updated_at = fake.clock()
    return Reply(200, fake._issue_json(r, issue))


# issue labels


def _issue_labels_reply(fake: FakeGitHub, r: Repo, issue: Issue, status: int = 200) -> Reply:
    return Reply(status, [fake._label_json(r, r.labels[n.lower()]) for n in issue.labels])


def _names_in_body(call: Call) -> list[Any]:
    """POST/PUT labels take a bare array or ``{"labels": [...]}``, of names or {"name": ...}."""
    body = call.body.get("labels") if isinstance(call.body, dict) else call.body
    if not isinstance(body, list):
        raise invalid("Label", "labels")
    return body


@route("GET", "/repos/{owner}/{repo}/issues/{number}/labels")
def _list_issue_labels(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    return fake._page(call, _issue_labels_reply(fake, r, issue).body)


@route("POST", "/repos/{owner}/{repo}/issues/{number}/labels")
def _add_issue_labels(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    issue.labels = fake._label_names(r, issue.labels + _names_in_body(call))
    issue.updated_at = fake.clock()
    return _issue_labels_reply(fake, r, issue)


@route("PUT", "/repos/{owner}/{repo}/issues/{number}/labels")
def _set_issue_labels(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    issue.labels = fake._label_names(r, _names_in_body(call))
    issue.updated_at = fake.clock()
    return _issue_labels_reply(fake, r, issue)


@route("DELETE", "/repos/{owner}/{repo}/issues/{number}/labels")
def _clear_issue_labels(fake: FakeGitHub, call: Call) -> Reply:
    _, issue = fake._call_issue(call)
    issue.labels = []
    issue.updated_at = fake.clock()
    return Reply(204)


@route("DELETE", "/repos/{owner}/{repo}/issues/{number}/labels/{name}")
def _remove_issue_label(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    kept = [n for n in issue.labels if n.lower() != call.params["name"].lower()]
    if len(kept) == len(issue.labels):
        raise not_found("Label does not exist")  # GitHub's words; not "Not Found"
    issue.labels = kept
    issue.updated_at = fake.clock()
    return _issue_labels_reply(fake, r, issue)


# assignees


def _logins_in_body(call: Call) -> list[str]:
    logins = call.body.get("assignees") if isinstance(call.body, dict) else None
    if not isinstance(logins, list):
        raise invalid("Issue", "assignees")
    return [str(login) for login in logins]


@route("POST", "/repos/{owner}/{repo}/issues/{number}/assignees")
def _add_assignees(fake: FakeGitHub, call: Call) -> Reply:
    """201 whatever happens: logins that may not be assigned are dropped without a word."""
    r, issue = fake._call_issue(call)
    for login in _logins_in_body(call):
        already = login.lower() in {a.lower() for a in issue.assignees}
        room = len(issue.assignees) < MAX_ASSIGNEES
        if room and not already and fake._may_assign(r, issue, login):
            issue.assignees.append(login)
    issue.updated_at = fake.clock()
    return Reply(201, fake._issue_json(r, issue))


@route("DELETE", "/repos/{owner}/{repo}/issues/{number}/assignees")
def _remove_assignees(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    gone = {login.lower() for login in _logins_in_body(call)}
    issue.assignees = [a for a in issue.assignees if a.lower() not in gone]
    issue.updated_at = fake.clock()
    return Reply(200, fake._issue_json(r, issue))


@route("GET", "/repos/{owner}/{repo}/assignees")
def _list_assignees(fake: FakeGitHub, call: Call) -> Reply:
    r = fake._call_repo(call)
    return fake._page(call, [fake._user_json(login) for login in sorted(r.assignable)])


@route("GET", "/repos/{owner}/{repo}/assignees/{login}")
def _check_assignee(fake: FakeGitHub, call: Call) -> Reply:
    r = fake._call_repo(call)
    if call.params["login"].lower() not in {a.lower() for a in r.assignable}:
        raise not_found()
    return Reply(204)


# comments


@route("GET", "/repos/{owner}/{repo}/issues/{number}/comments")
def _list_comments(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    found = [c for c in r.comments.values() if c.issue_number == issue.number]
    if "since" in call.query:
        since = datetime.fromisoformat(call.query["since"].replace("Z", "+00:00"))
        found = [c for c in found if c.updated_at >= since]
    return fake._page(call, [fake._comment_json(r, c) for c in found])


@route("POST", "/repos/{owner}/{repo}/issues/{number}/comments")
def _create_comment(fake: FakeGitHub, call: Call) -> Reply:
    r, issue = fake._call_issue(call)
    body = _body_text(call, "body", "IssueComment", required=True) or ""
    comment = fake._new_comment(r, issue.number, body, call.login)
    return Reply(201, fake._comment_json(r, comment))


@route("GET", "/repos/{owner}/{repo}/issues/comments/{id}")
def _get_comment(fake: FakeGitHub, call: Call) -> Reply:
    return Reply(200, fake._comment_json(*fake._call_comment(call)))


@route("PATCH", "/repos/{owner}/{repo}/issues/comments/{id}")
def _edit_comment(fake: FakeGitHub, call: Call) -> Reply:
    r, comment = fake._call_comment(call)
    comment.body = _body_text(call, "body", "IssueComment", required=True) or ""
    comment.updated_at = fake.clock()
    return Reply(200, fake._comment_json(r, comment))


@route("DELETE", "/repos/{owner}/{repo}/issues/comments/{id}")
def _delete_comment(fake: FakeGitHub, call: Call) -> Reply:
    r, comment = fake._call_comment(call)
    del r.comments[comment.id]
    r.issues[comment.issue_number].comments -= 1
    return Reply(204)


# repository labels


def _label_fields(call: Call, name_key: str, required: bool) -> tuple[str | None, str | None]:
    """(name, color) from a label request, validated as GitHub does."""
    name = _body_text(call, name_key, "Label", required=required)
    color = _body_text(call, "color", "Label", required=False)
    if color is not None:
        color = color.removeprefix("#")
        if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
            raise invalid("Label", "color")
    description = _body_text(call, "description", "Label", required=False)
    if description is not None and len(description) > MAX_LABEL_DESCRIPTION:
        raise invalid("Label", "description")
    return name, color


def _repo_label(fake: FakeGitHub, call: Call) -> tuple[Repo, Label]:
    r = fake._call_repo(call)
    label = r.labels.get(call.params["name"].lower())
    if label is None:
        raise not_found()
    return r, label


@route("GET", "/repos/{owner}/{repo}/labels")
def _list_labels(fake: FakeGitHub, call: Call) -> Reply:
    r = fake._call_repo(call)
    return fake._page(call, [fake._label_json(r, label) for label in r.labels.values()])


@route("POST", "/repos/{owner}/{repo}/labels")
def _create_label(fake: FakeGitHub, call: Call) -> Reply:
    r = fake._call_repo(call)
    name, color = _label_fields(call, "name", required=True)
    assert name is not None
    description = call.body.get("description")
    race = fake._races.pop((r.full_name, name.lower()), None)
    if race is not None:  # someone else got there first
        theirs = Label(name, race[0] or color or AUTO_LABEL_COLOR, race[1] or description)
        theirs.id = next(fake._ids)
        r.labels.setdefault(name.lower(), theirs)
    if name.lower() in r.labels:
        raise label_exists()
    label = Label(name, color or AUTO_LABEL_COLOR, description, next(fake._ids))
    r.labels[name.lower()] = label
    return Reply(201, fake._label_json(r, label))


@route("GET", "/repos/{owner}/{repo}/labels/{name}")
def _get_label(fake: FakeGitHub, call: Call) -> Reply:
    return Reply(200, fake._label_json(*_repo_label(fake, call)))


@route("PATCH", "/repos/{owner}/{repo}/labels/{name}")
def _edit_label(fake: FakeGitHub, call: Call) -> Reply:
    r, label = _repo_label(fake, call)
    new_name, color = _label_fields(call, "new_name", required=False)
    if new_name is not None and new_name.lower() != label.name.lower():
        if new_name.lower() in r.labels:
            raise label_exists()
        r.labels = {
            (new_name.lower() if key == label.name.lower() else key): value
            for key, value in r.labels.items()
        }
    if new_name is not None:
        for issue in r.issues.values():
            issue.labels = [new_name if n == label.name else n for n in issue.labels]
        label.name = new_name
    if color is not None:
        label.color = color
    if isinstance(call.body, dict) and "description" in call.body:
        label.description = call.body["description"]
    return Reply(200, fake._label_json(r, label))


@route("DELETE", "/repos/{owner}/{repo}/labels/{name}")
def _delete_label(fake: FakeGitHub, call: Call) -> Reply:
    r, label = _repo_label(fake, call)
    del r.labels[label.name.lower()]
    for issue in r.issues.values():
        issue.labels = [n for n in issue.labels if n != label.name]
    return Reply(204)


# -------------------------------------------------------------------------------------- fixture


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A started FakeGitHub (enable with ``pytest_plugins = ["github_fake"]`` in conftest)."""
    with FakeGitHub() as fake:
        yield fake
    assert fake.errors == [], "the fake itself failed; see fake.errors"
