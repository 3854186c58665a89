// One WebSocket per tab to /api/v1/ws: alert events and live reading snapshots for the caller's tenant.
// Reconnects with backoff; listeners subscribe by event kind.
import { useEffect } from "react";
import { accessToken } from "./api/client";

export interface LivePoint {
  sensor_id: string;
  machine_id: string;
  ts: string; // RFC 3339
  value: number;
}

export interface ReadingsEvent {
  type: "readings";
  tenant_id: string;
  points: LivePoint[];
}

export interface AlertEvent {
  type:
    | "alert.opened"
    | "alert.updated"
    | "alert.acknowledged"
    | "alert.cleared"
    | "alert.escalated"
    | "alert.resolved"
    | "alert.assigned"
    | "alert.commented";
  tenant_id: string;
  alert: Record<string, unknown> & { id: string; machine_id: string; severity: string; safety: boolean; state: string };
}

export type LiveEvent = ReadingsEvent | AlertEvent | { type: "hello"; tenant_id: string };
export type LiveStatus = "connecting" | "open" | "closed";

type Handler = (e: LiveEvent) => void;

class LiveSocket {
  private ws: WebSocket | null = null;
  private handlers = new Set<Handler>();
  private statusHandlers = new Set<(s: LiveStatus) => void>();
  private retry = 500;
  private timer: ReturnType<typeof setTimeout> | null = null;
  status: LiveStatus = "closed";

  subscribe(h: Handler): () => void {
    this.handlers.add(h);
    if (!this.ws) void this.connect();
    return () => {
      this.handlers.delete(h);
    };
  }

  onStatus(h: (s: LiveStatus) => void): () => void {
    this.statusHandlers.add(h);
    h(this.status);
    return () => {
      this.statusHandlers.delete(h);
    };
  }

  private setStatus(s: LiveStatus) {
    this.status = s;
    this.statusHandlers.forEach((h) => h(s));
  }

  private generation = 0;

  private async connect() {
    const gen = this.generation;
    const token = await accessToken();
    if (!token || gen !== this.generation || this.ws) return; // closed (or reconnected) while waiting
    this.setStatus("connecting");
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}/api/v1/ws?token=${encodeURIComponent(token)}`);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 500;
      this.setStatus("open");
    };
    ws.onmessage = (m) => {
      let e: LiveEvent;
      try {
        e = JSON.parse(String(m.data)) as LiveEvent;
      } catch {
        return;
      }
      this.handlers.forEach((h) => h(e));
    };
    ws.onclose = () => {
      if (this.ws !== ws) return; // a socket replaced after close(): the new one owns the state
      this.ws = null;
      this.setStatus("closed");
      if (this.handlers.size === 0 || gen !== this.generation) return;
      this.timer = setTimeout(() => void this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 10_000);
    };
  }

  close() {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.handlers.clear();
    this.ws?.close();
    this.ws = null;
  }
}

export const live = new LiveSocket();

/** Subscribe a component to live events while it is mounted. */
export function useLive(handler: Handler, deps: unknown[] = []): void {
  useEffect(() => live.subscribe(handler), deps); // eslint-disable-line react-hooks/exhaustive-deps
}
