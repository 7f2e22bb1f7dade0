"""Ownership rules of pull requests: the pure core as a table, then `c4h check-pr` on real git.

The core is fed the changed files and the bytes of each listing on the base branch and the head;
the end-to-end tests build a repository in a temporary folder, commit a base branch and a pull
request's branch, and run the command as CI does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from c4h import cli
from c4h.ownership import (
    Change,
    Decision,
    DirectoryMaintainers,
    check,
    parse_codeowners,
    problems,
)

DIRECTORY = ("dana", "Erin")
WHO = "a directory maintainer (@dana, @Erin)"


def listing(
    maintainers: tuple[str, ...] = ("alice", "bob"),
    listed_by: str = "provider",
    verified: str | None = None,
    description: str = "Free help.",
) -> bytes:
    """A listing as far as ownership cares (the schema is checked elsewhere)."""
    lines = [
        "name: Acme Health Security",
        f"listed_by: {listed_by}",
        f"description: {description}",
    ]
    if maintainers:
        lines.append(f"maintainers: [{', '.join(maintainers)}]")
    if verified:
        lines.append(f"verified: {{by: dana, on: {verified}}}")
    return ("\n".join(lines) + "\n").encode()


ACME = "providers/acme.yml"
NEW = "providers/newco.yml"
CISA = "providers/cisa.yml"
CURATED = listing(maintainers=(), listed_by="curator")
EDITED = listing(description="Free help, now in French too.")
BROKEN = b"name: Acme\nmaintainers: [alice, bob]\n---\nname: Other\n"
BROKEN_REASON = "line 3: not valid YAML: more than one document (---); keep one listing per file"

NOT_YOURS = (
    "only its maintainers (@alice, @bob) or a directory maintainer (@dana, @Erin) may {verb}"
    " this listing; ask one of them to approve or open the PR"
)
PROJECT = (
    f"project code and settings; only {WHO} may change this file; ask one of them to approve or"
    " open the PR"
)
CURATED_ONLY = (
    "a curated listing (listed_by: curator); only {who} may {verb} it; ask one of them to"
    " approve, or propose the change in an issue"
)
VERIFIED = f"only {WHO} may add, change or remove `verified`; leave it as it is on the base branch"
MINE = "@{author} maintains this listing"
OPEN = "not a listing or project file; normal review applies"


@dataclass
class Case:
    changes: list[Change]
    author: str
    expected: list[tuple[str, bool, str]]
    base: dict[str, bytes | None] = field(default_factory=dict)
    head: dict[str, bytes | None] = field(default_factory=dict)


CASES = {
    # --- changing an existing listing -----------------------------------------------------------
    "maintainer edits own listing": Case(
        [Change("M", ACME)],
        "alice",
        [(ACME, True, MINE.format(author="alice"))],
        base={ACME: listing()},
        head={ACME: EDITED},
    ),
    "login compare ignores case": Case(
        [Change("M", ACME)],
        "ALICE",
        [(ACME, True, MINE.format(author="ALICE"))],
        base={ACME: listing()},
        head={ACME: EDITED},
    ),
    "stranger edits a listing": Case(
        [Change("M", ACME)],
        "mallory",
        [(ACME, False, NOT_YOURS.format(verb="change"))],
        base={ACME: listing()},
        head={ACME: EDITED},
    ),
    "stranger adds themself: the base branch decides": Case(
        [Change("M", ACME)],
        "mallory",
        [(ACME, False, NOT_YOURS.format(verb="change"))],
        base={ACME: listing()},
        head={ACME: listing(("alice", "bob", "mallory"))},
    ),
    "maintainer removed on the base branch can no longer edit": Case(
        [Change("M", ACME)],
        "alice",
        [
            (
                ACME,
                False,
                f"only its maintainers (@bob) or {WHO} may change this listing; ask one"
                " of them to approve or open the PR",
            )
        ],
        base={ACME: listing(("bob",))},
        head={ACME: listing(("alice", "bob"))},
    ),
    "maintainer removes themself": Case(
        [Change("M", ACME)],
        "alice",
        [(ACME, True, MINE.format(author="alice"))],
        base={ACME: listing()},
        head={ACME: listing(("bob",))},
    ),
    "listing without maintainers on the base branch": Case(
        [Change("M", ACME)],
        "alice",
        [
            (
                ACME,
                False,
                f"this listing names no maintainers on the base branch; only {WHO} may change it",
            )
        ],
        base={ACME: listing(())},
        head={ACME: listing(("alice",))},
    ),
    "directory maintainer edits any listing": Case(
        [Change("M", ACME)],
        "dana",
        [(ACME, True, "@dana is a directory maintainer")],
        base={ACME: listing()},
        head={ACME: EDITED},
    ),
    "directory maintainer login compare ignores case": Case(
        [Change("M", ACME)],
        "erin",
        [(ACME, True, "@erin is a directory maintainer")],
        base={ACME: listing()},
        head={ACME: EDITED},
    ),
    "file added on the base branch meanwhile counts as existing": Case(
        [Change("A", ACME)],
        "mallory",
        [(ACME, False, NOT_YOURS.format(verb="change"))],
        base={ACME: listing()},
        head={ACME: listing(("mallory",))},
    ),
    # --- verified -------------------------------------------------------------------------------
    "provider adds verified": Case(
        [Change("M", ACME)],
        "alice",
        [(ACME, False, VERIFIED)],
        base={ACME: listing()},
        head={ACME: listing(verified="2026-01-05")},
    ),
    "provider changes verified": Case(
        [Change("M", ACME)],
        "alice",
        [(ACME, False, VERIFIED)],
        base={ACME: listing(verified="2026-01-05")},
        head={ACME: listing(verified="2026-02-05")},
    ),
    "provider removes verified": Case(
        [Change("M", ACME)],
        "alice",
        [(ACME, False, VERIFIED)],
        base={ACME: listing(verified="2026-01-05")},
        head={ACME: listing()},
    ),
    "provider edits a verified listing, leaving verified alone": Case(
        [Change("M", ACME)],
        "alice",
        [(ACME, True, MINE.format(author="alice"))],
        base={ACME: listing(verified="2026-01-05")},
        head={ACME: listing(verified="2026-01-05", description="New text.")},
    ),
    "directory maintainer sets verified": Case(
        [Change("M", ACME)],
        "dana",
        [(ACME, True, "@dana is a directory maintainer")],
        base={ACME: listing()},
        head={ACME: listing(verified="2026-01-05")},
    ),
    "stranger sets verified: both rules reported": Case(
        [Change("M", ACME)],
        "mallory",
        [(ACME, False, NOT_YOURS.format(verb="change")), (ACME, False, VERIFIED)],
        base={ACME: listing()},
        head={ACME: listing(verified="2026-01-05")},
    ),
    # --- curated listings and listed_by ---------------------------------------------------------
    "anyone edits a curated listing": Case(
        [Change("M", CISA)],
        "alice",
        [(CISA, False, CURATED_ONLY.format(who=WHO, verb="change"))],
        base={CISA: CURATED},
        head={CISA: listing(("alice",), listed_by="curator")},
    ),
    "provider claims a curated listing": Case(
        [Change("M", CISA)],
        "alice",
        [(CISA, False, CURATED_ONLY.format(who=WHO, verb="change"))],
        base={CISA: CURATED},
        head={CISA: listing(("alice",))},
    ),
    "directory maintainer edits a curated listing": Case(
        [Change("M", CISA)],
        "dana",
        [(CISA, True, "@dana is a directory maintainer")],
        base={CISA: CURATED},
        head={CISA: CURATED + b"# reviewed\n"},
    ),
    "provider turns own listing into a curated one": Case(
        [Change("M", ACME)],
        "alice",
        [
            (
                ACME,
                False,
                f"`listed_by` may not change to curator: only {WHO} marks a listing as curated",
            )
        ],
        base={ACME: listing()},
        head={ACME: listing(listed_by="curator")},
    ),
    # --- new listings ---------------------------------------------------------------------------
    "new listing naming its author": Case(
        [Change("A", NEW)],
        "carol",
        [(NEW, True, "new listing naming @carol among its maintainers")],
        head={NEW: listing(("Carol", "dave"))},
    ),
    "new listing not naming its author": Case(
        [Change("A", NEW)],
        "carol",
        [
            (
                NEW,
                False,
                "a new listing must name its author (@carol) among its `maintainers`; add"
                f" your GitHub login, or ask {WHO} to open the PR",
            )
        ],
        head={NEW: listing(("dave",))},
    ),
    "new listing setting verified and curator": Case(
        [Change("A", NEW)],
        "carol",
        [
            (NEW, False, f"remove `verified`: only {WHO} sets it, after checking the listing"),
            (
                NEW,
                False,
                "a listing you submit says `listed_by: provider`; curated listings are"
                f" added by {WHO}",
            ),
        ],
        head={NEW: listing(("carol",), listed_by="curator", verified="2026-01-05")},
    ),
    "directory maintainer adds a curated listing": Case(
        [Change("A", NEW)],
        "dana",
        [(NEW, True, "@dana is a directory maintainer")],
        head={NEW: CURATED},
    ),
    "misnamed .yaml listing is still a listing": Case(
        [Change("A", "providers/newco.yaml")],
        "carol",
        [
            (
                "providers/newco.yaml",
                False,
                "a new listing must name its author (@carol) among its"
                f" `maintainers`; add your GitHub login, or ask {WHO} to open the PR",
            )
        ],
        head={"providers/newco.yaml": listing(("dave",))},
    ),
    # --- deletion and rename --------------------------------------------------------------------
    "maintainer deletes own listing": Case(
        [Change("D", ACME)],
        "bob",
        [(ACME, True, MINE.format(author="bob"))],
        base={ACME: listing(verified="2026-01-05")},
    ),
    "stranger deletes a listing": Case(
        [Change("D", ACME)],
        "mallory",
        [(ACME, False, NOT_YOURS.format(verb="delete"))],
        base={ACME: listing()},
    ),
    "stranger deletes a curated listing": Case(
        [Change("D", CISA)],
        "mallory",
        [(CISA, False, CURATED_ONLY.format(who=WHO, verb="delete"))],
        base={CISA: CURATED},
    ),
    "deleting what the base branch no longer has": Case(
        [Change("D", ACME)],
        "mallory",
        [(ACME, True, "not on the base branch any more; nothing to check")],
    ),
    "maintainer renames own listing": Case(
        [Change("R", "providers/acme-health.yml", ACME)],
        "alice",
        [("providers/acme-health.yml", True, MINE.format(author="alice"))],
        base={ACME: listing()},
        head={"providers/acme-health.yml": listing()},
    ),
    "stranger renames a listing": Case(
        [Change("R", "providers/acme-health.yml", ACME)],
        "mallory",
        [(ACME, False, NOT_YOURS.format(verb="rename"))],
        base={ACME: listing()},
        head={"providers/acme-health.yml": listing(("mallory",))},
    ),
    "rename that drops verified": Case(
        [Change("R", "providers/acme-health.yml", ACME)],
        "alice",
        [("providers/acme-health.yml", False, VERIFIED)],
        base={ACME: listing(verified="2026-01-05")},
        head={"providers/acme-health.yml": listing()},
    ),
    "rename over someone else's listing": Case(
        [Change("R", NEW, ACME)],
        "alice",
        [
            (
                NEW,
                False,
                f"only its maintainers (@dave) or {WHO} may change this listing; ask one of"
                " them to approve or open the PR",
            )
        ],
        base={ACME: listing(), NEW: listing(("dave",))},
        head={NEW: listing()},
    ),
    "rename of a listing out of providers/": Case(
        [Change("R", "docs/acme.yml", ACME)],
        "mallory",
        [(ACME, False, NOT_YOURS.format(verb="rename"))],
        base={ACME: listing()},
    ),
    "copy of a listing is a new listing": Case(
        [Change("C", NEW, ACME)],
        "carol",
        [
            (
                NEW,
                False,
                "a new listing must name its author (@carol) among its `maintainers`; add"
                f" your GitHub login, or ask {WHO} to open the PR",
            )
        ],
        base={ACME: listing()},
        head={NEW: listing()},
    ),
    # --- unreadable listings --------------------------------------------------------------------
    "invalid YAML on the head": Case(
        [Change("M", ACME)],
        "alice",
        [
            (
                ACME,
                False,
                f"cannot read the pull request's version ({BROKEN_REASON}); fix it (run `c4h"
                f" validate`); until then only {WHO} may approve it",
            )
        ],
        base={ACME: listing()},
        head={ACME: BROKEN},
    ),
    "invalid YAML in a new listing": Case(
        [Change("A", NEW)],
        "carol",
        [
            (
                NEW,
                False,
                f"cannot read this new listing ({BROKEN_REASON}); fix it (run `c4h validate`);"
                f" until then only {WHO} may approve it",
            )
        ],
        head={NEW: BROKEN},
    ),
    "invalid YAML on the base branch": Case(
        [Change("M", ACME)],
        "alice",
        [
            (
                ACME,
                False,
                f"cannot read this listing on the base branch ({BROKEN_REASON}), so its"
                f" maintainers are unknown; only {WHO} may change it",
            )
        ],
        base={ACME: BROKEN},
        head={ACME: listing()},
    ),
    "duplicate key makes a listing unreadable": Case(
        [Change("A", NEW)],
        "carol",
        [
            (
                NEW,
                False,
                "cannot read this new listing (line 2: duplicate key (first at line 1);"
                " YAML would silently keep only the last one: remove or merge one of them); fix it"
                f" (run `c4h validate`); until then only {WHO} may approve it",
            )
        ],
        head={NEW: b"maintainers: [dave]\nmaintainers: [carol]\n"},
    ),
    "head version missing from the input": Case(
        [Change("M", ACME)],
        "alice",
        [(ACME, False, f"the pull request's version cannot be read; only {WHO} may approve it")],
        base={ACME: listing()},
    ),
    # --- project files --------------------------------------------------------------------------
    **{
        f"provider edits {path}": Case([Change("M", path)], "alice", [(path, False, PROJECT)])
        for path in (
            "schema/taxonomy.yml",
            "scripts/c4h/ownership.py",
            ".github/workflows/validate.yml",
            ".github/CODEOWNERS",
            ".github/ISSUE_TEMPLATE/request-help.yml",
            ".github/c4h.yml",
            "Makefile",
            "pyproject.toml",
            "requirements.lock",
            "mkdocs.yml",
            ".ci/run",
        )
    },
    "directory maintainer edits a workflow": Case(
        [Change("M", ".github/workflows/validate.yml")],
        "dana",
        [(".github/workflows/validate.yml", True, "@dana is a directory maintainer")],
    ),
    "renaming a script into docs/ still touches scripts/": Case(
        [Change("R", "docs/run.py", "scripts/run.py")],
        "alice",
        [("scripts/run.py", False, PROJECT)],
    ),
    "copying a script into docs/ leaves scripts/ alone": Case(
        [Change("C", "docs/run.py", "scripts/run.py")],
        "alice",
        [("docs/run.py", True, OPEN)],
    ),
    "other files in providers/": Case(
        [Change("A", "providers/notes/readme.md")],
        "alice",
        [
            (
                "providers/notes/readme.md",
                False,
                "providers/ holds only listings"
                f" (providers/<id>.yml); only {WHO} may add or change other files there",
            )
        ],
    ),
    "docs and README are open to anyone": Case(
        [Change("M", "docs/guide/index.md"), Change("M", "README.md")],
        "mallory",
        [("docs/guide/index.md", True, OPEN), ("README.md", True, OPEN)],
    ),
    "an unexpected status": Case(
        [Change("U", ACME)],
        "alice",
        [(ACME, False, f"unexpected kind of change ('U'); only {WHO} may approve it")],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rules(case: Case) -> None:
    decisions = check(case.changes, case.base, case.head, case.author, DIRECTORY)
    assert [(d.path, d.allowed, d.message) for d in decisions] == case.expected


def test_no_directory_maintainers_named() -> None:
    decisions = check([Change("M", "Makefile")], {}, {}, "alice", ())
    assert problems(decisions) == [
        Decision(
            "Makefile",
            False,
            "project code and settings; only a directory maintainer (none are listed in"
            " .github/CODEOWNERS) may change this file; ask one of them to approve or open the PR",
        )
    ]


def test_long_lists_of_people_are_cut() -> None:
    owners = tuple(f"p{i}" for i in range(12))
    decisions = check(
        [Change("M", ACME)], {ACME: listing(owners)}, {ACME: EDITED}, "mallory", DIRECTORY
    )
    assert "(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7 and 4 more)" in decisions[0].message


# --- CODEOWNERS ------------------------------------------------------------------------------

CODEOWNERS_CASES = {
    "logins from every rule line, once each": (
        "# comment\n\n*  @dana @erin\n/docs/ @Dana @frank  # trailing comment @zed\n",
        DirectoryMaintainers(("dana", "erin", "frank")),
    ),
    "team and e-mail owners are ignored with a note": (
        "* @dana @cyber4health/maintainers ops@example.org\n",
        DirectoryMaintainers(
            ("dana",),
            (
                ".github/CODEOWNERS:1: team @cyber4health/maintainers ignored: teams cannot be"
                " resolved offline; list the directory maintainers by login",
                ".github/CODEOWNERS:1: owner ops@example.org ignored: only @logins count as"
                " directory maintainers",
            ),
        ),
    ),
    "a path without owners adds nobody": ("/providers/\n", DirectoryMaintainers(())),
    "empty file": ("", DirectoryMaintainers(())),
}


@pytest.mark.parametrize(
    ("text", "expected"), CODEOWNERS_CASES.values(), ids=CODEOWNERS_CASES.keys()
)
def test_parse_codeowners(text: str, expected: DirectoryMaintainers) -> None:
    assert parse_codeowners(text) == expected


def test_project_codeowners_names_placeholder_and_frees_providers() -> None:
    text = (Path(__file__).parents[1] / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert parse_codeowners(text) == DirectoryMaintainers(("c4h-maintainer",))
    rules = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == [["*", "@c4h-maintainer"], ["/providers/"]]


# --- c4h check-pr on a real repository -------------------------------------------------------


class Git:
    """A repository in a temporary folder, driven with plain git commands."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        self("init", "--quiet", "--initial-branch=main")

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, path: str, content: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        target.write_bytes(content)

    def commit(self, message: str) -> None:
        self("add", "--all")
        self("commit", "--quiet", "--no-verify", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Git]:
    """main: CODEOWNERS naming @dana, Acme's listing (alice, bob), a curated listing, code."""
    for name, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    git = Git(tmp_path / "repo")
    git.write(".github/CODEOWNERS", "* @dana\n/providers/\n")
    git.write(ACME, listing())
    git.write(CISA, CURATED)
    git.write("scripts/tool.py", "print('hi')\n")
    git.write("docs/index.md", "# Welcome\n")
    git.commit("base")
    git("switch", "--quiet", "-c", "pr")
    yield git


