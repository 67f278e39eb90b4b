// An external OIDC issuer on a real loopback socket, standing in for a Kubernetes API server or GitHub Actions'
// token service (as mayfly-server's OidcIssuerStandIn): discovery at /.well-known/openid-configuration, its JWK
// Set at /keys, RS256 tokens, and GitHub's ACTIONS_ID_TOKEN_REQUEST_URL at /_actions/token.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export async function oidcIssuer() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = `k-${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  let url = "";
  let actions = null; // { repository, ref, requestToken }
  const server = createServer(async (req, res) => {
    const u = new URL(req.url, url);
    const json = (status, body) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (u.pathname === "/.well-known/openid-configuration") {
      return json(200, { issuer: url, jwks_uri: `${url}/keys`, id_token_signing_alg_values_supported: ["RS256"] });
    }
    if (u.pathname === "/keys") return json(200, { keys: [jwk] });
    if (u.pathname === "/_actions/token" && actions !== null) {
      const audience = u.searchParams.get("audience");
      if (req.headers.authorization !== `Bearer ${actions.requestToken}` || !audience) return json(403, { message: "forbidden" });
      return json(200, { count: 1, value: await issuer.token({ sub: `repo:${actions.repository}:ref:${actions.ref}`, aud: audience,
        repository: actions.repository, ref: actions.ref }) });
    }
    return json(404, {});
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${server.address().port}`;
  const issuer = {
    url,
    /** A token of this issuer: `aud` the broker, five minutes of life, a fresh jti; extra claims as given. */
    token: ({ sub = "system:serviceaccount:agents:summariser", aud, lifetimeS = 300, ...claims }) => new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(url).setSubject(sub).setAudience(aud).setIssuedAt().setExpirationTime(`${lifetimeS}s`).setJti(randomUUID())
      .sign(privateKey),
    /** Serves GitHub Actions' token request endpoint for a run; returns what a job sees as ACTIONS_ID_TOKEN_REQUEST_URL. */
    serveActionsTokens(repository, ref, requestToken) {
      actions = { repository, ref, requestToken };
      return `${url}/_actions/token?api-version=2.0`;
    },
    close: () => new Promise((r) => {
      if (!server.listening) return r();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
  return issuer;
}
