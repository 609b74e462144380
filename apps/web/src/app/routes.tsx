import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { loadStaffMessages } from './i18n';
import { RequireAuth } from './RequireAuth';
import { RouteError } from './RouteError';

/**
 * Route modules load on demand: each page is its own chunk. A chunk that fails to load (an older
 * release's, gone after an upgrade) becomes a page that throws, so the route's error page shows
 * and reloads: a `lazy` that rejects leaves React Router rendering an empty page.
 */
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => {
  try {
    return { Component: (await load()).default };
  } catch (error) {
    return {
      // biome-ignore lint/correctness/noComponentHookFactories: made once per failed load (lazy runs once), never per render.
      Component: () => {
        throw error;
      },
    };
  }
};

/**
 * The console and the field app bring what the portal's first load goes without: the rest of the
 * Chinese messages and antd's App (StaffFrame).
 */
const staff = (load: () => Promise<{ default: React.ComponentType }>) => async () => {
  const [{ default: Layout }, { StaffFrame }] = await Promise.all([
    load(),
    import('./StaffFrame'),
    loadStaffMessages(),
  ]);
  return {
    default: () => (
      <StaffFrame>
        <Layout />
      </StaffFrame>
    ),
  };
};

/**
 * Every route gets the localised error page: an error in a page then shows inside its layout
 * (the console's menu stays), and a layout that fails to load shows it alone.
 */
const withErrorPages = (routes: RouteObject[]): RouteObject[] =>
  routes.map((route) => ({
    ...route,
    errorElement: <RouteError />,
    ...(route.children ? { children: withErrorPages(route.children) } : {}),
  })) as RouteObject[];

export const router = createBrowserRouter(
  withErrorPages([
    { path: '/login', lazy: page(() => import('../features/identity/LoginPage')) },
    {
      path: '/',
      element: (
        <RequireAuth>
          <Navigate to="/console" replace />
        </RequireAuth>
      ),
    },
    {
      path: '/console',
      element: <RequireAuth />,
      children: [
        {
          lazy: page(staff(() => import('../console/ConsoleLayout'))),
          children: [
            { index: true, lazy: page(() => import('../console/HomePage')) },
            { path: 'analytics', lazy: page(() => import('../features/analytics/AnalyticsPage')) },
            { path: 'reports', lazy: page(() => import('../features/analytics/ReportBuilderPage')) },
            { path: 'dashboards', lazy: page(() => import('../features/analytics/DashboardsPage')) },
            { path: 'tickets', lazy: page(() => import('../features/tickets/TicketsPage')) },
            { path: 'tickets/new', lazy: page(() => import('../features/tickets/TicketCreatePage')) },
            { path: 'tickets/:id', lazy: page(() => import('../features/tickets/TicketDetailPage')) },
            { path: 'forms', lazy: page(() => import('../features/forms/FormDesignerPage')) },
            { path: 'workflows', lazy: page(() => import('../features/workflows/WorkflowsPage')) },
            { path: 'config', lazy: page(() => import('../features/config/ConfigPage')) },
            { path: 'portal', lazy: page(() => import('../features/portal/PortalAdminPage')) },
            { path: 'taxonomy', lazy: page(() => import('../features/tickets/TaxonomyPage')) },
            { path: 'sla', lazy: page(() => import('../features/sla/SlaPage')) },
            { path: 'automation', lazy: page(() => import('../features/automation/AutomationPage')) },
            { path: 'notifications', lazy: page(() => import('../features/notifications/NotificationSettingsPage')) },
            { path: 'customers', lazy: page(() => import('../features/customers/CustomersPage')) },
            { path: 'customers/:id', lazy: page(() => import('../features/customers/CustomerOverviewPage')) },
            { path: 'devices', lazy: page(() => import('../features/assets/DevicesPage')) },
            { path: 'devices/:id', lazy: page(() => import('../features/assets/DeviceOverviewPage')) },
            { path: 'product-models', lazy: page(() => import('../features/assets/ProductModelsPage')) },
            { path: 'contracts', lazy: page(() => import('../features/assets/ContractsPage')) },
            { path: 'parts', lazy: page(() => import('../features/parts/PartsPage')) },
            { path: 'imports', lazy: page(() => import('../features/integrations/ImportsPage')) },
            { path: 'data-dictionary', lazy: page(() => import('../features/integrations/DataDictionaryPage')) },
            { path: 'dispatch', lazy: page(() => import('../features/field/DispatchPage')) },
            { path: 'engineers', lazy: page(() => import('../features/field/EngineersPage')) },
            { path: 'users', lazy: page(() => import('../features/identity/UsersPage')) },
            { path: 'roles', lazy: page(() => import('../features/identity/RolesPage')) },
            { path: 'tokens', lazy: page(() => import('../features/identity/TokensPage')) },
            { path: 'security', lazy: page(() => import('../features/identity/SecurityPage')) },
            { path: 'audit', lazy: page(() => import('../features/identity/AuditPage')) },
            { path: '*', lazy: page(() => import('../console/NotFoundPage')) },
          ],
        },
      ],
    },
    {
      path: '/field',
      element: <RequireAuth />,
      children: [
        {
          lazy: page(staff(() => import('../field/FieldLayout'))),
          children: [
            { index: true, lazy: page(() => import('../field/FieldHome')) },
            { path: 'jobs/:visitId', lazy: page(() => import('../field/JobPage')) },
          ],
        },
      ],
    },
    // The invitation link is opened before the contact has an account.
    { path: '/portal/invite/:token', lazy: page(() => import('../portal/InvitePage')) },
    {
      path: '/portal',
      element: <RequireAuth />,
      children: [
        {
          lazy: page(() => import('../portal/PortalLayout')),
          children: [
            { index: true, lazy: page(() => import('../portal/PortalHome')) },
            { path: 'report', lazy: page(() => import('../portal/ReportPage')) },
            // What a device's QR label points at: the report form, filled in for that device.
            { path: 'r/:code', lazy: page(() => import('../portal/ReportPage')) },
            { path: 'tickets/:id', lazy: page(() => import('../portal/TrackPage')) },
            { path: 'surveys/:id', lazy: page(() => import('../portal/SurveyLinkPage')) },
            { path: 'devices', lazy: page(() => import('../portal/DevicesPage')) },
            { path: 'devices/:id', lazy: page(() => import('../portal/DevicePage')) },
          ],
        },
      ],
    },
    { path: '*', element: <Navigate to="/console" replace /> },
  ]),
);
