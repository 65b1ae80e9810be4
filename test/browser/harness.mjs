// Shared parts of the browser tests: the real portico binary started on a
// free port with its own SQLite file, its JSON log read for the emails it
// would send, an admin client over HTTP, small same-machine HTTP servers
// (a portal, another origin), and headless Chromium from Debian's package.
import {spawn, execFileSync} from "node:child_process";
import {mkdtempSync, mkdirSync, rmSync} from "node:fs";
import {createServer} from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import {fileURLToPath} from "node:url";
import {chromium} from "playwright-core";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const adminToken = "browser-test-admin-token-0123456789";

// Screenshots for review: artifacts/browser/ (ignored by git) unless
// SCREENSHOT_DIR names another directory.
export const screenshotDir = process.env.SCREENSHOT_DIR || path.join(repoRoot, "artifacts", "browser");
mkdirSync(screenshotDir, {recursive: true});

let built = null;

// binary builds ./cmd/portico once per test file (PORTICO_BIN skips it).
export function binary() {
  if (process.env.PORTICO_BIN) return process.env.PORTICO_BIN;
  if (!built) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "portico-bin-"));
    built = path.join(dir, "portico");
    execFileSync("go", ["build", "-o", built, "./cmd/portico"], {cwd: repoRoot, stdio: "inherit"});
  }
  return built;
}

export async function freePort() {
  const srv = net.createServer();
  await new Promise((ok) => srv.listen(0, "127.0.0.1", ok));
  const {port} = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Portico is one running binary. Its log records are kept so that tests
// can read the emails it "sends" (no SMTP server: mail goes to the log).
export class Portico {
  static async start(env = {}) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), "portico-db-"));
    const url = `http://127.0.0.1:${port}`;
    const p = new Portico(url, dir);
    p.proc = spawn(binary(), [], {
      env: {PATH: process.env.PATH, HOME: os.tmpdir(), PORTICO_ADDR: `127.0.0.1:${port}`,
        PORTICO_SQLITE_PATH: path.join(dir, "portico.db"), PORTICO_ADMIN_TOKEN: adminToken,
        PORTICO_PUBLIC_URL: url, PORTICO_LOG_LEVEL: "info", ...env},
      stdio: ["ignore", "pipe", "pipe"],
    });
    readline.createInterface({input: p.proc.stdout}).on("line", (line) => {
      try { p.records.push(JSON.parse(line)); } catch { p.records.push({msg: line}); }
    });
    p.proc.stderr.on("data", (d) => { p.stderr += d; });
    p.proc.on("exit", (code) => { p.exited = code ?? "signal"; });
    await p.waitHealthy();
    return p;
  }

  constructor(url, dir) {
    Object.assign(this, {url, dir, records: [], stderr: "", exited: null});
  }

  async waitHealthy() {
    for (let i = 0; i < 200; i++) {
      if (this.exited !== null) throw new Error(`portico exited (${this.exited}): ${this.stderr}`);
      try {
        if ((await fetch(this.url + "/healthz")).ok) return;
      } catch { /* not listening yet */ }
      await sleep(50);
    }
    throw new Error("portico did not answer /healthz within 10 s");
  }

  async stop() {
    if (this.exited === null) {
      const done = new Promise((ok) => this.proc.once("exit", ok));
      this.proc.kill("SIGTERM");
      await done;
    }
    rmSync(this.dir, {recursive: true, force: true});
  }

  // api calls /api/v1 as the admin unless headers name other credentials.
  async api(method, route, body, headers = {}) {
    const res = await fetch(this.url + "/api/v1" + route, {
      method,
      headers: {Authorization: `Bearer ${adminToken}`, ...(body ? {"Content-Type": "application/json"} : {}), ...headers},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return {status: res.status, body: text ? JSON.parse(text) : null};
  }

  async ok(method, route, body, status) {
    const r = await this.api(method, route, body);
    if (r.status !== status) throw new Error(`${method} ${route}: ${r.status}, want ${status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  // mailCount is how many emails to addr the log holds so far.
  mailCount(addr) {
    return this.mails(addr).length;
  }

  mails(addr) {
    return this.records.filter((r) => typeof r.body === "string" && typeof r.to === "string" &&
      r.to.toLowerCase() === addr.toLowerCase());
  }

  // nextLink waits for email number after+1 to addr and returns its link.
  async nextLink(addr, after) {
    for (let i = 0; i < 200; i++) {
      const mails = this.mails(addr);
      if (mails.length > after) {
        const m = mails[after].body.match(/https?:\/\/\S+\?token=[A-Za-z0-9_%-]+/);
        if (!m) throw new Error(`no link in the email to ${addr}: ${mails[after].body}`);
        return m[0];
      }
      await sleep(100);
    }
    throw new Error(`no email number ${after + 1} to ${addr} within 20 s`);
  }

  // invite creates an organization, a group and a contact, promotes it,
  // and returns the user id and the activation link mailed to it.
  async invite({email, firstName = "", lastName = "Tester", org = "Acme Resellers", locale = ""}) {
    const o = await this.ok("POST", "/organizations", {name: org, kind: "partner"}, 201);
    const g = await this.ok("POST", "/groups", {name: "Group for " + email}, 201);
    const c = await this.ok("POST", "/contacts", {email, first_name: firstName, last_name: lastName, organization_id: o.id, locale}, 201);
    const before = this.mailCount(email);
    await this.ok("POST", `/contacts/${c.id}/promote`, {group_ids: [g.id]}, 201);
    return {id: c.id, link: await this.nextLink(email, before)};
  }
}

// serve starts an HTTP server on 127.0.0.1 (port 0: a free one) answering
// with handler(req) -> {status, type, body}; it returns its origin and close().
export async function serve(handler, port = 0) {
  const srv = createServer(async (req, res) => {
    const {status = 200, type = "text/html; charset=utf-8", body = ""} = await handler(req);
    res.writeHead(status, {"Content-Type": type, "Cache-Control": "no-store"});
    res.end(body);
  });
  await new Promise((ok) => srv.listen(port, "127.0.0.1", ok));
  return {origin: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((ok) => {
    srv.close(ok);
    srv.closeAllConnections(); // the browser keeps connections open
  })};
}

export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

// launchBrowser starts Debian's Chromium headless with a fresh profile;
// Playwright never downloads a browser of its own.
export async function launchBrowser() {
  const profile = mkdtempSync(path.join(os.tmpdir(), "portico-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: {width: 1024, height: 800},
  });
  return {
    context,
    close: async () => { await context.close(); rmSync(profile, {recursive: true, force: true}); },
  };
}

// watch collects what a page reports as broken: console errors (a CSP
// violation is one) and uncaught exceptions. Chromium also logs every
// answer with an error status (a 410 page, a 422 to the form); the tests
// assert those themselves.
export function watch(page) {
  const problems = [];
  const answered = /^Failed to load resource: the server responded with a status of \d+/;
  page.on("console", (m) => { if (m.type() === "error" && !answered.test(m.text())) problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  return problems;
}

export async function screenshot(page, name) {
  await page.screenshot({path: path.join(screenshotDir, name + ".png"), fullPage: true});
}
