// A real OpenID Connect provider for Sagsflow's log-in tests, on loopback only.
// The accounts (and their `groups`) are read from ACCOUNTS_FILE at every log-in, so a test can change a
// person's groups between two log-ins the way the municipality's IT department would.
// Setting `"tamper_id_token": true` in that file flips one byte of the ID token's signature in the token
// response: a token altered on its way to Sagsflow.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.PORT);
const accounts = () => JSON.parse(readFileSync(env.ACCOUNTS_FILE, 'utf8'));

const client = (id, secret) => ({
  client_id: id,
  client_secret: secret,
  redirect_uris: [env.REDIRECT_URI],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(env.ISSUER, {
  // Sagsflow, and another system of the municipality's whose ID tokens Sagsflow must not accept
  clients: [client(env.CLIENT_ID, env.CLIENT_SECRET), client('andet-system', 'andet-system-secret')],
  pkce: { required: () => true }, // by default only public clients must use PKCE
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  // false: the scope claims (groups) go into the ID token, as with AD FS and Entra ID; CONFORM_ID_TOKEN_CLAIMS=1
  // keeps them to userinfo only (oidc-provider's default), which Sagsflow must then ask.
  conformIdTokenClaims: env.CONFORM_ID_TOKEN_CLAIMS === '1',
  findAccount: (ctx, id) => {
    const found = accounts().accounts[id];
    if (!found) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...found }) };
  },
  cookies: { keys: ['test-only-cookie-key'] },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Session: 600, Interaction: 600, Grant: 600 },
  features: { devInteractions: { enabled: true } }, // plain HTML forms: login=<account id>, then consent
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.body && ctx.body.id_token && accounts().tamper_id_token) {
    const [header, payload, signature] = ctx.body.id_token.split('.');
    const i = Math.floor(signature.length / 2);
    const flipped = signature[i] === 'A' ? 'B' : 'A';
    ctx.body.id_token = `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
  }
});

provider.listen(port, '127.0.0.1', () => console.log(`ready ${env.ISSUER}`));
