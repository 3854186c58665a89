import { callsTo, jsonResponse, problem, resetFetch, route, TENANT, USERS } from "./shared/testing";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import { setSession } from "../api/client";
import { AuthProvider } from "../auth";
import { Trace } from "./Trace";
import type { RecallOut, TraceEdge, TraceNode, TraceOut } from "./trace/api";
import { traceRows, visibleRows } from "./trace/tree";

const T = "/api/v1/quality/trace";
const MARKING = "ITAR-CONTROLLED: export restricted under 22 CFR 120-130";

beforeEach(() => {
  resetFetch();
  setSession({ accessToken: "acc", refreshToken: "ref", expiresAt: Date.now() + 3_600_000, user: USERS.admin });
  route("GET", "/api/v1/tenant", TENANT);
  route("GET", "/api/v1/planning/supply-orders", { items: [{ id: "wo-1", number: "WO-0042", part_number: "BRK-ASSY", kind: "make" }] });
});

function node(id: string, kind: "lot" | "serial", number: string, part: string, depth: number, over: Partial<TraceNode> = {}): TraceNode {
  return { id, kind, number, part_number: part, revision: "B", status: "consumed", itar: false, quantity: kind === "lot" ? 100 : 1, depth, supplier: null, supplier_lot: null, cert_ref: null, ...over };
}
function edge(id: string, parent: TraceNode, child: TraceNode, quantity: number, wo: string | null = null): TraceEdge {
  return { id, parent_id: parent.id, parent_kind: parent.kind, child_id: child.id, child_kind: child.kind, quantity, work_order_id: wo, at: "2026-03-01T09:00:00Z" };
}

const SN1 = node("sn1", "serial", "SN-0001", "BRK-ASSY", 0, { status: "shipped" });
const LA = node("la", "lot", "L-A", "BRK-100", 1);
const LRAW = node("lraw", "lot", "L-RAW", "STEEL-4140", 2, { supplier: "Acme Steel", supplier_lot: "AS-778", cert_ref: "MTR-9" });
const SUB = node("sub", "serial", "GYRO-7", "GYRO", 1, { itar: true });

const BACKWARD: TraceOut = {
  root: SN1,
  direction: "backward",
  nodes: [LA, SUB, LRAW],
  edges: [edge("e1", SN1, LA, 2, "wo-1"), edge("e2", LA, LRAW, 5), edge("e3", SN1, SUB, 1, "wo-1")],
  node_count: 3,
  edge_count: 3,
  restricted_nodes: 1,
  max_depth: 2,
  truncated: false,
  itar: true,
  marking: MARKING,
  elapsed_ms: 3.2,
};
const FORWARD: TraceOut = { ...BACKWARD, direction: "forward", nodes: [], edges: [], node_count: 0, edge_count: 0, restricted_nodes: 0, max_depth: 0, itar: false, marking: null };
const RECALL: RecallOut = {
  suspect: SN1,
  shipments: [
    { shipment_id: "sh-1", shipment_number: "SHP-100", customer: "Orbital Inc", customer_po: "PO-77", ship_date: "2026-03-05", node_kind: "serial", node_id: "sn1", number: "SN-0001", part_number: "BRK-ASSY", quantity: 1, depth: 0, itar: false },
  ],
  customers: ["Orbital Inc"],
  shipment_count: 1,
  affected_nodes: 0,
  restricted_nodes: 0,
  in_house_count: 1,
  in_house: [node("ln", "lot", "L-NEXT", "BRK-ASSY", 1, { status: "released" })],
  itar: false,
  marking: null,
};

