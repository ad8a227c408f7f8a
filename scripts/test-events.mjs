// A test reporter: one JSON line per finished test or suite (name, nesting, kind, file, skip, error) and the test
// processes' stderr. `npm test` writes it to tmp/test-events.jsonl beside its spec output; scripts/tests-alone.ts
// reads it to know every suite's tests without loading each file once more, and uses it for its own runs.
export default async function* testEvents(source) {
  for await (const event of source) {
    const d = event.data;
    if (event.type === 'test:stderr') yield `${JSON.stringify({ event: 'stderr', message: d.message })}\n`;
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const error = d.details?.error;
    const cause = error?.cause;
    yield `${JSON.stringify({
      event: event.type,
      name: d.name,
      nesting: d.nesting,
      kind: d.details?.type === 'suite' ? 'suite' : 'test',
      file: d.file,
      skip: d.skip === undefined || d.skip === false ? undefined : String(d.skip === true ? 'skipped' : d.skip),
      error: cause?.message ?? cause ?? error?.message,
    })}\n`;
  }
}
