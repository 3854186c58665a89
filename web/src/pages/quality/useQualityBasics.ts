// Names for the ids NCRs and CAPAs carry (items, suppliers, work orders, users) and the plant time zone.
// Each list is optional: when one cannot be loaded (e.g. users need an administrator) ids are shown short.
import { useEffect, useMemo, useState } from "react";
import { useTenant } from "../../lib/tenant";
import { validTimeZone } from "../../lib/time";
import { listItems, listSuppliers, listUsers, listWorkOrders, type Item, type Supplier, type SupplyOrder } from "./api";
import { shortId } from "./format";

export interface QualityBasics {
  tz: string;
  items: Item[];
  suppliers: Supplier[];
  workOrders: SupplyOrder[];
  itemName(id: string | null | undefined): string;
  supplierName(id: string | null | undefined): string;
  workOrderName(id: string | null | undefined): string;
  userName(id: string | null | undefined): string;
}

function useList<T>(load: () => Promise<T[]>, enabled = true): T[] {
  const [rows, setRows] = useState<T[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let alive = true;
    load()
      .then((r) => alive && setRows(r))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [enabled]);
  return rows;
}

export function useQualityBasics(me: { id: string; role: string } | null): QualityBasics {
  const tz = validTimeZone(useTenant()?.timezone);
  const items = useList(listItems);
  const suppliers = useList(listSuppliers);
  const workOrders = useList(listWorkOrders);
  const users = useList(listUsers, me?.role === "admin");
  return useMemo(() => {
    const item = new Map(items.map((i) => [i.id, i]));
    const sup = new Map(suppliers.map((s) => [s.id, s]));
    const wo = new Map(workOrders.map((w) => [w.id, w]));
    const usr = new Map(users.map((u) => [u.id, u]));
    return {
      tz,
      items,
      suppliers,
      workOrders,
      itemName: (id) => (id ? (item.get(id)?.part_number ?? shortId(id)) : "—"),
      supplierName: (id) => {
        const s = id ? sup.get(id) : undefined;
        return s ? `${s.code} — ${s.name}` : id ? shortId(id) : "—";
      },
      workOrderName: (id) => (id ? (wo.get(id)?.number ?? shortId(id)) : "—"),
      userName: (id) => {
        if (!id) return "system";
        if (me && id === me.id) return "you";
        const u = usr.get(id);
        return u ? u.full_name || u.email : `user ${shortId(id)}`;
      },
    };
  }, [tz, items, suppliers, workOrders, users, me]);
}
