// A multipart/form-data body as a browser sends an upload form: the fields in order, then the file (field "file").
import { randomBytes } from 'node:crypto';

export interface UploadFile {
  filename: string;
  content: Buffer;
  /** The type the browser names (the shop checks the content, not this). */
  type?: string;
}

export function multipart(fields: [string, string][], file?: UploadFile): { payload: Buffer; contentType: string } {
  const boundary = `----candor${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields)
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
