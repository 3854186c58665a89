import { buildSeries, chartColumns, defaultChoice, MAX_SERIES } from "./chartData";
import { csvCell, formatBytes, formatCell, formatElapsed, isNumericType, toEpochSeconds } from "./format";

const cols = [
  { name: "hour", type: "TIMESTAMP WITH TIME ZONE" },
  { name: "sensor", type: "VARCHAR" },
  { name: "avg", type: "DOUBLE" },
  { name: "n", type: "DECIMAL(18,3)" },
];

test("columns are sorted into time, numeric and other", () => {
  expect(chartColumns([...cols, { name: "d", type: "DATE" }, { name: "ok", type: "BOOLEAN" }])).toEqual({
    time: ["hour", "d"],
    numeric: ["avg", "n"],
    categorical: ["sensor", "ok"],
  });
  expect(isNumericType("HUGEINT")).toBe(true);
  expect(isNumericType("VARCHAR")).toBe(false);
});

test("the default splits by the first text column only when times repeat", () => {
  const repeated = [["2026-03-01T00:00:00+00:00", "a", 1, 1], ["2026-03-01T00:00:00+00:00", "b", 2, 1]];
  expect(defaultChoice(cols, repeated)).toEqual({ x: "hour", y: "avg", split: "sensor" });
  expect(defaultChoice(cols, [repeated[0]])).toEqual({ x: "hour", y: "avg", split: "" });
  expect(defaultChoice([{ name: "s", type: "VARCHAR" }, { name: "n", type: "BIGINT" }], [])).toBeNull();
});

test("series are aligned on sorted times with gaps as null; rows without a time are skipped", () => {
  const rows = [
    ["2026-03-01T02:00:00+00:00", "b", 5, 0],
    ["2026-03-01T01:00:00+00:00", "a", 1, 0],
    ["2026-03-01T02:00:00+00:00", "a", null, 0],
    [null, "a", 9, 0],
  ];
  const s = buildSeries(cols, rows, { x: "hour", y: "avg", split: "sensor" })!;
  expect(s.x).toEqual([Date.UTC(2026, 2, 1, 1) / 1000, Date.UTC(2026, 2, 1, 2) / 1000]);
  expect(s.series).toEqual([
    { label: "b", values: [null, 5] },
    { label: "a", values: [1, null] },
  ]);
  expect(s.skipped).toBe(1);
  expect(s.instant).toBe(true);
});

test("at most MAX_SERIES lines are kept: those with the most points", () => {
  const rows: unknown[][] = [];
  for (let i = 0; i < MAX_SERIES + 3; i++) for (let t = 0; t <= (i === 0 ? 0 : 2); t++) rows.push([new Date(Date.UTC(2026, 0, 1, t)).toISOString(), `s${i}`, t, 0]);
  const s = buildSeries(cols, rows, { x: "hour", y: "avg", split: "sensor" })!;
  expect(s.series).toHaveLength(MAX_SERIES);
  expect(s.dropped).toBe(3);
  expect(s.series.map((x) => x.label)).not.toContain("s0");
});

test("times: naive timestamps and dates are read as UTC, instants by their offset", () => {
  expect(toEpochSeconds("2026-03-01T10:00:00", "TIMESTAMP")).toBe(Date.UTC(2026, 2, 1, 10) / 1000);
  expect(toEpochSeconds("2026-03-01", "DATE")).toBe(Date.UTC(2026, 2, 1) / 1000);
  expect(toEpochSeconds("2026-03-01T10:00:00+01:00", "TIMESTAMP WITH TIME ZONE")).toBe(Date.UTC(2026, 2, 1, 9) / 1000);
  expect(toEpochSeconds(12, "TIMESTAMP")).toBeNull();
});

test("cells, sizes and durations read well; CSV quotes when needed", () => {
  expect(formatCell("2026-03-01T09:00:00+00:00", "TIMESTAMP WITH TIME ZONE", "Europe/Berlin")).toBe("2026-03-01 10:00:00");
  expect(formatCell("2026-03-01T09:00:00", "TIMESTAMP", "Europe/Berlin")).toBe("2026-03-01 09:00:00");
  expect(formatCell(2026, "INTEGER", "UTC")).toBe("2026");
  expect(formatCell(1 / 3, "DOUBLE", "UTC")).toBe("0.333333");
  expect(formatCell([1, 2], "INTEGER[]", "UTC")).toBe("[1,2]");
  expect(formatCell(true, "BOOLEAN", "UTC")).toBe("true");
  expect(formatBytes(512)).toBe("512 B");
  expect(formatBytes(1536)).toBe("1.5 KiB");
  expect(formatBytes(300 * 1024 ** 3)).toBe("300 GiB");
  expect(formatElapsed(12.4)).toBe("12 ms");
  expect(formatElapsed(4200)).toBe("4.20 s");
  expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
  expect(csvCell(null)).toBe("");
});
