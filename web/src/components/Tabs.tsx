// WAI-ARIA tabs: one tab stop (roving tabindex); ← → Home End move between tabs and show them.
// `prefix` names the page's tab styles (`<prefix>-tabs`, `<prefix>-tab`, `<prefix>-panel`).
import { useRef, type KeyboardEvent, type ReactNode } from "react";

export interface TabDef<K extends string> {
  key: K;
  label: ReactNode;
}

interface Props<K extends string> {
  id: string;
  label: string;
  tabs: TabDef<K>[];
  active: K;
  onChange(k: K): void;
  prefix?: string;
}

export const tabId = (id: string, key: string) => `${id}-tab-${key}`;
export const panelId = (id: string, key: string) => `${id}-panel-${key}`;

export function TabList<K extends string>({ id, label, tabs, active, onChange, prefix = "mnt" }: Props<K>) {
  const refs = useRef(new Map<K, HTMLButtonElement>());

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, i: number) {
    const n = tabs.length;
    const to = e.key === "ArrowRight" ? (i + 1) % n : e.key === "ArrowLeft" ? (i - 1 + n) % n : e.key === "Home" ? 0 : e.key === "End" ? n - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    const k = tabs[to].key;
    onChange(k);
    refs.current.get(k)?.focus();
  }

  return (
    <div className={`${prefix}-tabs`} role="tablist" aria-label={label}>
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
          className={`${prefix}-tab`}
          onClick={() => onChange(t.key)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({
  id,
  tab,
  active,
  children,
  prefix = "mnt",
}: {
  id: string;
  tab: string;
  active: boolean;
  children: ReactNode;
  prefix?: string;
}) {
  return (
    <div role="tabpanel" id={panelId(id, tab)} aria-labelledby={tabId(id, tab)} tabIndex={0} hidden={!active} className={`${prefix}-panel`}>
      {active && children}
    </div>
  );
}
