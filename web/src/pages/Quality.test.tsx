import { callsTo, problem, resetFetch, route, USERS, type FetchCall } from "./shared/testing";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { currentUrl, daysAgo, ENGINEER, event, ncr, Q, QUALITY, renderQuality, serveQuality, signIn } from "./quality/qualityPage.testutil";
import type { Ncr } from "./quality/api";

beforeEach(resetFetch);

const column = (status: string) => screen.getByTestId(`column-${status}`);
const card = (number: string) => screen.getAllByTestId("ncr-card").find((c) => c.textContent?.includes(number))!;

test("the board shows NCRs by workflow status with item, quantity, age and urgency; cancelled only on request; metrics strip", async () => {
  const ncrs = [
    ncr("n1", { ncr_number: "NCR-000001", title: "Burr on edge", quantity: 12, detected_at: daysAgo(3) }),
    ncr("n2", { ncr_number: "NCR-000002", title: "Wrong bore", status: "contained", detected_at: daysAgo(10) }),
    ncr("n3", { ncr_number: "NCR-000003", title: "Scratch", status: "pending_mrb", disposition: "use_as_is", mrb_required: true }),
    ncr("n4", { ncr_number: "NCR-000004", title: "Porosity", status: "dispositioned", disposition: "scrap", detected_at: daysAgo(40) }),
    ncr("n5", { ncr_number: "NCR-000005", title: "Old one", status: "closed" }),
    ncr("n6", { ncr_number: "NCR-000006", title: "Duplicate", status: "cancelled" }),
  ];
  serveQuality({ ncrs });
  signIn(ENGINEER);
  const user = userEvent.setup();
  renderQuality();

  await screen.findByText("Burr on edge");
  expect(within(column("open")).getByRole("heading")).toHaveTextContent("Open (1)");
  expect(within(column("contained")).getByText("Wrong bore")).toBeInTheDocument();
  expect(within(column("pending_mrb")).getByText("Scratch")).toBeInTheDocument();
  expect(within(column("dispositioned")).getByText("Porosity")).toBeInTheDocument();
  expect(within(column("closed")).getByText("Old one")).toBeInTheDocument();
  expect(screen.queryByTestId("column-cancelled")).toBeNull();
  expect(screen.queryByText("Duplicate")).toBeNull();
  // column order is the workflow
  expect(screen.getAllByTestId(/^column-/).map((c) => c.querySelector("h3")?.textContent?.replace(/ \(\d+\)/, ""))).toEqual(["Open", "Contained", "Pending MRB", "Dispositioned", "Closed"]);

  await waitFor(() => expect(card("NCR-000001")).toHaveTextContent("BRK-100"));
  expect(card("NCR-000001")).toHaveTextContent("Qty12");
  expect(card("NCR-000001")).toHaveTextContent("Age3 days");
  expect(card("NCR-000001")).toHaveTextContent("UrgencyLow");
  expect(card("NCR-000002")).toHaveTextContent("UrgencyMedium");
  expect(card("NCR-000003")).toHaveTextContent("UrgencyHigh");
  expect(card("NCR-000003")).toHaveTextContent("Use as is · awaiting MRB");
  expect(card("NCR-000004")).toHaveTextContent("UrgencyHigh");
  expect(card("NCR-000005")).not.toHaveTextContent("Urgency");

  await user.click(screen.getByLabelText("Show cancelled (1)"));
  expect(within(column("cancelled")).getByText("Duplicate")).toBeInTheDocument();

  await user.type(screen.getByLabelText("Filter"), "bore");
  expect(screen.getAllByTestId("ncr-card")).toHaveLength(1);
  expect(screen.getByText("1 of 6 NCRs match")).toBeInTheDocument();

  // metrics strip
  expect(await screen.findByTestId("metric-first_pass_yield")).toHaveTextContent("First-pass yield97.5 %");
  expect(screen.getByTestId("metric-scrap_rate")).toHaveTextContent("0.50 %");
  expect(screen.getByTestId("metric-dpmo")).toHaveTextContent("3,000");
  expect(screen.getByRole("img", { name: "First-pass yield trend over 3 periods: from 95.0 % to 99.0 %, improving" })).toBeInTheDocument();
  const ppm = await screen.findByRole("table", { name: "PPM by supplier" });
  expect(within(ppm).getAllByRole("row")[1]).toHaveTextContent("ACME200840,000");
  expect(callsTo("GET", `${Q}/metrics/ppm`)[0].url.searchParams.get("by")).toBe("supplier");

  await user.selectOptions(screen.getByLabelText("Period"), "26w");
  await waitFor(() => expect(callsTo("GET", `${Q}/metrics`).some((c) => c.url.searchParams.get("bucket") === "week")).toBe(true));
});

