// The projector always fits its screen, on 1920×1080, 1280×720 and a 4:3 1024×768: a wall of
// 1, 12, 40 and 120 post-its (clustered and loose), 1 to 6 group boards, and a process map of
// 30 steps with role stickers and the step × role table, and six groups in Arabic (right to
// left). For each: nothing scrolls, every
// text is on the screen and at least the floor (`fitsOnScreen`), and what doesn't fit at the
// floor is on pages that turn on their own, each item on exactly one, with an indicator
// saying which. The boards are written from Node with stock Yjs as the facilitator, so a
// hundred post-its take no typing. Screenshots `fit-*.png` go to tests/output/.
// Usage: node browser-projector-fit.mjs http://HOST:PORT NAME PASSWORD
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import { launchChromium, outputDir, until } from "./events.mjs";
import { fitsOnScreen, settled, signIn } from "./session.mjs";

const [base] = process.argv.slice(2);
if (!base) throw new Error("usage: node browser-projector-fit.mjs http://HOST:PORT NAME PASSWORD");
const out = outputDir();
const screens = [[1920, 1080], [1280, 720], [1024, 768]];

// A draaiboek with one block of each kind the test needs, titled as long as real ones.
const draaiboek = `
id = "projector-past"
title = { nl = "Past alles op de projector?" }
doelgroep = { nl = "Iedereen achter in de zaal." }
doel = { nl = "Zien dat de projector alles laat zien, hoe vol de muur ook is." }
voorbereiding = { nl = "Geen." }

[[roles]]
id = "bewoner"
name = { nl = "Bewoner" }
colour = "#e07b00"

[[roles]]
id = "initiatiefnemer"
name = { nl = "Initiatiefnemer" }
colour = "#2e8b3d"

[[roles]]
id = "ambtenaar"
name = { nl = "Ambtenaar" }
colour = "#1f6fd1"

[[blocks]]
letter = "A"
title = { nl = "Inzichten (voor dit stadsdeel en andere stadsdelen)" }
minutes = 30
werkvorm = "post-its"
prompt = { nl = "Stel dat buurtbudgetten een vast instrument zijn geworden om bewoners eigenaarschap en zeggenschap te geven. Wat is er nodig om dat goed te organiseren?" }

[[blocks]]
letter = "B"
title = { nl = "Succesfactoren per groep" }
minutes = 30
werkvorm = "post-its"
groups = { mix_roles = true }

[[blocks]]
letter = "C"
title = { nl = "Proces in kaart brengen" }
minutes = 30
werkvorm = "proces-in-kaart"

[[blocks]]
letter = "D"
title = { nl = "Rollen en verantwoordelijkheden in kaart brengen" }
minutes = 30
werkvorm = "rollen"
`;

// Post-its as people write them: short, middling, and one of the full 280 characters.
const phrases = [
  "Vaste contactpersoon bij de gemeente",
  "Budget al vroeg bekend maken",
  "Minder formulieren",
  "Een plek om elkaar te ontmoeten in de buurt, ook in de winter",
  "Vertrouwen",
  "Jongeren meer betrekken bij de keuze van projecten, bijvoorbeeld via school",
  "Duidelijke regels voor wie mag stemmen",
  "Terugkoppeling na afloop: wat is er met ons idee gebeurd?",
  "Tijd",
  "Vrijwilligers waarderen",
  "Informatie in meer talen dan Nederlands alleen",
  "Kleine bedragen snel uitkeren",
];
const long = "Wij willen dat de gemeente niet alleen geld geeft maar ook meedenkt: wie helpt ons met de vergunning, wie weet welke regels gelden voor een buurtfeest in het park, en bij wie kunnen we terecht als het misgaat? Nu zoeken we dat elke keer opnieuw uit en dat kost veel tijd en energie van vrijwilligers.";
const noteText = (i) => (i === 7 ? long.slice(0, 280) : `${phrases[i % phrases.length]}${i >= phrases.length ? ` (${i + 1})` : ""}`);
const stepTexts = [
  "Idee bedenken", "Buren vragen", "Plan schrijven", "Begroting maken", "Subsidie aanvragen",
  "Vergunning aanvragen bij het stadsdeel", "Locatie zoeken", "Vrijwilligers werven", "Flyers maken",
  "Buurtapp opzetten", "Materiaal huren", "Verzekering regelen", "Draaiboek voor de dag", "Opbouwen",
  "Het feest zelf", "Afbreken en opruimen", "Foto's delen", "Bezoekers tellen", "Evalueren met de buurt",
  "Verantwoording aan de gemeente", "Geld terugstorten wat over is", "Bedanken", "Volgend jaar plannen",
  "Nieuwe trekker zoeken", "Contact met de wijkagent", "Geluidsvergunning", "Afval regelen",
  "Toegankelijkheid nagaan", "Eten en drinken", "Verslag in de buurtkrant",
];

