import { callsTo, jsonResponse, USERS, route, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { form, renderRules, RULES, rowOf, serveRules, setupRulesPage, signIn } from "./rules/rulesPage.testutil";
import { makeRule, THRESHOLD } from "./rules/testdata.testutil";

beforeEach(setupRulesPage);

test("lists rules with their condition and scope in words, severity, safety, enabled and version", async () => {
  serveRules([
    makeRule(THRESHOLD, { name: "A threshold", scope: { sensor_id: "s-temp" }, severity: "critical", safety: true }),
    makeRule({ type: "zscore", z: 4, window_s: 300, min_samples: 30 }, { name: "B zscore", scope: { machine_id: "m1", sensor_kind: "vibration" } }),
    makeRule({ type: "missing_data", intervals: 5 }, { name: "C missing", scope: { sensor_name: "temp" }, enabled: false }),
    makeRule({ type: "window", agg: "avg", window_s: 60, op: ">", value: 70 }, { name: "D window" }),
    makeRule({ type: "flatline", window_s: 120, tolerance: 0.01 }, { name: "E flat" }),
    makeRule({ type: "rate_of_change", max_per_s: 2, window_s: 10, direction: "both" }, { name: "F rate" }),
    makeRule({ type: "ewma", alpha: 0.1, sigmas: 3, warmup: 50 }, { name: "G ewma" }),
    makeRule(
      { type: "combined", window_s: 10, all_of: [{ sensor_name: "temp", op: ">", value: 70 }, { sensor_name: "pressure", op: "<", value: 2 }] },
      { name: "H combined", scope: { machine_class: "cnc" } },
    ),
  ]);
  renderRules();
  await screen.findByText("A threshold");

  const expectRow = (name: string, ...texts: string[]) => texts.forEach((t) => expect(rowOf(name)).toHaveTextContent(t));
  expectRow("A threshold", "value > 85 for 3 s (deadband 2)", "Critical", "Safety", "v3");
  await waitFor(() => expect(rowOf("A threshold")).toHaveTextContent("sensor Berlin/Line A/Press 1/temp"));
  expectRow("B zscore", "rolling z-score > 4 over 300 s");
  await waitFor(() => expect(rowOf("B zscore")).toHaveTextContent("vibration sensors on Press 1"));
  expectRow("C missing", "no data for 5 × interval", "sensor “temp” on all machines");
  expectRow("D window", "avg over 60 s > 70");
  expectRow("E flat", "flat within 0.01 for 120 s");
  expectRow("F rate", "rate > 2/s over 10 s");
  expectRow("G ewma", "EWMA ±3σ (α 0.1)");
  expectRow("H combined", "all of temp > 70, pressure < 2 within 10 s", "machines of class “cnc”");
  expect(within(rowOf("A threshold")).getByRole("switch", { name: "Enabled: A threshold" })).toBeChecked();
  expect(within(rowOf("C missing")).getByRole("switch", { name: "Enabled: C missing" })).not.toBeChecked();
  expect(screen.getByRole("button", { name: "New rule" })).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Alarms of B zscore" })).toHaveAttribute("href", expect.stringMatching(/^\/alarms\?status=all&rule=r-\d+$/));
});

test("viewers read rules and history but get no write actions", async () => {
  signIn(USERS.viewer);
  serveRules([makeRule(THRESHOLD, { name: "Oven hot" })]);
  renderRules();
  await screen.findByText("Oven hot");
  expect(screen.queryByRole("button", { name: "New rule" })).toBeNull();
  expect(screen.queryByRole("switch")).toBeNull();
  expect(screen.queryByRole("button", { name: "Edit Oven hot" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Delete Oven hot" })).toBeNull();
  expect(within(rowOf("Oven hot")).getByText("Enabled")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "History of Oven hot" })).toBeInTheDocument();
});

test("creates a threshold rule on a machine with the right body", async () => {
  serveRules([]);
  route("POST", RULES, (c: FetchCall) => jsonResponse(201, { ...makeRule(THRESHOLD, { id: "new", version: 1 }), ...(c.body as object) }));
  const user = userEvent.setup();
  renderRules();
  await screen.findByText("No rules yet");
  await user.click(screen.getByRole("button", { name: "New rule" }));
  await waitFor(() => expect(screen.getByRole("heading", { name: "New rule" })).toHaveFocus());

  const f = within(form());
  await user.type(f.getByLabelText("Name"), "Oven too hot");
  await user.selectOptions(f.getByLabelText("Severity"), "critical");
  await user.click(f.getByLabelText("Safety-relevant"));
  await waitFor(() => expect(f.getByRole("option", { name: "Berlin/Line A/Press 1" })).toBeInTheDocument());
  await user.selectOptions(f.getByLabelText("Machine"), "m1");
  await user.type(f.getByLabelText("Sensor name"), "temp");
  await user.selectOptions(f.getByLabelText("Comparison"), ">=");
  await user.type(f.getByLabelText("Limit"), "85");
  await user.clear(f.getByLabelText("Min duration (s)"));
  await user.type(f.getByLabelText("Min duration (s)"), "3");
  await user.clear(f.getByLabelText("Deadband"));
  await user.type(f.getByLabelText("Deadband"), "2");
  await user.type(f.getByLabelText("Escalate after (s)"), "120");
  await user.click(f.getByRole("button", { name: "Create rule" }));

  await waitFor(() => expect(callsTo("POST", RULES)).toHaveLength(1));
  expect(callsTo("POST", RULES)[0].body).toEqual({
    name: "Oven too hot",
    enabled: true,
    severity: "critical",
    safety: true,
    scope: { machine_id: "m1", sensor_name: "temp" },
    condition: { type: "threshold", op: ">=", value: 85, min_duration_s: 3, deadband: 2 },
    message: null,
    escalate_after_s: 120,
    max_alarms_per_hour: null,
  });
  expect(await screen.findByRole("status")).toHaveTextContent("Rule “Oven too hot” created.");
  expect(screen.queryByRole("form")).toBeNull();
  expect(rowOf("Oven too hot")).toHaveTextContent("value >= 85 for 3 s (deadband 2)");
});

test("creates a z-score rule on one sensor, picked from the machine's sensors", async () => {
  serveRules([]);
  route("POST", RULES, (c: FetchCall) => jsonResponse(201, { ...makeRule(THRESHOLD, { id: "new", version: 1 }), ...(c.body as object) }));
  const user = userEvent.setup();
  renderRules();
  await user.click(await screen.findByRole("button", { name: "New rule" }));
  const f = within(form());
  await user.type(f.getByLabelText("Name"), "Vibration anomaly");
  await user.click(f.getByLabelText("One sensor"));
  expect(f.getByLabelText("Sensor")).toBeDisabled(); // pick the machine first
  await waitFor(() => expect(f.getByRole("option", { name: "Berlin/Line A/Press 1" })).toBeInTheDocument());
  await user.selectOptions(f.getByLabelText("Machine"), "m1");
  await waitFor(() => expect(f.getByRole("option", { name: "vib (vibration, mm/s)" })).toBeInTheDocument());
  await user.selectOptions(f.getByLabelText("Sensor"), "s-vib");
  await user.selectOptions(f.getByLabelText("Condition type"), "zscore");
  await user.clear(f.getByLabelText("z-score above"));
  await user.type(f.getByLabelText("z-score above"), "3.5");
  await user.type(f.getByLabelText("Max alarms per hour"), "6");
  await user.click(f.getByRole("button", { name: "Create rule" }));

  await waitFor(() => expect(callsTo("POST", RULES)).toHaveLength(1));
  expect(callsTo("POST", RULES)[0].body).toMatchObject({
    name: "Vibration anomaly",
    severity: "major",
    safety: false,
    scope: { sensor_id: "s-vib" },
    condition: { type: "zscore", z: 3.5, window_s: 300, min_samples: 30 },
    max_alarms_per_hour: 6,
  });
});

test("creates a combined rule for a machine class from its terms", async () => {
  serveRules([]);
  route("POST", RULES, (c: FetchCall) => jsonResponse(201, { ...makeRule(THRESHOLD, { id: "new", version: 1 }), ...(c.body as object) }));
  const user = userEvent.setup();
  renderRules();
  await user.click(await screen.findByRole("button", { name: "New rule" }));
  const f = within(form());
  await user.type(f.getByLabelText("Name"), "Hot and no pressure");
  await user.click(f.getByLabelText("Machine class"));
  await user.type(f.getByRole("combobox", { name: "Machine class" }), "cnc");
  await user.selectOptions(f.getByLabelText("Condition type"), "combined");
  expect(f.queryByLabelText("Sensor kind")).toBeNull(); // a combined rule names its own sensors

  const term = (i: number) => within(f.getByRole("group", { name: `Condition ${i}` }));
  await user.type(term(1).getByLabelText("Sensor name"), "temp");
  await user.type(term(1).getByLabelText("Value"), "70");
  await user.type(term(2).getByLabelText("Sensor name"), "pressure");
  await user.selectOptions(term(2).getByLabelText("Comparison"), "<");
  await user.type(term(2).getByLabelText("Value"), "2");
  expect(f.getByRole("button", { name: "Remove condition 1" })).toBeDisabled(); // at least two
  await user.click(f.getByRole("button", { name: "Add condition" }));
  await user.click(f.getByRole("button", { name: "Remove condition 3" }));
  await user.click(f.getByRole("button", { name: "Create rule" }));

  await waitFor(() => expect(callsTo("POST", RULES)).toHaveLength(1));
  expect(callsTo("POST", RULES)[0].body).toMatchObject({
    scope: { machine_class: "cnc" },
    condition: {
      type: "combined",
      window_s: 10,
      all_of: [
        { sensor_name: "temp", op: ">", value: 70 },
        { sensor_name: "pressure", op: "<", value: 2 },
      ],
    },
  });
});

test("checks the form inline before sending, then shows the API's 422 problems next to the form and on their fields", async () => {
  serveRules([]);
  route("POST", RULES, () =>
    jsonResponse(422, {
      type: "https://mip.dev/problems/validation_failed",
      title: "Validation failed",
      status: 422,
      code: "validation_failed",
      detail: [
        { loc: ["body", "condition", "threshold", "value"], msg: "Input should be a finite number", type: "finite_number" },
        { loc: ["body"], msg: "Value error, a machine or machine-class scope needs sensor_name or sensor_kind", type: "value_error" },
      ],
    }),
  );
  const user = userEvent.setup();
  renderRules();
  await user.click(await screen.findByRole("button", { name: "New rule" }));
  const f = within(form());
  await user.click(f.getByRole("button", { name: "Create rule" }));

  expect(callsTo("POST", RULES)).toHaveLength(0);
  const name = f.getByLabelText("Name");
  expect(name).toHaveAttribute("aria-invalid", "true");
  expect(name).toHaveAccessibleDescription("Give the rule a name");
  await waitFor(() => expect(name).toHaveFocus());
  expect(f.getByLabelText("Machine")).toHaveAccessibleDescription("Pick a machine");
  expect(f.getByLabelText("Limit")).toHaveAccessibleDescription("Required");
  expect(f.getByText("Name the sensor or pick a sensor kind")).toBeInTheDocument();
  await user.type(f.getByLabelText("Escalate after (s)"), "0");
  expect(f.getByLabelText("Escalate after (s)")).toHaveAccessibleDescription(/Must be greater than 0/);
  await user.clear(f.getByLabelText("Escalate after (s)"));

  await user.type(name, "Oven");
  expect(name).not.toHaveAttribute("aria-invalid"); // errors follow the input once shown
  await waitFor(() => expect(f.getByRole("option", { name: "Berlin/Line A/Press 1" })).toBeInTheDocument());
  await user.selectOptions(f.getByLabelText("Machine"), "m1");
  await user.selectOptions(f.getByLabelText("Sensor kind"), "temperature");
  await user.type(f.getByLabelText("Limit"), "85");
  await user.click(f.getByRole("button", { name: "Create rule" }));

  const problems = await screen.findByTestId("rule-problems");
  expect(problems).toHaveAttribute("role", "alert");
  expect(problems).toHaveTextContent("Could not save the rule: Validation failed");
  expect(problems).toHaveTextContent("condition.value: Input should be a finite number");
  expect(problems).toHaveTextContent("Rule: a machine or machine-class scope needs sensor_name or sensor_kind");
  expect(f.getByLabelText("Limit")).toHaveAccessibleDescription("Input should be a finite number");
  expect(f.getByLabelText("Limit")).toHaveAttribute("aria-invalid", "true");
});

