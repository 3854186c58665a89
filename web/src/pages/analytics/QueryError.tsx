// A failed query, said plainly: what kind of failure (with the API's problem code), the server's message
// (DuckDB's text keeps its line breaks and ^ marker), and what to try next.
import { ApiError } from "../../api/client";
import { fieldProblems } from "../shared/ApiProblem";

interface Kind {
  title: string;
  hint?: string;
}

const KINDS: Record<string, Kind> = {
  forbidden_sql: {
    title: "Statement not allowed",
    hint: "Only one read-only SELECT (or WITH … SELECT) over your datasets and the sensors/assets tables may run; files, URLs and other statements are refused.",
  },
  sql_error: { title: "SQL error", hint: "Check the names against the table list; column types are shown there too." },
  query_timeout: {
    title: "Query timed out",
    hint: "Narrow the time range, read a rollup (readings_1m or readings_1h) instead of raw readings, or aggregate with time_bucket before joining.",
  },
  query_too_large: {
    title: "Query too large",
    hint: "It needs more memory or lake data than one query may use: narrow the time range, select only the columns you need, or use a rollup dataset.",
  },
  analytics_busy: { title: "Analytics is busy", hint: "Other queries are running right now. Try again in a moment." },
  overloaded: { title: "Analytics is busy", hint: "Other queries are running right now. Try again in a moment." },
  bad_time_range: { title: "Bad time range", hint: "Start must be before end, and the range may span at most 400 days." },
  bad_parameters: { title: "Bad query parameters", hint: "Fill in every $parameter the query uses, with a value of its type." },
  lake_read_failed: { title: "Lake data could not be read", hint: "A lake file could not be read or decrypted. Check the lake status tab; an administrator may need to look at the export." },
  forbidden: { title: "Not allowed", hint: "Your role may not run analytics queries." },
  permission_denied: { title: "Not allowed", hint: "Your role may not run analytics queries." },
  network_error: { title: "MIP is not reachable", hint: "Check the connection and run the query again." },
  validation_failed: { title: "Invalid request" },
};

function retryAfter(e: ApiError): number | null {
  const p = e.problem as { retry_after?: unknown } | undefined;
  const v = typeof p?.retry_after === "number" ? p.retry_after : null;
  return v === null ? null : Math.max(1, Math.round(v));
}

export function queryErrorTitle(e: unknown): string {
  if (!(e instanceof ApiError)) return "Query failed";
  return KINDS[e.code]?.title ?? (e.status === 429 ? "Analytics is busy" : e.status === 403 ? "Not allowed" : "Query failed");
}

interface Props {
  error: unknown;
  onRetry?: () => void;
}

export function QueryError({ error, onRetry }: Props) {
  const e = error instanceof ApiError ? error : null;
  const kind = e ? (KINDS[e.code] ?? (e.status === 429 ? KINDS.analytics_busy : e.status === 403 ? KINDS.forbidden : undefined)) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const fields = fieldProblems(error);
  const wait = e && e.status === 429 ? retryAfter(e) : null;
  return (
    <div className="notice notice-error an-error" role="alert" data-testid="query-error">
      <p className="an-error-head">
        <strong>{queryErrorTitle(error)}</strong>
        {e && (
          <span className="an-error-code">
            {" "}
            (<code>{e.code}</code>
            {e.status ? `, HTTP ${e.status}` : ""})
          </span>
        )}
      </p>
      <pre className="an-error-detail">{message}</pre>
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => (
            <li key={i}>
              {f.field ? <code>{f.field}</code> : null} {f.msg}
            </li>
          ))}
        </ul>
      )}
      {kind?.hint && <p className="small">{kind.hint}</p>}
      {e && e.status === 429 && onRetry && (
        <p>
          <button type="button" className="btn btn-small" onClick={onRetry}>
            Run again
          </button>
          {wait !== null && <span className="small"> The server suggests waiting {wait} s.</span>}
        </p>
      )}
    </div>
  );
}
