import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Flex, Typography, theme } from 'antd';
import type { ReactNode } from 'react';

interface OutcomeProps {
  status: 'success' | 'warning';
  title: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
}

/**
 * How a step ended, as antd's Result shows it. Result imports its 403/404/500 illustrations
 * whether shown or not (~10 KB compressed): too much for the customer's report page.
 */
export function Outcome({ status, title, subTitle, extra }: OutcomeProps) {
  const { token } = theme.useToken();
  const Icon = status === 'success' ? CheckCircleFilled : ExclamationCircleFilled;
  return (
    <Flex vertical align="center" gap={12} style={{ padding: '48px 16px', textAlign: 'center' }} data-status={status}>
      <Icon style={{ fontSize: 64, color: status === 'success' ? token.colorSuccess : token.colorWarning }} />
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
      {extra}
    </Flex>
  );
}
