// Address forms: the checkout's address part (country select, shipping only when wanted, "save this address"), the
// error summary every form of the checkout shares, and the address book in the account. Pure functions; no JS.
import { html, type SafeHtml } from '../../platform/html.ts';
import { tr, type Lang, type Text } from '../../platform/i18n.ts';
import { countryName, countryOptions } from '../../shop/vat.ts';
import { type FieldLabels, type PageContext, csrfField, errorSummary, fieldId, layout } from '../../web/index.ts';
import type { FieldErrors, FormValues, SavedAddress } from './addresses.service.ts';

export type { FormValues };
import type { Address } from './orders.tables.ts';

const addressLabels: Record<keyof Address, Text> = {
  name: { en: 'Name', de: 'Name' },
  street: { en: 'Street and number', de: 'Straße und Hausnummer' },
  postalCode: { en: 'Postal code', de: 'Postleitzahl' },
  city: { en: 'City', de: 'Ort' },
  country: { en: 'Country', de: 'Land' },
};

const autocomplete: Record<keyof Address, string> = {
  name: 'name',
  street: 'address-line1',
  postalCode: 'postal-code',
  city: 'address-level2',
  country: 'country',
};

const maxLengths: Record<keyof Address, number> = { name: 200, street: 200, postalCode: 12, city: 100, country: 2 };

const groupLabels: Record<string, Text> = {
  billingAddress: { en: 'Billing address', de: 'Rechnungsadresse' },
  shippingAddress: { en: 'Shipping address', de: 'Lieferadresse' },
  address: { en: 'Address', de: 'Adresse' },
};

/** The labels of an address group's fields for the error summary ("Billing address: Postal code"). */
export function addressFieldLabels(prefix: string): FieldLabels {
  const group = groupLabels[prefix];
  const out: FieldLabels = {};
  for (const f of Object.keys(addressLabels) as (keyof Address)[])
    out[`${prefix}.${f}`] = group
      ? { en: `${group.en}: ${addressLabels[f].en}`, de: `${group.de}: ${addressLabels[f].de}` }
      : addressLabels[f];
  return out;
}

/** One address field: label, its error beside it (aria-describedby, aria-invalid), the value as typed. */
function addressField(
  ctx: PageContext,
  prefix: string,
  f: keyof Address,
  values: FormValues,
  errors: FieldErrors,
  countries: readonly string[],
  defaultCountry: string,
): SafeHtml {
  const name = `${prefix}.${f}`;
  const id = fieldId(name);
  const error = errors[name];
  const invalid = error ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
  const message = error ? html`<p class="field-error" id="${id}-error">${tr(ctx.lang, error)}</p>` : '';
  const ac =
    `${prefix === 'shippingAddress' ? 'shipping' : prefix === 'billingAddress' ? 'billing' : ''} ${autocomplete[f]}`.trim();
  if (f === 'country') {
    const chosen = (values[name] ?? defaultCountry).trim().toUpperCase();
    const options = countryOptions(ctx.lang, countries);
    // A country the list does not hold (typed into an old form) stays visible, so that nothing typed is lost.
    const extra = chosen && !countries.includes(chosen) ? [{ code: chosen, name: values[name] ?? chosen }] : [];
    return html`<div class="field"><label for="${id}">${tr(ctx.lang, addressLabels.country)}</label>
    ${message}
    <select id="${id}" name="${name}" autocomplete="${ac}"${invalid}>${[...extra, ...options].map(
      (o) => html`<option value="${o.code}"${o.code === chosen ? html` selected` : ''}>${o.name}</option>`,
    )}</select></div>`;
  }
  return html`<div class="field"><label for="${id}">${tr(ctx.lang, addressLabels[f])}</label>
    ${message}
    <input id="${id}" type="text" name="${name}" value="${values[name] ?? ''}" maxlength="${maxLengths[f]}" autocomplete="${ac}"${invalid}></div>`;
}

