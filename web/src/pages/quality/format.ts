// Words and numbers of the quality page: workflow labels, ages, rates, and the transitions the API allows.
import type { CapaStatus, Disposition, NcrStatus } from "./api";

// Board columns in workflow order: use-as-is/repair dispositions wait in "Pending MRB" before "Dispositioned".
export const NCR_COLUMNS: NcrStatus[] = ["open", "contained", "pending_mrb", "dispositioned", "closed"];

export const NCR_STATUS_LABEL: Record<NcrStatus, string> = {
  open: "Open",
  contained: "Contained",
  pending_mrb: "Pending MRB",
  dispositioned: "Dispositioned",
  closed: "Closed",
  cancelled: "Cancelled",
};

/** The moves of POST /ncrs/{id}/transition (disposition and MRB have their own forms), as ncr.py TRANSITIONS. */
export const NCR_TRANSITIONS: Record<NcrStatus, NcrStatus[]> = {
  open: ["contained", "cancelled"],
  contained: ["cancelled"],
  pending_mrb: ["cancelled"],
  dispositioned: ["closed"],
  closed: [],
  cancelled: [],
};

export const DISPOSITIONS: { value: Disposition; label: string; mrb: boolean }[] = [
  { value: "use_as_is", label: "Use as is", mrb: true },
  { value: "rework", label: "Rework", mrb: false },
  { value: "repair", label: "Repair", mrb: true },
  { value: "scrap", label: "Scrap", mrb: false },
  { value: "return_to_supplier", label: "Return to supplier", mrb: false },
];

export function dispositionLabel(d: string | null | undefined): string {
  return DISPOSITIONS.find((x) => x.value === d)?.label ?? (d ? d.replace(/_/g, " ") : "—");
}

export const CAPA_STATUS_LABEL: Record<CapaStatus, string> = {
  open: "Open",
  implementing: "Implementing",
  verifying: "Verifying",
  closed: "Closed",
  cancelled: "Cancelled",
};

/** As capa.py TRANSITIONS. */
export const CAPA_TRANSITIONS: Record<CapaStatus, CapaStatus[]> = {
  open: ["implementing", "cancelled"],
  implementing: ["verifying", "cancelled"],
  verifying: ["closed", "implementing", "cancelled"],
  closed: [],
  cancelled: [],
};

export function ncrStatusLabel(s: string): string {
  return NCR_STATUS_LABEL[s as NcrStatus] ?? s;
}

export function capaStatusLabel(s: string): string {
  return CAPA_STATUS_LABEL[s as CapaStatus] ?? s;
}

export function isNcrStatus(s: string): s is NcrStatus {
  return s in NCR_STATUS_LABEL;
}

export function isCapaStatus(s: string): s is CapaStatus {
  return s in CAPA_STATUS_LABEL;
}

const DAY = 86_400_000;

/** Whole days since an instant ("0 d" the same day). */
export function ageDays(since: string, now: number): number {
  return Math.max(0, Math.floor((now - new Date(since).getTime()) / DAY));
}

export function ageText(days: number): string {
  return days === 1 ? "1 day" : `${days} days`;
}

/**
 * How urgent an NCR is. The API has no severity field, so the board derives one from what it knows:
 * waiting for the MRB or older than 30 days open = high, older than 7 days = medium, else low. Closed = none.
 */
export type Urgency = "high" | "medium" | "low" | "none";
export function ncrUrgency(status: string, days: number): Urgency {
  if (status === "closed" || status === "cancelled") return "none";
  if (status === "pending_mrb" || days > 30) return "high";
  if (days > 7) return "medium";
  return "low";
}

export const URGENCY_LABEL: Record<Urgency, string> = { high: "High", medium: "Medium", low: "Low", none: "—" };

/** "1.25", "8", "0.3333": quantities without float noise. */
export function fmtQty(q: number | null | undefined): string {
  if (q === null || q === undefined || !Number.isFinite(q)) return "—";
  return String(Number(q.toFixed(4)));
}

/** A ratio 0..1 as "97.5 %" (null → "—": nothing inspected). */
export function fmtPct(r: number | null | undefined, digits = 1): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return "—";
  return `${(r * 100).toFixed(digits)} %`;
}

/** DPMO / PPM: whole numbers with thousands separators. */
export function fmtPpm(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return Math.round(v).toLocaleString("en-GB");
}

export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : "—";
}

/** An action due before today (local date of the plant) and not done. */
export function isOverdue(due: string | null | undefined, done: boolean, today: string): boolean {
  return !done && !!due && due < today;
}

/** "edited" / "transition" / ... in words. */
export function eventText(e: { kind: string; from_status: string | null; to_status: string | null; detail: Record<string, unknown> }, label: (s: string) => string): string {
  const d = e.detail ?? {};
  const comment = typeof d.comment === "string" && d.comment ? ` — “${d.comment}”` : "";
  switch (e.kind) {
    case "created":
      return "Created";
    case "edited":
      return `Edited ${Array.isArray(d.fields) ? d.fields.map((f) => String(f).replace(/_/g, " ")).join(", ") : ""}`.trim();
    case "transition":
      return `${label(e.from_status ?? "?")} → ${label(e.to_status ?? "?")}${comment}`;
    case "disposition": {
      const qty = typeof d.quantity === "number" ? ` (${fmtQty(d.quantity)})` : "";
      const notes = typeof d.notes === "string" && d.notes ? ` — “${d.notes}”` : "";
      return `Dispositioned: ${dispositionLabel(String(d.disposition ?? ""))}${qty} → ${label(e.to_status ?? "?")}${notes}`;
    }
    case "mrb_approved":
      return `MRB approved ${dispositionLabel(String(d.disposition ?? ""))}${comment}`;
    case "mrb_rejected":
      return `MRB rejected ${dispositionLabel(String(d.disposition ?? ""))} → back to ${label(e.to_status ?? "contained")}${comment}`;
    default:
      return e.kind.replace(/_/g, " ");
  }
}