def run(git: Git, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["check-pr", "--repo", str(git.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_maintainer_edits_own_listing(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(ACME, EDITED)
    repo.commit("edit")
    assert run(repo, "--base", "main", "--author", "alice", capsys=capsys) == (
        0,
        "providers/acme.yml: ok: @alice maintains this listing\n"
        "@alice may make these changes (1 changed file)\n",
        "",
    )


def test_cli_stranger_is_refused(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(ACME, listing(("alice", "bob", "mallory")))
    repo.write("docs/index.md", "# Hello\n")
    repo.commit("take over")
    code, out, _ = run(repo, "--base", "main", "--author", "@mallory", capsys=capsys)
    assert code == 1
    assert out == (
        "docs/index.md: ok: not a listing or project file; normal review applies\n"
        "providers/acme.yml: error: only its maintainers (@alice, @bob) or a directory maintainer"
        " (@dana) may change this listing; ask one of them to approve or open the PR\n"
        "1 problem in 2 changed files: @mallory may not make these changes alone\n"
    )


def test_cli_uses_codeowners_from_the_base(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    """The pull request names its author a directory maintainer: that changes nothing."""
    repo.write(".github/CODEOWNERS", "* @dana @mallory\n")
    repo.write(ACME, listing(verified="2026-01-05"))
    repo.commit("promote myself")
    code, out, _ = run(repo, "--base", "main", "--author", "mallory", capsys=capsys)
    assert code == 1
    assert out.splitlines() == [
        ".github/CODEOWNERS: error: project code and settings; only a directory maintainer"
        " (@dana) may change this file; ask one of them to approve or open the PR",
        "providers/acme.yml: error: only its maintainers (@alice, @bob) or a directory"
        " maintainer (@dana) may change this listing; ask one of them to approve or open the PR",
        "providers/acme.yml: error: only a directory maintainer (@dana) may add, change or remove"
        " `verified`; leave it as it is on the base branch",
        "3 problems in 2 changed files: @mallory may not make these changes alone",
    ]


def test_cli_reads_commits_not_the_working_tree(
    repo: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(ACME, EDITED)
    repo.commit("edit")
    repo.write(ACME, listing(verified="2026-01-05"))  # not committed
    repo.write("scripts/tool.py", "print('changed')\n")  # not committed
    code, out, _ = run(repo, "--base", "main", "--author", "alice", capsys=capsys)
    assert (code, out.splitlines()[-1]) == (0, "@alice may make these changes (1 changed file)")


def test_cli_judges_by_the_base_tip_and_diffs_from_the_merge_base(
    repo: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    """main moves on after the branch: alice is removed, scripts change. Only alice's edit
    counts as the PR's, and the maintainers are those of main's tip."""
    repo.write(ACME, EDITED)
    repo.commit("edit")
    repo("switch", "--quiet", "main")
    repo.write(ACME, listing(("bob",)))
    repo.write("scripts/tool.py", "print('new')\n")
    repo.commit("alice left")
    repo("switch", "--quiet", "pr")
    code, out, _ = run(repo, "--base", "main", "--author", "alice", capsys=capsys)
    assert code == 1
    assert out.splitlines() == [
        "providers/acme.yml: error: only its maintainers (@bob) or a directory maintainer"
        " (@dana) may change this listing; ask one of them to approve or open the PR",
        "1 problem in 1 changed file: @alice may not make these changes alone",
    ]


def test_cli_rename_and_explicit_head(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    repo("mv", ACME, "providers/acme-health.yml")
    repo.commit("rename")
    head = repo("rev-parse", "HEAD").strip()
    repo("switch", "--quiet", "main")  # HEAD is now main: --head must be followed
    code, out, _ = run(repo, "--base", "main", "--head", head, "--author", "bob", capsys=capsys)
    assert (code, out) == (
        0,
        "providers/acme-health.yml: ok: @bob maintains this listing\n"
        "@bob may make these changes (1 changed file)\n",
    )
    code, out, _ = run(repo, "--base", "main", "--head", head, "--author", "eve", capsys=capsys)
    assert code == 1
    assert out.startswith("providers/acme.yml: error: only its maintainers (@alice, @bob)")


def test_cli_new_listing_and_deletion(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    # different enough from the curated listing that git does not see a rename
    repo.write(NEW, b"name: Newco\nlisted_by: provider\nmaintainers: [carol]\nlanguages: [fr]\n")
    repo("rm", "--quiet", CISA)
    repo.commit("add mine, remove theirs")
    code, out, _ = run(repo, "--base", "main", "--author", "carol", capsys=capsys)
    assert code == 1
    assert out.splitlines() == [
        "providers/cisa.yml: error: a curated listing (listed_by: curator); only a directory"
        " maintainer (@dana) may delete it; ask one of them to approve, or propose the change in"
        " an issue",
        "providers/newco.yml: ok: new listing naming @carol among its maintainers",
        "1 problem in 2 changed files: @carol may not make these changes alone",
    ]


def test_cli_annotations_on_github(
    repo: Git, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    repo.write("scripts/tool.py", "print('mine now')\n")
    repo.commit("edit code")
    code, out, _ = run(repo, "--base", "main", "--author", "alice", capsys=capsys)
    assert code == 1
    assert (
        "::error file=scripts/tool.py,line=1,col=1,title=ownership::project code and settings;"
        " only a directory maintainer (@dana) may change this file; ask one of them to approve or"
        " open the PR"
    ) in out.splitlines()


def test_cli_codeowners_missing_on_base(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    repo("switch", "--quiet", "main")
    repo("rm", "--quiet", ".github/CODEOWNERS")
    repo.commit("no owners")
    repo("switch", "--quiet", "pr")
    repo.write("Makefile", "all:\n")
    repo.commit("make")
    code, out, _ = run(repo, "--base", "main", "--author", "alice", capsys=capsys)
    assert code == 1
    assert out.splitlines()[:2] == [
        "note: .github/CODEOWNERS is missing on main: no directory maintainers",
        "Makefile: error: project code and settings; only a directory maintainer (none are"
        " listed in .github/CODEOWNERS) may change this file; ask one of them to approve or open"
        " the PR",
    ]


def test_cli_team_entry_in_codeowners(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    repo("switch", "--quiet", "main")
    repo.write(".github/CODEOWNERS", "* @dana @acme/maintainers\n")
    repo.commit("team")
    repo("switch", "--quiet", "pr")
    repo.write(ACME, EDITED)
    repo.commit("edit")
    code, out, _ = run(repo, "--base", "main", "--author", "dana", capsys=capsys)
    assert (code, out.splitlines()) == (
        0,
        [
            "note: .github/CODEOWNERS:1: team @acme/maintainers ignored: teams cannot be resolved"
            " offline; list the directory maintainers by login",
            "providers/acme.yml: ok: @dana is a directory maintainer",
            "@dana may make these changes (1 changed file)",
        ],
    )


USAGE_CASES = {
    "unknown base": (["--base", "nope", "--author", "a"], "unknown git ref 'nope' in {repo}"),
    "unknown head": (
        ["--base", "main", "--head", "nope", "--author", "a"],
        "unknown git ref 'nope' in {repo}",
    ),
    "option-like ref": (["--base=--output=x", "--author", "a"], "'--output=x' is not a git ref"),
    "empty author": (
        ["--base", "main", "--author", "@"],
        "--author: give the pull request author's GitHub login",
    ),
}


@pytest.mark.parametrize(("args", "message"), USAGE_CASES.values(), ids=USAGE_CASES.keys())
def test_cli_usage_errors(
    repo: Git, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(repo, *args, capsys=capsys)
    assert (code, out, err) == (2, "", f"usage error: {message.format(repo=repo.root)}\n")


def test_cli_not_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["check-pr", "--repo", str(tmp_path), "--base", "main", "--author", "a"])
    assert (code, capsys.readouterr().err) == (
        2,
        f"usage error: {tmp_path}: not a git repository\n",
    )


def test_cli_unrelated_histories(repo: Git, capsys: pytest.CaptureFixture[str]) -> None:
    repo("switch", "--quiet", "--orphan", "stray")
    repo.write("README.md", "unrelated\n")
    repo.commit("stray")
    code, out, err = run(repo, "--base", "main", "--author", "alice", capsys=capsys)
    assert (code, out, err) == (
        2,
        "",
        "usage error: main and HEAD share no history; is --base the branch the pull request"
        " targets?\n",
    )


def test_cli_as_a_process_without_traceback(repo: Git) -> None:
    """What CI runs: the installed command, exit codes and messages, never a traceback."""
    repo.write(ACME, EDITED)
    repo.commit("edit")
    command = [sys.executable, "-m", "c4h", "check-pr", "--repo", str(repo.root)]
    runs = [
        subprocess.run(
            [*command, "--base", base, "--author", author], capture_output=True, check=False
        )
        for base, author in (("main", "bob"), ("main", "x"), ("gone", "x"))
    ]
    assert [done.returncode for done in runs] == [0, 1, 2]
    assert all(b"Traceback" not in done.stderr for done in runs)
