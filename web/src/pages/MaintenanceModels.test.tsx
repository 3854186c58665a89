import { callsTo, jsonResponse, problem, resetFetch, route, USERS, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { M, MECHANIC, model, MODELS, renderMaintenance, rowOf, serveMaintenance, signIn } from "./maintenance/maintenancePage.testutil";
import type { Model, Policy } from "./maintenance/api";

beforeEach(resetFetch);

test("lists model versions with status, error, trainer and training data; promote and retire", async () => {
  serveMaintenance();
  signIn(USERS.admin);
  route("POST", `${M}/models/mod-3/promote`, { ...MODELS[2], status: "active", promoted_at: "2026-03-02T10:00:00Z" });
  route("POST", `${M}/models/mod-2/retire`, { ...MODELS[0], status: "retired" });
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=models");

  await waitFor(() => expect(rowOf("rul-press v3")).toBeInTheDocument());
  const rows = screen.getAllByTestId("model-row");
  expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual([
    "rul-press v3Remaining life (RUL)",
    "rul-press v2Remaining life (RUL)",
    "rul-press v1Remaining life (RUL)",
  ]);
  const v3 = rowOf("rul-press v3");
  expect(v3).toHaveTextContent("◇ Candidate");
  expect(v3).toHaveTextContent("RMSE 36 h");
  expect(v3).toHaveTextContent("MAE 28 h");
  expect(v3).toHaveTextContent("5-fold, by machine life");
  expect(v3).toHaveTextContent("rollup_1h of the machines of class 'press'; 4,200 rows, 6 lives (4 failures), 2 machines");
  expect(v3).toHaveTextContent("2026-03-01 09:00:00");
  await waitFor(() => expect(v3).toHaveTextContent("Emil Engineer"));
  expect(rowOf("rul-press v2")).toHaveTextContent("● Active");
  expect(within(rowOf("rul-press v2")).queryByRole("button", { name: "Promote rul-press v2" })).toBeNull();
  expect(within(rowOf("rul-press v1")).queryByRole("button", { name: "Retire rul-press v1" })).toBeNull();

  await user.click(screen.getByRole("button", { name: "Promote rul-press v3" }));
  await waitFor(() => expect(callsTo("POST", `${M}/models/mod-3/promote`)).toHaveLength(1));
  expect(await screen.findByText("rul-press v3 promoted: it now scores its machine class.")).toBeInTheDocument();
  expect(rowOf("rul-press v3")).toHaveTextContent("● Active");
  expect(rowOf("rul-press v2")).toHaveTextContent("○ Retired"); // the previous active one of the class
  expect(within(rowOf("rul-press v3")).queryByRole("button", { name: "Promote rul-press v3" })).toBeNull();

  route("POST", `${M}/models/mod-3/retire`, () => problem(409, "model mod-3 is already retired", "model_state_conflict"));
  await user.click(screen.getByRole("button", { name: "Retire rul-press v3" }));
  await user.click(within(screen.getByRole("group", { name: "Confirm: retire rul-press v3" })).getByRole("button", { name: "Yes, retire" }));
  expect(await within(rowOf("rul-press v3")).findByRole("alert")).toHaveTextContent("Could not retire rul-press v3: model mod-3 is already retired");
});

test("trains a model with the request body; the API's 422 shows inline", async () => {
  serveMaintenance({ models: [] });
  let attempts = 0;
  route("POST", `${M}/models/train`, (c: FetchCall) =>
    ++attempts === 1
      ? jsonResponse(422, {
          type: "https://mip.dev/problems/insufficient_training_data",
          title: "Insufficient training data",
          status: 422,
          code: "insufficient_training_data",
          detail: "training needs at least two recorded failures (work orders with failed_at) of class 'lathe' machines with rollups before them; found 1",
        })
      : jsonResponse(201, model("mod-9", { machine_class: (c.body as Model).machine_class, name: "rul-lathe", version: 1, created_at: "2026-03-02T10:00:00Z" })),
  );
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=models");
  expect(await screen.findByRole("heading", { name: "No models yet" })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Train a model" }));
  const form = within(screen.getByRole("form", { name: "Train a model" }));
  await waitFor(() => expect(form.getByLabelText("Machine class")).toHaveFocus());

  await user.clear(form.getByLabelText("History (days)"));
  await user.type(form.getByLabelText("History (days)"), "1000");
  await user.click(form.getByRole("button", { name: "Train model" }));
  expect(form.getByLabelText("Machine class")).toHaveAccessibleDescription(/Enter a machine class/);
  expect(form.getByLabelText("History (days)")).toHaveAccessibleDescription(/Between 1 and 730/);
  expect(callsTo("POST", `${M}/models/train`)).toHaveLength(0);

  await user.type(form.getByLabelText("Machine class"), "lathe");
  await user.clear(form.getByLabelText("History (days)"));
  await user.type(form.getByLabelText("History (days)"), "90");
  await user.type(form.getByLabelText("Retrain every (days)"), "30");
  await user.click(form.getByLabelText(/auto-promote/));
  await user.click(form.getByRole("button", { name: "Train model" }));
  expect(await form.findByRole("alert")).toHaveTextContent("Could not train: training needs at least two recorded failures");
  expect(callsTo("POST", `${M}/models/train`)[0].body).toEqual({
    machine_class: "lathe",
    name: null,
    lookback_days: 90,
    resolution: "1h",
    cap_hours: 720,
    folds: 5,
    max_iter: 150,
    retrain_every_days: 30,
    auto_promote: true,
  });

  await user.click(form.getByRole("button", { name: "Train model" }));
  expect(await screen.findByText("rul-lathe v1 trained for class lathe: a candidate model. Promote it to start scoring.")).toBeInTheDocument();
  expect(screen.queryByRole("form", { name: "Train a model" })).toBeNull();
  expect(rowOf("rul-lathe v1")).toHaveTextContent("◇ Candidate");
  expect(screen.getByText("No model is active yet: promote a candidate to start scoring machines.")).toBeInTheDocument();
});

test("saves a class's risk policy with the right body, and adds one for another class", async () => {
  serveMaintenance();
  const put = (c: FetchCall): Policy => ({ machine_class: decodeURIComponent(c.path.split("/").pop()!), updated_at: "2026-03-02T10:00:00Z", ...(c.body as Omit<Policy, "machine_class" | "updated_at">) });
  route("PUT", /^\/api\/v1\/maintenance\/policies\/[^/]+$/, put);
  const user = userEvent.setup();
  renderMaintenance("/maintenance?tab=models");
  const defaults = await screen.findByRole("listitem", { name: "All classes (tenant default)" });
  expect(defaults).toHaveTextContent("Recommend when the failure probability within 7 days is above 50 % or the remaining life is below 14 days; opens a work order automatically; snooze 3 days after a dismissal.");

  await user.click(within(defaults).getByRole("button", { name: "Edit policy for All classes (tenant default)" }));
  const form = within(within(defaults).getByRole("form"));
  await user.clear(form.getByLabelText("Failure probability above (%)"));
  await user.type(form.getByLabelText("Failure probability above (%)"), "60");
  await user.clear(form.getByLabelText("Remaining life below (hours)"));
  await user.type(form.getByLabelText("Remaining life below (hours)"), "240");
  expect(form.getByLabelText("Remaining life below (hours)")).toHaveAccessibleDescription("= 10 days");
  await user.click(form.getByLabelText(/Open a work order automatically/));
  await user.click(form.getByRole("button", { name: "Save policy" }));

  await waitFor(() => expect(callsTo("PUT", `${M}/policies/*`)).toHaveLength(1));
  expect(callsTo("PUT", `${M}/policies/*`)[0].body).toEqual({
    failure_probability_threshold: 0.6,
    rul_threshold_hours: 240,
    horizon_hours: 168,
    auto_work_order: false,
    snooze_hours: 72,
  });
  expect(await screen.findByText("Policy for All classes (tenant default) saved.")).toBeInTheDocument();
  expect(screen.getByRole("listitem", { name: "All classes (tenant default)" })).toHaveTextContent("above 60 % or the remaining life is below 10 days; no automatic work order");

  await user.click(screen.getByRole("button", { name: "Add policy" }));
  const add = within(screen.getByRole("form", { name: "New risk policy" }));
  await user.type(add.getByLabelText("Machine class"), "press");
  await user.clear(add.getByLabelText("Horizon (hours)"));
  await user.type(add.getByLabelText("Horizon (hours)"), "0");
  await user.click(add.getByRole("button", { name: "Save policy" }));
  expect(add.getByLabelText("Horizon (hours)")).toHaveAccessibleDescription("Above 0, at most 8760");
  await user.clear(add.getByLabelText("Horizon (hours)"));
  await user.type(add.getByLabelText("Horizon (hours)"), "72");
  await user.click(add.getByRole("button", { name: "Save policy" }));
  await waitFor(() => expect(callsTo("PUT", `${M}/policies/press`)).toHaveLength(1));
  expect(callsTo("PUT", `${M}/policies/press`)[0].body).toEqual({
    failure_probability_threshold: 0.5,
    rul_threshold_hours: 336,
    horizon_hours: 72,
    auto_work_order: true,
    snooze_hours: 72,
  });
  expect(await screen.findByRole("listitem", { name: "press" })).toHaveTextContent("within 3 days is above 50 %");
});

test("the maintenance role sets policies but does not train, promote or retire models", async () => {
  serveMaintenance();
  signIn(MECHANIC);
  renderMaintenance("/maintenance?tab=models");
  await waitFor(() => expect(rowOf("rul-press v3")).toBeInTheDocument());
  expect(screen.queryByRole("button", { name: "Train a model" })).toBeNull();
  expect(screen.queryByRole("button", { name: /^(Promote|Retire)/ })).toBeNull();
  expect(screen.getByText(/Training, promoting and retiring need an administrator or engineer/)).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Add policy" })).toBeInTheDocument();
  expect(await screen.findByRole("button", { name: "Edit policy for All classes (tenant default)" })).toBeInTheDocument();
});
