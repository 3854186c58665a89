// The machine, its sensors and its plant time zone (the nearest ancestor's zone, else the tenant's).
import { useEffect, useState } from "react";
import { api, unwrap, type Schemas } from "../../api/client";
import { useTenant } from "../../lib/tenant";
import { validTimeZone } from "../../lib/time";

export type Asset = Schemas["AssetOut"];
export type Sensor = Schemas["SensorOut"];

export interface MachineState {
  asset: Asset | null;
  sensors: Sensor[];
  timeZone: string;
  loading: boolean;
  error: string | null;
}

async function zoneOf(asset: Asset): Promise<string | null> {
  let a: Asset | null = asset;
  for (let depth = 0; a && depth < 6; depth++) {
    if (a.timezone) return a.timezone;
    if (!a.parent_id) return null;
    a = await unwrap(api.GET("/api/v1/assets/{asset_id}", { params: { path: { asset_id: a.parent_id } } }));
  }
  return null;
}

export function useMachine(machineId: string): MachineState {
  const tenant = useTenant();
  const [state, setState] = useState<Omit<MachineState, "timeZone"> & { zone: string | null }>({
    asset: null,
    sensors: [],
    zone: null,
    loading: true,
    error: null,
  });
  useEffect(() => {
    let alive = true;
    setState({ asset: null, sensors: [], zone: null, loading: true, error: null });
    (async () => {
      const [asset, page] = await Promise.all([
        unwrap(api.GET("/api/v1/assets/{asset_id}", { params: { path: { asset_id: machineId } } })),
        unwrap(api.GET("/api/v1/sensors", { params: { query: { machine_id: machineId, limit: 500 } } })),
      ]);
      if (!alive) return;
      setState({ asset, sensors: page.items, zone: asset.timezone, loading: false, error: null });
      const zone = await zoneOf(asset).catch(() => null);
      if (alive && zone) setState((s) => ({ ...s, zone }));
    })().catch((e: Error) => alive && setState((s) => ({ ...s, loading: false, error: e.message })));
    return () => {
      alive = false;
    };
  }, [machineId]);
  const { zone, ...rest } = state;
  return { ...rest, timeZone: validTimeZone(zone ?? tenant?.timezone) };
}
