import type { ExplosionRow } from "./api";
import { fmtMoney, fmtQty, treeRows, visibleRows } from "./tree";

const row = (level: number, part: string, path: string): ExplosionRow => ({
  level,
  path,
  item_id: part,
  part_number: part,
  description: "",
  make_buy: "make",
  uom: "ea",
  qty_per: 1,
  scrap_pct: 0,
  extended_qty: 1,
  phantom: false,
  bom_revision: "A",
  ref_des: "",
  substitutes: [],
});

const ROWS = [
  row(1, "HOUSING", "P / HOUSING"),
  row(2, "CASTING", "P / HOUSING / CASTING"),
  row(1, "ROTOR", "P / ROTOR"),
  row(2, "IMPELLER", "P / ROTOR / IMPELLER"),
  row(3, "BLANK", "P / ROTOR / IMPELLER / BLANK"),
  row(2, "SHAFT", "P / ROTOR / SHAFT"),
  row(1, "BOLT", "P / BOLT"),
];

test("rows know whether they have children", () => {
  expect(treeRows(ROWS).map((r) => r.hasChildren)).toEqual([true, false, true, true, false, false, false]);
});

test("collapsing a row hides all its descendants and nothing else", () => {
  const t = treeRows(ROWS);
  const parts = (c: string[]) => visibleRows(t, new Set(c)).map((r) => r.row.part_number);
  expect(parts([])).toHaveLength(7);
  expect(parts([t[2].key])).toEqual(["HOUSING", "CASTING", "ROTOR", "BOLT"]);
  expect(parts([t[3].key])).toEqual(["HOUSING", "CASTING", "ROTOR", "IMPELLER", "SHAFT", "BOLT"]);
  expect(parts([t[0].key, t[2].key])).toEqual(["HOUSING", "ROTOR", "BOLT"]);
});

test("quantities and money read well", () => {
  expect(fmtQty(8.160000000001)).toBe("8.16");
  expect(fmtQty(1 / 3)).toBe("0.3333");
  expect(fmtMoney(1234.5)).toBe("1,234.50");
});
