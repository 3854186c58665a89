import { useEffect, useState } from "react";
import { live, type LiveStatus } from "../live";

const TEXT: Record<LiveStatus, string> = { open: "Live", connecting: "Connecting…", closed: "Offline" };
const TITLE: Record<LiveStatus, string> = {
  open: "Receiving live data",
  connecting: "Connecting to live data…",
  closed: "Live data disconnected: values may be out of date. Reconnecting automatically.",
};

/** A small dot + word for the live WebSocket connection. */
export function LiveIndicator() {
  const [status, setStatus] = useState<LiveStatus>(live.status);
  useEffect(() => live.onStatus(setStatus), []);
  return (
    <span className={`live-indicator live-${status}`} role="status" title={TITLE[status]} data-testid="live-indicator">
      <span className="live-dot" aria-hidden="true" />
      <span>
        <span className="sr-only">Live data: </span>
        {TEXT[status]}
      </span>
    </span>
  );
}
