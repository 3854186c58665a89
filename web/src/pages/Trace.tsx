// Trace explorer ("/trace"): search a serial or lot; its backward trace (what went into it, all levels) and
// forward trace (where it went) as collapsible trees with quantities and work orders; the recall impact of a
// suspect lot (shipped serials, customers, dates, certificates of conformance) and stock still in house.
// ITAR-controlled results carry the export-control marking banner; hidden ITAR items are counted.
// URL: ?q=<serial or lot>&part=<part number when ambiguous>&depth=<levels>&view=backward|forward|recall.
import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { ApiError } from "../api/client";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { listWorkOrders, type SupplyOrder } from "./quality/api";
import { LoadError, Loading } from "./quality/States";
import { TabList, TabPanel, type TabDef } from "../components/Tabs";
import { useResource, type Resource } from "./quality/useResource";
import { MAX_DEPTH, recall, trace, type RecallOut, type TraceOut } from "./trace/api";
import { RecallPanel } from "./trace/RecallPanel";
import { TraceTree } from "./trace/TraceTree";
import "../styles-pages.css";
import "./shared/forms.css";
import "./quality/quality.css";
import "./trace/trace.css";

type View = "backward" | "forward" | "recall";
const VIEWS: TabDef<View>[] = [
  { key: "backward", label: "Backward: what went into it" },
  { key: "forward", label: "Forward: where it went" },
  { key: "recall", label: "Recall impact" },
];
const DEPTHS = [1, 2, 3, 5, 10, 25, MAX_DEPTH];
const isView = (v: string | null): v is View => VIEWS.some((x) => x.key === v);

function useWorkOrders(): (id: string | null) => string {
  const [orders, setOrders] = useState<SupplyOrder[]>([]);
  useEffect(() => {
    let alive = true;
    listWorkOrders()
      .then((o) => alive && setOrders(o))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, []);
  return useMemo(() => {
    const m = new Map(orders.map((o) => [o.id, o.number]));
    return (id) => (id ? (m.get(id) ?? id.slice(0, 8)) : "—");
  }, [orders]);
}

/** "lot of BRK-100" → "BRK-100" (the matches of a 409 ambiguous-number answer). */
function partOf(match: string): string {
  const i = match.indexOf(" of ");
  return i < 0 ? match : match.slice(i + 4);
}

function SearchError({ error, query, onPart, onRetry }: { error: unknown; query: string; onPart(p: string): void; onRetry(): void }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <div className="notice notice-error" role="alert">
        <p>
          <strong>No lot or serial “{query}”.</strong> {error.message}. Check the number (lots and serials are matched exactly), or it may be
          ITAR-controlled and hidden from you.
        </p>
      </div>
    );
  }
  const matches = error instanceof ApiError ? (error.problem as { matches?: unknown } | undefined)?.matches : undefined;
  if (error instanceof ApiError && error.status === 409 && Array.isArray(matches)) {
    return (
      <div className="notice notice-warn" role="alert">
        <p>
          <strong>“{query}” is used by more than one part.</strong> Choose which one:
        </p>
        <div className="pg-actions">
          {matches.map(String).map((m) => (
            <button key={m} type="button" className="btn btn-small" onClick={() => onPart(partOf(m))}>
              {m}
            </button>
          ))}
        </div>
      </div>
    );
  }
  return <LoadError what={`the trace of ${query}`} error={error} onRetry={onRetry} />;
}

function Marking({ results }: { results: (TraceOut | RecallOut | null)[] }) {
  const marking = results.find((r) => r?.marking)?.marking;
  if (!marking) return null;
  return (
    <div className="tr-marking" role="note" aria-label="Export control marking" data-testid="itar-banner">
      <strong>{marking}</strong>
      <span>Items marked ITAR below are export-controlled technical data: do not share outside ITAR-authorised persons.</span>
    </div>
  );
}

function Restricted({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <p className="notice notice-warn" role="note">
      {count} linked {count === 1 ? "item is" : "items are"} ITAR-controlled and hidden from you (not ITAR-authorised); the tree leaves out their branches.
    </p>
  );
}

function TraceView({ res, query, tz, workOrderName, onPart }: { res: Resource<TraceOut>; query: string; tz: string; workOrderName(id: string | null): string; onPart(p: string): void }) {
  if (res.error) return <SearchError error={res.error} query={query} onPart={onPart} onRetry={res.reload} />;
  if (!res.data) return <Loading what="the trace" />;
  const t = res.data;
  return (
    <>
      <Restricted count={t.restricted_nodes} />
      {t.truncated && (
        <p className="notice notice-warn" role="note">
          The trace stopped at {t.max_depth} {t.max_depth === 1 ? "level" : "levels"} (the depth chosen): there may be more. Choose a larger depth to follow it further.
        </p>
      )}
      <TraceTree key={`${t.root.id}/${t.direction}/${t.max_depth}/${t.node_count}`} trace={t} tz={tz} workOrderName={workOrderName} />
    </>
  );
}

