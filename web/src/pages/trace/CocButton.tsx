// Download the certificate of conformance (PDF) of one shipped serial or lot. The API needs the session's
// bearer token, so the file is fetched and handed to the browser as a blob download.
import { useState } from "react";
import { errorMessage } from "../shared/errors";
import { fetchCoc } from "./api";

export function CocButton({ shipmentId, shipmentNumber, serial }: { shipmentId: string; shipmentNumber: string; serial: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      const file = await fetchCoc(shipmentId, serial);
      const href = URL.createObjectURL(file.blob);
      const a = document.createElement("a");
      a.href = href;
      a.download = file.filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      setDone(file.exportControl ? `Downloaded ${file.filename} — ${file.exportControl}` : `Downloaded ${file.filename}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="tr-coc">
      <button type="button" className="btn btn-small" disabled={busy} onClick={() => void download()} aria-label={`Certificate of conformance (PDF) for ${serial} in shipment ${shipmentNumber}`}>
        {busy ? "Preparing…" : "CoC (PDF)"}
      </button>
      {error && (
        <span className="field-error" role="alert">
          Could not get the certificate: {error}
        </span>
      )}
      {done && !error && (
        <span className="sr-only" role="status">
          {done}
        </span>
      )}
    </span>
  );
}
