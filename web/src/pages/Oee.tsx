// OEE ("/oee"): availability × performance × quality of a line or machine over a range, with the state
// timeline, downtime (operators classify it), the downtime Pareto and operator input; administrators and
// engineers also get the OEE settings (shifts, planned stops, reason codes, machine / line config).
import { useEffect } from "react";
import { useSearchParams } from "react-router-dom";
import { getSession } from "../api/client";
import { useAuth } from "../auth";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { canConfigureOee, canWriteOee } from "./oee/api";
import { OeeView } from "./oee/OeeView";
import { SettingsView } from "./oee/settings/SettingsView";
import { useOeeBasics } from "./oee/useOeeBasics";
import "../styles-pages.css";
import "./shared/forms.css";
import "./oee/oee.css";

export function Oee() {
  const { session } = useAuth();
  const role = (session ?? getSession())?.user.role;
  const canConfigure = canConfigureOee(role);
  const tenantTz = validTimeZone(useTenant()?.timezone);
  const basics = useOeeBasics();
  const [params, setParams] = useSearchParams();
  const tab = canConfigure && params.get("tab") === "settings" ? "settings" : "figures";

  useEffect(() => {
    document.title = "OEE · MIP";
  }, []);

  const show = (t: "figures" | "settings") => {
    const p = new URLSearchParams(params);
    if (t === "settings") p.set("tab", "settings");
    else p.delete("tab");
    setParams(p, { replace: true });
  };

  return (
    <section className="pg-page oee-page" aria-labelledby="oee-title">
      <header className="page-head">
        <h1 id="oee-title">OEE</h1>
        {canConfigure && (
          <div className="pg-segmented" role="group" aria-label="View">
            <button type="button" aria-pressed={tab === "figures"} onClick={() => show("figures")}>
              Figures
            </button>
            <button type="button" aria-pressed={tab === "settings"} onClick={() => show("settings")}>
              Settings
            </button>
          </div>
        )}
      </header>
      <p className="muted small">
        Overall equipment effectiveness = availability × performance × quality, over shift time. Times in plant time.
        {!canWriteOee(role) && " You can read the figures; operator input needs a production, maintenance, engineer or admin role."}
      </p>
      {basics.error && (
        <div className="panel error-state" role="alert">
          <p>Could not load lines and machines: {basics.error}</p>
          <button type="button" className="btn btn-primary" onClick={basics.reload}>
            Retry
          </button>
        </div>
      )}
      {tab === "settings" ? (
        <SettingsView basics={basics} tenantTz={tenantTz} />
      ) : (
        <OeeView basics={basics} tenantTz={tenantTz} canWrite={canWriteOee(role)} />
      )}
    </section>
  );
}
