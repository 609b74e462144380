import type { RuleTrigger, TriggerType } from '@serviceloop/contracts';
import { Input, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';

const TRIGGERS: TriggerType[] = [
  'ticket.created',
  'ticket.updated',
  'ticket.transitioned',
  'field_changed',
  'sla.warning',
  'sla.breached',
  'survey.low_score',
  'parts.reorder_needed',
  'telemetry.alert',
  'analytics.spike_detected',
  'schedule',
];

function triggerOf(type: TriggerType): RuleTrigger {
  switch (type) {
    case 'ticket.transitioned':
      return { type, events: [] };
    case 'field_changed':
      return { type, field: 'priority' };
    case 'survey.low_score':
      return { type, below: 3 };
    case 'schedule':
      return { type, cron: '0 9 * * 1-5' };
    default:
      return { type } as RuleTrigger;
  }
}

/** The trigger's own settings (lifecycle events, field, clock, score, cron). */
export function TriggerEditor({ trigger, onChange }: { trigger: RuleTrigger; onChange: (t: RuleTrigger) => void }) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      <Select
        style={{ width: 220 }}
        value={trigger.type}
        options={TRIGGERS.map((type) => ({ value: type, label: t(`automation.triggers.${type}`) }))}
        onChange={(type: TriggerType) => onChange(triggerOf(type))}
        data-testid="rule-trigger"
      />
      {trigger.type === 'ticket.transitioned' && (
        <Select
          mode="tags"
          style={{ minWidth: 260 }}
          placeholder={t('automation.anyLifecycleEvent')}
          value={trigger.events}
          options={['triaged', 'dispatched', 'resolved', 'closed', 'reopened', 'suspended', 'commented'].map((e) => ({
            value: `ticket.${e}`,
            label: `ticket.${e}`,
          }))}
          onChange={(events) => onChange({ ...trigger, events })}
        />
      )}
      {trigger.type === 'field_changed' && (
        <Input
          style={{ width: 200 }}
          value={trigger.field}
          onChange={(e) => onChange({ ...trigger, field: e.target.value })}
        />
      )}
      {(trigger.type === 'sla.warning' || trigger.type === 'sla.breached') && (
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('automation.anyClock')}
          value={trigger.clock}
          options={['response', 'resolution'].map((c) => ({ value: c, label: labelOf(t, 'sla.kinds', c) }))}
          onChange={(clock) => onChange({ ...trigger, clock: clock ?? undefined })}
        />
      )}
      {trigger.type === 'survey.low_score' && (
        <InputNumber
          min={1}
          max={5}
          addonBefore={t('automation.below')}
          value={trigger.below}
          onChange={(below) => onChange({ ...trigger, below: below ?? 3 })}
        />
      )}
      {trigger.type === 'schedule' && (
        <Input
          style={{ width: 200 }}
          addonAfter={t('automation.cronZone')}
          value={trigger.cron}
          onChange={(e) => onChange({ ...trigger, cron: e.target.value })}
        />
      )}
    </Space>
  );
}
