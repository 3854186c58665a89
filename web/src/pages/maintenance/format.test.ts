import { formatHorizon, formatHours, formatProbability, formatRul, healthBand, reasonText, triggerText, worstFirst } from "./format";
import type { Health } from "./api";

const health = (machine_id: string, over: Partial<Health> = {}): Health => ({
  machine_id,
  model_id: null,
  health_index: 80,
  rul_hours: 600,
  rul_days: 25,
  failure_probability: 0.05,
  horizon_hours: 168,
  data_until: "2026-03-02T09:00:00Z",
  details: {},
  scored_at: "2026-03-02T09:15:00Z",
  ...over,
});

test("remaining life reads in minutes, hours, days and hours, or days", () => {
  expect(formatHours(0.5)).toBe("30 min");
  expect(formatHours(-3)).toBe("0 min");
  expect(formatHours(31.4)).toBe("31 h");
  expect(formatHours(47.6)).toBe("48 h");
  expect(formatHours(48)).toBe("2 days");
  expect(formatHours(100)).toBe("4 days 4 h");
  expect(formatHours(23 * 24 + 23.7)).toBe("24 days");
  expect(formatHours(13 * 24 + 23.8)).toBe("14 days");
  expect(formatHours(Number.NaN)).toBe("—");
  expect(formatRul(720, 720)).toBe("≥ 30 days");
  expect(formatRul(719, 720)).toBe("30 days");
  expect(formatRul(100, null)).toBe("4 days 4 h");
});

test("probabilities round to whole percent but keep 'almost never' and 'almost certain'", () => {
  expect(formatProbability(0)).toBe("0 %");
  expect(formatProbability(0.004)).toBe("< 1 %");
  expect(formatProbability(0.634)).toBe("63 %");
  expect(formatProbability(0.996)).toBe("> 99 %");
  expect(formatProbability(1)).toBe("100 %");
  expect(formatHorizon(168)).toBe("7 days");
  expect(formatHorizon(36)).toBe("36 h");
});

test("health bands have words and icons at 70 / 40 / 20", () => {
  expect([90, 70, 69.9, 40, 39, 20, 19.9, 0].map((v) => healthBand(v).label)).toEqual(["Good", "Good", "Fair", "Fair", "Poor", "Poor", "Critical", "Critical"]);
  expect(new Set([90, 50, 30, 10].map((v) => healthBand(v).icon)).size).toBe(4);
});

test("triggers and reasons in words", () => {
  expect(reasonText("predicted_failure")).toBe("Predicted failure");
  expect(triggerText({ metric: "failure_probability", value: 0.71, threshold: 0.5, horizon_hours: 168 })).toBe("failure probability 71 % above 50 % within 7 days");
  expect(triggerText({ metric: "rul_hours", value: 60, threshold: 336 })).toBe("remaining life 2 days 12 h below 14 days");
  expect(triggerText({ metric: "vibration", value: 3 })).toBe("metric vibration, value 3");
});

test("worst first: lowest health, then highest probability, then shortest life", () => {
  const a = health("a", { health_index: 50, failure_probability: 0.2, rul_hours: 300 });
  const b = health("b", { health_index: 50, failure_probability: 0.4, rul_hours: 400 });
  const c = health("c", { health_index: 50, failure_probability: 0.4, rul_hours: 200 });
  const d = health("d", { health_index: 10 });
  expect([a, b, c, d].sort(worstFirst).map((h) => h.machine_id)).toEqual(["d", "c", "b", "a"]);
});
