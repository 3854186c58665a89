// The alarm list for a set of filters: paged loads ("Load more"), merged across state queries, and
// live upserts from alert events (known rows update in place; new matching alarms appear at the top).
import { useCallback, useEffect, useRef, useState } from "react";
import { getSession } from "../../api/client";
import { live, type LiveEvent } from "../../live";
import { errorMessage } from "../shared/errors";
import { alertFromEvent, listAlerts, type AlertOut, type AlertQuery, type AlertState } from "./api";
import { matches, newestFirst, stateStreams, type Filters } from "./filters";

export const PAGE_SIZE = 50;

interface Stream {
  state: AlertState | undefined;
  offset: number;
  more: boolean;
}

export interface AlarmList {
  items: AlertOut[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  upsert(a: AlertOut): void;
}

function queryFor(f: Filters, state: AlertState | undefined, offset: number, myId: string | undefined): AlertQuery {
  return {
    state,
    severity: f.severity ?? undefined,
    safety: f.safety ? true : undefined,
    machine_id: f.machineId ?? undefined,
    assigned_to: f.mine ? myId : undefined,
    limit: PAGE_SIZE,
    offset,
  };
}

function merge(cur: AlertOut[], incoming: AlertOut[]): AlertOut[] {
  const byId = new Map(cur.map((a) => [a.id, a]));
  for (const a of incoming) {
    const old = byId.get(a.id);
    if (!old || old.updated_at <= a.updated_at) byId.set(a.id, a);
  }
  return [...byId.values()].sort(newestFirst);
}

export function useAlarmList(filters: Filters): AlarmList {
  const [items, setItems] = useState<AlertOut[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [streams, setStreams] = useState<Stream[]>([]);
  const generation = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const myId = getSession()?.user.id;
  const key = JSON.stringify(filters);

  const fetchPages = useCallback(
    async (todo: Stream[], reset: boolean) => {
      const gen = reset ? ++generation.current : generation.current;
      const f = filtersRef.current;
      setLoading(true);
      setError(null);
      try {
        const pages = await Promise.all(
          todo.map((s) =>
            listAlerts(queryFor(f, s.state, s.offset, myId)),
          ),
        );
        if (gen !== generation.current) return; // filters changed meanwhile
        const next = todo.map((s, i) => ({ ...s, offset: s.offset + pages[i].items.length, more: pages[i].items.length >= PAGE_SIZE }));
        setStreams((cur) => (reset ? next : cur.map((s) => next.find((n) => n.state === s.state) ?? s)));
        const fresh = pages.flatMap((p) => p.items);
        setItems((cur) => merge(reset ? [] : cur, fresh));
      } catch (e) {
        if (gen === generation.current) setError(errorMessage(e));
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [myId],
  );

  const reload = useCallback(() => {
    setItems([]);
    void fetchPages(
      stateStreams(filtersRef.current).map((state) => ({ state, offset: 0, more: true })),
      true,
    );
  }, [fetchPages]);

  useEffect(reload, [key, reload]);

  const upsert = useCallback(
    (a: AlertOut) =>
      setItems((cur) => {
        const known = cur.some((x) => x.id === a.id);
        if (!known && !matches(filtersRef.current, a, myId)) return cur;
        return merge(cur, [a]);
      }),
    [myId],
  );

  useEffect(() => {
    const off = live.subscribe((e: LiveEvent) => {
      if (e.type === "readings" || e.type === "hello") return;
      upsert(alertFromEvent(e.alert));
    });
    // After a reconnect, events may have been missed: merge in the first page again (pagination is kept).
    let wasOpen = live.status === "open";
    const offStatus = live.onStatus((st) => {
      if (st === "open" && !wasOpen) {
        const f = filtersRef.current;
        const gen = generation.current;
        Promise.all(
          stateStreams(f).map((state) =>
            listAlerts(queryFor(f, state, 0, myId)),
          ),
        )
          .then((pages) => gen === generation.current && setItems((cur) => merge(cur, pages.flatMap((p) => p.items))))
          .catch(() => {});
      }
      wasOpen = st === "open";
    });
    return () => {
      off();
      offStatus();
    };
  }, [upsert, myId]);

  const loadMore = useCallback(() => {
    const todo = streams.filter((s) => s.more);
    if (todo.length) void fetchPages(todo, false);
  }, [streams, fetchPages]);

  return { items, loading, error, hasMore: streams.some((s) => s.more), loadMore, reload, upsert };
}
