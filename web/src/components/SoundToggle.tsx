import { alarmTone, useSoundState } from "./alarmTone";
import { SpeakerIcon } from "./SpeakerIcon";

/** Enables (after the browser's autoplay block) or mutes the audible alarm. */
export function SoundToggle({ compact = false }: { compact?: boolean }) {
  const state = useSoundState();
  if (state === "unsupported") return null;
  if (state === "blocked") {
    return (
      <button
        type="button"
        className="btn btn-sound"
        title="The browser blocks sound until you interact with the page: click to allow the alarm tone"
        onClick={() => void alarmTone.unlock()}
      >
        <SpeakerIcon muted /> {compact ? "Enable sound" : "Click to enable alarm sound"}
      </button>
    );
  }
  const on = state === "ready";
  return (
    <button
      type="button"
      className="btn btn-sound"
      title={on ? "Alarm sound is on: click to mute" : "Alarm sound is muted: click to turn it on"}
      onClick={() => {
        alarmTone.setMuted(on);
        if (!on) void alarmTone.unlock();
      }}
    >
      <SpeakerIcon muted={!on} /> {on ? "Sound on" : "Sound off"}
      <span className="sr-only">{on ? ", click to mute alarms" : ", click to unmute alarms"}</span>
    </button>
  );
}
