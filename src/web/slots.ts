// Layout slots: other layers add to every page (stylesheets and scripts in <head>, a notice at the top of
// <body>) by registering a slot, so the layout names none of them and they need not import each other.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../platform/html.ts';

export interface SlotContent {
  head: SafeHtml;
  top: SafeHtml;
  /** Numbers for the navigation's counted links, by key (see NavLink.count). */
  counts?: Record<string, number>;
}

export interface LayoutSlot {
  /** Who contributes (for reading the code and the errors; slots render in the order they were added). */
  name: string;
  render(request: FastifyRequest): Partial<SlotContent>;
}

declare module 'fastify' {
  interface FastifyInstance {
    layoutSlots: LayoutSlot[];
  }
}

export function addLayoutSlot(app: FastifyInstance, slot: LayoutSlot): void {
  app.layoutSlots.push(slot);
}

export function renderSlots(request: FastifyRequest): SlotContent {
  const slots = request.server.layoutSlots;
  if (slots.length === 1) {
    const only = (slots[0] as LayoutSlot).render(request);
    return { head: only.head ?? html``, top: only.top ?? html``, counts: only.counts ?? {} };
  }
  const parts = slots.map((slot) => slot.render(request));
  return {
    head: html`${parts.map((p) => p.head)}`,
    top: html`${parts.map((p) => p.top)}`,
    counts: Object.assign({}, ...parts.map((p) => p.counts ?? {})) as Record<string, number>,
  };
}
