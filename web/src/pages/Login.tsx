// Sign-in form. On success, go back to the page that sent us here (location.state.from) or "/".
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useLocation, useNavigate, type Location } from "react-router-dom";
import { useAuth } from "../auth";
import { alarmTone } from "../components/alarmTone";
import { errorMessage } from "./shared/errors";

function returnPath(state: unknown): string {
  const from = (state as { from?: Partial<Location> } | null)?.from;
  if (!from?.pathname || from.pathname === "/login") return "/";
  return `${from.pathname}${from.search ?? ""}${from.hash ?? ""}`;
}

export function Login() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = "Sign in · MIP";
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    // Submitting is a user gesture: let the alarm tone play later without a further click.
    void alarmTone.unlock();
    try {
      await login(email.trim(), password);
      navigate(returnPath(location.state), { replace: true });
    } catch (err) {
      const msg = errorMessage(err);
      setError(msg.charAt(0).toUpperCase() + msg.slice(1));
      setBusy(false);
      passwordRef.current?.select();
      passwordRef.current?.focus();
    }
  }

  return (
    <main id="main" className="login-page">
      <form className="login-card panel" onSubmit={(e) => void onSubmit(e)} aria-labelledby="login-title">
        <p className="brand-name login-brand">MIP</p>
        <h1 id="login-title">Sign in</h1>
        <p className="muted">Manufacturing Intelligence Platform</p>
        <div className="field">
          <label htmlFor="login-email">Email</label>
          <input
            id="login-email"
            name="email"
            type="email"
            autoComplete="username"
            inputMode="email"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "login-error" : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            ref={passwordRef}
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "login-error" : undefined}
          />
        </div>
        <div role="alert" id="login-error" className={error ? "form-error" : undefined}>
          {error}
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
