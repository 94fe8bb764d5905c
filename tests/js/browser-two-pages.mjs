// Two phone-sized pages of the real app in headless Debian chromium: a post-it added in one
// shows in the other. Screenshots go to tests/output/.
// Usage: node browser-two-pages.mjs http://HOST:PORT
import { launchChromium, outputDir } from "./events.mjs";

const base = process.argv[2];
if (!base) throw new Error("usage: node browser-two-pages.mjs http://HOST:PORT");
const out = outputDir();
const { browser, errors, watch } = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: "nl-NL" });
  const open = async () => watch(await context.newPage());

  // The home page leads to a wall.
  const a = await open();
  await a.goto(`${base}/`);
  const room = `browser-${process.pid}`;
  await a.getByLabel("Naam van de muur").fill(room);
  await a.getByRole("button", { name: "Open de muur" }).click();
  await a.waitForURL(`**/r/${room}`);
  await a.locator('[role="status"][data-status="Online"]').waitFor();

  const b = await open();
  await b.goto(`${base}/r/${room}`);
  await b.locator('[role="status"][data-status="Online"]').waitFor();

  await a.getByLabel("Nieuw briefje").fill("Vertrouwen in elkaar");
  await a.getByRole("button", { name: "Plak op de muur" }).click();
  await b.locator(".postit", { hasText: "Vertrouwen in elkaar" }).waitFor();

  // And back the other way, with the keyboard.
  await b.getByLabel("Nieuw briefje").fill("Samen beginnen");
  await b.getByLabel("Nieuw briefje").press("Tab");
  await b.keyboard.press("Enter");
  await a.locator(".postit", { hasText: "Samen beginnen" }).waitFor();

  // An unsent draft survives a reload.
  await b.getByLabel("Nieuw briefje").fill("Nog niet verstuurd");
  await b.reload();
  await b.locator('[role="status"][data-status="Online"]').waitFor();
  const draft = await b.getByLabel("Nieuw briefje").inputValue();
  if (draft !== "Nog niet verstuurd") throw new Error(`draft after reload: ${JSON.stringify(draft)}`);
  await b.getByLabel("Nieuw briefje").fill("");

  // An empty post-it says so instead of doing nothing; a long one is not cut off unseen: it
  // counts down near the limit, says how much too long it is, and isn't sent until it fits.
  await b.getByLabel("Nieuw briefje").fill("   ");
  await b.getByRole("button", { name: "Plak op de muur" }).click();
  await b.getByRole("status").filter({ hasText: "Je briefje is nog leeg." }).waitFor();
  await b.getByLabel("Nieuw briefje").fill("x".repeat(250));
  await b.locator("#note-counter", { hasText: "Nog 30 tekens" }).waitFor();
  const long = "Een briefje dat te lang is. ".repeat(11) + "Eind";
  await b.getByLabel("Nieuw briefje").fill(long);
  if ((await b.getByLabel("Nieuw briefje").inputValue()) !== long) throw new Error("a long paste is cut off in the field");
  await b.locator("#note-counter.over", { hasText: `${long.length - 280} tekens te veel` }).waitFor();
  await b.getByRole("button", { name: "Plak op de muur" }).click();
  await b.getByLabel("Nieuw briefje").fill(long.slice(0, 280));
  await b.getByRole("button", { name: "Plak op de muur" }).click();
  await a.locator(".postit", { hasText: long.slice(0, 40) }).waitFor();
  await b.locator(".postit", { hasText: long.slice(0, 40) }).waitFor();
  const sent = await b.locator(".postit", { hasText: long.slice(0, 40) }).count();
  if (sent !== 1) throw new Error(`the over-long post-it was sent too (${sent} on the wall)`);

  // The language switch changes every label.
  await a.getByRole("combobox", { name: "Taal", exact: true }).selectOption({ label: "English" });
  await a.getByLabel("New post-it").waitFor();

  await a.screenshot({ path: `${out}/wall-phone-a.png`, fullPage: true });
  await b.screenshot({ path: `${out}/wall-phone-b.png`, fullPage: true });
  const big = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await big.goto(`${base}/r/${room}`);
  await big.locator(".postit", { hasText: "Samen beginnen" }).waitFor();
  await big.screenshot({ path: `${out}/wall-1080p.png` });

  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);
  console.log("browser: post-its crossed between two pages");
} finally {
  await browser.close();
}
