// My notifications ("/settings/notifications"): my alarm subscriptions and quiet hours; administrators also
// manage the tenant's webhook endpoints and retry dead letters.
import { useEffect, useMemo, useState } from "react";
import { api, getSession, unwrap, type Schemas } from "../api/client";
import { useAuth } from "../auth";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { DeadLettersSection } from "./notifications/DeadLettersSection";
import { QuietHoursSection } from "./notifications/QuietHoursSection";
import { SubscriptionsSection } from "./notifications/SubscriptionsSection";
import { WebhooksSection } from "./notifications/WebhooksSection";
import "../styles-pages.css";
import "./shared/forms.css";
import "./notifications/notifications.css";

type Asset = Schemas["AssetOut"];

function useSitesAndLines(): { sites: Asset[]; lines: Asset[] } {
  const [out, setOut] = useState<{ sites: Asset[]; lines: Asset[] }>({ sites: [], lines: [] });
  useEffect(() => {
    let alive = true;
    const list = (kind: "site" | "line") =>
      unwrap(api.GET("/api/v1/assets", { params: { query: { kind, limit: 1000 } } })).then((p) => p.items.sort((a, b) => a.path.localeCompare(b.path)));
    Promise.all([list("site"), list("line")])
      .then(([sites, lines]) => alive && setOut({ sites, lines }))
      .catch(() => {}); // the filters then offer no choices; "any site / any line" still works
    return () => {
      alive = false;
    };
  }, []);
  return out;
}

export function NotificationSettings() {
  const { session } = useAuth();
  const user = (session ?? getSession())?.user;
  const isAdmin = user?.role === "admin";
  const tz = validTimeZone(useTenant()?.timezone);
  const { sites, lines } = useSitesAndLines();
  const names = useMemo(() => new Map([...sites.map((s) => [s.id, s.name] as const), ...lines.map((l) => [l.id, l.path] as const)]), [sites, lines]);
  const [notice, setNotice] = useState("");

  useEffect(() => {
    document.title = "My notifications · MIP";
  }, []);

  return (
    <section className="pg-page nf-page" aria-labelledby="nf-title">
      <header className="page-head">
        <h1 id="nf-title">My notifications</h1>
      </header>
      <p className="muted small">Which alarms reach you by e-mail, and when to keep quiet. Safety alarms always come through.</p>
      <p className="pg-ok nf-notice" role="status">
        {notice}
      </p>
      <SubscriptionsSection email={user?.email ?? "your address"} sites={sites} lines={lines} names={names} onNotice={setNotice} />
      <QuietHoursSection defaultTz={tz} onNotice={setNotice} />
      {isAdmin && (
        <>
          <h2 className="nf-admin-title">Organisation (administrators)</h2>
          <WebhooksSection sites={sites} lines={lines} names={names} onNotice={setNotice} />
          <DeadLettersSection tz={tz} onNotice={setNotice} />
        </>
      )}
    </section>
  );
}
