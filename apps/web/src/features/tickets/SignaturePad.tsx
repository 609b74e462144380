import { Button, Space } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Captures a signature with finger or mouse; the value is a PNG data URL, or undefined when blank.
 * A value given when the pad appears is drawn on it (a signature kept across a refused submit).
 */
export function SignaturePad({ value, onChange }: { value?: string; onChange?: (png: string | undefined) => void }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  // Only the value the pad opens with is drawn: later values are what was drawn on it.
  const initial = useRef(value);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.lineWidth = 2.5;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#111';
    if (initial.current) {
      const image = new Image();
      image.onload = () => ctx.drawImage(image, 0, 0);
      image.src = initial.current;
    }
  }, []);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return [
      ((e.clientX - rect.left) * e.currentTarget.width) / rect.width,
      ((e.clientY - rect.top) * e.currentTarget.height) / rect.height,
    ] as const;
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <canvas
        ref={canvas}
        width={480}
        height={160}
        data-testid="signature-pad"
        style={{
          width: '100%',
          maxWidth: 480,
          height: 160,
          border: '1px dashed #bbb',
          borderRadius: 6,
          touchAction: 'none',
          background: '#fff',
        }}
        onPointerDown={(e) => {
          drawing.current = true;
          const ctx = e.currentTarget.getContext('2d')!;
          ctx.beginPath();
          ctx.moveTo(...point(e));
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const ctx = e.currentTarget.getContext('2d')!;
          ctx.lineTo(...point(e));
          ctx.stroke();
        }}
        onPointerUp={(e) => {
          drawing.current = false;
          onChange?.(e.currentTarget.toDataURL('image/png'));
        }}
      />
      <Button
        size="small"
        onClick={() => {
          const c = canvas.current!;
          c.getContext('2d')!.clearRect(0, 0, c.width, c.height);
          onChange?.(undefined);
        }}
      >
        {t('tickets.clearSignature')}
      </Button>
    </Space>
  );
}
