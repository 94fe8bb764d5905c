// A phone on a bad connection. First, with the join bundle held back by the test (so nothing
// depends on timing): the join screen comes with the page itself, what is typed before the
// bundle runs is kept, and a tap on "Doe mee" before it runs still joins. The way in loads only
// its own bundle (and prefetches the phone's), never the console's or the projector's.
// Then ROUNDS measured loads under Chromium's "Slow 4G" profile with 4× CPU slowdown (set
// through the DevTools protocol), each in a fresh context with an empty cache; their timings are
// printed, never asserted (speed is measured, not tested).
// Usage: node browser-slow-phone.mjs http://HOST:PORT ROUNDS ORGANISER_SECRET
import { launchChromium } from "./events.mjs";
import { phoneOptions } from "./session.mjs";

const base = process.argv[2];
const rounds = Number(process.argv[3] ?? 1);
// The organisers' secret the server was started with: a tool starts the session with it.
const secret = process.argv[4];
if (!base || !(rounds >= 0) || !secret) {
  throw new Error("usage: node browser-slow-phone.mjs http://HOST:PORT ROUNDS ORGANISER_SECRET");
}

// DevTools' "Slow 4G" preset (its numbers: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up).
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: 180000, uploadThroughput: 84375 };
const CPU_SLOWDOWN = 4;

const created = await fetch(`${base}/api/sessions`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
  body: JSON.stringify({ draaiboek: "bewoners-en-ambtenaren" }),
});
if (created.status !== 201) throw new Error(`creating a session: ${created.status} ${await created.text()}`);
const { code } = await created.json();

// The first response already holds the join screen, in the phone's language.
const html = await (await fetch(`${base}/j/${code}`, { headers: { "accept-language": "nl-NL,nl;q=0.9" } })).text();
for (const needle of ['data-surface="join"', 'id="name"', 'name="role"', "Doe mee", 'id="prefetched"', "tot 90 dagen na het einde"]) {
  if (!html.includes(needle)) throw new Error(`the join page's HTML lacks ${needle}`);
}
const english = await (await fetch(`${base}/j/${code}`, { headers: { "accept-language": "en-GB,en" } })).text();
if (!english.includes("Your name")) throw new Error("the join page's HTML is not in English for an English phone");

