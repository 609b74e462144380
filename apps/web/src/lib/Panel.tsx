import { theme } from 'antd';
import type { CSSProperties, HTMLAttributes, ReactNode } from 'react';

interface PanelProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  title?: ReactNode;
  /** Beside the title, at its end (a card's `extra`). */
  extra?: ReactNode;
  bodyStyle?: CSSProperties;
  /** Like antd Card's small size: the customer's phone and the sign-in box. */
  size?: 'small' | 'default';
  children?: ReactNode;
}

/**
 * A bordered box with an optional title, drawn from antd's theme tokens so it looks like a Card.
 * antd's Card imports Tabs (and with it a menu, a dropdown and a skeleton) for a tab list these
 * pages never show: about 20 KB compressed on a customer's first load over a weak link.
 */
export function Panel({ title, extra, size = 'default', children, style, bodyStyle, ...rest }: PanelProps) {
  const { token } = theme.useToken();
  const small = size === 'small';
  const box: CSSProperties = {
    background: token.colorBgContainer,
    border: `${token.lineWidth}px solid ${token.colorBorderSecondary}`,
    borderRadius: token.borderRadiusLG,
    color: token.colorText,
    fontFamily: token.fontFamily,
    fontSize: token.fontSize,
    lineHeight: token.lineHeight,
    ...style,
  };
  return (
    <section style={box} {...rest}>
      {title && (
        <header
          style={{
            padding: small ? `0 ${token.paddingSM}px` : `0 ${token.paddingLG}px`,
            minHeight: small ? 38 : 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 8,
            fontWeight: token.fontWeightStrong,
            fontSize: small ? token.fontSize : token.fontSizeLG,
            borderBottom: `${token.lineWidth}px solid ${token.colorBorderSecondary}`,
          }}
        >
          {title}
          {extra && <span style={{ fontWeight: 'normal' }}>{extra}</span>}
        </header>
      )}
      <div style={{ padding: small ? token.paddingSM : token.paddingLG, ...bodyStyle }}>{children}</div>
    </section>
  );
}
