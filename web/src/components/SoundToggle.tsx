import { alarmTone, useSoundState } from "./alarmTone";

/** Enables (after the browser's autoplay block) or mutes the audible alarm. */
export function SoundToggle({ compact = false }: { compact?: boolean }) {
  const state = useSoundState();
  if (state === "unsupported") return null;
  if (state === "blocked") {
    return (
      <button type="button" className="btn btn-sound" onClick={() => void alarmTone.unlock()} aria-pressed={false}>
        <span aria-hidden="true">🔇</span> {compact ? "Enable sound" : "Click to enable alarm sound"}
      </button>
    );
  }
  const on = state === "ready";
  return (
    <button
      type="button"
      className="btn btn-sound"
      aria-pressed={on}
      title={on ? "Alarm sound is on: click to mute" : "Alarm sound is muted: click to turn it on"}
      onClick={() => {
        alarmTone.setMuted(on);
        if (!on) void alarmTone.unlock();
      }}
    >
      <span aria-hidden="true">{on ? "🔔" : "🔕"}</span> {on ? "Sound on" : "Sound off"}
    </button>
  );
}
