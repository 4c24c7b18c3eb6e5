// Governance views over HTTP: the JSON contracts of compliance, chains of
// accountability, sharing agreements due for review and the digest; bad
// parameters (400 naming them); a provider's compliance limited to its own
// organisation; and the pages that draw them.
//
// The server runs on the real clock, so dates are days from today (UTC),
// kept well clear of the window's edges (tests/domain/test_compliance.c
// checks the edges on a fixed clock).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { API, assertProblem, create, getOk, signInRoles, unique } from './helpers.mjs';

const REQUIRED = ['quality_assurance', 'working_standards', 'safeguarding', 'data_management'];
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

let server, as, me, w;

// A fresh place with four organisations in it, named so they sort A, B, C, D:
// A compliant, B expiring, C missing everything, D with one expired policy.
async function buildWorld(lead) {
  const place = await create(lead, 'places', { name: unique('Gov place') });
  const org = (letter) => create(lead, 'organisations',
    { name: unique(`${letter} Gov org`), sector: 'vcse', place_ids: [place.id] });
  const [a, b, c, d] = [await org('A'), await org('B'), await org('C'), await org('D')];
  const policy = (o, domain, approved, due) => create(lead, 'policies', {
    organisation_id: o.id, domain, version: '1', approved_on: approved, approved_by: 'Board',
    review_due: due,
  });
  for (const dom of REQUIRED) {
    await policy(a, dom, day(-200), day(300));
    await policy(b, dom, day(-200), dom === 'safeguarding' ? day(10) : day(300));
    await policy(d, dom, day(-200), dom === 'data_management' ? day(-5) : day(300));
  }
  await policy(a, 'insurance', day(-400), day(-30)); // optional: never counts
  return { place, a, b, c, d };
}

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'provider', 'viewer']);
  me = {};
  for (const [role, c] of Object.entries(as)) me[role] = (await getOk(c, `${API}/session`)).user;
  w = await buildWorld(as.system_lead);
});
after(async () => { await server?.stop(); });

const COMPLIANCE_KEYS = ['organisation_id', 'name', 'status', 'missing', 'expiring', 'expired'];

