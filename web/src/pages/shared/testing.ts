// Test helpers (imported only by *.test.tsx). Import this module FIRST in a test file: the typed client
// captures globalThis.fetch when api/client.ts is evaluated, so the stub must be installed before that.

// Types only: a value import would load api/client before the fetch stub below is installed.
import type { AlertOut } from "../alarms/api";
import type { MachineStatus, PlantOverview } from "../overview/api";

export interface FetchCall {
  method: string;
  path: string;
  url: URL;
  body: unknown;
}

type Handler = (call: FetchCall) => unknown;

interface RouteDef {
  method: string;
  path: string | RegExp;
  handler: Handler;
}

const routes: RouteDef[] = [];
export const calls: FetchCall[] = [];

/** A JSON response with a status (plain return values from handlers become 200 JSON responses). */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": status >= 400 ? "application/problem+json" : "application/json" },
  });
}

export function problem(status: number, detail: string, code = "error"): Response {
  return jsonResponse(status, { type: "about:blank", title: detail, status, detail, code });
}

/** Register a handler; later registrations win, so tests can override defaults. */
export function route(method: string, path: string | RegExp, handler: Handler | object): void {
  routes.unshift({ method, path, handler: typeof handler === "function" ? (handler as Handler) : () => handler });
}

export function resetFetch(): void {
  routes.length = 0;
  calls.length = 0;
}

export function callsTo(method: string, path: string | RegExp): FetchCall[] {
  return calls.filter((c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)));
}

async function stubFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  let method: string;
  let url: URL;
  let text: string | null = null;
  if (typeof Request !== "undefined" && input instanceof Request) {
    method = input.method;
    url = new URL(input.url);
    text = await input.text();
  } else {
    method = (init?.method ?? "GET").toUpperCase();
    url = new URL(String(input), "http://localhost:3000");
    text = typeof init?.body === "string" ? init.body : null;
  }
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const call: FetchCall = { method, path: url.pathname, url, body };
  calls.push(call);
  const r = routes.find((d) => d.method === method && (typeof d.path === "string" ? d.path === url.pathname : d.path.test(url.pathname)));
  if (!r) return problem(404, `no test route for ${method} ${url.pathname}`, "not_found");
  const out = await r.handler(call);
  return out instanceof Response ? out : jsonResponse(200, out);
}

globalThis.fetch = stubFetch as typeof fetch;

/** A promise with its resolve exposed, to hold a response while asserting on a pending state. */
export function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const USERS = {
  admin: {
    id: "00000000-0000-0000-0000-0000000000a1",
    tenant_id: "00000000-0000-0000-0000-00000000000t",
    email: "ada@plant.example",
    full_name: "Ada Admin",
    role: "admin",
    active: true,
    itar_authorized: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  },
  operator: {
    id: "00000000-0000-0000-0000-0000000000b2",
    tenant_id: "00000000-0000-0000-0000-00000000000t",
    email: "otto@plant.example",
    full_name: "Otto Operator",
    role: "production",
    active: true,
    itar_authorized: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  },
  viewer: {
    id: "00000000-0000-0000-0000-0000000000c3",
    tenant_id: "00000000-0000-0000-0000-00000000000t",
    email: "vera@plant.example",
    full_name: "Vera Viewer",
    role: "viewer",
    active: true,
    itar_authorized: false,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  },
};

export const TENANT = {
  id: "00000000-0000-0000-0000-00000000000t",
  name: "Acme",
  slug: "acme",
  isolated: false,
  timezone: "Europe/Berlin",
  created_at: "2026-01-01T00:00:00Z",
};

let seq = 0;
/** An alert with sensible defaults; ids are unique per call unless given. */
export function makeAlert(over: Partial<AlertOut> = {}): AlertOut {
  seq++;
  const id = over.id ?? `a0000000-0000-0000-0000-${String(seq).padStart(12, "0")}`;
  const a: AlertOut = {
    id,
    tenant_id: TENANT.id,
    sensor_id: "s-temp-1",
    machine_id: "m-press-1",
    rule: "high_limit",
    severity: "major",
    safety: false,
    state: "open",
    status: "active_unack",
    cleared_at: null,
    cleared_ts: null,
    escalation_level: 0,
    escalated_at: null,
    suppressed: 0,
    rule_id: null,
    rule_version: null,
    originator_id: over.sensor_id ?? "s-temp-1",
    message: `Alarm ${seq}`,
    threshold: 80,
    first_ts: "2026-03-01T10:00:00Z",
    last_ts: "2026-03-01T10:05:00Z",
    last_value: 85,
    peak_value: 90,
    count: 3,
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_by: null,
    resolved_at: null,
    assigned_to: null,
    assigned_at: null,
    created_at: `2026-03-01T10:00:${String(seq % 60).padStart(2, "0")}Z`,
    updated_at: "2026-03-01T10:05:00Z",
    ...over,
  };
  // the lifecycle status follows the given state/cleared_at unless the test sets it
  if (over.status) return a;
  const cleared = a.cleared_at !== null || a.state === "resolved";
  const acked = a.acknowledged_at !== null || a.state === "acknowledged";
  return { ...a, status: `${cleared ? "cleared" : "active"}_${acked ? "ack" : "unack"}` };
}

export function makeMachine(over: Partial<MachineStatus> = {}): MachineStatus {
  return {
    id: "m-press-1",
    name: "Press 1",
    path: "Berlin/Line A/Press 1",
    site: { id: "site-berlin", name: "Berlin", timezone: "Europe/Berlin" },
    line: { id: "line-a", name: "Line A" },
    status: "running",
    last_seen: new Date(Date.now() - 5000).toISOString(),
    open_alerts: 0,
    unacknowledged_alerts: 0,
    safety_alerts: 0,
    worst_severity: null,
    sensors: [],
    ...over,
  };
}

export function makeOverview(machines: MachineStatus[], timezone = "Europe/Berlin"): PlantOverview {
  return { generated_at: new Date().toISOString(), timezone, machines };
}
