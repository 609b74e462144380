import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { Config } from '../config';
import {
  assertSafeKey,
  FileNotFound,
  type FileStorage,
  type ObjectMeta,
  type StoredObject,
  streamLater,
} from './storage';

export type S3Settings = NonNullable<Config['s3']>;

/** The SDK client for the configured endpoint (MinIO, Ceph, OSS, COS, AWS…). */
export function s3ClientFor(settings: S3Settings, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // The SDK's default CRC32 trailers (aws-chunked uploads) are AWS-only; MinIO, Ceph, OSS and COS
    // versions in the field reject or mangle them, so outside AWS checksums are sent only when required.
    ...(settings.endpoint
      ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const }
      : {}),
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
    ...extra,
  });
}

const isMissing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

/**
 * Attachments in an S3-compatible bucket, so app replicas share them. Object names are the
 * server's keys under an optional prefix; objects are private — downloads go through the app,
 * which checks who may see the ticket.
 */
export class S3Storage implements FileStorage {
  constructor(
    private readonly settings: Pick<S3Settings, 'bucket' | 'prefix'>,
    private readonly client: S3Client,
  ) {}

  private objectName(key: string): string {
    assertSafeKey(key);
    return `${this.settings.prefix}${key}`;
  }

  async put(key: string, body: Buffer | Readable, meta: ObjectMeta): Promise<void> {
    const length = Buffer.isBuffer(body) ? body.length : meta.sizeBytes;
    // A PUT of a stream needs its length; uploads always know it, so no multipart upload is needed.
    if (length === undefined) throw new Error('S3Storage.put of a stream needs meta.sizeBytes');
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: this.objectName(key),
        Body: body,
        ContentType: meta.contentType,
        ContentLength: length,
      }),
    );
  }

  async putFile(key: string, tempFile: string, meta: ObjectMeta): Promise<void> {
    const { size } = await stat(tempFile);
    await this.put(key, createReadStream(tempFile), { ...meta, sizeBytes: size });
    await rm(tempFile, { force: true });
  }

  async get(key: string): Promise<StoredObject> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectName(key) }),
      );
      if (!(out.Body instanceof Readable)) throw new Error(`S3 returned no stream for ${key}`);
      return { body: out.Body, sizeBytes: out.ContentLength ?? 0 };
    } catch (error) {
      throw isMissing(error) ? new FileNotFound(key) : error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectName(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectName(key) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  read(key: string): Readable {
    return streamLater(this.get(key));
  }
}
