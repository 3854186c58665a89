import { ApiError } from "../../api/client";
import { bodyOf, fieldProblems, locToPath, type Condition } from "./api";
import { diffSpecs } from "./diff";
import { draftFromRule, emptyDraft, toBody, validate } from "./draft";
import { conditionSummary, scopeSummary, type Names } from "./summary";
import { makeRule } from "./testdata.testutil";

const names: Names = { machine: (id) => (id === "m1" ? "Press 1" : id), sensor: (id) => `path/${id}` };

const EVERY: Condition[] = [
  { type: "threshold", op: "<", value: -5.5, min_duration_s: 0, deadband: 0.5 },
  { type: "rate_of_change", max_per_s: 2, window_s: 10, direction: "up" },
  { type: "zscore", z: 4, window_s: 300, min_samples: 50 },
  { type: "ewma", alpha: 0.25, sigmas: 2.5, warmup: 20 },
  { type: "window", agg: "max", window_s: 60, op: ">=", value: 70 },
  { type: "flatline", window_s: 120, tolerance: 0.01 },
  { type: "missing_data", intervals: 3 },
  { type: "combined", window_s: 5, all_of: [{ sensor_name: "a", op: ">", value: 1 }, { sensor_name: "b", op: "<=", value: 2 }] },
];

test("condition summaries: optional parts only when set, directions in words, no float noise", () => {
  expect(conditionSummary({ type: "threshold", op: ">", value: 85, min_duration_s: 0, deadband: 0 })).toBe("value > 85");
  expect(conditionSummary(EVERY[0])).toBe("value < -5.5 (deadband 0.5)");
  expect(conditionSummary(EVERY[1])).toBe("rate > 2/s over 10 s (rising)");
  expect(conditionSummary({ type: "ewma", alpha: 0.1 + 0.2, sigmas: 3, warmup: 50 })).toBe("EWMA ±3σ (α 0.3)");
  expect(conditionSummary(EVERY[4])).toBe("max over 60 s >= 70");
});

test("scope summaries for each kind of target", () => {
  expect(scopeSummary({ sensor_id: "s1" }, names)).toBe("sensor path/s1");
  expect(scopeSummary({ machine_id: "m1" }, names)).toBe("machine Press 1");
  expect(scopeSummary({ machine_id: "m1", sensor_name: "temp", sensor_kind: "temperature" }, names)).toBe("temperature sensor “temp” on Press 1");
  expect(scopeSummary({ machine_class: "cnc", sensor_kind: "vibration" }, names)).toBe("vibration sensors on machines of class “cnc”");
  expect(scopeSummary({}, names)).toBe("all machines");
});

test("every condition type survives the form: rule → draft → body is the same rule", () => {
  for (const condition of EVERY) {
    const scope = condition.type === "combined" ? { machine_class: "cnc" } : { machine_id: "m1", sensor_kind: "pressure" };
    const r = makeRule(condition, { scope, message: "Check it", escalate_after_s: 90, max_alarms_per_hour: 3, safety: true });
    const d = draftFromRule(r);
    expect(validate(d)).toEqual({});
    expect(toBody(d)).toEqual(bodyOf(r));
  }
});

test("validation follows the API's bounds", () => {
  const d = emptyDraft();
  d.name = "x";
  d.machineId = "m1";
  d.sensorName = "temp";
  d.type = "ewma";
  d.params.ewma = { sigmas: "3", alpha: "1.5", warmup: "2.5" };
  d.maxPerHour = "0";
  expect(validate(d)).toEqual({
    "condition.alpha": "Must be at most 1",
    "condition.warmup": "Enter a whole number",
    max_alarms_per_hour: "Must be at least 1",
  });
  d.type = "combined";
  d.scopeKind = "sensor";
  d.terms = [{ sensor_name: "", op: ">", value: "x" }];
  expect(validate(d)).toMatchObject({
    scope: expect.stringContaining("not one sensor"),
    "condition.all_of": "A combined rule needs 2 to 10 conditions",
    "condition.all_of.0.sensor_name": "Name the sensor",
    "condition.all_of.0.value": "Enter a number",
  });
});

test("422 problems: FastAPI's detail list and MIP's errors list map to form paths", () => {
  expect(locToPath(["body", "condition", "zscore", "z"])).toBe("condition.z");
  expect(locToPath("body.condition.combined.all_of.1.value")).toBe("condition.all_of.1.value");
  expect(locToPath(["body", "scope"])).toBe("scope");
  expect(locToPath(["body"])).toBe("");
  const mip = new ApiError(422, "validation_failed", "body.name: too short", "body.name: too short", {
    errors: [{ loc: "body.name", msg: "String should have at least 1 character", type: "string_too_short" }],
  });
  expect(fieldProblems(mip)).toEqual([{ path: "name", msg: "String should have at least 1 character" }]);
  const fastapi = new ApiError(422, "http_error", "Validation failed", [{ loc: ["body"], msg: "Value error, a combined rule is scoped to a machine" }]);
  expect(fieldProblems(fastapi)).toEqual([{ path: "", msg: "a combined rule is scoped to a machine" }]);
  expect(fieldProblems(new Error("x"))).toEqual([]);
});

test("diff: a change hidden from the summary is shown field by field; the first version lists every setting", () => {
  const a = { name: "z", condition: { type: "zscore", z: 4, window_s: 300, min_samples: 30 }, scope: { machine_id: "m1", sensor_name: "t" } };
  const b = { ...a, condition: { ...a.condition, min_samples: 50 } };
  expect(diffSpecs(a, b, names)).toEqual([{ label: "Condition min samples", from: "30", to: "50" }]);
  expect(diffSpecs(a, { ...a, scope: { machine_id: "m1", sensor_name: "t", sensor_kind: null } }, names)).toEqual([]); // nulls = absent
  const first = diffSpecs(null, a, names);
  expect(first.find((l) => l.label === "Condition")).toEqual({ label: "Condition", from: null, to: "rolling z-score > 4 over 300 s" });
  expect(first.find((l) => l.label === "Scope")?.to).toBe("sensor “t” on Press 1");
});
