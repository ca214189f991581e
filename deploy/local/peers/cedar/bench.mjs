// Cedar peer: the same read decisions as our server, by @cedar-policy/cedar-wasm in this Node process.
//   node bench.mjs CEDAR_WASM_DIR CASES_JSON [ITERATIONS]
// CASES_JSON is written by the load generator (--peer-cases-out): each case's facts and our server's
// answer. Every case is decided once and compared with ours (exit 1 if Cedar denies nothing that ours
// denies, or agrees on less than 99 %); then isAuthorized is timed per decision in a loop, on the cases
// and on the in-process benchmark's facts (WarmEntitlementBenchmarks: a 5,000-patient panel and a
// 500-member ward, a panel patient read). Prints RESULT {json} lines. Each call passes the entities the
// decision needs (the principal, the patient with her parents, the Observation, the client), as a
// policy enforcement point calling cedar-wasm would.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const [wasmDir, casesPath, iterationsArg] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const cedar = require(path.resolve(wasmDir, "nodejs", "cedar_wasm.js"));
const here = path.dirname(fileURLToPath(import.meta.url));
const policyText = readFileSync(path.join(here, "policy.cedar"), "utf8");
const iterations = Number(iterationsArg ?? 20000);

const ref = (reference) => {
  const slash = reference.indexOf("/");
  return { type: reference.slice(0, slash), id: reference.slice(slash + 1) };
};
const refs = (references) => references.map((r) => ({ __entity: ref(r) }));
const entity = (reference, attrs, parents = []) => ({ uid: { __entity: ref(reference) }, attrs, parents: parents.map((p) => ({ __entity: ref(p) })) });

// One case's request: the entities a policy enforcement point would send with it.
function request(c) {
  const readable = c.wardGrants.filter((w) => w.actions.includes("r"));
  const cleared = (label) => readable.filter((w) => w.clears.includes(label)).map((w) => w.group);
  const active = c.consents.filter((k) => k.status === "active");
  const kinds = (kind) => active.filter((k) => k.kind === kind);
  const entities = [
    entity(c.practitioner, {
      organization: { __entity: ref(c.practitionerOrganization) },
      panel: { __entity: { type: "Panel", id: ref(c.practitioner).id } },
      wards: refs(readable.map((w) => w.group)),
      clearedR: refs(cleared("R")),
      clearedPSY: refs(cleared("PSY")),
      clearedHIV: refs(cleared("HIV")),
      careTeams: refs(c.careTeams),
      organizationGrant: c.organizationGrant,
    }),
    entity(`Patient/${c.patient}`, {
      organization: { __entity: ref(c.patientOrganization) },
      orgDenials: refs(kinds("deny-organization").map((k) => k.organization)),
      practitionerDenials: refs(kinds("deny-practitioner").map((k) => k.practitioner)),
      labelDenial: kinds("deny-labels").length > 0,
      researchDenial: kinds("deny-research").length > 0,
      optedOut: kinds("opt-out").length > 0,
      optOutKeeps: refs(kinds("opt-out").map((k) => k.organization)),
    }, [...c.patientWards, ...c.patientPanels.map((p) => `Panel/${ref(p).id}`), ...c.patientCareTeams]),
    entity(`Observation/${c.resourceId}`, { patient: { __entity: ref(`Patient/${c.patient}`) }, labels: c.labels, code: c.code, recorded: c.recorded }),
    entity(c.client, { status: c.clientStatus, allPatients: c.clientAllPatients, groups: refs(c.clientGroups) }),
  ];
  return {
    principal: ref(c.practitioner),
    action: { type: "Action", id: "read" },
    resource: ref(`Observation/${c.resourceId}`),
    context: { client: { __entity: ref(c.client) }, purpose: c.purpose },
    entities,
  };
}

const setId = "permissionlayer";
const parsed = cedar.preparsePolicySet(setId, { staticPolicies: policyText });
if (parsed.type !== "success") {
  console.error("policy.cedar does not parse:", JSON.stringify(parsed.errors));
  process.exit(2);
}
const decide = (r) => {
  const answer = cedar.statefulIsAuthorized({ ...r, preparsedPolicySetId: setId });
  if (answer.type !== "success") throw new Error(JSON.stringify(answer.errors));
  return answer.response;
};

