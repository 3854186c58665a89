// DDL to declare this tenant's lake data in the customer's own engine (Athena/Glue or Trino's Hive
// connector), in a code block with Copy and Download.
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ApiProblem } from "../shared/ApiProblem";
import { getCatalog, type Catalog, type CatalogEngine } from "./api";

const ENGINES: { value: CatalogEngine; label: string }[] = [
  { value: "athena", label: "Athena / Glue" },
  { value: "trino", label: "Trino (Hive)" },
];

export function CatalogExport() {
  const id = useId();
  const [engine, setEngine] = useState<CatalogEngine>("athena");
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState<string>("");
  const code = useRef<HTMLPreElement>(null);

  const load = useCallback((e: CatalogEngine) => {
    setError(null);
    setCatalog(null);
    setCopied("");
    getCatalog(e).then(setCatalog, setError);
  }, []);
  useEffect(() => load(engine), [engine, load]);

  async function copy() {
    if (!catalog) return;
    try {
      await navigator.clipboard.writeText(catalog.ddl);
      setCopied("Copied the DDL to the clipboard.");
    } catch {
      // no clipboard access (http, permissions): select the text so Ctrl+C copies it
      const el = code.current;
      const sel = globalThis.getSelection?.();
      if (el && sel) {
        const r = document.createRange();
        r.selectNodeContents(el);
        sel.removeAllRanges();
        sel.addRange(r);
      }
      setCopied("The clipboard is not available here: the DDL is selected, press Ctrl+C (⌘C) to copy it.");
    }
  }

  function download() {
    if (!catalog) return;
    const url = URL.createObjectURL(new Blob([catalog.ddl], { type: "application/sql" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `mip-lake-${catalog.engine}.sql`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <section className="panel an-catalog" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Catalog export</h2>
      <p className="muted small">
        Declare your lake data as external tables in your own query engine. The files are encrypted with Parquet modular encryption, which
        Athena and Trino do not read on their own yet: the DDL's header says what your engine needs. Until then, query your data here.
      </p>
      <div className="pg-segmented" role="group" aria-label="Engine">
        {ENGINES.map((e) => (
          <button key={e.value} type="button" aria-pressed={engine === e.value} onClick={() => setEngine(e.value)}>
            {e.label}
          </button>
        ))}
      </div>
      <ApiProblem error={error} action="Could not load the catalog DDL" />
      {!catalog && !error && <p className="loading" role="status">Loading DDL…</p>}
      {catalog && (
        <>
          <p className="small">
            Location: <code className="an-break">{catalog.location}</code>
          </p>
          <div className="pg-actions">
            <button type="button" className="btn btn-small" onClick={() => void copy()}>
              Copy DDL
            </button>
            <button type="button" className="btn btn-small" onClick={download}>
              Download .sql
            </button>
            <span className="small" role="status">
              {copied}
            </span>
          </div>
          <pre ref={code} className="an-code" tabIndex={0} aria-label={`DDL for ${ENGINES.find((e) => e.value === catalog.engine)?.label}`} data-testid="catalog-ddl">
            <code>{catalog.ddl}</code>
          </pre>
        </>
      )}
    </section>
  );
}
