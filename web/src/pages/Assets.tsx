// Asset management ("/assets"): the tenant's tree (sites → areas → lines → machines, with sensors); select a
// node to see and edit it. Writes are for admins and engineers; everyone else gets a read-only view.
import { useCallback, useEffect, useState } from "react";
import { api, getSession, unwrap } from "../api/client";
import { useTenant } from "../lib/tenant";
import { validTimeZone } from "../lib/time";
import { AssetDetails } from "./assets/AssetDetails";
import { CreateAssetForm } from "./assets/AssetForms";
import { AssetTree } from "./assets/AssetTree";
import { canWriteAssets, findNode, pathTo, type AssetNode } from "./assets/tree";
import "../styles-pages.css";

export function Assets() {
  const canWrite = canWriteAssets(getSession()?.user.role);
  const tz = validTimeZone(useTenant()?.timezone);
  const [tree, setTree] = useState<AssetNode[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [newSite, setNewSite] = useState(false);

  const reload = useCallback(async (selectId?: string | null) => {
    try {
      const t = await unwrap(api.GET("/api/v1/assets/tree"));
      setTree(t);
      setError(null);
      if (selectId !== undefined) setSelectedId(selectId);
      const target = selectId ?? null;
      if (target) {
        // Open the way down to the selected node (and the node itself, to show new children).
        setExpanded((cur) => new Set([...cur, ...pathTo(t, target)]));
      }
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    document.title = "Assets · MIP";
    void reload();
  }, [reload]);

  const toggle = (id: string) =>
    setExpanded((cur) => {
      const next = new Set(cur);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const selected = findNode(tree, selectedId);

  return (
    <section className="pg-page" aria-labelledby="assets-title">
      <header className="page-head">
        <h1 id="assets-title">Assets</h1>
        {canWrite && !newSite && (
          <button type="button" className="btn btn-primary" onClick={() => setNewSite(true)}>
            New site
          </button>
        )}
      </header>
      {!canWrite && <p className="muted">You can browse assets; changes need an administrator or engineer.</p>}
      {error && (
        <p role="alert" className="form-error">
          Could not load assets: {error}{" "}
          <button type="button" className="btn" onClick={() => void reload()}>
            Retry
          </button>
        </p>
      )}
      {newSite && (
        <div className="panel pg-card">
          <CreateAssetForm
            kind="site"
            parent={null}
            onCancel={() => setNewSite(false)}
            onCreated={(a) => {
              setNewSite(false);
              void reload(a.id);
            }}
          />
        </div>
      )}
      <div className="pg-split">
        <nav className="panel pg-card pg-tree-panel" aria-label="Asset tree">
          {tree === null && !error && <p className="muted">Loading assets…</p>}
          {tree?.length === 0 && (
            <p className="pg-empty">No assets yet.{canWrite ? " Start with a site." : ""}</p>
          )}
          {!!tree?.length && (
            <AssetTree nodes={tree} expanded={expanded} selectedId={selectedId} onToggle={toggle} onSelect={setSelectedId} />
          )}
        </nav>
        <div className="pg-detail-panel">
          {selected ? (
            <AssetDetails node={selected} canWrite={canWrite} timeZone={tz} onChanged={(id) => void reload(id)} />
          ) : (
            tree?.length ? <p className="muted">Select an asset to see its details.</p> : null
          )}
        </div>
      </div>
    </section>
  );
}
