// OEE configuration (administrators and engineers): shifts per site, planned stops, reason codes and the
// machine / line OEE config.
import { useState } from "react";
import type { OeeBasics } from "../useOeeBasics";
import { ConfigSection } from "./ConfigSection";
import { ReasonsSection } from "./ReasonsSection";
import { ShiftsSection } from "./ShiftsSection";
import { StopsSection } from "./StopsSection";

export function SettingsView({ basics, tenantTz }: { basics: OeeBasics; tenantTz: string }) {
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="oee-settings">
      <p className="pg-ok" role="status">
        {notice ?? ""}
      </p>
      <ShiftsSection sites={basics.sites} onNotice={setNotice} />
      <StopsSection
        assets={[...basics.sites, ...basics.lines, ...basics.machines]}
        reasons={basics.reasons}
        tzOf={(a) => basics.tzOf(a, tenantTz)}
        onNotice={setNotice}
      />
      <ReasonsSection reasons={basics.reasons} onChange={basics.setReasons} onNotice={setNotice} />
      <ConfigSection lines={basics.lines} machines={basics.machines} onNotice={setNotice} />
    </div>
  );
}
