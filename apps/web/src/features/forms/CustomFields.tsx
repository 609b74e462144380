import { checkFieldValues, FIELD_LIMITS, type FieldDefinition, fieldShown } from '@serviceloop/contracts';
import { Cascader, Checkbox, Col, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { AttachmentInput, LocationInput, ReferenceInput, SignatureInput } from './FieldInputs';
import { inLanguage as label, choiceOptions as options, toApi } from './values';

/**
 * The input a field kind needs. Form.Item hands its child `value`, `onChange` (or `checked`) and
 * ids: they must reach the real input, or the form never sees what was typed.
 */
function Control({ field, lang, ...control }: { field: FieldDefinition; lang: string } & Record<string, unknown>) {
  switch (field.kind) {
    case 'longText':
      return <Input.TextArea rows={2} {...control} />;
    case 'number':
    case 'money':
      return (
        <InputNumber style={{ width: '100%' }} min={field.min ?? undefined} max={field.max ?? undefined} {...control} />
      );
    case 'checkbox':
      return <Checkbox {...control} />;
    case 'select':
      return <Select allowClear options={options(field.choices, lang)} {...control} />;
    case 'multiSelect':
      return <Select mode="multiple" allowClear options={options(field.choices, lang)} {...control} />;
    case 'cascade':
      return <Cascader options={options(field.choices, lang) as never} {...control} />;
    case 'attachment':
      return <AttachmentInput max={field.max ?? FIELD_LIMITS.attachments} {...control} />;
    case 'location':
      return <LocationInput {...control} />;
    case 'signature':
      return <SignatureInput {...control} />;
    case 'reference':
      return field.reference ? <ReferenceInput target={field.reference} {...control} /> : null;
    case 'date':
    case 'datetime':
      return <DatePicker showTime={field.kind === 'datetime'} style={{ width: '100%' }} {...control} />;
    default:
      return <Input {...control} />;
  }
}

/**
 * The custom fields of a form, under `fields.<key>`, shown when their condition holds and checked
 * with the same function the server uses, so the browser refuses exactly what the API would.
 */
export function CustomFields({ definitions, lang: shown }: { definitions: FieldDefinition[]; lang?: string }) {
  const { t, i18n } = useTranslation();
  // The designer previews both languages side by side; everywhere else the reader's.
  const lang = shown ?? i18n.language;
  const active = definitions.filter((d) => d.active).sort((a, b) => a.position - b.position);
  return (
    <Form.Item noStyle shouldUpdate>
      {(form) => {
        const values = toApi(definitions, form.getFieldValue('fields') ?? {});
        return active
          .filter((d) => fieldShown(d, values))
          .map((d) => (
            <Col xs={24} md={12} key={d.key}>
              <Form.Item
                name={['fields', d.key]}
                label={label(lang, d.labelZh, d.labelEn)}
                // The asterisk only: the check itself is the shared validator below.
                required={d.required}
                tooltip={(lang === 'en-US' ? d.helpEn : d.helpZh) || undefined}
                valuePropName={d.kind === 'checkbox' ? 'checked' : 'value'}
                getValueProps={
                  d.kind === 'date' || d.kind === 'datetime'
                    ? (v: unknown) => ({ value: typeof v === 'string' ? dayjs(v) : v })
                    : undefined
                }
                rules={[
                  {
                    validator: async (_rule, value) => {
                      const all = toApi(definitions, { ...(form.getFieldValue('fields') ?? {}), [d.key]: value });
                      const problem = checkFieldValues(definitions, all).find((p) => p.key === d.key);
                      if (problem)
                        throw new Error(
                          labelOf(t, 'fieldProblems', problem.message.replace('validation.', ''), problem.params),
                        );
                    },
                  },
                ]}
              >
                <Control field={d} lang={lang} />
              </Form.Item>
            </Col>
          ));
      }}
    </Form.Item>
  );
}
