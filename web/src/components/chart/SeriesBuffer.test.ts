import { SeriesBuffer } from "./SeriesBuffer";

const f = (...v: number[]) => Float64Array.from(v);

describe("SeriesBuffer", () => {
  it("starts from history and appends raw points in order", () => {
    const b = new SeriesBuffer({ x: f(1, 2, 3), y: f(10, 20, 30) });
    expect(b.length).toBe(3);
    expect(b.append(4, 40)).toBe(true);
    expect(b.append(4, 41)).toBe(false); // not after the last point
    expect(b.append(3.5, 35)).toBe(false);
    const v = b.view();
    expect(Array.from(v.x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(v.y)).toEqual([10, 20, 30, 40]);
    expect(v.min).toBeUndefined();
  });

  it("grows past its capacity without losing points", () => {
    const b = new SeriesBuffer(null);
    for (let i = 0; i < 10_000; i++) b.append(i, i * 2);
    expect(b.length).toBe(10_000);
    const v = b.view();
    expect(v.x[9_999]).toBe(9_999);
    expect(v.y[5_000]).toBe(10_000);
  });

  it("drops points left of a sliding window and compacts", () => {
    const b = new SeriesBuffer(null, { maxPoints: 100 });
    for (let i = 0; i < 1_000; i++) {
      b.append(i, i);
      b.dropBefore(i - 50);
    }
    expect(b.length).toBe(51);
    expect(b.view().x[0]).toBe(949);
    expect(b.lastX()).toBe(999);
  });

  it("keeps at most maxPoints, dropping the oldest", () => {
    const b = new SeriesBuffer(null, { maxPoints: 100 });
    for (let i = 0; i < 1_000; i++) b.append(i, i);
    expect(b.length).toBeLessThanOrEqual(100);
    expect(b.lastX()).toBe(999);
    const x = b.view().x;
    for (let i = 1; i < x.length; i++) expect(x[i]).toBe(x[i - 1] + 1);
  });

  it("folds live points into the current bucket (min/max/avg) when bucketed", () => {
    const b = new SeriesBuffer({ x: f(5), y: f(1), min: f(0), max: f(2) }, { bucketS: 10 });
    b.append(12, 4); // new bucket [10, 20) -> centre 15
    b.append(18, 8); // same bucket
    b.append(21, 3); // next bucket
    const v = b.view();
    expect(Array.from(v.x)).toEqual([5, 15, 25]);
    expect(Array.from(v.y)).toEqual([1, 6, 3]);
    expect(Array.from(v.min!)).toEqual([0, 4, 3]);
    expect(Array.from(v.max!)).toEqual([2, 8, 3]);
  });
});
