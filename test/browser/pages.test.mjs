// The activation and password-reset pages in headless Chromium, against
// the real binary: every way a link can be, the form's errors and focus,
// phone width, and the way to the portal once the password is set.
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {Portico, launchBrowser, screenshot, serve, watch} from "./harness.mjs";

const password = "correct horse battery staple";
let portico, portal, browser;

before(async () => {
  portal = await serve(() => ({body: "<!doctype html><title>Portal sign-in</title><h1>Portal sign-in</h1>"}));
  portico = await Portico.start({PORTICO_PORTAL_URL: portal.origin + "/sign-in"});
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portico?.stop();
  await portal?.close();
});

// open loads url in a new tab and returns it with its problem list.
async function open(url, viewport) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems = watch(page);
  const res = await page.goto(url);
  return {page, problems, status: res.status()};
}

async function fillPassword(page, value, confirm = value) {
  await page.getByLabel("New password", {exact: true}).fill(value);
  await page.getByLabel("Type the password again", {exact: true}).fill(confirm);
}

describe("activation page", () => {
  test("names the account, refuses a weak password in the live region and moves the focus, then activates", async () => {
    const {link} = await portico.invite({email: "jane.doe@acme.example", firstName: "Jane", lastName: "Doe", org: "Acme Resellers"});
    const {page, problems, status} = await open(link);
    assert.equal(status, 200);
    assert.equal(await page.getByRole("heading", {level: 1}).textContent(), "Activate your portal account");
    const account = await page.locator(".account").textContent();
    assert.match(account, /jane\.doe@acme\.example/);
    assert.match(account, /Acme Resellers/);
    assert.match(await page.locator("#password-rules").textContent(), /12 to 72 characters, and not your email address/);
    await screenshot(page, "activate-form");

    await fillPassword(page, "too short");
    await page.getByRole("button", {name: "Activate my account"}).click();
    const summary = page.locator("#form-error");
    await summary.waitFor({state: "visible"});
    assert.equal(await summary.getAttribute("aria-live"), "assertive");
    assert.match(await summary.textContent(), /too short\. Use at least 12 characters/);
    assert.equal(await page.evaluate(() => document.activeElement.id), "password", "the focus moves to the field in error");
    assert.equal(await page.locator("#password").getAttribute("aria-invalid"), "true");
    assert.match(await page.locator("#password-error").textContent(), /at least 12 characters/);
    await screenshot(page, "activate-weak-password");

    await fillPassword(page, "jane.doe@acme.example");
    await page.getByRole("button", {name: "Activate my account"}).click();
    await page.locator("#form-error", {hasText: "email address"}).waitFor();

    await fillPassword(page, password, password + "!");
    await page.getByRole("button", {name: "Activate my account"}).click();
    await page.locator("#confirm-error", {hasText: "not the same"}).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "confirm");

    await page.getByLabel("Show password").check();
    assert.equal(await page.locator("#password").getAttribute("type"), "text");
    assert.equal(await page.locator("#confirm").getAttribute("type"), "text");
    await page.getByLabel("Show password").uncheck();

    await fillPassword(page, password);
    await page.getByRole("button", {name: "Activate my account"}).click();
    const done = page.getByRole("heading", {name: "Your account is active"});
    await done.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "done-heading");
    assert.equal(await page.locator("#form-section").isHidden(), true);
    await screenshot(page, "activate-done");
    await page.getByRole("link", {name: "Go to the portal sign-in"}).click();
    await page.waitForURL(portal.origin + "/sign-in");
    assert.equal(await page.title(), "Portal sign-in");
    assert.deepEqual(problems, [], "console errors (CSP violations among them)");

    const session = await portico.api("POST", "/sessions", {email: "jane.doe@acme.example", password}, {Authorization: ""});
    assert.equal(session.status, 201, JSON.stringify(session.body));

    // the same link again: explained before anything is typed
    const again = await open(link);
    assert.equal(again.status, 410);
    assert.equal(await again.page.getByRole("heading", {level: 1}).textContent(), "Your account is already active");
    assert.equal(await again.page.locator("form").count(), 0);
    assert.equal(await again.page.getByRole("link", {name: "Go to the portal sign-in"}).getAttribute("href"), portal.origin + "/sign-in");
    await screenshot(again.page, "activate-used");
  });

  test("a link replaced by a resent invitation says so and points to the newest email", async () => {
    const {id, link} = await portico.invite({email: "resent@acme.example", org: "Resent Org"});
    const before = portico.mailCount("resent@acme.example");
    await portico.ok("POST", `/users/${id}/activation-email`, null, 202);
    const newest = await portico.nextLink("resent@acme.example", before);
    const {page, status, problems} = await open(link);
    assert.equal(status, 410);
    assert.equal(await page.getByRole("heading", {level: 1}).textContent(), "A newer invitation replaced this link");
    assert.match(await page.locator("main").textContent(), /most recent invitation email/);
    assert.match(await page.locator(".account").textContent(), /resent@acme\.example/);
    await screenshot(page, "activate-superseded");
    assert.deepEqual(problems, []);
    assert.equal((await open(newest)).status, 200);
  });

  test("a revoked invitation's link says it was withdrawn, at once", async () => {
    const {id, link} = await portico.invite({email: "revoked@acme.example", org: "Revoked Org"});
    const list = await portico.ok("GET", `/invitations?user_id=${id}`, null, 200);
    await portico.ok("POST", `/invitations/${list.data[0].id}/revoke`, null, 200);
    const {page, status, problems} = await open(link);
    assert.equal(status, 410);
    assert.equal(await page.getByRole("heading", {level: 1}).textContent(), "This invitation was withdrawn");
    assert.match(await page.locator("main").textContent(), /administrator withdrew this invitation/);
    await screenshot(page, "activate-revoked");
    assert.deepEqual(problems, []);
  });

  test("a German user's page is German, and so are the script's messages", async () => {
    const {link} = await portico.invite({email: "de@acme.example", org: "Müller GmbH", locale: "de"});
    const {page, status, problems} = await open(link);
    assert.equal(status, 200);
    assert.equal(await page.locator("html").getAttribute("lang"), "de");
    assert.equal(await page.getByRole("heading", {level: 1}).textContent(), "Aktivieren Sie Ihr Portal-Konto");
    await page.getByLabel("Neues Passwort", {exact: true}).fill("correct horse battery");
    await page.getByLabel("Passwort wiederholen", {exact: true}).fill("something else entirely");
    await page.getByRole("button", {name: "Mein Konto aktivieren"}).click();
    await page.locator("#form-error").getByText("Die beiden Passwörter sind nicht gleich", {exact: false}).waitFor();
    await screenshot(page, "activate-de");
    assert.deepEqual(problems, []);
  });

  test("a link used elsewhere while the page was open is explained on sending", async () => {
    const {link} = await portico.invite({email: "two.tabs@acme.example", org: "Tabs Org"});
    const {page, problems} = await open(link);
    await portico.ok("POST", "/activations", {token: new URL(link).searchParams.get("token"), password}, 200);
    await fillPassword(page, "another long password");
    await page.getByRole("button", {name: "Activate my account"}).click();
    await page.getByRole("heading", {level: 1, name: "Your account is already active"}).waitFor();
    assert.deepEqual(problems, []);
  });

  test("a page without a token asks for the link from the email", async () => {
    const {page, status} = await open(portico.url + "/activate");
    assert.equal(status, 400);
    assert.match(await page.getByRole("heading", {level: 1}).textContent(), /needs the link from your invitation email/);
    assert.equal(await page.locator("input").count(), 0, "nothing to type on a link that cannot work");
    await screenshot(page, "activate-no-token");
    const unknown = await open(portico.url + "/activate?token=cut-short");
    assert.equal(unknown.status, 404);
    assert.match(await unknown.page.getByRole("heading", {level: 1}).textContent(), /recognise this invitation link/);
  });

  test("at phone width the page fits without horizontal scrolling", async () => {
    const email = "a.rather.long.address.for.a.phone@subdivision.example-organization.example";
    const {link} = await portico.invite({email, org: "Organization With A Fairly Long Name For Small Screens"});
    const {page, problems} = await open(link, {width: 375, height: 740});
    const widths = await page.evaluate(() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth}));
    assert.ok(widths.scroll <= widths.view, `page is ${widths.scroll}px wide in a ${widths.view}px viewport`);
    const box = await page.getByRole("button", {name: "Activate my account"}).boundingBox();
    assert.ok(box.height >= 44 && box.x >= 0 && box.x + box.width <= 375, `button ${JSON.stringify(box)}`);
    await fillPassword(page, "short");
    await page.getByRole("button", {name: "Activate my account"}).click();
    await page.locator("#form-error").waitFor({state: "visible"});
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    await screenshot(page, "activate-phone-error");
    assert.deepEqual(problems, []);
  });
});

