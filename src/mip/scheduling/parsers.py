"""Readers for the standard job-shop format (JSPLIB / OR-Library) and Brandimarte's flexible job-shop .fjs.

Both produce a ``Problem`` with machines ``M0..`` (job shop, numbered from 0 as in the file) or ``M1..`` (fjs,
numbered from 1 as in the file), jobs ``J0..`` and operations ``J<j>-<k>`` chained by precedence, no due
dates. Malformed input raises ``BadInstance`` naming the line and the problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mip.scheduling.model import BadInstance, Job, Machine, Mode, Operation, Predecessor, Problem

FORMATS = ("jsplib", "fjs")


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty, non-comment lines as (1-based line number, tokens)."""
    out = []
    for no, line in enumerate(text.splitlines(), start=1):
        s = line.split("#", 1)[0].strip()
        if s:
            out.append((no, s.split()))
    return out


def _ints(no: int, toks: list[str]) -> list[int]:
    vals = []
    for t in toks:
        try:
            v = int(t)
        except ValueError:
            try:
                f = float(t)
            except ValueError:
                raise BadInstance(f"line {no}: {t!r} is not a number", line=no) from None
            if not f.is_integer():
                raise BadInstance(f"line {no}: {t!r} is not an integer", line=no) from None
            v = int(f)
        vals.append(v)
    return vals


def _chain(job: str, modes_per_op: Sequence[tuple[Mode, ...]]) -> list[Operation]:
    ops = []
    for k, modes in enumerate(modes_per_op):
        preds = (Predecessor(f"{job}-{k - 1}"),) if k else ()
        ops.append(Operation(f"{job}-{k}", job, modes, preds))
    return ops


def parse_jsplib(text: str, name: str = "") -> Problem:
    """Standard format: ``jobs machines`` then one line per job of ``machine duration`` pairs (machines from 0).

    Lines before the header that do not consist of two integers (OR-Library preamble text) are skipped.
    """
    lines = _lines(text)
    start = 0
    while start < len(lines):
        toks = lines[start][1]
        if len(toks) == 2 and all(t.lstrip("-").isdigit() for t in toks):
            break
        start += 1
    if start >= len(lines):
        raise BadInstance("no header line 'jobs machines' found", line=1)
    no, toks = lines[start]
    n_jobs, n_mach = _ints(no, toks)
    if n_jobs <= 0 or n_mach <= 0:
        raise BadInstance(f"line {no}: jobs and machines must be positive", line=no)
    body = lines[start + 1 : start + 1 + n_jobs]
    if len(body) < n_jobs:
        raise BadInstance(f"expected {n_jobs} job lines after the header, found {len(body)}", line=no)
    ops: list[Operation] = []
    for j, (no, toks) in enumerate(body):
        vals = _ints(no, toks)
        if len(vals) % 2:
            raise BadInstance(f"line {no}: odd number of values (expected machine/duration pairs)", line=no)
        if not vals:
            raise BadInstance(f"line {no}: job {j} has no operation", line=no)
        modes = []
        for k in range(0, len(vals), 2):
            m, d = vals[k], vals[k + 1]
            if not 0 <= m < n_mach:
                raise BadInstance(f"line {no}: machine {m} out of range 0..{n_mach - 1}", line=no)
            if d < 0:
                raise BadInstance(f"line {no}: negative duration {d}", line=no)
            modes.append((Mode(f"M{m}", d),))
        ops += _chain(f"J{j}", modes)
    machines = tuple(Machine(f"M{m}") for m in range(n_mach))
    jobs = tuple(Job(f"J{j}") for j in range(n_jobs))
    return Problem(machines, jobs, tuple(ops), name=name).validate()


def parse_fjs(text: str, name: str = "") -> Problem:
    """Brandimarte .fjs: ``jobs machines [avg-flex]`` then per job: number of operations, then per operation
    the number of eligible machines followed by ``machine duration`` pairs (machines from 1)."""
    lines = _lines(text)
    if not lines:
        raise BadInstance("empty file", line=1)
    no, toks = lines[0]
    head = _ints(no, toks[:2]) if len(toks) >= 2 else []
    if len(head) != 2 or head[0] <= 0 or head[1] <= 0:
        raise BadInstance(f"line {no}: header must be 'jobs machines [flexibility]' with positive counts", line=no)
    n_jobs, n_mach = head
    body = lines[1 : 1 + n_jobs]
    if len(body) < n_jobs:
        raise BadInstance(f"expected {n_jobs} job lines after the header, found {len(body)}", line=no)
    ops: list[Operation] = []
    for j, (no, toks) in enumerate(body):
        vals = _ints(no, toks)
        pos = 0

        def take(what: str, no: int = no, vals: list[int] = vals) -> int:
            nonlocal pos
            if pos >= len(vals):
                raise BadInstance(f"line {no}: line ends early, expected {what}", line=no)
            pos += 1
            return vals[pos - 1]

        n_ops = take("the number of operations")
        if n_ops <= 0:
            raise BadInstance(f"line {no}: job {j} must have at least one operation", line=no)
        per_op: list[tuple[Mode, ...]] = []
        for k in range(n_ops):
            n_alt = take(f"the number of machines of operation {k + 1}")
            if n_alt <= 0:
                raise BadInstance(f"line {no}: operation {k + 1} has no eligible machine", line=no)
            alts: dict[str, Mode] = {}
            for _ in range(n_alt):
                m = take("a machine number")
                d = take("a duration")
                if not 1 <= m <= n_mach:
                    raise BadInstance(f"line {no}: machine {m} out of range 1..{n_mach}", line=no)
                if d < 0:
                    raise BadInstance(f"line {no}: negative duration {d}", line=no)
                key = f"M{m}"
                if key not in alts or alts[key].duration > d:
                    alts[key] = Mode(key, d)
            per_op.append(tuple(alts.values()))
        if pos != len(vals):
            raise BadInstance(f"line {no}: {len(vals) - pos} unexpected trailing values", line=no)
        ops += _chain(f"J{j}", per_op)
    machines = tuple(Machine(f"M{m}") for m in range(1, n_mach + 1))
    jobs = tuple(Job(f"J{j}") for j in range(n_jobs))
    return Problem(machines, jobs, tuple(ops), name=name).validate()


def parse(text: str, fmt: str, name: str = "") -> Problem:
    if fmt == "jsplib":
        return parse_jsplib(text, name)
    if fmt == "fjs":
        return parse_fjs(text, name)
    raise BadInstance(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def load(path: str | Path, fmt: str) -> Problem:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInstance(f"file not found: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInstance(f"cannot read {p}: {exc}") from None
    return parse(text, fmt, name=p.stem)
