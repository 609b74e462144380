import {
  Guard,
  Phase,
  ROLES,
  STAGE_ACTIONS,
  type StageDefinition,
  StageLifecycle,
  type TransitionDefinition,
  type WorkflowDefinition,
} from '@serviceloop/contracts';
import { Button, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Selection } from './WorkflowCanvas';

/** The side panel: the selected state's or transition's properties, edited in place. */
export function Inspector({
  definition,
  selected,
  editable,
  fieldKeys,
  onChange,
  onSelect,
}: {
  definition: WorkflowDefinition;
  selected: Selection;
  editable: boolean;
  fieldKeys: string[];
  onChange: (d: WorkflowDefinition) => void;
  onSelect: (s: Selection) => void;
}) {
  const { t } = useTranslation();
  if (!selected) return <Typography.Paragraph type="secondary">{t('workflows.select')}</Typography.Paragraph>;
  const stateOptions = definition.states.map((s) => ({ value: s.key, label: `${s.name['zh-CN']} · ${s.key}` }));

  if (selected.kind === 'state') {
    const state = definition.states.find((s) => s.key === selected.key);
    if (!state) return null;
    const set = (patch: Partial<StageDefinition>) => {
      const renamed = patch.key !== undefined && patch.key !== state.key ? patch.key : null;
      onChange({
        ...definition,
        initial: renamed && definition.initial === state.key ? renamed : definition.initial,
        states: definition.states.map((s) => (s.key === state.key ? { ...s, ...patch } : s)),
        // A renamed state keeps its arrows.
        transitions: renamed
          ? definition.transitions.map((x) => ({
              ...x,
              from: x.from.map((f) => (f === state.key ? renamed : f)),
              to: x.to === state.key ? renamed : x.to,
            }))
          : definition.transitions,
      });
      if (renamed) onSelect({ kind: 'state', key: renamed });
    };
    return (
      <Form layout="vertical" size="small" disabled={!editable} id="state-panel" data-testid="state-panel">
        <Typography.Title level={5}>{t('workflows.state')}</Typography.Title>
        <Form.Item label={t('workflows.key')}>
          <Input
            value={state.key}
            onChange={(e) => set({ key: e.target.value })}
            id="state-key"
            data-testid="state-key"
          />
        </Form.Item>
        <Form.Item label={t('workflows.nameZh')}>
          <Input
            value={state.name['zh-CN']}
            onChange={(e) => set({ name: { ...state.name, 'zh-CN': e.target.value } })}
            id="state-name-zh"
            data-testid="state-name-zh"
          />
        </Form.Item>
        <Form.Item label={t('workflows.nameEn')}>
          <Input
            value={state.name['en-US']}
            onChange={(e) => set({ name: { ...state.name, 'en-US': e.target.value } })}
            id="state-name-en"
            data-testid="state-name-en"
          />
        </Form.Item>
        <Form.Item label={t('workflows.phase')}>
          <Select
            value={state.phase}
            onChange={(phase) => set({ phase })}
            options={Phase.options.map((p) => ({ value: p, label: t(`workflows.phases.${p}`) }))}
            id="state-phase"
            data-testid="state-phase"
          />
        </Form.Item>
        <Form.Item label={t('workflows.lifecycle')}>
          <Select
            value={state.lifecycle}
            onChange={(lifecycle) => set({ lifecycle })}
            options={StageLifecycle.options.map((s) => ({ value: s, label: t(`tickets.states.${s}`) }))}
            id="state-lifecycle"
            data-testid="state-lifecycle"
          />
        </Form.Item>
        <Button
          danger
          onClick={() => {
            onChange({
              ...definition,
              states: definition.states.filter((s) => s.key !== state.key),
              transitions: definition.transitions
                .map((x) => ({ ...x, from: x.from.filter((f) => f !== state.key) }))
                .filter((x) => x.to !== state.key && x.from.length > 0),
            });
            onSelect(null);
          }}
        >
          {t('workflows.remove')}
        </Button>
      </Form>
    );
  }

  const transition = definition.transitions.find((x) => x.key === selected.key);
  if (!transition) return null;
  const set = (patch: Partial<TransitionDefinition>) => {
    onChange({
      ...definition,
      transitions: definition.transitions.map((x) => (x.key === transition.key ? { ...x, ...patch } : x)),
    });
    if (patch.key !== undefined && patch.key !== transition.key) onSelect({ kind: 'transition', key: patch.key });
  };
  return (
    <Form layout="vertical" size="small" disabled={!editable} id="transition-panel" data-testid="transition-panel">
      <Typography.Title level={5}>{t('workflows.transition')}</Typography.Title>
      <Form.Item label={t('workflows.key')}>
        <Input
          value={transition.key}
          onChange={(e) => set({ key: e.target.value })}
          id="transition-key"
          data-testid="transition-key"
        />
      </Form.Item>
      <Form.Item label={t('workflows.nameZh')}>
        <Input
          value={transition.name['zh-CN']}
          onChange={(e) => set({ name: { ...transition.name, 'zh-CN': e.target.value } })}
          id="transition-name-zh"
          data-testid="transition-name-zh"
        />
      </Form.Item>
      <Form.Item label={t('workflows.nameEn')}>
        <Input
          value={transition.name['en-US']}
          onChange={(e) => set({ name: { ...transition.name, 'en-US': e.target.value } })}
          id="transition-name-en"
          data-testid="transition-name-en"
        />
      </Form.Item>
      <Form.Item label={t('workflows.from')}>
        <Select
          mode="multiple"
          value={transition.from}
          onChange={(from) => set({ from })}
          options={stateOptions}
          id="transition-from"
          data-testid="transition-from"
        />
      </Form.Item>
      <Form.Item label={t('workflows.to')}>
        <Select
          value={transition.to}
          onChange={(to) => set({ to })}
          options={stateOptions}
          id="transition-to"
          data-testid="transition-to"
        />
      </Form.Item>
      <Form.Item label={t('workflows.roles')}>
        <Select
          mode="multiple"
          value={transition.roles}
          onChange={(roles) => set({ roles })}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          id="transition-roles"
          data-testid="transition-roles"
        />
      </Form.Item>
      <Form.Item label={t('workflows.action')}>
        <Select
          value={transition.action ?? ''}
          onChange={(a) => set({ action: a === '' ? null : (a as TransitionDefinition['action']) })}
          options={[
            { value: '', label: t('workflows.noAction') },
            ...STAGE_ACTIONS.map((a) => ({ value: a, label: t(`tickets.actions.${a}`) })),
          ]}
          id="transition-action"
          data-testid="transition-action"
        />
      </Form.Item>
      <Form.Item label={t('workflows.requiredFields')}>
        <Select
          mode="tags"
          value={transition.requiredFields}
          onChange={(requiredFields) => set({ requiredFields })}
          options={fieldKeys.map((k) => ({ value: k, label: k }))}
        />
      </Form.Item>
      <Form.Item label={t('workflows.guards')}>
        <Select
          mode="multiple"
          value={transition.guards}
          onChange={(guards) => set({ guards })}
          options={Guard.options.map((g) => ({ value: g, label: t(`workflows.guardNames.${g}`) }))}
        />
      </Form.Item>
      <Button
        danger
        onClick={() => {
          onChange({ ...definition, transitions: definition.transitions.filter((x) => x.key !== transition.key) });
          onSelect(null);
        }}
      >
        {t('workflows.remove')}
      </Button>
    </Form>
  );
}