describe("expired links", () => {
  test("an invitation past PORTICO_ACTIVATION_TTL is explained with its date and what to do", async () => {
    const short = await Portico.start({PORTICO_ACTIVATION_TTL: "2s"});
    try {
      const {link} = await short.invite({email: "late@acme.example", org: "Late Org"});
      await new Promise((ok) => setTimeout(ok, 2200));
      const {page, status, problems} = await open(link);
      assert.equal(status, 410);
      assert.equal(await page.getByRole("heading", {level: 1}).textContent(), "This invitation has expired");
      const text = await page.locator("main").textContent();
      assert.match(text, /It expired on \d{1,2} \w+ \d{4} at \d\d:\d\d UTC/);
      assert.match(text, /Ask your administrator .* new invitation email/);
      assert.match(await page.locator(".account").textContent(), /late@acme\.example/);
      assert.equal(await page.locator("input").count(), 0);
      await screenshot(page, "activate-expired");
      assert.deepEqual(problems, []);
    } finally {
      await short.stop();
    }
  });
});

describe("password reset page", () => {
  test("the emailed link opens the reset page, which sets the password; the used link offers a new one", async () => {
    const email = "reset@acme.example";
    const {link} = await portico.invite({email, org: "Reset Org"});
    await portico.ok("POST", "/activations", {token: new URL(link).searchParams.get("token"), password}, 200);
    const before = portico.mailCount(email);
    await portico.ok("POST", "/password-resets", {email}, 202);
    const resetLink = await portico.nextLink(email, before);
    assert.equal(new URL(resetLink).pathname, "/reset-password");

    const {page, status, problems} = await open(resetLink);
    assert.equal(status, 200);
    assert.equal(await page.getByRole("heading", {level: 1}).textContent(), "Choose a new password");
    assert.match(await page.locator(".account").textContent(), /reset@acme\.example[\s\S]*Reset Org/);
    await fillPassword(page, "reset@acme.example");
    await page.getByRole("button", {name: "Save my new password"}).click();
    await page.locator("#password-error", {hasText: "email address"}).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "password");
    await fillPassword(page, "a brand new passphrase");
    await page.getByRole("button", {name: "Save my new password"}).click();
    await page.getByRole("heading", {name: "Your password is changed"}).waitFor();
    await screenshot(page, "reset-done");
    assert.deepEqual(problems, []);
    const session = await portico.api("POST", "/sessions", {email, password: "a brand new passphrase"}, {Authorization: ""});
    assert.equal(session.status, 201);

    const used = await open(resetLink);
    assert.equal(used.status, 410);
    assert.equal(await used.page.getByRole("heading", {level: 1}).textContent(), "This reset link was already used");
    assert.equal(await used.page.getByLabel("Email address").inputValue(), email);
    const count = portico.mailCount(email);
    await used.page.getByRole("button", {name: "Email me a new link"}).click();
    await used.page.locator("#request-done").waitFor({state: "visible"});
    assert.equal(await used.page.evaluate(() => document.activeElement.id), "request-done");
    await screenshot(used.page, "reset-used-new-link-sent");
    const fresh = await portico.nextLink(email, count);
    assert.equal((await open(fresh)).status, 200);
    assert.deepEqual(used.problems, []);
  });
});
