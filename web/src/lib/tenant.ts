import { useEffect, useState } from "react";
import { api, getSession, onSession, unwrap, type Schemas } from "../api/client";

let cached: Promise<Schemas["TenantOut"]> | null = null;
let cachedFor: string | null = null;
onSession((s) => {
  if (s?.user.id !== cachedFor) cached = null; // another user (maybe another tenant) logged in
});

/** The caller's tenant (fetched once per tab); its timezone is the default plant time zone. */
export function useTenant(): Schemas["TenantOut"] | null {
  const [tenant, setTenant] = useState<Schemas["TenantOut"] | null>(null);
  useEffect(() => {
    cachedFor = getSession()?.user.id ?? null;
    cached ??= unwrap(api.GET("/api/v1/tenant")).catch((e) => {
      cached = null;
      throw e;
    });
    let alive = true;
    cached.then((t) => alive && setTenant(t)).catch(() => {});
    return () => {
      alive = false;
    };
  }, []);
  return tenant;
}
