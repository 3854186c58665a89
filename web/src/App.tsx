import { Suspense, lazy } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useAuth } from "./auth";
import { Layout } from "./components/Layout";
import { Alarms } from "./pages/Alarms";
import { Login } from "./pages/Login";
import { Overview } from "./pages/Overview";

// The first screens (login, overview, alarms) are in the main bundle; pages with the chart library or
// admin forms load on first visit, so the plant overview's first load stays small.
const MachineDetail = lazy(() => import("./pages/MachineDetail").then((m) => ({ default: m.MachineDetail })));
const Assets = lazy(() => import("./pages/Assets").then((m) => ({ default: m.Assets })));
const Admin = lazy(() => import("./pages/Admin").then((m) => ({ default: m.Admin })));
const Rules = lazy(() => import("./pages/Rules").then((m) => ({ default: m.Rules })));
const Maintenance = lazy(() => import("./pages/Maintenance").then((m) => ({ default: m.Maintenance })));
const Oee = lazy(() => import("./pages/Oee").then((m) => ({ default: m.Oee })));
const NotificationSettings = lazy(() =>
  import("./pages/NotificationSettings").then((m) => ({ default: m.NotificationSettings })),
);
const Planning = lazy(() => import("./pages/Planning").then((m) => ({ default: m.Planning })));
const Schedules = lazy(() => import("./pages/Schedules").then((m) => ({ default: m.Schedules })));
const Spc = lazy(() => import("./pages/Spc").then((m) => ({ default: m.Spc })));
const Quality = lazy(() => import("./pages/Quality").then((m) => ({ default: m.Quality })));
const Trace = lazy(() => import("./pages/Trace").then((m) => ({ default: m.Trace })));
const Analytics = lazy(() => import("./pages/Analytics").then((m) => ({ default: m.Analytics })));
const ChartBench = lazy(() => import("./pages/ChartBench").then((m) => ({ default: m.ChartBench })));

const loading = (
  <p className="muted" role="status">
    Loading…
  </p>
);

export function App() {
  const { session } = useAuth();
  const location = useLocation();
  if (location.pathname === "/bench/chart") {
    return (
      <Suspense fallback={loading}>
        <ChartBench />
      </Suspense>
    );
  }
  if (!session) {
    return location.pathname === "/login" ? <Login /> : <Navigate to="/login" replace state={{ from: location }} />;
  }
  return (
    <Layout>
      <Suspense fallback={loading}>
        <Routes>
          <Route path="/" element={<Overview />} />
          <Route path="/machines/:machineId" element={<MachineDetail />} />
          <Route path="/alarms" element={<Alarms />} />
          <Route path="/assets" element={<Assets />} />
          <Route path="/rules" element={<Rules />} />
          <Route path="/oee" element={<Oee />} />
          <Route path="/maintenance" element={<Maintenance />} />
          <Route path="/planning" element={<Planning />} />
          <Route path="/schedules" element={<Schedules />} />
          <Route path="/quality/spc" element={<Spc />} />
          <Route path="/quality" element={<Quality />} />
          <Route path="/trace" element={<Trace />} />
          <Route path="/analytics" element={<Analytics />} />
          <Route path="/settings/notifications" element={<NotificationSettings />} />
          <Route path="/admin" element={<Admin />} />
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<p role="alert">Page not found.</p>} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
