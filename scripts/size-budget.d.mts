// Types of scripts/size-budget.mjs (plain JavaScript: `npm run build` runs it with node).
export const KB: number;
export const BUDGET: { initialJsGzip: number; wasmGzip: number };
export interface SizeRow {
  /** Path in the build, with / separators. */
  file: string;
  raw: number;
  gzip: number;
}
export interface BuildSizes {
  rows: SizeRow[];
  initialJs: { files: SizeRow[]; raw: number; gzip: number };
  /** Not budgeted: what the initial JS imports on demand (e.g. the app's shell), and their static imports. */
  initialOnDemandJs: { files: SizeRow[]; raw: number; gzip: number };
  wasm: SizeRow[];
}
export function gzipSize(bytes: Uint8Array): number;
export function entryScripts(html: string): string[];
export function staticImports(code: string): string[];
export function dynamicImports(code: string): string[];
export function staticClosure(entries: string[], read: (urlPath: string) => string | null): string[];
export function measureBuild(dir: string): BuildSizes;
export function formatKb(bytes: number): string;
export function budgetProblems(sizes: Pick<BuildSizes, 'initialJs' | 'wasm'>, budget?: { initialJsGzip: number; wasmGzip: number }): string[];