describe('GET /api/v1/compliance', () => {
  test('each organisation: the keys, a status, and domain lists; ordered by name', async () => {
    const d = await getOk(as.viewer, `${API}/compliance`);
    assert.deepEqual(Object.keys(d), ['organisations']);
    assert.ok(d.organisations.length >= 60, 'every demo organisation and ours');
    for (const o of d.organisations) {
      assert.deepEqual(Object.keys(o), COMPLIANCE_KEYS);
      assert.ok(Number.isInteger(o.organisation_id));
      assert.ok(['compliant', 'expiring', 'non_compliant'].includes(o.status));
      for (const k of ['missing', 'expiring', 'expired']) {
        assert.ok(Array.isArray(o[k]));
        for (const dom of o[k]) assert.ok(REQUIRED.includes(dom), `${dom} is not required`);
      }
    }
  });

  test('a place filter: its organisations by name, each judged by its policies', async () => {
    const d = await getOk(as.viewer, `${API}/compliance?place_id=${w.place.id}`);
    assert.deepEqual(d.organisations, [
      { organisation_id: w.a.id, name: w.a.name, status: 'compliant', missing: [], expiring: [], expired: [] },
      { organisation_id: w.b.id, name: w.b.name, status: 'expiring', missing: [], expiring: ['safeguarding'], expired: [] },
      { organisation_id: w.c.id, name: w.c.name, status: 'non_compliant', missing: REQUIRED, expiring: [], expired: [] },
      { organisation_id: w.d.id, name: w.d.name, status: 'non_compliant', missing: [], expiring: [], expired: ['data_management'] },
    ]);
  });

  test('a status filter, with the place; an empty value is no filter', async () => {
    const d = await getOk(as.place_lead, `${API}/compliance?place_id=${w.place.id}&status=non_compliant`);
    assert.deepEqual(d.organisations.map((o) => o.organisation_id), [w.c.id, w.d.id]);
    const e = await getOk(as.place_lead, `${API}/compliance?place_id=${w.place.id}&status=expiring`);
    assert.deepEqual(e.organisations.map((o) => o.organisation_id), [w.b.id]);
    const all = await getOk(as.place_lead, `${API}/compliance?place_id=${w.place.id}&status=`);
    assert.equal(all.organisations.length, 4);
  });

  test('one organisation: the same object; 404 for none', async () => {
    assert.deepEqual(await getOk(as.viewer, `${API}/organisations/${w.d.id}/compliance`), {
      organisation_id: w.d.id, name: w.d.name, status: 'non_compliant', missing: [], expiring: [],
      expired: ['data_management'],
    });
    assertProblem(await as.viewer.get(`${API}/organisations/999999/compliance`), 404);
    assertProblem(await as.viewer.get(`${API}/organisations/abc/compliance`), 404);
  });

  test('bad parameters are 400 problems naming them', async () => {
    const bad = [
      ['status=lapsed', 'status'],
      ['place_id=abc', 'place_id'],
      ['place_id=-1', 'place_id'],
      ['place_id=999999', 'place_id'],
      ['colour=red', 'colour'],
    ];
    for (const [q, field] of bad) {
      assertProblem(await as.viewer.get(`${API}/compliance?${q}`), 400, { fields: [field] });
    }
  });

  test('a provider sees only its own organisation', async () => {
    const own = me.provider.organisation_id;
    const d = await getOk(as.provider, `${API}/compliance`);
    assert.deepEqual(d.organisations.map((o) => o.organisation_id), [own]);
    assert.deepEqual(Object.keys(d.organisations[0]), COMPLIANCE_KEYS);
    const there = await getOk(as.provider, `${API}/compliance?place_id=${w.place.id}`);
    assert.deepEqual(there.organisations, []); // its organisation does not serve our place
    await getOk(as.provider, `${API}/organisations/${own}/compliance`);
    assertProblem(await as.provider.get(`${API}/organisations/${w.a.id}/compliance`), 403);
  });

  test('nobody signed in: 401', async () => {
    const anon = new Client(server.url);
    for (const p of ['compliance', `organisations/${w.a.id}/compliance`, 'accountability/chains',
      'sharing-agreements/expiring', 'digest']) {
      assertProblem(await anon.get(`${API}/${p}`), 401);
    }
  });
});

describe('GET /api/v1/accountability/chains', () => {
  let top, mid, lower, boss, manager;

  before(async () => {
    const lead = as.system_lead;
    top = await create(lead, 'organisations', { name: unique('Top board'), sector: 'nhs' });
    mid = w.a;
    lower = w.b;
    boss = await create(lead, 'people', { organisation_id: top.id, name: unique('Boss') });
    manager = await create(lead, 'people', { organisation_id: mid.id, name: unique('Manager') });
    await create(lead, 'accountability', { organisation_id: mid.id, domain: 'data', accountable_person_id: boss.id });
    await create(lead, 'accountability', { organisation_id: lower.id, domain: 'data', accountable_person_id: manager.id });
  });

  test('each organisation with a line: its chain upward to the top', async () => {
    const d = await getOk(as.viewer, `${API}/accountability/chains?domain=data`);
    assert.deepEqual(Object.keys(d), ['domain', 'chains']);
    assert.equal(d.domain, 'data');
    const of = (id) => d.chains.find((c) => c.organisation_id === id);
    assert.deepEqual(of(lower.id), {
      domain: 'data', organisation_id: lower.id, organisation_name: lower.name,
      steps: [
        { organisation_id: lower.id, person_id: manager.id, person_name: manager.name, person_organisation_id: mid.id },
        { organisation_id: mid.id, person_id: boss.id, person_name: boss.name, person_organisation_id: top.id },
      ],
      truncated: false,
    });
    assert.equal(of(mid.id).steps.length, 1);
    assert.equal(of(top.id), undefined, 'the top has no line of its own');
    for (const c of d.chains) {
      assert.equal(c.domain, 'data');
      for (const s of c.steps) assert.deepEqual(Object.keys(s),
        ['organisation_id', 'person_id', 'person_name', 'person_organisation_id']);
    }
  });

  test('every domain without the parameter; naming people is an audited read', async () => {
    const d = await getOk(as.viewer, `${API}/accountability/chains`);
    assert.equal(d.domain, null);
    assert.ok(d.chains.some((c) => c.domain === 'data'));
    const audit = await getOk(as.admin, `${API}/audit?entity=people&action=read&actor_user_id=${me.viewer.id}&per_page=5`);
    assert.ok(audit.total >= 1, 'the read of the people named is in the audit log');
  });

  test('a bad domain is a 400 naming it', async () => {
    assertProblem(await as.viewer.get(`${API}/accountability/chains?domain=finance`), 400, { fields: ['domain'] });
  });
});

