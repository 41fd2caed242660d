// Shared by the CLI tests: runs `tessera` as users do, as a real Node process through bin/.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const TESSERA_BIN = path.resolve(process.cwd(), 'bin/tessera.mjs');

export interface TesseraRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function tessera(...args: string[]): Promise<TesseraRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TESSERA_BIN, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
