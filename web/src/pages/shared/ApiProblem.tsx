// An API error shown inline next to the form or list it belongs to: ApiError.message, plus the field
// problems of a 422 (FastAPI's `errors` list or a `detail` list) that the message does not already say.
import { ApiError } from "../../api/client";
import { errorMessage } from "./errors";
import "./forms.css";

export interface FieldProblem {
  field: string; // "start_time", "" for the whole body
  msg: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** "body.start_time" or ["body", "start_time"] → "start_time". */
function locField(loc: unknown): string {
  const parts = (Array.isArray(loc) ? loc.map(String) : typeof loc === "string" ? loc.split(".") : []).filter((p) => p !== "");
  if (parts[0] === "body" || parts[0] === "query" || parts[0] === "path") parts.shift();
  return parts.join(".");
}

export function fieldProblems(e: unknown): FieldProblem[] {
  if (!(e instanceof ApiError)) return [];
  const body = isRecord(e.problem) ? e.problem : {};
  const list = Array.isArray(e.detail) ? e.detail : Array.isArray(body.errors) ? body.errors : [];
  return list.filter(isRecord).map((x) => ({ field: locField(x.loc), msg: String(x.msg ?? "invalid").replace(/^Value error, /, "") }));
}

/** The problem's headline: its title when field problems follow (a 422), else ApiError.message. */
function headline(e: unknown, hasFields: boolean): string {
  if (hasFields && e instanceof ApiError && isRecord(e.problem) && typeof e.problem.title === "string") return e.problem.title;
  return errorMessage(e);
}

interface Props {
  error: unknown;
  /** "Could not save the shift" */
  action: string;
  /** Field names in words ("start_time" → "Start"). */
  labels?: Record<string, string>;
  testId?: string;
}

export function ApiProblem({ error, action, labels = {}, testId }: Props) {
  if (error === null || error === undefined) return null;
  const fields = fieldProblems(error);
  const message = headline(error, fields.length > 0);
  const extra = fields.filter((p) => !message.includes(p.msg));
  return (
    <div className="notice notice-error api-problem" role="alert" data-testid={testId}>
      <p>
        <strong>{action}:</strong> {message}
      </p>
      {extra.length > 0 && (
        <ul>
          {extra.map((p, i) => (
            <li key={i}>
              {p.field ? <>{labels[p.field] ?? <code>{p.field}</code>}: </> : null}
              {p.msg}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