const { browser, errors, watch } = await launchChromium();
const pagesSeen = new Set();
try {
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" });
  const fac = watch(await laptop.newPage());
  await signIn(fac, base);
  const call = (path, body, token) => fac.evaluate(async ([path, body, token]) => {
    const headers = { "Content-Type": typeof body === "string" ? "text/plain" : "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const r = await fetch(path, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
    return JSON.parse(text || "null");
  }, [path, body, token]);
  await call("/api/draaiboeken", draaiboek);
  const { id, code, facilitator_token: token } = await call("/api/sessions", { draaiboek: "projector-past" });
  const members = [];
  for (const [i, role] of ["bewoner", "initiatiefnemer", "ambtenaar", "bewoner", "initiatiefnemer", "ambtenaar"].entries()) {
    members.push((await call(`/api/sessions/${code}/join`, { name: `Deelnemer ${i + 1}`, role })).member_id);
  }
  const agenda = (action) => call(`/api/sessions/${id}/agenda`, { action }, token);
  const control = (body) => call(`/api/sessions/${id}/control`, body, token);

  // The projector on the facilitator's laptop, with the facilitator's token.
  await fac.evaluate(([id, token]) => localStorage.setItem(`werkmuur.token.${id}`, token), [id, token]);
  const proj = watch(await laptop.newPage());
  await proj.setViewportSize({ width: 1920, height: 1080 });
  await proj.goto(`${base}/p/${id}`);
  await agenda("start");
  await proj.getByRole("heading", { name: /^A\. Inzichten/ }).waitFor();

  // A board, written as the facilitator with stock Yjs.
  const boards = [];
  const board = async (step, group) => {
    const doc = new Y.Doc();
    const room = `sessie/${id}/blok/${step}${group ? `/groep/${group}` : ""}`;
    const provider = new WebsocketProvider(`${base.replace(/^http/, "ws")}/sync`, room, doc,
      { WebSocketPolyfill: WebSocket, disableBc: true, params: { token } });
    boards.push(provider);
    await until(provider, "sync", () => provider.synced, `sync of ${room}`);
    return doc;
  };
  const write = (doc, from, to, prefix) => doc.transact(() => {
    for (let i = from; i < to; i++) doc.getArray("notes").push([{ id: `${prefix}${i}`, text: noteText(i), author: members[i % members.length] }]);
  });

  // Checks the projector on every screen once `ready` holds: it fits, and every item is on
  // exactly one page of those the wall says it has, the one on screen being shown.
  const check = async (name, ready, arg, items) => {
    const report = [];
    for (const [w, h] of screens) {
      await proj.setViewportSize({ width: w, height: h });
      await proj.waitForFunction(ready, arg, { timeout: 15000 });
      await settled(proj);
      await proj.screenshot({ path: `${out}/fit-${name}-${w}x${h}.png` });
      await fitsOnScreen(proj, `${name} on ${w}×${h}`);
      const paging = await pages(proj, items);
      report.push(`${w}×${h}: ${paging.pages} page(s) at ${paging.px} px${paging.indicator ? ` (“${paging.indicator}”)` : ""}`);
      if (paging.pages > 1) pagesSeen.add(`${name} ${w}x${h}`);
    }
    console.log(`${name}: ${report.join("; ")}`);
  };

  // A. One wall: 1, 12, 40 and 120 post-its; from 40 on, three clusters and loose ones.
  const wall = await board(0);
  const clustered = (doc, n) => doc.transact(() => {
    const names = { org: "Organisatie", geld: "Geld en regels", buurt: "De buurt betrekken" };
    for (const [cid, name] of Object.entries(names)) doc.getMap("clusters").set(cid, name);
    const ids = Object.keys(names);
    for (let i = 0; i < n; i++) if (i % 4 !== 3) doc.getMap("meta").set(`a${i}`, { cluster: ids[i % 3] });
  });
  let written = 0;
  for (const n of [1, 12, 40, 120]) {
    write(wall, written, n, "a");
    written = n;
    if (n >= 40) clustered(wall, n);
    await check(`notes-${n}`, (n) => document.querySelectorAll(".projector-wall .postit").length === n
      && (n < 40 || document.querySelectorAll(".projector-wall .cluster-name").length === 4), n, n);
  }
  // The pages turn on their own: the next page fits too.
  const turned = await turnPage(proj);
  await proj.screenshot({ path: `${out}/fit-notes-120-1024x768-turned.png` });
  await fitsOnScreen(proj, `120 post-its after the page turned (${turned})`);
  // The pages can be stopped (WCAG 2.2.2): a second projector of the same size turns on, the
  // stopped one stays; going on again brings it back to the page the clock says.
  const other = watch(await laptop.newPage());
  await other.setViewportSize(proj.viewportSize());
  await other.goto(`${base}/p/${id}`);
  await other.waitForFunction(() => document.querySelectorAll(".projector-wall .postit").length === 120);
  await settled(other);
  await proj.getByRole("button", { name: "Pagina's stilzetten" }).click();
  await proj.getByRole("button", { name: "Pagina's laten doorlopen" }).waitFor();
  const stopped = await proj.evaluate(() => document.querySelector(".projector-wall").dataset.page);
  const otherTurned = await turnPage(other);
  // Each screen has its own estimate of the server's clock: the stopped one is given two ticks
  // of its own block clock (a second or more) past the other's turn before it is looked at.
  for (let tick = 0; tick < 2; tick++) {
    const shown = await proj.locator(".block-clock .timer").textContent();
    await proj.waitForFunction((t) => document.querySelector(".block-clock .timer").textContent !== t, shown);
  }
  const still = await proj.evaluate(() => document.querySelector(".projector-wall").dataset.page);
  if (still !== stopped) throw new Error(`the stopped projector went from page ${stopped} to ${still} (the other: ${otherTurned})`);
  await proj.getByRole("button", { name: "Pagina's laten doorlopen" }).click();
  // The other may turn meanwhile (every 10 s): then the page to catch up with is its new one.
  let caughtUp = false;
  for (let attempt = 0; attempt < 3 && !caughtUp; attempt++) {
    const clockPage = await other.evaluate(() => document.querySelector(".projector-wall").dataset.page);
    // Three pages: a page of the clock's within these seconds is never the stopped one.
    if (clockPage === stopped) throw new Error(`the clock's page is the stopped one (${stopped}): the test needs another`);
    caughtUp = await proj.waitForFunction((p) => document.querySelector(".projector-wall").dataset.page === p, clockPage, { timeout: 4000 })
      .then(() => true, () => false);
  }
  if (!caughtUp) throw new Error(`going on, the projector did not come back to the clock's page (stopped on ${stopped})`);
  await other.close();
  // The join code beside the wall, for latecomers: the wall fits what is left.
  await control({ action: "show_code", show: true });
  await check("notes-120-code", () => !document.querySelector(".join-panel").hidden
    && document.querySelector(".join-panel svg.qr path"), null, 120);
  await control({ action: "show_code", show: false });
  await proj.locator(".join-panel").waitFor({ state: "hidden" });

  // B. Groups: 1 to 6 boards side by side, each with a few post-its more than the last.
  await agenda("next");
  await proj.getByRole("heading", { name: /^B\. Succesfactoren/ }).waitFor();
  for (let g = 1; g <= 6; g++) write(await board(1, g), 0, 4 + 2 * g, `g${g}-`);
  for (let k = 1; k <= 6; k++) {
    await control({ action: "spread_groups", count: k });
    const notes = Array.from({ length: k }, (_, g) => 4 + 2 * (g + 1)).reduce((a, b) => a + b, 0);
    await check(`groups-${k}`, ([k, notes]) => document.querySelectorAll(".projector-wall .group-board").length === k
      && document.querySelectorAll(".projector-wall .postit").length === notes, [k, notes], notes);
  }

  // Six groups again in Arabic, right to left: the boards and the indicator follow.
  await control({ action: "set_lang", lang: "ar" });
  await check("groups-6-ar", () => document.documentElement.dir === "rtl"
    && document.querySelectorAll(".projector-wall .group-board").length === 6, null, 66);
  const arabic = await proj.locator(".fit-pages").textContent();
  if (!arabic.includes("المجموعة")) throw new Error(`the indicator in Arabic reads ${arabic}`);
  await control({ action: "set_lang", lang: "nl" });
  await proj.waitForFunction(() => document.documentElement.dir === "ltr");

  // C. A process map of 30 steps in three phases.
  await agenda("next");
  await proj.getByRole("heading", { name: /^C\. Proces in kaart/ }).waitFor();
  const map = await board(2);
  map.transact(() => {
    for (const [cid, name] of [["voor", "Voorbereiding"], ["dag", "De dag zelf"], ["na", "Na afloop"]]) map.getMap("clusters").set(cid, name);
    stepTexts.forEach((text, i) => {
      map.getArray("notes").push([{ id: `s${i}`, text, author: members[i % members.length] }]);
      map.getMap("meta").set(`s${i}`, { cluster: i < 13 ? "voor" : i < 16 ? "dag" : "na" });
    });
  });
  await check("steps-30", () => document.querySelectorAll(".projector-wall .step").length === 30, null, 33);

  // D. Rollen: the map comes along; stickers from every member, and the step × role table.
  await agenda("next");
  await proj.getByRole("heading", { name: /^D\. Rollen/ }).waitFor();
  const roles = await board(3);
  await until(roles, "update", () => roles.getArray("notes").length === 30, "the map carried over");
  const kinds = ["now", "could"];
  roles.transact(() => {
    stepTexts.forEach((_, i) => {
      for (let m = 0; m < members.length; m++) {
        if ((i * m) % 4 === 3) continue;
        const role = ["bewoner", "initiatiefnemer", "ambtenaar"][(i + m) % 3];
        const kind = kinds[(i * m) % 2];
        const step = `s${i}`;
        roles.getMap("stickers").set(`${step}|${role}|${kind}|${members[m]}`, { step, role, kind, by: members[m] });
      }
    });
  });
  await check("rollen-30", () => document.querySelectorAll(".projector-wall .step").length === 30
    && document.querySelectorAll(".projector-wall .matrix tbody tr").length === 30
    && document.querySelectorAll(".projector-wall .step .sticker").length > 60, null, 63);

  if (!pagesSeen.size) throw new Error("no board needed pages: the test doesn't stress the projector");
  console.log(`paged: ${[...pagesSeen].join(", ")}`);
  for (const p of boards) p.destroy();
  if (errors.length) throw new Error(`browser errors:\n${errors.join("\n")}`);
} catch (e) {
  for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) {
    await page.screenshot({ path: `${out}/fit-failure-${i}.png` }).catch(() => {});
  }
  if (errors.length) console.error(`browser errors:\n${errors.join("\n")}`);
  throw e;
} finally {
  await browser.close();
}
process.exit(0);