describe('GET /api/v1/sharing-agreements/expiring', () => {
  let overdue, soon, later;

  before(async () => {
    const make = (title, a, b, review) => create(as.system_lead, 'sharing-agreements', {
      title: unique(title), party_ids: [a.id, b.id], purpose: 'Referrals', lawful_basis: 'public_task',
      data_categories: 'Names', start_date: day(-400), review_date: review,
    });
    overdue = await make('Overdue', w.a, w.b, day(-3));
    soon = await make('Soon', w.c, w.d, day(10));
    later = await make('Later', w.a, w.d, day(60));
  });

  test('within 30 days or past, earliest first, with the parties', async () => {
    const d = await getOk(as.viewer, `${API}/sharing-agreements/expiring?days=30`);
    assert.deepEqual(Object.keys(d), ['days', 'place_id', 'items']);
    assert.equal(d.days, 30);
    assert.equal(d.place_id, null);
    const ids = d.items.map((i) => i.id);
    assert.ok(ids.includes(overdue.id) && ids.includes(soon.id) && !ids.includes(later.id));
    assert.ok(ids.indexOf(overdue.id) < ids.indexOf(soon.id));
    const o = d.items.find((i) => i.id === overdue.id);
    assert.deepEqual(o, {
      id: overdue.id, title: overdue.title, lawful_basis: 'public_task', start_date: day(-400),
      review_date: day(-3), days_left: -3, overdue: true, party_ids: o.party_ids,
    });
    assert.deepEqual([...o.party_ids].sort((x, y) => x - y), [w.a.id, w.b.id].sort((x, y) => x - y));
    assert.equal(d.items.find((i) => i.id === soon.id).days_left, 10);
    assert.deepEqual(await getOk(as.viewer, `${API}/sharing-agreements/expiring`), d, '30 is the default');
  });

  test('days=0 is overdue only; more days reach further', async () => {
    const none = await getOk(as.viewer, `${API}/sharing-agreements/expiring?days=0`);
    assert.ok(none.items.every((i) => i.days_left <= 0));
    const far = await getOk(as.viewer, `${API}/sharing-agreements/expiring?days=90&place_id=${w.place.id}`);
    assert.deepEqual(far.items.map((i) => i.id), [overdue.id, soon.id, later.id]);
  });

  test('bad parameters are 400 problems naming them', async () => {
    for (const [q, field] of [['days=abc', 'days'], ['days=-1', 'days'], ['days=99999', 'days'],
      ['place_id=x', 'place_id'], ['place_id=999999', 'place_id']]) {
      assertProblem(await as.viewer.get(`${API}/sharing-agreements/expiring?${q}`), 400, { fields: [field] });
    }
  });
});

