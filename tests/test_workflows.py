"""The GitHub Actions workflows: zizmor finds nothing, and the rules of issue 4 §5 hold.

zizmor runs offline with the pedantic persona (the strictest that is not meant to be noisy);
the structural tests pin down what zizmor does not know about this project: which job may write
what, that the ownership check runs the base branch's code, and how the bot's runs are queued.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ("pages.yml", "sweep.yml", "triage.yml", "validate.yml")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:- )?uses:\s*(\S+)(.*)$")
VERSION_COMMENT = re.compile(r"^\s+# v\d+\.\d+\.\d+$")


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    if True in data:  # PyYAML reads the key `on` as the boolean true (YAML 1.1)
        data["on"] = data.pop(True)
    return data


def jobs(name: str) -> dict[str, dict[str, Any]]:
    found = load(name)["jobs"]
    assert isinstance(found, dict)
    return found


def steps(name: str) -> list[tuple[str, dict[str, Any]]]:
    return [(job, step) for job, spec in jobs(name).items() for step in spec.get("steps", [])]


def run_zizmor(target: Path) -> list[dict[str, Any]]:
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed; run `make setup` (it is a dev dependency)")
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN")}
    done = subprocess.run(
        [found, "--offline", "--persona", "pedantic", "--format", "json", str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.stdout.strip(), done.stderr
    findings = json.loads(done.stdout)
    assert isinstance(findings, list)
    return findings


def describe(findings: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['ident']} ({f['determinations']['severity']}): {f['locations'][0]['symbolic']['key']}"
        for f in findings
    ]


# --- zizmor ----------------------------------------------------------------------------------


def test_zizmor_reports_nothing() -> None:
    """Workflows and dependabot.yml; inline `# zizmor: ignore` comments would count as fixes."""
    findings = run_zizmor(ROOT / ".github")
    assert describe(findings) == []
    for name in NAMES:
        assert "zizmor: ignore" not in (WORKFLOWS / name).read_text(encoding="utf-8")


def test_zizmor_would_catch_an_injection(tmp_path: Path) -> None:
    """The check above is only worth something if zizmor audits at all."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        (WORKFLOWS / "sweep.yml")
        .read_text(encoding="utf-8")
        .replace("run: c4h sweep", "run: c4h sweep ${{ github.event.issue.title }}"),
        encoding="utf-8",
    )
    assert "template-injection" in {f["ident"] for f in run_zizmor(bad.parent)}


# --- rules for every workflow ----------------------------------------------------------------


def test_the_four_workflows_exist() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.y*ml")) == list(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_no_permissions_at_the_top_and_each_job_asks(name: str) -> None:
    assert load(name)["permissions"] == {}
    for job, spec in jobs(name).items():
        assert isinstance(spec.get("permissions"), dict), f"{name}: job {job} sets no permissions"


@pytest.mark.parametrize("name", NAMES)
def test_no_expressions_inside_run(name: str) -> None:
    """Stricter than `no ${{ github.event.* }}`: no expression at all; values come via env."""
    for job, step in steps(name):
        assert "${{" not in step.get("run", ""), f"{name}: {job}: {step.get('name')}"


@pytest.mark.parametrize("name", NAMES)
def test_actions_pinned_to_a_commit_with_the_version_in_a_comment(name: str) -> None:
    lines = [
        line
        for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines()
        if USES_LINE.match(line)
    ]
    assert lines
    for line in lines:
        match = USES_LINE.match(line)
        assert match is not None
        assert PINNED.match(match.group(1)), line
        assert VERSION_COMMENT.match(match.group(2)), line


@pytest.mark.parametrize("name", NAMES)
def test_checkouts_keep_no_credentials(name: str) -> None:
    for job, step in steps(name):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, f"{name}: {job}"


@pytest.mark.parametrize("name", NAMES)
def test_python_311_without_a_shared_cache(name: str) -> None:
    for _, step in steps(name):
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"] == {"python-version": "3.11"}


