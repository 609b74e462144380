import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useHolidayCoverage } from './HolidaysTab';

/**
 * Across the console, for those who can fix it: next year's holiday schedule is missing (from
 * November), so SLA due times in it are provisional until it is entered or imported.
 */
export function HolidayBanner() {
  const { t } = useTranslation();
  const onSlaPage = useLocation().pathname.startsWith('/console/sla');
  const { data } = useHolidayCoverage(!onSlaPage);
  if (onSlaPage || !data?.missing.length) return null;
  return (
    <Alert
      banner
      type="warning"
      data-testid="holiday-banner"
      message={t('sla.missingYears', { years: data.missing.join(', ') })}
      action={
        <Link to="/console/sla?tab=holidays">
          <Button size="small">{t('sla.goToHolidays')}</Button>
        </Link>
      }
    />
  );
}
