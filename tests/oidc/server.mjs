// A real OpenID Connect provider for the tests (panva/oidc-provider, OpenID Certified), on
// loopback only. It stands in for BundID: interactions are answered at once, without a page,
// and the account and its assurance (acr) are chosen by the login_hint the client sends:
//
//   login_hint=eid       → sub "eid-erika", acr "STORK-QAA-Level-4" (Online-Ausweis)
//   login_hint=password  → sub "pw-erika",  acr "STORK-QAA-Level-1" (username and password)
//
// Configuration by environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI. Prints
// "ready <issuer>" on stdout once it listens.
import http from "node:http";

import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  eid: { sub: "eid-erika", acr: "STORK-QAA-Level-4", email: "erika.eid@example.org" },
  password: { sub: "pw-erika", acr: "STORK-QAA-Level-1", email: "erika.pw@example.org" },
};
const bySub = Object.fromEntries(Object.values(ACCOUNTS).map((a) => [a.sub, a]));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  acrValues: [...new Set(Object.values(ACCOUNTS).map((a) => a.acr))],
  // acr and auth_time with the openid scope: like BundID, every ID token states the level.
  claims: {
    acr: null,
    auth_time: null,
    openid: ["sub", "acr", "auth_time"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name"],
  },
  cookies: { keys: ["test-only-cookie-key"] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  async findAccount(ctx, sub) {
    const account = bySub[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: account.email,
          email_verified: true,
          name: "Erika Mustermann",
          given_name: "Erika",
          family_name: "Mustermann",
        };
      },
    };
  },
});
provider.proxy = false;

// Answer every interaction at once: log the hinted account in, grant what the client asked.
async function interact(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params } = details;
  let result;
  if (prompt.name === "login") {
    const account = ACCOUNTS[params.login_hint] ?? ACCOUNTS.password;
    result = { login: { accountId: account.sub, acr: account.acr, amr: ["pwd"] } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith("/interaction/")) {
    interact(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
