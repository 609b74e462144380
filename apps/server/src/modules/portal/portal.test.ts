import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/databases';
import { type Agent, createTestServer, type TestServer } from '../../../test/harness';
import { pdfText } from '../../../test/pdf';
import { invitedContact, move, type PortalWorld, portalWorld, RESOLVE, SIGNATURE } from '../../../test/portal-world';
import { priceQuote } from './quotes';

const REPORT = {
  channel: 'portal',
  contactName: '王经理',
  contactPhone: '13912345678',
  title: '主轴报警停机',
  description: '主轴报警 ALM-401，设备停机，无法复位，生产线停产',
};

describe('quote pricing', () => {
  it('prices each line in whole fen and sums the lines', () => {
    const priced = priceQuote([
      { kind: 'part', description: '编码器线缆', quantity: 2, unitPriceFen: 12_345 },
      { kind: 'labour', description: '工时', quantity: 1.5, unitPriceFen: 20_001 },
    ]);
    expect(priced.lines.map((l) => l.amountFen)).toEqual([24_690, 30_002]);
    expect(priced.totalFen).toBe(54_692);
  });
});

describe.each(BACKENDS)('customer portal API on %s', (kind) => {
  let server: TestServer;
  let w: PortalWorld;
  let contact: Agent;

  beforeAll(async () => {
    server = await createTestServer(kind);
    w = await portalWorld(server);
    contact = await invitedContact(server, w);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('invites a contact: one-time link, password policy, sign-in by phone and by e-mail, expiry', async () => {
    const created = await w.agent.post('/api/v1/portal/invitations', {
      customerId: w.home.customerId,
      name: '李工',
      mobile: '+86 137-1234-5678',
      email: 'Li.Gong@Example.com',
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    // No SMTP configured: the staff member is shown the link to pass on.
    expect(body.emailed).toBe(false);
    expect(body.invitation).toMatchObject({ state: 'pending', mobile: '13712345678', email: 'li.gong@example.com' });
    const token = body.link.split('/portal/invite/')[1];

    const preview = await server.anonymous.get(`/api/v1/portal/invitations/preview?token=${token}`);
    expect(preview.json()).toMatchObject({ name: '李工', customerName: '深圳精工数控设备有限公司' });

    const weak = await server.anonymous.post('/api/v1/portal/invitations/accept', { token, password: '123' });
    expect(weak.statusCode).toBe(422);
    // A refused password leaves the link usable.
    const accepted = await server.anonymous.post('/api/v1/portal/invitations/accept', {
      token,
      password: 'Li-Gong-Portal-2026',
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().signInWith).toBe('13712345678');
    const again = await server.anonymous.post('/api/v1/portal/invitations/accept', {
      token,
      password: 'Li-Gong-Portal-2026',
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('portal.invitation_invalid');

    const byPhone = await server.signIn('137 1234 5678', 'Li-Gong-Portal-2026');
    const me = (await byPhone.get('/api/v1/auth/me')).json();
    expect(me).toMatchObject({ roles: ['customer'], customerId: w.home.customerId, displayName: '李工' });
    const byEmail = await server.anonymous.post('/api/v1/auth/login', {
      username: 'LI.GONG@example.com',
      password: 'Li-Gong-Portal-2026',
    });
    expect(byEmail.statusCode).toBe(200);
    expect(byEmail.json().id).toBe(me.id);

    // The same phone can't be handed to a second contact: it is a sign-in name.
    const taken = await w.agent.post('/api/v1/portal/invitations', {
      customerId: w.away.customerId,
      name: '冒名',
      mobile: '13712345678',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().details[0].path).toBe('mobile');

    const neither = await w.agent.post('/api/v1/portal/invitations', { customerId: w.home.customerId, name: '无' });
    expect(neither.statusCode).toBe(400);

    const late = await w.agent.post('/api/v1/portal/invitations', {
      customerId: w.home.customerId,
      name: '赵工',
      email: 'zhao@example.com',
      expiresInDays: 1,
    });
    const lateToken = late.json().link.split('/portal/invite/')[1];
    server.clock.advance(25 * 3_600_000);
    try {
      const expired = await server.anonymous.post('/api/v1/portal/invitations/accept', {
        token: lateToken,
        password: 'Zhao-Portal-Pass-2026',
      });
      expect(expired.statusCode).toBe(404);
    } finally {
      server.clock.advance(-25 * 3_600_000);
    }
    const list = (await w.agent.get(`/api/v1/portal/invitations?customerId=${w.home.customerId}`)).json();
    expect(list.items.map((i: { state: string }) => i.state).sort()).toEqual(['accepted', 'accepted', 'pending']);
    // Engineers don't invite customers.
    expect((await w.engineer.get('/api/v1/portal/invitations')).statusCode).toBe(403);
  });

  it('mails the link when SMTP is configured', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        let data = '';
        stream.on('data', (c) => (data += c));
        stream.on('end', () => {
          received.push(data);
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as { port: number }).port;
    const mailing = await createTestServer(kind, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      PUBLIC_URL: 'https://service.example.com',
    });
    try {
      const world = await portalWorld(mailing);
      const res = await world.agent.post('/api/v1/portal/invitations', {
        customerId: world.home.customerId,
        name: '孙工',
        email: 'sun@example.com',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().emailed).toBe(true);
      expect(res.json().link).toMatch(/^https:\/\/service\.example\.com\/portal\/invite\//);
      expect(received).toHaveLength(1);
      const token = res.json().link.split('/portal/invite/')[1];
      // Quoted-printable may wrap the line: compare without soft line breaks.
      expect(received[0]!.replace(/=\r?\n/g, '')).toContain(token.slice(0, 20));
    } finally {
      await mailing.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it('prefills a report from a scanned QR label only for the contact’s own devices', async () => {
    const own = await contact.get(`/api/v1/portal/scan?code=${w.home.assetCode.toLowerCase()}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({
      deviceId: w.home.deviceId,
      modelName: '立式加工中心 VMC-850',
      siteId: w.home.siteId,
      serviceAddress: '科技园南路 1 号',
      warrantyStatus: 'in_warranty',
    });
    const foreign = await contact.get(`/api/v1/portal/scan?code=${w.away.assetCode}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('上海远方');
    expect((await contact.get('/api/v1/portal/scan?code=NO-SUCH')).statusCode).toBe(404);
    // Staff scanning in the field see any device their scope reaches.
    expect((await w.agent.get(`/api/v1/portal/scan?code=${w.away.assetCode}`)).statusCode).toBe(200);

    const created = await contact.post('/api/v1/tickets', { ...REPORT, deviceId: own.json().deviceId });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().ticket).toMatchObject({
      customerId: w.home.customerId,
      deviceId: w.home.deviceId,
      channel: 'portal',
    });
  });

  it('runs a quote: staff issue, the customer rejects with a reason or approves, all on the timeline', async () => {
    const ticket = (await w.agent.post('/api/v1/tickets', { ...REPORT, customerId: w.home.customerId })).json().ticket;
    const lines = [
      { kind: 'part', description: '编码器线缆 5 米', sku: 'ENC-CBL-5M', quantity: 2, unitPriceFen: 12_345 },
      { kind: 'labour', description: '上门工时', quantity: 1.5, unitPriceFen: 20_000 },
    ];
    const first = await w.agent.post(`/api/v1/tickets/${ticket.id}/quotes`, { lines, note: '保外维修' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ state: 'pending', totalFen: 54_690 });
    const second = await w.agent.post(`/api/v1/tickets/${ticket.id}/quotes`, { lines });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('quote.pending_exists');

    // Who may do what: the customer can't price, staff can't decide, other organisations see nothing.
    expect((await contact.post(`/api/v1/tickets/${ticket.id}/quotes`, { lines })).statusCode).toBe(403);
    const staffDecides = await w.agent.post(`/api/v1/quotes/${first.json().id}/decision`, {
      decision: 'approve',
      version: 1,
    });
    expect(staffDecides.statusCode).toBe(403);
    expect(staffDecides.json().code).toBe('quote.customer_decides');
    const stranger = await server.userWith('customer', { customerId: w.away.customerId });
    expect((await stranger.get(`/api/v1/tickets/${ticket.id}/quotes`)).statusCode).toBe(404);
    expect(
      (await stranger.post(`/api/v1/quotes/${first.json().id}/decision`, { decision: 'approve', version: 1 }))
        .statusCode,
    ).toBe(404);
    // An engineer sees quotes of own jobs only.
    expect((await w.engineer.get(`/api/v1/tickets/${ticket.id}/quotes`)).statusCode).toBe(404);

    const noReason = await contact.post(`/api/v1/quotes/${first.json().id}/decision`, {
      decision: 'reject',
      version: 1,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0].path).toBe('reason');
    const rejected = await contact.post(`/api/v1/quotes/${first.json().id}/decision`, {
      decision: 'reject',
      version: 1,
      reason: '价格偏高，请重新报价',
    });
    expect(rejected.json()).toMatchObject({ state: 'rejected', decisionReason: '价格偏高，请重新报价', version: 2 });
    const late = await contact.post(`/api/v1/quotes/${first.json().id}/decision`, { decision: 'approve', version: 2 });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('quote.not_pending');

    const revised = await w.agent.post(`/api/v1/tickets/${ticket.id}/quotes`, { lines: [lines[0]] });
    expect(revised.json().totalFen).toBe(24_690);
    const stale = await contact.post(`/api/v1/quotes/${revised.json().id}/decision`, {
      decision: 'approve',
      version: 7,
    });
    expect(stale.statusCode).toBe(409);
    const approved = await contact.post(`/api/v1/quotes/${revised.json().id}/decision`, {
      decision: 'approve',
      version: 1,
    });
    expect(approved.json().state).toBe('approved');

    const quotes = (await contact.get(`/api/v1/tickets/${ticket.id}/quotes`)).json();
    expect(quotes.map((q: { state: string }) => q.state)).toEqual(['rejected', 'approved']);
    const timeline = (await contact.get(`/api/v1/tickets/${ticket.id}/timeline`)).json();
    expect(timeline.map((e: { type: string }) => e.type)).toEqual([
      'ticket.created',
      'quote.issued',
      'quote.rejected',
      'quote.issued',
      'quote.approved',
    ]);
    expect(timeline[2].data.reason).toBe('价格偏高，请重新报价');
  });

  it('suggests FAQ answers while typing and counts “this solved it”', async () => {
    const faqs = [
      {
        question: '主轴报警 ALM-401 停机怎么办？',
        answer: '先断电 5 分钟再上电复位；仍报警请报修。',
        keywords: '主轴 编码器 报警 停机',
      },
      { question: '如何更换冷却液？', answer: '排空水箱后按说明书比例加注。', keywords: '冷却液 切削液' },
      { question: '触摸屏无响应', answer: '长按电源键 10 秒重启操作面板。', keywords: '屏幕 黑屏 死机' },
    ];
    const ids: string[] = [];
    for (const faq of faqs) {
      const res = await w.agent.post('/api/v1/faqs', faq);
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    expect((await contact.post('/api/v1/faqs', faqs[0])).statusCode).toBe(403);
    const suggested = (
      await contact.get(`/api/v1/faqs/suggest?text=${encodeURIComponent('主轴突然报警停机了')}`)
    ).json();
    expect(suggested[0].id).toBe(ids[0]);
    expect(suggested.map((s: { id: string }) => s.id)).not.toContain(ids[1]);
    const none = (await contact.get(`/api/v1/faqs/suggest?text=${encodeURIComponent('发票抬头修改')}`)).json();
    expect(none).toEqual([]);

    const solved = await contact.post(`/api/v1/faqs/${ids[0]}/feedback`, { solved: true });
    expect(solved.json().solvedCount).toBe(1);
    await contact.post(`/api/v1/faqs/${ids[0]}/feedback`, { solved: false });
    const listed = (await w.agent.get('/api/v1/faqs')).json().items;
    expect(listed[0]).toMatchObject({ id: ids[0], solvedCount: 1, unsolvedCount: 1 });

    // A withdrawn answer is no longer suggested nor listed for customers.
    const hidden = await w.agent.patch(`/api/v1/faqs/${ids[0]}`, { version: 1, active: false });
    expect(hidden.statusCode, hidden.body).toBe(200);
    const after = (await contact.get(`/api/v1/faqs/suggest?text=${encodeURIComponent('主轴突然报警停机了')}`)).json();
    expect(after.map((s: { id: string }) => s.id)).not.toContain(ids[0]);
    expect((await contact.get('/api/v1/faqs?includeInactive=true')).json().total).toBe(2);
  });

  it('tracks a ticket like a parcel and prints its service report with Chinese text and the signature', async () => {
    let ticket = (await contact.post('/api/v1/tickets', { ...REPORT, deviceId: w.home.deviceId })).json().ticket;
    const staff = w.agent;
    ticket = await move(staff, ticket, { action: 'triage', priority: 'P2' });
    ticket = await move(staff, ticket, {
      action: 'dispatch',
      engineerId: w.engineer.userId,
      plannedStart: '2030-05-06T09:00:00+08:00',
      plannedEnd: '2030-05-06T12:00:00+08:00',
    });
    const tracking = (await contact.get(`/api/v1/portal/tickets/${ticket.id}/tracking`)).json();
    expect(tracking).toMatchObject({
      state: 'dispatched',
      engineer: { name: 'engineer-zhang' },
      nextVisit: {
        plannedStart: '2030-05-06T01:00:00.000Z',
        plannedEnd: '2030-05-06T04:00:00.000Z',
        checkedInAt: null,
      },
      pendingQuoteId: null,
    });
    expect(tracking.promise.resolveBy).not.toBeNull();
    const stranger = await server.userWith('customer', { customerId: w.away.customerId });
    expect((await stranger.get(`/api/v1/portal/tickets/${ticket.id}/tracking`)).statusCode).toBe(404);

    const visitId = (await staff.get(`/api/v1/tickets/${ticket.id}`)).json().visits[0].id;
    ticket = await move(staff, ticket, { action: 'check_in', visitId });
    ticket = await move(staff, ticket, { action: 'check_out', visitId });
    ticket = await move(staff, ticket, RESOLVE);
    const confirmed = await contact.post(`/api/v1/tickets/${ticket.id}/transitions`, {
      action: 'confirm',
      version: ticket.version,
      signature: SIGNATURE,
      csat: 5,
    });
    expect(confirmed.json().state).toBe('closed');

    const pdf = await contact.get(`/api/v1/tickets/${ticket.id}/service-report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [
      '服务报告单',
      '深圳精工数控设备有限公司',
      '立式加工中心 VMC-850',
      '主轴报警停机',
      '主轴编码器线缆磨损断线',
      '编码器线缆 5 米',
      '120 分钟',
      '功能测试：通过',
      'engineer-zhang',
      '5 / 5',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('（未签字）');
    // The CJK font is embedded as a subset: a page of Chinese stays small.
    expect(pdf.rawPayload.length).toBeLessThan(400_000);
    expect((await stranger.get(`/api/v1/tickets/${ticket.id}/service-report.pdf`)).statusCode).toBe(404);
  });

  it('prints an A4 sheet of QR labels for chosen devices', async () => {
    const res = await w.agent.get(`/api/v1/devices/labels.pdf?ids=${w.home.deviceId},${w.away.deviceId}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('QR-HOME-001');
    expect(text).toContain('QR-AWAY-001');
    expect(text).toContain('立式加工中心 VMC-850');
    expect(text).toContain('扫码报修');
    const unlabelled = (
      await w.admin.post('/api/v1/devices', {
        modelId: w.modelId,
        serialNumber: 'SN-BARE',
        customerId: w.home.customerId,
      })
    ).json();
    const refused = await w.agent.get(`/api/v1/devices/labels.pdf?ids=${unlabelled.id}`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toContain('SN-BARE');
    // Labels are a console export; contacts have no device export.
    expect((await contact.get(`/api/v1/devices/labels.pdf?ids=${w.home.deviceId}`)).statusCode).toBe(403);
  });
});
