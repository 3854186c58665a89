// The app shell: skip link, header with navigation and live status, the urgent-alarm banner, and <main>.
import { useEffect, useState, type ReactNode } from "react";
import { NavLink, useLocation } from "react-router-dom";
import { getSession } from "../api/client";
import { canQuery } from "../pages/analytics/api";
import { useAuth } from "../auth";
import { live } from "../live";
import { alarmTone } from "./alarmTone";
import { BellIcon } from "./BellIcon";
import { LiveIndicator } from "./LiveIndicator";
import { SafetyBanner } from "./SafetyBanner";
import { SoundToggle } from "./SoundToggle";
import { useAlarmFeed } from "./useAlarmFeed";
// The theme first, so component styles (same specificity) win over it whatever the entry imports.
import "../styles.css";
import "./layout.css";

function navClass({ isActive }: { isActive: boolean }): string {
  return isActive ? "nav-link active" : "nav-link";
}

export function Layout({ children }: { children: ReactNode }) {
  const { session, logout } = useAuth();
  const user = (session ?? getSession())?.user;
  const feed = useAlarmFeed();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => setMenuOpen(false), [location.pathname]);
  // The shell unmounts when the session ends: drop the socket, so the next user (maybe of another
  // tenant) gets a connection authenticated as themselves rather than this one.
  useEffect(() => () => live.close(), []);
  useEffect(() => {
    // If the user already interacted with this page (e.g. signed in), audio can start now; else on the next gesture.
    const ua = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
    if (ua?.hasBeenActive) void alarmTone.unlock();
    else alarmTone.unlockOnNextGesture();
  }, []);

  const count = feed.openCount;
  const countText = `${count}${feed.openCountCapped ? "+" : ""}`;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {/* Header and urgent-alarm banner stick together, so the banner never hides the navigation or focus. */}
      <div className="app-top">
        <header className="app-header">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◧
            </span>
            <span className="brand-name">MIP</span>
          </div>
          <button
            type="button"
            className="btn nav-toggle"
            aria-expanded={menuOpen}
            aria-controls="primary-nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span aria-hidden="true">☰</span> Menu
          </button>
          <nav id="primary-nav" aria-label="Main" className={menuOpen ? "primary-nav open" : "primary-nav"}>
            <NavLink to="/" end className={navClass}>
              Overview
            </NavLink>
            <NavLink to="/alarms" className={navClass} data-testid="nav-alarms">
              Alarms
              {count > 0 && (
                <span className="count-badge" data-testid="alarm-count">
                  <span aria-hidden="true">{countText}</span>
                  <span className="sr-only">
                    {" "}
                    ({countText} unacknowledged)
                  </span>
                </span>
              )}
            </NavLink>
            <NavLink to="/assets" className={navClass}>
              Assets
            </NavLink>
            <NavLink to="/rules" className={navClass}>
              Rules
            </NavLink>
            <NavLink to="/oee" className={navClass}>
              OEE
            </NavLink>
            <NavLink to="/maintenance" className={navClass}>
              Maintenance
            </NavLink>
            <NavLink to="/planning" className={navClass}>
              Planning
            </NavLink>
            <NavLink to="/schedules" className={navClass}>
              Schedules
            </NavLink>
            <NavLink to="/quality" end className={navClass}>
              Quality
            </NavLink>
            <NavLink to="/trace" className={navClass}>
              Trace
            </NavLink>
            <NavLink to="/quality/spc" className={navClass}>
              SPC
            </NavLink>
            {canQuery(user?.role) && (
              <NavLink to="/analytics" className={navClass}>
                Analytics
              </NavLink>
            )}
            {user?.role === "admin" && (
              <NavLink to="/admin" className={navClass}>
                Admin
              </NavLink>
            )}
          </nav>
          <div className="header-tools">
            <LiveIndicator />
            <SoundToggle compact />
            {user && (
              <span className="user-name" title={user.email}>
                {user.full_name || user.email}
                <span className="user-role"> · {user.role}</span>
              </span>
            )}
            <NavLink to="/settings/notifications" className="btn header-link" title="My notifications">
              <BellIcon />
              <span className="header-link-text">My notifications</span>
            </NavLink>
            <button type="button" className="btn" onClick={() => void logout()}>
              Log out
            </button>
          </div>
        </header>
        <SafetyBanner alarms={feed.urgent} onAcknowledge={feed.acknowledge} onDismiss={feed.dismiss} />
      </div>
      <main id="main" tabIndex={-1} className="app-main">
        {children}
      </main>
    </div>
  );
}
