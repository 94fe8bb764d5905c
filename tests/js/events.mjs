import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

// Waiting on events, not on the clock: `until` re-checks a condition each time an emitter fires
// and fails after a deadline (which only bounds a broken run).
export function until(emitters, event, check, what, ms = 15000) {
  return new Promise((resolve, reject) => {
    const list = Array.isArray(emitters) ? emitters : [emitters];
    const done = () => {
      let ok = false;
      try { ok = check(); } catch (e) { finish(e); return; }
      if (ok) finish();
    };
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), ms);
    const finish = (err) => {
      clearTimeout(timer);
      for (const e of list) e.off(event, done);
      err ? reject(err) : resolve();
    };
    for (const e of list) e.on(event, done);
    done();
  });
}

// JSON with object keys sorted, so equal values compare equal whatever their key order.
const canonical = (v) => JSON.stringify(v, (_, x) =>
  x && typeof x === "object" && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).sort(([k1], [k2]) => (k1 < k2 ? -1 : 1)))
    : x);

export function assertEqual(actual, expected, what) {
  const a = canonical(actual);
  const b = canonical(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}

// Debian's chromium, headless, with the flags this closed network needs, and a list that
// collects every page error and console error of the pages given to `watch`.
export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const errors = [];
  const watch = (page) => {
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
    return page;
  };
  return { browser, errors, watch };
}

// tests/output/, where screenshots go.
export function outputDir() {
  const out = new URL("../output/", import.meta.url).pathname;
  mkdirSync(out, { recursive: true });
  return out;
}
