// The OpenID provider the tests sign in through: node-oidc-provider (a certified
// implementation) on 127.0.0.1, shaped like Keycloak where PST reads it (discovery at
// <issuer>/.well-known/openid-configuration, realm roles under realm_access.roles,
// RP-initiated logout). tests/oidckit.py starts it once per pytest worker.
//
// Input (environment): OIDC_ACCOUNTS, a JSON object {username: {password, claims}};
// OIDC_CLIENTS, a JSON array of client metadata. Output: one JSON line on stdout,
// {"issuer": ..., "kid": ...}, once the provider listens on its free port.
//
// The login page is this script's own (devInteractions are off): a form with the
// fields "username" and "password", so a test can drive it with an HTTP client and a
// browser journey can fill it in. Consent is implied (PST is a first-party client).
import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');

const kid = crypto.randomBytes(8).toString('hex');
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SSO test provider</title></head>
<body><h1>Test SSO</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    claims: {
      // acr and amr ride in the ID token, as Keycloak's (and its amr mapper's) do.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      roles: ['realm_access', 'groups'],
    },
    scopes: ['openid', 'email', 'profile', 'roles', 'offline_access'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    // Keycloak puts the profile claims in the ID token as well as in userinfo.
    conformIdTokenClaims: false,
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      if (!accounts[id]) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts[id].claims }) };
    },
    // First-party client: every requested scope and claim is granted without a page.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
      await grant.save();
      return grant;
    },
  });
  // PST's test servers listen on any free port of 127.0.0.1: a redirect there is
  // matched without its port (as the provider already does for native clients).
  const anyPort = (check) => function allowed(value) {
    const url = new URL(value);
    if (url.hostname === '127.0.0.1') url.port = '';
    return check.call(this, url.href);
  };
  const proto = provider.Client.prototype;
  proto.redirectUriAllowed = anyPort(proto.redirectUriAllowed);
  proto.postLogoutRedirectUriAllowed = anyPort(proto.postLogoutRedirectUriAllowed);
  provider.on('server_error', (ctx, err) => console.error('provider error', err));
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(req.url.split('?')[0]);
    if (!match) {
      callback(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(details.uid));
        return;
      }
      const form = await readForm(req);
      const username = form.get('username') || '';
      const account = accounts[username];
      if (!account || account.password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(details.uid, 'Wrong username or password.'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: username, amr: account.amr || ['pwd'], acr: account.acr } },
        { mergeWithLastSubmission: false },
      );
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${err.message}`);
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer, kid })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
