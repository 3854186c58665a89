// Machine names and plant time zones by machine id, for pages that only hold ids (alarms, the safety banner).
// Served from the plant overview (one request, shared with the Overview page; it carries the tenant time zone);
// falls back to the asset list and the tenant when the overview is unavailable.
import { useEffect, useRef, useState } from "react";
import { api, unwrap } from "../../api/client";
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

async function loadMachines(maxAgeMs: number): Promise<{ machines: MachineRef[]; tenantTz: string | null }> {
  try {
    const o = await fetchOverview(maxAgeMs);
    return {
      machines: o.machines.map((m) => ({ id: m.id, name: m.name, path: m.path, timezone: m.site?.timezone ?? null })),
      tenantTz: o.timezone,
    };
  } catch {
    const [page, tenant] = await Promise.all([
      unwrap(api.GET("/api/v1/assets", { params: { query: { kind: "machine", limit: 1000 } } })),
      unwrap(api.GET("/api/v1/tenant")).catch(() => null),
    ]);
    return {
      machines: page.items.map((a) => ({ id: a.id, name: a.name, path: a.path, timezone: a.timezone })),
      tenantTz: tenant?.timezone ?? null,
    };
  }
}

/**
 * Machines by id. `need`: a machine id the caller must name; when it is not in the (cached) answer,
 * the directory reloads fresh once for it (a machine added since).
 */
export function useMachineDirectory(enabled = true, need?: string): MachineDirectory {
  const [state, setState] = useState<{ machines: Map<string, MachineRef>; tenantTz: string | null; loaded: boolean }>({
    machines: new Map(),
    tenantTz: null,
    loaded: false,
  });
  const missing = need && state.loaded && !state.machines.has(need) ? need : "";
  const tried = useRef(new Set<string>());
  useEffect(() => {
    if (!enabled) return;
    if (missing && tried.current.has(missing)) return;
    if (missing) tried.current.add(missing);
    let alive = true;
    loadMachines(missing ? 0 : 60_000)
      .then((r) => {
        if (alive) setState({ machines: new Map(r.machines.map((m) => [m.id, m])), tenantTz: r.tenantTz, loaded: true });
      })
      .catch(() => alive && setState((s) => ({ ...s, loaded: true })));
    return () => {
      alive = false;
    };
  }, [enabled, missing]);
  const tenantTz = validTimeZone(state.tenantTz);
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
