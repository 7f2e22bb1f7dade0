"""Read a git repository's commits as data: changed files and file contents. Never writes.

Used by ``c4h check-pr``, which must judge a pull request by what is committed (the head commit,
not the working tree; CODEOWNERS as it stands on the base branch). Every call is ``git`` with an
argument list, no shell, with pathspecs taken literally.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from c4h.ownership import Change


class GitError(Exception):
    """git could not do what was asked; the message is git's own first line."""


class NotARepository(GitError):
    pass


class UnknownRef(GitError):
    pass


class NoMergeBase(GitError):
    """The two commits share no history, so there is no pull request diff."""


_BATCH_HEADER = re.compile(rb"^[0-9a-f]{40,64} (blob|tree|commit|tag) (\d+)$")


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        if not root.is_dir():
            raise NotARepository(f"{root}: no such folder")
        if self._run("rev-parse", "--git-dir", check=False).returncode != 0:
            raise NotARepository(f"{root}: not a git repository")

    def _run(
        self, *args: str, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C", "GIT_PAGER": "cat"}
        done = subprocess.run(
            ["git", "-C", str(self.root), *args],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
        if check and done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]}: {lines[0] if lines else 'failed'}")
        return done

    def commit(self, ref: str) -> str:
        """The commit id a ref names."""
        if not ref or ref.startswith("-"):
            raise UnknownRef(f"{ref!r} is not a git ref")
        done = self._run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if done.returncode != 0:
            raise UnknownRef(f"unknown git ref {ref!r} in {self.root}")
        return done.stdout.decode().strip()

    def changes(self, base: str, head: str) -> list[Change]:
        """What ``head`` changed since it left ``base``: the three-dot (merge-base) diff."""
        if self._run("merge-base", base, head, check=False).returncode != 0:
            raise NoMergeBase(f"{base} and {head} share no history (no merge base)")
        out = self._run(
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--no-ext-diff",
            "--no-textconv",
            f"{base}...{head}",
            "--",
        ).stdout
        fields = [os.fsdecode(f) for f in out.split(b"\0")]
        found: list[Change] = []
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i]
            if status[:1] in ("R", "C"):
                found.append(Change(status[:1], fields[i + 2], fields[i + 1]))
                i += 3
            else:
                found.append(Change(status[:1], fields[i + 1]))
                i += 2
        return found

    def read(self, commit: str, paths: Iterable[str]) -> dict[str, bytes | None]:
        """Content of each path at a commit; ``None`` when it is not there.

        Anything that is not a plain file (a folder, a submodule) reads as empty bytes, which
        the listing reader reports as unreadable.
        """
        wanted = list(dict.fromkeys(paths))
        result: dict[str, bytes | None] = {p: b"" for p in wanted if "\n" in p}
        asked = [p for p in wanted if "\n" not in p]
        if not asked:
            return result
        request = b"".join(os.fsencode(f"{commit}:{p}") + b"\n" for p in asked)
        out = self._run("cat-file", "--batch", stdin=request).stdout
        at = 0
        for path in asked:
            end = out.index(b"\n", at)
            header = _BATCH_HEADER.match(out[at:end])
            at = end + 1
            if header is None:  # "<name> missing" (or ambiguous)
                result[path] = None
                continue
            size = int(header.group(2))
            body, at = out[at : at + size], at + size + 1
            result[path] = body if header.group(1) == b"blob" else b""
        return result
