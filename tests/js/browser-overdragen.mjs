// An organiser hands a session over to a facilitator, who then runs it from her own account
// at /o, without the link; the organiser's old console closes. Phone (360×640) and console
// (1280×800) screenshots of /o.
// Usage: node browser-overdragen.mjs http://HOST:PORT ORGANISER PASSWORD FACILITATOR PASSWORD
import { launchChromium, outputDir } from "./events.mjs";
import { phoneOptions, signIn } from "./session.mjs";

const [base, , , name, password] = process.argv.slice(2);
if (!name || !password) throw new Error("usage: node browser-overdragen.mjs URL ORGANISER PASSWORD FACILITATOR PASSWORD");
const out = outputDir();
const { browser, errors, watch } = await launchChromium();
try {
  // The organiser starts a session: its console opens, on the facilitator link.
  // (Its console is not watched: it is closed on purpose, and Chromium logs the refusals.)
  const org = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" })).newPage();
  await signIn(org, base);
  await org.getByLabel(/Leersessie voor ambtenaren/).check();
  await org.getByRole("button", { name: "Maak de sessie aan" }).click();
  await org.waitForURL(/\/f\/[0-9a-f]+$/);
  const id = new URL(org.url()).pathname.split("/")[2];
  await org.waitForFunction(() => /^[A-Z0-9]{6}$/.test(document.querySelector(".join-code")?.textContent.trim() ?? ""));
  const code = (await org.locator(".join-code").textContent()).trim();

  // In another tab at /o, the organiser picks Fatima from the accounts and hands it over.
  const list = watch(await org.context().newPage());
  await list.goto(`${base}/o`);
  const row = list.locator(`.session-row[data-code="${code}"]`);
  await row.getByText("Begeleider: organisator").waitFor();
  await row.getByText("Overdragen aan een collega").click();
  const to = row.getByLabel("Accountnaam van je collega");
  // A name no account has: refused in Dutch (the server's own reason is English), and nothing
  // changes. Chromium logs the 422 as an error; that one, and only that, is expected.
  await to.fill("niemand");
  const before = errors.length;
  list.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Overdragen", exact: true }).press("Enter");
  await list.getByRole("alert").filter({ hasText: "Er is geen account met die naam." }).waitFor();
  const expected = errors.splice(before);
  if (expected.some((e) => !e.includes("422"))) throw new Error(`unexpected errors: ${expected}`);
  await row.getByText("Begeleider: organisator").waitFor();
  await to.fill(name);
  const offered = await list.locator("#account-names option").evaluateAll((os) => os.map((o) => o.value));
  if (!offered.includes(name)) throw new Error(`the organiser is not offered ${name}: ${offered}`);
  await list.screenshot({ path: `${out}/overdragen-organisator-console.png`, fullPage: true });
  list.once("dialog", (d) => {
    if (!d.message().includes(`overdragen aan ${name}`)) throw new Error(`confirm says: ${d.message()}`);
    d.accept();
  });
  // By keyboard (a click could land on the browser's suggestion list under the field).
  await row.getByRole("button", { name: "Overdragen", exact: true }).press("Enter");
  await list.getByRole("status").filter({ hasText: `Overgedragen aan ${name}.` }).waitFor();
  await row.getByText(`Begeleider: ${name}`).waitFor();

  // The organiser's console, on the old link, is out.
  const status = (token) =>
    org.evaluate(async ([s, t]) => (await fetch(`/api/sessions/${s}`, { headers: { Authorization: `Bearer ${t}` } })).status, [id, token]);
  const oldToken = await org.evaluate((s) => localStorage.getItem(`werkmuur.token.${s}`), id);
  if ((await status(oldToken)) !== 401) throw new Error("the old link still opens the console");

  // Fatima, on her phone, signs in: the session is in her list, and her console opens from it.
  const fatima = watch(await (await browser.newContext(phoneOptions)).newPage());
  await signIn(fatima, base, { name, password });
  const hers = fatima.locator(`.session-row[data-code="${code}"]`);
  await hers.getByText(`Begeleider: ${name}`).waitFor();
  const width = await fatima.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) throw new Error(`/o runs off a 360 px phone: ${width} px wide`);
  await fatima.screenshot({ path: `${out}/overdragen-begeleider-phone.png`, fullPage: true });
  // Her list offers no accounts: that list is for organisers.
  if (await fatima.locator("#account-names option").count()) throw new Error("a facilitator sees every account");
  await hers.getByRole("button", { name: "Bedieningsscherm openen" }).click();
  await fatima.waitForURL(`${base}/f/${id}`);
  await fatima.locator(".join-code", { hasText: code }).waitFor();
  await fatima.getByRole("button", { name: "Begin de sessie" }).click();
  await fatima.getByRole("button", { name: "Pauzeer" }).waitFor();

  await fatima.screenshot({ path: `${out}/overdragen-console-phone.png`, fullPage: true });
  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);
  console.log(`browser: session ${code} handed over to ${name}, who runs it from her account`);
} finally {
  await browser.close();
}
