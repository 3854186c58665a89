import { callsTo, deferred, jsonResponse, problem, resetFetch, route, USERS } from "./shared/testing";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import { getSession, setSession } from "../api/client";
import { AuthProvider } from "../auth";
import { Login } from "./Login";

function Where() {
  const loc = useLocation();
  return <p data-testid="where">{loc.pathname + loc.search}</p>;
}

function renderLogin(from?: string) {
  const entry = from ? { pathname: "/login", state: { from: { pathname: from.split("?")[0], search: from.includes("?") ? `?${from.split("?")[1]}` : "" } } } : "/login";
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/login" element={<Login />} />
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

const tokens = { access_token: "acc", refresh_token: "ref", token_type: "bearer", expires_in: 900, user: USERS.operator };

beforeEach(() => {
  resetFetch();
  setSession(null);
});

test("fields are labelled and carry autocomplete hints", () => {
  renderLogin();
  expect(screen.getByLabelText("Email")).toHaveAttribute("autocomplete", "username");
  expect(screen.getByLabelText("Email")).toHaveAttribute("type", "email");
  expect(screen.getByLabelText("Password")).toHaveAttribute("autocomplete", "current-password");
  expect(screen.getByRole("heading", { name: "Sign in" })).toBeInTheDocument();
});

test("shows the API's error message in an alert and lets the user try again", async () => {
  route("POST", "/api/v1/auth/login", () => problem(401, "Invalid email or password", "invalid_credentials"));
  const user = userEvent.setup();
  renderLogin();
  await user.type(screen.getByLabelText("Email"), "otto@plant.example");
  await user.type(screen.getByLabelText("Password"), "wrong");
  await user.click(screen.getByRole("button", { name: "Sign in" }));

  await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Invalid email or password"));
  expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
  expect(getSession()).toBeNull();
});

test("disables the button while signing in, then returns to the page the user came from", async () => {
  const pending = deferred<Response>();
  route("POST", "/api/v1/auth/login", () => pending.promise);
  const user = userEvent.setup();
  renderLogin("/alarms?state=open");
  await user.type(screen.getByLabelText("Email"), " otto@plant.example ");
  await user.type(screen.getByLabelText("Password"), "s3cret");
  await user.click(screen.getByRole("button", { name: "Sign in" }));

  const busy = await screen.findByRole("button", { name: "Signing in…" });
  expect(busy).toBeDisabled();
  expect(callsTo("POST", "/api/v1/auth/login")[0].body).toEqual({ email: "otto@plant.example", password: "s3cret" });

  pending.resolve(jsonResponse(200, tokens));
  expect(await screen.findByTestId("where")).toHaveTextContent("/alarms?state=open");
  expect(getSession()?.user.email).toBe("otto@plant.example");
});

test("Enter in the password field submits, and without a 'from' it goes to /", async () => {
  route("POST", "/api/v1/auth/login", tokens);
  const user = userEvent.setup();
  renderLogin();
  await user.type(screen.getByLabelText("Email"), "otto@plant.example");
  await user.type(screen.getByLabelText("Password"), "s3cret{Enter}");
  await waitFor(() => expect(screen.getByTestId("where")).toHaveTextContent(/^\/$/));
  expect(callsTo("POST", "/api/v1/auth/login")).toHaveLength(1);
});
