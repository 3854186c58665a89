// Maintenance figures in words: health bands, remaining useful life, failure probability, statuses and
// the triggers of a recommendation. Every state has a word (and an icon), never colour alone.
import type { Health, Model, Priority, Recommendation, WorkOrderKind, WorkOrderStatus } from "./api";

export interface Band {
  key: "good" | "fair" | "poor" | "critical";
  label: string;
  icon: string;
}

/** 0–100 health index → a band (≥ 70 good, ≥ 40 fair, ≥ 20 poor, else critical). */
export function healthBand(index: number): Band {
  if (index >= 70) return { key: "good", label: "Good", icon: "●" };
  if (index >= 40) return { key: "fair", label: "Fair", icon: "◆" };
  if (index >= 20) return { key: "poor", label: "Poor", icon: "▲" };
  return { key: "critical", label: "Critical", icon: "■" };
}

const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A span of hours for people: "45 min", "31 h", "4 days 6 h", "23 days". */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours)) return "—";
  const h = Math.max(0, hours);
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${whole.format(Math.round(h))} h`;
  const days = Math.floor(h / 24);
  const rest = Math.round(h - days * 24);
  if (days < 14) return rest === 24 ? `${days + 1} days` : rest ? `${days} days ${rest} h` : `${days} days`;
  return `${whole.format(Math.round(h / 24))} days`;
}

/** Remaining useful life; at the model's cap it means "at least that long". */
export function formatRul(hours: number, capHours?: number | null): string {
  if (capHours && Number.isFinite(capHours) && hours >= capHours) return `≥ ${formatHours(capHours)}`;
  return formatHours(hours);
}

/** 0.634 → "63 %"; tiny and near-certain values keep their meaning ("< 1 %", "> 99 %"). */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return "—";
  const pct = p * 100;
  if (pct > 0 && pct < 1) return "< 1 %";
  if (pct > 99 && pct < 100) return "> 99 %";
  return `${whole.format(Math.round(pct))} %`;
}

/** A horizon in hours as the probability's time frame: "7 days", "36 h". */
export function formatHorizon(hours: number): string {
  return hours >= 48 && hours % 24 === 0 ? `${hours / 24} days` : formatHours(hours);
}

export const formatIndex = (v: number) => (Number.isFinite(v) ? oneDecimal.format(v) : "—");

export const WO_STATUS_TEXT: Record<WorkOrderStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  cancelled: "Cancelled",
};
export const WO_STATUS_ICON: Record<WorkOrderStatus, string> = { open: "○", in_progress: "◐", done: "✓", cancelled: "✕" };

/** The button that moves a work order to a status. */
export const TRANSITION_TEXT: Record<WorkOrderStatus, string> = {
  open: "Back to open",
  in_progress: "Start",
  done: "Mark done",
  cancelled: "Cancel",
};

export const PRIORITY_TEXT: Record<Priority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };
export const PRIORITY_ICON: Record<Priority, string> = { low: "▽", medium: "◇", high: "▲", urgent: "■" };

export const KIND_TEXT: Record<WorkOrderKind, string> = {
  corrective: "Corrective",
  preventive: "Preventive",
  predictive: "Predictive",
  inspection: "Inspection",
};

export const REC_STATUS_TEXT: Record<Recommendation["status"], string> = { open: "Open", accepted: "Accepted", dismissed: "Dismissed" };
export const REC_STATUS_ICON: Record<Recommendation["status"], string> = { open: "!", accepted: "✓", dismissed: "✕" };

export const MODEL_STATUS_TEXT: Record<Model["status"], string> = { candidate: "Candidate", active: "Active", retired: "Retired" };
export const MODEL_STATUS_ICON: Record<Model["status"], string> = { candidate: "◇", active: "●", retired: "○" };
export const MODEL_KIND_TEXT: Record<Model["kind"], string> = { rul: "Remaining life (RUL)", failure_probability: "Failure probability" };

/** "predicted_failure" → "Predicted failure". */
export function reasonText(reason: string): string {
  const s = reason.replace(/_/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : "—";
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** One fired policy trigger in words. */
export function triggerText(t: Record<string, unknown>): string {
  const value = num(t.value);
  const threshold = num(t.threshold);
  if (t.metric === "failure_probability" && value !== null && threshold !== null) {
    const horizon = num(t.horizon_hours);
    return `failure probability ${formatProbability(value)} above ${formatProbability(threshold)}${horizon ? ` within ${formatHorizon(horizon)}` : ""}`;
  }
  if (t.metric === "rul_hours" && value !== null && threshold !== null) {
    return `remaining life ${formatHours(value)} below ${formatHours(threshold)}`;
  }
  return Object.entries(t)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
}

/** "rul-cnc v3". */
export const modelLabel = (m: Pick<Model, "name" | "version">) => `${m.name} v${m.version}`;

/** A score's model by id, from the registry when it is there. */
export function modelName(models: Model[] | null, id: string | null): string {
  if (id === null) return "—";
  const m = models?.find((x) => x.id === id);
  return m ? modelLabel(m) : `model ${id.slice(0, 8)}`;
}

/** Worst first: lowest health, then highest failure probability, then shortest remaining life. */
export function worstFirst(a: Health, b: Health): number {
  return a.health_index - b.health_index || b.failure_probability - a.failure_probability || a.rul_hours - b.rul_hours;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The cross-validated error figures of a model (hours of RUL), as far as its metrics carry them. */
export function modelMetrics(m: Model): { rmse: number | null; mae: number | null; folds: number | null } {
  const cv = record(m.metrics.truncated);
  return { rmse: num(cv.rmse) ?? num(m.metrics.rmse), mae: num(cv.mae) ?? num(m.metrics.mae), folds: num(m.metrics.folds) };
}

/** Training data in a line: "rollup_1h of …; 1 200 rows, 4 lives (3 failures), 2 machines". */
export function trainingDataText(m: Model): string {
  const d = m.training_data;
  const parts: string[] = [];
  const rows = num(d.rows);
  const lives = num(d.lives);
  const failures = num(d.failures);
  if (rows !== null) parts.push(`${whole.format(rows)} rows`);
  if (lives !== null) parts.push(`${lives} ${lives === 1 ? "life" : "lives"}${failures !== null ? ` (${failures} ${failures === 1 ? "failure" : "failures"})` : ""}`);
  if (Array.isArray(d.machines)) parts.push(`${d.machines.length} ${d.machines.length === 1 ? "machine" : "machines"}`);
  const source = typeof d.source === "string" ? d.source : "";
  return [source, parts.join(", ")].filter(Boolean).join("; ") || "—";
}

/** The RUL cap a score was made with (its details), for "≥ 30 days". */
export function capOf(details: Record<string, unknown>): number | null {
  return num(details.cap_hours);
}
