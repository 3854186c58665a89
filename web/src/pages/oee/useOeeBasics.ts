// What every part of the OEE page needs: sites (time zones, shifts), lines and machines (pickers), reason codes.
import { useCallback, useEffect, useState } from "react";
import { validTimeZone } from "../../lib/time";
import { errorMessage } from "../shared/errors";
import { listAssets, listReasons, type Asset, type Reason } from "./api";

export interface OeeBasics {
  sites: Asset[];
  lines: Asset[];
  machines: Asset[];
  reasons: Reason[];
  loaded: boolean;
  error: string | null;
  setReasons(r: Reason[]): void;
  reload(): void;
  /** The plant time zone of an asset: its site's, else the tenant's. */
  tzOf(asset: Asset | undefined, tenantTz: string): string;
}

const byPath = (a: Asset, b: Asset) => a.path.localeCompare(b.path, undefined, { numeric: true });

export function useOeeBasics(): OeeBasics {
  const [assets, setAssets] = useState<{ sites: Asset[]; lines: Asset[]; machines: Asset[] }>({ sites: [], lines: [], machines: [] });
  const [reasons, setReasonsState] = useState<Reason[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    let alive = true;
    setError(null);
    Promise.all([listAssets("site"), listAssets("line"), listAssets("machine")])
      .then(([sites, lines, machines]) => alive && setAssets({ sites: sites.sort(byPath), lines: lines.sort(byPath), machines: machines.sort(byPath) }))
      .catch((e) => alive && setError(errorMessage(e)))
      .finally(() => alive && setLoaded(true));
    listReasons()
      .then((r) => alive && setReasonsState(r))
      .catch(() => alive && setReasonsState([]));
    return () => {
      alive = false;
    };
  }, []);
  useEffect(reload, [reload]);

  const setReasons = useCallback((r: Reason[]) => setReasonsState([...r].sort((a, b) => a.code.localeCompare(b.code))), []);
  const tzOf = useCallback(
    (asset: Asset | undefined, tenantTz: string) => {
      if (!asset) return tenantTz;
      const site = assets.sites.find((s) => asset.path === s.path || asset.path.startsWith(`${s.path}/`));
      return validTimeZone(asset.timezone ?? site?.timezone ?? null, tenantTz);
    },
    [assets.sites],
  );
  return { ...assets, reasons, loaded, error, setReasons, reload: () => void reload(), tzOf };
}