test("opening an NCR shows details and history; containing and dispositioning send the version; the board follows", { timeout: 20_000 }, async () => {
  let current = ncr("n1", { ncr_number: "NCR-000001", title: "Burr on edge", lots: ["L-1042"], work_order_id: "wo-1", supplier_id: "sup-1", containment: [{ action: "Quarantine lot", owner: "Bo", due_date: "2020-01-01", done: false }] });
  const ncrs: Ncr[] = [current];
  serveQuality({ ncrs, events: [event("created", { to_status: "open", actor_id: ENGINEER.id })] });
  route("POST", `${Q}/ncrs/n1/transition`, (c: FetchCall) => {
    current = { ...current, status: (c.body as { to: string }).to, version: current.version + 1 };
    ncrs[0] = current;
    return current;
  });
  route("POST", `${Q}/ncrs/n1/disposition`, (c: FetchCall) => {
    current = { ...current, status: "pending_mrb", disposition: (c.body as { disposition: string }).disposition, disposition_quantity: 4, mrb_required: true, version: current.version + 1 };
    ncrs[0] = current;
    return current;
  });
  signIn(ENGINEER);
  const user = userEvent.setup();
  renderQuality();

  await user.click(await screen.findByRole("link", { name: /NCR-000001/ }));
  expect(currentUrl()).toBe("/quality?ncr=n1");
  const detail = await screen.findByTestId("ncr-detail");
  await waitFor(() => expect(within(detail).getByRole("heading", { level: 2 })).toHaveFocus());
  expect(detail).toHaveTextContent("L-1042");
  await waitFor(() => expect(detail).toHaveTextContent("WO-0042"));
  expect(detail).toHaveTextContent("ACME — Acme Castings");
  expect(within(detail).getByText("Overdue")).toBeInTheDocument(); // containment due 2020 and not done
  expect(await within(detail).findByText("Created")).toBeInTheDocument();
  expect(within(detail).getByTestId("history")).toHaveTextContent("Created by you");
  expect(within(detail).queryByRole("button", { name: /Approve/ })).toBeNull();

  await user.type(within(detail).getByLabelText("Comment for the status change (optional)"), "Lot quarantined");
  await user.click(within(detail).getByRole("button", { name: "Mark contained" }));
  await waitFor(() => expect(callsTo("POST", `${Q}/ncrs/n1/transition`)).toHaveLength(1));
  expect(callsTo("POST", `${Q}/ncrs/n1/transition`)[0].body).toEqual({ to: "contained", comment: "Lot quarantined", expected_version: 1 });
  await waitFor(() => expect(within(screen.getByTestId("column-contained")).getByText("Burr on edge")).toBeInTheDocument());
  expect(callsTo("GET", `${Q}/ncrs/n1/events`).length).toBeGreaterThanOrEqual(2);

  await user.click(within(detail).getByLabelText(/^Use as is/));
  expect(within(detail).getByText(/goes to the material review board/)).toBeInTheDocument();
  await user.type(within(detail).getByLabelText(/^Quantity/), "40");
  expect(within(detail).getByText("Enter a quantity above 0 and at most 10.")).toBeInTheDocument();
  expect(within(detail).getByRole("button", { name: "Record disposition" })).toBeDisabled();
  await user.clear(within(detail).getByLabelText(/^Quantity/));
  await user.type(within(detail).getByLabelText(/^Quantity/), "4");
  await user.type(within(detail).getByLabelText("Notes"), "cosmetic only");
  await user.click(within(detail).getByRole("button", { name: "Record disposition" }));
  await waitFor(() => expect(callsTo("POST", `${Q}/ncrs/n1/disposition`)).toHaveLength(1));
  expect(callsTo("POST", `${Q}/ncrs/n1/disposition`)[0].body).toEqual({ disposition: "use_as_is", quantity: 4, notes: "cosmetic only", expected_version: 2 });
  expect(await within(detail).findByRole("heading", { name: "Material review board" })).toBeInTheDocument();
  expect(within(detail).getByText(/Only a user with the/)).toHaveTextContent("quality role can approve");
  expect(within(screen.getByTestId("column-pending_mrb")).getByText("Burr on edge")).toBeInTheDocument();
});

