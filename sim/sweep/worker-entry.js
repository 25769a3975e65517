// Worker threads do not inherit loader hooks registered in the main thread, so each sweep
// worker registers tsx itself before loading the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
