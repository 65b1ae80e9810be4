// Swagger UI against the real binary: the front page leads to it, it reads
// the OpenAPI 3 document from the binary itself (nothing from elsewhere),
// and its Authorize dialog takes the bare admin token, which "Try it out"
// then sends as a bearer token to a protected operation.
import assert from "node:assert/strict";
import path from "node:path";
import {after, before, test} from "node:test";
import {Portico, adminToken, launchBrowser, screenshotDir, watch} from "./harness.mjs";

let portico, browser;

before(async () => {
  portico = await Portico.start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portico?.stop();
});

// shoot saves what the viewport or one element shows (the whole Swagger UI
// page is some 10,000 pixels tall).
async function shoot(target, name) {
  await target.screenshot({path: path.join(screenshotDir, name + ".png")});
}

test("the bare admin token authorizes Try it out on a protected operation", async () => {
  await portico.ok("POST", "/organizations", {name: "Acme Resellers", kind: "partner"}, 201);
  const page = await browser.context.newPage();
  const problems = watch(page);
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));

  const res = await page.goto(portico.url + "/");
  assert.equal(res.status(), 200);
  assert.equal(new URL(page.url()).pathname, "/swagger/index.html", "/ leads to Swagger UI");
  await page.locator(".information-container .title", {hasText: "Portico API"}).waitFor();
  assert.ok(requested.some((u) => new URL(u).pathname === "/openapi.json"), "Swagger UI reads /openapi.json");
  assert.ok(!requested.some((u) => new URL(u).pathname === "/swagger/doc.json"), "not swag's Swagger 2.0 document");
  assert.match(await page.locator(".information-container .version-stamp").textContent(), /OAS ?3/, "the document shown is OpenAPI 3");

  await page.locator(".auth-wrapper button.authorize").click();
  const dialog = page.locator(".modal-ux");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /BearerAuth\s*\(http, Bearer\)/);
  assert.match(await dialog.textContent(), /enter the token alone/);
  await dialog.locator("input").fill(adminToken);
  await dialog.getByRole("button", {name: "Authorize", exact: true}).click();
  await dialog.getByRole("button", {name: "Logout"}).waitFor();
  await shoot(page, "swagger-authorized");
  await dialog.getByRole("button", {name: "Close"}).click();

  const op = page.locator("#operations-organizations-listOrganizations");
  await op.locator(".opblock-summary").first().click();
  await op.getByRole("button", {name: "Try it out"}).click();
  const sent = page.waitForRequest((r) => new URL(r.url()).pathname === "/api/v1/organizations");
  await op.getByRole("button", {name: "Execute"}).click();
  const request = await sent;
  assert.equal(request.url().split("?")[0], portico.url + "/api/v1/organizations", "sent to this server");
  assert.equal(await request.headerValue("authorization"), "Bearer " + adminToken);
  const status = op.locator(".live-responses-table tr.response .response-col_status").first();
  await status.waitFor();
  assert.equal((await status.textContent()).trim(), "200");
  assert.match(await op.locator(".live-responses-table .microlight, .live-responses-table pre").first().textContent(), /Acme Resellers/);
  await shoot(op, "swagger-try-it-out");

  const origins = new Set(requested.map((u) => new URL(u).origin));
  assert.deepEqual([...origins], [portico.url], "every asset and call stays on the binary (offline)");
  assert.deepEqual(problems, []);
  await page.close();
});
