// A real OpenID Connect provider for the tests (`oidc-provider`, the certified Node
// implementation), with one confidential client:
//
//   node oidc-provider.mjs REDIRECT_URI CLIENT_ID CLIENT_SECRET
//
// It listens on a free loopback port and prints one line, `issuer http://localhost:PORT`,
// when it accepts connections (the issuer is named `localhost`, so a browser sees it as
// another site than Werkmuur on 127.0.0.1). Its own development login page takes any name
// and password. The ID token carries `preferred_username` (the name), `email` and
// `werkmuur_roles`: ["organiser"] for names that start with "organisator", else [].
// It runs until it is killed or its standard input closes.
import http from "node:http";
import Provider from "oidc-provider";

const [redirectUri, clientId, clientSecret] = process.argv.slice(2);
if (!redirectUri || !clientId || !clientSecret) {
  console.error("usage: node oidc-provider.mjs REDIRECT_URI CLIENT_ID CLIENT_SECRET");
  process.exit(2);
}

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://localhost:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    }],
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return {
            sub: `sub-${id}`,
            preferred_username: id,
            email: `${id}@gemeente.example`,
            email_verified: true,
            werkmuur_roles: id.startsWith("organisator") ? ["organiser"] : [],
          };
        },
      };
    },
    claims: {
      openid: ["sub"],
      profile: ["preferred_username", "werkmuur_roles"],
      email: ["email", "email_verified"],
    },
    // The claims of the granted scopes in the ID token itself, as most providers send them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // A first-party client: no consent page, the scopes are granted at once.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid profile email");
      await grant.save();
      return grant;
    },
    cookies: { keys: ["werkmuur-test-provider-only"] },
    features: { devInteractions: { enabled: true } },
  });
  // Its warnings about development settings are expected here.
  provider.on("server_error", (ctx, error) => console.error("provider error:", error));
  server.on("request", provider.callback());
  console.log(`issuer ${issuer}`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
