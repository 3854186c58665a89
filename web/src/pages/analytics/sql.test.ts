import { coerceParam, collectParams, defaultText, ident, insertAt, paramNames, paramSpecs } from "./sql";
import { resolveRange } from "./range";

test("parameter names come from code only, in order, once each", () => {
  expect(paramNames("select $a, $b, $a from t where x = $c_1")).toEqual(["a", "b", "c_1"]);
  expect(paramNames("select '$no', \"$no2\", $$ $no3 $$ -- $no4\n /* $no5 */ , $yes, $1")).toEqual(["yes"]);
  expect(paramNames("select 'it''s $no' || $yes")).toEqual(["yes"]);
});

test("values are coerced to their declared type; bad text is an error, empty is undefined", () => {
  const tz = "Europe/Berlin";
  expect(coerceParam({ type: "integer", value: " 42 " }, tz)).toEqual({ ok: true, value: 42 });
  expect(coerceParam({ type: "integer", value: "4.2" }, tz)).toEqual({ ok: false, error: "enter a whole number" });
  expect(coerceParam({ type: "number", value: "-1.5e3" }, tz)).toEqual({ ok: true, value: -1500 });
  expect(coerceParam({ type: "number", value: "x" }, tz).ok).toBe(false);
  expect(coerceParam({ type: "boolean", value: "false" }, tz)).toEqual({ ok: true, value: false });
  expect(coerceParam({ type: "timestamp", value: "2026-07-01T12:00" }, tz)).toEqual({ ok: true, value: "2026-07-01T10:00:00.000Z" });
  expect(coerceParam({ type: "string", value: " keep spaces " }, tz)).toEqual({ ok: true, value: " keep spaces " });
  expect(coerceParam({ type: "number", value: "" }, tz)).toEqual({ ok: true, value: undefined });
});

test("empty parameters are errors unless a saved query's default applies", () => {
  const inputs = { a: { type: "string" as const, value: "", hasDefault: true }, b: { type: "integer" as const, value: "7" } };
  expect(collectParams(["a", "b"], inputs, "UTC")).toEqual({ values: { b: 7 }, errors: { a: "enter a value" } });
  expect(collectParams(["a", "b"], inputs, "UTC", true)).toEqual({ values: { b: 7 }, errors: {} });
  expect(paramSpecs(["a", "b"], inputs, "UTC")).toEqual([
    { name: "a", type: "string", default: null, description: "" },
    { name: "b", type: "integer", default: 7, description: "" },
  ]);
  expect(defaultText({ name: "t", type: "timestamp", default: "2026-07-01T10:00:00Z", description: "" }, "Europe/Berlin")).toBe("2026-07-01T12:00");
});

test("inserting keeps words apart and places the cursor after the insert", () => {
  expect(insertAt("select from", 7, 7, "ts")).toEqual({ text: "select ts from", cursor: 9 });
  expect(insertAt("selectfrom", 6, 6, "ts")).toEqual({ text: "select ts from", cursor: 9 });
  expect(insertAt("select x", 7, 8, "ts")).toEqual({ text: "select ts", cursor: 9 });
  expect(insertAt("from", 4, 4, "alarms")).toEqual({ text: "from alarms", cursor: 11 });
  expect(ident("readings_1m")).toBe("readings_1m");
  expect(ident("Odd Name")).toBe('"Odd Name"');
});

test("time ranges: presets end now; custom ones are plant time, ordered and at most 400 days", () => {
  const now = Date.UTC(2026, 2, 2, 10);
  expect(resolveRange({ preset: "1d", start: "", end: "" }, "UTC", now)).toEqual({ ok: true, start: new Date(now - 86_400_000), end: new Date(now) });
  const r = resolveRange({ preset: "custom", start: "2026-01-01T00:00", end: "2026-01-02T00:00" }, "Europe/Berlin", now);
  expect(r).toEqual({ ok: true, start: new Date("2025-12-31T23:00:00Z"), end: new Date("2026-01-01T23:00:00Z") });
  expect(resolveRange({ preset: "custom", start: "", end: "2026-01-02T00:00" }, "UTC", now)).toEqual({ ok: false, error: "Enter a start date and time." });
  expect(resolveRange({ preset: "custom", start: "2024-01-01T00:00", end: "2026-01-02T00:00" }, "UTC", now)).toEqual({ ok: false, error: "The range may span at most 400 days." });
});
