"""CLI: `mip spc` — control charts and capability from a CSV file (no database needed)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mip.cli.common import emit, fail
from mip.platform.errors import MIPError
from mip.quality.spc.build import capability_request, run_request
from mip.quality.spc.charts import ATTRIBUTES
from mip.quality.spc.errors import SpcInputError
from mip.quality.spc.schemas import CapabilityRequest, ChartRequest
from mip.quality.spc.tabular import read_table

spc_app = typer.Typer(help="Statistical process control charts and capability.", no_args_is_help=True)

Input = Annotated[Path, typer.Option("--input", "-i", help="CSV file with a header row")]
ValueCol = Annotated[str, typer.Option(help="column with the measurement (or the count for p/np/c/u)")]
GroupCol = Annotated[str | None, typer.Option(help="column naming each row's subgroup")]
SizeCol = Annotated[str | None, typer.Option(help="column with the subgroup size (p, np, u charts)")]
SubgroupSize = Annotated[int | None, typer.Option(help="form subgroups of n consecutive rows")]
Json = Annotated[bool, typer.Option("--json", help="print the full result as JSON")]


def _request(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _validated(model: type[ChartRequest] | type[CapabilityRequest], body: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    try:
        return model.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SpcInputError(f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}") from None


@spc_app.command("chart")
def chart(
    input: Input,
    value_col: ValueCol,
    type: Annotated[str, typer.Option("--type", help="xbar|r|s|imr|p|np|c|u|ewma|cusum")] = "xbar",
    group_col: GroupCol = None,
    size_col: SizeCol = None,
    subgroup_size: SubgroupSize = None,
    trial_col: Annotated[str | None, typer.Option(help="column marking Phase I rows (TRUE), e.g. 'trial'")] = None,
    phase1: Annotated[int | None, typer.Option(help="the first K subgroups estimate the limits")] = None,
    sigmas: Annotated[float, typer.Option(help="k of the k-sigma limits")] = 3.0,
    rules: Annotated[str, typer.Option(help="we|nelson|limits|none")] = "we",
    sigma_method: Annotated[str | None, typer.Option(help="rbar|sbar|pooled|mr")] = None,
    constants: Annotated[str, typer.Option(help="exact|table (table reproduces qcc)")] = "exact",
    exclude: Annotated[str | None, typer.Option(help="comma-separated Phase I subgroups to leave out")] = None,
    auto_exclude: Annotated[bool, typer.Option(help="drop flagged Phase I subgroups and re-estimate")] = False,
    max_iter: Annotated[int, typer.Option(help="at most this many Phase I iterations")] = 10,
    lam: Annotated[float, typer.Option("--lambda", help="EWMA λ")] = 0.2,
    k: Annotated[float, typer.Option(help="CUSUM k")] = 0.5,
    h: Annotated[float, typer.Option(help="CUSUM h")] = 5.0,
    lsl: Annotated[float | None, typer.Option(help="lower specification limit")] = None,
    usl: Annotated[float | None, typer.Option(help="upper specification limit")] = None,
    target: Annotated[float | None, typer.Option(help="target (default mid-specification)")] = None,
    json: Json = False,
) -> None:
    """Compute a control chart (Phase I limits, Phase II monitoring, run rules, capability)."""
    try:
        t = read_table(input, value_col, group_col=group_col, size_col=size_col, trial_col=trial_col,
                       subgroup_size=subgroup_size)  # fmt: skip
        if phase1 is not None and t.phase1 is not None:
            raise SpcInputError("give --phase1 or --trial-col, not both")
        body = _request(type=type, sigmas=sigmas, rules=rules, sigma_method=sigma_method, constants=constants,
                        labels=t.labels, phase1=phase1 if phase1 is not None else t.phase1, auto_exclude=auto_exclude,
                        max_iter=max_iter, k=k, h=h, lsl=lsl, usl=usl, target=target)  # fmt: skip
        body["lambda"] = lam
        body["exclude"] = [x.strip() for x in exclude.split(",") if x.strip()] if exclude else []
        if type in ATTRIBUTES:
            if any(len(g) != 1 for g in t.groups):
                raise SpcInputError("attribute charts take one count per subgroup (one row each)")
            body["counts"] = [g[0] for g in t.groups]
            body["sizes"] = t.sizes
        else:
            body["subgroups"] = t.groups
        out = run_request(_validated(ChartRequest, body))
    except MIPError as exc:
        fail(exc)
    if json:
        emit(out)
        return
    _summary(out)


@spc_app.command("capability")
def capability(
    input: Input,
    value_col: ValueCol,
    lsl: Annotated[float | None, typer.Option(help="lower specification limit")] = None,
    usl: Annotated[float | None, typer.Option(help="upper specification limit")] = None,
    target: Annotated[float | None, typer.Option(help="target (default mid-specification)")] = None,
    group_col: GroupCol = None,
    subgroup_size: SubgroupSize = None,
    trial_col: Annotated[str | None, typer.Option(help="use only the rows marked TRUE (Phase I)")] = None,
    sigma_method: Annotated[str | None, typer.Option(help="rbar|sbar|pooled|mr")] = None,
    constants: Annotated[str, typer.Option(help="exact|table")] = "exact",
    confidence: Annotated[float, typer.Option(help="confidence level of the intervals")] = 0.95,
    json: Json = False,
) -> None:
    """Process capability (Cp, Cpk, Cpm, Pp, Ppk with confidence intervals, expected ppm)."""
    try:
        t = read_table(input, value_col, group_col=group_col, trial_col=trial_col, subgroup_size=subgroup_size)
        groups = t.groups[: t.phase1] if t.phase1 is not None else t.groups
        body = _request(subgroups=groups, lsl=lsl, usl=usl, target=target, sigma_method=sigma_method,
                        constants=constants, confidence=confidence)  # fmt: skip
        out = capability_request(_validated(CapabilityRequest, body))
    except MIPError as exc:
        fail(exc)
    if json:
        emit(out)
        return
    for key in ("n", "mean", "sigma_within", "sigma_overall", "cp", "cpk", "cpm", "pp", "ppk"):
        sys.stdout.write(f"{key:>14}: {out[key]}\n")


def _summary(out: dict[str, Any]) -> None:
    lim = out["limits"]
    w = sys.stdout.write
    w(f"{out['type']} chart: center {out['center']:.6g}, sigma {out['sigma']}\n")
    if lim["ucl"] is not None:
        w(f"limits: LCL {lim['lcl']:.7g}  UCL {lim['ucl']:.7g}\n")
    else:
        w("limits vary per subgroup (use --json)\n")
    ph = out["phase1"]
    w(f"phase I: {ph['included']}/{ph['subgroups']} subgroups, excluded {ph['excluded'] or 'none'}\n")
    for v in out["violations"]:
        w(f"  subgroup {v['label']} (phase {v['phase']}): {v['rule']}: {v['description']}\n")
    if "capability" in out:
        c = out["capability"]
        w(f"capability: Cp {c['cp']}, Cpk {c['cpk']}, Cpm {c['cpm']}, Pp {c['pp']}, Ppk {c['ppk']}\n")