let url = "";
function Where() {
  const l = useLocation();
  url = l.pathname + l.search;
  return null;
}
function renderTrace(path = "/trace") {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route
            path="/trace"
            element={
              <>
                <Trace />
                <Where />
              </>
            }
          />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

function serveTrace() {
  route("GET", `${T}/backward/SN-0001`, BACKWARD);
  route("GET", `${T}/forward/SN-0001`, FORWARD);
  route("GET", `${T}/recall/SN-0001`, RECALL);
}

test("searching a serial shows its backward tree with quantities, work orders, ITAR marking and hidden items; collapse/expand", { timeout: 20_000 }, async () => {
  serveTrace();
  const user = userEvent.setup();
  renderTrace();
  expect(screen.getByText(/Enter a serial number/)).toBeInTheDocument();
  await user.type(screen.getByLabelText("Serial or lot number"), "SN-0001");
  await user.selectOptions(screen.getByLabelText("Depth"), "All levels");
  await user.click(screen.getByRole("button", { name: "Trace" }));
  expect(url).toBe("/trace?q=SN-0001&depth=1000");

  const table = await screen.findByRole("table", { name: "Components of SN-0001" });
  expect(callsTo("GET", `${T}/backward/SN-0001`)[0].url.searchParams.get("max_depth")).toBe("1000");
  expect(screen.getByTestId("itar-banner")).toHaveTextContent(MARKING);
  expect(screen.getByText(/1 linked item is ITAR-controlled and hidden from you/)).toBeInTheDocument();
  expect(screen.getByTestId("trace-root")).toHaveTextContent("serial SN-0001 · part BRK-ASSY rev. B · shipped");

  const rows = () => within(table).getAllByTestId("trace-row");
  expect(rows().map((r) => within(r).getByRole("rowheader").textContent?.replace(/^[▾▸]/, ""))).toEqual(["Level 0: serialSN-0001", "Level 1: lotL-A", "Level 2: lotL-RAW", "Level 1: serialGYRO-7ITAR"]);
  await waitFor(() => expect(rows()[1]).toHaveTextContent("WO-0042"));
  expect(rows()[1]).toHaveTextContent("BRK-100 rev. B");
  expect(within(rows()[1]).getAllByRole("cell")[2]).toHaveTextContent(/^2$/);
  expect(rows()[2]).toHaveTextContent("Acme Steel AS-778 · cert MTR-9");
  expect(rows()[3]).toHaveClass("tr-itar-row");

  await user.click(within(table).getByRole("button", { name: "Collapse lot L-A" }));
  expect(rows()).toHaveLength(3);
  expect(within(table).getByRole("button", { name: "Expand lot L-A" })).toHaveAttribute("aria-expanded", "false");
  await user.click(screen.getByRole("button", { name: "Collapse all" }));
  expect(rows()).toHaveLength(1);
  await user.click(screen.getByRole("button", { name: "Expand all" }));
  expect(rows()).toHaveLength(4);

  // forward: nothing yet
  await user.click(screen.getByRole("tab", { name: "Forward: where it went" }));
  expect(url).toBe("/trace?q=SN-0001&depth=1000&view=forward");
  expect(await screen.findByText("SN-0001 has not been consumed into anything.")).toBeInTheDocument();
});

test("recall impact lists shipments, customers and stock in house; the CoC downloads as a PDF", { timeout: 20_000 }, async () => {
  serveTrace();
  route("GET", "/api/v1/quality/shipments/sh-1/coc.pdf", () => new Response("%PDF-1.4", { status: 200, headers: { "content-type": "application/pdf", "content-disposition": 'inline; filename="coc-SHP-100-SN-0001.pdf"' } }));
  const created: Blob[] = [];
  const clicked: string[] = [];
  URL.createObjectURL = (b: Blob) => (created.push(b), "blob:coc");
  URL.revokeObjectURL = () => {};
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    clicked.push(this.download);
  };
  const user = userEvent.setup();
  renderTrace("/trace?q=SN-0001&view=recall");
  try {
    const row = await screen.findByTestId("recall-row");
    expect(row).toHaveTextContent("SHP-100");
    expect(row).toHaveTextContent("Orbital Inc");
    expect(row).toHaveTextContent("PO-77");
    expect(row).toHaveTextContent("2026-03-05");
    expect(row).toHaveTextContent("the suspect itself");
    expect(screen.getByText("Customers:").parentElement).toHaveTextContent("Customers: Orbital Inc");
    expect(screen.getByRole("list", { name: "Recall impact summary" })).toHaveTextContent("Shipments affected1Customers1");
    expect(screen.getByRole("table", { name: "In house (1)" })).toHaveTextContent("released — quarantine it");
    expect(callsTo("GET", `${T}/backward/SN-0001`)[0].url.searchParams.get("max_depth")).toBe("10");

    await user.click(within(row).getByRole("button", { name: "Certificate of conformance (PDF) for SN-0001 in shipment SHP-100" }));
    await waitFor(() => expect(clicked).toEqual(["coc-SHP-100-SN-0001.pdf"]));
    const call = callsTo("GET", "/api/v1/quality/shipments/sh-1/coc.pdf")[0];
    expect(call.url.searchParams.get("serial")).toBe("SN-0001");
    expect(created).toHaveLength(1);
    expect(await screen.findByText("Downloaded coc-SHP-100-SN-0001.pdf")).toBeInTheDocument();

    route("GET", "/api/v1/quality/shipments/sh-1/coc.pdf", () => problem(404, "SN-0001 is not in shipment SHP-100", "trace_not_found"));
    await user.click(within(row).getByRole("button", { name: /Certificate of conformance/ }));
    expect(await within(row).findByRole("alert")).toHaveTextContent("Could not get the certificate: SN-0001 is not in shipment SHP-100");
  } finally {
    HTMLAnchorElement.prototype.click = click;
  }
});

