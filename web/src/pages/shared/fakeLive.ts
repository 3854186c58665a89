// A stand-in for live.ts in tests: vi.mock("../live", async () => (await import("./shared/fakeLive")).liveModule)
import { act } from "@testing-library/react";
import { useEffect } from "react";
import type { LiveEvent, LiveStatus } from "../../live";

type Handler = (e: LiveEvent) => void;

class FakeLive {
  handlers = new Set<Handler>();
  statusHandlers = new Set<(s: LiveStatus) => void>();
  status: LiveStatus = "open";

  subscribe(h: Handler): () => void {
    this.handlers.add(h);
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

  /** Deliver an event to every subscriber, inside act(). */
  emit(e: LiveEvent): void {
    act(() => this.handlers.forEach((h) => h(e)));
  }

  setStatus(s: LiveStatus): void {
    this.status = s;
    act(() => this.statusHandlers.forEach((h) => h(s)));
  }

  reset(): void {
    this.handlers.clear();
    this.statusHandlers.clear();
    this.status = "open";
  }

  close(): void {
    this.handlers.clear();
  }
}

export const fakeLive = new FakeLive();

export const liveModule = {
  live: fakeLive,
  useLive(handler: Handler, deps: unknown[] = []): void {
    useEffect(() => fakeLive.subscribe(handler), deps); // eslint-disable-line react-hooks/exhaustive-deps
  },
};