// The wall's pages: every item (`items` of them) on one page from 1 to `data-pages`, those of
// the page on screen shown and no other; an indicator exactly when there is more than one.
async function pages(page, items) {
  const p = await page.evaluate(() => {
    const wall = document.querySelector(".projector-wall");
    const indicator = document.querySelector(".fit-pages");
    const all = [...wall.querySelectorAll("[data-fit-page]")];
    return {
      fitted: wall.hasAttribute("data-fit"),
      pages: Number(wall.dataset.pages),
      page: Number(wall.dataset.page),
      px: Number(wall.dataset.fitPx),
      floor: Number(wall.dataset.fitFloor),
      items: all.map((e) => ({ page: Number(e.dataset.fitPage), off: !!e.closest("[data-fit-off]") })),
      indicator: indicator && !indicator.hidden ? indicator.textContent.trim() : null,
    };
  });
  if (!p.fitted) throw new Error("the projector's wall doesn't fit itself (no data-fit)");
  const wrong = p.items.filter((i) => !(i.page >= 1 && i.page <= p.pages) || i.off !== (i.page !== p.page));
  if (p.items.length !== items) throw new Error(`${p.items.length} items on pages, expected ${items}`);
  if (wrong.length) throw new Error(`${wrong.length} items on the wrong page: ${JSON.stringify(wrong.slice(0, 5))} (page ${p.page} of ${p.pages})`);
  if (p.pages > 1 && !p.indicator) throw new Error(`${p.pages} pages without an indicator`);
  if (p.pages === 1 && p.indicator) throw new Error(`one page with an indicator: ${p.indicator}`);
  if (p.px < p.floor - 0.01) throw new Error(`the wall's text is ${p.px} px, under the floor ${p.floor} px`);
  return p;
}

