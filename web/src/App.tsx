import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useAuth } from "./auth";
import { Layout } from "./components/Layout";
import { Admin } from "./pages/Admin";
import { Alarms } from "./pages/Alarms";
import { Assets } from "./pages/Assets";
import { ChartBench } from "./pages/ChartBench";
import { Login } from "./pages/Login";
import { MachineDetail } from "./pages/MachineDetail";
import { Overview } from "./pages/Overview";

export function App() {
  const { session } = useAuth();
  const location = useLocation();
  if (location.pathname === "/bench/chart") return <ChartBench />;
  if (!session) {
    return location.pathname === "/login" ? <Login /> : <Navigate to="/login" replace state={{ from: location }} />;
  }
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Overview />} />
        <Route path="/machines/:machineId" element={<MachineDetail />} />
        <Route path="/alarms" element={<Alarms />} />
        <Route path="/assets" element={<Assets />} />
        <Route path="/admin" element={<Admin />} />
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<p role="alert">Page not found.</p>} />
      </Routes>
    </Layout>
  );
}