test("an unknown number says so; an ambiguous one offers its parts and retraces with the part number", async () => {
  route("GET", /^\/api\/v1\/quality\/trace\/(backward|forward|recall)\/NOPE$/, () => problem(404, "no lot or serial 'NOPE'", "trace_not_found"));
  route("GET", /^\/api\/v1\/quality\/trace\/(backward|forward|recall)\/L-1$/, (c) =>
    c.url.searchParams.get("part_number") === "BRK-100"
      ? { ...FORWARD, root: node("l1", "lot", "L-1", "BRK-100", 0, { status: "released" }), direction: "backward" }
      : jsonResponse(409, { title: "Conflict", status: 409, code: "trace_conflict", detail: "'L-1' is ambiguous: give the part number", matches: ["lot of BRK-100", "serial of GYRO"] }),
  );
  const user = userEvent.setup();
  renderTrace("/trace?q=NOPE");
  expect(await screen.findByRole("alert")).toHaveTextContent("No lot or serial “NOPE”. no lot or serial 'NOPE'.");

  await user.clear(screen.getByLabelText("Serial or lot number"));
  await user.type(screen.getByLabelText("Serial or lot number"), "L-1{Enter}");
  const alert = await screen.findByText(/is used by more than one part/);
  await user.click(within(alert.closest("[role=alert]") as HTMLElement).getByRole("button", { name: "lot of BRK-100" }));
  expect(url).toBe("/trace?q=L-1&part=BRK-100");
  expect(await screen.findByText("Nothing is recorded as consumed into L-1.")).toBeInTheDocument();
  expect(screen.getByLabelText(/^Part number/)).toHaveValue("BRK-100");
});

test("tree rows: a node reached twice is listed again without repeating its branch", () => {
  const A = node("a", "serial", "A", "P", 0);
  const B = node("b", "lot", "B", "P", 1);
  const C = node("c", "lot", "C", "P", 1);
  const D = node("d", "lot", "D", "P", 2);
  const E = node("e", "lot", "E", "P", 3);
  const t: TraceOut = { ...BACKWARD, root: A, nodes: [B, C, D, E], edges: [edge("1", A, B, 1), edge("2", A, C, 1), edge("3", B, D, 1), edge("4", C, D, 1), edge("5", D, E, 1)] };
  const rows = traceRows(t);
  expect(rows.map((r) => `${r.level}${r.node.number}${r.repeat ? "*" : ""}`)).toEqual(["0A", "1B", "2D", "3E", "1C", "2D*"]);
  expect(visibleRows(rows, new Set([rows[1].key])).map((r) => r.node.number)).toEqual(["A", "B", "C", "D"]);
});

test("axe finds no accessibility violations on the trace tree or the recall impact", { timeout: 30_000 }, async () => {
  const { default: axe } = await import("axe-core");
  const check = async (el: Element) => {
    const r = await axe.run(el, { rules: { "color-contrast": { enabled: false } } }); // jsdom cannot compute colours
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };
  serveTrace();
  const user = userEvent.setup();
  const { container } = renderTrace("/trace?q=SN-0001");
  await screen.findByRole("table", { name: "Components of SN-0001" });
  expect(await check(container)).toEqual([]);
  await user.click(screen.getByRole("tab", { name: "Recall impact" }));
  await screen.findByTestId("recall-row");
  expect(await check(container)).toEqual([]);
});
