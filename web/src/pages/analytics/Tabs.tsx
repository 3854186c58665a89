// WAI-ARIA tabs for the analytics page: one tab stop (roving tabindex); ← → Home End move and show.
import { useRef, type KeyboardEvent, type ReactNode } from "react";

export interface TabDef<K extends string> {
  key: K;
  label: string;
}

const tabId = (id: string, key: string) => `${id}-tab-${key}`;
const panelId = (id: string, key: string) => `${id}-panel-${key}`;

export function TabList<K extends string>({ id, label, tabs, active, onChange }: { id: string; label: string; tabs: TabDef<K>[]; active: K; onChange(k: K): void }) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, i: number) {
    const n = tabs.length;
    const to = e.key === "ArrowRight" ? (i + 1) % n : e.key === "ArrowLeft" ? (i - 1 + n) % n : e.key === "Home" ? 0 : e.key === "End" ? n - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    onChange(tabs[to].key);
    refs.current.get(tabs[to].key)?.focus();
  }
  return (
    <div className="an-tabs" role="tablist" aria-label={label}>
      {tabs.map((t, i) => (
        <button
          key={t.key}
          ref={(el) => {
            if (el) refs.current.set(t.key, el);
            else refs.current.delete(t.key);
          }}
          type="button"
          role="tab"
          id={tabId(id, t.key)}
          aria-selected={t.key === active}
          aria-controls={panelId(id, t.key)}
          tabIndex={t.key === active ? 0 : -1}
          className="an-tab"
          onClick={() => onChange(t.key)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** Panels stay mounted while hidden, so the editor, its result and the lake view keep their state. */
export function TabPanel({ id, tab, active, children }: { id: string; tab: string; active: boolean; children: ReactNode }) {
  return (
    <div role="tabpanel" id={panelId(id, tab)} aria-labelledby={tabId(id, tab)} hidden={!active} className="an-panel">
      {children}
    </div>
  );
}
