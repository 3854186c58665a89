// The event history of an NCR or CAPA: every transition and edit with who and when (plant time).
import { formatDateTime } from "../../lib/time";
import type { QualityEvent } from "./api";
import { eventText } from "./format";
import { LoadError, Loading } from "./States";
import type { Resource } from "./useResource";

interface Props {
  events: Resource<QualityEvent[]>;
  tz: string;
  userName(id: string | null): string;
  label(s: string): string;
  headingId: string;
}

export function History({ events, tz, userName, label, headingId }: Props) {
  return (
    <section className="qa-section" aria-labelledby={headingId}>
      <h3 id={headingId}>History</h3>
      {events.error ? (
        <LoadError what="the history" error={events.error} onRetry={events.reload} />
      ) : !events.data ? (
        <Loading what="history" />
      ) : events.data.length === 0 ? (
        <p className="pg-empty">No events yet.</p>
      ) : (
        <ol className="qa-history" data-testid="history">
          {events.data.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at} className="pg-mono small">
                {formatDateTime(e.at, tz)}
              </time>{" "}
              <span>{eventText(e, label)}</span> <span className="muted small">by {userName(e.actor_id)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
