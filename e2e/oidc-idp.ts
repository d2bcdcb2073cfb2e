import http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A loopback OpenID Connect provider for the SSO e2e test (e2e/oidc.spec.ts), built on the
 * `oidc-provider` package (a certified OP) and running inside the Playwright worker:
 *  - one static confidential client (client_secret_basic, authorization code + PKCE);
 *  - oidc-provider's development interactions: a login form that accepts ANY login and
 *    password (the login becomes the account id and `sub`) and a consent page ("Continue");
 *  - accounts: the login is the e-mail (verified); `roles` comes from the `roles` map, so the
 *    test decides who is an agent or an admin;
 *  - claims go into the ID token (conformIdTokenClaims off), as Switchboard reads the ID token.
 * Never use this outside tests: the signing keys are generated per start and anyone can log in.
 */

export interface LoopbackIdp {
  /** Issuer URL (http://127.0.0.1:<port>). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * Start the provider on `port` (127.0.0.1) for a client whose redirect URI is `redirectUri`.
 * @param opts.roles login (e-mail) → values of the `roles` claim; other logins get none.
 */
export async function startLoopbackIdp(opts: { port: number; redirectUri: string; roles: Record<string, string[]> }): Promise<LoopbackIdp> {
  const { default: Provider } = await import("oidc-provider");
  const issuer = `http://127.0.0.1:${opts.port}`;
  const clientId = "switchboard-e2e";
  const clientSecret = "switchboard-e2e-secret-0123456789";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "roles"] },
    conformIdTokenClaims: false,
    // Short lifetimes in seconds (also keeps oidc-provider from printing a notice per default).
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    cookies: { keys: ["loopback-idp-cookie-key-for-tests-only"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const email = id.toLowerCase();
      return {
        accountId: id,
        async claims() {
          return { sub: id, email, email_verified: true, name: `SSO ${email.split("@")[0]}`, roles: opts.roles[email] ?? [] };
        },
      };
    },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  return {
    issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
