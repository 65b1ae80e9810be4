"use strict";
// The activation and password-reset pages. Opening a page never spends its
// link (mail scanners open links); only sending the form does. The server
// has already said whether the link works, so this script only sends the
// form and explains the answer in plain words.
(() => {
  // Plain words for the field error codes of the problem document.
  const fieldMessages = {
    password: {
      min_length: "This password is too short. Use at least 12 characters.",
      max_length: "This password is too long. Use at most 72 characters (some accented letters and symbols count as two or more).",
      max: "This password is too long. Use at most 72 characters.",
      equals_email: "Don't use your email address as your password. Choose something else.",
      required: "Enter a password.",
    },
    email: {
      required: "Enter your email address.",
      max: "This email address is too long. Check that you typed it correctly.",
    },
  };

  // The page's own language: the server puts its words in a JSON block
  // (none in English); say falls back to the English given here.
  const words = (() => {
    try { return JSON.parse(document.getElementById("page-messages").textContent) || {}; } catch { return {}; }
  })();
  const say = (key, english, vars = {}) => (words[key] || english).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  const fieldMessage = (field, code) => {
    const english = (fieldMessages[field] || {})[code];
    return english && say(field + "." + code, english);
  };

  // send posts body as JSON to the same origin and returns the answer and
  // its problem document (if any); null means the server was not reached.
  async function send(endpoint, body) {
    let res;
    try {
      res = await fetch(endpoint, {
        method: "POST",
        credentials: "omit",
        headers: {"Content-Type": "application/json", "Accept": "application/json"},
        body: JSON.stringify(body),
      });
    } catch {
      return null;
    }
    const problem = res.ok ? {} : await res.json().catch(() => ({}));
    return {res, problem};
  }

  // ErrorView shows errors in a form's summary (an aria-live region) and
  // beside each field, and moves the focus to the first field in error.
  class ErrorView {
    constructor(form, summaryId) {
      this.form = form;
      this.summary = document.getElementById(summaryId);
    }
    clear() {
      this.summary.hidden = true;
      this.summary.replaceChildren();
      for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
      for (const p of this.form.querySelectorAll(".field-error")) { p.hidden = true; p.textContent = ""; }
    }
    // show takes [fieldName or null, message] pairs.
    show(errors) {
      const title = document.createElement("p");
      title.textContent = errors.length > 1 ? say("problems", "There are problems:") : say("problem", "There is a problem:");
      const list = document.createElement("ul");
      let first = null;
      for (const [field, message] of errors) {
        const li = document.createElement("li");
        li.textContent = message;
        list.append(li);
        const input = field && this.form.elements[field];
        const beside = field && document.getElementById(field + "-error");
        if (input && beside) {
          input.setAttribute("aria-invalid", "true");
          beside.textContent = message;
          beside.hidden = false;
          first = first || input;
        }
      }
      this.summary.replaceChildren(title, list);
      this.summary.hidden = false;
      (first || this.summary).focus();
    }
  }

  // problemErrors turns a refused request into [field, message] pairs.
  function problemErrors(answer) {
    if (answer === null) return [[null, say("unreachable", "We could not reach the server. Check your internet connection and try again.")]];
    const {res, problem} = answer;
    if (res.status === 429) {
      const wait = res.headers.get("Retry-After") || "60";
      return [[null, say("too_many", "Too many attempts. Wait {wait} seconds, then try again.", {wait})]];
    }
    const errors = [];
    for (const e of problem.errors || []) {
      const plain = fieldMessage(e.field, e.code);
      errors.push([e.field, plain || e.message || say("not_accepted", "This value is not accepted.")]);
    }
    if (errors.length) return errors;
    if (problem.code === "user_not_pending") {
      return [[null, say("not_pending", "This account is no longer waiting for activation. If you set a password already, sign in to your portal; otherwise ask your administrator.")]];
    }
    const ref = problem.code ? say("error_code", " (error code: {code})", {code: problem.code}) : "";
    return [[null, say("our_side", "Something went wrong on our side{ref}. Try again in a minute; if it keeps happening, tell your administrator.", {ref})]];
  }

  function busy(form, on) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function passwordForm(form) {
    const errors = new ErrorView(form, "form-error");
    const {password, confirm, show} = form.elements;
    show.addEventListener("change", () => {
      for (const input of [password, confirm]) input.type = show.checked ? "text" : "password";
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      errors.clear();
      if (password.value === "") return errors.show([["password", fieldMessage("password", "required")]]);
      if (confirm.value !== password.value) {
        return errors.show([["confirm", say("mismatch", "The two passwords are not the same. Type the same password in both boxes.")]]);
      }
      busy(form, true);
      const token = new URLSearchParams(location.search).get("token") || "";
      const answer = await send(form.dataset.endpoint, {token, password: password.value});
      busy(form, false);
      if (answer && answer.res.ok) {
        document.getElementById("form-section").hidden = true;
        document.getElementById("done").hidden = false;
        document.getElementById("done-heading").focus();
        return;
      }
      // The link stopped working while the page was open (used in another
      // tab, resent, expired): the page, opened again, explains what to do.
      if (answer && /^token_/.test(answer.problem.code || "")) return location.replace(location.href);
      errors.show(problemErrors(answer));
    });
  }

  function requestForm(form) {
    const errors = new ErrorView(form, "request-error");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      errors.clear();
      const email = form.elements.email.value.trim();
      if (email === "") return errors.show([["email", fieldMessage("email", "required")]]);
      busy(form, true);
      const answer = await send(form.dataset.endpoint, {email});
      busy(form, false);
      if (answer && answer.res.ok) {
        form.hidden = true;
        const done = document.getElementById("request-done");
        done.hidden = false;
        done.focus();
        return;
      }
      errors.show(problemErrors(answer));
    });
  }

  const tokenForm = document.getElementById("token-form");
  if (tokenForm) passwordForm(tokenForm);
  const resetRequest = document.getElementById("request-form");
  if (resetRequest) requestForm(resetRequest);
})();
