#!/usr/bin/env node
// The `tessera` command: runs the CLI (TypeScript, through tsx's loader) over the wasm engine.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