// 1. Agreement with our server, case by case.
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
const requests = cases.map(request);
let agree = 0, bothDeny = 0, cedarPermits = 0;
const byReason = new Map(), disagreements = [], denyCases = new Map();
cases.forEach((c, i) => {
  const response = decide(requests[i]);
  const permit = response.decision === "allow";
  if (permit) cedarPermits++;
  if (permit === c.ourPermit) agree++;
  else disagreements.push(`mix line ${c.line} (${c.label}): ours ${c.ourReason}, Cedar ${response.decision} [${response.diagnostics.reason.join(",")}]`);
  if (!permit && !c.ourPermit) {
    bothDeny++;
    byReason.set(c.ourReason, (byReason.get(c.ourReason) ?? 0) + 1);
    if (!denyCases.has(c.ourReason)) denyCases.set(c.ourReason, `mix line ${c.line} (${c.label}), ${c.practitioner} reads ${c.patient}'s Observation: ours ${c.ourReason}, Cedar deny [${response.diagnostics.reason.join(",") || "no permit"}]`);
  }
});
const agreement = agree / Math.max(1, cases.length);
console.log(`agreement Cedar: ${agree} of ${cases.length} cases decided as our server decides (${(100 * agreement).toFixed(2)} %); Cedar ${cedarPermits} permit / ${cases.length - cedarPermits} deny`);
console.log(`    denied by both, by our reason: ${[...byReason].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
for (const line of [...denyCases.values()].slice(0, 6)) console.log(`    deny case: ${line}`);
for (const line of disagreements.slice(0, 10)) console.log(`    DISAGREE: ${line}`);
console.log(`RESULT {"measure":"peer-agreement","target":"Cedar","cases":${cases.length},"agree":${agree},"deniedByBoth":${bothDeny},"required":0.99}`);
if (bothDeny === 0 || cedarPermits === 0 || agreement < 0.99) {
  console.log("Cedar does not decide the cases as our server does: not timed");
  process.exit(1);
}

// 2. Time per decision, in a loop, one Node process: up to `count` decisions or 15 s, whichever ends first.
function time(label, list, fn, count = iterations) {
  const warmUntil = Date.now() + 3000;
  for (let i = 0; i < Math.min(500, count) && Date.now() < warmUntil; i++) fn(list[i % list.length]); // warm-up (JIT, wasm tiers)
  const samples = [];
  const until = Date.now() + 15000;
  for (let i = 0; i < count && Date.now() < until; i++) {
    const r = list[i % list.length];
    const start = process.hrtime.bigint();
    fn(r);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  const at = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const result = { measure: "cedar", what: label, iterations: samples.length, medianUs: +at(0.5).toFixed(2), p99Us: +at(0.99).toFixed(2) };
  console.log(`Cedar ${label}: median ${result.medianUs} µs, p99 ${result.p99Us} µs over ${samples.length} decisions`);
  console.log(`RESULT ${JSON.stringify(result)}`);
}
// The floor of a call through cedar-wasm: one trivial policy, no entities.
const trivial = { principal: { type: "User", id: "a" }, action: { type: "Action", id: "read" }, resource: { type: "Doc", id: "d" }, context: {}, entities: [],
  policies: { staticPolicies: "permit (principal, action, resource);" } };
time("isAuthorized floor (one trivial policy, no entities)", [trivial], (r) => cedar.isAuthorized(r));
time("statefulIsAuthorized (policies preparsed), quick-set cases", requests, decide);

// The in-process benchmark's facts (the panel as the patient's parent: the 5,000 ids are the store's, not the request's): Practitioner/bench-warm with a 5,000-patient panel and a grant to
// a 500-member ward, the client trusted for all patients, reading panel patient 2,500 (no consent, no label).
const benchPanel = Array.from({ length: 5000 }, (_, n) => `bench-warm-pt-${n}`);
const benchCase = {
  line: -1, label: "benchmark", resourceId: "bench-obs", practitioner: "Practitioner/bench-warm", practitionerOrganization: "Organization/bench-org",
  panel: benchPanel, wardGrants: [{ group: "Group/bench-ward", actions: "rs", clears: [] }], careTeamPatients: [], careTeams: [], organizationGrant: false,
  client: "Client/bench-app", clientStatus: "active", clientAllPatients: true, clientGroups: [], purpose: "TREAT",
  patient: "bench-warm-pt-2500", patientOrganization: "Organization/bench-org", patientWards: [], patientPanels: ["Practitioner/bench-warm"], patientCareTeams: [],
  consents: [], labels: [], code: "", recorded: 0,
};
const benchRequest = request(benchCase);
if (decide(benchRequest).decision !== "allow") { console.log("Cedar denies the benchmark's panel read"); process.exit(1); }
const benchDeny = request({ ...benchCase, patient: "someone-else", patientPanels: [] });
if (decide(benchDeny).decision !== "deny") { console.log("Cedar allows a patient outside the benchmark's panel"); process.exit(1); }
time("statefulIsAuthorized, benchmark facts (5,000-patient panel, panel read)", [benchRequest], decide, 200);
