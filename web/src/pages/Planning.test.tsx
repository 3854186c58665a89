import { callsTo, deferred, jsonResponse, problem, resetFetch, route, USERS } from "./shared/testing";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { P, renderPlanning, run, servePlanning, signIn } from "./planning/planningPage.testutil";

beforeEach(resetFetch);

const bomRows = () => screen.getAllByTestId("bom-row").map((r) => within(r).getByRole("rowheader").textContent?.replace(/[▾▸]/g, ""));

test("picking an item shows its indented BOM with scrap, phantom and substitute markers, requirements and cost", async () => {
  servePlanning();
  const user = userEvent.setup();
  renderPlanning("/planning?as_of=2026-03-02");
  expect(await screen.findByRole("heading", { name: "Pick an item" })).toBeInTheDocument();
  await user.click(await screen.findByRole("button", { name: /PUMP-100/ }));

  const bom = await screen.findByRole("table", { name: "Indented BOM of PUMP-100" });
  await waitFor(() => expect(bomRows()).toEqual(["HOUSING", "CASTING", "SEAL-KIT", "O-RING"]));
  const rows = within(bom).getAllByTestId("bom-row");
  expect(rows[1]).toHaveTextContent("..2");
  expect(rows[1]).toHaveTextContent("5 %");
  expect(rows[1]).toHaveTextContent("1.0526 ea");
  expect(within(rows[2]).getByText("Phantom")).toBeInTheDocument();
  expect(rows[3]).toHaveTextContent("Substitutes: O-RING-V (#1)");
  expect(rows[3]).toHaveTextContent("S1-S4");
  expect(rows[3]).toHaveTextContent("4.4444 ea");
  expect(callsTo("GET", /\/explode$/)[0].url.searchParams.get("as_of")).toBe("2026-03-02");

  expect(within(screen.getByRole("table", { name: "Summarised requirements" })).getAllByRole("row")).toHaveLength(4);
  const facts = await screen.findByTestId("cost-facts");
  expect(facts).toHaveTextContent("Unit cost125.75");
  expect(facts).toHaveTextContent("Cumulative lead time15 days");
  expect(screen.getByText("PUMP-100 → HOUSING → CASTING")).toBeInTheDocument();
  expect(await screen.findByText(/PUMP-100 is not used in any BOM effective on 2026-03-02/)).toBeInTheDocument();
  expect(screen.getByRole("button", { name: /PUMP-100/ })).toHaveAttribute("aria-current", "true");
});

test("assemblies collapse and expand, one at a time or all at once", async () => {
  servePlanning();
  const user = userEvent.setup();
  renderPlanning("/planning?item=i-pump");
  const toggle = await screen.findByRole("button", { name: "Collapse HOUSING" });
  expect(toggle).toHaveAttribute("aria-expanded", "true");
  await user.click(toggle);
  expect(bomRows()).toEqual(["HOUSING", "SEAL-KIT", "O-RING"]);
  expect(screen.getByRole("button", { name: "Expand HOUSING" })).toHaveAttribute("aria-expanded", "false");
  await user.click(screen.getByRole("button", { name: "Expand all" }));
  expect(bomRows()).toHaveLength(4);
  await user.click(screen.getByRole("button", { name: "Collapse all" }));
  expect(bomRows()).toEqual(["HOUSING", "SEAL-KIT", "O-RING"]);
});

test("the effectivity date and quantity drive the explosion; search filters the items", async () => {
  servePlanning();
  const user = userEvent.setup();
  renderPlanning("/planning?item=i-pump&as_of=2026-03-02");
  await screen.findByRole("table", { name: "Indented BOM of PUMP-100" });
  fireEvent.change(screen.getByLabelText("Effective on"), { target: { value: "2026-06-30" } });
  await waitFor(() => expect(callsTo("GET", /\/explode$/).at(-1)?.url.searchParams.get("as_of")).toBe("2026-06-30"));
  expect(callsTo("GET", /\/cost$/).at(-1)?.url.searchParams.get("as_of")).toBe("2026-06-30");

  const qty = screen.getByLabelText("Quantity");
  await user.clear(qty);
  expect(screen.getByText("Enter a quantity above 0.")).toBeInTheDocument();
  await user.type(qty, "5");
  await waitFor(() => expect(callsTo("GET", /\/explode$/).at(-1)?.url.searchParams.get("quantity")).toBe("5"));

  await user.type(screen.getByLabelText("Search part number or description"), "ring");
  await waitFor(() => expect(within(screen.getByRole("list", { name: "Items" })).getAllByRole("button")).toHaveLength(1));
  expect(callsTo("GET", `${P}/items`).at(-1)?.url.searchParams.get("q")).toBe("ring");
});

