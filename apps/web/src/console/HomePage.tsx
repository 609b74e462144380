import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../features/identity/auth';
import { DispatcherDay } from './home/DispatcherDay';
import { EngineerDay } from './home/EngineerDay';
import { ManagerFigures } from './home/ManagerFigures';

/** 工作台: each role's day first (figures, queue, visits), then shortcuts. */
export default function HomePage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  if (!me) return null;
  const shortcuts = [
    { to: '/console/customers', label: t('nav.customers'), ok: can('customer', 'read') },
    { to: '/console/devices', label: t('nav.devices'), ok: can('device', 'read') },
    { to: '/field', label: t('nav.field'), ok: me.roles.includes('engineer') },
    { to: '/portal', label: t('nav.portal'), ok: me.roles.includes('customer') },
  ].filter((s) => s.ok);
  const has = (...roles: string[]) => me.roles.some((r) => roles.includes(r));
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('auth.welcome', { name: me.displayName })}</Typography.Title>
      <Space wrap>
        <Typography.Text type="secondary">{t('auth.yourRoles')}:</Typography.Text>
        {me.roles.map((r) => (
          <Tag key={r} color="blue">
            {t(`roles.${r}`)}
          </Tag>
        ))}
      </Space>
      {has('manager', 'admin') && can('analytics', 'read') && <ManagerFigures />}
      {has('agent', 'manager', 'admin') && can('ticket', 'read') && <DispatcherDay />}
      {has('engineer') && <EngineerDay />}
      <Row gutter={[16, 16]}>
        {shortcuts.map((s) => (
          <Col key={s.to} xs={24} sm={12} lg={6}>
            <Link to={s.to}>
              <Card hoverable>{s.label}</Card>
            </Link>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
