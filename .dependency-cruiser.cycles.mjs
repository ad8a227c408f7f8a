// Second pass of `npm run lint:layers`: runtime import cycles, on the graph as it is after compilation.
// Why a separate pass: with type imports in the graph (needed by the layer rules), dependency-cruiser 17 reports one
// cycle per import and, if that cycle runs through an `import type`, a rule excluding type-only edges drops it even
// when a purely runtime cycle passes through the same import. Leaving type imports out of this graph avoids that.
import layers from './.dependency-cruiser.mjs';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-runtime-cycles',
      comment: 'A runtime import cycle makes module start-up order fragile; type-only imports vanish at run time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: { ...layers.options, tsPreCompilationDeps: false },
};
