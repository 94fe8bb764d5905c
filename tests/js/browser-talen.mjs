// Turkish and Arabic in headless Debian chromium: a Dutch console sets the session's language to
// Arabic and the projector follows, right to left; an Arabic phone (the browser's language) and
// a Turkish phone join and write their check-in words in their own languages; a phone's own
// choice is remembered, by the app and by the server's join screen.
// Usage: node browser-talen.mjs http://HOST:PORT
import { launchChromium, outputDir } from "./events.mjs";
import { createSession } from "./session.mjs";
import { audit, dutchLeft } from "./a11y.mjs";

const base = process.argv[2];
if (!base) throw new Error("usage: node browser-talen.mjs http://HOST:PORT");
const out = outputDir();
const { browser, errors, watch } = await launchChromium();

const pageLang = (page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
async function expectLang(page, want, what) {
  await page.waitForFunction((w) => document.documentElement.lang === w[0] && document.documentElement.dir === w[1], want)
    .catch(async () => { throw new Error(`${what}: expected ${want}, got ${await pageLang(page)}`); });
}
// No sideways scrolling on a phone.
async function fits(page, what) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (scroll > width) throw new Error(`${what}: ${scroll} px wide in a ${width} px screen`);
}
const phone = (locale) => ({ viewport: { width: 360, height: 640 }, locale, hasTouch: true, isMobile: true });

