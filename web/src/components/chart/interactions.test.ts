import { MIN_SPAN_S, panRange, zoomRange } from "./interactions";
import { formatValue, toAligned, withAlpha, yRange } from "./format";

describe("zoom and pan maths", () => {
  it("zooms around an anchor", () => {
    expect(zoomRange([0, 100], 0.5)).toEqual([25, 75]);
    expect(zoomRange([0, 100], 0.5, 0)).toEqual([0, 50]);
    expect(zoomRange([0, 100], 2, 1)).toEqual([-100, 100]);
  });
  it("does not zoom below the minimum span", () => {
    const [a, b] = zoomRange([0, 4], 0.01);
    expect(b - a).toBe(MIN_SPAN_S);
  });
  it("pans by a fraction of the span", () => {
    expect(panRange([100, 200], -0.1)).toEqual([90, 190]);
  });
});

describe("chart options helpers", () => {
  it("stretches the y range to a nearby limit, not to a far one", () => {
    const [lo, hi] = yRange(10, 20, { high: 25 });
    expect(hi).toBeGreaterThan(25);
    expect(lo).toBeLessThan(10);
    const [, hi2] = yRange(10, 20, { high: 1000 });
    expect(hi2).toBeLessThan(30);
  });
  it("shows the limits when there is no data", () => {
    const [lo, hi] = yRange(null, null, { low: 0, high: 100 });
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(100);
  });
  it("lays out band columns as [x, max, min, y]", () => {
    const d = { x: Float64Array.of(1), y: Float64Array.of(2), min: Float64Array.of(1), max: Float64Array.of(3) };
    expect(toAligned(d, true)).toEqual([d.x, d.max, d.min, d.y]);
    expect(toAligned(d, false)).toEqual([d.x, d.y]);
  });
  it("formats values with the unit", () => {
    expect(formatValue(21.5, "degC")).toBe("21.5 degC");
    expect(formatValue(null, "degC")).toBe("—");
    expect(formatValue(111.9437, "bar")).toBe("111.9 bar");
    expect(formatValue(1234.6, "rpm")).toBe("1,235 rpm");
    expect(formatValue(0.27023, "")).toBe("0.2702");
    expect(withAlpha("#5cb0ff", 0.5)).toBe("rgba(92, 176, 255, 0.5)");
  });
});
