// The Nu Html Checker (vnu-jar, the W3C validator) for tests: validates many documents in one Java run and answers
// each error with the document's page address. Outside CI a machine without Java skips; in CI Java must be there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The checker's jar inside the vnu-jar package (a devDependency). */
export const vnuJar: string = join(require.resolve('vnu-jar/package.json'), '..', 'build', 'dist', 'vnu.jar');

function hasJava(): boolean {
  const run = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return !run.error && run.status === 0;
}

/** Outside CI a machine without Java skips the HTML check; in CI (.ci/run exports CI=true) it must run. */
export const javaSkip: string | false =
  !hasJava() && process.env.CI !== 'true' && !process.env.CANDOR_CI
    ? 'Java is not installed (apt-get install -y default-jre-headless): the Nu Html Checker needs it'
    : false;

export interface HtmlDocument {
  /** Where the document came from (a page address, or a label such as "POST /account/login (de)"). */
  url: string;
  body: string;
}

export interface HtmlError {
  url: string;
  line: number | undefined;
  column: number | undefined;
  message: string;
  extract: string;
}

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  firstLine?: number;
  firstColumn?: number;
  message: string;
  extract?: string;
}

/** Validates every document in one run of the checker; answers each error (warnings left out). */
export function validateHtml(documents: HtmlDocument[]): HtmlError[] {
  if (!existsSync(vnuJar)) throw new Error(`the Nu Html Checker is missing at ${vnuJar} (npm ci installs vnu-jar)`);
  if (documents.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'candor-vnu-'));
  try {
    const byFile = new Map<string, string>();
    const files = documents.map((doc, i) => {
      const file = join(dir, `page-${String(i).padStart(4, '0')}.html`);
      writeFileSync(file, doc.body);
      byFile.set(pathToFileURL(file).href, doc.url);
      return file;
    });
    const run = spawnSync(
      'java',
      ['-Xss4m', '-jar', vnuJar, '--errors-only', '--format', 'json', '--stdout', ...files],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (run.error) throw run.error;
    // Exit status 1 means "errors found"; anything else without JSON is the checker failing to run.
    let parsed: { messages: VnuMessage[] };
    try {
      parsed = JSON.parse(run.stdout) as { messages: VnuMessage[] };
    } catch {
      throw new Error(`the Nu Html Checker did not answer JSON (status ${run.status}): ${run.stderr || run.stdout}`);
    }
    return parsed.messages
      .filter((m) => m.type === 'error' || (m.type === 'non-document-error' && m.subType !== 'warning'))
      .map((m) => {
        const href = m.url ? pathToFileURL(new URL(m.url).pathname).href : '';
        return {
          url: byFile.get(href) ?? m.url ?? '(unknown document)',
          line: m.lastLine ?? m.firstLine,
          column: m.firstColumn,
          message: m.message,
          extract: (m.extract ?? '').replace(/\s+/g, ' ').trim(),
        };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