describe('GET /api/v1/digest', () => {
  let action, connection, owner;

  before(async () => {
    const lead = as.system_lead;
    owner = await create(lead, 'people', { organisation_id: w.a.id, name: unique('Owner') });
    action = await create(lead, 'actions', {
      title: unique('Late action'), place_id: w.place.id, owner_person_id: owner.id, due_date: day(-5),
      status: 'at_risk',
    });
    await create(lead, 'actions', {
      title: unique('Done action'), place_id: w.place.id, owner_person_id: owner.id, due_date: day(-5),
      status: 'done',
    });
    connection = await create(lead, 'connections', {
      from_organisation_id: w.a.id, to_organisation_id: w.b.id, kind: 'referral_pathway', start_date: day(-1),
    });
  });

  test('for a place: the contract, and what lies in it', async () => {
    const d = await getOk(as.viewer, `${API}/digest?place_id=${w.place.id}`);
    assert.deepEqual(Object.keys(d), ['place_id', 'concerns', 'compliance', 'overdue_actions',
      'new_connections', 'expiring_agreements']);
    assert.equal(d.place_id, w.place.id);
    assert.deepEqual(Object.keys(d.concerns), ['open_by_severity']);
    assert.deepEqual(d.concerns.open_by_severity, { urgent: 0, high: 0, medium: 0, low: 0 });
    assert.deepEqual(d.compliance, { compliant: 1, expiring: 1, non_compliant: 2 });
    assert.deepEqual(d.overdue_actions, [
      { id: action.id, title: action.title, due_date: day(-5), owner_person_id: owner.id },
    ]);
    assert.deepEqual(d.new_connections, [{
      id: connection.id, from_organisation_id: w.a.id, to_organisation_id: w.b.id,
      kind: 'referral_pathway', start_date: day(-1),
    }]);
    const ids = d.expiring_agreements.map((a) => a.id);
    assert.equal(ids.length, 2, 'the overdue one and the one due in 10 days');
    for (const a of d.expiring_agreements) assert.ok(a.days_left <= 30);
  });

  test('the whole system without place_id; counts for everyone, a provider too', async () => {
    const d = await getOk(as.provider, `${API}/digest`);
    assert.equal(d.place_id, null);
    const total = d.compliance.compliant + d.compliance.expiring + d.compliance.non_compliant;
    const all = await getOk(as.viewer, `${API}/compliance`);
    assert.equal(total, all.organisations.length);
    assert.ok(d.overdue_actions.some((a) => a.id === action.id));
    for (const n of Object.values(d.concerns.open_by_severity)) assert.ok(Number.isInteger(n));
  });

  test('bad parameters are 400 problems naming them', async () => {
    for (const [q, field] of [['place_id=abc', 'place_id'], ['place_id=999999', 'place_id'], ['days=3', 'days']]) {
      assertProblem(await as.viewer.get(`${API}/digest?${q}`), 400, { fields: [field] });
    }
  });
});

describe('governance pages', () => {
  test('each page is 200 HTML, with no inline style', async () => {
    const pages = ['/governance', '/compliance', `/compliance?place_id=${w.place.id}&status=expiring`,
      '/accountability/chains', '/accountability/chains?domain=data', '/sharing-agreements/expiring',
      '/digest', `/digest?place_id=${w.place.id}`];
    for (const p of pages) {
      for (const role of ['viewer', 'provider']) {
        const r = await as[role].get(p);
        assert.equal(r.status, 200, `${role} ${p}: ${r.status}`);
        assert.match(r.headers.get('content-type'), /^text\/html/);
        assert.ok(!/\sstyle=/.test(r.text), `${p} has a style attribute`);
      }
    }
    const hub = await as.viewer.get('/governance');
    for (const href of ['/policies', '/compliance', '/accountability', '/accountability/chains',
      '/sharing-agreements', '/sharing-agreements/expiring', '/concerns', '/digest']) {
      assert.ok(hub.text.includes(`href="${href}"`), `the hub links ${href}`);
    }
    const comp = await as.viewer.get(`/compliance?place_id=${w.place.id}`);
    assert.ok(comp.text.includes('nhsuk-tag--green') && comp.text.includes('nhsuk-tag--yellow')
      && comp.text.includes('nhsuk-tag--red'));
    const chains = await as.viewer.get('/accountability/chains?domain=data');
    assert.ok(chains.text.includes(`href="/organisations/${w.b.id}"`));
  });

  test('a bad filter is 400 with an error summary linking to the field', async () => {
    for (const [p, field] of [['/compliance?status=zzz', 'status'], ['/compliance?place_id=abc', 'place_id'],
      ['/accountability/chains?domain=zzz', 'domain'], ['/sharing-agreements/expiring?days=x', 'days'],
      ['/digest?place_id=999999', 'place_id']]) {
      const r = await as.viewer.get(p);
      assert.equal(r.status, 400, p);
      assert.ok(r.text.includes('nhsuk-error-summary'), p);
      assert.ok(r.text.includes(`href="#field-${field}"`), `${p} links to its field`);
    }
  });

  test('a provider is told the compliance list is its own organisation only', async () => {
    const r = await as.provider.get('/compliance');
    assert.ok(r.text.includes('You see your own organisation only'));
    assert.ok(r.text.includes(`href="/organisations/${me.provider.organisation_id}"`));
    assert.ok(!r.text.includes(`href="/organisations/${w.a.id}"`));
  });
});
