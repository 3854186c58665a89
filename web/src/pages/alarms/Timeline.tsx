// An alarm's timeline: every lifecycle transition (raised, acknowledged, cleared, escalated, ...) with who and
// when, merged with its comment thread, oldest first; and the form to add a comment.
import { formatDateTime } from "../../lib/time";
import type { AlarmEvent, AlertOut } from "./api";
import { CommentForm } from "./Comments";
import { useTimeline } from "./useTimeline";

const KIND_LABEL: Record<string, string> = {
  raised: "Raised",
  acknowledged: "Acknowledged",
  cleared: "Cleared",
  resolved: "Resolved",
  escalated: "Escalated",
  assigned: "Assigned",
  unassigned: "Unassigned",
  commented: "Commented",
  suppressed: "Grouped (flood control)",
};

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, " ");
}

function fmt(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

const HIDDEN = new Set(["comment_id", "sensor_id", "machine_id", "rule_id"]);

/** The event's details in words: "value 92.5, limit 85", "level 2", "to Otto Operator". */
export function describeDetails(e: AlarmEvent, userName: (id: string | null) => string): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.details ?? {})) {
    if (v === null || v === undefined || HIDDEN.has(k)) continue;
    if (k === "assignee" && typeof v === "string") parts.push(`to ${userName(v)}`);
    else if (k === "level") parts.push(`level ${fmt(v)}`);
    else if (k === "value") parts.push(`value ${fmt(v)}`);
    else if (k === "threshold") parts.push(`limit ${fmt(v)}`);
    else parts.push(`${k.replace(/_/g, " ")}: ${fmt(v)}`);
  }
  return parts.join(", ");
}

interface Props {
  alert: AlertOut;
  tz: string;
  mayPost: boolean;
  userName(id: string | null): string;
}

export function Timeline({ alert, tz, mayPost, userName }: Props) {
  const t = useTimeline(alert);
  const actor = (e: AlarmEvent) => (e.actor_id === null ? "system" : (e.actor_name ?? userName(e.actor_id)));
  const errors = [t.eventsError && `events: ${t.eventsError}`, t.commentsError && `comments: ${t.commentsError}`].filter(Boolean);

  return (
    <section className="timeline" aria-labelledby={`timeline-${alert.id}`}>
      {/* h2: the page has no other level between its h1 and this panel */}
      <h2 className="small-title" id={`timeline-${alert.id}`}>
        Timeline
      </h2>
      {errors.length > 0 && (
        <p role="alert" className="form-error">
          Could not load {errors.join("; ")}{" "}
          <button type="button" className="btn btn-small" onClick={t.reload}>
            Retry
          </button>
        </p>
      )}
      {t.entries === null && <p className="muted">Loading timeline…</p>}
      {t.entries?.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {t.entries && t.entries.length > 0 && (
        <ol className="timeline-list">
          {t.entries.map((x) =>
            x.type === "comment" ? (
              <li key={x.key} className="timeline-entry kind-comment" data-testid="timeline-entry" data-kind="comment">
                <p className="timeline-meta">
                  <time dateTime={x.at}>{formatDateTime(x.at, tz)}</time> <strong>Comment</strong> by{" "}
                  <span className="timeline-actor">{x.comment.author_name ?? "Unknown user"}</span>
                </p>
                <p className="comment-body">{x.comment.body}</p>
              </li>
            ) : (
              <li key={x.key} className={`timeline-entry kind-${x.event.kind}`} data-testid="timeline-entry" data-kind={x.event.kind}>
                <p className="timeline-meta">
                  <time dateTime={x.at}>{formatDateTime(x.at, tz)}</time> <strong>{kindLabel(x.event.kind)}</strong> by{" "}
                  <span className="timeline-actor">{actor(x.event)}</span>
                </p>
                {describeDetails(x.event, userName) && <p className="timeline-details">{describeDetails(x.event, userName)}</p>}
              </li>
            ),
          )}
        </ol>
      )}
      {mayPost && <CommentForm alertId={alert.id} onPosted={t.addComment} />}
    </section>
  );
}
