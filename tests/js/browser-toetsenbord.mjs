// A whole session by keyboard alone, in headless Debian chromium: the facilitator signs in,
// starts a session and runs every block from the console; a phone joins, writes its word and a
// post-it, and has the question read aloud; the console reveals, hides a post-it, locks the
// wall and ends the session. Every step is reached with Tab (and arrows in a radio group), and
// at every stop the focus must be visible, on something shown, in a page without a positive
// tabindex. The screen-reader announcements (a block's last minute, a reveal) are checked, and
// what `prefers-reduced-motion` and forced colours change.
// Usage: node browser-toetsenbord.mjs http://HOST:PORT NAME PASSWORD
import { launchChromium, outputDir } from "./events.mjs";
import { account, phoneOptions } from "./session.mjs";
import { audit } from "./a11y.mjs";

const base = process.argv[2];
if (!base) throw new Error("usage: node browser-toetsenbord.mjs http://HOST:PORT NAME PASSWORD");
const out = outputDir();
const { browser, errors, watch } = await launchChromium();

// A short draaiboek of one-minute blocks (each in its last minute from the start), one of each
// kind the keyboard has to drive: an introduction, a private check-in, post-its, a closing.
const draaiboek = `
id = "toetsenbord"
title = { nl = "Toetsenbordsessie" }
doelgroep = { nl = "Iedereen die zonder muis werkt." }
doel = { nl = "Een hele sessie met alleen het toetsenbord." }
voorbereiding = { nl = "Niets." }
[[roles]]
id = "bewoner"
name = { nl = "Bewoner" }
colour = "#e07b00"
[[blocks]]
letter = "A"
title = { nl = "Welkom" }
minutes = 1
werkvorm = "introductie"
instructions.participants = { nl = "Doe mee met de code." }
[[blocks]]
letter = "B"
title = { nl = "Eén woord" }
minutes = 1
werkvorm = "check-in"
instructions.participants = { nl = "Schrijf één woord over je buurt." }
[[blocks]]
letter = "C"
title = { nl = "Ideeën" }
minutes = 1
werkvorm = "post-its"
prompt = { nl = "Wat maakt je buurt mooier?" }
instructions.participants = { nl = "Schrijf een idee op een briefje." }
[[blocks]]
letter = "D"
title = { nl = "Afsluiting" }
minutes = 1
werkvorm = "afsluiting"
instructions.participants = { nl = "Bedankt!" }
`;

// Presses Tab (or Shift+Tab) until one of `target`'s elements has the focus. Every element the
// focus stops on must be shown and show that it has the focus: an outline of at least 2 px (the
// stylesheet's ring; a shadow alone doesn't count, post-its have one anyway).
async function tabTo(page, target, what, { max = 150, back = false } = {}) {
  await target.first().waitFor();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { none: true };
      const s = getComputedStyle(el);
      const ring = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
      const name = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("name") || el.id || "").trim().replace(/\s+/g, " ").slice(0, 50);
      return { shown: el.getClientRects().length > 0, ring, what: `${el.tagName.toLowerCase()} "${name}"` };
    });
    if (stop.none) continue;
    if (!stop.shown) throw new Error(`${what}: the focus stopped on ${stop.what}, which is not shown`);
    if (!stop.ring) throw new Error(`${what}: the focus on ${stop.what} is not visible`);
    if (await target.evaluateAll((els) => els.includes(document.activeElement))) return;
  }
  throw new Error(`${what}: not reached with Tab in ${max} presses`);
}

// In a radio group, the arrows choose: down until `label` is checked.
async function arrowTo(page, radio, what) {
  for (let i = 0; i < 10 && !(await radio.isChecked()); i++) await page.keyboard.press("ArrowDown");
  if (!(await radio.isChecked())) throw new Error(`${what}: not chosen with the arrows`);
}

async function noPositiveTabindex(page, what) {
  const bad = await page.evaluate(() => [...document.querySelectorAll("[tabindex]")].filter((e) => e.tabIndex > 0).map((e) => e.outerHTML.slice(0, 80)));
  if (bad.length) throw new Error(`${what}: a positive tabindex changes the focus order: ${bad.join(", ")}`);
}

const status = (page, text) => page.locator('[role="status"]', { hasText: text }).first().waitFor({ state: "attached" });

