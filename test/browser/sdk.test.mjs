// The TypeScript SDK in a browser: a page served from another origin signs
// in with @portico/sdk and reads /api/v1/users/me across origins, against
// the binary started with PORTICO_CORS_ORIGINS naming that origin.
import assert from "node:assert/strict";
import path from "node:path";
import {after, before, test} from "node:test";
import {build} from "esbuild";
import {Portico, freePort, launchBrowser, repoRoot, screenshot, serve, watch} from "./harness.mjs";

const password = "a password for the spa test";
let portico, spa, browser, bundle;

before(async () => {
  const out = await build({
    entryPoints: [path.join(repoRoot, "test/browser/sdk-app.ts")],
    bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "silent",
  });
  bundle = out.outputFiles[0].text;
  // The SPA's origin must be known before Portico starts, to allow it.
  const spaPort = await freePort();
  portico = await Portico.start({PORTICO_CORS_ORIGINS: `http://127.0.0.1:${spaPort}`});
  spa = await serve((req) => req.url === "/app.js"
    ? {type: "text/javascript; charset=utf-8", body: bundle}
    : {body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SPA</title>
<script type="module" src="/app.js"></script></head>
<body data-portico="${portico.url}"><form id="sign-in">
<label>Email <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label>
<button>Sign in</button></form><p id="who" aria-live="polite"></p></body></html>`}, spaPort);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await spa?.close();
  await portico?.stop();
});

test("a page on another origin signs in with the SDK and shows the user's email", async () => {
  const email = "spa.user@acme.example";
  const {link} = await portico.invite({email, org: "SPA Org"});
  await portico.ok("POST", "/activations", {token: new URL(link).searchParams.get("token"), password}, 200);
  assert.notEqual(new URL(spa.origin).port, new URL(portico.url).port, "the page must be on another origin");

  const page = await browser.context.newPage();
  const problems = watch(page);
  await page.goto(spa.origin + "/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", {name: "Sign in"}).click();
  await page.locator("#who", {hasText: email}).waitFor({timeout: 10_000});
  assert.equal(await page.locator("#who").textContent(), `${email} (active)`);
  await screenshot(page, "sdk-cross-origin");
  assert.deepEqual(problems, [], "console errors (a CORS refusal is one)");
});

test("an origin that PORTICO_CORS_ORIGINS does not name is refused by the browser", async () => {
  const stranger = await serve((req) => req.url === "/app.js"
    ? {type: "text/javascript; charset=utf-8", body: bundle}
    : {body: `<!doctype html><meta charset="utf-8"><title>Stranger</title><script type="module" src="/app.js"></script>
<body data-portico="${portico.url}"><form id="sign-in"><input name="email" aria-label="Email"><input name="password" aria-label="Password">
<button>Sign in</button></form><p id="who"></p></body>`});
  try {
    const page = await browser.context.newPage();
    await page.goto(stranger.origin + "/");
    await page.getByLabel("Email").fill("spa.user@acme.example");
    await page.getByLabel("Password").fill(password);
    const refused = page.waitForEvent("requestfailed", {timeout: 10_000});
    await page.getByRole("button", {name: "Sign in"}).click();
    assert.match((await refused).url(), /\/api\/v1\/sessions$/);
    assert.equal(await page.locator("#who").textContent(), "");
  } finally {
    await stranger.close();
  }
});
