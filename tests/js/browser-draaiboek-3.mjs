// Draaiboek 3 (bewoners en ambtenaren) run for real in headless Debian chromium: a console
// (1280×800), a projector (1920×1080) and four phones (360×640): two residents and two civil
// servants, in two pairs and then two groups. It covers the 1-op-1 with question cards and
// summaries, proces in kaart written privately then arranged together (buttons, phases, drag,
// a municipal step, a merge), role stickers with the step × role table, challenges attached
// and parked, and the dreamteam; then the report. Screenshots go to tests/output/.
// Usage: node browser-draaiboek-3.mjs http://HOST:PORT ORGANISER_SECRET
import { readFileSync } from "node:fs";
import { launchChromium, outputDir } from "./events.mjs";
import { createSession, expectOrder, heading, joinPhones, shooter, step } from "./session.mjs";

const [base] = process.argv.slice(2);
if (!base) throw new Error("usage: node browser-draaiboek-3.mjs http://HOST:PORT ORGANISER_SECRET");
const out = outputDir();
const shoot = shooter("d3", { fit: true, a11y: true });
const { browser, errors, watch } = await launchChromium();
const stepTexts = (page) => page.locator(".step .step-text").allTextContents();

try {
  const { fac, proj, code } = await createSession(browser, watch, base, /Leersessie met bewoners en ambtenaren/);
  // Two residents and two civil servants join from their phones.
  const people = [["Anouk", "Bewoner"], ["Bram", "Initiatiefnemer"], ["Chris", "Ambtenaar"], ["Dewi", "Ambtenaar"]];
  const phones = await joinPhones(browser, watch, base, code, people);
  const [anouk, bram, chris, dewi] = phones;
  for (const [name] of people) await fac.locator(".members li.online", { hasText: name }).waitFor();
  const all = { console: fac, projector: proj, phone: anouk };
  const next = async () => fac.getByRole("button", { name: "Volgende blok" }).click();

  // Before the session: the pairs for the 1-op-1, each civil servant with a resident.
  await fac.getByRole("button", { name: "Maak koppels" }).click();
  await fac.locator(".pair", { hasText: "Koppel 1" }).waitFor();
  await fac.locator(".pair", { hasText: "Koppel 2" }).waitFor();
  for (const pair of await fac.locator(".pair").allTextContents()) {
    const civil = ["Chris", "Dewi"].filter((n) => pair.includes(n)).length;
    if (civil !== 1) throw new Error(`a pair without exactly one civil servant: ${pair}`);
  }
  // A person's pair menu offers the two pairs, and a third only as empty so far.
  const offered = await fac.getByLabel("Koppel Anouk", { exact: true }).locator("option").allTextContents();
  if (offered.join() !== "Geen koppel,Koppel 1,Koppel 2,Koppel 3 (nog leeg)") throw new Error(`the pair menu offers ${offered}`);
  const pairOf = (name) => fac.locator(".pair", { hasText: name }).getAttribute("data-pair");
  const anoukPair = await pairOf("Anouk");
  await fac.locator(`#pair-name-${anoukPair}`).fill("Moestuin Noord");
  await fac.locator(`#pair-name-${anoukPair}`).press("Tab");

  await fac.getByRole("button", { name: "Begin de sessie" }).click();
  await heading([proj, ...phones], "A. Inleiding en uitleg van het programma");
  // Only the panels the block needs: no groups in the introduction (they start in C.1).
  const panel = (name) => fac.getByRole("heading", { name, exact: true });
  if (await panel("Groepen").count()) throw new Error("the console shows groups in the introduction");

  // B. 1-op-1: each phone shows its partner, the project and the question cards.
  await next();
  await heading([proj, ...phones], "B. 1-op-1-gesprek tussen een buurtproject en een ambtenaar");
  const partnerOfAnouk = (await anouk.locator(".partner").textContent()).trim();
  if (!["Chris", "Dewi"].includes(partnerOfAnouk)) throw new Error(`Anouk talks with ${partnerOfAnouk}`);
  const partner = partnerOfAnouk === "Chris" ? chris : dewi;
  await partner.locator(".partner", { hasText: "Anouk" }).waitFor();
  await anouk.locator(".pair-about", { hasText: "Moestuin Noord" }).waitFor();
  if (await anouk.locator(".question-card").count() < 3) throw new Error("the question cards are missing");
  await anouk.getByLabel("Wat hebben jullie besproken?").fill("Succes is als de buurt zelf blijft oogsten.");
  await anouk.getByRole("button", { name: "Bewaar samenvatting" }).click();
  await partner.locator(".summary", { hasText: "zelf blijft oogsten" }).waitFor();
  await partner.getByLabel("Wat hebben jullie besproken?").fill("Voor mij: minder regels, meer vertrouwen.");
  await partner.getByRole("button", { name: "Bewaar samenvatting" }).click();
  await fac.locator(`.pair-progress[data-pair="${anoukPair}"]`, { hasText: "2/2" }).waitFor();
  // The other pair doesn't see this pair's summaries.
  const otherPair = [bram, chris, dewi].find((p) => p !== partner);
  await otherPair.locator(".partner").waitFor();
  if (await otherPair.locator(".summary", { hasText: "oogsten" }).count()) throw new Error("another pair's summary on a phone");
  // The room's screen names what each pair talks about, shows the questions, and keeps the
  // pairs' summaries to themselves.
  await proj.locator(".pair-project", { hasText: `Koppel ${anoukPair}: Moestuin Noord` }).waitFor();
  await proj.locator(".question-card").first().waitFor();
  await shoot({ ...all, "phone-partner": partner }, "b-een-op-een");
  if (await proj.getByText("oogsten").count()) throw new Error("a pair's summary on the projector");

  // C.1 Round tables: two groups, each with residents and civil servants.
  await next();
  await heading([proj, ...phones], "C.1. Succes invullen");
  await panel("Groepen").waitFor();
  if (await panel("Koppels voor de 1-op-1").count()) throw new Error("the console shows pairs after the 1-op-1");
  await fac.getByLabel("Aantal groepen").fill("2");
  await fac.getByRole("button", { name: "Verdeel iedereen over groepen" }).click();
  for (const p of phones) await p.locator(".your-group strong").waitFor();
  const groupOf = async (p) => Number((await p.locator(".your-group strong").textContent()).trim());
  const groups = await Promise.all(phones.map(groupOf));
  const g1 = phones.filter((_, i) => groups[i] === groups[0]);
  const g2 = phones.filter((_, i) => groups[i] !== groups[0]);
  if (g1.length !== 2 || g2.length !== 2) throw new Error(`groups ${groups}`);
  const [a, b] = g1; // the first group's two phones
  const civilIn = (list) => list.filter((p) => p === chris || p === dewi);
  if (civilIn(g1).length !== 1) throw new Error("the groups don't mix residents and civil servants");
  const civilA = civilIn(g1)[0];
  const residentA = g1.find((p) => p !== civilA);
  await a.getByLabel("Nieuw briefje").fill("Een groene straat");
  await a.getByRole("button", { name: "Plak op de muur" }).click();
  await b.locator(".postit", { hasText: "Een groene straat" }).waitFor();
  await shoot(all, "c1-succes");

  // C.2 Proces in kaart: first everyone writes steps privately.
  await next();
  await heading([proj, ...phones], "C.2. Proces in kaart brengen");
  const write = async (p, text) => {
    await p.getByLabel("Nieuw briefje").fill(text);
    await p.getByRole("button", { name: "Plak op de muur" }).click();
    await p.locator(".postit", { hasText: text }).waitFor();
  };
  await write(residentA, "Idee bedenken");
  await write(residentA, "Buurt betrekken");
  await write(civilA, "Subsidie aanvragen");
  await write(civilA, "Idee uitwerken");
  await write(g2[0], "Plan maken");
  await write(g2[1], "Uitvoeren");
  await proj.locator(".waiting").waitFor();
  if ((await b.content()).includes(a === residentA ? "Idee bedenken" : "Subsidie aanvragen")) {
    throw new Error("a private step reached another phone before the reveal");
  }
  await fac.getByRole("button", { name: "Laat alles zien" }).click();
  // After the reveal the group arranges its steps together, on phones.
  for (const p of g1) await step(p, "Subsidie aanvragen").waitFor();
  if (await step(g2[0], "Idee bedenken").count()) throw new Error("group 1's steps on group 2's phone");
  await expectOrder(residentA, ["Idee bedenken", "Buurt betrekken", "Subsidie aanvragen", "Idee uitwerken"], "revealed order");
  // Buttons: "Idee uitwerken" one place earlier, twice.
  await residentA.getByRole("button", { name: "Eerder: Idee uitwerken" }).click();
  await expectOrder(civilA, ["Idee bedenken", "Buurt betrekken", "Idee uitwerken", "Subsidie aanvragen"], "after one move up");
  // Drag on a phone: "Buurt betrekken" dropped on the lower half of "Subsidie aanvragen".
  const handle = step(residentA, "Buurt betrekken").locator(".drag-handle");
  const target = step(residentA, "Subsidie aanvragen");
  await handle.scrollIntoViewIfNeeded();
  const hb = await handle.boundingBox();
  await residentA.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await residentA.mouse.down();
  await target.scrollIntoViewIfNeeded();
  const tb = await target.boundingBox();
  await residentA.mouse.move(tb.x + tb.width / 2, tb.y + tb.height * 0.8, { steps: 5 });
  await residentA.mouse.up();
  await expectOrder(civilA, ["Idee bedenken", "Idee uitwerken", "Subsidie aanvragen", "Buurt betrekken"], "after a drag on a phone");
  // Phases: a phase made on a phone, a step moved into it with the list.
  await residentA.getByLabel("Naam van de fase").fill("Voorbereiding");
  await residentA.getByRole("button", { name: "Fase toevoegen" }).click();
  await step(residentA, "Idee bedenken").getByLabel("Naar fase").selectOption({ label: "Voorbereiding" });
  await step(residentA, "Idee uitwerken").getByLabel("Naar fase").selectOption({ label: "Voorbereiding" });
  await proj.locator('.step[data-in-phase="Voorbereiding"]', { has: proj.locator(".step-text", { hasText: "Idee uitwerken" }) }).waitFor();
  await proj.locator(".phase-heading", { hasText: "Voorbereiding" }).waitFor();
  // The civil servant marks the municipal step.
  await step(civilA, "Subsidie aanvragen").getByLabel("Uit het gemeentelijke proces").check();
  await proj.locator(".step.municipal", { hasText: "Subsidie aanvragen" }).waitFor();
  // The facilitator works on group 1's board from the console: a drag with the mouse, a merge.
  // The console opens on the first group's board, never on an empty room-wide one.
  const boards = await fac.getByLabel("Muur van").locator("option").allTextContents();
  if (boards.join() !== "Groep 1,Groep 2") throw new Error(`the console offers the boards ${boards}`);
  if ((await fac.getByLabel("Muur van").inputValue()) !== "1") throw new Error("the console does not open on group 1's board");
  await fac.getByLabel("Muur van").selectOption({ label: `Groep ${groups[0]}` });
  await expectOrder(fac, ["Idee bedenken", "Idee uitwerken", "Subsidie aanvragen", "Buurt betrekken"], "the console before its drag");
  await step(fac, "Buurt betrekken").locator(".drag-handle")
    .dragTo(step(fac, "Idee bedenken"), { targetPosition: { x: 40, y: 4 } });
  await expectOrder(residentA, ["Buurt betrekken", "Idee bedenken", "Idee uitwerken", "Subsidie aanvragen"], "after a drag on the console");
  // Each step's phase menu still names its own phase after the moves (once the phone has
  // redrawn: under load the order can arrive a frame before the menus).
  await step(residentA, "Buurt betrekken").getByLabel("Naar fase").locator("option:checked", { hasText: /^Voorbereiding$/ })
    .waitFor({ state: "attached", timeout: 10000 })
    .catch(() => { throw new Error("a step's phase menu shows another step's phase"); });
  await fac.getByLabel("Nieuw briefje").fill("Idee opschrijven");
  await fac.getByRole("button", { name: "Plak op de muur" }).click();
  await step(fac, "Idee opschrijven").getByLabel("Samenvoegen met").selectOption({ label: "Idee bedenken" });
  await step(proj, "Idee bedenken").locator(".merged").waitFor();
  await shoot({ ...all, phone: residentA }, "c2-proces-in-kaart");

  // C.3 Roles: each group's map comes along; stickers from phones and the console.
  await next();
  await heading([proj, ...phones], "C.3. Rollen en verantwoordelijkheden in kaart brengen");
  await expectOrder(residentA, ["Buurt betrekken", "Idee bedenken", "Idee uitwerken", "Subsidie aanvragen"], "the map carried over");
  const subsidy = (p) => step(p, "Subsidie aanvragen");
  await subsidy(residentA).getByText("Sticker plakken").click();
  await subsidy(residentA).locator('.sticker-button.now[data-role="ambtenaar"]').click();
  await subsidy(civilA).getByText("Sticker plakken").click();
  await subsidy(civilA).locator('.sticker-button.now[data-role="ambtenaar"]').click();
  await subsidy(civilA).locator('.sticker-button.could[data-role="initiatiefnemer"]').click();
  await proj.locator('.step .sticker.now[data-role="ambtenaar"]', { hasText: "×2" }).waitFor();
  await proj.locator('.step .sticker.could[data-role="initiatiefnemer"]').waitFor();
  // A second tap takes your own sticker off again.
  await subsidy(residentA).locator('.sticker-button.now[data-role="ambtenaar"]').click();
  await proj.waitForFunction(() => ![...document.querySelectorAll('.sticker.now[data-role="ambtenaar"]')].some((s) => s.textContent.includes("×2")));
  await fac.getByLabel("Muur van").selectOption({ label: `Groep ${groups[0]}` });
  await step(fac, "Buurt betrekken").getByText("Sticker plakken").click();
  await step(fac, "Buurt betrekken").locator('.sticker-button.now[data-role="bewoner"]').click();
  // The step × role table sums it up.
  const matrixCell = (role) => proj.locator(".matrix tr", { hasText: "Subsidie aanvragen" }).locator(`td[data-role="${role}"]`);
  await proj.locator(".matrix tr", { hasText: "Buurt betrekken" }).locator('td[data-role="bewoner"]', { hasText: "● 1" }).waitFor();
  await matrixCell("ambtenaar").filter({ hasText: "● 1" }).waitFor();
  await matrixCell("initiatiefnemer").filter({ hasText: "○ 1" }).waitFor();
  await shoot({ ...all, phone: civilA }, "c3-rollen");

  // C.4 Challenges: attached to a step while the group talks; one from outside is parked.
  await next();
  await heading([proj, ...phones], "C.4. Uitdagingen in de samenwerking en interactie");
  await civilA.getByLabel("Uitdaging").fill("Lang wachten op een besluit");
  await civilA.getByLabel("Bij stap").selectOption({ label: "4. Subsidie aanvragen" });
  await civilA.getByRole("button", { name: "Uitdaging toevoegen" }).click();
  await step(proj, "Subsidie aanvragen").locator(".challenge", { hasText: "Lang wachten" }).waitFor();
  // The stickers came along too.
  await proj.locator('.step .sticker.could[data-role="initiatiefnemer"]').waitFor();
  await fac.getByLabel("Muur van").selectOption({ label: `Groep ${groups[0]}` });
  await fac.getByLabel("Uitdaging").fill("De aannemer komt niet opdagen");
  await fac.getByLabel("Bij stap").selectOption({ label: "Apart gezet: komt van buitenaf" });
  await fac.getByRole("button", { name: "Uitdaging toevoegen" }).click();
  await proj.locator(".parked .challenge", { hasText: "aannemer" }).waitFor();
  await residentA.locator(".parked .challenge", { hasText: "aannemer" }).waitFor();
  await shoot(all, "c4-uitdagingen");

  // C.5 The dreamteam: who's in, who they'd like to add, and a clear lead.
  await next();
  await heading([proj, ...phones], "C.5. Het dreamteam!");
  await residentA.getByLabel("Naam", { exact: true }).fill("Anouk");
  await residentA.getByLabel("Wat brengt die mee?").fill("Tijd op woensdag");
  await residentA.getByRole("button", { name: "Toevoegen aan het team" }).click();
  await civilA.getByLabel("Naam", { exact: true }).fill("De wijkagent");
  await civilA.getByLabel("Is hier vandaag").uncheck();
  await civilA.getByLabel("Wat brengt die mee?").fill("Kent iedereen");
  await civilA.getByRole("button", { name: "Toevoegen aan het team" }).click();
  await proj.locator(".team-member.wished", { hasText: "De wijkagent" }).waitFor();
  await residentA.getByLabel("Er is een duidelijke trekker").check();
  await residentA.locator(".team-member", { hasText: "Anouk" }).getByLabel("Trekker").check();
  await proj.locator(".team-member", { hasText: "Anouk" }).locator(".lead-badge").waitFor();
  // The projector states the choice in words, not as a form.
  await proj.locator(".team-mode-text", { hasText: "Er is een duidelijke trekker" }).waitFor();
  if (await proj.locator('input[name="team-mode"]').count()) throw new Error("the projector shows the team form");
  await shoot(all, "c5-dreamteam");

  // The break and the closing.
  await next();
  await heading([proj, ...phones], "Pauze");
  await next();
  await heading([proj, ...phones], "D. Afsluiting");
  await next();
  for (const p of [proj, ...phones]) await p.getByText("De sessie is afgelopen.").waitFor();

  // The report has every werkvorm's results.
  const [report] = await Promise.all([
    fac.waitForEvent("download"),
    fac.getByRole("button", { name: "Verslag (HTML)" }).click(),
  ]);
  await report.saveAs(`${out}/d3-report.html`);
  const html = readFileSync(`${out}/d3-report.html`, "utf8");
  for (const text of [
    "Koppel", "Moestuin Noord", "zelf blijft oogsten", "Voorbereiding", "uit het gemeentelijke proces",
    "Rollen per stap", "Lang wachten op een besluit", "Apart gezet (van buitenaf)", "De aannemer komt niet opdagen",
    "Het dreamteam", "De wijkagent (gewenst, niet aanwezig)", "Er is een duidelijke trekker.",
  ]) {
    if (!html.includes(text)) throw new Error(`the report lacks ${text}`);
  }
  if (errors.length) throw new Error(`browser errors:\n${errors.join("\n")}`);
} finally {
  await browser.close();
}
