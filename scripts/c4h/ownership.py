"""Who may change what in a pull request: the rules behind ``c4h check-pr``.

Pure functions. The caller (the CLI, reading git) hands over the changed files, the bytes of each
changed listing on the base branch and on the pull request's head, the author's login and the
directory maintainers; ``check`` returns one decision per changed path, and every refusal says
who may approve instead.

The rules:

- A listing that exists on the base branch may be changed, deleted or renamed only by one of its
  ``maintainers`` *as they stand on the base branch* (a pull request cannot add its author and
  then rely on that), or by a directory maintainer.
- Only directory maintainers may touch ``verified`` (add, change or remove it), curated listings
  (``listed_by: curator`` on the base branch) and the project's own code and settings
  (``PROTECTED_DIRS``, ``PROTECTED_FILES``). Nobody else may turn a listing into a curated one.
  A listing's maintainers may still delete it, verified or not: leaving is their right.
- A new listing must name its author among its ``maintainers``.
- A listing that cannot be read (not valid YAML...) leaves the rules unanswerable, so only a
  directory maintainer may approve it.
- Everything else (docs, README) is open to anyone; normal review applies.

A refused check is not the end of a pull request: a directory maintainer reviews it and merges,
or one of the people named opens it instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from c4h import paths
from c4h.listing import parse_bytes

LISTINGS = "providers/"
LISTING_SUFFIXES = (".yml", ".yaml")  # .yaml is misnamed, but still a listing (validate says so)
# Project code and settings: changing them changes what every listing is checked against.
# Also what runs on the site (overrides/, docs/assets/) and in CI (tests/).
PROTECTED_DIRS = ("schema/", "scripts/", ".github/", ".ci/", "tests/", "overrides/", "docs/assets/")
PROTECTED_FILES = ("Makefile", "pyproject.toml", "requirements.lock", "mkdocs.yml")
CODEOWNERS = paths.CODEOWNERS.relative_to(paths.ROOT).as_posix()  # read from the base branch
SHOWN_LOGINS = 8  # longer lists of people are cut to this many names in messages

_MISSING = object()


@dataclass(frozen=True)
class Change:
    """One line of ``git diff --name-status -M``: a status letter and its path(s).

    ``status`` is A (added), M (modified), T (type changed), D (deleted), R (renamed) or C
    (copied); ``path`` is the path on the head (the deleted path for D); ``old_path`` is where a
    renamed or copied file came from.
    """

    status: str
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class Decision:
    """Whether the author may make one change, and why (or who may instead)."""

    path: str
    allowed: bool
    message: str


@dataclass(frozen=True)
class DirectoryMaintainers:
    """The logins read from CODEOWNERS, and notes about entries that were not usable."""

    logins: tuple[str, ...]
    notes: tuple[str, ...] = ()


def parse_codeowners(text: str, source: str = CODEOWNERS) -> DirectoryMaintainers:
    """Every ``@login`` owner on any rule line; teams and e-mail owners are skipped with a note.

    Teams (``@org/team``) would need the GitHub API to resolve, and this check runs offline.
    """
    logins: list[str] = []
    notes: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        for owner in fields[1:]:
            if owner.startswith("#"):
                break  # a trailing comment
            if owner.startswith("@") and "/" not in owner and len(owner) > 1:
                if owner[1:].casefold() not in (known.casefold() for known in logins):
                    logins.append(owner[1:])
            elif owner.startswith("@"):
                notes.append(
                    f"{source}:{number}: team {owner} ignored: teams cannot be resolved offline;"
                    " list the directory maintainers by login"
                )
            else:
                notes.append(
                    f"{source}:{number}: owner {owner} ignored: only @logins count as directory"
                    " maintainers"
                )
    return DirectoryMaintainers(tuple(logins), tuple(notes))


def is_listing(path: str) -> bool:
    """A file directly in providers/ with a YAML suffix."""
    name = path.removeprefix(LISTINGS)
    return path.startswith(LISTINGS) and "/" not in name and name.endswith(LISTING_SUFFIXES)


def is_protected(path: str) -> bool:
    return path.startswith(PROTECTED_DIRS) or path in PROTECTED_FILES


def check(
    changes: Iterable[Change],
    base: Mapping[str, bytes | None],
    head: Mapping[str, bytes | None],
    author: str,
    directory_maintainers: Sequence[str],
) -> list[Decision]:
    """One decision per changed path (several when a path breaks several rules).

    ``base`` holds the content of paths on the base branch's tip and ``head`` on the pull
    request's head; a missing key or ``None`` means the file is not there. Only listings need
    their content.
    """
    rules = _Rules(author, tuple(directory_maintainers), base, head)
    decisions: list[Decision] = []
    for change in changes:
        decisions.extend(rules.decide(change))
    return decisions


def problems(decisions: Iterable[Decision]) -> list[Decision]:
    return [d for d in decisions if not d.allowed]


# --- the rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Listing:
    """A listing's content, or why it could not be read."""

    data: dict[str, Any] | None
    reason: str = ""

    @property
    def maintainers(self) -> list[str]:
        value = (self.data or {}).get("maintainers")
        return [m for m in value if isinstance(m, str)] if isinstance(value, list) else []

    @property
    def curated(self) -> bool:
        return (self.data or {}).get("listed_by") == "curator"

    @property
    def verified(self) -> object:
        return (self.data or {}).get("verified", _MISSING)


