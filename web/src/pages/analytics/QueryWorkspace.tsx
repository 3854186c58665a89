// The query workspace: editor and result on the left; tables, saved queries and examples on the right
// (below on narrow screens). The editor text is kept per user in this browser, so a reload loses nothing.
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { ApiProblem } from "../shared/ApiProblem";
import { canChange, runQuery, runSaved, updateSaved, type ParamSpec, type SavedQuery } from "./api";
import { ExampleList } from "./ExampleList";
import { examples, type Example } from "./examples";
import { MAX_ROWS_LIMIT, QueryEditor } from "./QueryEditor";
import { resolveRange, type RangeInput } from "./range";
import { ResultsPanel } from "./ResultsPanel";
import { SavedQueries } from "./SavedQueries";
import { SaveQueryForm } from "./SaveQueryForm";
import { collectParams, defaultText, insertAt, paramNames, paramSpecs, type ParamInput } from "./sql";
import { TableBrowser } from "./TableBrowser";
import { useQueryRunner } from "./useQueryRunner";
import { useSavedQueries } from "./useSavedQueries";

type User = { id: string; role: string };

interface Source {
  sql: string;
  inputs: Record<string, ParamInput>;
  saved: SavedQuery | null;
}

const draftKey = (userId: string | undefined) => `mip.analytics.sql.${userId ?? "anonymous"}`;

