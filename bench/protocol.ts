// Messages between the bench runner (parent) and a server child over the IPC channel of child_process.fork.

export type ServerKind = 'hello' | 'products' | 'products-pg' | 'naive-log' | 'candor';

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'stopped'; usageLogRows: number | null; naiveLogRows: number | null }
  | { type: 'failed'; message: string };

/** Parent → child. */
export type ParentMessage = { type: 'stop' };

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