def test_no_workflow_uses_pull_request_target_or_asks_for_tokens_elsewhere() -> None:
    for name in NAMES:
        assert "pull_request_target" not in load(name)["on"]
        for job, spec in jobs(name).items():
            if (name, job) != ("pages.yml", "deploy"):
                assert "id-token" not in spec["permissions"], f"{name}: {job}"
                assert "pages" not in spec["permissions"], f"{name}: {job}"


# --- each workflow ---------------------------------------------------------------------------


def test_validate_runs_check_pr_from_the_base_branch() -> None:
    workflow = load("validate.yml")
    assert set(workflow["on"]) == {"pull_request"}
    ownership = jobs("validate.yml")["ownership"]
    assert ownership["permissions"] == {"contents": "read"}
    checkouts = [s["with"] for s in ownership["steps"] if "uses" in s and "checkout" in s["uses"]]
    assert checkouts == [
        {
            "ref": "${{ github.event.pull_request.base.sha }}",
            "path": "base",
            "persist-credentials": False,
        },
        {
            "ref": "${{ github.event.pull_request.head.sha }}",
            "path": "pr",
            "fetch-depth": 0,
            "persist-credentials": False,
        },
    ]
    runs = [s["run"] for s in ownership["steps"] if "run" in s]
    # nothing from the pull request's checkout is installed or run in this job
    assert all("pr/" not in run and "make" not in run and ".venv" not in run for run in runs)
    check = next(s for s in ownership["steps"] if "check-pr" in s.get("run", ""))
    assert check["run"] == (
        '"$RUNNER_TEMP/base-venv/bin/c4h" check-pr --repo pr --base "$BASE_SHA" --author "$AUTHOR"'
    )
    assert check["env"] == {
        "AUTHOR": "${{ github.event.pull_request.user.login }}",
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
    }


def test_validate_checks_the_pull_requests_code() -> None:
    checks = jobs("validate.yml")["checks"]
    assert checks["permissions"] == {"contents": "read"}
    runs = [s["run"] for s in checks["steps"] if "run" in s]
    assert runs == [
        "make setup",
        ".venv/bin/c4h validate",
        ".venv/bin/c4h build",
        "make test",
    ]


def test_triage_is_queued_per_issue_with_narrow_permissions() -> None:
    workflow = load("triage.yml")
    assert workflow["on"] == {"issues": {"types": ["opened", "edited", "reopened"]}}
    assert workflow["concurrency"] == {
        "group": "triage-${{ github.event.issue.number }}",
        "cancel-in-progress": False,
    }
    (triage,) = jobs("triage.yml").values()
    assert triage["permissions"] == {"issues": "write", "contents": "read"}
    step = triage["steps"][-1]
    assert step["run"] == 'c4h triage --event "$GITHUB_EVENT_PATH"'
    assert step["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}


def test_pages_builds_main_and_only_deploy_may_publish() -> None:
    workflow = load("pages.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    build, deploy = jobs("pages.yml")["build"], jobs("pages.yml")["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "").split("@")[0] for _, s in steps("pages.yml")]
    assert "actions/upload-pages-artifact" in uses
    assert "actions/deploy-pages" in uses


def test_sweep_weekly_and_on_demand() -> None:
    workflow = load("sweep.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (cron,) = workflow["on"]["schedule"]
    day, month, weekday = cron["cron"].split()[2:]
    assert (day, month) == ("*", "*") and weekday.isdigit()  # one day a week
    (sweep,) = jobs("sweep.yml").values()
    assert sweep["permissions"] == {"contents": "read", "issues": "write"}
    assert sweep["steps"][-1]["run"] == "c4h sweep"


def test_dependabot_updates_actions_and_pip_weekly() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"]: u["schedule"]["interval"] for u in config["updates"]} == {
        "github-actions": "weekly",
        "pip": "weekly",
    }
