// Test helper: a fake MIP API behind globalThis.fetch. Import it FIRST in a test file, before anything that
// imports api/client (openapi-fetch captures globalThis.fetch when the client is created).
export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
}

type Handler = (c: Call, params: Record<string, string>) => unknown;

const routes: { method: string; re: RegExp; names: string[]; fn: Handler }[] = [];
export const calls: Call[] = [];

/** A non-200 (or explicit) reply; any other return value is sent as a 200 JSON body. */
export function reply(status: number, body?: unknown): Reply & { __reply: true } {
  return { status, body, __reply: true };
}

export function problem(status: number, code: string, detail: string) {
  return reply(status, { type: `https://mip.dev/problems/${code}`, title: code, status, code, detail });
}

/** route("GET", "/api/v1/assets/{id}", (call, {id}) => body) — later routes win. */
export function route(method: string, pattern: string, fn: Handler): void;
export function route(method: string, pattern: string, body: unknown): void;
export function route(method: string, pattern: string, fn: unknown): void {
  const names: string[] = [];
  const re = new RegExp(`^${pattern.replace(/\{(\w+)\}/g, (_m, n: string) => (names.push(n), "([^/]+)"))}$`);
  routes.unshift({ method, re, names, fn: typeof fn === "function" ? (fn as Handler) : () => fn });
}

export function resetApi(): void {
  routes.length = 0;
  calls.length = 0;
}

export function callsTo(method: string, path: string | RegExp): Call[] {
  return calls.filter((c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)));
}

async function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const req = input instanceof Request ? input : new Request(input, init);
  if (req.signal?.aborted) throw new DOMException("aborted", "AbortError");
  const url = new URL(req.url);
  const text = req.method === "GET" || req.method === "DELETE" ? "" : await req.text();
  const call: Call = { method: req.method, path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : undefined };
  calls.push(call);
  for (const r of routes) {
    const m = r.method === req.method ? r.re.exec(url.pathname) : null;
    if (!m) continue;
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    const out = await r.fn(call, params);
    const rep: Reply = out && typeof out === "object" && "__reply" in out ? (out as unknown as Reply) : { status: 200, body: out };
    if (rep.status === 204 || rep.body === undefined) return new Response(null, { status: rep.status === 200 ? 204 : rep.status });
    const type = rep.status >= 400 ? "application/problem+json" : "application/json";
    return new Response(JSON.stringify(rep.body), { status: rep.status, headers: { "content-type": type } });
  }
  return new Response(JSON.stringify({ code: "not_found", title: "Not found", detail: `no fake for ${req.method} ${url.pathname}` }), {
    status: 404,
    headers: { "content-type": "application/problem+json" },
  });
}

globalThis.fetch = fakeFetch as typeof fetch;
