import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { DeliveriesTab } from './DeliveriesTab';
import { EndpointsTab } from './EndpointsTab';
import { SubscriptionsTab } from './SubscriptionsTab';
import { TemplatesTab } from './TemplatesTab';

/** Admin page: who hears about what, robots and webhooks, the SSRF allow-list, templates, the delivery log. */
export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  return (
    <Tabs
      items={[
        { key: 'subscriptions', label: t('notify.subscriptions'), children: <SubscriptionsTab /> },
        { key: 'endpoints', label: t('notify.endpoints'), children: <EndpointsTab /> },
        { key: 'templates', label: t('notify.templates'), children: <TemplatesTab /> },
        { key: 'deliveries', label: t('notify.deliveries'), children: <DeliveriesTab /> },
      ]}
    />
  );
}
