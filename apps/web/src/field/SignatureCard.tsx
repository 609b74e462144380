import { Button, Card, Rate, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SignaturePad } from '../features/tickets/SignaturePad';

/** The customer signs on the engineer's screen and rates the service; queued like every step. */
export function SignatureCard({ onSign }: { onSign: (signature: string, csat: number) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [signature, setSignature] = useState<string>();
  const [csat, setCsat] = useState(5);
  return (
    <Card size="small" title={t('field.sections.signature')} data-testid="field-signature">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('field.sign.help')}</Typography.Text>
        <SignaturePad value={signature} onChange={setSignature} />
        <Space>
          {t('field.sign.csat')}
          <Rate value={csat} onChange={setCsat} />
        </Space>
        <Button
          type="primary"
          block
          disabled={!signature}
          onClick={() => signature && void onSign(signature, csat)}
          data-testid="sign-submit"
        >
          {t('field.sign.submit')}
        </Button>
      </Space>
    </Card>
  );
}
