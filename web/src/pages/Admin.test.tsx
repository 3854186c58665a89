import { callsTo, problem, resetApi, route } from "./mockApi.testutil";
import { configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { setSession } from "../api/client";
import { Admin } from "./Admin";

configure({ asyncUtilTimeout: 3000 }); // fetches are debounced and the suite runs in parallel

const user = (id: string, email: string, role: string, active = true) => ({
  id, email, full_name: email.split("@")[0], role, active,
  itar_authorized: false, tenant_id: "t", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
});
const key = { id: "k1", name: "gateway-1", prefix: "mip_ab12", site_id: null, created_at: "2026-01-02T00:00:00Z", created_by: "u1", revoked_at: null, tenant_id: "t" };
const SECRET = "mip_cd34_THE-SECRET-VALUE-0123456789";

function login(role: string) {
  setSession({ accessToken: "tok", refreshToken: "r", expiresAt: Date.now() + 3_600_000, user: user("u1", "admin@acme.io", role) });
}

beforeEach(() => {
  resetApi();
  route("GET", "/api/v1/tenant", { id: "t", name: "Acme", slug: "acme", timezone: "UTC", isolated: false, created_at: "" });
  route("GET", "/api/v1/users", [user("u1", "admin@acme.io", "admin"), user("u2", "op@acme.io", "viewer")]);
  route("GET", "/api/v1/api-keys", [key]);
  route("GET", "/api/v1/assets", { items: [{ id: "p1", name: "plant-a", kind: "site" }], total: 1, limit: 1000, offset: 0 });
});

describe("Admin", () => {
  it("tells non-admins they cannot manage users and keys", () => {
    login("engineer");
    render(<Admin />);
    expect(screen.getByText(/Only tenant administrators can manage users and keys/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows a new API key's secret once, in a copyable box", async () => {
    login("admin");
    route("POST", "/api/v1/api-keys", { ...key, id: "k2", name: "line-2", prefix: "mip_cd34", site_id: "p1", key: SECRET });
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<Admin />);
    expect(await screen.findByText("gateway-1")).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "New API key" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "line-2" } });
    await screen.findByRole("option", { name: "plant-a" });
    fireEvent.change(within(form).getByLabelText("Scope"), { target: { value: "p1" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create key" }));

    const box = await screen.findByTestId("key-secret");
    expect(callsTo("POST", "/api/v1/api-keys")[0].body).toEqual({ name: "line-2", site_id: "p1" });
    expect(within(box).getByLabelText("API key secret")).toHaveValue(SECRET);
    expect(box).toHaveTextContent(/shown only once/);
    fireEvent.click(within(box).getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(await within(box).findByText("Copied to the clipboard.")).toBeInTheDocument();
    // The key list shows the new key by prefix only.
    const row = screen.getByRole("row", { name: /line-2/ });
    expect(row).toHaveTextContent("mip_cd34…");
    expect(row).not.toHaveTextContent(SECRET);

    fireEvent.click(within(box).getByRole("button", { name: "I have stored the key" }));
    expect(screen.queryByTestId("key-secret")).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("revokes a key only after confirmation", async () => {
    login("admin");
    route("DELETE", "/api/v1/api-keys/{id}", { ...key, revoked_at: "2026-01-03T10:00:00Z" });
    render(<Admin />);
    fireEvent.click(await screen.findByRole("button", { name: "Revoke gateway-1" }));
    expect(callsTo("DELETE", "/api/v1/api-keys/k1")).toHaveLength(0);
    fireEvent.click(screen.getByRole("button", { name: "Yes, revoke" }));
    expect(await screen.findByText("revoked 2026-01-03 10:00:00")).toBeInTheDocument();
    expect(callsTo("DELETE", "/api/v1/api-keys/k1")).toHaveLength(1);
  });

  it("creates users, changes roles and deactivates, but not for oneself", async () => {
    login("admin");
    route("POST", "/api/v1/users", user("u3", "qa@acme.io", "quality"));
    route("PATCH", "/api/v1/users/{id}", (c, { id }) => ({ ...user(id, "op@acme.io", "viewer"), ...(c.body as object) }));
    render(<Admin />);
    expect(await screen.findByLabelText("Role of admin@acme.io")).toBeDisabled();
    const opRole = screen.getByLabelText("Role of op@acme.io");
    fireEvent.change(opRole, { target: { value: "maintenance" } });
    await waitFor(() => expect(callsTo("PATCH", "/api/v1/users/u2")[0]?.body).toEqual({ role: "maintenance" }));
    await waitFor(() => expect(opRole).toHaveValue("maintenance"));
    const opRow = screen.getByRole("row", { name: /op@acme.io/ });
    fireEvent.click(within(opRow).getByRole("button", { name: "Deactivate" }));
    await waitFor(() => expect(callsTo("PATCH", "/api/v1/users/u2")[1]?.body).toEqual({ active: false }));
    expect(await within(opRow).findByRole("button", { name: "Reactivate" })).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText("ITAR-authorised: op@acme.io"));
    await waitFor(() => expect(callsTo("PATCH", "/api/v1/users/u2")[2]?.body).toEqual({ itar_authorized: true }));
    expect(await screen.findByLabelText("ITAR-authorised: op@acme.io")).toBeChecked();
    expect(within(screen.getByRole("row", { name: /admin@acme.io/ })).queryByRole("button")).not.toBeInTheDocument();

    const form = screen.getByRole("form", { name: "New user" });
    fireEvent.change(within(form).getByLabelText("Email"), { target: { value: "qa@acme.io" } });
    fireEvent.change(within(form).getByLabelText("Full name"), { target: { value: "Q A" } });
    fireEvent.change(within(form).getByLabelText("Role"), { target: { value: "quality" } });
    fireEvent.change(within(form).getByLabelText(/Initial password/), { target: { value: "correct-horse-1" } });
    fireEvent.click(within(form).getByLabelText(/ITAR-authorised/));
    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    await waitFor(() => expect(callsTo("POST", "/api/v1/users")).toHaveLength(1));
    expect(callsTo("POST", "/api/v1/users")[0].body).toEqual({
      email: "qa@acme.io",
      full_name: "Q A",
      role: "quality",
      password: "correct-horse-1",
      itar_authorized: true,
    });
    expect(await screen.findByText("qa@acme.io")).toBeInTheDocument();
  });

  it("shows API errors inline", async () => {
    login("admin");
    route("POST", "/api/v1/users", problem(409, "email_taken", "a user with this email already exists"));
    render(<Admin />);
    const form = await screen.findByRole("form", { name: "New user" });
    fireEvent.change(within(form).getByLabelText("Email"), { target: { value: "op@acme.io" } });
    fireEvent.change(within(form).getByLabelText(/Initial password/), { target: { value: "0123456789" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("a user with this email already exists");
  });
});
