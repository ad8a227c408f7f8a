// Demo data for a first start: two canned replies in English and German. Nothing when any canned reply exists.
// (No feature seeds a demo customer, so there are no demo tickets to attach to one.)
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { countCannedReplies, insertCannedReply } from './support.staff.queries.ts';

export async function seedSupport(deps: Deps): Promise<void> {
  if ((await countCannedReplies(deps.db)) > 0) return;
  const now = deps.clock.now();
  const replies = [
    {
      title_en: 'Licence: reactivation',
      title_de: 'Lizenz: Reaktivierung',
      body_en:
        'Thank you for your message. We have reset the activations of your licence; you can now activate it on your new computer from your account under "My products".',
      body_de:
        'Vielen Dank für Ihre Nachricht. Wir haben die Aktivierungen Ihrer Lizenz zurückgesetzt; Sie können sie jetzt in Ihrem Kundenkonto unter „Meine Produkte“ auf Ihrem neuen Computer aktivieren.',
    },
    {
      title_en: 'Please send a system profile',
      title_de: 'Bitte Systemprofil senden',
      body_en:
        'To look into this we need a few details of your setup. Please save your system profile in your account and attach it to this request.',
      body_de:
        'Um das zu prüfen, brauchen wir ein paar Angaben zu Ihrem System. Bitte speichern Sie Ihr Systemprofil im Kundenkonto und hängen Sie es an diese Anfrage.',
    },
  ];
  for (const r of replies)
    await insertCannedReply(deps.db, { id: randomUUID(), ...r, created_at: now, updated_at: now });
}
