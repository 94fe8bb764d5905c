// Draaiboek 1 in a full room: twenty phones (360×640) join, write a check-in word and two
// inzichten each, on a projector beside the console (1920×1080) and the venue's own computer
// (1280×720, paired by the projector code). At every block both projectors must fit their
// screen (nothing scrolls, nothing is cut off, no text under the floor), and every block's
// screens are saved in tests/output/ (twintig-*).
// Usage: node browser-twintig.mjs http://HOST:PORT NAME PASSWORD
import { launchChromium } from "./events.mjs";
import { createSession, heading, joinPhones, shooter, venueProjector } from "./session.mjs";

const [base] = process.argv.slice(2);
if (!base) throw new Error("usage: node browser-twintig.mjs http://HOST:PORT NAME PASSWORD");
const shoot = shooter("twintig", { fit: true });
const { browser, errors, watch } = await launchChromium();

const NAMES = ["Anouk", "Bram", "Chris", "Dewi", "Esra", "Fatima", "Gijs", "Hanna", "Ilse", "Jamal",
  "Kees", "Latifa", "Mo", "Noor", "Omar", "Petra", "Quinten", "Rachida", "Sem", "Tamara"];
const WORDS = ["nieuwsgierig", "kansen", "moe", "hoopvol", "kans", "benieuwd", "onzeker", "blij", "trots",
  "gespannen", "kansrijk", "open", "nieuwsgierig", "druk", "samen", "hoop", "vertrouwen", "twijfel", "energie", "rustig"];
const BLOCKS = ["A. Inleiding en uitleg van het programma", "B. Check-in: één woord",
  "C. Wie heeft bij elke stap de regie?", "D. Welke expertise is nodig?", "Pauze",
  "E. Communicatie en samenwerking", "F. Inzichten (voor dit stadsdeel en andere stadsdelen)", "G. Afsluiting"];

try {
  const { fac, proj, code } = await createSession(browser, watch, base, /Leersessie voor ambtenaren/);
  const phones = await joinPhones(browser, watch, base, code, NAMES.map((n) => [n, null]));
  await fac.locator(".members li.online").nth(NAMES.length - 1).waitFor();
  const venue = await venueProjector(browser, watch, base, fac);
  const screens = { console: fac, projector: proj, "projector-720": venue, phone: phones[0] };
  const next = () => fac.getByRole("button", { name: "Volgende blok" }).click();
  const slug = (title) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

  await fac.getByRole("button", { name: "Begin de sessie" }).click();
  for (const [i, title] of BLOCKS.entries()) {
    if (i > 0) await next();
    await heading([proj, venue, ...phones], title);
    if (title.startsWith("B.")) {
      // Twenty words, all revealed at once.
      for (const [j, p] of phones.entries()) {
        await p.getByLabel("Jouw woord").fill(WORDS[j]);
        await p.getByRole("button", { name: "Verstuur mijn woord" }).click();
      }
      for (const [j, p] of phones.entries()) await p.locator(".my-word", { hasText: WORDS[j] }).waitFor();
      await fac.getByRole("button", { name: "Laat alles zien" }).click();
      await proj.locator(".cloud .word", { hasText: "nieuwsgierig" }).waitFor();
    }
    if (title.startsWith("D.")) {
      await fac.getByLabel("Aantal groepen").fill("4");
      await fac.getByRole("button", { name: "Verdeel iedereen over groepen" }).click();
      for (const p of phones) await p.locator(".your-group strong").waitFor();
    }
    if (title.startsWith("F.")) {
      // Two inzichten from every phone: forty on the wall.
      for (const [j, p] of phones.entries()) {
        for (const k of [1, 2]) {
          await p.getByLabel("Nieuw briefje").fill(`Inzicht ${k} van ${NAMES[j]}: vaker samen de buurt in`);
          await p.getByRole("button", { name: "Plak op de muur" }).click();
        }
      }
      for (const name of NAMES) {
        for (const k of [1, 2]) await fac.locator(`.moderate-note[data-text^="Inzicht ${k} van ${name}:"]`).waitFor();
      }
    }
    await shoot(screens, slug(title));
    // A phone at 200% zoom (320 CSS px) never runs off sideways: timer, cards and all.
    const zoomed = phones[1];
    await zoomed.setViewportSize({ width: 320, height: 568 });
    const wide = await zoomed.evaluate(() => document.documentElement.scrollWidth);
    if (wide > 320) throw new Error(`${title}: a phone at 320 px is ${wide} px wide`);
    await zoomed.setViewportSize({ width: 360, height: 640 });
  }
  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);
  console.log(`browser: draaiboek 1 with ${phones.length} phones; both projectors fit at every block`);
} finally {
  await browser.close();
}