def _read(raw: bytes, name: str) -> _Listing:
    doc = parse_bytes(raw, name)
    if doc.problems:
        first = doc.problems[0]
        return _Listing(None, f"line {first.line}: {first.message}")
    if not isinstance(doc.data, dict):
        return _Listing(None, "the file must be a mapping of fields")
    return _Listing(doc.data)


def _people(logins: Sequence[str]) -> str:
    shown = ", ".join(f"@{login}" for login in logins[:SHOWN_LOGINS])
    more = len(logins) - SHOWN_LOGINS
    return f"{shown} and {more} more" if more > 0 else shown


class _Rules:
    def __init__(
        self,
        author: str,
        maintainers: tuple[str, ...],
        base: Mapping[str, bytes | None],
        head: Mapping[str, bytes | None],
    ) -> None:
        self.author = author
        self.directory = maintainers
        self.base = base
        self.head = head
        self.is_directory_maintainer = _member(author, maintainers)

    @property
    def who(self) -> str:
        """The directory maintainers, for messages."""
        if not self.directory:
            return f"a directory maintainer (none are listed in {CODEOWNERS})"
        return f"a directory maintainer ({_people(self.directory)})"

    def decide(self, change: Change) -> list[Decision]:
        if self.is_directory_maintainer:
            return [Decision(change.path, True, f"@{self.author} is a directory maintainer")]
        found = list(self._problems(change))
        if found:
            return found
        return [Decision(change.path, True, self._why_allowed(change))]

    def _why_allowed(self, change: Change) -> str:
        paths = [p for p in (change.old_path, change.path) if p]
        if not any(is_listing(p) for p in paths):
            return "not a listing or project file; normal review applies"
        if any(is_listing(p) and self.base.get(p) is not None for p in paths):
            return f"@{self.author} maintains this listing"
        if change.status == "D":
            return "not on the base branch any more; nothing to check"
        return f"new listing naming @{self.author} among its maintainers"

    def _problems(self, change: Change) -> Iterator[Decision]:
        status, path = change.status[:1], change.path
        if not status or status not in "AMTDRC":
            yield _refuse(
                path,
                f"unexpected kind of change ({change.status!r}); only {self.who} may approve it",
            )
            return
        # A rename takes the file away from its old path; a copy leaves the original alone.
        touched = [change.old_path, path] if status == "R" and change.old_path else [path]
        for p in touched:
            if is_protected(p):
                yield _refuse(
                    p,
                    f"project code and settings; only {self.who} may change this file; ask one"
                    " of them to approve or open the PR",
                )
            elif p.startswith(LISTINGS) and not is_listing(p):
                yield _refuse(
                    p,
                    "providers/ holds only listings (providers/<id>.yml); only"
                    f" {self.who} may add or change other files there",
                )
        if status == "R" and change.old_path and is_listing(change.old_path):
            yield from self._existing(change.old_path, "rename", self.base.get(change.old_path))
        if status in "RC" and change.old_path and not is_listing(path):
            return
        if is_listing(path):
            yield from self._listing(change, status)

    def _listing(self, change: Change, status: str) -> Iterator[Decision]:
        path = change.path
        on_base = self.base.get(path)
        if status == "D":
            yield from self._existing(path, "delete", on_base)
            return
        after = self.head.get(path)
        if after is None:
            yield _refuse(
                path, f"the pull request's version cannot be read; only {self.who} may approve it"
            )
            return
        new = _read(after, path)
        if on_base is not None:
            before = _read(on_base, path)
            yield from self._existing(path, "change", on_base, before)
        elif (
            status == "R"
            and change.old_path
            and is_listing(change.old_path)
            and (old := self.base.get(change.old_path)) is not None
        ):
            before = _read(old, change.old_path)  # its ownership was checked on the old path
        else:
            yield from self._new(path, new)
            return
        if new.data is None:
            yield _refuse(
                path,
                f"cannot read the pull request's version ({new.reason}); fix it (run `c4h"
                f" validate`); until then only {self.who} may approve it",
            )
            return
        if before.data is None:
            return  # already refused as unreadable on the base branch
        if new.verified != before.verified:
            yield _refuse(
                path,
                f"only {self.who} may add, change or remove `verified`; leave it as it is on the"
                " base branch",
            )
        if new.curated and not before.curated:
            yield _refuse(
                path,
                f"`listed_by` may not change to curator: only {self.who} marks a listing as"
                " curated",
            )

    def _existing(
        self, path: str, verb: str, raw: bytes | None, listing: _Listing | None = None
    ) -> Iterator[Decision]:
        """Ownership of a listing that is on the base branch."""
        if raw is None:
            return  # not on the base branch: nobody's listing yet
        listing = listing or _read(raw, path)
        if listing.data is None:
            yield _refuse(
                path,
                f"cannot read this listing on the base branch ({listing.reason}), so its"
                f" maintainers are unknown; only {self.who} may {verb} it",
            )
        elif listing.curated:
            yield _refuse(
                path,
                f"a curated listing (listed_by: curator); only {self.who} may {verb} it; ask one"
                " of them to approve, or propose the change in an issue",
            )
        elif not _member(self.author, listing.maintainers):
            owners = listing.maintainers
            if owners:
                yield _refuse(
                    path,
                    f"only its maintainers ({_people(owners)}) or {self.who} may {verb} this"
                    " listing; ask one of them to approve or open the PR",
                )
            else:
                yield _refuse(
                    path,
                    f"this listing names no maintainers on the base branch; only {self.who}"
                    f" may {verb} it",
                )

    def _new(self, path: str, listing: _Listing) -> Iterator[Decision]:
        if listing.data is None:
            yield _refuse(
                path,
                f"cannot read this new listing ({listing.reason}); fix it (run `c4h validate`);"
                f" until then only {self.who} may approve it",
            )
            return
        if not _member(self.author, listing.maintainers):
            yield _refuse(
                path,
                f"a new listing must name its author (@{self.author}) among its `maintainers`;"
                f" add your GitHub login, or ask {self.who} to open the PR",
            )
        if listing.verified is not _MISSING:
            yield _refuse(
                path, f"remove `verified`: only {self.who} sets it, after checking the listing"
            )
        if listing.curated:
            yield _refuse(
                path,
                f"a listing you submit says `listed_by: provider`; curated listings are added by"
                f" {self.who}",
            )


def _refuse(path: str, message: str) -> Decision:
    return Decision(path, False, message)


def _member(login: str, logins: Iterable[str]) -> bool:
    wanted = login.casefold()
    return any(wanted == other.casefold() for other in logins)
