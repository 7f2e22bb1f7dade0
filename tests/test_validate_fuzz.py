"""Property tests: whatever bytes or mutations arrive, the validator ends with findings.

No input may raise: random text, random bytes, and random mutations of a valid listing (fields
deleted, replaced by values of any type, unknown fields added, characters inserted). The fast
compiled schema check and jsonschema must also agree on which data is valid.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c4h import cli, listing
from c4h import taxonomy as tx
from c4h import validate as val
from conftest import FIXTURES

FULL_TEXT = (FIXTURES / "validate" / "full.yml").read_text(encoding="utf-8")
FULL = listing.parse_text(FULL_TEXT, "full.yml").data
CTX = val.Context(tx.default(), date(2026, 12, 4))
PATH = Path("providers/example.yml")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "CH",
            "NO",
            "europe",
            "global",
            "en",
            "2026-12-01",
            "https://example.org",
            "<b>x</b>",
            "javascript:x",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def check_text(text: str | bytes) -> val.Checked:
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    doc = listing.parse_bytes(raw, str(PATH))
    return val.check_document(doc, PATH, CTX)


def assert_sane(result: val.Checked) -> None:
    for finding in result.findings:
        assert finding.severity in ("error", "warning")
        assert finding.line >= 1 and finding.column >= 1
        assert finding.message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    assert_sane(check_text(text))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(raw: bytes) -> None:
    assert_sane(check_text(raw))


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = yaml.safe_load(yaml.safe_dump(FULL))  # a deep copy
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        target = draw(st.sampled_from(paths))
        parent = data
        for part in target[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["delete", "replace", "add"]))
        if action == "delete":
            del parent[target[-1]]
        elif action == "replace":
            parent[target[-1]] = draw(values)
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(values)
        else:
            parent.append(draw(values))
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_listings_never_raise(data: Any) -> None:
    assert_sane(check_text(yaml.safe_dump(data, allow_unicode=True)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fast_schema_check_agrees_with_jsonschema(data: Any) -> None:
    doc = listing.parse_text(yaml.safe_dump(data, allow_unicode=True), "x.yml")
    fast_ok = True
    try:
        val._fast_check(CTX.tax)(doc.data)
    except Exception:
        fast_ok = False
    slow_ok = not list(val._validator(CTX.tax).iter_errors(doc.data))
    assert fast_ok == slow_ok


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(FULL_TEXT)), st.integers(0, 20), st.text(max_size=6))
def test_edited_text_never_raises(at: int, cut: int, insert: str) -> None:
    assert_sane(check_text(FULL_TEXT[:at] + insert + FULL_TEXT[at + cut :]))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_command_exits_0_or_1(tmp_path_factory: Any, text: str) -> None:
    folder = tmp_path_factory.mktemp("providers")
    (folder / "example.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
    assert cli.main(["validate", "--providers", str(folder)]) in (0, 1)