export function Trace() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q")?.trim() ?? "";
  const part = params.get("part")?.trim() ?? "";
  const depthRaw = Number(params.get("depth"));
  const depth = DEPTHS.includes(depthRaw) ? depthRaw : 10;
  const rawView = params.get("view");
  const view: View = isView(rawView) ? rawView : "backward";
  const tz = validTimeZone(useTenant()?.timezone);
  const workOrderName = useWorkOrders();
  const [number, setNumber] = useState(q);
  const [partInput, setPartInput] = useState(part);
  const [depthInput, setDepthInput] = useState(depth);
  const id = useId();

  const key = `${q}|${part}|${depth}`;
  const backward = useResource(q ? () => trace("backward", q, part, depth) : null, `b|${key}`);
  const forward = useResource(q ? () => trace("forward", q, part, depth) : null, `f|${key}`);
  const impact = useResource(q ? () => recall(q, part) : null, `r|${q}|${part}`);

  useEffect(() => {
    document.title = q ? `Trace ${q} · MIP` : "Trace · MIP";
  }, [q]);
  useEffect(() => {
    setNumber(q);
    setPartInput(part);
    setDepthInput(depth);
  }, [q, part, depth]);

  function go(next: { q?: string; part?: string; depth?: number; view?: View }) {
    const p: Record<string, string> = {};
    const nq = next.q ?? q;
    const np = next.part ?? part;
    const nd = next.depth ?? depth;
    const nv = next.view ?? view;
    if (nq) p.q = nq;
    if (np) p.part = np;
    if (nd !== 10) p.depth = String(nd);
    if (nv !== "backward") p.view = nv;
    setParams(p, { replace: next.view !== undefined && next.q === undefined });
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!number.trim()) return;
    go({ q: number.trim(), part: partInput.trim(), depth: depthInput });
  }

  const root = backward.data?.root ?? forward.data?.root ?? impact.data?.suspect ?? null;

  return (
    <section className="pg-page tr-page" aria-labelledby="tr-title">
      <header className="page-head">
        <h1 id="tr-title">Trace</h1>
      </header>
      <form className="panel tr-search" role="search" aria-label="Find a serial or lot" onSubmit={submit}>
        <div className="tr-field tr-field-wide">
          <label htmlFor={`${id}-q`}>Serial or lot number</label>
          <input id={`${id}-q`} value={number} onChange={(e) => setNumber(e.target.value)} maxLength={100} autoComplete="off" spellCheck={false} />
        </div>
        <div className="tr-field tr-field-wide">
          <label htmlFor={`${id}-p`}>Part number (if the number is used by several parts)</label>
          <input id={`${id}-p`} value={partInput} onChange={(e) => setPartInput(e.target.value)} maxLength={100} autoComplete="off" />
        </div>
        <div className="tr-field">
          <label htmlFor={`${id}-d`}>Depth</label>
          <select id={`${id}-d`} value={depthInput} onChange={(e) => setDepthInput(Number(e.target.value))}>
            {DEPTHS.map((d) => (
              <option key={d} value={d}>
                {d === MAX_DEPTH ? "All levels" : `${d} ${d === 1 ? "level" : "levels"}`}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={!number.trim()}>
          Trace
        </button>
      </form>

      {!q ? (
        <p className="muted">
          Enter a serial number to see what went into it, or a lot number to see where it went and which shipments a recall would reach.
        </p>
      ) : (
        <>
          <Marking results={[backward.data, forward.data, impact.data]} />
          {root && (
            <p className="tr-root" data-testid="trace-root">
              <span className="pg-kind">{root.kind}</span> <strong className="pg-mono">{root.number}</strong> · part <span className="pg-mono">{root.part_number}</span>
              {root.revision && ` rev. ${root.revision}`} · {root.status}
              {root.kind === "lot" && ` · ${root.quantity} in lot`}
              {root.itar && <span className="badge tr-itar-badge">ITAR</span>}
            </p>
          )}
          <TabList prefix="qa" id="tr" label="Trace views" tabs={VIEWS} active={view} onChange={(v) => go({ view: v })} />
          <TabPanel prefix="qa" id="tr" tab="backward" active={view === "backward"}>
            <div className="qa-tab-body">
              <TraceView res={backward} query={q} tz={tz} workOrderName={workOrderName} onPart={(p) => go({ q, part: p })} />
            </div>
          </TabPanel>
          <TabPanel prefix="qa" id="tr" tab="forward" active={view === "forward"}>
            <div className="qa-tab-body">
              <TraceView res={forward} query={q} tz={tz} workOrderName={workOrderName} onPart={(p) => go({ q, part: p })} />
            </div>
          </TabPanel>
          <TabPanel prefix="qa" id="tr" tab="recall" active={view === "recall"}>
            <div className="qa-tab-body">
              {impact.error ? (
                <SearchError error={impact.error} query={q} onPart={(p) => go({ q, part: p })} onRetry={impact.reload} />
              ) : !impact.data ? (
                <Loading what="the recall impact" />
              ) : (
                <RecallPanel recall={impact.data} />
              )}
            </div>
          </TabPanel>
        </>
      )}
    </section>
  );
}
