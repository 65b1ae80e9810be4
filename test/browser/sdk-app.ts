// The page of the SDK's browser test: an SPA on another origin signs in
// to Portico with @portico/sdk and shows who is signed in. It is
// type-checked with the SDK (pkg/ts/tsconfig.json) and bundled for the
// browser by esbuild in sdk.test.mjs.
import { createPorticoClient, isProblem } from "../../pkg/ts/index";

const baseUrl = document.body.dataset["portico"] ?? "";
let session: string | undefined;
const client = createPorticoClient({ baseUrl, token: () => session });

const form = document.getElementById("sign-in") as HTMLFormElement;
const out = document.getElementById("who") as HTMLElement;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = (form.elements.namedItem("email") as HTMLInputElement).value;
  const password = (form.elements.namedItem("password") as HTMLInputElement).value;
  const signIn = await client.POST("/api/v1/sessions", { body: { email, password } });
  if (signIn.error) {
    out.textContent = "sign-in failed: " + (isProblem(signIn.error) ? signIn.error.code : "unknown");
    return;
  }
  session = signIn.data.token;
  const me = await client.GET("/api/v1/users/me");
  if (me.error) {
    out.textContent = "reading the user failed: " + me.error.code;
    return;
  }
  out.textContent = `${me.data.email} (${me.data.status})`;
  out.dataset["userId"] = me.data.id;
});
