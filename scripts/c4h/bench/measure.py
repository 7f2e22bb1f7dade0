"""Wall time and peak memory of a command, with its whole process tree (Linux /proc)."""

from __future__ import annotations

import os
import platform
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from c4h import paths


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # largest sum of resident memory over the command's process tree
    returncode: int
    stdout: str


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ROOT and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        ppid = kb = 0
        for line in status.splitlines():
            if line.startswith("PPid:"):
                ppid = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                kb = int(line.split()[1])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = kb
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run(command: Sequence[str], env: dict[str, str] | None = None, sample: float = 0.02) -> Run:
    """Run COMMAND, sampling its process tree's memory every SAMPLE seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(sample)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    return Run(seconds, peak / 1024, proc.returncode, out)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()},"
        f" Python {platform.python_version()}"
    )


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# Debian's Chromium, as the browser tests launch it: no sandbox (root in CI), and none of the
# background connections a closed network refuses.
CHROMIUM = os.environ.get("C4H_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def report(table: str, ok: bool, section: str, keep: bool) -> int:
    """Print TABLE and the verdict, record it in the docs when KEEP; the exit code."""
    print(table)
    print("targets met" if ok else "TARGETS MISSED")
    if keep:
        record(paths.DOCS / "about" / "benchmarks.md", section, table)
    return 0 if ok else 1


def record(doc: Path, section: str, text: str) -> None:
    """Replace the block between <!-- bench:SECTION --> markers in DOC (append if absent)."""
    start, end = f"<!-- bench:{section} -->", f"<!-- /bench:{section} -->"
    block = f"{start}\n{text.rstrip()}\n{end}"
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if start in current and end in current:
        before = current.split(start, 1)[0]
        after = current.split(end, 1)[1]
        updated = before + block + after
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(updated, encoding="utf-8")
