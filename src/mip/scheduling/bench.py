"""``mip bench schedule``: CP-SAT on the classic job-shop / flexible job-shop instances and on the synthetic plant.

Instances are read from the shared datasets directory (``<repo>/../shared/datasets/scheduling`` by default),
never copied into the repository. Every row reports status, makespan, CP-SAT's lower bound, seconds, the
reference optimum / best known value and the greedy baseline. The plant row separates the greedy (ERP) baseline,
the best dispatching rule (the optimiser's start) and the optimised schedule (large-neighbourhood search around
CP-SAT, ``mip.scheduling.lns``), with the LNS iterations, the first-schedule time and the lower bound.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mip.scheduling.evaluate import check_schedule
from mip.scheduling.generate import generate_plant
from mip.scheduling.parsers import load
from mip.scheduling.solver import SolveOptions, solve

# name: (sub-directory, format, reference makespan, reference is proven optimal)
INSTANCES: dict[str, tuple[str, str, int, bool]] = {
    "ft06": ("jobshop", "jsplib", 55, True),
    "ft10": ("jobshop", "jsplib", 930, True),
    "la01": ("jobshop", "jsplib", 666, True),
    "la02": ("jobshop", "jsplib", 655, True),
    "la03": ("jobshop", "jsplib", 597, True),
    "la04": ("jobshop", "jsplib", 590, True),
    "la05": ("jobshop", "jsplib", 593, True),
    "mk01": ("fjsp", "fjs", 40, False),
    "mk02": ("fjsp", "fjs", 26, False),
    "mk03": ("fjsp", "fjs", 204, False),
}


def default_datasets_dir() -> Path:
    env = os.environ.get("MIP_DATASETS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "datasets"


def load_instance(name: str, datasets: Path | None = None) -> Any:
    sub, fmt, _, _ = INSTANCES[name]
    return load((datasets or default_datasets_dir()) / "scheduling" / sub / f"{name}.txt", fmt)


def _load_avg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # pragma: no cover
        return None


def run_schedule_bench(
    instances: list[str] | None = None,
    time_limit_s: float = 60.0,
    workers: int = 2,
    plant: bool = True,
    plant_time_limit_s: float = 10.0,
    plant_seed: int = 1,
    datasets: Path | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Solve each instance (makespan objective) and the plant problem (makespan + weighted tardiness)."""
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    load_before = _load_avg()
    for name in instances if instances is not None else list(INSTANCES):
        _, _, ref, proven = INSTANCES[name]
        problem = load_instance(name, datasets)
        r = solve(problem, SolveOptions(objective="makespan", time_limit_s=time_limit_s, workers=workers))
        mk = r.metrics.makespan
        row = {
            "instance": name,
            "status": r.status,
            "makespan": mk,
            "lower_bound": r.lower_bound,
            "seconds": r.seconds,
            "reference": ref,
            "reference_kind": "optimal" if proven else "best_known",
            "gap_to_reference_pct": round(100.0 * (mk - ref) / ref, 2),
            "greedy_makespan": r.greedy.makespan,
            "improvement_pct": r.improvement()["makespan_pct"],
            "feasible": not check_schedule(problem, r.schedule),
            "target_met": (r.status == "OPTIMAL" and mk == ref) if proven else mk <= ref * 1.01,
        }
        rows.append(row)
        if progress:
            progress(row)
    plant_row: dict[str, Any] | None = None
    if plant:
        problem = generate_plant(seed=plant_seed)
        r = solve(problem, SolveOptions(objective="mix", time_limit_s=plant_time_limit_s, workers=workers))
        imp = r.improvement()
        start = r.stats.get("start", {})
        start_mix = start.get("makespan", 0) + start.get("weighted_tardiness", 0)
        final_mix = r.metrics.makespan + r.metrics.weighted_tardiness

        def pct(base: int, new: int) -> float | None:
            return round(100.0 * (base - new) / base, 2) if base else None

        plant_row = {
            "instance": problem.name,
            "orders": sum(1 for j in problem.jobs if j.due is not None),
            "jobs": len(problem.jobs),
            "operations": len(problem.operations),
            "machines": len(problem.machines),
            "status": r.status,
            "source": r.source,
            "seconds": r.seconds,
            "objective": r.objective,
            "lower_bound": r.lower_bound,
            "makespan": r.metrics.makespan,
            "weighted_tardiness": r.metrics.weighted_tardiness,
            "late_orders": r.metrics.late_jobs,
            "greedy_makespan": r.greedy.makespan,
            "greedy_weighted_tardiness": r.greedy.weighted_tardiness,
            "greedy_late_orders": r.greedy.late_jobs,
            "improvement": imp,
            # the best dispatching rule (the optimiser's start), so it is visible what the optimisation adds
            "start_rule": r.stats.get("hint"),
            "start_makespan": start.get("makespan"),
            "start_weighted_tardiness": start.get("weighted_tardiness"),
            "start_late_orders": start.get("late_orders"),
            "optimisation_gain": {
                "makespan": start.get("makespan", 0) - r.metrics.makespan,
                "weighted_tardiness": start.get("weighted_tardiness", 0) - r.metrics.weighted_tardiness,
                "weighted_tardiness_pct": pct(start.get("weighted_tardiness", 0), r.metrics.weighted_tardiness),
                "objective_pct": pct(start_mix, final_mix),
            },
            "lower_bound_source": r.stats.get("lower_bound_source"),
            "first_solution_seconds": r.stats.get("first_solution_seconds"),
            "lns_iterations": r.stats.get("lns_iterations"),
            "lns_improvements": r.stats.get("lns_improvements"),
            "feasible": not check_schedule(problem, r.schedule),
            "target_met": r.status in ("OPTIMAL", "FEASIBLE") and r.seconds <= plant_time_limit_s + 1.0,
        }
        if progress:
            progress(plant_row)
    return {
        "workers": workers,
        "time_limit_s": time_limit_s,
        "cpu_count": os.cpu_count(),
        "load_avg_before": load_before,
        "load_avg_after": _load_avg(),
        "instances": rows,
        "plant": plant_row,
        "total_seconds": round(time.perf_counter() - started, 1),
    }


