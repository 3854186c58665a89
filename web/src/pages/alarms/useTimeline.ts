// The data behind an alarm's timeline: its lifecycle events and its comments, loaded together and merged
// oldest first. Reloads when the alarm's lifecycle fields change (the list upserts it from live events)
// and on live "alert.commented" events for it.
import { useCallback, useEffect, useRef, useState } from "react";
import { live } from "../../live";
import { errorMessage } from "../shared/errors";
import { listAlarmEvents, listComments, type AlarmEvent, type AlertComment, type AlertOut } from "./api";

export type TimelineEntry =
  | { type: "event"; key: string; at: string; event: AlarmEvent }
  | { type: "comment"; key: string; at: string; comment: AlertComment };

/** Events and comments in time order; a "commented" event and its comment become one entry. */
export function mergeTimeline(events: AlarmEvent[], comments: AlertComment[]): TimelineEntry[] {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const used = new Set<string>();
  const out: TimelineEntry[] = [];
  for (const e of events) {
    const cid = e.kind === "commented" ? e.details["comment_id"] : undefined;
    const c = typeof cid === "string" ? byId.get(cid) : undefined;
    if (c) {
      used.add(c.id);
      out.push({ type: "comment", key: `c-${c.id}`, at: c.created_at, comment: c });
    } else {
      out.push({ type: "event", key: `e-${e.id}`, at: e.at, event: e });
    }
  }
  for (const c of comments) if (!used.has(c.id)) out.push({ type: "comment", key: `c-${c.id}`, at: c.created_at, comment: c });
  // stable sort: entries at the same instant keep the API's order
  return out
    .map((x, i) => ({ x, i, t: new Date(x.at).getTime() }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ x }) => x);
}

export interface Timeline {
  entries: TimelineEntry[] | null; // null until the first load
  eventsError: string | null;
  commentsError: string | null;
  reload(): void;
  addComment(c: AlertComment): void;
}

export function useTimeline(alert: AlertOut): Timeline {
  const [events, setEvents] = useState<AlarmEvent[] | null>(null);
  const [comments, setComments] = useState<AlertComment[] | null>(null);
  const [eventsError, setEventsError] = useState<string | null>(null);
  const [commentsError, setCommentsError] = useState<string | null>(null);
  const alive = useRef(true);
  const id = alert.id;
  // the fields whose change means new lifecycle events
  const revision = [alert.status, alert.state, alert.escalation_level, alert.suppressed, alert.assigned_to].join("|");

  const load = useCallback(async () => {
    const [ev, cm] = await Promise.allSettled([listAlarmEvents(id), listComments(id)]);
    if (!alive.current) return;
    if (ev.status === "fulfilled") {
      setEvents(ev.value);
      setEventsError(null);
    } else {
      setEvents((cur) => cur ?? []);
      setEventsError(errorMessage(ev.reason));
    }
    if (cm.status === "fulfilled") {
      setComments(cm.value);
      setCommentsError(null);
    } else {
      setComments((cur) => cur ?? []);
      setCommentsError(errorMessage(cm.reason));
    }
  }, [id]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    void load();
  }, [load, revision]);

  useEffect(
    () =>
      live.subscribe((e) => {
        if (e.type === "alert.commented" && e.alert.id === id) void load();
      }),
    [id, load],
  );

  const addComment = useCallback((c: AlertComment) => {
    setComments((cur) => (cur?.some((x) => x.id === c.id) ? cur : [...(cur ?? []), c]));
  }, []);

  const entries = events !== null && comments !== null ? mergeTimeline(events, comments) : null;
  return { entries, eventsError, commentsError, reload: () => void load(), addComment };
}
