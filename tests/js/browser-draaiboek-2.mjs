// Draaiboek 2 (bewoners) run for real in headless Debian chromium: a console, a projector and
// four phones in two groups, from the introduction to the closing: success factors on group
// boards, proces in kaart written on phones and put in order by keyboard, role stickers, impact,
// and the plenary round in which the projector walks through each group's boards with a
// speaking timer everyone sees. Screenshots go to tests/output/.
// Usage: node browser-draaiboek-2.mjs http://HOST:PORT ORGANISER_SECRET
import { readFileSync } from "node:fs";
import { launchChromium, outputDir } from "./events.mjs";
import { createSession, expectOrder, heading, joinPhones, shooter, step } from "./session.mjs";

const [base] = process.argv.slice(2);
if (!base) throw new Error("usage: node browser-draaiboek-2.mjs http://HOST:PORT ORGANISER_SECRET");
const out = outputDir();
const shoot = shooter("d2", { fit: true, a11y: true });
const { browser, errors, watch } = await launchChromium();

try {
  const { fac, proj, code } = await createSession(browser, watch, base, /Leersessie voor bewoners/);
  const people = [["Eva", "Bewoner"], ["Fatima", "Initiatiefnemer"], ["Gijs", "Bewoner"], ["Hans", "Initiatiefnemer"]];
  const phones = await joinPhones(browser, watch, base, code, people);
  for (const [name] of people) await fac.locator(".members li.online", { hasText: name }).waitFor();
  const next = async () => fac.getByRole("button", { name: "Volgende blok" }).click();
  const all = { console: fac, projector: proj, phone: phones[0] };

  await fac.getByRole("button", { name: "Begin de sessie" }).click();
  await heading([proj, ...phones], "A. Inleiding en uitleg van het programma");
  await next();
  await heading([proj, ...phones], "B. Eén woord");
  await phones[0].getByLabel("Jouw woord").fill("Hoopvol");
  await phones[0].getByRole("button", { name: "Verstuur mijn woord" }).click();
  await phones[0].locator(".my-word", { hasText: "Hoopvol" }).waitFor();
  // The block's main action is above the fold of a 1280×800 console, without scrolling.
  const reveal = fac.getByRole("button", { name: "Laat alles zien" });
  const box = await reveal.boundingBox();
  const scrolled = await fac.evaluate(() => scrollY);
  if (scrolled + box.y + box.height > 800) throw new Error(`the reveal is below the fold (at ${scrolled + box.y} px)`);
  await reveal.click();
  await proj.locator(".cloud .word", { hasText: "Hoopvol" }).waitFor();

  // C.1 Success factors in two groups.
  await next();
  await heading([proj, ...phones], "C.1. Succesfactoren");
  await fac.getByLabel("Aantal groepen").fill("2");
  await fac.getByRole("button", { name: "Verdeel iedereen over groepen" }).click();
  for (const p of phones) await p.locator(".your-group strong").waitFor();
  const groups = await Promise.all(phones.map(async (p) => Number((await p.locator(".your-group strong").textContent()).trim())));
  const g1 = phones.filter((_, i) => groups[i] === 1);
  const g2 = phones.filter((_, i) => groups[i] === 2);
  if (g1.length !== 2 || g2.length !== 2) throw new Error(`groups ${groups}`);
  const post = async (p, text) => {
    await p.getByLabel("Nieuw briefje").fill(text);
    await p.getByRole("button", { name: "Plak op de muur" }).click();
    // (A step's menus name the other steps, so the first match is enough.)
    await p.locator(".postit", { hasText: text }).first().waitFor();
  };
  await post(g1[0], "Vaste vrijwilligers");
  await post(g2[0], "Een eigen ruimte");

  // C.2 Proces in kaart, on the group boards straight away.
  await next();
  await heading([proj, ...phones], "C.2. Proces in kaart brengen");
  await post(g1[0], "Plan schrijven");
  await post(g1[1], "Geld aanvragen");
  await post(g1[0], "Buurtfeest houden");
  await post(g2[1], "Buren vragen");
  await expectOrder(g1[1], ["Plan schrijven", "Geld aanvragen", "Buurtfeest houden"], "written order");
  // By keyboard: focus "later" on the first step and press Enter.
  const later = g1[1].getByRole("button", { name: "Later: Plan schrijven" });
  await later.focus();
  await g1[1].keyboard.press("Enter");
  await expectOrder(g1[0], ["Geld aanvragen", "Plan schrijven", "Buurtfeest houden"], "after a keyboard move");
  if (await step(g2[0], "Plan schrijven").count()) throw new Error("group 1's steps on group 2's phone");
  await shoot({ ...all, phone: g1[1] }, "c2-proces-in-kaart");

  // C.3 Roles: stickers on the steps carried over.
  await next();
  await heading([proj, ...phones], "C.3. Rollen en verantwoordelijkheden");
  const money = step(g1[0], "Geld aanvragen");
  await money.getByText("Sticker plakken").click();
  await money.locator('.sticker-button.now[data-role="initiatiefnemer"]').click();
  await money.locator('.sticker-button.could[data-role="bewoner"]').click();
  await proj.locator('.step .sticker.now[data-role="initiatiefnemer"]').waitFor();
  await proj.locator(".matrix tr", { hasText: "Geld aanvragen" }).locator('td[data-role="bewoner"]', { hasText: "○ 1" }).waitFor();
  await g1[0].locator(".matrix tr", { hasText: "Geld aanvragen" }).locator('td[data-role="bewoner"]', { hasText: "○ 1" }).waitFor();
  await shoot(all, "c3-rollen");
  // The phone's page never runs off sideways: at 360 px, nor at 320 (a 640 px phone at 200%).
  for (const width of [360, 320]) {
    await g1[0].setViewportSize({ width, height: 640 });
    const wide = await g1[0].evaluate(() => document.documentElement.scrollWidth);
    if (wide > width) throw new Error(`the rollen phone is ${wide} px wide on ${width}`);
  }
  await g1[0].setViewportSize({ width: 360, height: 640 });

  await next();
  await heading([proj, ...phones], "Pauze");
  // A break is a break, not "listen and join in".
  await phones[0].getByText("Het is pauze. De klok laat zien wanneer we verdergaan.").waitFor();
  await proj.locator(".projector-next", { hasText: "Hierna: D.1. Impact per activiteit" }).waitFor();
  if (await phones[0].getByText("Luister en praat mee").count()) throw new Error("the break asks phones to listen and join in");
  await next();
  await heading([proj, ...phones], "D.1. Impact per activiteit");
  await post(g1[1], "Foto's van voor en na");
  await post(g2[0], "Telling van bezoekers");

  // D.2 The plenary round: one group at a time, with its boards and its speaking time.
  await next();
  await heading([proj, ...phones], "D.2. Vertellen aan iedereen");
  await proj.locator(".plenary.waiting").waitFor();
  await fac.getByRole("button", { name: "Volgende groep" }).click();
  for (const p of [proj, ...phones]) await p.locator('.plenary[data-group="1"]', { hasText: "is aan het woord" }).waitFor();
  // Ten minutes each: twenty minutes over two groups.
  const timer = (await proj.locator(".plenary-timer").textContent()).trim();
  if (!/^(10:00|9:[0-5]\d|09:[0-5]\d)$/.test(timer)) throw new Error(`speaking timer shows ${timer}`);
  for (const text of ["Vaste vrijwilligers", "Geld aanvragen", "Foto's van voor en na"]) {
    await proj.locator(".plenary-board", { hasText: text }).first().waitFor();
  }
  await proj.locator('.plenary-board .sticker.now[data-role="initiatiefnemer"]').waitFor();
  if (await proj.locator(".plenary-board", { hasText: "Telling van bezoekers" }).count()) throw new Error("group 2's board while group 1 speaks");
  await shoot(all, "d2-plenair-groep-1");
  await fac.getByRole("button", { name: "Volgende groep" }).click();
  await proj.locator('.plenary[data-group="2"]').waitFor();
  await proj.locator(".plenary-board", { hasText: "Telling van bezoekers" }).first().waitFor();
  await proj.locator(".plenary-board", { hasText: "Buren vragen" }).first().waitFor();
  if (await proj.locator(".plenary-board", { hasText: "Geld aanvragen" }).count()) throw new Error("group 1's board while group 2 speaks");
  await shoot(all, "d2-plenair-groep-2");
  await fac.getByRole("button", { name: "Ronde stoppen" }).click();
  await proj.locator(".plenary.waiting").waitFor();

  await next();
  await heading([proj, ...phones], "D.3. Betrekken van de buurt");
  await post(phones[3], "Flyers in meer talen");
  await next();
  await heading([proj, ...phones], "F. Afsluiting");
  await next();
  for (const p of [proj, ...phones]) await p.getByText("De sessie is afgelopen.").waitFor();

  const [report] = await Promise.all([
    fac.waitForEvent("download"),
    fac.getByRole("button", { name: "Verslag (HTML)" }).click(),
  ]);
  await report.saveAs(`${out}/d2-report.html`);
  const html = readFileSync(`${out}/d2-report.html`, "utf8");
  for (const text of ["Rollen per stap", "1. Geld aanvragen", "Nu verantwoordelijk: Initiatiefnemer ×1", "Buren vragen", "Flyers in meer talen"]) {
    if (!html.includes(text)) throw new Error(`the report lacks ${text}`);
  }
  if (errors.length) throw new Error(`browser errors:\n${errors.join("\n")}`);
} finally {
  await browser.close();
}
