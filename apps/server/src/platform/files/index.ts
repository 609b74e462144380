/**
 * Attachment files for every module: safe intake of uploads (type from content, per-kind limits,
 * images re-encoded without metadata), storage on local disk or S3, and sandboxed downloads.
 * Modules record the returned StoredAttachment in their own tables and check who may see it.
 */
import path from 'node:path';
import type { Config } from '../config';
import { S3Storage, s3ClientFor } from './s3-storage';
import { type FileStorage, LocalDiskStorage } from './storage';

export { contentDisposition, type DownloadableAttachment, sendAttachment } from './download';
export { MAX_PIXELS, THUMBNAIL_MIME } from './image';
export {
  type FileKind,
  receiveFile,
  receiveUpload,
  type StoredAttachment,
  sanitiseName,
  type UploadOptions,
  uploadOptions,
} from './intake';
export { multipartSupport } from './plugin';
export { S3Storage } from './s3-storage';
export { FileNotFound, type FileStorage, LocalDiskStorage } from './storage';

/** S3-compatible storage when S3_BUCKET is configured, DATA_DIR/files otherwise. */
export function createFileStorage(config: Config): FileStorage {
  return config.s3
    ? new S3Storage(config.s3, s3ClientFor(config.s3))
    : new LocalDiskStorage(path.join(config.dataDir, 'files'));
}
