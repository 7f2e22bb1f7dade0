"""The ``c4h`` command: a thin shell that parses arguments, calls the library, formats results.

Exit codes: 0 success, 1 problems found (or an operation failed), 2 usage error. No traceback
ever reaches the user: library errors become one-line messages.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from c4h import paths

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}
# Each area adds a function that adds its subcommands to the parser.
_EXTRA_PARSERS: list[Callable[[Any], None]] = []  # each gets the subparsers object


class UsageError(Exception):
    """Bad arguments: reported like argparse's own errors, exit 2."""


class Failure(Exception):
    """An operation that could not be done: one clear line, exit 1."""


def today() -> date:
    """Today, or C4H_TODAY (YYYY-MM-DD) so tests and reproductions can fix the date."""
    fixed = os.environ.get("C4H_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise UsageError(f"C4H_TODAY={fixed!r} is not a date (YYYY-MM-DD)") from None
    return date.today()


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- validate --------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from c4h import findings as fnd
    from c4h import taxonomy as tx
    from c4h import validate as val

    providers = Path(args.providers)
    if not args.files and not providers.is_dir():
        raise UsageError(f"--providers {args.providers}: no such folder")
    for name in args.files:
        if not Path(name).is_file():
            raise UsageError(f"{name}: no such file")
    ctx = val.Context(tx.default(), today())
    found, count = val.validate([Path(f) for f in args.files], providers, ctx, jobs=args.jobs)
    errors = [f for f in found if f.severity == fnd.ERROR]
    failed = bool(errors) or (args.strict and bool(found))
    if args.format == "json":
        print(fnd.to_json(found, count))
    else:
        for finding in found:
            print(finding.text())
        print(fnd.summary(found, count))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for finding in found:
            print(finding.annotation())
    return 1 if failed else 0


# --- schema ----------------------------------------------------------------------------------


def _generated(args: argparse.Namespace, files: dict[Path, str], fix: str) -> int:
    from c4h import files as fs

    if args.check:
        outdated = fs.stale(files)
        for path in outdated:
            print(f"{_display(path)}: out of date; run `{fix}` and commit the result")
        if not outdated:
            print(f"{len(files)} generated file(s) up to date")
        return 1 if outdated else 0
    for path, content in files.items():
        if fs.write_if_changed(path, content):
            print(f"wrote {_display(path)}")
        else:
            print(f"{_display(path)} unchanged")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from c4h import schema, taxonomy

    return _generated(
        args, {paths.PROVIDER_SCHEMA: schema.render(taxonomy.default())}, "c4h schema"
    )


COMMANDS.update(validate=cmd_validate, schema=cmd_schema)


# === catalogue: generate, build, serve (issue 3) ===========================================
# (section owned by the catalogue work; register parsers with _EXTRA_PARSERS and handlers in
#  COMMANDS, keep handlers thin: call functions of c4h.generate / c4h.site)

import typing  # noqa: E402


def _providers_dir(args: argparse.Namespace) -> Path:
    folder = Path(args.providers)
    if not folder.is_dir():
        raise UsageError(f"--providers {args.providers}: no such folder")
    return folder


if typing.TYPE_CHECKING:
    from c4h.model import Catalogue


def _catalogue(args: argparse.Namespace) -> tuple[Catalogue, date]:
    from c4h import site

    day = today()
    try:
        return site.load(_providers_dir(args), day), day
    except site.ListingErrors as exc:
        for finding in exc.findings:
            print(finding.text())
        raise Failure(str(exc)) from None


def cmd_generate(args: argparse.Namespace) -> int:
    from c4h import generate

    cat, day = _catalogue(args)
    docs = Path(args.docs_dir)
    try:
        settings = generate.read_settings()
        files = generate.pages(cat, day, settings, generate.read_template())
    except (OSError, ValueError, KeyError) as exc:
        raise Failure(f"cannot generate the catalogue: {exc}") from None
    if args.check:
        outdated = generate.outdated(files, docs)
        for rel in outdated:
            print(f"{_display(docs / rel)}: out of date; run `c4h generate`")
        if not outdated:
            print(f"{len(files)} generated file(s) up to date")
        return 1 if outdated else 0
    changes = generate.write(files, docs)
    print(
        f"{len(changes.written)} written, {changes.unchanged} unchanged, "
        f"{len(changes.deleted)} deleted under {_display(docs)}/"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from c4h import site

    day = today()
    site_dir = Path(args.site_dir)
    try:
        built = site.build(_providers_dir(args), site_dir, day, builder=args.builder)
    except site.ListingErrors as exc:
        for finding in exc.findings:
            print(finding.text())
        raise Failure(str(exc)) from None
    except site.BuildError as exc:
        raise Failure(str(exc)) from None
    print(
        f"built {built.providers} providers, {built.offers} current offers into "
        f"{_display(built.site_dir)}/ with {args.builder} in {built.seconds:.1f} s"
    )
    if built.warnings:
        print(
            f"note: {built.warnings} warning(s) in the listings (stale listings are marked,"
            " expired offers hidden); `c4h validate` shows them"
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from c4h import site

    try:
        return site.serve(_providers_dir(args), args.address)
    except site.BuildError as exc:
        raise Failure(str(exc)) from None


def _catalogue_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from c4h import site

    providers_help = "folder of listings (default: providers/)"
    p = sub.add_parser(
        "generate",
        help="write the catalogue pages and data files into docs/",
        description="Generate the directory, provider pages, coverage and open data under docs/"
        " (git-ignored). Example: c4h generate --check",
    )
    p.add_argument("--providers", default=str(paths.PROVIDERS), metavar="DIR", help=providers_help)
    p.add_argument("--check", action="store_true", help="fail if the files on disk are out of date")
    p.add_argument(
        "--docs-dir",
        default=str(paths.DOCS),
        metavar="DIR",
        help="the docs folder to write into (default: docs/)",
    )

    p = sub.add_parser(
        "build",
        help="validate, generate and build the site",
        description="Build the static site into a folder; refuses to build when a listing has"
        " errors. Example: c4h build --site-dir /tmp/site",
    )
    p.add_argument("--providers", default=str(paths.PROVIDERS), metavar="DIR", help=providers_help)
    p.add_argument(
        "--site-dir",
        default=str(paths.ROOT / "site"),
        metavar="DIR",
        help="where the site goes; replaced if it holds a built site (default: site/)",
    )
    p.add_argument(
        "--builder", choices=site.BUILDERS, default="mkdocs", help="mkdocs (default) or zensical"
    )

    p = sub.add_parser(
        "serve",
        help="serve the site locally with live reload",
        description="Serve the site on http://127.0.0.1:8000/; editing a listing updates the open"
        " page. Example: c4h serve",
    )
    p.add_argument("--providers", default=str(paths.PROVIDERS), metavar="DIR", help=providers_help)
    p.add_argument("--address", default=site.SERVE_ADDRESS, help=argparse.SUPPRESS)


_EXTRA_PARSERS.append(_catalogue_parsers)
COMMANDS.update(generate=cmd_generate, build=cmd_build, serve=cmd_serve)

# === end catalogue ===========================================================================

# === requests: form, match (issue 4) ==========================================================


def cmd_form(args: argparse.Namespace) -> int:
    from c4h import form, taxonomy

    try:
        files = form.files(taxonomy.default(), form.load_settings())
    except (form.FormError, ValueError) as exc:
        raise Failure(str(exc)) from None
    return _generated(args, files, "c4h form")


def _choice(option: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise UsageError(f"{option} {value}: unknown; choose from {', '.join(allowed)}")
    return value


def cmd_match(args: argparse.Namespace) -> int:
    import json

    from c4h import form, match, model, taxonomy

    tax = taxonomy.default()
    services = [_choice("--service", s, tax.category_slugs) for s in args.service]
    country = _choice("--country", args.country.upper(), list(tax.countries))
    org_type = _choice("--org-type", args.org_type, tax.org_type_slugs) if args.org_type else None
    languages = [_choice("--language", lang.lower(), list(tax.languages)) for lang in args.language]
    urgency = _choice("--urgency", args.urgency, taxonomy.URGENCIES)
    providers = Path(args.providers)
    if not providers.is_dir():
        raise UsageError(f"--providers {args.providers}: no such folder")
    settings = form.load_settings()
    limit = int(settings.get("max_providers_per_request") or 3)

    day = today()
    catalogue = model.load(providers, day, tax)
    request = form.Request(
        org_type=org_type,
        country=country,
        services=tuple(dict.fromkeys(services)),
        urgency=urgency,
        languages=tuple(dict.fromkeys(languages)),
    )
    result = match.match(request, catalogue, day, limit=limit)
    if catalogue.errors:
        left_out = len({f.path for f in catalogue.errors})
        print(f"note: {left_out} invalid listing(s) left out; see `c4h validate`", file=sys.stderr)
    if args.json:
        print(json.dumps(match.as_dict(result), indent=2, ensure_ascii=False))
    else:
        print("\n".join(match.as_text(result, tax)))
    return 0 if result.matches else 1


def _form_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from c4h import taxonomy

    p = sub.add_parser(
        "form",
        help="write the request issue form from schema/taxonomy.yml",
        description="Generate .github/ISSUE_TEMPLATE/request-help.yml and config.yml."
        " Example: c4h form --check",
    )
    p.add_argument("--check", action="store_true", help="fail if a file is out of date")

    p = sub.add_parser(
        "match",
        help="match a request against the listings and explain why",
        description="Show which providers a request would go to, and why. Example:"
        " c4h match --service incident-response --country FR --org-type hospital",
    )
    p.add_argument(
        "--service",
        action="append",
        required=True,
        metavar="SLUG",
        help="a service category (repeat for several)",
    )
    p.add_argument("--country", required=True, metavar="CC", help="ISO 3166-1 alpha-2 code")
    p.add_argument("--org-type", metavar="SLUG", help="organisation type (default: any)")
    p.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="CODE",
        help="ISO 639-1 code (repeat for several; default: any)",
    )
    p.add_argument(
        "--urgency",
        default="planning",
        metavar="LEVEL",
        help=f"one of {', '.join(taxonomy.URGENCIES)} (default: planning)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--providers",
        default=str(paths.PROVIDERS),
        metavar="DIR",
        help="folder of listings (default: providers/)",
    )


_EXTRA_PARSERS.append(_form_parsers)
COMMANDS.update(form=cmd_form, match=cmd_match)

# === end requests: form, match ================================================================

# === requests: triage, sweep (issue 4) ========================================================


def _github_client() -> tuple[Any, str]:
    """A GitHub client from the Actions environment, and the bot's login."""
    from c4h import github

    token = os.environ.get("GITHUB_TOKEN", "")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if not token:
        raise UsageError("GITHUB_TOKEN is not set (the workflow passes secrets.GITHUB_TOKEN)")
    if repository.count("/") != 1:
        raise UsageError("GITHUB_REPOSITORY must be owner/name (Actions sets it)")
    api = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    polite = os.environ.get("C4H_GITHUB_POLITE", "1") != "0"
    policy = github.Policy()
    scale = os.environ.get("C4H_GITHUB_WAIT_SCALE")
    if scale:  # tests shrink every wait
        factor = float(scale)
        policy = github.Policy(
            backoff=policy.backoff * factor,
            secondary_wait=policy.secondary_wait * factor,
            max_wait=policy.max_wait * factor,
        )
    client = github.Client(api, token, repository, policy=policy, polite=polite)
    return client, os.environ.get("C4H_BOT_LOGIN") or "github-actions[bot]"


def _issue_number(args: argparse.Namespace) -> int:
    import json

    if args.issue is not None:
        return int(args.issue)
    try:
        event = json.loads(Path(args.event).read_text(encoding="utf-8"))
        number = event["issue"]["number"]  # the payload is used for the number only
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"--event {args.event}: not an issues event with issue.number") from None
    if not isinstance(number, int):
        raise UsageError(f"--event {args.event}: issue.number is not a number")
    return number


def cmd_triage(args: argparse.Namespace) -> int:
    from c4h import form, generate, github, model, triage

    number = _issue_number(args)
    providers = Path(args.providers)
    if not providers.is_dir():
        raise UsageError(f"--providers {args.providers}: no such folder")
    day = today()
    catalogue = model.load(providers, day)
    settings = form.load_settings()
    site = generate.read_settings()
    channel = settings.get("private_channel") or {}
    config = triage.Config(
        site_url=site.site_url,
        form_url=site.request_form,
        private_url=str(channel.get("url", "")),
        private_name=str(channel.get("name", "the private channel")),
        limit=int(settings.get("max_providers_per_request") or 3),
    )
    client, bot = _github_client()
    try:
        report = triage.run(
            client,
            number,
            catalogue=catalogue,
            form=form.load_form(),
            config=config,
            today=day,
            bot=bot,
            dry_run=args.dry_run,
        )
    except github.GitHubError as exc:
        raise Failure(f"triage of #{number} did not finish: {exc}") from None
    for line in report.lines:
        print(line)
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from c4h import github, model, sweep

    providers = Path(args.providers)
    if not providers.is_dir():
        raise UsageError(f"--providers {args.providers}: no such folder")
    day = today()
    catalogue = model.load(providers, day)
    client, _ = _github_client()
    try:
        outcome = sweep.run(client, catalogue, day, dry_run=args.dry_run)
    except github.GitHubError as exc:
        raise Failure(f"sweep did not finish: {exc}") from None
    for line in outcome.lines:
        print(line)
    return 0


def _triage_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "triage",
        help="label, match and comment on one request issue",
        description="Triage a request for help on GitHub (reads GITHUB_TOKEN, GITHUB_REPOSITORY,"
        " GITHUB_API_URL). Example: c4h triage --issue 12 --dry-run",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--issue", type=int, metavar="N", help="the issue number")
    which.add_argument("--event", metavar="PATH", help="the event file ($GITHUB_EVENT_PATH)")
    p.add_argument(
        "--dry-run", action="store_true", help="print the planned changes; write nothing"
    )
    p.add_argument("--providers", default=str(paths.PROVIDERS), metavar="DIR")

    p = sub.add_parser(
        "sweep",
        help="keep one maintenance issue listing expired offers and stale listings",
        description="Weekly maintenance report on GitHub. Example: c4h sweep --dry-run",
    )
    p.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    p.add_argument("--providers", default=str(paths.PROVIDERS), metavar="DIR")


_EXTRA_PARSERS.append(_triage_parsers)
COMMANDS.update(triage=cmd_triage, sweep=cmd_sweep)

# === end requests: triage, sweep ==============================================================

# === ownership: check-pr (issue 4) ============================================================
# The rules are in c4h.ownership (pure); git is read through c4h.gitrepo. In CI this runs from
# the base branch's code, against a checkout of the pull request given with --repo.


def cmd_check_pr(args: argparse.Namespace) -> int:
    from c4h import gitrepo
    from c4h import ownership as own
    from c4h.findings import ERROR, Finding, plural

    author = args.author.removeprefix("@")
    if not author:
        raise UsageError("--author: give the pull request author's GitHub login")
    try:
        repo = gitrepo.Repo(Path(args.repo))
        base, head = repo.commit(args.base), repo.commit(args.head)
    except gitrepo.GitError as exc:
        raise UsageError(str(exc)) from None
    try:
        changes = repo.changes(base, head)
    except gitrepo.NoMergeBase:
        raise UsageError(
            f"{args.base} and {args.head} share no history; is --base the branch the pull request"
            " targets?"
        ) from None
    except gitrepo.GitError as exc:
        raise Failure(str(exc)) from None
    try:
        listings = [p for c in changes for p in (c.old_path, c.path) if p and own.is_listing(p)]
        on_base = repo.read(base, [*listings, own.CODEOWNERS])
        on_head = repo.read(head, listings)
    except gitrepo.GitError as exc:
        raise Failure(str(exc)) from None
    codeowners = on_base.pop(own.CODEOWNERS, None)
    directory = own.parse_codeowners(codeowners.decode("utf-8", "replace") if codeowners else "")
    for note in directory.notes:
        print(f"note: {note}")
    if codeowners is None:
        print(f"note: {own.CODEOWNERS} is missing on {args.base}: no directory maintainers")
    decisions = own.check(changes, on_base, on_head, author, directory.logins)
    refused = own.problems(decisions)
    for decision in decisions:
        verdict = "ok" if decision.allowed else "error"
        print(f"{_printable(decision.path)}: {verdict}: {decision.message}")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for decision in refused:
            finding = Finding(decision.path, 1, 1, ERROR, "ownership", decision.message)
            print(_printable(finding.annotation()))
    files = plural(len(changes), "changed file")
    if refused:
        count = plural(len(refused), "problem")
        print(f"{count} in {files}: @{author} may not make these changes alone")
        return 1
    print(f"@{author} may make these changes ({files})")
    return 0


def _printable(text: str) -> str:
    """Paths come from git as bytes; undecodable ones print escaped instead of crashing."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _add_check_pr(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check-pr",
        help="check that a pull request's author may change the files it changes",
        description=(
            "Check a pull request against the ownership rules: listings belong to their"
            " maintainers (as on the base branch); verified, curated listings and project files"
            " belong to the directory maintainers (.github/CODEOWNERS on the base branch)."
            " Reads commits, not the working tree. Example: c4h check-pr --base origin/main"
            " --author alice"
        ),
    )
    p.add_argument("--base", required=True, metavar="REF", help="the branch the PR targets")
    p.add_argument("--author", required=True, metavar="LOGIN", help="the PR author's login")
    p.add_argument("--head", default="HEAD", metavar="REF", help="the PR's head (default: HEAD)")
    p.add_argument("--repo", default=".", metavar="DIR", help="the git checkout (default: .)")


_EXTRA_PARSERS.append(_add_check_pr)
COMMANDS["check-pr"] = cmd_check_pr

# === end ownership ============================================================================


# --- the parser ------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def parser() -> argparse.ArgumentParser:
    top = _Parser(
        prog="c4h",
        description="Free cybersecurity help for healthcare: listings, catalogue and requests.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "validate",
        help="check listings against the schema and the rules",
        description="Check provider listings. Example: c4h validate providers/quad9.yml",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="listings to check (default: all)")
    p.add_argument(
        "--providers",
        default=str(paths.PROVIDERS),
        metavar="DIR",
        help="folder of listings, also used for uniqueness checks (default: providers/)",
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too (stale, expired)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--jobs", type=int, default=0, help=argparse.SUPPRESS)

    p = sub.add_parser(
        "schema",
        help="write schema/provider.schema.json from schema/taxonomy.yml",
        description="Generate the listing JSON Schema. Example: c4h schema --check",
    )
    p.add_argument("--check", action="store_true", help="fail if the file is out of date")

    for extra in _EXTRA_PARSERS:
        extra(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        if not args.command:
            parser().print_help()
            return 2
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2
    except Failure as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # the promise: never a traceback, always a line to act on
        print(
            f"error: unexpected {type(exc).__name__}: {exc}. This is a bug in c4h; please report"
            " it with the command you ran.",
            file=sys.stderr,
        )
        return 3
