// What the draaiboek scripts share: a facilitator who creates a session and opens the
// projector on the same laptop, phones that join with the code, screenshots per surface, and
// ways to find and wait for the steps of a process map.
import { outputDir } from "./events.mjs";
import { audit, dutchLeft, switchLanguage } from "./a11y.mjs";

export const phoneOptions = { viewport: { width: 360, height: 640 }, locale: "nl-NL", hasTouch: true, isMobile: true };

// A screenshot of every surface, named `{prefix}-{name}-{surface}.png` in tests/output/; with
// `fit`, every projector surface must fit its screen (`fitsOnScreen`). With `a11y`, every
// surface is also audited (a11y.mjs: axe-core's WCAG 2.1 AA rules, and on phones touch targets
// and no sideways scrolling), then switched to each of `languages` (the session's language on
// the console, each phone its own; only when a console is among them), shot as
// `{prefix}-{name}-{surface}-{lang}.png`, audited again (Arabic and Turkish), searched for
// Dutch left behind, and switched back to Dutch.
export function shooter(prefix, { fit = false, a11y = false, languages = ["ar", "tr", "en"] } = {}) {
  const out = outputDir();
  const shoot = async (pages, name, suffix = "") => {
    for (const [surface, page] of Object.entries(pages)) {
      const projector = surface.startsWith("projector");
      if (projector && fit) await settled(page);
      await page.screenshot({ path: `${out}/${prefix}-${name}-${surface}${suffix}.png`, fullPage: !projector });
      if (projector && fit) await fitsOnScreen(page, `${prefix}-${name}-${surface}${suffix}`);
    }
  };
  return async (pages, name) => {
    await shoot(pages, name);
    if (!a11y) return;
    await audit(pages, `${prefix}-${name}`);
    // The session's language is set on the console: without one, Dutch only.
    if (!Object.keys(pages).some((s) => s.startsWith("console"))) return;
    for (const lang of languages) {
      await switchLanguage(pages, lang);
      await shoot(pages, name, `-${lang}`);
      // English has the shape Dutch has (left to right, shorter words than Turkish): only what
      // a language can break is checked again in it, the Dutch left on the screen.
      if (lang !== "en") await audit(pages, `${prefix}-${name} in ${lang}`);
      const left = [];
      for (const [surface, page] of Object.entries(pages)) {
        for (const d of await dutchLeft(page, lang)) left.push(`${surface}: ${d}`);
      }
      if (left.length) throw new Error(`${prefix}-${name} in ${lang}: Dutch left on the screen:\n  ${left.join("\n  ")}`);
    }
    await switchLanguage(pages, "nl");
  };
}

// Waits until the projector's wall has fitted itself to its box as it is now (app/src/fit.rs
// says so in `data-fit` and `data-fit-size`). A projector without the fitter (an older build)
// is taken as it is.
export async function settled(page) {
  await page.waitForFunction(() => {
    const wall = document.querySelector(".projector-wall");
    if (!wall || !wall.hasAttribute("data-fit")) return true;
    return wall.dataset.fit === "done" && wall.dataset.fitSize === `${wall.clientWidth}x${wall.clientHeight}`;
  }, null, { timeout: 15000 });
}

// The smallest text a projector may show: 1/60 of the screen's height, 18 px at 1080 lines
// (why: FLOOR_OF_HEIGHT in app/src/fit.rs).
export const floorPx = (height) => height / 60;

// What a projector shows wall to wall, each a box that must be on the screen whole (or, paged
// away, not shown at all).
const boxes = ".postit, .step, .matrix th, .matrix td, .cluster-name, .group-name, .cloud .word, .phase-heading, .team-member, .parked .challenge";

// A room can't scroll a projector, and can't read what is cut off or too small: the page
// doesn't scroll; every piece of text on it lies inside the screen and is at least the floor
// (the small controls in the corner aside, which are for the facilitator); every post-it,
// step, table cell and heading of the wall is on the screen whole, or on another page
// (`data-fit-off`, not shown), never just missing.
export async function fitsOnScreen(page, what) {
  const problems = await page.evaluate(([boxes, share]) => {
    const w = innerWidth, h = innerHeight, floor = h * share;
    const e = document.documentElement;
    const out = [];
    if (e.scrollWidth > w || e.scrollHeight > h) out.push(`the page scrolls (${e.scrollWidth}×${e.scrollHeight} on ${w}×${h})`);
    const main = document.querySelector("main.projector");
    if (!main) return ["no projector on the page"];
    const outside = (r) => r.left < -0.5 || r.top < -0.5 || r.right > w + 0.5 || r.bottom > h + 0.5;
    const where = (r) => `${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)}`;
    const name = (s) => JSON.stringify(s.trim().replace(/\s+/g, " ").slice(0, 40));
    const range = document.createRange();
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim() || n.parentElement.closest(".projector-tools")) continue;
      range.selectNodeContents(n);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (!rects.length) continue; // not shown: the boxes below say whether it may be hidden
      const off = rects.find(outside);
      if (off) out.push(`text ${name(n.textContent)} lies off the screen (${where(off)} on ${w}×${h})`);
      const size = parseFloat(getComputedStyle(n.parentElement).fontSize);
      if (size < floor - 0.01) out.push(`text ${name(n.textContent)} is ${size.toFixed(1)} px, under the floor of ${floor.toFixed(1)} px`);
    }
    const wall = main.querySelector(".projector-wall");
    for (const box of wall ? wall.querySelectorAll(boxes) : []) {
      const shown = box.getClientRects().length > 0;
      if (box.closest("[data-fit-off]")) {
        if (shown) out.push(`${name(box.textContent)} is paged away but shown`);
      } else if (!shown) {
        out.push(`${name(box.textContent)} is neither shown nor on another page`);
      } else if (outside(box.getBoundingClientRect())) {
        out.push(`${name(box.textContent)} is cut off (${where(box.getBoundingClientRect())} on ${w}×${h})`);
      }
    }
    return out;
  }, [boxes, 1 / 60]);
  if (problems.length) {
    const more = problems.length > 15 ? `\n  … and ${problems.length - 15} more` : "";
    throw new Error(`${what}: the projector doesn't fit its screen:\n  ${problems.slice(0, 15).join("\n  ")}${more}`);
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
