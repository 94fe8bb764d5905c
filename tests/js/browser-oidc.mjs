// An organiser signs in through the organisation's identity provider in headless Debian
// chromium: `/o` offers "Inloggen via je organisatie", the provider's own login page (another
// site: `localhost`, Werkmuur is on 127.0.0.1) takes the name, and back at `/o` they start a
// session. Screenshots of `/o` with the button on a laptop (1280×800) and a phone (360×640).
// Usage: node browser-oidc.mjs http://HOST:PORT LOGIN
import { launchChromium, outputDir } from "./events.mjs";
import { phoneOptions } from "./session.mjs";

const [base, login] = process.argv.slice(2);
if (!base || !login) throw new Error("usage: node browser-oidc.mjs http://HOST:PORT LOGIN");
const out = outputDir();
const { browser, errors, watch } = await launchChromium();
try {
  const button = (page) => page.getByRole("link", { name: "Inloggen via je organisatie" });

  // A phone sees the button too, and the refusal of a sign-in that went wrong.
  const phone = await browser.newContext(phoneOptions);
  const p = watch(await phone.newPage());
  await p.goto(`${base}/o`);
  await button(p).waitFor();
  await p.screenshot({ path: `${out}/oidc-sign-in-phone.png` });
  await p.goto(`${base}/o?oidc=expired`);
  await p.getByText("Die inlogpoging is verlopen of al gebruikt. Probeer het opnieuw.").waitFor();
  await p.screenshot({ path: `${out}/oidc-refused-phone.png` });

  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" });
  // Watched while it shows Werkmuur: the provider's development pages ask for resources this
  // closed network doesn't have (web fonts, a favicon), which is no concern of ours.
  const page = await laptop.newPage();
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && m.location().url.startsWith(base)) {
      errors.push(`console: ${m.text()} (${m.location().url})`);
    }
  });
  await page.goto(`${base}/o`);
  await button(page).waitFor();
  await page.screenshot({ path: `${out}/oidc-sign-in-laptop.png` });

  // To the provider's page, another site, and back.
  await button(page).click();
  await page.waitForURL(/^http:\/\/localhost:\d+\/interaction\//);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("wat-dan-ook");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.waitForURL(`${base}/o`);
  await page.getByText(`Ingelogd als ${login}`).waitFor();

  // Signed in: a session starts, as after a password.
  await page.getByLabel(/Leersessie voor ambtenaren/).check();
  await page.getByRole("button", { name: "Maak de sessie aan" }).click();
  await page.waitForURL(/\/f\/[0-9a-f]+$/);
  await page.waitForFunction(() =>
    /^[A-Z0-9]{6}$/.test(document.querySelector(".join-code")?.textContent.trim() ?? ""));
  // And back at /o the session is there; the provider's button is gone.
  await page.goto(`${base}/o`);
  await page.getByText(`Ingelogd als ${login}`).waitFor();
  if (await button(page).count()) throw new Error("the provider's button shows while signed in");

  if (errors.length) throw new Error(`errors in the pages:\n${errors.join("\n")}`);
  console.log("signed in through the provider and started a session");
} finally {
  await browser.close();
}
