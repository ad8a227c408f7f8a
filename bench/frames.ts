// How the profiling benches (profile.ts, allocations.ts) name what V8's profilers report: a call frame as function
// and module, a module as its npm package, node: built-in or project file.
import { relative } from 'node:path';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

const root = process.cwd();

/** A module's short name: the npm package, the node: built-in, or the project file. */
export function moduleOf(url: string): string {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? path);
  }
  return relative(root, path);
}

/** A function as `name  module:line`. */
export function frameKey(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name}  ${moduleOf(frame.url)}:${frame.lineNumber + 1}` : name;
}

/** A titled list of the `top` largest entries of `map`, largest first, each as `figure(value)` then its key. */
export function topList(
  title: string,
  map: Map<string, number>,
  top: number,
  figure: (value: number) => string,
): string {
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [`-- ${title} --`, ...rows.map(([key, value]) => `${figure(value)}  ${key}`)].join('\n');
}
