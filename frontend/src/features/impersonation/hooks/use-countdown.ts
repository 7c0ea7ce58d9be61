import { useEffect, useState } from 'react';

/** What is left of a session: milliseconds, the clock text, and whole minutes (rounded up). */
export interface Countdown {
  remainingMs: number;
  /** "42:07", or "1:02:07" from an hour up. */
  clock: string;
  /** Whole minutes left, rounded up: changes once a minute, for screen readers. */
  minutes: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The countdown for `remainingMs` milliseconds. */
export function countdownOf(remainingMs: number): Countdown {
  const left = Math.max(0, remainingMs);
  const total = Math.ceil(left / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return { remainingMs: left, clock: h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`, minutes: Math.ceil(left / 60_000) };
}

/** A live countdown to `until` (an ISO time), ticking every second. */
export function useCountdown(until: string): Countdown {
  const end = new Date(until).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return countdownOf(Number.isNaN(end) ? 0 : end - now);
}
