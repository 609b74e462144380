import {
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  BranchesOutlined,
  CloudSyncOutlined,
  CloudUploadOutlined,
  ClusterOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  FormOutlined,
  GlobalOutlined,
  IdcardOutlined,
  InboxOutlined,
  LayoutOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuOutlined,
  NotificationOutlined,
  PieChartOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Action, Resource } from '@serviceloop/contracts';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../app/auth';
import { LanguageSwitch } from '../app/LanguageSwitch';
import { ChangePasswordModal } from '../features/identity/ChangePasswordModal';
import { NotificationBell } from '../features/notifications/NotificationBell';

// Loaded after the frame shows: the search dialog and the holiday warning are not what the first
// paint needs (together ~15 KB compressed: a list, an input, a modal and the SLA calendar's hooks).
const GlobalSearch = lazy(() => import('../features/search/GlobalSearch').then((m) => ({ default: m.GlobalSearch })));
const HolidayBanner = lazy(() => import('../features/sla/HolidayBanner').then((m) => ({ default: m.HolidayBanner })));

interface Entry {
  path: string;
  label: string;
  icon: ReactNode;
  needs?: [Resource, Action];
}

const ENTRIES: Entry[] = [
  { path: '/console', label: 'nav.home', icon: <DashboardOutlined /> },
  { path: '/console/analytics', label: 'nav.analytics', icon: <BarChartOutlined />, needs: ['analytics', 'read'] },
  { path: '/console/reports', label: 'nav.reports', icon: <PieChartOutlined />, needs: ['analytics', 'read'] },
  { path: '/console/dashboards', label: 'nav.dashboards', icon: <LayoutOutlined />, needs: ['analytics', 'read'] },
  { path: '/console/tickets', label: 'nav.tickets', icon: <FileTextOutlined />, needs: ['ticket', 'read'] },
  { path: '/console/customers', label: 'nav.customers', icon: <TeamOutlined />, needs: ['customer', 'read'] },
  { path: '/console/devices', label: 'nav.devices', icon: <ToolOutlined />, needs: ['device', 'read'] },
  {
    path: '/console/product-models',
    label: 'nav.productModels',
    icon: <AppstoreOutlined />,
    needs: ['productModel', 'read'],
  },
  { path: '/console/contracts', label: 'nav.contracts', icon: <FileProtectOutlined />, needs: ['contract', 'read'] },
  { path: '/console/dispatch', label: 'nav.dispatch', icon: <ScheduleOutlined />, needs: ['dispatch', 'read'] },
  { path: '/console/engineers', label: 'nav.engineers', icon: <IdcardOutlined />, needs: ['engineer', 'read'] },
  { path: '/console/parts', label: 'nav.parts', icon: <InboxOutlined />, needs: ['stock', 'read'] },
  { path: '/console/imports', label: 'nav.imports', icon: <CloudUploadOutlined />, needs: ['import', 'read'] },
  {
    path: '/console/data-dictionary',
    label: 'nav.dataDictionary',
    icon: <BookOutlined />,
    needs: ['import', 'read'],
  },
  { path: '/console/users', label: 'nav.users', icon: <UserOutlined />, needs: ['user', 'read'] },
  { path: '/console/roles', label: 'nav.roles', icon: <ClusterOutlined />, needs: ['settings', 'update'] },
  { path: '/console/security', label: 'nav.security', icon: <SafetyOutlined />, needs: ['settings', 'read'] },
  { path: '/console/forms', label: 'nav.forms', icon: <FormOutlined />, needs: ['settings', 'update'] },
  { path: '/console/workflows', label: 'nav.workflows', icon: <BranchesOutlined />, needs: ['workflow', 'read'] },
  { path: '/console/config', label: 'nav.config', icon: <CloudSyncOutlined />, needs: ['settings', 'update'] },
  { path: '/console/taxonomy', label: 'nav.taxonomy', icon: <TagsOutlined />, needs: ['ticket', 'read'] },
  { path: '/console/portal', label: 'nav.portal', icon: <GlobalOutlined />, needs: ['invitation', 'read'] },
  { path: '/console/sla', label: 'nav.sla', icon: <FieldTimeOutlined />, needs: ['slaPolicy', 'read'] },
  {
    path: '/console/automation',
    label: 'nav.automation',
    icon: <ThunderboltOutlined />,
    needs: ['automationRule', 'read'],
  },
  {
    path: '/console/notifications',
    label: 'nav.notifications',
    icon: <NotificationOutlined />,
    needs: ['notificationSetup', 'read'],
  },
  { path: '/console/audit', label: 'nav.audit', icon: <AuditOutlined />, needs: ['auditLog', 'read'] },
  { path: '/console/tokens', label: 'nav.tokens', icon: <ApiOutlined /> },
];

/** The desktop console; under 768 px the navigation folds into a drawer. */
export default function ConsoleLayout() {
  const { t } = useTranslation();
  const { me, can, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const [changingPassword, setChangingPassword] = useState(!!me?.passwordExpired);

  const items = ENTRIES.filter((e) => !e.needs || can(...e.needs)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: t(e.label),
  }));
  const selected = [...ENTRIES].reverse().find((e) => location.pathname.startsWith(e.path))?.path ?? '/console';
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[selected]}
      onClick={({ key }) => {
        setDrawer(false);
        void navigate(key);
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!narrow && (
        <Layout.Sider theme="light" width={220} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <Typography.Title level={5} style={{ padding: '16px 24px', margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          {menu}
        </Layout.Sider>
      )}
      <Drawer
        open={narrow && drawer}
        onClose={() => setDrawer(false)}
        placement="left"
        width={240}
        title={t('app.name')}
      >
        {menu}
      </Drawer>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space>
            {narrow && <Button aria-label="menu" icon={<MenuOutlined />} onClick={() => setDrawer(true)} />}
            {narrow && <Typography.Text strong>ServiceLoop</Typography.Text>}
          </Space>
          <Space>
            <Suspense>
              <GlobalSearch compact={narrow} />
            </Suspense>
            {can('notification', 'read') && <NotificationBell />}
            <LanguageSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'password', icon: <LockOutlined />, label: t('auth.changePassword') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout') },
                ],
                onClick: async ({ key }) => {
                  if (key === 'password') setChangingPassword(true);
                  else {
                    await logout();
                    void navigate('/login');
                  }
                },
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                {!narrow && me?.displayName}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        {can('slaPolicy', 'update') && (
          <Suspense>
            <HolidayBanner />
          </Suspense>
        )}
        <Layout.Content style={{ padding: narrow ? 12 : 24 }}>
          <Suspense>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </Layout>
  );
}