test("409 invalid_transition and version_conflict are explained, with a Reload that fetches the NCR again", async () => {
  serveQuality({ ncrs: [ncr("n1", { ncr_number: "NCR-000001", status: "dispositioned", disposition: "scrap", version: 3 })] });
  route("POST", `${Q}/ncrs/n1/transition`, () =>
    Response.json({ type: "x", title: "Conflict", status: 409, code: "invalid_transition", detail: "an NCR cannot go from closed to closed", allowed: [] }, { status: 409, headers: { "content-type": "application/problem+json" } }),
  );
  signIn(USERS.admin);
  const user = userEvent.setup();
  renderQuality("/quality?ncr=n1");
  const detail = await screen.findByTestId("ncr-detail");
  await user.click(within(detail).getByRole("button", { name: "Close NCR" }));
  const alert = await within(detail).findByRole("alert");
  expect(alert).toHaveTextContent("Could not move NCR-000001 to Closed: This step is not allowed now. an NCR cannot go from closed to closed");
  expect(alert).toHaveTextContent("It cannot change status any more.");
  const before = callsTo("GET", `${Q}/ncrs/n1`).length;
  await user.click(within(alert).getByRole("button", { name: "Reload" }));
  await waitFor(() => expect(callsTo("GET", `${Q}/ncrs/n1`).length).toBe(before + 1));
  await waitFor(() => expect(within(detail).queryByRole("alert")).toBeNull());

  route("POST", `${Q}/ncrs/n1/transition`, () => problem(409, "the NCR is at version 4, not 3: reload and retry", "version_conflict"));
  await user.click(await within(detail).findByRole("button", { name: "Close NCR" }));
  const stale = await within(detail).findByRole("alert");
  expect(stale).toHaveTextContent("Someone else changed this record meanwhile");
  expect(stale).toHaveTextContent("Your change was not saved. Reload to see the current version, then try again.");
  expect(within(stale).getByRole("button", { name: "Reload" })).toBeInTheDocument();
});

test("MRB: a quality user approves; a 403 from the API is shown as a role explanation", async () => {
  const pending = ncr("n1", { ncr_number: "NCR-000001", status: "pending_mrb", disposition: "repair", disposition_quantity: 5, mrb_required: true, version: 2 });
  serveQuality({ ncrs: [pending] });
  route("POST", `${Q}/ncrs/n1/mrb`, () => problem(403, "MRB approval needs a user with the quality role", "mrb_quality_role_required"));
  signIn(QUALITY);
  const user = userEvent.setup();
  renderQuality("/quality?ncr=n1");
  const detail = await screen.findByTestId("ncr-detail");
  expect(within(detail).getByText(/awaits MRB approval/)).toHaveTextContent("Disposition Repair of 5 awaits MRB approval.");
  await user.type(within(detail).getByLabelText("MRB comment"), "OK per drawing note 4");
  await user.click(within(detail).getByRole("button", { name: "Approve disposition (MRB)" }));
  const alert = await within(detail).findByRole("alert");
  expect(alert).toHaveTextContent("MRB approval needs the quality role");
  expect(alert).toHaveTextContent("Ask your quality engineer.");
  expect(within(alert).queryByRole("button", { name: "Reload" })).toBeNull();
  expect(callsTo("POST", `${Q}/ncrs/n1/mrb`)[0].body).toEqual({ decision: "approve", comment: "OK per drawing note 4", expected_version: 2 });

  route("POST", `${Q}/ncrs/n1/mrb`, () => ({ ...pending, status: "dispositioned", mrb_approved_by: QUALITY.id, mrb_approved_at: daysAgo(0), version: 3 }));
  await user.click(within(detail).getByRole("button", { name: "Approve disposition (MRB)" }));
  await waitFor(() => expect(within(detail).queryByRole("heading", { name: "Material review board" })).toBeNull());
  expect(detail).toHaveTextContent("Approved");
  expect(detail).toHaveTextContent("by you");
  expect(within(detail).getByRole("button", { name: "Close NCR" })).toBeInTheDocument();
});

