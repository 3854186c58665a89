// The 8D form's working copy of a CAPA and the PATCH body of what changed (only changed fields are sent).
import { fromLocalInput, toLocalInput } from "../../lib/zoned";
import type { Capa, CapaAction, CapaPatch, RootCause, TeamMember } from "./api";

export interface Draft {
  title: string;
  ncr_ids: string[];
  team: TeamMember[];
  problem: string;
  containment: string;
  root_cause: RootCause;
  corrective_actions: CapaAction[];
  implementation: string;
  implemented_at: string; // datetime-local in the plant zone, "" = not set
  preventive_actions: CapaAction[];
  effectiveness_date: string; // yyyy-mm-dd, "" = not set
  effectiveness_result: "" | "passed" | "failed";
  effectiveness_notes: string;
  closure_notes: string;
}

function actions(raw: Record<string, unknown>[]): CapaAction[] {
  return raw.map((a) => ({ action: String(a.action ?? ""), owner: String(a.owner ?? ""), due_date: String(a.due_date ?? ""), done: a.done === true }));
}

function rootCause(raw: Record<string, unknown>): RootCause {
  const method = raw.method === "fishbone" ? "fishbone" : "5why";
  const whys = Array.isArray(raw.whys) ? raw.whys.map(String) : [];
  const category = typeof raw.category === "string" ? (raw.category as RootCause["category"]) : null;
  return { method, whys, category, statement: typeof raw.statement === "string" ? raw.statement : "" };
}

export function draftOf(c: Capa, tz: string): Draft {
  return {
    title: c.title,
    ncr_ids: [...c.ncr_ids],
    team: c.team.map((t) => ({ name: String(t.name ?? ""), role: String(t.role ?? ""), user_id: typeof t.user_id === "string" ? t.user_id : null })),
    problem: c.problem,
    containment: c.containment,
    root_cause: rootCause(c.root_cause),
    corrective_actions: actions(c.corrective_actions),
    implementation: c.implementation,
    implemented_at: c.implemented_at ? toLocalInput(c.implemented_at, tz) : "",
    preventive_actions: actions(c.preventive_actions),
    effectiveness_date: c.effectiveness_date ?? "",
    effectiveness_result: c.effectiveness_result === "passed" || c.effectiveness_result === "failed" ? c.effectiveness_result : "",
    effectiveness_notes: c.effectiveness_notes,
    closure_notes: c.closure_notes,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Problems that would make the API refuse the draft (actions need text, owner and due date; a title). */
export function draftProblems(d: Draft, tz: string): string[] {
  const out: string[] = [];
  if (!d.title.trim()) out.push("The title is empty.");
  if (d.team.some((t) => !t.name.trim())) out.push("D1: every team member needs a name.");
  const check = (list: CapaAction[], what: string) => {
    list.forEach((a, i) => {
      if (!a.action.trim() || !a.owner.trim() || !a.due_date) out.push(`${what} ${i + 1}: action, owner and due date are required.`);
    });
  };
  check(d.corrective_actions, "D5 corrective action");
  check(d.preventive_actions, "D7 preventive action");
  if (d.implemented_at && !fromLocalInput(d.implemented_at, tz)) out.push("D6: the implementation time is not valid.");
  return out;
}

export function patchOf(base: Draft, d: Draft, version: number, tz: string): CapaPatch | null {
  const body: CapaPatch = { expected_version: version };
  let changed = false;
  const set = <K extends keyof CapaPatch>(k: K, v: CapaPatch[K]) => {
    body[k] = v;
    changed = true;
  };
  if (d.title !== base.title) set("title", d.title.trim());
  if (!same(d.ncr_ids, base.ncr_ids)) set("ncr_ids", d.ncr_ids);
  if (!same(d.team, base.team)) set("team", d.team.map((t) => ({ name: t.name.trim(), role: t.role.trim(), user_id: t.user_id ?? null })));
  if (d.problem !== base.problem) set("problem", d.problem);
  if (d.containment !== base.containment) set("containment", d.containment);
  if (!same(d.root_cause, base.root_cause)) set("root_cause", { ...d.root_cause, whys: d.root_cause.whys.filter((w) => w.trim()) });
  if (!same(d.corrective_actions, base.corrective_actions)) set("corrective_actions", d.corrective_actions);
  if (d.implementation !== base.implementation) set("implementation", d.implementation);
  if (d.implemented_at !== base.implemented_at) set("implemented_at", d.implemented_at ? (fromLocalInput(d.implemented_at, tz)?.toISOString() ?? null) : null);
  if (!same(d.preventive_actions, base.preventive_actions)) set("preventive_actions", d.preventive_actions);
  if (d.effectiveness_date !== base.effectiveness_date) set("effectiveness_date", d.effectiveness_date || null);
  if (d.effectiveness_result !== base.effectiveness_result) set("effectiveness_result", d.effectiveness_result || null);
  if (d.effectiveness_notes !== base.effectiveness_notes) set("effectiveness_notes", d.effectiveness_notes);
  if (d.closure_notes !== base.closure_notes) set("closure_notes", d.closure_notes);
  return changed ? body : null;
}

/** Open corrective/preventive actions past their due date. */
export function overdueCount(c: Capa, today: string): number {
  return [...actions(c.corrective_actions), ...actions(c.preventive_actions)].filter((a) => !a.done && a.due_date && a.due_date < today).length;
}