function readDraft(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

const specKey = (ps: ParamSpec[]) => JSON.stringify(ps.map((p) => [p.name, p.type, p.default ?? null, p.description ?? ""]));

function inputsOf(q: SavedQuery, timeZone: string): Record<string, ParamInput> {
  return Object.fromEntries(
    q.parameters.map((p) => [p.name, { type: p.type, value: defaultText(p, timeZone), description: p.description, hasDefault: p.default !== null && p.default !== undefined }]),
  );
}

export function QueryWorkspace({ user, timeZone }: { user: User | null; timeZone: string }) {
  const key = draftKey(user?.id);
  const [sql, setSqlState] = useState(() => readDraft(key) ?? examples(timeZone)[0].sql);
  const [inputs, setInputs] = useState<Record<string, ParamInput>>({});
  const [paramErrors, setParamErrors] = useState<Record<string, string>>({});
  const [range, setRange] = useState<RangeInput>({ preset: "7d", start: "", end: "" });
  const [maxRows, setMaxRows] = useState("1000");
  const [loaded, setLoaded] = useState<SavedQuery | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [showSave, setShowSave] = useState(false);
  const [notice, setNotice] = useState<{ text: string; undo?: string } | null>(null);
  const [updateError, setUpdateError] = useState<unknown>(null);
  const [deleteMsg, setDeleteMsg] = useState<{ id: string; error: unknown } | null>(null);
  const [announce, setAnnounce] = useState("");
  const saved = useSavedQueries();
  const { state, run, cancel } = useQueryRunner();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const cursor = useRef<number | null>(null);
  const lastSource = useRef<Source | null>(null);

  const names = useMemo(() => paramNames(sql), [sql]);
  const specs = paramSpecs(names, inputs, timeZone);
  const modified = loaded !== null && (sql !== loaded.sql || specKey(specs) !== specKey(loaded.parameters));
  const mayChange = loaded !== null && canChange(loaded, user);

  useLayoutEffect(() => {
    if (cursor.current === null || !textarea.current) return;
    textarea.current.setSelectionRange(cursor.current, cursor.current);
    cursor.current = null;
  });

  function setSql(text: string) {
    setSqlState(text);
    try {
      globalThis.localStorage?.setItem(key, text);
    } catch {
      /* storage full or private mode: the text stays in the page */
    }
  }

  function insert(text: string) {
    const ta = textarea.current;
    const start = ta?.selectionStart ?? sql.length;
    const end = ta?.selectionEnd ?? start;
    const r = insertAt(sql, start, end, text);
    setSql(r.text);
    cursor.current = r.cursor;
    setAnnounce(`Inserted ${text} into the query.`);
  }

  function execute(src: Source) {
    setFormError(null);
    lastSource.current = src;
    if (!src.sql.trim()) return setFormError("The editor is empty: write a query or pick an example.");
    const w = resolveRange(range, timeZone);
    if (!w.ok) return setFormError(w.error);
    const mr = Number(maxRows.trim());
    if (!/^\d+$/.test(maxRows.trim()) || mr < 1 || mr > MAX_ROWS_LIMIT) return setFormError(`Max rows must be a whole number from 1 to ${MAX_ROWS_LIMIT.toLocaleString("en-US")}.`);
    const asSaved = src.saved && src.saved.sql === src.sql ? src.saved : null;
    const ps = paramNames(src.sql);
    const { values, errors } = collectParams(ps, src.inputs, timeZone, asSaved !== null);
    setParamErrors(errors);
    const bad = Object.keys(errors);
    if (bad.length > 0) return setFormError(`Fill in the query's parameters: ${bad.map((n) => `$${n} (${errors[n]})`).join(", ")}.`);
    const body = { start: w.start.toISOString(), end: w.end.toISOString(), max_rows: mr, params: values };
    if (asSaved) void run(`“${asSaved.name}”`, (signal) => runSaved(asSaved.id, body, signal));
    else void run("ad-hoc query", (signal) => runQuery({ sql: src.sql, ...body }, signal));
  }

  const runEditor = () => {
    if (!state.running) execute({ sql, inputs, saved: loaded });
  };

  function open(q: SavedQuery): Source {
    const src = { sql: q.sql, inputs: inputsOf(q, timeZone), saved: q };
    setSql(q.sql);
    setInputs(src.inputs);
    setParamErrors({});
    setLoaded(q);
    setShowSave(false);
    setUpdateError(null);
    setNotice({ text: `Opened “${q.name}”.` });
    return src;
  }

  function applyExample(e: Example) {
    const previous = sql;
    setSql(e.sql);
    setLoaded(null);
    setNotice({ text: `The editor now holds the example “${e.title}”.`, undo: previous });
    textarea.current?.focus();
  }

  async function saveChanges() {
    if (!loaded) return;
    setUpdateError(null);
    try {
      const q = await updateSaved(loaded.id, { sql, parameters: specs });
      setLoaded(q);
      saved.reload();
      setNotice({ text: `Saved the changes to “${q.name}”.` });
    } catch (e) {
      setUpdateError(e instanceof ApiError && e.status === 403 ? new ApiError(403, e.code, `${e.message}. Use “Save as…” to keep your version under a new name.`) : e);
    }
  }

  return (
    <div className="an-workspace">
      <div className="an-main">
        <section className="panel an-editor-panel" aria-labelledby="an-query-title">
          <div className="pg-card-head">
            <h2 id="an-query-title">Query</h2>
            {loaded && (
              <p className="small an-loaded" data-testid="loaded-query">
                Saved query <strong>“{loaded.name}”</strong>
                {modified ? " — changed, not saved" : ""}
              </p>
            )}
          </div>
          <QueryEditor
            sql={sql}
            onSql={setSql}
            textareaRef={textarea}
            onRun={runEditor}
            names={names}
            inputs={inputs}
            paramErrors={paramErrors}
            onParam={(name, patch) => setInputs((cur) => ({ ...cur, [name]: { ...(cur[name] ?? { type: "string", value: "" }), ...patch } }))}
            range={range}
            onRange={setRange}
            maxRows={maxRows}
            onMaxRows={setMaxRows}
            timeZone={timeZone}
          />
          {formError && (
            <p className="notice notice-error" role="alert" data-testid="form-error">
              {formError}
            </p>
          )}
          <div className="pg-actions an-run-bar">
            <button type="button" className="btn btn-primary" onClick={runEditor} disabled={state.running !== null} aria-keyshortcuts="Control+Enter Meta+Enter">
              {state.running ? "Running…" : "Run query"}
            </button>
            <button type="button" className="btn" onClick={() => setShowSave((s) => !s)} aria-expanded={showSave}>
              Save as…
            </button>
            {loaded && mayChange && (
              <button type="button" className="btn" onClick={() => void saveChanges()} disabled={!modified}>
                Save changes to “{loaded.name}”
              </button>
            )}
          </div>
          <p className="sr-only" aria-live="polite">
            {announce}
          </p>
          {notice && (
            <p className="an-notice small" role="status">
              {notice.text}{" "}
              {notice.undo !== undefined && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    setSql(notice.undo ?? "");
                    setNotice({ text: "Restored your previous text." });
                  }}
                >
                  Undo
                </button>
              )}
            </p>
          )}
          <ApiProblem error={updateError} action="Could not save the changes" />
          {showSave && (
            <SaveQueryForm
              sql={sql}
              params={specs}
              onCancel={() => setShowSave(false)}
              onSaved={(q) => {
                setShowSave(false);
                setLoaded(q);
                saved.reload();
                setNotice({ text: `Saved as “${q.name}”.` });
              }}
            />
          )}
        </section>
        <ResultsPanel state={state} timeZone={timeZone} onCancel={cancel} onRetry={() => lastSource.current && execute(lastSource.current)} />
      </div>
      <aside className="an-side" aria-label="Tables, saved queries and examples">
        <section className="panel" aria-labelledby="an-tables-title">
          <h2 id="an-tables-title">Tables</h2>
          <p className="muted small">Select a name to insert it at the cursor.</p>
          <TableBrowser onInsert={insert} />
        </section>
        <section className="panel" aria-labelledby="an-saved-title">
          <h2 id="an-saved-title">Saved queries</h2>
          <SavedQueries
            saved={saved}
            user={user}
            timeZone={timeZone}
            loadedId={loaded?.id ?? null}
            running={state.running !== null}
            onOpen={(q) => open(q)}
            onRun={(q) => execute(open(q))}
            onDeleted={(q) => {
              saved.reload();
              if (loaded?.id === q.id) setLoaded(null);
              setNotice({ text: `Deleted “${q.name}”.` });
            }}
            message={deleteMsg}
            onMessage={setDeleteMsg}
          />
        </section>
        <section className="panel" aria-labelledby="an-examples-title">
          <h2 id="an-examples-title">Examples</h2>
          <ExampleList examples={examples(timeZone)} onUse={applyExample} />
        </section>
      </aside>
    </div>
  );
}
