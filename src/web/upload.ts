// Reads a multipart form with one file (an image, a CSV, a product file) for the staff upload forms: the form token
// must come as a field before the file and match (as the platform checks url-encoded forms), the file must stay under
// its limit, and the body must reach its closing delimiter. What the caller's `receive` made of the file (a buffer, a
// file written to disk) is handed back only when the whole body was read and accepted; otherwise `discard` undoes it.
import { timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError, errors } from '../platform/errors.ts';
import { findControlCharacters } from '../platform/http/security.ts';

/** The refusals of a form, in its own words: a file over the limit, and a broken body or a second file. */
export interface UploadRefusals {
  tooBig: () => AppError;
  incomplete: () => AppError;
  /** A request that is not multipart at all; `incomplete` when not given. */
  notMultipart?: () => AppError;
}

/** The file part as it streams in: `truncated` is set when it went over the limit. */
export interface IncomingFile {
  fileName: string;
  stream: Readable & { truncated?: boolean };
  /** The whole file in memory; throws the parser's FST_REQ_FILE_TOO_LARGE beyond the limit. */
  toBuffer(): Promise<Buffer>;
}

export interface UploadOptions<F> {
  maxBytes: number;
  refusals: UploadRefusals;
  /** Takes the file (the fields sent before it are known); an AppError it throws refuses the upload. */
  receive: (file: IncomingFile, fields: Record<string, string>) => Promise<F>;
  /** Undoes what `receive` made when the upload is refused after it (a broken end, a second file). */
  discard?: (received: F) => void;
}

export interface ReadUpload<F> {
  fields: Record<string, string>;
  file: F | undefined;
}

/** A `receive` that keeps the file in memory (images, CSV: small files checked whole before anything is stored). */
export const intoMemory = async (file: IncomingFile): Promise<{ fileName: string; content: Buffer }> => ({
  fileName: file.fileName,
  content: await file.toBuffer(),
});

/** The form token of a multipart form, checked as the platform checks url-encoded forms (same cookie, same HMAC). */
export function formTokenMatches(request: FastifyRequest, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const expected = Buffer.from(request.csrfToken());
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// The C0 controls the platform refuses in url-encoded and JSON bodies (src/platform/http/security.ts).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * The platform's control-character check for the fields of a multipart form, which its preValidation hook does not
 * see (the body is read by the route): its 400, naming the field, in the user's language, or undefined. The offending
 * characters are taken out of `fields` first, so that a form shown again with the message does not repeat them.
 * Every multipart reader calls this (readUpload here, the support forms' reader with several files).
 */
export function controlCharacterRefusal(fields: Record<string, string>): AppError | undefined {
  const bad = findControlCharacters(fields, '');
  if (bad === undefined) return undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value !== undefined) fields[key] = value.replace(CONTROLS, '');
  }
  return errors.controlCharacters(bad || 'body');
}

/**
 * Watches the raw body (beside the multipart parser, which is piped from it later and resumes it) for the closing
 * delimiter `--boundary--`; answers whether it came. The parser ends quietly when a body breaks off after a
 * complete part: only a body that reached its closing delimiter was sent whole.
 */
export function watchForClosingDelimiter(request: FastifyRequest): () => boolean {
  const type = String(request.headers['content-type'] ?? '');
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(type);
  const needle = boundary ? Buffer.from(`--${boundary[1] ?? boundary[2]}--`) : undefined;
  if (!needle) return () => false;
  let seen = false;
  let tail = Buffer.alloc(0);
  const raw = request.raw;
  // Paused first, so that listening does not start the flow before the parser is piped in.
  raw.pause();
  const onData = (chunk: Buffer) => {
    if (seen) return;
    const window = Buffer.concat([tail, chunk]);
    if (window.includes(needle)) {
      seen = true;
      raw.off('data', onData);
      return;
    }
    tail = window.subarray(Math.max(0, window.length - needle.length + 1));
  };
  raw.on('data', onData);
  return () => seen;
}

/**
 * Whether an error came from reading a malformed multipart body (a limit of the parser, a part or the body ending
 * early), not from the shop itself (a full disk, a bug): the former is the sender's, a 400.
 */
export function isMalformedMultipart(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code.startsWith('FST_');
  return /multipart|terminated early|malformed|unexpected end/i.test(err.message);
}

/**
 * Reads the whole body: its short fields and at most one file of at most `maxBytes`, given to `receive`. Throws the
 * CSRF error for a missing or wrong form token, `tooBig` beyond the limit, `incomplete` for a broken body or a second
 * file, and what `receive` refused; a route answers `file: undefined` (no file chosen) itself.
 */
export async function readUpload<F>(request: FastifyRequest, options: UploadOptions<F>): Promise<ReadUpload<F>> {
  const { refusals } = options;
  if (!request.isMultipart()) throw (refusals.notMultipart ?? refusals.incomplete)();
  const complete = watchForClosingDelimiter(request);
  const fields: Record<string, string> = {};
  let file: { received: F } | undefined;
  let files = 0;
  let failure: AppError | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: options.maxBytes } })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !Object.hasOwn(fields, part.fieldname))
          fields[part.fieldname] = part.value;
        continue;
      }
      files += 1;
      if (!formTokenMatches(request, fields._csrf)) failure ??= errors.csrf();
      else if (files > 1) failure ??= refusals.incomplete();
      if (failure) {
        part.file.resume();
        continue;
      }
      try {
        const incoming: IncomingFile = {
          fileName: part.filename,
          stream: part.file,
          toBuffer: () => part.toBuffer(),
        };
        file = { received: await options.receive(incoming, { ...fields }) };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        part.file.resume();
        failure = err;
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') failure ??= refusals.tooBig();
    else if (isMalformedMultipart(err)) failure ??= refusals.incomplete();
    else {
      if (file) options.discard?.(file.received);
      throw err;
    }
  }
  if (!failure) failure = controlCharacterRefusal(fields);
  if (!failure && !formTokenMatches(request, fields._csrf)) failure = errors.csrf();
  if (!failure && !complete()) failure = refusals.incomplete();
  if (failure) {
    if (file) options.discard?.(file.received);
    throw failure;
  }
  return { fields, file: file?.received };
}
