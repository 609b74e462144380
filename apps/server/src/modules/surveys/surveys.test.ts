import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { invitedContact, move, type PortalWorld, portalWorld, RESOLVE, SIGNATURE } from '../../../test/portal-world';
import { npsGroup, summarise } from './nps';

describe('NPS arithmetic', () => {
  it('groups scores and computes % promoters − % detractors', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsGroup)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
    const s = summarise({
      sent: 4,
      answered: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      csatResponses: 0,
      csatSum: 0,
    });
    expect(s).toMatchObject({ nps: null, responseRate: 0, csatAverage: null });
  });
});

describe.each(BACKENDS)('satisfaction surveys on %s', (kind) => {
  let server: TestServer;
  let w: PortalWorld;
  let contact: Agent;
  let manager: Agent;

  beforeAll(async () => {
    server = await createTestServer(kind);
    w = await portalWorld(server);
    contact = await invitedContact(server, w);
    manager = await server.userWith('manager');
  });
  afterAll(async () => {
    await server?.close();
  });

  const settle = () => server.platform.dispatcher.settle();
  const report = async () =>
    (
      await contact.post('/api/v1/tickets', {
        channel: 'portal',
        contactName: '王经理',
        title: '主轴报警停机',
        description: '主轴报警 ALM-401，设备停机，无法复位',
        deviceId: w.home.deviceId,
      })
    ).json().ticket as { id: string; version: number };
  /** Report → triage → remote → resolve (checklist complete), ready for confirmation or close. */
  const resolved = async () => {
    let t = await report();
    t = await move(w.agent, t, { action: 'triage', priority: 'P3' });
    t = await move(w.agent, t, { action: 'start_remote' });
    return move(w.agent, t, RESOLVE);
  };

  it('creates one survey when a ticket closes, carrying the CSAT given at confirmation', async () => {
    const ticket = await resolved();
    const confirmed = await contact.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      action: 'confirm',
      version: ticket.version,
      signature: SIGNATURE,
      csat: 4,
    });
    expect(confirmed.json().state).toBe('closed');
    await settle();
    const mine = (await contact.get(`/api/v1/surveys?ticketId=${ticket.id}`)).json();
    expect(mine.total).toBe(1);
    const survey = mine.items[0];
    expect(survey).toMatchObject({ state: 'pending', csat: 4, csatSource: 'confirmation', nps: null });

    // Delivered again, or closed again after a reopen: still the one survey.
    await server.platform.transaction((tx) => server.modules.surveys.service.createFor(tx, ticket.id));
    let t = await move(w.agent, confirmed.json(), { action: 'reopen', reason: '又报警了' });
    t = await move(w.agent, t, { action: 'start_remote' });
    t = await move(w.agent, t, RESOLVE);
    await move(manager, t, { action: 'close', overrideReason: '客户电话确认' });
    await settle();
    expect((await contact.get(`/api/v1/surveys?ticketId=${ticket.id}`)).json().total).toBe(1);
    const timeline = (await contact.get(`/api/v1/tickets/${ticket.id}/timeline`)).json();
    expect(timeline.filter((e: { type: string }) => e.type === 'survey.created')).toHaveLength(1);

    // Already rated while signing: the survey doesn't ask again, and a CSAT sent anyway is ignored.
    const answered = await contact.post(`/api/v1/surveys/${survey.id}/answer`, { csat: 1, nps: 9, comment: '响应快' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ state: 'answered', csat: 4, csatSource: 'confirmation', nps: 9 });
    const twice = await contact.post(`/api/v1/surveys/${survey.id}/answer`, { nps: 3 });
    expect(twice.statusCode).toBe(409);
    const stranger = await server.userWith('customer', { customerId: w.away.customerId });
    expect((await stranger.get(`/api/v1/surveys/${survey.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/v1/surveys')).json().total).toBe(0);
    // Customers answer; they don't read the KPI.
    expect((await contact.get('/api/v1/surveys/summary')).statusCode).toBe(403);
  });

  it('computes NPS and response rate from a hand-computed fixture', async () => {
    // Surveys sent from here on are the fixture.
    server.clock.advance(24 * 3_600_000);
    const from = server.clock.now().toISOString();
    // Sessions end after idle time: everyone signs in again on the moved clock.
    w.agent = await server.signIn('account-manager');
    contact = await invitedContact(server, w, '13612345678');
    manager = await server.userWith('manager');
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const t = await resolved();
      // Closed without the customer's confirmation (manager override): the survey asks for CSAT too.
      await move(manager, t, { action: 'close', overrideReason: '客户未在线确认' });
      ids.push(t.id);
    }
    await settle();
    const pending = (await contact.get('/api/v1/surveys?state=pending&pageSize=50')).json();
    const fixture = pending.items.filter((s: { ticketId: string }) => ids.includes(s.ticketId));
    expect(fixture).toHaveLength(8);
    expect(fixture.every((s: { csat: number | null }) => s.csat === null)).toBe(true);

    const missingCsat = await contact.post(`/api/v1/surveys/${fixture[0].id}/answer`, { nps: 10 });
    expect(missingCsat.statusCode).toBe(400);
    expect(missingCsat.json().details[0].path).toBe('csat');

    // Six answers: promoters 10, 9, 9 · passive 8 · detractors 6, 3; two never answered.
    const answers = [
      [10, 5],
      [9, 5],
      [9, 4],
      [8, 4],
      [6, 2],
      [3, 1],
    ];
    for (const [i, [nps, csat]] of answers.entries()) {
      const res = await contact.post(`/api/v1/surveys/${fixture[i].id}/answer`, { nps, csat });
      expect(res.statusCode, res.body).toBe(200);
    }
    const summary = (await manager.get(`/api/v1/surveys/summary?from=${encodeURIComponent(from)}`)).json();
    // (3 − 2) / 6 = 16.7 %; 6 of 8 answered = 75 %; CSAT (5+5+4+4+2+1) / 6 = 3.5.
    expect(summary).toEqual({
      sent: 8,
      answered: 6,
      responseRate: 75,
      npsResponses: 6,
      promoters: 3,
      passives: 1,
      detractors: 2,
      nps: 16.7,
      csatResponses: 6,
      csatAverage: 3.5,
    });
  });
});
