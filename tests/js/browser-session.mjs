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
  // This draaiboek has one role, so it is chosen for her (with more, she picks: see
  // browser-slow-phone.mjs).
  if (!(await p.getByLabel("Ambtenaar", { exact: true }).isChecked())) throw new Error("the only role is not chosen");
  await p.getByRole("button", { name: "Doe mee" }).click();
  await p.waitForURL(/\/s\/[0-9a-f]+$/);
  await p.getByText("De sessie is nog niet begonnen.").waitFor();
  await console_.locator(".members li", { hasText: "Anouk (Ambtenaar)" }).waitFor({ timeout: 15000 });
  // A second Anouk joins from another phone: the console tells the two apart.
  const second = await console_.evaluate(async (c) => (await fetch(`/api/sessions/${c}/join`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "anouk ", role: "ambtenaar" }),
  })).ok, code);
  if (!second) throw new Error("the second Anouk could not join");
  await console_.locator(".members li", { hasText: "anouk (2) (Ambtenaar)" }).waitFor();
  await console_.getByRole("button", { name: "anouk (2) verwijderen" }).waitFor();

  // Before the start, the console guides the facilitator through block A: the draaiboek's
  // words for them, what the phones are asked, and what comes next.
  const guide = console_.getByRole("region", { name: "Voor jou als begeleider" });
  await guide.getByText("Vertel met een paar slides wie jullie zijn").waitFor();
  await guide.getByText("Op de telefoons: Doe mee met de code op het scherm").waitFor();
  await guide.getByText("Hierna: B. Check-in: één woord (15 min)").waitFor();

  // Start: the phone shows block A and a running timer.
  await console_.getByRole("button", { name: "Begin de sessie" }).click();
  await p.getByRole("heading", { name: "A. Inleiding en uitleg van het programma" }).waitFor();
  const timer = await p.locator('[role="timer"]').textContent();
  if (!/^[0-5]:\d\d$/.test(timer.trim())) throw new Error(`timer shows ${timer}`);
  await p.screenshot({ path: `${out}/session-phone-block-a.png`, fullPage: true });

  // Next block: the check-in, with its instruction on the phone.
  await console_.getByRole("button", { name: "Volgende blok" }).click();
  await p.getByRole("heading", { name: "B. Check-in: één woord" }).waitFor();
  await p.getByText("Hoe voelt het proces nu voor jou? Schrijf dat op in één woord.").waitFor();
  await guide.getByText("Vraag iedereen in één woord te zeggen hoe het huidige proces voelt").waitFor();
  await guide.getByText(/^Hierna: C\. Wie heeft bij elke stap de regie\?/).waitFor();

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
  // A word of spaces is not sent silently; a word is confirmed where the phone shows it, and
  // announced.
  await p.getByLabel("Jouw woord").fill("   ");
  await p.getByRole("button", { name: "Verstuur mijn woord" }).click();
  await p.getByRole("status").filter({ hasText: "Schrijf eerst een woord." }).waitFor();
  await p.getByLabel("Jouw woord").fill("Nieuwsgierig");
  await p.getByRole("button", { name: "Verstuur mijn woord" }).click();
  await p.getByRole("status").filter({ has: p.locator(".my-word", { hasText: "Nieuwsgierig" }) }).waitFor();
  const shown = await p.locator(".word-received").boundingBox();
  const seen = await p.evaluate(() => ({ top: 0, bottom: innerHeight }));
  if (shown.y < seen.top || shown.y + shown.height > seen.bottom) {
    throw new Error(`the confirmation of the word is off the screen (${shown.y}..${shown.y + shown.height} on ${seen.bottom})`);
  }
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