// Waits (by its attribute, no sleeping) until the wall turns to another page, which it does
// every `data-rotate-ms`; the indicator follows.
async function turnPage(page) {
  const before = await page.evaluate(() => {
    const wall = document.querySelector(".projector-wall");
    return { page: wall.dataset.page, pages: Number(wall.dataset.pages), every: Number(wall.dataset.rotateMs), text: document.querySelector(".fit-pages").textContent };
  });
  if (!(before.pages > 1)) throw new Error(`only ${before.pages} page(s): nothing to turn`);
  if (!(before.every > 0 && before.every <= 30000)) throw new Error(`pages turn every ${before.every} ms`);
  await page.waitForFunction((p) => document.querySelector(".projector-wall").dataset.page !== p, before.page, { timeout: 2 * before.every + 5000 })
    .catch(() => { throw new Error(`the wall stayed on page ${before.page} of ${before.pages} for twice its ${before.every} ms`); });
  await settled(page);
  const after = await page.evaluate(() => ({ page: document.querySelector(".projector-wall").dataset.page, text: document.querySelector(".fit-pages").textContent }));
  if (after.text === before.text) throw new Error(`the indicator still says ${after.text} on page ${after.page}`);
  return `page ${before.page} → ${after.page} of ${before.pages}, every ${before.every} ms`;
}