try {
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" });
  const fac = watch(await laptop.newPage());

  // Signing in, by keyboard.
  await fac.goto(`${base}/o`);
  await tabTo(fac, fac.getByLabel("Naam of e-mailadres"), "the name field");
  await fac.keyboard.type(account.name);
  await tabTo(fac, fac.getByLabel("Wachtwoord"), "the password field");
  await fac.keyboard.type(account.password);
  await fac.keyboard.press("Enter");
  await fac.getByText(`Ingelogd als ${account.name}`).waitFor();

  // The short draaiboek is uploaded (the planner is #17's; this is the API it will use).
  const uploaded = await fac.evaluate(async (body) => {
    const r = await fetch("/api/draaiboeken", { method: "POST", body });
    return { status: r.status, text: await r.text() };
  }, draaiboek);
  if (uploaded.status !== 201) throw new Error(`the draaiboek upload answered ${uploaded.status}: ${uploaded.text}`);
  await fac.reload();
  await fac.getByText(`Ingelogd als ${account.name}`).waitFor();

  // Choosing it and starting a session.
  await tabTo(fac, fac.locator('input[type="radio"]'), "the draaiboek choice");
  await arrowTo(fac, fac.getByLabel(/Toetsenbordsessie/), "the short draaiboek");
  await tabTo(fac, fac.getByRole("button", { name: "Maak de sessie aan" }), "the start button");
  await fac.keyboard.press("Enter");
  await fac.waitForURL(/\/f\/[0-9a-f]+$/);
  await fac.waitForFunction(() => /^[A-Z0-9]{6}$/.test(document.querySelector(".join-code")?.textContent.trim() ?? ""));
  const code = (await fac.locator(".join-code").textContent()).trim();
  await noPositiveTabindex(fac, "the console");

  // The projector beside it (it is only looked at).
  const proj = watch(await laptop.newPage());
  await proj.setViewportSize({ width: 1920, height: 1080 });
  await proj.goto(`${base}${new URL(fac.url()).pathname.replace("/f/", "/p/")}`);
  await proj.locator(".projector-code", { hasText: code }).waitFor();

  // A phone with a keyboard (a switch or a Bluetooth keyboard works the same way) joins.
  const phoneCtx = await browser.newContext(phoneOptions);
  const phone = watch(await phoneCtx.newPage());
  // The read-aloud goes to the browser's own speech. Headless chromium has no voices, so the
  // test stands in for it: it takes what it is given and says it has finished at once.
  await phone.addInitScript(() => {
    window.__spoken = [];
    if (!window.speechSynthesis) return;
    window.speechSynthesis.speak = (u) => {
      window.__spoken.push({ text: u.text, lang: u.lang });
      setTimeout(() => u.onend && u.onend(new Event("end")), 0);
    };
  });
  await phone.goto(`${base}/j/${code}`);
  await tabTo(phone, phone.getByLabel("Je naam"), "the phone's name field");
  await phone.keyboard.type("Kim");
  // The only role is chosen already; Enter sends the form.
  await phone.keyboard.press("Enter");
  await phone.waitForURL(/\/s\/[0-9a-f]+$/);
  await phone.getByText("De sessie is nog niet begonnen.").waitFor();
  await noPositiveTabindex(phone, "the phone");

  // A. The start: a one-minute block is in its last minute at once, and the phone says so to
  // a screen reader.
  await fac.bringToFront();
  await tabTo(fac, fac.getByRole("button", { name: "Begin de sessie" }), "Begin de sessie");
  await fac.keyboard.press("Enter");
  await phone.getByRole("heading", { name: "A. Welkom" }).waitFor();
  await status(phone, "Nog één minuut voor A. Welkom.");
  await status(proj, "Nog één minuut voor A. Welkom.");

  // The question read aloud, in the phone's language.
  await tabTo(phone, phone.getByRole("button", { name: "Lees voor" }), "Lees voor");
  await phone.keyboard.press("Enter");
  await phone.waitForFunction(() => window.__spoken.length > 0);
  const spoken = await phone.evaluate(() => window.__spoken.at(-1));
  if (spoken.lang !== "nl" || !spoken.text.includes("Doe mee met de code.")) throw new Error(`read aloud: ${JSON.stringify(spoken)}`);
  // This draaiboek is Dutch only: on a Turkish phone its text is marked and read as Dutch.
  await phone.locator(".lang-switch").first().selectOption("tr");
  await phone.locator('.instruction p[lang="nl"]', { hasText: "Doe mee met de code." }).waitFor();
  const heard = await phone.evaluate(() => window.__spoken.length);
  // The first reading has ended: the button offers to read again (not to stop).
  await phone.getByRole("button", { name: "Sesli oku", exact: true }).click();
  await phone.waitForFunction((n) => window.__spoken.length > n, heard);
  const inTurkish = await phone.evaluate(() => window.__spoken.at(-1));
  if (inTurkish.lang !== "nl") throw new Error(`a Dutch text on a Turkish phone is read as ${inTurkish.lang}`);
  await phone.locator(".lang-switch").first().selectOption("nl");
  await phone.getByRole("button", { name: "Lees voor" }).waitFor();

  // B. The check-in: the word by keyboard, then the reveal, announced on the phone.
  const next = async (heading) => {
    await tabTo(fac, fac.getByRole("button", { name: "Volgende blok" }), "Volgende blok");
    await fac.keyboard.press("Enter");
    await phone.getByRole("heading", { name: heading }).waitFor();
  };
  await next("B. Eén woord");
  await tabTo(phone, phone.getByLabel("Jouw woord"), "the word field");
  await phone.keyboard.type("Gezellig");
  await phone.keyboard.press("Enter");
  await phone.locator(".my-word", { hasText: "Gezellig" }).waitFor();
  await tabTo(fac, fac.getByRole("button", { name: "Laat alles zien" }), "Laat alles zien");
  await fac.keyboard.press("Enter");
  await proj.locator(".cloud .word", { hasText: "Gezellig" }).waitFor();
  await status(phone, "Iedereen ziet nu wat er is geschreven.");
  await audit({ console: fac, projector: proj, phone }, "toetsenbord-b");

  // C. Post-its: one written by keyboard; the console hides it, then locks the wall.
  await next("C. Ideeën");
  await tabTo(phone, phone.getByLabel("Nieuw briefje"), "the post-it field");
  await phone.keyboard.type("Meer bankjes op het plein");
  await tabTo(phone, phone.getByRole("button", { name: "Plak op de muur" }), "Plak op de muur");
  await phone.keyboard.press("Enter");
  await proj.locator(".postit", { hasText: "Meer bankjes" }).waitFor();
  await phone.screenshot({ path: `${out}/toetsenbord-phone-c.png`, fullPage: true });
  await tabTo(fac, fac.getByRole("button", { name: "Verberg: Meer bankjes op het plein" }), "hiding the post-it");
  await fac.keyboard.press("Enter");
  await proj.locator(".postit", { hasText: "Meer bankjes" }).waitFor({ state: "detached" });
  await tabTo(fac, fac.getByRole("button", { name: "Zet de muur op slot" }), "the lock");
  await fac.keyboard.press("Enter");
  await phone.locator(".locked").waitFor();
  await fac.screenshot({ path: `${out}/toetsenbord-console-c.png`, fullPage: true });

  // D. The closing, and the end of the session (its confirmation is the browser's own dialog).
  await next("D. Afsluiting");
  fac.once("dialog", (d) => d.accept());
  await tabTo(fac, fac.getByRole("button", { name: "Sessie beëindigen" }), "Sessie beëindigen");
  await fac.keyboard.press("Enter");
  await fac.getByText("Deze sessie is afgelopen.").waitFor();

  // Less motion asked for: nothing animates or glides. Forced colours: the post-its and
  // stickers keep an outline, and the focus ring takes the system's colour.
  await proj.emulateMedia({ reducedMotion: "reduce" });
  const moving = await proj.evaluate(() => [...document.querySelectorAll("*")].filter((e) => {
    const s = getComputedStyle(e);
    return s.animationName !== "none" || parseFloat(s.transitionDuration) > 0;
  }).length);
  if (moving) throw new Error(`${moving} elements still move with reduced motion`);
  const contrast = watch(await (await browser.newContext({ ...phoneOptions, forcedColors: "active" })).newPage());
  await contrast.goto(`${base}/r/kleurtest`);
  await contrast.getByLabel("Nieuw briefje").fill("Zichtbaar in elk thema");
  await contrast.getByRole("button", { name: "Plak op de muur" }).click();
  const note = contrast.locator(".postit", { hasText: "Zichtbaar in elk thema" });
  await note.waitFor();
  const border = await note.evaluate((e) => getComputedStyle(e).borderTopStyle);
  if (border === "none") throw new Error("in forced colours a post-it has no outline");
  await contrast.screenshot({ path: `${out}/toetsenbord-forced-colours.png`, fullPage: true });

  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);
  console.log(`browser: session ${code} run by keyboard alone`);
} catch (e) {
  for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) {
    await page.screenshot({ path: `${out}/toetsenbord-failure-${i}.png`, fullPage: true }).catch(() => {});
  }
  if (errors.length) console.error(`browser errors:\n${errors.join("\n")}`);
  throw e;
} finally {
  await browser.close();
}
