// Asset tree helpers: the level below each kind, lookup by id, the path of ids down to a node.
import type { Schemas } from "../../api/client";

export type AssetNode = Schemas["AssetNode"];
export type AssetKind = Schemas["AssetKind"];
export type SensorOut = Schemas["SensorOut"];

export const CHILD_KIND: Record<AssetKind, AssetKind | null> = {
  site: "area",
  area: "line",
  line: "machine",
  machine: null,
};

export const KIND_LABEL: Record<AssetKind, string> = { site: "Site", area: "Area", line: "Line", machine: "Machine" };

export function findNode(nodes: AssetNode[] | null, id: string | null): AssetNode | null {
  if (!nodes || !id) return null;
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = findNode(n.children, id);
    if (hit) return hit;
  }
  return null;
}

/** Ids from the root down to (and including) id, or [] when absent. */
export function pathTo(nodes: AssetNode[], id: string): string[] {
  for (const n of nodes) {
    if (n.id === id) return [n.id];
    const below = pathTo(n.children, id);
    if (below.length) return [n.id, ...below];
  }
  return [];
}

export function canWriteAssets(role: string | undefined): boolean {
  return role === "admin" || role === "engineer";
}
