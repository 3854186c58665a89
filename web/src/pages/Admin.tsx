// Administration ("/admin"): users and API keys of the tenant, for tenant administrators only.
import { useEffect } from "react";
import { getSession } from "../api/client";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { ApiKeysSection } from "./admin/ApiKeysSection";
import { UsersSection } from "./admin/UsersSection";
import "../styles-pages.css";

export function Admin() {
  const isAdmin = getSession()?.user.role === "admin";
  const tz = validTimeZone(useTenant()?.timezone);
  useEffect(() => {
    document.title = "Administration · MIP";
  }, []);
  return (
    <section className="pg-page" aria-labelledby="admin-title">
      <header className="page-head">
        <h1 id="admin-title">Administration</h1>
      </header>
      {isAdmin ? (
        <>
          <UsersSection timeZone={tz} />
          <ApiKeysSection timeZone={tz} />
        </>
      ) : (
        <p className="notice notice-warn" role="note">
          Only tenant administrators can manage users and keys. Ask an administrator of your organisation if you need
          access.
        </p>
      )}
    </section>
  );
}