test("raising an NCR validates, sends the references and opens it", { timeout: 20_000 }, async () => {
  const created = ncr("n9", { ncr_number: "NCR-000009", title: "Crack in weld" });
  const ncrs: Ncr[] = [];
  serveQuality({ ncrs });
  route("POST", `${Q}/ncrs`, () => (ncrs.push(created), new Response(JSON.stringify(created), { status: 201, headers: { "content-type": "application/json" } })));
  signIn(QUALITY);
  const user = userEvent.setup();
  renderQuality();
  expect(await screen.findByText("No NCRs yet")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Raise NCR" }));
  const form = await screen.findByRole("form", { name: "Raise an NCR" });
  await waitFor(() => expect(within(form).getByLabelText("Title")).toHaveFocus());
  await user.click(within(form).getByRole("button", { name: "Raise NCR" }));
  expect(within(form).getByText("Enter a title.")).toBeInTheDocument();
  expect(within(form).getByText("Enter the nonconforming quantity (above 0).")).toBeInTheDocument();
  expect(callsTo("POST", `${Q}/ncrs`)).toHaveLength(0);

  await user.type(within(form).getByLabelText("Title"), "Crack in weld");
  await user.type(within(form).getByLabelText("Quantity"), "3");
  await waitFor(() => expect(within(form).getByRole("option", { name: "BRK-100 — Bracket" })).toBeInTheDocument());
  await user.selectOptions(within(form).getByLabelText("Item"), "item-1");
  await user.selectOptions(within(form).getByLabelText("Supplier"), "sup-1");
  await user.type(within(form).getByLabelText(/^Lots/), "L-1, L-2 L-1");
  await user.type(within(form).getByLabelText(/First containment action/), "Hold lot");
  await user.click(within(form).getByRole("button", { name: "Raise NCR" }));
  await waitFor(() => expect(callsTo("POST", `${Q}/ncrs`)).toHaveLength(1));
  expect(callsTo("POST", `${Q}/ncrs`)[0].body).toEqual({
    title: "Crack in weld",
    description: "",
    quantity: 3,
    lots: ["L-1", "L-2"],
    serials: [],
    item_id: "item-1",
    supplier_id: "sup-1",
    containment: [{ action: "Hold lot", owner: "", done: false }],
  });
  await waitFor(() => expect(currentUrl()).toBe("/quality?ncr=n9"));
  expect(await screen.findByTestId("ncr-detail")).toHaveTextContent("Crack in weld");
});

test("a 422 from the API names the field; viewers get no write controls", async () => {
  serveQuality({ ncrs: [ncr("n1", { ncr_number: "NCR-000001" })] });
  route("POST", `${Q}/ncrs`, () =>
    Response.json({ title: "Validation failed", status: 422, code: "quality_unknown_reference", detail: "unknown supplier sup-x", field: "supplier_id" }, { status: 422, headers: { "content-type": "application/problem+json" } }),
  );
  signIn(ENGINEER);
  const user = userEvent.setup();
  const { unmount } = renderQuality("/quality?new=ncr");
  const form = await screen.findByRole("form", { name: "Raise an NCR" });
  await user.type(within(form).getByLabelText("Title"), "X");
  await user.type(within(form).getByLabelText("Quantity"), "1");
  await user.click(within(form).getByRole("button", { name: "Raise NCR" }));
  expect(await within(form).findByRole("alert")).toHaveTextContent("Could not raise the NCR: unknown supplier sup-x");
  unmount();

  signIn(USERS.viewer);
  renderQuality("/quality?ncr=n1&new=ncr");
  const detail = await screen.findByTestId("ncr-detail");
  expect(screen.queryByRole("button", { name: "Raise NCR" })).toBeNull();
  expect(screen.queryByRole("form", { name: "Raise an NCR" })).toBeNull();
  expect(within(detail).queryByRole("button", { name: "Mark contained" })).toBeNull();
  expect(within(detail).queryByRole("heading", { name: "Disposition" })).toBeNull();
  expect(detail).toHaveTextContent("You can read this NCR");
});

test("the board's load error offers a retry", async () => {
  serveQuality({ ncrs: [] });
  let fail = true;
  route("GET", `${Q}/ncrs`, () => (fail ? problem(500, "database unavailable", "internal_error") : { items: [ncr("n1", { title: "Back again" })] }));
  signIn(ENGINEER);
  const user = userEvent.setup();
  renderQuality();
  const alert = await screen.findByText(/Could not load the NCRs: database unavailable/);
  fail = false;
  await user.click(within(alert.closest("[role=alert]") as HTMLElement).getByRole("button", { name: "Retry" }));
  expect(await screen.findByText("Back again")).toBeInTheDocument();
});