def render_text(result: dict[str, Any]) -> str:
    lines = [
        f"workers={result['workers']} limit={result['time_limit_s']}s cpus={result['cpu_count']} "
        f"load={result['load_avg_before']}→{result['load_avg_after']}",
        f"{'instance':10} {'status':9} {'makespan':>8} {'bound':>8} {'ref':>6} {'greedy':>7} {'secs':>7}  target",
    ]
    for r in result["instances"]:
        lines.append(
            f"{r['instance']:10} {r['status']:9} {r['makespan']:>8} {r['lower_bound'] or 0:>8.0f} {r['reference']:>6} "
            f"{r['greedy_makespan']:>7} {r['seconds']:>7.2f}  {'ok' if r['target_met'] else 'MISSED'}"
        )
    p = result.get("plant")
    if p:
        lines.append(
            f"{p['instance']}: {p['orders']} orders, {p['operations']} ops, {p['machines']} machines: {p['status']} "
            f"in {p['seconds']:.2f}s; makespan {p['makespan']} (greedy {p['greedy_makespan']}), weighted tardiness "
            f"{p['weighted_tardiness']} (greedy {p['greedy_weighted_tardiness']}), late orders {p['late_orders']} "
            f"(greedy {p['greedy_late_orders']})"
        )
        lines.append(
            f"  start ({p['start_rule']}): makespan {p['start_makespan']}, weighted tardiness "
            f"{p['start_weighted_tardiness']}; optimisation adds {p['optimisation_gain']['objective_pct']} % on the "
            f"objective in {p['lns_iterations']} LNS iterations ({p['lns_improvements']} improvements); first "
            f"schedule after {p['first_solution_seconds']}s; lower bound {p['lower_bound']} ({p['lower_bound_source']})"
        )
    return "\n".join(lines)
