// A facilitator (laptop) and a participant (phone, 360×640) in headless Debian chromium:
// create a session from the home page, join by code, and follow the agenda live.
// Usage: node browser-session.mjs http://HOST:PORT NAME PASSWORD
import { launchChromium, outputDir } from "./events.mjs";
import { signIn } from "./session.mjs";

const base = process.argv[2];
if (!base) throw new Error("usage: node browser-session.mjs http://HOST:PORT");
const out = outputDir();
const { browser, errors, watch } = await launchChromium();
try {
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" });
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: "nl-NL", hasTouch: true, isMobile: true });

  // The facilitator goes from the home page to sign in, and creates a session of draaiboek 1.
  const console_ = watch(await laptop.newPage());
  await console_.goto(`${base}/`);
  await console_.getByRole("link", { name: "Inloggen" }).click();
  await console_.waitForURL(/\/o$/);
  await signIn(console_, base);
  await console_.getByLabel(/Leersessie voor ambtenaren/).check();
  await console_.getByRole("button", { name: "Maak de sessie aan" }).click();
  await console_.waitForURL(/\/f\/[0-9a-f]+$/);
  if (new URL(console_.url()).hash) throw new Error("the token stayed in the address bar");
  // The code appears once the console has loaded the session.
  await console_.waitForFunction(() =>
    /^[A-Z0-9]{6}$/.test(document.querySelector(".join-code")?.textContent.trim() ?? ""));
  const code = (await console_.locator(".join-code").textContent()).trim();
  await console_.getByText("De sessie is nog niet begonnen.").waitFor();

  // A mistyped code gets a plain answer in Dutch. (Not watched: Chromium logs the expected 404.)
  const mistyped = await phone.newPage();
  await mistyped.goto(`${base}/j/XXXXXX`);
  await mistyped.getByText("Er is geen sessie met deze code.").waitFor();
  await mistyped.close();
  const p = watch(await phone.newPage());

  // A phone joins with the code, typed in lower case.
  await p.goto(`${base}/`);
  await p.getByLabel("Code van de sessie").fill(code.toLowerCase());
  await p.getByRole("button", { name: "Doe mee" }).click();
  await p.waitForURL(`**/j/${code}`);
  await p.getByLabel("Je naam").fill("Anouk");
  await p.getByRole("button", { name: "Doe mee" }).click();
  await p.waitForURL(/\/s\/[0-9a-f]+$/);
  await p.getByText("De sessie is nog niet begonnen.").waitFor();
  await console_.locator(".members li", { hasText: "Anouk (Ambtenaar)" }).waitFor({ timeout: 15000 });

  // Start: the phone shows block A and a running timer.
  await console_.getByRole("button", { name: "Begin de sessie" }).click();
  await p.getByRole("heading", { name: "A. Inleiding en uitleg van het programma" }).waitFor();
  const timer = await p.locator('[role="timer"]').textContent();
  if (!/^[0-5]:\d\d$/.test(timer.trim())) throw new Error(`timer shows ${timer}`);
  await p.screenshot({ path: `${out}/session-phone-block-a.png`, fullPage: true });

  // Next block: the check-in, with its instruction on the phone.
  await console_.getByRole("button", { name: "Volgende blok" }).click();
  await p.getByRole("heading", { name: "B. Check-in: één woord" }).waitFor();
  await p.getByText("Schrijf in één woord hoe het huidige proces voor jou voelt.").waitFor();

  // The projector (same laptop, full HD): code and QR code (asked for by the facilitator, since
  // the introduction is over), and the block.
  await console_.getByRole("button", { name: "Toon de code op het scherm" }).click();
  await console_.getByRole("button", { name: "Verberg de code op het scherm" }).waitFor();
  const projector = watch(await laptop.newPage());
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.goto(`${base}${new URL(console_.url()).pathname.replace("/f/", "/p/")}`);
  await projector.locator(".projector-code", { hasText: code }).waitFor();
  await projector.locator("svg.qr path").waitFor();
  const joinUrl = await projector.locator(".join-url").textContent();
  if (!joinUrl.endsWith(`/j/${code}`) || joinUrl.includes("localhost")) throw new Error(`join URL ${joinUrl}`);
  await projector.getByRole("heading", { name: "B. Check-in: één woord" }).waitFor();
  await p.getByLabel("Jouw woord").fill("Nieuwsgierig");
  await p.getByRole("button", { name: "Verstuur mijn woord" }).click();
  await p.locator(".my-word", { hasText: "Nieuwsgierig" }).waitFor();
  await projector.screenshot({ path: `${out}/session-projector-1080p.png` });

  // Pause: every screen says so.
  await console_.getByRole("button", { name: "Pauzeer" }).click();
  await p.locator(".timer.paused").waitFor();
  await projector.locator(".timer.paused").waitFor();
  await console_.getByRole("button", { name: "Hervat" }).waitFor();
  await console_.locator("tr.current", { hasText: "Check-in" }).waitFor();

  // A reload keeps the phone in the session (its token is kept on the device).
  await p.reload();
  await p.getByRole("heading", { name: "B. Check-in: één woord" }).waitFor();

  await console_.screenshot({ path: `${out}/session-console.png`, fullPage: true });
  await p.screenshot({ path: `${out}/session-phone-block-b.png`, fullPage: true });
  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);
  console.log(`browser: session ${code} created, joined and stepped through`);
} finally {
  await browser.close();
}