try {
  const { fac, proj, code } = await createSession(browser, watch, base, /Leersessie voor ambtenaren/);

  // The console (a Dutch laptop) sets the session's language; the projector follows at once,
  // the console itself stays in its own language.
  await fac.getByRole("heading", { name: "Taal van de sessie" }).waitFor();
  await fac.locator(".session-lang-switch").selectOption("ar");
  await expectLang(proj, ["ar", "rtl"], "the projector");
  await proj.getByText("رمز الانضمام", { exact: true }).waitFor();
  await expectLang(fac, ["nl", "ltr"], "the console");

  // An Arabic phone: the join screen the server draws is Arabic and right to left before the
  // bundle runs, and stays so after.
  const ar = watch(await (await browser.newContext(phone("ar-MA"))).newPage());
  const first = await ar.request.get(`${base}/j/${code}`, { headers: { "Accept-Language": "ar-MA,ar;q=0.9" } });
  const html = await first.text();
  if (!html.includes('<html lang="ar" dir="rtl"') || !html.includes("اسمك")) throw new Error("the join screen's HTML is not Arabic");
  await ar.goto(`${base}/j/${code}`);
  await expectLang(ar, ["ar", "rtl"], "the Arabic phone");
  await ar.getByLabel("اسمك").fill("فاطمة");
  await ar.locator('input[name="role"]').first().check();
  await ar.getByRole("button", { name: "انضمام" }).click();
  await ar.waitForURL(/\/s\/[0-9a-f]+$/);
  await ar.getByText("لم تبدأ الجلسة بعد.").waitFor();

  // A phone whose browser speaks German and Turkish: Turkish, the first Werkmuur speaks.
  const trCtx = await browser.newContext({ ...phone("de-DE"), extraHTTPHeaders: { "Accept-Language": "de-DE,tr;q=0.9" } });
  const tr = watch(await trCtx.newPage());
  await tr.addInitScript(() => Object.defineProperty(navigator, "languages", { get: () => ["de-DE", "tr-TR"] }));
  await tr.goto(`${base}/j/${code}`);
  await expectLang(tr, ["tr", "ltr"], "the Turkish phone");
  await tr.getByLabel("Adınız").fill("Ayşe");
  await tr.locator('input[name="role"]').first().check();
  await tr.getByRole("button", { name: "Katıl" }).click();
  await tr.waitForURL(/\/s\/[0-9a-f]+$/);
  await tr.getByText("Oturum henüz başlamadı.").waitFor();

  // The check-in, each in their own language.
  await fac.getByRole("button", { name: "Begin de sessie" }).click();
  await fac.getByRole("button", { name: "Volgende blok" }).click();
  await ar.getByRole("heading", { name: "B. البداية: كلمة واحدة" }).waitFor();
  await ar.getByText("كيف تشعر تجاه المسار الحالي؟ اكتب كلمة واحدة.").waitFor();
  await tr.getByRole("heading", { name: "B. Açılış: tek kelime" }).waitFor();
  await proj.getByRole("heading", { name: "B. البداية: كلمة واحدة" }).waitFor();
  await ar.getByLabel("كلمتك").fill("أَمَل");
  await ar.getByRole("button", { name: "إرسال كلمتي" }).click();
  await ar.locator(".my-word", { hasText: "أَمَل" }).waitFor();
  await tr.getByLabel("Kelimeniz").fill("İstanbul");
  await tr.getByRole("button", { name: "Kelimemi gönder" }).click();
  await tr.locator(".my-word", { hasText: "İstanbul" }).waitFor();
  await fits(ar, "the Arabic phone");
  await ar.screenshot({ path: `${out}/talen-phone-ar-checkin.png`, fullPage: true });
  await tr.screenshot({ path: `${out}/talen-phone-tr-checkin.png`, fullPage: true });

  // The reveal: the projector's words, each as written (an Arabic word right to left inside
  // it, a Turkish one left to right).
  await fac.getByRole("button", { name: "Laat alles zien" }).click();
  await proj.locator(".cloud .word", { hasText: "أَمَل" }).waitFor();
  await proj.locator(".cloud .word", { hasText: "İstanbul" }).waitFor();
  const dirs = await proj.$$eval(".postit", (ns) => ns.map((n) => [n.textContent.trim(), getComputedStyle(n).direction]));
  for (const [text, dir] of dirs) {
    const want = /[\u0600-\u06ff]/.test(text) ? "rtl" : "ltr";
    if (dir !== want) throw new Error(`the post-it "${text}" runs ${dir}`);
  }
  await proj.screenshot({ path: `${out}/talen-projector-ar.png` });

  // A person's own choice is remembered: the Turkish phone picks Arabic, and after a reload
  // the app and the server's join screen (by the cookie) both speak it.
  await tr.locator(".lang-switch").selectOption("ar");
  await expectLang(tr, ["ar", "rtl"], "the phone after its choice");
  await tr.reload();
  await expectLang(tr, ["ar", "rtl"], "the phone after a reload");
  const again = await tr.request.get(`${base}/j/${code}`);
  if (!(await again.text()).includes('<html lang="ar" dir="rtl"')) throw new Error("the server forgot the phone's choice");
  const names = await tr.$$eval(".lang-switch option", (os) => os.map((o) => o.textContent.trim()));
  if (names.join("|") !== "Nederlands|English|Türkçe|العربية") throw new Error(`the menu lists ${names}`);
  await fits(tr, "the phone in Arabic");
  await tr.screenshot({ path: `${out}/talen-phone-ar-revealed.png`, fullPage: true });

  // The pages people arrive on, in every language: the home page, the join screen, the
  // organisers' page and the accessibility statement. Each is in the chosen language and its
  // direction, with no Dutch left, and passes the audit; the statement is linked from home.
  const visitor = watch(await (await browser.newContext(phone("nl-NL"))).newPage());
  const surfaces = [["home", "/"], ["join", `/j/${code}`], ["organisers", "/o"]];
  for (const [what, path] of surfaces) {
    await visitor.goto(`${base}${path}`);
    for (const lang of ["en", "tr", "ar", "nl"]) {
      await visitor.locator(".lang-switch").selectOption(lang);
      await expectLang(visitor, [lang, lang === "ar" ? "rtl" : "ltr"], `${what} in ${lang}`);
      await audit({ phone: visitor }, `${what} in ${lang}`);
      if (lang !== "nl") {
        const left = await dutchLeft(visitor, lang);
        if (left.length) throw new Error(`${what} in ${lang}: Dutch left on the screen:\n  ${left.join("\n  ")}`);
      }
      await visitor.screenshot({ path: `${out}/talen-${what}-${lang}.png`, fullPage: true });
    }
  }
  await visitor.goto(`${base}/`);
  await visitor.getByRole("link", { name: "Toegankelijkheid" }).click();
  await visitor.waitForURL(`${base}/toegankelijkheid`);
  await visitor.getByRole("heading", { level: 1, name: "Toegankelijkheidsverklaring" }).waitFor();
  for (const [lang, name, title] of [["en", "English", "Accessibility statement"], ["tr", "Türkçe", "Erişilebilirlik beyanı"], ["ar", "العربية", "بيان إمكانية الوصول"]]) {
    await visitor.getByRole("link", { name, exact: true }).click();
    await expectLang(visitor, [lang, lang === "ar" ? "rtl" : "ltr"], `the statement in ${lang}`);
    await visitor.getByRole("heading", { level: 1, name: title }).waitFor();
    await audit({ phone: visitor }, `the statement in ${lang}`);
    await visitor.screenshot({ path: `${out}/talen-toegankelijkheid-${lang}.png`, fullPage: true });
  }

  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);
  console.log(`browser: session ${code} in Arabic on the projector, an Arabic and a Turkish phone`);
} finally {
  await browser.close();
}
