// Draaiboek 1 (ambtenaren) run for real in headless Debian chromium: a facilitator's console
// (1280×800), a projector (1920×1080) beside it, the venue's own projector computer (1280×720,
// by the projector code) and three phones (360×640), from the introduction to the
// closing: the one-word check-in with reveal, grouping and walk-through, a block on a board,
// a group block, the break, and the inzichten with clusters, edits, hiding and a lock.
// A screenshot of every surface in every werkvorm goes to tests/output/.
// Usage: node browser-draaiboek-1.mjs http://HOST:PORT ORGANISER_SECRET
import { readFileSync } from "node:fs";
import { launchChromium, outputDir } from "./events.mjs";
import { audit, dutchLeft } from "./a11y.mjs";
import { account, createSession, heading, joinPhones, shooter, signIn, step, venueProjector } from "./session.mjs";

const [base] = process.argv.slice(2);
if (!base) throw new Error("usage: node browser-draaiboek-1.mjs http://HOST:PORT NAME PASSWORD");
const out = outputDir();
const shoot = shooter("d1", { fit: true, a11y: true });
const { browser, errors, watch } = await launchChromium();

try {
  // The facilitator creates a session of draaiboek 1 and opens the projector on the same laptop.
  const { fac, proj, code, laptop } = await createSession(browser, watch, base, /Leersessie voor ambtenaren/);
  // Three phones join with the code.
  const names = ["Anouk", "Bram", "Chris"];
  const phones = await joinPhones(browser, watch, base, code, names.map((n) => [n, null]));
  const [anouk, bram, chris] = phones;
  // The console lists them, online, without a reload.
  for (const name of names) await fac.locator(".members li.online", { hasText: name }).waitFor();
  await phones[0].locator(".status.online").waitFor();

  // The venue's computer becomes the projector too, with the code; it shows the same room.
  const venue = await venueProjector(browser, watch, base, fac);
  await venue.locator(".projector-code", { hasText: code }).waitFor();
  const all = { console: fac, projector: proj, "projector-720": venue, phone: anouk };
  const next = async () => fac.getByRole("button", { name: "Volgende blok" }).click();

  // Where the session is held, for the report.
  await fac.getByLabel("Plaats van de sessie").fill("Buurthuis De Meeuw, zaal 2");
  await fac.getByLabel("Plaats van de sessie").press("Tab");

  // A. Introduction: the projector shows the code and QR code; phones only listen.
  await fac.getByRole("button", { name: "Begin de sessie" }).click();
  await heading([proj, venue, ...phones], "A. Inleiding en uitleg van het programma");
  await proj.locator(".join-panel:not([hidden]) svg.qr path").waitFor();
  await anouk.getByText("Nu schrijf je niets op.").waitFor();
  await shoot(all, "a-introductie");

  // B. Check-in: one word each, private until the reveal.
  await next();
  await heading([proj, venue, ...phones], "B. Check-in: één woord");
  // The code leaves the projector once the introduction is over.
  await proj.locator(".join-panel").waitFor({ state: "hidden" });
  await anouk.getByLabel("Jouw woord").fill("heel erg nieuwsgierig");
  await anouk.getByRole("button", { name: "Verstuur mijn woord" }).click();
  // More than one word: a friendly suggestion, nothing sent.
  await anouk.locator(".nudge .suggestion", { hasText: "nieuwsgierig" }).waitFor();
  await anouk.getByRole("button", { name: "Gebruik dit woord" }).click();
  await anouk.getByRole("button", { name: "Verstuur mijn woord" }).click();
  await anouk.locator(".my-word", { hasText: "nieuwsgierig" }).waitFor();
  // A reload keeps a half-written word (drafts live on the phone).
  await bram.getByLabel("Jouw woord").fill("Kansen");
  await bram.reload();
  await bram.getByRole("heading", { name: "B. Check-in: één woord" }).waitFor();
  if ((await bram.getByLabel("Jouw woord").inputValue()) !== "Kansen") throw new Error("the draft was lost on reload");
  await bram.getByRole("button", { name: "Verstuur mijn woord" }).click();
  await chris.getByLabel("Jouw woord").fill("kans");
  await chris.getByRole("button", { name: "Verstuur mijn woord" }).click();
  await chris.locator(".my-word", { hasText: "kans" }).waitFor();
  // The console shows who has written (not what); the projector waits.
  await fac.locator(".written-count", { hasText: "3 van 3" }).waitFor({ timeout: 15000 });
  await proj.locator(".waiting").waitFor();
  if ((await bram.content()).includes("nieuwsgierig")) throw new Error("Anouk's word reached Bram before the reveal");
  await shoot(all, "b-check-in-privé");

  await fac.getByRole("button", { name: "Laat alles zien" }).click();
  // Kansen and kans are one word: ×2; the cloud is on the projector and every phone.
  for (const p of [proj, ...phones]) {
    await p.locator('.cloud .word[data-count="2"]').waitFor();
    await p.locator(".cloud .word", { hasText: "nieuwsgierig" }).waitFor();
  }
  // The facilitator walks through the words: the projector highlights the current one.
  await fac.getByRole("button", { name: "Volgend woord" }).click();
  await proj.locator('.cloud .word.focus[data-count="2"]').waitFor();
  await fac.getByRole("button", { name: "Volgend woord" }).click();
  await proj.locator(".cloud .word.focus", { hasText: "nieuwsgierig" }).waitFor();
  // The post-its stand under the cloud; the current word's post-it stands out too.
  await proj.locator(".word-notes-wall .postit.focus", { hasText: "nieuwsgierig" }).waitFor();
  if (await proj.locator(".word-notes-wall .postit").count() !== 3) throw new Error("not every word's post-it is shown");
  // Regrouping by hand: Anouk's word joins the kans group.
  await fac.getByLabel("Hoort bij (nieuwsgierig)").selectOption({ label: "Kansen" });
  await proj.locator('.cloud .word[data-count="3"]').waitFor();
  // A word can be hidden from every screen, and brought back.
  await fac.getByRole("button", { name: "Verberg: kans", exact: true }).click();
  await proj.locator('.cloud .word[data-count="2"]').waitFor();
  await chris.locator('.cloud .word[data-count="2"]').waitFor();
  await fac.locator(".hidden-word", { hasText: "kans" }).getByRole("button", { name: "Toon weer" }).click();
  await proj.locator('.cloud .word[data-count="3"]').waitFor();
  await shoot(all, "b-check-in-onthuld");

  // C. Regie: the room maps the steps on one board and says who leads each.
  await next();
  await heading([proj, venue, ...phones], "C. Wie heeft bij elke stap de regie?");
  await anouk.getByLabel("Nieuw briefje").fill("Vergunning aanvragen");
  await anouk.getByRole("button", { name: "Plak op de muur" }).click();
  await step(proj, "Vergunning aanvragen").waitFor();
  await step(bram, "Vergunning aanvragen").waitFor();
  // A writer can take their own step back; nobody else's.
  await anouk.getByLabel("Nieuw briefje").fill("Typfuot");
  await anouk.getByRole("button", { name: "Plak op de muur" }).click();
  await step(proj, "Typfuot").waitFor();
  if (await bram.getByRole("button", { name: "Verwijder: Typfuot" }).count()) throw new Error("Bram may delete Anouk's step");
  await anouk.getByRole("button", { name: "Verwijder: Typfuot" }).click();
  await step(proj, "Typfuot").waitFor({ state: "detached" });
  await chris.getByLabel("Nieuw briefje").fill("Budget aanvragen");
  await chris.getByRole("button", { name: "Plak op de muur" }).click();
  await step(bram, "Budget aanvragen").waitFor();
  // Who leads: Bram says the municipality for the permit; the budget is unclear, with why.
  await step(bram, "Vergunning aanvragen").getByLabel("Gemeente", { exact: true }).check();
  await step(proj, "Vergunning aanvragen").locator(".regie-gemeente").waitFor();
  await step(anouk, "Budget aanvragen").getByLabel("Onduidelijk", { exact: true }).check();
  await step(anouk, "Budget aanvragen").getByLabel("Waarom onduidelijk?").fill("hangt af van het stadsdeel");
  await step(anouk, "Budget aanvragen").getByLabel("Waarom onduidelijk?").press("Enter");
  await proj.locator(".step .regie-unclear", { hasText: "hangt af van het stadsdeel" }).waitFor();
  await shoot(all, "c-regie");

  // D. Expertise, in groups: Werkmuur spreads the room over two groups.
  await next();
  await heading([proj, venue, ...phones], "D. Welke expertise is nodig?");
  await fac.getByLabel("Aantal groepen").fill("2");
  await fac.getByRole("button", { name: "Verdeel iedereen over groepen" }).click();
  await proj.locator(".group-name", { hasText: "Groep 2" }).waitFor();
  const groupOf = async (p) => Number((await p.locator(".your-group strong").textContent()).trim());
  for (const p of phones) await p.locator(".your-group strong").waitFor();
  const groups = await Promise.all(phones.map(groupOf));
  if (new Set(groups).size !== 2) throw new Error(`phones in groups ${groups}`);
  const [first, other] = [phones[0], phones[groups.findIndex((g) => g !== groups[0])]];
  // Each group carries on with the steps mapped in C.
  for (const p of [first, other]) await step(p, "Budget aanvragen").waitFor();
  const addExpertise = async (p, step, what, from, municipal) => {
    await p.getByLabel("Bij stap").selectOption({ label: step });
    await p.getByLabel("Welke expertise?").fill(what);
    await p.getByLabel("Van wie?").fill(from);
    if (municipal) await p.getByLabel("Vanuit de gemeente").check();
    await p.getByRole("button", { name: "Expertise toevoegen" }).click();
  };
  await addExpertise(first, "2. Budget aanvragen", "Kennis van subsidieregels", "Team buurtbudget", true);
  await proj.locator(".group-board .expertise-item", { hasText: "Kennis van subsidieregels" }).waitFor();
  await addExpertise(other, "1. Vergunning aanvragen", "Iemand van wijkbeheer", "", false);
  await first.locator(".expertise-item", { hasText: "Kennis van subsidieregels" }).waitFor();
  await other.locator(".expertise-item", { hasText: "Iemand van wijkbeheer" }).waitFor();
  if (await other.locator(".expertise-item", { hasText: "subsidieregels" }).count()) throw new Error("another group's expertise on a phone");
  await shoot(all, "d-expertise-groepen");
  // The projector can focus on one group.
  await fac.getByLabel("Het scherm toont").selectOption({ label: `Groep ${groups[0]}` });
  await proj.waitForFunction(() => document.querySelectorAll(".group-board").length === 1);
  await proj.locator(".group-board", { hasText: "subsidieregels" }).waitFor();
  await shoot({ projector: proj }, "d-expertise-focus");
  await fac.getByLabel("Het scherm toont").selectOption({ label: "Alle groepen" });

  // The break: nothing to write.
  await next();
  await heading([proj, venue, ...phones], "Pauze");
  await anouk.getByText("Het is pauze. De klok laat zien wanneer we verdergaan.").waitFor();
  await shoot(all, "pauze");

  // E. Communication, in the same groups.
  await next();
  await heading([proj, venue, ...phones], "E. Communicatie en samenwerking");
  await bram.getByLabel("Nieuw briefje").fill("Eén aanspreekpunt per project");
  await bram.getByRole("button", { name: "Plak op de muur" }).click();
  await proj.locator(".postit", { hasText: "Eén aanspreekpunt" }).waitFor();
  await shoot(all, "e-communicatie");

  // F. Inzichten: the prompt question on every screen; the facilitator clusters and edits.
  await next();
  await heading([proj, venue, ...phones], "F. Inzichten (voor dit stadsdeel en andere stadsdelen)");
  await proj.locator(".projector-prompt", { hasText: "buurtbudgetten" }).waitFor();
  await chris.locator(".prompt", { hasText: "buurtbudgetten" }).waitFor();
  const write = async (p, text) => {
    await p.getByLabel("Nieuw briefje").fill(text);
    await p.getByRole("button", { name: "Plak op de muur" }).click();
    await proj.locator(".postit", { hasText: text }).waitFor();
  };
  await write(anouk, "Vaste contactpersoon bij de gemeente");
  await write(bram, "Budget al vroeg bekend maken");
  // Markup in a post-it is text: no element comes of it, on any screen.
  const hostile = `Dit is een test <img src=x onerror="window.__pwned=1"><b>vet</b>`;
  await write(chris, hostile);
  for (const p of [proj, anouk]) {
    const note = p.locator(".postit", { hasText: "Dit is een test" }).first();
    await note.waitFor();
    if (!(await note.textContent()).includes("<img src=x")) throw new Error("the markup is not shown as text");
    if (await note.locator("img, b").count()) throw new Error("a post-it's text became HTML");
    if (await p.evaluate(() => window.__pwned)) throw new Error("a post-it ran script");
  }
  await fac.getByLabel("Nieuw cluster").fill("Organisatie");
  await fac.getByRole("button", { name: "Maak het cluster" }).click();
  await fac.locator(".cluster-drop input").waitFor();
  const noteRow = (text) => fac.locator(`.moderate-note[data-text*="${text}"]`);
  // Moderation as cards: each note whole, with who wrote it, and every control named with it.
  const test = noteRow("Dit is een test");
  await test.getByText("van Chris").waitFor();
  if ((await test.locator(".note-text").inputValue()) !== hostile) throw new Error("a note is cut off in moderation");
  for (const name of [`Verberg: ${hostile}`, `Verwijder: ${hostile}`]) await test.getByRole("button", { name, exact: true }).waitFor();
  await test.getByRole("combobox", { name: `Cluster van: ${hostile}`, exact: true }).waitFor();
  await noteRow("Vaste contactpersoon").getByLabel("Cluster").selectOption({ label: "Organisatie" });
  await noteRow("Budget al vroeg").getByLabel("Cluster").selectOption({ label: "Organisatie" });
  await proj.locator(".cluster", { has: proj.locator(".cluster-name", { hasText: "Organisatie" }) })
    .locator(".postit", { hasText: "Budget al vroeg" }).waitFor();
  // An edit shows everywhere; a hidden note leaves the wall.
  const edited = noteRow("Budget al vroeg").locator(".note-text");
  await edited.fill("Budget vroeg en duidelijk bekend maken");
  await edited.press("Enter");
  await proj.locator(".postit", { hasText: "Budget vroeg en duidelijk" }).waitFor();
  await noteRow("Dit is een test").getByRole("button", { name: "Verberg" }).click();
  await proj.waitForFunction(() => ![...document.querySelectorAll(".postit")].some((n) => n.textContent.includes("Dit is een test")));
  await anouk.waitForFunction(() => ![...document.querySelectorAll(".postit")].some((n) => n.textContent.includes("Dit is een test")));
  // A lock: phones may look, not write.
  await fac.getByRole("button", { name: "Zet de muur op slot" }).click();
  await anouk.locator(".locked").waitFor();
  if (await anouk.getByLabel("Nieuw briefje").count()) throw new Error("a locked board still has a composer");
  await shoot(all, "f-inzichten");

  // The language switch works on every person's surface.
  await anouk.getByRole("combobox", { name: "Taal", exact: true }).selectOption({ label: "English" });
  await anouk.getByRole("heading", { name: "F. Insights (for this district and others)" }).waitFor();
  await anouk.getByRole("combobox", { name: "Language", exact: true }).selectOption({ label: "Nederlands" });
  // The projector speaks the session's language, which the console sets.
  await fac.getByRole("combobox", { name: "Taal van de sessie" }).selectOption({ label: "English" });
  await proj.getByRole("heading", { name: "F. Insights (for this district and others)" }).waitFor();
  await fac.getByRole("combobox", { name: "Taal van de sessie" }).selectOption({ label: "Nederlands" });
  await proj.getByRole("heading", { name: "F. Inzichten (voor dit stadsdeel en andere stadsdelen)" }).waitFor();
  await fac.getByRole("combobox", { name: "Taal", exact: true }).selectOption({ label: "English" });
  await fac.getByRole("button", { name: "Next block" }).waitFor();
  await fac.getByRole("combobox", { name: "Language", exact: true }).selectOption({ label: "Nederlands" });

  // G. Closing, then the end.
  await next();
  await heading([proj, venue, ...phones], "G. Afsluiting");
  await shoot(all, "g-afsluiting");
  await next();
  for (const p of [proj, ...phones]) await p.getByText("De sessie is afgelopen.").waitFor();

  // Afterwards the facilitator downloads the report and the spreadsheet from the console.
  const [report] = await Promise.all([
    fac.waitForEvent("download"),
    fac.getByRole("button", { name: "Verslag (HTML)" }).click(),
  ]);
  if (report.suggestedFilename() !== `werkmuur-${code}-report.html`) throw new Error(`report named ${report.suggestedFilename()}`);
  await report.saveAs(`${out}/d1-report.html`);
  const html = readFileSync(`${out}/d1-report.html`, "utf8");
  for (const text of ["Check-in: één woord", "Organisatie", "Budget vroeg en duidelijk bekend maken", "Anouk", "<svg", "Plaats: Buurthuis De Meeuw, zaal 2", "Datum en tijd: "]) {
    if (!html.includes(text)) throw new Error(`the report lacks ${text}`);
  }
  if (html.includes("Dit is een test")) throw new Error("a hidden note is in the report");
  const reportPage = await laptop.newPage();
  await reportPage.goto(`file://${out}/d1-report.html`);
  await reportPage.pdf({ path: `${out}/d1-report.pdf` });
  await reportPage.close();
  const [sheet] = await Promise.all([
    fac.waitForEvent("download"),
    fac.getByRole("button", { name: "Briefjes (spreadsheet)" }).click(),
  ]);
  await sheet.saveAs(`${out}/d1-notes.csv`);
  const bytes = readFileSync(`${out}/d1-notes.csv`);
  if (bytes[0] !== 0xef || bytes[1] !== 0xbb || bytes[2] !== 0xbf) throw new Error("the CSV has no BOM");
  const rows = bytes.toString("utf8").trim().split("\r\n");
  if (!rows[0].includes("blok;titel;")) throw new Error(`CSV header ${rows[0]}`);
  if (!rows.some((r) => r.includes("Kennis van subsidieregels"))) throw new Error("the CSV lacks a group's note");

  // A picture of block C's board, as PNG for a presentation.
  await fac.getByText("Plaatjes van de muren").click();
  const [picture] = await Promise.all([
    fac.waitForEvent("download"),
    fac.locator('button[data-export="board-2.png"]').click(),
  ]);
  await picture.saveAs(`${out}/d1-board-c.png`);
  const png = readFileSync(`${out}/d1-board-c.png`);
  if (png.subarray(1, 4).toString() !== "PNG") throw new Error("the board picture is not a PNG");

  // An organiser, on another computer, signs in (a wrong password first), finds the session
  // and downloads the report for Word. (Not watched: Chromium logs the expected 401s.)
  const organiser = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "nl-NL" })).newPage();
  await organiser.goto(`${base}/o`);
  await organiser.getByLabel("Naam of e-mailadres").fill(account.name);
  await organiser.getByLabel("Wachtwoord").fill("niet het wachtwoord");
  await organiser.getByRole("button", { name: "Inloggen" }).click();
  await organiser.getByRole("alert").filter({ hasText: "Die naam en dat wachtwoord horen niet bij elkaar." }).waitFor();
  if (await organiser.getByLabel("Wachtwoord").inputValue()) throw new Error("a wrong password stays in its field");
  await signIn(organiser, base);
  await organiser.getByRole("heading", { name: "Sessies" }).waitFor();
  const row = organiser.locator(`.session-row[data-code="${code}"]`);
  await row.waitFor();
  await shoot({ organiser }, "organisator");
  // The signed-in page with its sessions, in Arabic and Turkish: every row follows.
  for (const lang of ["ar", "tr", "nl"]) {
    await organiser.locator(".lang-switch").selectOption(lang);
    await organiser.waitForFunction((l) => document.documentElement.lang === l, lang);
    await audit({ organiser }, `organisator in ${lang}`);
    const left = lang === "nl" ? [] : await dutchLeft(organiser, lang);
    if (left.length) throw new Error(`organisator in ${lang}: Dutch left on the screen:\n  ${left.join("\n  ")}`);
    if (lang !== "nl") await organiser.screenshot({ path: `${outputDir()}/d1-organisator-${lang}.png`, fullPage: true });
  }
  const [odt] = await Promise.all([
    organiser.waitForEvent("download"),
    row.getByRole("button", { name: "Verslag (LibreOffice, Word)" }).click(),
  ]);
  await odt.saveAs(`${out}/d1-report.odt`);
  const zip = readFileSync(`${out}/d1-report.odt`);
  if (zip.subarray(0, 2).toString() !== "PK" || !zip.includes("application/vnd.oasis.opendocument.text")) {
    throw new Error("the organiser's download is not an OpenDocument file");
  }

  if (errors.length) throw new Error(`browser reported errors:\n${errors.join("\n")}`);

  // The facilitator's link reached the wrong hands: a new one, and the old one stops at once.
  // (After the error check: the screens on the old link are disconnected, on purpose.)
  const sessionId = new URL(fac.url()).pathname.split("/")[2];
  const oldToken = await fac.evaluate((id) => localStorage.getItem(`werkmuur.token.${id}`), sessionId);
  if (!oldToken) throw new Error("the console keeps its token on the device");
  const oldProjectorCode = (await fac.locator(".projector-pair-code").textContent()).trim();
  let asked = "";
  fac.once("dialog", (d) => { asked = d.message(); d.accept(); });
  await fac.getByRole("button", { name: "Maak een nieuwe link" }).click();
  await fac.getByText("Nieuwe link gemaakt").waitFor();
  // The projector's code goes with the link: the question says so, and so does the console.
  if (!asked.includes("De projector krijgt ook een nieuwe code")) throw new Error(`the question was: ${asked}`);
  await fac.getByText("Een projector met de oude code heeft de nieuwe code nodig").waitFor();
  const newProjectorCode = (await fac.locator(".projector-pair-code").textContent()).trim();
  if (!newProjectorCode || newProjectorCode === oldProjectorCode) throw new Error(`the projector code is still ${oldProjectorCode}`);
  const link = await fac.locator("#new-link").inputValue();
  const newToken = link.split("#")[1];
  if (!link.includes(`/f/${sessionId}#`) || !newToken || newToken === oldToken) throw new Error(`new link ${link}`);
  if (fac.url().includes("#")) throw new Error("the token stays out of the address bar");
  await fac.locator(".join-code", { hasText: code }).waitFor();
  const status = (token) =>
    fac.evaluate(async ([id, t]) => (await fetch(`/api/sessions/${id}`, { headers: { Authorization: `Bearer ${t}` } })).status, [sessionId, token]);
  if ((await status(oldToken)) !== 401) throw new Error("the old link still works");
  if ((await status(newToken)) !== 200) throw new Error("the new link doesn't work");
  await shoot({ console: fac }, "nieuwe-link");

  // Chris asks to be taken out: the facilitator removes him, and his name leaves the console.
  fac.once("dialog", (d) => d.accept());
  await fac.getByRole("button", { name: "Chris verwijderen" }).click();
  await fac.locator(".members li", { hasText: "Chris" }).waitFor({ state: "detached" });
  await fac.locator(".members li", { hasText: "Anouk" }).waitFor();

  // The facilitator ends the session: the console says so and how long the data is kept, and
  // the join code admits no one any more.
  await fac.getByText("We bewaren namen en teksten tot 90 dagen na het einde van de sessie").waitFor();
  fac.once("dialog", (d) => d.accept());
  await fac.getByRole("button", { name: "Sessie beëindigen" }).click();
  await fac.getByText("Deze sessie is afgelopen.").waitFor();
  const joinStatus = await fac.evaluate(async (c) => (await fetch(`/api/join/${c}`)).status, code);
  if (joinStatus !== 410) throw new Error(`the join code still answers ${joinStatus} after the end`);
  await shoot({ console: fac }, "beeindigd");

  // The organiser deletes it: the row goes, and the session with it.
  await organiser.reload();
  await row.waitFor();
  organiser.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Sessie verwijderen" }).click();
  await row.waitFor({ state: "detached" });
  if ((await status(newToken)) !== 401) throw new Error("the deleted session still answers its facilitator");
  console.log(`browser: draaiboek 1 run from start to end in session ${code}`);
} catch (e) {
  // What every page showed when it went wrong, to see why.
  for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) {
    await page.screenshot({ path: `${out}/d1-failure-${i}.png`, fullPage: true }).catch(() => {});
  }
  if (errors.length) console.error(`browser errors:\n${errors.join("\n")}`);
  throw e;
} finally {
  await browser.close();
}