const { browser, errors, watch } = await launchChromium();
try {
  // Holds every request for the join bundle's wasm until `release()`.
  const holdBundle = async (page) => {
    const held = [];
    await page.route("**/pkg/join_bg.wasm", (route) => { held.push(route); });
    return {
      release: async () => {
        await page.unroute("**/pkg/join_bg.wasm");
        for (const r of held.splice(0)) await r.continue().catch(() => { /* its page is gone */ });
      },
    };
  };
  const requested = (page) => {
    const urls = [];
    page.on("request", (r) => urls.push(new URL(r.url()).pathname));
    return urls;
  };
  const ready = (page) => page.locator("#app[data-app=ready]").waitFor({ state: "attached" });

  // What is typed before the bundle runs stays.
  {
    const ctx = await browser.newContext(phoneOptions);
    const page = watch(await ctx.newPage());
    const urls = requested(page);
    const bundle = await holdBundle(page);
    await page.goto(`${base}/j/${code}`, { waitUntil: "domcontentloaded" });
    await page.getByLabel("Je naam").fill("Fatima");
    await page.getByLabel("Ambtenaar", { exact: true }).check();
    if (await page.locator("#app[data-app]").count()) throw new Error("the bundle ran while it was held back");
    await bundle.release();
    await ready(page);
    const name = await page.getByLabel("Je naam").inputValue();
    if (name !== "Fatima") throw new Error(`typed name after the bundle took over: ${JSON.stringify(name)}`);
    if (!(await page.getByLabel("Ambtenaar", { exact: true }).isChecked())) throw new Error("the chosen role was lost");
    // The way in fetched its own bundle and prefetched the phone's, and nothing of the others.
    for (const want of ["/pkg/join.js", "/pkg/join_bg.wasm"]) {
      if (!urls.includes(want)) throw new Error(`${want} was not loaded: ${urls.join(" ")}`);
    }
    const strangers = urls.filter((u) => /\/pkg\/(console|projector)/.test(u));
    if (strangers.length) throw new Error(`the join page loaded other surfaces' code: ${strangers}`);
    await page.getByRole("button", { name: "Doe mee" }).click();
    await page.waitForURL(/\/s\/[0-9a-f]+$/);
    await page.getByText("De sessie is nog niet begonnen.").waitFor();
    await ctx.close();
  }

  // A tap on "Doe mee" before the bundle runs: the plain form comes back with the name and role,
  // and the bundle sends the join.
  {
    const ctx = await browser.newContext(phoneOptions);
    const page = watch(await ctx.newPage());
    const bundle = await holdBundle(page);
    await page.goto(`${base}/j/${code}`, { waitUntil: "domcontentloaded" });
    await page.getByLabel("Je naam").fill("Jan");
    await page.getByLabel("Bewoner", { exact: true }).check();
    await page.getByRole("button", { name: "Doe mee" }).click();
    await page.waitForURL(/\?name=Jan&role=/, { waitUntil: "domcontentloaded" });
    if ((await page.getByLabel("Je naam").inputValue()) !== "Jan") throw new Error("the sent name did not come back");
    await bundle.release();
    await page.waitForURL(/\/s\/[0-9a-f]+$/);
    await page.getByText("De sessie is nog niet begonnen.").waitFor();
    await ctx.close();
  }

  // Nobody joins in a role they didn't pick: neither the server's screen nor the bundle chooses
  // one, and "Doe mee" without one asks for it instead of joining.
  {
    const ctx = await browser.newContext(phoneOptions);
    const page = watch(await ctx.newPage());
    const html = await (await page.request.get(`${base}/j/${code}`)).text();
    if (/name="role"[^>]* checked/.test(html)) throw new Error("the server's join screen chooses a role");
    await page.goto(`${base}/j/${code}`);
    await ready(page);
    if (await page.locator('input[name="role"]:checked').count()) throw new Error("the bundle chooses a role");
    await page.getByLabel("Je naam").fill("Zonder rol");
    await page.getByRole("button", { name: "Doe mee" }).click();
    if (await page.evaluate(() => document.querySelector("main.join form").checkValidity())) throw new Error("the form is valid without a role");
    if (!page.url().endsWith(`/j/${code}`)) throw new Error(`joined without a role: ${page.url()}`);
    await page.getByLabel("Bewoner", { exact: true }).check();
    await page.getByRole("button", { name: "Doe mee" }).click();
    await page.waitForURL(/\/s\/[0-9a-f]+$/);
    await ctx.close();
  }

  // Measured loads.
  const screen = [];
  const interactive = [];
  const session = [];
  for (let i = 0; i < rounds; i++) {
    const ctx = await browser.newContext(phoneOptions);
    // When the app's root is marked ready, in the page's own clock (from navigation start).
    await ctx.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector("#app[data-app=ready]")) {
          window.__werkmuurReady = performance.now();
          obs.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-app"], childList: true });
    });
    const page = watch(await ctx.newPage());
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
    await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await page.goto(`${base}/j/${code}`, { waitUntil: "commit" });
    await ready(page);
    await page.waitForFunction(() => window.__werkmuurReady !== undefined);
    const t = await page.evaluate(() => ({
      // The join screen is in the HTML, so its first paint is the screen shown.
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
      ready: window.__werkmuurReady,
    }));
    if (t.fcp === undefined) throw new Error("no first-contentful-paint entry");
    screen.push(t.fcp);
    interactive.push(t.ready);
    // On to the session with the phone's bundle (prefetched while the name was typed).
    await page.getByLabel("Je naam").fill(`Meting ${i + 1}`);
    await page.getByLabel("Bewoner", { exact: true }).check();
    await page.getByRole("button", { name: "Doe mee" }).click();
    await page.waitForURL(/\/s\/[0-9a-f]+$/, { waitUntil: "commit" });
    await ready(page);
    await page.waitForFunction(() => window.__werkmuurReady !== undefined);
    await page.getByText("De sessie is nog niet begonnen.").waitFor();
    session.push(await page.evaluate(() => window.__werkmuurReady));
    await ctx.close();
  }

  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);
  console.log("browser: the join screen came with the page; typing and a tap before the bundle were kept");
  if (rounds > 0) {
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(",");
    console.log(`slow 4G + ${CPU_SLOWDOWN}x CPU, ${rounds} fresh loads of /j/CODE: screen shown ${fmt(screen)} ms, app ready ${fmt(interactive)} ms; then /s/ ready ${fmt(session)} ms`);
    console.log(`RESULT screen_ms=${median(screen).toFixed(0)} interactive_ms=${median(interactive).toFixed(0)} session_ms=${median(session).toFixed(0)} screen_max_ms=${Math.max(...screen).toFixed(0)} interactive_max_ms=${Math.max(...interactive).toFixed(0)}`);
  }
} finally {
  await browser.close();
}
