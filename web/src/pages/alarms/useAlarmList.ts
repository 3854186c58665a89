// The alarm list for a set of filters: paged loads ("Load more") and live upserts from alert events
// (known rows update in place, e.g. when they clear or escalate; new matching alarms appear at the top).
import { useCallback, useEffect, useRef, useState } from "react";
import { getSession } from "../../api/client";
import { live, type LiveEvent } from "../../live";
import { errorMessage } from "../shared/errors";
import { alertFromEvent, listAlerts, type AlertOut, type AlertQuery } from "./api";
import { activeParam, matches, newestFirst, type Filters } from "./filters";

export const PAGE_SIZE = 50;

export interface AlarmList {
  items: AlertOut[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  upsert(a: AlertOut): void;
}

function queryFor(f: Filters, offset: number, myId: string | undefined): AlertQuery {
  return {
    active: activeParam(f),
    state: f.state === "any" ? undefined : f.state,
    severity: f.severity ?? undefined,
    safety: f.safety ? true : undefined,
    machine_id: f.machineId ?? undefined,
    rule_id: f.ruleId ?? undefined,
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
  const [page, setPage] = useState({ offset: 0, more: false });
  const generation = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const myId = getSession()?.user.id;
  const key = JSON.stringify(filters);

  const fetchPage = useCallback(
    async (offset: number) => {
      const reset = offset === 0;
      const gen = reset ? ++generation.current : generation.current;
      setLoading(true);
      setError(null);
      try {
        const res = await listAlerts(queryFor(filtersRef.current, offset, myId));
        if (gen !== generation.current) return; // filters changed meanwhile
        setPage({ offset: offset + res.items.length, more: res.items.length >= PAGE_SIZE });
        setItems((cur) => merge(reset ? [] : cur, res.items));
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
    void fetchPage(0);
  }, [fetchPage]);

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
        const gen = generation.current;
        listAlerts(queryFor(filtersRef.current, 0, myId))
          .then((res) => gen === generation.current && setItems((cur) => merge(cur, res.items)))
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
    if (page.more) void fetchPage(page.offset);
  }, [page, fetchPage]);

  return { items, loading, error, hasMore: page.more, loadMore, reload, upsert };
}
