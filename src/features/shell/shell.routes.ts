// The shell: the imprint.
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { imprintPage } from './shell.pages.ts';

export function registerShell(app: App, deps: Pick<Deps, 'config'>): void {
  app.get('/imprint', async (request, reply) =>
    sendPage(reply, imprintPage(pageContext(request), deps.config.operator)),
  );
}
