// Why each late order is late: its critical chain (from the operation that holds it up to its last one, with
// what each step waits for) and the busiest machines on that chain, most weighted tardiness first.
import { formatDuration } from "../../lib/zoned";
import type { Late } from "./api";

const WAITS: Record<string, string> = {
  precedence: "its previous operation",
  machine: "the machine (busy with other work)",
  release: "the order's release / material",
  calendar: "machine unavailability (calendar, maintenance)",
  frozen: "the frozen part of the reschedule",
  time_zero: "the start of the horizon",
  idle: "nothing (idle slack)",
};

interface Props {
  items: Late[];
  orderName(id: string): string;
  machineName(id: string): string;
  when(minute: number): string;
}

export function LatePanel({ items, orderName, machineName, when }: Props) {
  if (items.length === 0) return <p className="pg-ok">No late orders: every order completes by its due date.</p>;
  return (
    <ol className="late-list" aria-label="Late orders, most weighted tardiness first">
      {items.map((l) => {
        const first = l.chain[0];
        return (
          <li key={l.job} className="late-item" data-testid="late-order">
            <details>
              <summary>
                <strong>{orderName(l.job)}</strong>: {formatDuration(l.tardiness * 60)} late (due {when(l.due)}, done {when(l.completion)}
                {l.weight > 1 ? `, weight ${l.weight}` : ""})
              </summary>
              <p className="small">
                Critical chain of {l.chain.length} operation{l.chain.length === 1 ? "" : "s"}
                {first ? `, held at the start by ${WAITS[first.waits_for] ?? first.waits_for}` : ""}. Busiest machines on it:{" "}
                {l.bottlenecks.map(([m, min]) => `${machineName(m)} (${formatDuration(min * 60)})`).join(", ") || "—"}.
              </p>
              <ol className="late-chain small">
                {l.chain.map((c) => (
                  <li key={c.op}>
                    {c.job === l.job ? "" : `${orderName(c.job)}: `}
                    {opLabel(c.op, c.job)} on {machineName(c.machine)}, {when(c.start)} → {when(c.end)}; waits for {WAITS[c.waits_for] ?? c.waits_for}
                  </li>
                ))}
              </ol>
            </details>
          </li>
        );
      })}
    </ol>
  );
}

export function opLabel(op: string, job: string): string {
  return op.startsWith(`${job}:`) ? `operation ${op.slice(job.length + 1)}` : op;
}
