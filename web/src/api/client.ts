// The typed API client: paths and bodies come from schema.d.ts, generated from the committed openapi.json.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const STORAGE_KEY = "mip.session";

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: number; // epoch ms
  user: Schemas["UserOut"];
}

type Listener = (s: Session | null) => void;
let session: Session | null = loadSession();
const listeners = new Set<Listener>();

function loadSession(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return session;
}

export function setSession(s: Session | null): void {
  session = s;
  try {
    if (s) globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(s));
    else globalThis.localStorage?.removeItem(STORAGE_KEY);
  } catch {
    /* private mode: keep the session in memory only */
  }
  listeners.forEach((l) => l(s));
}

export function onSession(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function sessionFromTokens(t: Schemas["TokenOut"]): Session {
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: Date.now() + t.expires_in * 1000,
    user: t.user,
  };
}

/** An RFC 7807 problem from the API, or a network failure, as one error type the pages can show. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public detail?: unknown,
    /** The whole problem body (e.g. a 422's field errors), when the API sent one. */
    public problem?: unknown,
  ) {
    super(message);
  }
}

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });

let refreshing: Promise<void> | null = null;

async function refresh(): Promise<void> {
  const s = session;
  if (!s) return;
  const res = await fetch("/api/v1/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token: s.refreshToken }),
  });
  if (!res.ok) {
    setSession(null);
    return;
  }
  setSession(sessionFromTokens((await res.json()) as Schemas["TokenOut"]));
}

/** A valid access token, refreshed (once, shared) when it is about to expire. */
export async function accessToken(): Promise<string | null> {
  if (session && session.expiresAt - Date.now() < 30_000) {
    refreshing ??= refresh().finally(() => (refreshing = null));
    await refreshing;
  }
  return session?.accessToken ?? null;
}

const auth: Middleware = {
  async onRequest({ request }) {
    if (request.url.includes("/api/v1/auth/")) return request;
    const token = await accessToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401 && session) setSession(null);
    return response;
  },
};
api.use(auth);

/** Unwrap an openapi-fetch result: the data, or an ApiError with the problem's code and title. */
export async function unwrap<T>(
  p: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch (e) {
    throw new ApiError(0, "network_error", `Cannot reach MIP: ${(e as Error).message}`);
  }
  if (r.response.ok) return r.data as T;
  const problem = (r.error ?? {}) as { code?: string; title?: string; detail?: unknown };
  const msg =
    typeof problem.detail === "string" ? problem.detail : (problem.title ?? `HTTP ${r.response.status}`);
  throw new ApiError(r.response.status, problem.code ?? "http_error", msg, problem.detail, r.error);
}
