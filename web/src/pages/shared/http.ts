// A small JSON request helper for endpoints the generated schema does not describe yet.
// Same auth and error semantics as the typed client in api/client.ts (Bearer token, RFC 7807 -> ApiError).
import { accessToken, ApiError, getSession, setSession } from "../../api/client";

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = await accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "network_error", `Cannot reach MIP: ${(e as Error).message}`);
  }
  if (res.status === 401 && getSession()) setSession(null);
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const problem = (data && typeof data === "object" ? data : {}) as { code?: string; title?: string; detail?: unknown };
    const msg = typeof problem.detail === "string" ? problem.detail : (problem.title ?? `HTTP ${res.status}`);
    throw new ApiError(res.status, problem.code ?? "http_error", msg, problem.detail);
  }
  return data as T;
}

/** A readable message for any error thrown by the API helpers. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return "Something went wrong";
}
