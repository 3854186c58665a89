import { alignStart, chooseBucket, MAX_BUCKETS } from "./bucket";

describe("chooseBucket", () => {
  it("asks for raw readings up to 10 minutes", () => {
    expect(chooseBucket(60)).toBeNull();
    expect(chooseBucket(600)).toBeNull();
  });

  it("picks a nice step near range/1500 for the range buttons", () => {
    expect(chooseBucket(900)).toBe(1); // 15 min
    expect(chooseBucket(3600)).toBe(2); // 1 h -> 1800 buckets
    expect(chooseBucket(8 * 3600)).toBe(15); // 8 h -> 1920
    expect(chooseBucket(86400)).toBe(60); // 24 h -> 1440
    expect(chooseBucket(7 * 86400)).toBe(600); // 7 d -> 1008 (300 s would be 2016)
  });

  it("never exceeds 2,000 buckets, for any range", () => {
    for (let r = 601; r < 400 * 86400; r = Math.ceil(r * 1.37)) {
      const b = chooseBucket(r)!;
      expect(b).toBeGreaterThan(0);
      expect(r / b).toBeLessThanOrEqual(MAX_BUCKETS);
    }
  });

  it("buckets fast sensors even in short ranges, but not below their sample period", () => {
    expect(chooseBucket(300, 100)).toBe(0.2); // 30,000 raw points -> 1,500 buckets of 0.2 s
    expect(chooseBucket(10, 100)).toBeNull(); // 1,000 raw points
    expect(chooseBucket(900, 1)).toBe(1); // not 0.5 s for a 1 Hz sensor
  });
});

describe("alignStart", () => {
  it("floors to a bucket boundary so the server can use its rollups", () => {
    expect(alignStart(3725, 60)).toBe(3720);
    expect(alignStart(3725.5, null)).toBe(3725.5);
  });
});
