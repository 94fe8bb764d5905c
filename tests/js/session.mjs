// What the draaiboek scripts share: a facilitator who creates a session and opens the
// projector on the same laptop, phones that join with the code, screenshots per surface, and
// ways to find and wait for the steps of a process map.
import { outputDir } from "./events.mjs";

export const phoneOptions = { viewport: { width: 360, height: 640 }, locale: "nl-NL", hasTouch: true, isMobile: true };

// A screenshot of every surface, named `{prefix}-{name}-{surface}.png` in tests/output/; with
// `fit`, every projector surface must fit its screen (draaiboeken 2 and 3 don't yet: the
// rollen table runs off the projector, issue 18).
export function shooter(prefix, { fit = false } = {}) {
  const out = outputDir();
  return async (pages, name) => {
    for (const [surface, page] of Object.entries(pages)) {
      const projector = surface.startsWith("projector");
      await page.screenshot({ path: `${out}/${prefix}-${name}-${surface}.png`, fullPage: !projector });
      if (projector && fit) await fitsOnScreen(page, `${prefix}-${name}-${surface}`);
    }
  };
}

// A room can't scroll a projector: everything it shows fits its screen.
export async function fitsOnScreen(page, what) {
  const size = await page.evaluate(() => {
    const e = document.documentElement;
    return { sw: e.scrollWidth, sh: e.scrollHeight, w: innerWidth, h: innerHeight };
  });
  if (size.sw > size.w || size.sh > size.h) {
    throw new Error(`${what}: the projector needs scrolling (${size.sw}×${size.sh} on ${size.w}×${size.h})`);
  }
}

// The venue's computer (1280×720, not the facilitator's laptop) opens the projector address,
// is told it has no access yet, and becomes the projector with the code the console shows.
export async function venueProjector(browser, watch, base, fac) {
  const id = new URL(fac.url()).pathname.split("/")[2];
  const pairCode = fac.locator(".projector-pair-code");
  await pairCode.waitFor();
  const typed = (await pairCode.textContent()).trim().toLowerCase().replace("-", " ");
  const venue = watch(await (await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: "nl-NL" })).newPage());
  await venue.goto(`${base}/p/${id}`);
  await venue.getByRole("alert").filter({ hasText: "Dit scherm heeft nog geen toegang" }).waitFor();
  await venue.getByRole("link", { name: "Projectorcode invullen" }).click();
  await venue.getByLabel("Projectorcode").fill(typed);
  await venue.screenshot({ path: `${outputDir()}/projector-code-page.png`, fullPage: true });
  await venue.getByRole("button", { name: "Toon de sessie" }).click();
  await venue.waitForURL(`${base}/p/${id}`);
  return venue;
}

export async function heading(pages, name) {
  for (const p of pages) await p.getByRole("heading", { name }).waitFor();
}

// The account the test server has (name and password), given to each script after the base URL.
export const account = { name: process.argv[3], password: process.argv[4] };

// Signs in at /o with `account`, as an organiser does on a laptop.
export async function signIn(page, base, { name, password } = account) {
  if (!name || !password) throw new Error("usage: node SCRIPT http://HOST:PORT NAME PASSWORD");
  await page.goto(`${base}/o`);
  await page.getByLabel("Naam of e-mailadres").fill(name);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.getByText(`Ingelogd als ${name}`).waitFor();
}

// The console (1280×800) signs in, creates a session of the draaiboek whose label matches, and
// the projector (1920×1080) opens beside it.
export async function createSession(browser, watch, base, draaiboek) {
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" });
  const fac = watch(await laptop.newPage());
  await signIn(fac, base);
  await fac.getByLabel(draaiboek).check();
  await fac.getByRole("button", { name: "Maak de sessie aan" }).click();
  await fac.waitForURL(/\/f\/[0-9a-f]+$/);
  await fac.waitForFunction(() => /^[A-Z0-9]{6}$/.test(document.querySelector(".join-code")?.textContent.trim() ?? ""));
  const code = (await fac.locator(".join-code").textContent()).trim();
  const proj = watch(await laptop.newPage());
  await proj.setViewportSize({ width: 1920, height: 1080 });
  await proj.goto(`${base}${new URL(fac.url()).pathname.replace("/f/", "/p/")}`);
  await proj.locator(".projector-code", { hasText: code }).waitFor();
  return { fac, proj, code, laptop };
}

// Phones (360×640, touch) join with the code: `people` are [name, role label or null].
export async function joinPhones(browser, watch, base, code, people) {
  const phones = [];
  for (const [name, role] of people) {
    const ctx = await browser.newContext(phoneOptions);
    const p = watch(await ctx.newPage());
    await p.goto(`${base}/j/${code}`);
    await p.getByLabel("Je naam").fill(name);
    // Nobody gets a role they didn't pick: without one named, the first is chosen by hand.
    if (role) await p.getByLabel(role, { exact: true }).check();
    else await p.locator('input[name="role"]').first().check();
    await p.getByRole("button", { name: "Doe mee" }).click();
    await p.waitForURL(/\/s\/[0-9a-f]+$/);
    await p.getByText("De sessie is nog niet begonnen.").waitFor();
    phones.push(p);
  }
  return phones;
}

// A step of a process map by its own text (not the texts in its menus).
export const step = (page, text) => page.locator(".step", { has: page.locator(".step-text", { hasText: text }) });

// Waits until the page's steps read `expected`, in order.
export async function expectOrder(page, expected, what) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll(".step .step-text")].map((e) => e.textContent)) === JSON.stringify(want),
    expected,
  ).catch(async () => {
    throw new Error(`${what}: expected ${expected.join(" | ")}, got ${(await page.locator(".step .step-text").allTextContents()).join(" | ")}`);
  });
}
