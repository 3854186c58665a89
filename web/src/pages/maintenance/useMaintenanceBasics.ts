// What every maintenance tab needs: the machines (names, plant time zones, machine classes), the users
// (administrators can list them), and the model registry (health rows name their model's version).
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTenant } from "../../lib/tenant";
import { validTimeZone } from "../../lib/time";
import { errorMessage } from "../shared/errors";
import { listAssets, listModels, listUsers, type Asset, type Model, type User } from "./api";

export interface MachineInfo {
  id: string;
  name: string;
  path: string;
  machineClass: string;
  tz: string;
}

export interface Basics {
  machines: MachineInfo[];
  machinesLoaded: boolean;
  machineName(id: string): string;
  /** The plant time zone of a machine: its site's (or nearest ancestor's), else the tenant's. */
  tzFor(id: string | null | undefined): string;
  tenantTz: string;
  classes: string[];
  users: User[];
  userName(id: string | null): string;
  models: Model[] | null;
  modelsError: string | null;
  reloadModels(): void;
  upsertModel(m: Model): void;
}

/** attributes.machine_class, "default" when unset (as the trainer groups machines). */
function classOf(a: Asset): string {
  const c = a.attributes.machine_class;
  return typeof c === "string" && c.trim() ? c.trim() : "default";
}

function machinesOf(assets: Asset[], tenantTz: string): MachineInfo[] {
  const byId = new Map(assets.map((a) => [a.id, a]));
  const zoneOf = (a: Asset): string => {
    for (let cur: Asset | undefined = a, hops = 0; cur && hops < 20; cur = cur.parent_id ? byId.get(cur.parent_id) : undefined, hops++) {
      if (cur.timezone) return validTimeZone(cur.timezone, tenantTz);
    }
    return tenantTz;
  };
  return assets
    .filter((a) => a.kind === "machine")
    .map((a) => ({ id: a.id, name: a.name, path: a.path, machineClass: classOf(a), tz: zoneOf(a) }))
    .sort((x, y) => x.path.localeCompare(y.path, undefined, { numeric: true }));
}

const newestFirst = (a: Model, b: Model) => b.created_at.localeCompare(a.created_at) || b.version - a.version;

export function useMaintenanceBasics(isAdmin: boolean, myId: string | undefined): Basics {
  const tenantTz = validTimeZone(useTenant()?.timezone);
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [models, setModels] = useState<Model[] | null>(null);
  const [modelsError, setModelsError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    listAssets()
      .then((a) => alive && setAssets(a))
      .catch(() => alive && setAssets([]));
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    if (!isAdmin) return;
    let alive = true;
    listUsers()
      .then((u) => alive && setUsers(u.filter((x) => x.active && x.role !== "device")))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [isAdmin]);

  const reloadModels = useCallback(() => {
    setModelsError(null);
    listModels()
      .then((m) => setModels([...m].sort(newestFirst)))
      .catch((e) => setModelsError(errorMessage(e)));
  }, []);
  useEffect(reloadModels, [reloadModels]);
  const upsertModel = useCallback((m: Model) => {
    // promoting retires the previous active model of its kind and class: mirror that until the next reload
    setModels((cur) =>
      [
        ...(cur ?? [])
          .filter((x) => x.id !== m.id)
          .map((x) => (m.status === "active" && x.status === "active" && x.kind === m.kind && x.machine_class === m.machine_class ? { ...x, status: "retired" as const } : x)),
        m,
      ].sort(newestFirst),
    );
  }, []);

  const machines = useMemo(() => machinesOf(assets ?? [], tenantTz), [assets, tenantTz]);
  const lookups = useMemo(() => {
    const byId = new Map(machines.map((m) => [m.id, m]));
    const names = new Map(users.map((u) => [u.id, u.full_name || u.email]));
    return {
      machineName: (id: string) => byId.get(id)?.name ?? `Machine ${id.slice(0, 8)}`,
      tzFor: (id: string | null | undefined) => (id && byId.get(id)?.tz) || tenantTz,
      userName: (id: string | null) => (id === null ? "—" : (names.get(id) ?? (id === myId ? "you" : `user ${id.slice(0, 8)}`))),
      classes: [...new Set(machines.map((m) => m.machineClass))].sort(),
    };
  }, [machines, users, myId, tenantTz]);

  return { machines, machinesLoaded: assets !== null, tenantTz, users, models, modelsError, reloadModels, upsertModel, ...lookups };
}
