import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3BlobStore, type S3BlobStore } from './s3.js';

/** Test helper: a real S3-protocol server (s3rver) in this process, on port 0, with one bucket. */
export interface S3Harness {
  endpoint: string;
  bucket: string;
  store: S3BlobStore;
  /** The presence service's settings (environment) for this server and bucket. */
  env: Record<string, string>;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3(bucket = 'attachments-test'): Promise<S3Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'att-s3rver-'));
  // s3rver ships no types; a variable specifier keeps tsc from looking for them.
  const specifier: string = 's3rver';
  const mod = (await import(specifier)) as { default: new (o: object) => S3rverInstance };
  const server = new mod.default({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const admin = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  admin.destroy();
  const store = createS3BlobStore({
    bucket,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    streamChecksums: 'WHEN_REQUIRED',
    serverSideEncryption: 'AES256',
  });
  return {
    endpoint,
    bucket,
    store,
    env: {
      BLOB_STORE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
