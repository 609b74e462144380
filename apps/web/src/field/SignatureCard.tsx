import { Button, Card, Rate, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SignaturePad } from '../features/tickets/SignaturePad';

/**
 * What was signed and rated per visit, until the customer's confirmation is accepted: the card
 * disappears while its confirm is queued and comes back if the server refuses it (or the app was
 * reloaded meanwhile), and the customer must not have to sign again. Kept for the tab's session
 * (a signature is a few kB; once the visit is confirmed the card never shows again).
 */
const draftKey = (visitId: string) => `serviceloop.signature.${visitId}`;
type Draft = { signature?: string; csat: number };
const readDraft = (visitId: string): Draft => {
  try {
    return { csat: 5, ...JSON.parse(sessionStorage.getItem(draftKey(visitId)) ?? '{}') };
  } catch {
    return { csat: 5 };
  }
};
const writeDraft = (visitId: string, draft: Draft) => {
  try {
    sessionStorage.setItem(draftKey(visitId), JSON.stringify(draft));
  } catch {
    // Storage full or denied: the card still works, only without surviving a reload.
  }
};

/** The customer signs on the engineer's screen and rates the service; queued like every step. */
export function SignatureCard({
  visitId,
  onSign,
}: {
  visitId: string;
  onSign: (signature: string, csat: number) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => readDraft(visitId));
  const { signature, csat } = draft;
  const update = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    writeDraft(visitId, next);
  };
  const setSignature = (value: string | undefined) => update({ signature: value });
  const setCsat = (value: number) => update({ csat: value });
  return (
    <Card size="small" title={t('field.sections.signature')} data-testid="field-signature">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('field.sign.help')}</Typography.Text>
        <SignaturePad value={signature} onChange={setSignature} />
        <Space>
          {t('field.sign.csat')}
          <Rate allowClear={false} value={csat} onChange={setCsat} data-testid="sign-csat" />
        </Space>
        <Button
          type="primary"
          block
          disabled={!signature || csat < 1}
          onClick={() => signature && void onSign(signature, csat)}
          data-testid="sign-submit"
        >
          {t('field.sign.submit')}
        </Button>
      </Space>
    </Card>
  );
}
