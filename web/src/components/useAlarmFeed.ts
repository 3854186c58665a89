// The layout's view of alarms: how many are open (unacknowledged) and which urgent ones (safety or critical)
// must be shown in the banner. Seeded with one request, then kept current from live alert events. An alarm
// that escalates (still unacknowledged) into an urgent one brings the banner back, even if it was dismissed.
import { useCallback, useEffect, useRef, useState } from "react";
import { live, type LiveEvent } from "../live";
import { acknowledgeAlert, alertFromEvent, isUrgent, listAlerts, type AlertOut } from "../pages/alarms/api";
import { alarmTone } from "./alarmTone";

const SEED_LIMIT = 1000;
const REPEAT_MS = 20_000;

export interface AlarmFeed {
  openCount: number;
  openCountCapped: boolean;
  urgent: AlertOut[]; // newest first
  dismiss(id: string): void;
  acknowledge(id: string): Promise<void>;
}

export function useAlarmFeed(): AlarmFeed {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [capped, setCapped] = useState(false);
  const [urgent, setUrgent] = useState<AlertOut[]>([]);
  const dismissed = useRef(new Set<string>());
  const showing = useRef(new Set<string>());
  useEffect(() => {
    showing.current = new Set(urgent.map((a) => a.id));
  }, [urgent]);

  const seed = useCallback(async () => {
    try {
      const page = await listAlerts({ state: "open", limit: SEED_LIMIT, offset: 0 });
      setOpen(new Set(page.items.map((a) => a.id)));
      setCapped(page.items.length >= SEED_LIMIT);
      const seeded = page.items.filter((a) => isUrgent(a) && !dismissed.current.has(a.id));
      setUrgent((cur) => {
        const ids = new Set(seeded.map((a) => a.id));
        // keep live entries the seed may not have seen yet (opened after the query ran)
        return [...cur.filter((a) => !ids.has(a.id) && a.state === "open"), ...seeded].sort((a, b) =>
          b.created_at.localeCompare(a.created_at),
        );
      });
    } catch {
      /* the badge is a hint; the alarms page shows errors */
    }
  }, []);

  useEffect(() => {
    void seed();
    let wasOpen = live.status === "open";
    const offStatus = live.onStatus((s) => {
      if (s === "open" && !wasOpen) void seed(); // resync after a reconnect: events may have been missed
      wasOpen = s === "open";
    });
    const offEvents = live.subscribe((e: LiveEvent) => {
      if (e.type === "readings" || e.type === "hello") return;
      const a = alertFromEvent(e.alert);
      setOpen((cur) => {
        if ((a.state === "open") === cur.has(a.id)) return cur;
        const next = new Set(cur);
        if (a.state === "open") next.add(a.id);
        else next.delete(a.id);
        return next;
      });
      const retrigger = e.type === "alert.escalated" && isUrgent(a) && !showing.current.has(a.id);
      if (retrigger) dismissed.current.delete(a.id);
      if (a.state !== "open") {
        setUrgent((cur) => (cur.some((x) => x.id === a.id) ? cur.filter((x) => x.id !== a.id) : cur));
      } else if ((retrigger || e.type === "alert.opened") && isUrgent(a) && !dismissed.current.has(a.id)) {
        showing.current.add(a.id);
        setUrgent((cur) => [a, ...cur.filter((x) => x.id !== a.id)]);
        void alarmTone.play();
      } else {
        setUrgent((cur) => (cur.some((x) => x.id === a.id) ? cur.map((x) => (x.id === a.id ? a : x)) : cur));
      }
    });
    return () => {
      offStatus();
      offEvents();
    };
  }, [seed]);

  // Remind every 20 s while an urgent alarm is still on screen.
  const hasUrgent = urgent.length > 0;
  useEffect(() => {
    if (!hasUrgent) return;
    const t = setInterval(() => void alarmTone.play(), REPEAT_MS);
    return () => clearInterval(t);
  }, [hasUrgent]);

  const dismiss = useCallback((id: string) => {
    dismissed.current.add(id);
    setUrgent((cur) => cur.filter((a) => a.id !== id));
  }, []);

  const acknowledge = useCallback(async (id: string) => {
    const a = await acknowledgeAlert(id);
    setUrgent((cur) => cur.filter((x) => x.id !== id));
    setOpen((cur) => {
      if (!cur.has(a.id) || a.state === "open") return cur;
      const next = new Set(cur);
      next.delete(a.id);
      return next;
    });
  }, []);

  return { openCount: open.size, openCountCapped: capped, urgent, dismiss, acknowledge };
}
