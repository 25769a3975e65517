// Worker threads do not inherit loader hooks registered in the main thread, so each
// worker registers tsx itself before loading the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./run-worker.ts');
