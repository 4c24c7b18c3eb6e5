// Set-up shared by the tests of the social prescribing pathway (not a test
// file itself): organisations with their required policies, users signed in
// as new clients, published directory services, referrals created and moved
// along their lifecycle over the API.
import assert from 'node:assert/strict';
import { Client } from './server.mjs';
import { API, create, getOk, unique } from '../api/helpers.mjs';

// The four policy domains a provider must keep in order.
export const REQUIRED_POLICIES = ['quality_assurance', 'working_standards', 'safeguarding', 'data_management'];

// The date n days from today (the server runs on the real clock), as YYYY-MM-DD.
export const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

// An organisation of place made by lead, with its four required policies, each
// due `due(domain)` days from now (null: no policy at all in that domain).
export async function organisation(lead, name, place, due = () => 300) {
  const org = await create(lead, 'organisations', { name: unique(name), sector: 'vcse', place_ids: [place.id] });
  for (const domain of REQUIRED_POLICIES) {
    const d = due(domain);
    if (d === null) continue;
    await create(lead, 'policies', {
      organisation_id: org.id, domain, version: '1', approved_on: day(-200), approved_by: 'Board', review_due: day(d),
    });
  }
  return org;
}

// A signed-in client for a new user of org with role, made by admin on server.
export async function newUser(server, admin, role, org) {
  const email = `${unique(role).replace(/\W/g, '')}@example.org`;
  const password = 'a long enough password';
  const r = await admin.post(`${API}/users`, { email, name: `New ${role}`, role, organisation_id: org.id, password });
  assert.equal(r.status, 201, r.text);
  const c = new Client(server.url);
  await c.signIn(email, password);
  return c;
}

// A published directory service named after `name`, of a new directory
// organization linked to org (or to none), made by a system lead.
export async function publishedService(systemLead, org, name = 'Singing Group') {
  const body = { name: unique('Dir Org') };
  if (org) body.organisation_id = org.id;
  const o = await systemLead.post(`${API}/directory/organizations`, body);
  assert.equal(o.status, 201, o.text);
  const s = await systemLead.post(`${API}/directory/services`, {
    organization_id: o.data.id, name: unique(name), description: 'Singing together.', status: 'active',
  });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.data.state, 'published');
  return s.data;
}

// A new referral made by client, insisting on 201.
export async function refer(client, body) {
  const r = await client.post(`${API}/referrals`, body);
  assert.equal(r.status, 201, r.text);
  return r.data;
}

// Moves referral id to `to` as client, insisting on 200; the referral after.
export async function move(client, id, to, extra = {}) {
  const r = await client.post(`${API}/referrals/${id}/transitions`, { to, ...extra });
  assert.equal(r.status, 200, `${to}: ${r.text}`);
  return r.data;
}

// The id of a published directory service of the signed-in provider's own organisation (demo database).
export async function ownPublishedService(provider) {
  const org = (await getOk(provider, `${API}/session`)).user.organisation_id;
  const services = await getOk(provider, `${API}/directory/services?per_page=100`);
  const mine = services.items.find((s) => s.organisation_id === org && s.state === 'published');
  assert.ok(mine, 'the demo provider has a published service');
  return { org, serviceId: mine.id };
}

const LIFECYCLE = ['sent', 'accepted', 'started', 'completed'];

// A new person referred by the link worker to serviceId and moved along the
// lifecycle to `status` (sent, accepted, started, completed: the link worker
// sends, the provider the rest); { id, participant }.
export async function referralAt({ link_worker, provider }, serviceId, status, {
  name = unique('Pat'), date_of_birth = '1960-05-06', notes,
} = {}) {
  const p = await create(link_worker, 'participants', { name, date_of_birth });
  const body = { participant_id: p.id, service_id: serviceId, needs: [] };
  if (notes !== undefined) body.notes = notes;
  const r = await refer(link_worker, body);
  for (const to of LIFECYCLE.slice(0, LIFECYCLE.indexOf(status) + 1)) {
    await move(to === 'sent' ? link_worker : provider, r.id, to);
  }
  return { id: r.id, participant: p.id };
}
