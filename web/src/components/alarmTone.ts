// The audible alarm: a short two-tone pattern made with WebAudio oscillators (no audio files).
// Browsers keep an AudioContext suspended until a user gesture, so the tone reports "blocked" until the
// user interacts with the page (any click or key press unlocks it; the banner also offers a button).
import { useEffect, useState } from "react";

export type SoundState = "unsupported" | "blocked" | "ready" | "muted";

type AudioCtor = new () => AudioContext;

function audioCtor(): AudioCtor | null {
  const w = globalThis as unknown as { AudioContext?: AudioCtor; webkitAudioContext?: AudioCtor };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

const MUTE_KEY = "mip.alarmSound.muted";

class AlarmTone {
  private ctx: AudioContext | null = null;
  private listeners = new Set<(s: SoundState) => void>();
  private muted = false;
  private gestureHooked = false;
  state: SoundState;

  constructor() {
    try {
      this.muted = globalThis.localStorage?.getItem(MUTE_KEY) === "1";
    } catch {
      this.muted = false;
    }
    this.state = audioCtor() ? (this.muted ? "muted" : "blocked") : "unsupported";
  }

  subscribe(l: (s: SoundState) => void): () => void {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  private set(s: SoundState) {
    if (s === this.state) return;
    this.state = s;
    this.listeners.forEach((l) => l(s));
  }

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    const Ctor = audioCtor();
    if (!Ctor) return null;
    try {
      this.ctx = new Ctor();
    } catch {
      return null;
    }
    return this.ctx;
  }

  /** Resume the context; resolves true when audio can play. Call from a user gesture to be sure. */
  async unlock(): Promise<boolean> {
    const ctx = this.context();
    if (!ctx) {
      this.set("unsupported");
      return false;
    }
    if (ctx.state !== "running") {
      // resume() stays pending until a gesture in some browsers: do not wait on it forever.
      await Promise.race([ctx.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 300))]);
    }
    const running = ctx.state === "running";
    if (!this.muted) this.set(running ? "ready" : "blocked");
    if (!running) this.unlockOnNextGesture();
    return running;
  }

  /** Any click or key press on the page unlocks audio from then on. */
  unlockOnNextGesture(): void {
    if (this.gestureHooked || typeof document === "undefined") return;
    this.gestureHooked = true;
    const handler = () => {
      document.removeEventListener("pointerdown", handler, true);
      document.removeEventListener("keydown", handler, true);
      this.gestureHooked = false;
      void this.unlock();
    };
    document.addEventListener("pointerdown", handler, true);
    document.addEventListener("keydown", handler, true);
  }

  setMuted(m: boolean): void {
    this.muted = m;
    try {
      globalThis.localStorage?.setItem(MUTE_KEY, m ? "1" : "0");
    } catch {
      /* ignore */
    }
    if (m) this.set("muted");
    else if (!audioCtor()) this.set("unsupported");
    else this.set(this.ctx?.state === "running" ? "ready" : "blocked");
  }

  /** Drop the audio context and re-detect support (tests). */
  reset(): void {
    void this.ctx?.close?.().catch(() => undefined);
    this.ctx = null;
    this.muted = false;
    this.state = audioCtor() ? "blocked" : "unsupported";
    this.listeners.forEach((l) => l(this.state));
  }

  /** Play the alarm pattern (three high-low beeps, ~1.5 s). Never throws. */
  async play(): Promise<void> {
    if (this.muted) return;
    try {
      const ok = await this.unlock();
      const ctx = this.ctx;
      if (!ok || !ctx) return;
      const t0 = ctx.currentTime + 0.02;
      for (let i = 0; i < 6; i++) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = "square";
        osc.frequency.value = i % 2 === 0 ? 880 : 660;
        const start = t0 + i * 0.25;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.22);
        osc.connect(gain).connect(ctx.destination);
        osc.start(start);
        osc.stop(start + 0.23);
      }
    } catch {
      /* audio is best effort: the banner is the primary signal */
    }
  }
}

export const alarmTone = new AlarmTone();

export function useSoundState(): SoundState {
  const [s, set] = useState<SoundState>(alarmTone.state);
  useEffect(() => alarmTone.subscribe(set), []);
  return s;
}
