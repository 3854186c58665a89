// The tenant's saved queries, loaded once and reloaded after changes.
import { useCallback, useEffect, useState } from "react";
import { listSaved, type SavedQuery } from "./api";
import type { SavedState } from "./SavedQueries";

export function useSavedQueries(): SavedState {
  const [items, setItems] = useState<SavedQuery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    listSaved().then(
      (list) => {
        setItems(list);
        setError(null);
      },
      (e) => setError(e),
    );
  }, []);
  useEffect(reload, [reload]);
  return { items, error, reload };
}
