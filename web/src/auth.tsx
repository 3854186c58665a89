import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { api, getSession, onSession, sessionFromTokens, setSession, unwrap, type Session } from "./api/client";

interface AuthValue {
  session: Session | null;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, set] = useState<Session | null>(getSession());
  useEffect(() => onSession(set), []);
  const value: AuthValue = {
    session,
    async login(email, password) {
      const tokens = await unwrap(api.POST("/api/v1/auth/login", { body: { email, password } }));
      setSession(sessionFromTokens(tokens));
    },
    async logout() {
      const s = getSession();
      setSession(null);
      if (s) await api.POST("/api/v1/auth/logout", { body: { refresh_token: s.refreshToken } }).catch(() => {});
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error("useAuth outside AuthProvider");
  return v;
}
