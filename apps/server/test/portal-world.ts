import { expect } from 'vitest';
import type { Agent, TestServer } from './harness';

/** A 1×1 PNG: the smallest signature the confirm step accepts. */
export const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export interface PortalWorld {
  admin: Agent;
  agent: Agent;
  engineer: Agent;
  home: { customerId: string; deviceId: string; assetCode: string; siteId: string };
  away: { customerId: string; deviceId: string; assetCode: string };
  modelId: string;
}

/** Two customers, each with a labelled device; the home one has a site. */
export async function portalWorld(server: TestServer): Promise<PortalWorld> {
  const admin = await server.signIn('admin');
  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>) => {
    const r = await res;
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as Record<string, string>;
  };
  const model = await ok(
    admin.post('/api/v1/product-models', { code: 'VMC-850', name: '立式加工中心 VMC-850', category: 'cnc_machine' }),
  );
  const made: Record<string, { customerId: string; deviceId: string; assetCode: string; siteId: string }> = {};
  for (const [key, name, region, city, code] of [
    ['home', '深圳精工数控设备有限公司', '440000', '440300', 'QR-HOME-001'],
    ['away', '上海远方机械有限公司', '310000', '310100', 'QR-AWAY-001'],
  ] as const) {
    const customer = await ok(admin.post('/api/v1/customers', { name, regionCode: region, industry: 'machine_tools' }));
    const site = await ok(
      admin.post('/api/v1/sites', {
        customerId: customer.id,
        name: `${name}一号厂房`,
        provinceCode: region,
        cityCode: city,
        address: '科技园南路 1 号',
      }),
    );
    const device = await ok(
      admin.post('/api/v1/devices', {
        modelId: model.id,
        serialNumber: `SN-${key}`,
        assetCode: code,
        customerId: customer.id,
        siteId: site.id,
        warrantyEndsOn: '2099-12-31',
      }),
    );
    made[key] = { customerId: customer.id!, deviceId: device.id!, assetCode: code, siteId: site.id! };
  }
  const agent = await server.userWith('agent', { username: 'account-manager' });
  const engineer = await server.userWith('engineer', { username: 'engineer-zhang' });
  return { admin, agent, engineer, home: made.home!, away: made.away!, modelId: model.id! };
}

/** A portal user of the home customer, through the real invitation. */
export async function invitedContact(server: TestServer, w: PortalWorld, mobile = '13912345678') {
  const res = await w.agent.post('/api/v1/portal/invitations', {
    customerId: w.home.customerId,
    name: '王经理',
    mobile,
  });
  expect(res.statusCode, res.body).toBe(201);
  const token = res.json().link.split('/portal/invite/')[1];
  const accepted = await server.anonymous.post('/api/v1/portal/invitations/accept', {
    token,
    password: 'Portal-Contact-Pass-7',
  });
  expect(accepted.statusCode, accepted.body).toBe(201);
  return server.signIn(mobile, 'Portal-Contact-Pass-7');
}

/** Moves a ticket through the lifecycle as staff and returns it. */
export async function move(agent: Agent, ticket: { id: string; version: number }, body: Record<string, unknown>) {
  const res = await agent.post(`/api/v1/tickets/${ticket.id}/transitions`, { version: ticket.version, ...body });
  expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200);
  return res.json() as { id: string; version: number; state: string };
}

export const RESOLVE = {
  action: 'resolve',
  rootCause: '主轴编码器线缆磨损断线',
  actionsTaken: '更换编码器线缆并重新固定走线，空载与负载试车各 30 分钟',
  partsUsed: [{ sku: 'ENC-CBL-5M', name: '编码器线缆 5 米', quantity: 1 }],
  labourMinutes: 120,
  travelMinutes: 45,
  checklist: { functionalTest: true, stressTest: true, relatedPartsCheck: true },
};