test("a failing explosion shows an error with retry", async () => {
  servePlanning();
  route("GET", /\/explode$/, () => problem(503, "database is down"));
  const user = userEvent.setup();
  renderPlanning("/planning?item=i-pump");
  expect(await screen.findByText("Could not load the BOM: database is down")).toBeInTheDocument();
  route("GET", /\/explode$/, ({ url }) => jsonResponse(200, { part_number: "PUMP-100", revision: null, as_of: url.searchParams.get("as_of"), quantity: 1, rows: [], summary: [] }));
  await user.click(screen.getAllByRole("button", { name: "Retry" })[0]);
  expect(await screen.findByText(/No BOM is effective for PUMP-100/)).toBeInTheDocument();
});

test("MRP: runs, exceptions and supply orders pegged to the demand that caused them; running MRP", async () => {
  servePlanning();
  const pending = deferred<Response>();
  route("POST", `${P}/mrp/runs`, () => pending.promise);
  const user = userEvent.setup();
  renderPlanning("/planning?tab=mrp");
  const runs = await screen.findByRole("table", { name: "MRP runs" });
  expect(within(runs).getByRole("button", { name: "#1" })).toHaveAttribute("aria-pressed", "true");
  expect(runs).toHaveTextContent("planned work orders: 4");
  const exc = screen.getByRole("list", { name: "Exceptions of run #1" });
  expect(exc).toHaveTextContent("past due CASTING: CASTING: needed 2026-03-05");

  const supply = await screen.findByRole("table", { name: "Supply orders" });
  const rows = within(supply).getAllByTestId("supply-row");
  expect(rows[0]).toHaveTextContent("5 for demand SO-1001 by 2026-03-16");
  expect(rows[1]).toHaveTextContent("12 for WO-00001 (→ SO-1001, SO-1002) by 2026-03-05");
  expect(rows[1]).toHaveTextContent("5 for safety stock by 2026-03-02");

  await user.selectOptions(screen.getByLabelText("Status"), "released");
  await waitFor(() => expect(callsTo("GET", `${P}/supply-orders`).at(-1)?.url.searchParams.get("status")).toBe("released"));

  await user.click(screen.getByRole("button", { name: "Run MRP" }));
  expect(screen.getByRole("button", { name: "Running MRP…" })).toBeDisabled();
  const date = callsTo("POST", `${P}/mrp/runs`)[0].body as { as_of: string };
  expect(date.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  route("GET", `${P}/mrp/runs`, { items: [run("run-2", 2, { exceptions: [] }), run("run-1", 1)] });
  pending.resolve(jsonResponse(201, run("run-2", 2, { exceptions: [] })));
  expect(await screen.findByText("MRP run #2 planned 4 work orders and 6 purchase requisitions with 0 exceptions.")).toBeInTheDocument();
  expect(await screen.findByText("No exceptions: every requirement is covered in time.")).toBeInTheDocument();
});

test("running MRP is refused visibly; viewers get no Run MRP button", async () => {
  servePlanning();
  route("POST", `${P}/mrp/runs`, () => problem(409, "another MRP run is in progress", "mrp_busy"));
  const user = userEvent.setup();
  const { unmount } = renderPlanning("/planning?tab=mrp");
  await user.click(await screen.findByRole("button", { name: "Run MRP" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not run MRP: another MRP run is in progress");
  unmount();

  signIn(USERS.viewer);
  renderPlanning("/planning?tab=mrp");
  await screen.findByRole("table", { name: "MRP runs" });
  expect(screen.queryByRole("button", { name: "Run MRP" })).toBeNull();
  expect(screen.getByText(/Running MRP needs an administrator/)).toBeInTheDocument();
});