/** The fields of one address, in the form's order. */
export function addressFields(
  ctx: PageContext,
  prefix: string,
  values: FormValues,
  errors: FieldErrors,
  countries: readonly string[],
  defaultCountry: string,
): SafeHtml {
  return html`${(Object.keys(addressLabels) as (keyof Address)[]).map((f) =>
    addressField(ctx, prefix, f, values, errors, countries, defaultCountry),
  )}`;
}

/** The names of an address's fields, in the form's order (for the error summary). */
export const addressFieldNames = (prefix: string): string[] =>
  (Object.keys(addressLabels) as (keyof Address)[]).map((f) => `${prefix}.${f}`);

/** What the checkout's address part needs. */
export interface CheckoutAddressModel {
  values: FormValues;
  errors: FieldErrors;
  /** The countries sold to, and the one a new address starts with. */
  countries: readonly string[];
  defaultCountry: string;
  /** Whether the basket holds goods to ship: without, there is no shipping address to ask for. */
  ships: boolean;
  saved: SavedAddress[];
}

const savedLine = (lang: Lang, a: Address) =>
  `${a.name}, ${a.street}, ${a.postalCode} ${a.city}, ${countryName(lang, a.country)}`;

/** Links that fill the form with another saved address (a GET, so it works without JavaScript). */
function savedChoice(ctx: PageContext, model: CheckoutAddressModel, kind: 'billing' | 'shipping'): SafeHtml | string {
  if (model.saved.length < 2) return '';
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<details class="saved-choice"><summary>${t({ en: 'Use another saved address', de: 'Andere gespeicherte Adresse verwenden' })}</summary>
<ul>${model.saved.map((a) => html`<li><a href="/checkout?${kind}=${encodeURIComponent(a.id)}">${savedLine(ctx.lang, a)}</a></li>`)}</ul></details>`;
}

/**
 * The checkout's address part: the billing address; "ship to a different address" (unticked: the shipping fieldset
 * is hidden by CSS and ignored by the server) when there is anything to ship; "save this address".
 */
export function checkoutAddressPart(ctx: PageContext, model: CheckoutAddressModel): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const { values, errors, countries, defaultCountry } = model;
  const elsewhere = values.shipElsewhere === '1';
  return html`<fieldset class="billing-address"><legend>${t({ en: 'Billing address', de: 'Rechnungsadresse' })}</legend>
  ${savedChoice(ctx, model, 'billing')}
  ${addressFields(ctx, 'billingAddress', values, errors, countries, defaultCountry)}
  </fieldset>
  ${
    model.ships
      ? html`<div class="checkbox"><input id="f-ship-elsewhere" type="checkbox" name="shipElsewhere" value="1"${elsewhere ? html` checked` : ''} aria-controls="f-shipping-address"> <label for="f-ship-elsewhere">${t({ en: 'Ship to a different address', de: 'An eine andere Adresse liefern' })}</label></div>
  <fieldset class="shipping-address" id="f-shipping-address"><legend>${t({ en: 'Shipping address', de: 'Lieferadresse' })}</legend>
  <p class="hint">${t({ en: 'Used only while “Ship to a different address” is ticked.', de: 'Wird nur verwendet, solange „An eine andere Adresse liefern“ angekreuzt ist.' })}</p>
  ${savedChoice(ctx, model, 'shipping')}
  ${addressFields(ctx, 'shippingAddress', values, errors, countries, values['billingAddress.country'] ?? defaultCountry)}
  </fieldset>`
      : ''
  }
  <div class="checkbox"><input id="f-save-address" type="checkbox" name="saveAddress" value="1"${values.saveAddress === '1' ? html` checked` : ''}> <label for="f-save-address">${t({ en: 'Save this address in my address book for next time', de: 'Diese Adresse für das nächste Mal in meinem Adressbuch speichern' })}</label> <a href="/account/addresses">${t({ en: 'Address book', de: 'Adressbuch' })}</a></div>`;
}

// --- The address book in the account ---

const T = {
  title: { en: 'Address book', de: 'Adressbuch' },
  add: { en: 'Add an address', de: 'Adresse hinzufügen' },
  edit: { en: 'Change address', de: 'Adresse ändern' },
  save: { en: 'Save address', de: 'Adresse speichern' },
  delete: { en: 'Delete', de: 'Löschen' },
  change: { en: 'Change', de: 'Ändern' },
  defaultBilling: { en: 'Default billing address', de: 'Standard-Rechnungsadresse' },
  defaultShipping: { en: 'Default shipping address', de: 'Standard-Lieferadresse' },
} satisfies Record<string, Text>;

const notices: Record<string, Text> = {
  saved: { en: 'The address is saved.', de: 'Die Adresse ist gespeichert.' },
  deleted: { en: 'The address is deleted.', de: 'Die Adresse ist gelöscht.' },
};

export function addressBookPage(ctx: PageContext, saved: SavedAddress[], notice?: string): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(T.title);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice && notices[notice] ? html`<p class="notice" role="status">${t(notices[notice] as Text)}</p>` : ''}
<p>${t({ en: 'The checkout fills in your default addresses. Saved addresses stay until you delete them here.', de: 'Die Kasse füllt Ihre Standardadressen aus. Gespeicherte Adressen bleiben, bis Sie sie hier löschen.' })}</p>
${
  saved.length === 0
    ? html`<p>${t({ en: 'No saved addresses yet.', de: 'Noch keine gespeicherten Adressen.' })}</p>`
    : html`<ul class="saved-addresses">${saved.map(
        (
          a,
        ) => html`<li><address>${a.name}<br>${a.street}<br>${a.postalCode} ${a.city}<br>${countryName(ctx.lang, a.country)}</address>
${a.defaultBilling ? html`<p><strong>${t(T.defaultBilling)}</strong></p>` : ''}${a.defaultShipping ? html`<p><strong>${t(T.defaultShipping)}</strong></p>` : ''}
<div class="address-actions"><a href="/account/addresses/${a.id}" aria-label="${t(T.change)}: ${a.name}, ${a.street}">${t(T.change)}</a>
<form method="post" action="/account/addresses/${a.id}/delete">${csrfField(ctx)}<button type="submit" class="secondary" aria-label="${t(T.delete)}: ${a.name}, ${a.street}">${t(T.delete)}</button></form></div></li>`,
      )}</ul>`
}
<p><a href="/account/addresses/new">${t(T.add)}</a></p>
<p><a href="/account">${t({ en: 'Back to my account', de: 'Zurück zu meinem Konto' })}</a></p>`,
  );
}

