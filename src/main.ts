// Entry point: `npm start` runs the embedded default (web server, worker, demo data) in one process;
// with arguments it is the `candor` CLI.
import { main } from './cli.ts';

await main(process.argv.length > 2 ? process.argv.slice(2) : ['start']);
