import { FileAddOutlined, HddOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Button, Grid, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../app/auth';
import { LanguageSwitch } from '../app/LanguageSwitch';
import { MessageHost } from '../lib/message';

const TABS = [
  { to: '/portal', label: 'portal.nav.requests', icon: <UnorderedListOutlined /> },
  { to: '/portal/report', label: 'portal.nav.report', icon: <FileAddOutlined /> },
  { to: '/portal/devices', label: 'portal.nav.devices', icon: <HddOutlined /> },
];

/** The customer's phone-first frame: a slim header, the page, and a bottom tab bar a thumb reaches. */
export default function PortalLayout() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // On a phone the name gives its room to the title (it is on the requests page anyway).
  const phone = !Grid.useBreakpoint().sm;
  const { token } = theme.useToken();
  // Plain elements rather than antd's Layout (which brings its Sider along); the text styles
  // antd's App would set are set here.
  return (
    <MessageHost>
      <div
        style={{
          minHeight: '100vh',
          maxWidth: 560,
          margin: '0 auto',
          paddingBottom: 64,
          background: token.colorBgLayout,
          color: token.colorText,
          fontFamily: token.fontFamily,
          fontSize: token.fontSize,
          lineHeight: token.lineHeight,
        }}
      >
        <header
          style={{
            height: 64,
            background: '#fff',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
            padding: '0 12px',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          {/* The title gives way (one line, ellipsis) rather than wrapping a character per line on a phone. */}
          <Typography.Text strong ellipsis style={{ flex: '1 1 auto', minWidth: 0 }} data-testid="portal-title">
            {t('portal.title')}
          </Typography.Text>
          <span style={{ display: 'flex', flex: 'none', gap: 8, alignItems: 'center', marginInlineStart: 8 }}>
            {!phone && (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 120 }}>
                {me?.displayName}
              </Typography.Text>
            )}
            <LanguageSwitch />
            <Button
              size="small"
              type="text"
              onClick={async () => {
                await logout();
                void navigate('/login');
              }}
            >
              {t('auth.logout')}
            </Button>
          </span>
        </header>
        <main style={{ padding: 12 }}>
          <Outlet />
        </main>
        <nav
          style={{
            position: 'fixed',
            bottom: 0,
            left: 0,
            right: 0,
            display: 'flex',
            justifyContent: 'center',
            background: '#fff',
            borderTop: '1px solid #eee',
            zIndex: 10,
          }}
        >
          <div style={{ display: 'flex', width: '100%', maxWidth: 560 }}>
            {TABS.map((tab) => {
              const active = tab.to === '/portal' ? pathname === '/portal' : pathname.startsWith(tab.to);
              return (
                <Link
                  key={tab.to}
                  to={tab.to}
                  data-testid={`portal-tab-${tab.to.split('/').pop()}`}
                  style={{
                    flex: 1,
                    textAlign: 'center',
                    padding: '8px 0',
                    color: active ? '#1677ff' : '#555',
                    fontSize: 12,
                  }}
                >
                  <div style={{ fontSize: 20 }}>{tab.icon}</div>
                  {t(tab.label)}
                </Link>
              );
            })}
          </div>
        </nav>
      </div>
    </MessageHost>
  );
}
