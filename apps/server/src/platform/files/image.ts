import sharp from 'sharp';
import { AppError } from '../http/errors';

/** Refuses decoding images larger than this many pixels: a tiny PNG can declare 100k × 100k. */
export const MAX_PIXELS = 40_000_000;
export const THUMBNAIL_SIZE = 320;
export const THUMBNAIL_MIME = 'image/webp';

export interface ReencodedImage {
  data: Buffer;
  mimeType: string;
  extension: string;
  width: number;
  height: number;
  thumbnail: Buffer;
}

/**
 * Decodes and re-encodes an uploaded image so that what we store and serve is pixels we made:
 * EXIF (GPS, camera serials), XMP, IPTC and ICC are dropped — sharp writes no metadata unless
 * asked — after the EXIF orientation has been applied. GIFs keep their first frame only (as PNG):
 * evidence photos need no animation, and decoding every frame multiplies the pixel budget.
 */
export async function reencodeImage(file: string, detectedMime: string, field: string): Promise<ReencodedImage> {
  try {
    const image = sharp(file, { limitInputPixels: MAX_PIXELS, failOn: 'error', animated: false }).autoOrient();
    const output =
      detectedMime === 'image/jpeg'
        ? { encoded: image.jpeg({ quality: 85, mozjpeg: true }), mimeType: 'image/jpeg', extension: 'jpg' }
        : detectedMime === 'image/webp'
          ? { encoded: image.webp({ quality: 85 }), mimeType: 'image/webp', extension: 'webp' }
          : { encoded: image.png({ compressionLevel: 9 }), mimeType: 'image/png', extension: 'png' };
    const { data, info } = await output.encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data)
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return {
      data,
      mimeType: output.mimeType,
      extension: output.extension,
      width: info.width,
      height: info.height,
      thumbnail,
    };
  } catch (error) {
    if (/pixel limit/i.test(String((error as Error)?.message))) {
      const params = { pixels: MAX_PIXELS };
      throw new AppError(422, 'file.image_too_large', params, [
        { path: field, code: 'file.image_too_large', ...params },
      ]);
    }
    throw new AppError(422, 'file.image_unreadable', {}, [{ path: field, code: 'file.image_unreadable' }]);
  }
}
