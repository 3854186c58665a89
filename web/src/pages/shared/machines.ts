// Machine names and plant time zones by machine id, for pages that only hold ids (alarms, the safety banner).
// Served from the plant overview (one request, shared with the Overview page); falls back to the asset list.
import { useEffect, useState } from "react";
import { api, unwrap } from "../../api/client";
import { useTenant } from "../../lib/tenant";
import { validTimeZone } from "../../lib/time";
import { fetchOverview } from "../overview/api";

export interface MachineRef {
  id: string;
  name: string;
  path: string;
  timezone: string | null; // the site's, when known
}

export interface MachineDirectory {
  machines: Map<string, MachineRef>;
  /** The plant time zone for a machine: its site's, else the tenant's, else UTC. */
  tzFor(machineId: string | null | undefined): string;
  tenantTz: string;
  loaded: boolean;
}

async function loadMachines(): Promise<{ machines: MachineRef[]; tenantTz: string | null }> {
  try {
    const o = await fetchOverview(60_000);
    return {
      machines: o.machines.map((m) => ({ id: m.id, name: m.name, path: m.path, timezone: m.site.timezone })),
      tenantTz: o.timezone,
    };
  } catch {
    const page = await unwrap(api.GET("/api/v1/assets", { params: { query: { kind: "machine", limit: 1000 } } }));
    return {
      machines: page.items.map((a) => ({ id: a.id, name: a.name, path: a.path, timezone: a.timezone })),
      tenantTz: null,
    };
  }
}

export function useMachineDirectory(enabled = true): MachineDirectory {
  const tenant = useTenant();
  const [state, setState] = useState<{ machines: Map<string, MachineRef>; tenantTz: string | null; loaded: boolean }>({
    machines: new Map(),
    tenantTz: null,
    loaded: false,
  });
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    loadMachines()
      .then((r) => {
        if (alive) setState({ machines: new Map(r.machines.map((m) => [m.id, m])), tenantTz: r.tenantTz, loaded: true });
      })
      .catch(() => alive && setState((s) => ({ ...s, loaded: true })));
    return () => {
      alive = false;
    };
  }, [enabled]);
  const tenantTz = validTimeZone(state.tenantTz ?? tenant?.timezone);
  return {
    machines: state.machines,
    tenantTz,
    loaded: state.loaded,
    tzFor: (id) => validTimeZone((id && state.machines.get(id)?.timezone) || null, tenantTz),
  };
}

/** "Press 3" for a known machine, else a short form of its id. */
export function machineLabel(dir: MachineDirectory, id: string): string {
  return dir.machines.get(id)?.name ?? `Machine ${id.slice(0, 8)}`;
}
