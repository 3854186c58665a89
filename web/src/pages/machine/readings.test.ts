import { parseTs, toChartData } from "./readings";

describe("readings", () => {
  it("parses RFC 3339 with nanoseconds", () => {
    expect(parseTs("2026-01-01T00:00:00Z")).toBe(Date.UTC(2026, 0, 1) / 1000);
    expect(parseTs("2026-01-01T00:00:01.123456789Z")).toBeCloseTo(Date.UTC(2026, 0, 1) / 1000 + 1.123456789, 6);
    expect(parseTs("2026-01-01T01:00:00+01:00")).toBe(Date.UTC(2026, 0, 1) / 1000);
  });

  it("turns raw points into value columns, skipping nulls and out-of-order points", () => {
    const d = toChartData({
      sensor_id: "s",
      start: "",
      end: "",
      bucket_s: null,
      points: [
        { ts: "2026-01-01T00:00:00Z", value: 1 },
        { ts: "2026-01-01T00:00:01Z", value: null },
        { ts: "2026-01-01T00:00:02Z", value: 3 },
        { ts: "2026-01-01T00:00:02Z", value: 4 },
      ],
    });
    expect(d.x.length).toBe(2);
    expect(Array.from(d.y)).toEqual([1, 3]);
    expect(d.min).toBeUndefined();
  });

  it("turns buckets into avg + min/max band at the bucket centre", () => {
    const t0 = Date.UTC(2026, 0, 1) / 1000;
    const d = toChartData({
      sensor_id: "s",
      start: "",
      end: "",
      bucket_s: 60,
      points: [{ ts: "2026-01-01T00:00:00Z", avg: 5, min: 1, max: 9, count: 60 }],
    });
    expect(Array.from(d.x)).toEqual([t0 + 30]);
    expect(Array.from(d.y)).toEqual([5]);
    expect(Array.from(d.min!)).toEqual([1]);
    expect(Array.from(d.max!)).toEqual([9]);
  });
});
