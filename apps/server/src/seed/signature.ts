import sharp from 'sharp';

/**
 * The demo customer's signature on the closed ticket: a pen stroke drawn as SVG and rendered to
 * the PNG data URL the confirm step takes, so the signed service report shows a signature.
 */
const STROKE =
  'M12 52 C 20 20, 34 12, 38 30 S 30 62, 48 44 S 70 14, 74 34 C 76 46, 66 56, 82 48 ' +
  'S 104 20, 110 36 S 116 56, 134 40 C 146 30, 150 24, 158 34 S 170 52, 192 30 M 60 58 C 100 50, 150 52, 200 46';

export async function demoSignature(): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="220" height="72"><rect width="220" height="72" fill="#fff"/><path d="${STROKE}" fill="none" stroke="#1a2a6c" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
  const png = await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
