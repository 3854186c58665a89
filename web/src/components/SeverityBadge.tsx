import type { Severity } from "../pages/alarms/api";

const LABEL: Record<Severity, string> = { critical: "Critical", major: "Major", minor: "Minor", warning: "Warning" };
// Plain geometric glyphs (not emoji) so they render on every shop-floor device.
const ICON: Record<Severity, string> = { critical: "■", major: "▲", minor: "●", warning: "◆" };

/** Severity as colour, icon and text (never colour alone). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`badge sev-${severity}`}>
      <span aria-hidden="true">{ICON[severity] ?? "●"}</span> {LABEL[severity] ?? severity}
    </span>
  );
}

export function SafetyMarker() {
  return (
    <span className="badge safety" title="Safety alarm">
      <span aria-hidden="true">⚠</span> Safety
    </span>
  );
}
