// Accessibility checks for the browser scripts: axe-core's WCAG 2.1 A and AA rules, touch
// targets of at least 44×44 CSS px on phones, and no sideways scrolling. Each throws with every
// problem it found, named by the page it was found on.
import { readFileSync } from "node:fs";

const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

// The rule sets of WCAG 2.1 AA, as axe-core tags them.
const wcag21aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// Runs axe-core on the page as it is now. `page.evaluate` runs outside the page's own
// Content-Security-Policy, so the audit needs no change to the server's headers.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      rule: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ").slice(0, 240)}`),
    }));
  }, wcag21aa);
}

// Every interactive element on the page that is smaller than 44×44 CSS px. A checkbox or radio
// counts with its label (tapping either works); a link inside running text is exempt, as WCAG's
// target-size criteria allow.
export async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    const interactive = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])";
    for (const el of document.querySelectorAll(interactive)) {
      if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
      if (el.disabled) continue;
      if (el.matches("a") && el.closest("p, li") && !el.closest("nav")) {
        const text = el.closest("p, li").textContent.trim();
        if (text.length > el.textContent.trim().length + 10) continue;
      }
      let r = el.getBoundingClientRect();
      const label = el.matches("input[type=checkbox], input[type=radio]") ? el.closest("label") ?? (el.id && document.querySelector(`label[for="${el.id}"]`)) : null;
      if (label) r = label.getBoundingClientRect();
      if (r.width < 43.5 || r.height < 43.5) {
        const name = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("name") || el.tagName).trim().replace(/\s+/g, " ").slice(0, 40);
        out.push(`${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""} "${name}" is ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  });
}

export async function sideways(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  return scroll > width ? [`the page is ${scroll} px wide in a ${width} px screen`] : [];
}

// axe-core on every page given ({surface: page}); on phones (a surface named phone…) also the
// touch targets and no sideways scrolling.
export async function audit(pages, what) {
  const problems = [];
  for (const [surface, page] of Object.entries(pages)) {
    for (const v of await axeViolations(page)) problems.push(`${surface}: ${v.rule} (${v.help})\n      ${v.nodes.join("\n      ")}`);
    if (surface.startsWith("phone")) {
      for (const s of await smallTargets(page)) problems.push(`${surface}: touch target ${s}`);
      for (const s of await sideways(page)) problems.push(`${surface}: ${s}`);
    }
  }
  if (problems.length) throw new Error(`${what}: accessibility problems:\n  ${problems.join("\n  ")}`);
}

// The translated strings (tests/it/strings.rs writes them and names the file in
// WERKMUUR_STRINGS): records {nl, en, tr, ar}, each with the languages it has.
let records;
function strings() {
  if (!records) {
    const file = process.env.WERKMUUR_STRINGS;
    if (!file) throw new Error("WERKMUUR_STRINGS names no file (the Rust test harness sets it)");
    records = JSON.parse(readFileSync(file, "utf8"));
  }
  return records;
}

// What gives Dutch away on a screen in `lang`: every Dutch string that has a translation into
// `lang` (a text without one may fall back to Dutch, as a draaiboek's facilitator texts do),
// and the longer literal pieces of those with placeholders; never one that `lang` itself uses.
function dutchMarkers(lang) {
  const own = new Set(strings().flatMap((r) => (r[lang] ? [r[lang].trim()] : [])));
  const exact = new Set();
  const pieces = new Set();
  for (const r of strings()) {
    if (!r[lang] || r[lang] === r.nl) continue;
    if (!r.nl.includes("{")) {
      if (!own.has(r.nl.trim())) exact.add(r.nl.trim());
      continue;
    }
    for (const piece of r.nl.split(/\{[a-z_]+\}/)) {
      const p = piece.trim().replace(/^[\s:;,.()"“”'–-]+|[\s:;,.()"“”'–-]+$/g, "");
      if (p.includes(" ") && p.length >= 6 && ![...own].some((o) => o.includes(p))) pieces.add(p);
    }
  }
  return { exact: [...exact], pieces: [...pieces] };
}

// Dutch left on a page that should be in `lang`: visible text and the names and hints of
// controls (aria-label, placeholder, title, alt).
export async function dutchLeft(page, lang) {
  const markers = dutchMarkers(lang);
  return page.evaluate(({ exact, pieces }) => {
    const exactSet = new Set(exact);
    const found = [];
    const check = (s, where) => {
      const text = s.trim().replace(/\s+/g, " ");
      if (!text) return;
      if (exactSet.has(text)) found.push(`${where} "${text}"`);
      else {
        const piece = pieces.find((p) => text.includes(p));
        if (piece) found.push(`${where} "${text.slice(0, 80)}" (Dutch: "${piece}")`);
      }
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest("option, script, style, [hidden]") || !el.checkVisibility()) continue;
      check(n.textContent, "text");
    }
    for (const el of document.querySelectorAll("[aria-label], [placeholder], [title], img[alt]")) {
      for (const a of ["aria-label", "placeholder", "title", "alt"]) if (el.hasAttribute(a)) check(el.getAttribute(a), a);
    }
    return [...new Set(found)];
  }, markers);
}

// Every surface in `lang`: the console's own language and the session's language (which the
// projectors follow) are set on the console, each phone sets its own; returns when every page
// says it is in `lang`.
export async function switchLanguage(pages, lang) {
  for (const [surface, page] of Object.entries(pages)) {
    if (surface.startsWith("console")) {
      await page.locator(".session-lang-switch").selectOption(lang);
      await page.locator(".lang-switch").selectOption(lang);
    } else if (surface.startsWith("phone")) {
      await page.locator(".lang-switch").first().selectOption(lang);
    }
  }
  for (const [surface, page] of Object.entries(pages)) {
    // Arabic right to left, every other language left to right, from the page's root down.
    const dir = lang === "ar" ? "rtl" : "ltr";
    await page.waitForFunction(([l, d]) => document.documentElement.lang === l && document.documentElement.dir === d
      && getComputedStyle(document.querySelector("main") || document.body).direction === d, [lang, dir], { timeout: 15000 })
      .catch(() => { throw new Error(`${surface} did not switch to ${lang} (${dir})`); });
  }
}
