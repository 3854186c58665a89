"""CLI: `mip schedule`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from mip.cli.common import emit, fail
from mip.platform.errors import MIPError

schedule_app = typer.Typer(
    help="Production schedules: solve, compare with the greedy baseline, benchmarks.", no_args_is_help=True
)

FormatOpt = Annotated[str, typer.Option("--format", help="Instance format: jsplib, fjs or json (a problem JSON)")]


def _load(path: Path, fmt: str) -> Any:
    from mip.scheduling.codec import problem_from_dict
    from mip.scheduling.model import BadInstance
    from mip.scheduling.parsers import load

    if fmt == "json":
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            raise BadInstance(f"file not found: {path}") from None
        except orjson.JSONDecodeError as exc:
            raise BadInstance(f"{path}: not valid JSON ({exc})") from None
        return problem_from_dict(data)
    return load(path, fmt)


def _result_json(problem: Any, r: Any, explain: int) -> dict[str, Any]:
    from dataclasses import asdict

    from mip.scheduling.codec import schedule_to_list
    from mip.scheduling.explain import explain_late

    imp = r.improvement()
    out: dict[str, Any] = {
        "instance": problem.name,
        "status": r.status,
        "source": r.source,
        "makespan": r.metrics.makespan,
        "lower_bound": r.lower_bound,
        "objective": r.objective,
        "seconds": r.seconds,
        "weighted_tardiness": r.metrics.weighted_tardiness,
        "late_orders": r.metrics.late_jobs,
        "greedy_makespan": r.greedy.makespan,
        "greedy_weighted_tardiness": r.greedy.weighted_tardiness,
        "improvement_pct": imp["makespan_pct"],
        "improvement": imp,
        "operations": len(problem.operations),
        "machines": len(problem.machines),
    }
    if explain:
        out["late_explanations"] = [asdict(e) for e in explain_late(problem, r.schedule, limit=explain)]
    out["_schedule"] = schedule_to_list(r.schedule)
    return out


@schedule_app.command("solve")
def solve_cmd(
    file: Annotated[Path, typer.Argument(help="Instance file")],
    fmt: FormatOpt = "jsplib",
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds (max 3600)")] = 10.0,
    workers: Annotated[int, typer.Option("--workers", help="CP-SAT workers")] = 2,
    objective: Annotated[str, typer.Option(help="makespan, weighted_tardiness or mix")] = "makespan",
    explain: Annotated[int, typer.Option(help="Explain up to N late orders")] = 0,
    schedule_out: Annotated[Path | None, typer.Option("--schedule-out", help="Write the schedule (JSON) here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Solve a job-shop (jsplib), flexible job-shop (fjs) or problem-JSON instance with CP-SAT and compare
    with the greedy dispatching baseline."""
    from mip.scheduling.model import BadInstance
    from mip.scheduling.solver import SolveOptions, solve

    try:
        if fmt not in ("jsplib", "fjs", "json"):
            raise BadInstance(f"unknown format {fmt!r} (expected jsplib, fjs or json)")
        problem = _load(file, fmt)
        r = solve(problem, SolveOptions(objective=objective, time_limit_s=time_limit, workers=workers))
        out = _result_json(problem, r, explain)
    except MIPError as exc:
        fail(exc)
    sched = out.pop("_schedule")
    if schedule_out is not None:
        schedule_out.write_bytes(orjson.dumps(sched, option=orjson.OPT_INDENT_2))
    if as_json:
        emit(out)
    else:
        sys.stdout.write(
            f"{out['instance']}: {out['status']} makespan {out['makespan']} (bound {out['lower_bound']}) in "
            f"{out['seconds']:.2f}s; greedy {out['greedy_makespan']}; weighted tardiness "
            f"{out['weighted_tardiness']} (greedy {out['greedy_weighted_tardiness']})\n"
        )
        for e in out.get("late_explanations", []):
            sys.stdout.write(f"  {e['summary']}\n")


@schedule_app.command("generate")
def generate_cmd(
    out: Annotated[Path | None, typer.Option("--out", help="Write the problem JSON here (default: stdout)")] = None,
    seed: Annotated[int, typer.Option(min=0)] = 1,
    orders: Annotated[int, typer.Option(min=1, max=5000)] = 200,
    work_centers: Annotated[int, typer.Option(min=1, max=200)] = 10,
    machines_per_center: Annotated[int, typer.Option(min=1, max=20)] = 3,
    levels: Annotated[int, typer.Option(min=1, max=6, help="BOM levels")] = 4,
    weeks: Annotated[int, typer.Option(min=1, max=52, help="Calendar horizon")] = 6,
) -> None:
    """Generate a deterministic plant-sized problem (orders with multi-level BOMs, work centres with alternative
    machines, setups, shift calendars, breakdowns, due dates) as problem JSON."""
    from mip.scheduling.codec import problem_to_dict
    from mip.scheduling.generate import generate_plant

    p = generate_plant(seed, orders, work_centers, machines_per_center, levels, weeks)
    data = orjson.dumps(problem_to_dict(p))
    if out is None:
        sys.stdout.write(data.decode() + "\n")
    else:
        out.write_bytes(data)
        sys.stderr.write(
            f"wrote {out}: {len(p.jobs)} jobs, {len(p.operations)} operations, {len(p.machines)} machines\n"
        )
