#!/usr/bin/env node
// storsim runs its TypeScript sources directly through tsx (no build step, so a fresh
// clone works after `npm ci`). This shim registers tsx's loader, then starts the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../sim/cli/main.ts');