export interface AddressFormModel {
  /** Undefined: a new address. */
  id?: string;
  values: FormValues;
  errors: FieldErrors;
  message?: Text;
  countries: readonly string[];
  defaultCountry: string;
}

export function addressFormPage(ctx: PageContext, model: AddressFormModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(model.id ? T.edit : T.add);
  const action = model.id ? `/account/addresses/${model.id}` : '/account/addresses';
  const check = (name: string, label: Text) =>
    html`<div class="checkbox"><input id="${fieldId(name)}" type="checkbox" name="${name}" value="1"${model.values[name] === '1' ? html` checked` : ''}> <label for="${fieldId(name)}">${t(label)}</label></div>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, model.message, model.errors, addressFieldLabels('address'), addressFieldNames('address'))}
<form method="post" action="${action}" novalidate>
  ${csrfField(ctx)}
  ${addressFields(ctx, 'address', model.values, model.errors, model.countries, model.defaultCountry)}
  ${check('defaultBilling', { en: 'Use as my default billing address', de: 'Als Standard-Rechnungsadresse verwenden' })}
  ${check('defaultShipping', { en: 'Use as my default shipping address', de: 'Als Standard-Lieferadresse verwenden' })}
  <p><button type="submit">${t(T.save)}</button></p>
</form>
<p><a href="/account/addresses">${t({ en: 'Back to the address book', de: 'Zurück zum Adressbuch' })}</a></p>`,
  );
}
